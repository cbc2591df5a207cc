// The batch results store (see store.hpp). HDF5 types stay in this file (ARCHITECTURE.md 9).
#include "libsim/batch/store.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/core/version.hpp"
#include "libsim/output/sha256.hpp"

namespace dxplan::batch {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

inline constexpr const char* kFormat = "dxplan-batch-store 1";
inline constexpr std::size_t kTextWidth = 64;  // fixed-length text columns of /summary (longer text is cut)

// ---- small HDF5 helpers (no modification times: identical stores for identical batches) ----

H5::Group make_group(H5::Group& parent, const std::string& name) {
    const hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, false);
    const hid_t id = H5Gcreate2(parent.getId(), name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (id < 0) throw H5::GroupIException("H5Gcreate2", "cannot create group " + name);
    H5::Group g(id);
    H5Gclose(id);
    return g;
}

H5::DSetCreatPropList no_times() {
    H5::DSetCreatPropList p;
    H5Pset_obj_track_times(p.getId(), false);
    return p;
}

void put_attr(H5::H5Object& obj, const std::string& name, const std::string& v) {
    const H5::StrType type(H5::PredType::C_S1, v.empty() ? 1 : v.size());
    obj.createAttribute(name, type, H5::DataSpace()).write(type, v.empty() ? "" : v.c_str());
}

std::string get_attr(const H5::H5Object& obj, const std::string& name) {
    const H5::Attribute a = obj.openAttribute(name);
    const H5::StrType type = a.getStrType();
    std::string v(type.getSize(), '\0');
    a.read(type, v.data());
    return v.substr(0, std::strlen(v.c_str()));
}

void put_text(H5::Group& g, const std::string& name, const std::string& v) {  // a scalar string dataset
    const H5::StrType type(H5::PredType::C_S1, v.empty() ? 1 : v.size());
    g.createDataSet(name, type, H5::DataSpace(), no_times()).write(v.empty() ? "" : v.c_str(), type);
}

std::string get_text(const H5::Group& g, const std::string& name) {
    const H5::DataSet ds = g.openDataSet(name);
    const H5::StrType type = ds.getStrType();
    std::string v(type.getSize(), '\0');
    ds.read(v.data(), type);
    return v.substr(0, std::strlen(v.c_str()));
}

// ---- the records' checksum ----

std::string record_text(const VariantRecord& r) {
    std::string s = std::to_string(r.index) + "\n" + r.id + "\n" + r.status + "\n" + r.message + "\n";
    for (const auto& [f, v] : r.params) s += f + "=" + v + "\n";
    return s + r.resolved_yaml + "\n" + r.summary_json;
}

std::string store_checksum(const Store& s) {
    std::string all = s.sweep_sha256;
    for (const auto& f : s.fields) all += "\n" + f;
    std::vector<const VariantRecord*> sorted;  // in index order, as read_store returns them
    for (const auto& r : s.variants) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->index < b->index; });
    for (const auto* r : sorted) all += "\n" + output::sha256_hex(record_text(*r));
    return output::sha256_hex(all);
}

// ---- /summary ----

bool all_numbers(const std::vector<SummaryRow>& rows, std::size_t j) {
    for (const auto& r : rows) {
        double v = 0;
        const std::string& s = r.params[j];
        const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size()) return false;
    }
    return true;
}

double number_or_nan(const json& j) {
    if (j.is_number()) return j.get<double>();
    if (j.is_boolean()) return j.get<bool>() ? 1.0 : 0.0;
    return NAN;
}

void write_summary_table(H5::H5File& f, const Store& s) {
    const std::vector<SummaryRow> rows = summary_rows(s);
    // Columns: variant_index (int64), variant_id, status, each parameter (float64 when every value is a
    // number, else text), technology, then the numeric columns.
    struct Col { std::string name; bool text; std::size_t offset; };
    std::vector<Col> cols;
    std::size_t size = 0;
    const auto add = [&](const std::string& name, bool text) {
        cols.push_back({name, text, size});
        size += text ? kTextWidth : 8;
    };
    add("variant_index", false);
    add("variant_id", true);
    add("status", true);
    std::vector<bool> param_text;
    for (std::size_t j = 0; j < s.fields.size(); ++j) {
        param_text.push_back(!all_numbers(rows, j));
        add(s.fields[j], param_text.back());
    }
    add("technology", true);
    for (const auto& c : summary_columns()) add(c, false);

    H5::CompType type(size);
    const H5::StrType str(H5::PredType::C_S1, kTextWidth);
    for (std::size_t c = 0; c < cols.size(); ++c)
        type.insertMember(cols[c].name, cols[c].offset,
                          cols[c].text ? static_cast<const H5::DataType&>(str)
                                       : (c == 0 ? H5::PredType::NATIVE_INT64 : H5::PredType::NATIVE_DOUBLE));
    std::vector<char> buf(rows.size() * size, '\0');
    for (std::size_t i = 0; i < rows.size(); ++i) {
        char* row = buf.data() + i * size;
        const auto put_s = [&](std::size_t c, const std::string& v) { std::memcpy(row + cols[c].offset, v.data(), std::min(v.size(), kTextWidth - 1)); };
        const auto put_d = [&](std::size_t c, double v) { std::memcpy(row + cols[c].offset, &v, 8); };
        const auto vi = static_cast<std::int64_t>(rows[i].variant_index);
        std::memcpy(row, &vi, 8);
        put_s(1, rows[i].variant_id);
        put_s(2, rows[i].status);
        for (std::size_t j = 0; j < s.fields.size(); ++j) {
            if (param_text[j]) put_s(3 + j, rows[i].params[j]);
            else put_d(3 + j, std::stod(rows[i].params[j]));
        }
        put_s(3 + s.fields.size(), rows[i].technology);
        for (std::size_t k = 0; k < rows[i].values.size(); ++k) put_d(4 + s.fields.size() + k, rows[i].values[k]);
    }
    const hsize_t n = rows.size();
    const H5::DataSpace space(1, &n);
    H5::DataSet ds = f.createDataSet("summary", type, space, no_times());
    if (n > 0) ds.write(buf.data(), type);
}

}  // namespace

const std::vector<std::string>& summary_columns() {
    static const std::vector<std::string> cols = {
        "rank", "recommended", "complete", "sites", "fails", "coverage_area_km2", "households_covered",
        "capex_jpy", "opex_jpy_per_year", "npv_jpy", "tco_jpy", "subsidy_jpy", "municipality_npv_jpy",
        "cost_per_household_jpy", "municipality_cost_per_household_jpy", "cost_per_mbps_jpy"};
    return cols;
}

std::vector<SummaryRow> summary_rows(const Store& s) {
    std::vector<SummaryRow> rows;
    for (const auto& v : s.variants) {
        SummaryRow base{v.index, v.id, v.status, {}, "", std::vector<double>(summary_columns().size(), NAN)};
        for (const auto& f : s.fields) {
            std::string val;
            for (const auto& [pf, pv] : v.params)
                if (pf == f) val = pv;
            base.params.push_back(val);
        }
        json j;
        if (v.status == "ok") j = json::parse(v.summary_json, nullptr, false);
        if (j.is_discarded() || !j.contains("technologies") || j["technologies"].empty()) {
            rows.push_back(base);
            continue;
        }
        const std::string recommended = j.contains("recommendation") && j["recommendation"].is_object()
                                            ? j["recommendation"].value("name", "") : "";
        for (const auto& t : j["technologies"]) {
            SummaryRow r = base;
            r.technology = t.value("name", "");
            for (std::size_t k = 0; k < summary_columns().size(); ++k) {
                const std::string& c = summary_columns()[k];
                if (c == "recommended") r.values[k] = r.technology == recommended ? 1.0 : 0.0;
                else if (c == "fails") r.values[k] = t.contains("fails") && t["fails"].is_array() ? static_cast<double>(t["fails"].size()) : NAN;
                else if (t.contains(c)) r.values[k] = number_or_nan(t[c]);
            }
            rows.push_back(std::move(r));
        }
    }
    return rows;
}

std::string summary_csv(const Store& s) {
    const auto quote = [](const std::string& v) {
        if (v.find_first_of(",\"\n") == std::string::npos) return v;
        std::string q = "\"";
        for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    std::ostringstream out;
    out << "variant_index,variant_id,status";
    for (const auto& f : s.fields) out << "," << quote(f);
    out << ",technology";
    for (const auto& c : summary_columns()) out << "," << c;
    out << "\n";
    for (const auto& r : summary_rows(s)) {
        out << r.variant_index << "," << r.variant_id << "," << r.status;
        for (const auto& p : r.params) out << "," << quote(p);
        out << "," << quote(r.technology);
        for (double v : r.values) {
            out << ",";
            if (std::isfinite(v)) {
                char buf[32];
                const auto res = std::to_chars(buf, buf + sizeof buf, v);
                out << std::string(buf, res.ptr);
            }
        }
        out << "\n";
    }
    return out.str();
}

void write_store(const fs::path& file, const Store& s) {
    write_atomically(file, [&](const fs::path& tmp) {
        H5::FileCreatPropList fcpl;
        H5::H5File f(tmp.string(), H5F_ACC_TRUNC, fcpl);
        H5::Group root = f.openGroup("/");
        put_attr(root, "format", kFormat);
        put_attr(root, "dxplan_version", std::string(kVersion));
        put_attr(root, "sweep_file", s.sweep_file);
        put_attr(root, "sweep_sha256", s.sweep_sha256);
        std::string fields;
        for (const auto& x : s.fields) fields += x + "\n";
        put_attr(root, "fields", fields);
        put_attr(root, "content_sha256", store_checksum(s));
        H5::Group vars = make_group(root, "variants");
        for (const auto& v : s.variants) {
            H5::Group g = make_group(vars, v.id);
            put_attr(g, "index", std::to_string(v.index));
            put_attr(g, "status", v.status);
            put_attr(g, "message", v.message);
            std::string params;
            for (const auto& [pf, pv] : v.params) params += pf + "=" + pv + "\n";
            put_attr(g, "parameters", params);
            put_text(g, "scenario", v.resolved_yaml);
            put_text(g, "summary_json", v.summary_json);
        }
        write_summary_table(f, s);
    });
}

Store read_store(const fs::path& file) {
    const std::string bad = file.string() + ": not a readable dxplan batch store (truncated or corrupted?)";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw InputError(file.string() + ": batch store not found");
    H5::Exception::dontPrint();
    Store s;
    try {
        if (H5Fis_hdf5(file.c_str()) <= 0) throw InputError(bad);
        H5::H5File f(file.string(), H5F_ACC_RDONLY);
        const H5::Group root = f.openGroup("/");
        if (get_attr(root, "format") != kFormat) throw InputError(file.string() + ": not a dxplan batch store");
        s.sweep_file = get_attr(root, "sweep_file");
        s.sweep_sha256 = get_attr(root, "sweep_sha256");
        std::istringstream fields(get_attr(root, "fields"));
        for (std::string line; std::getline(fields, line);) s.fields.push_back(line);
        const H5::Group vars = f.openGroup("variants");
        for (hsize_t i = 0; i < vars.getNumObjs(); ++i) {
            VariantRecord v;
            v.id = vars.getObjnameByIdx(i);
            const H5::Group g = vars.openGroup(v.id);
            v.index = std::stoul(get_attr(g, "index"));
            v.status = get_attr(g, "status");
            v.message = get_attr(g, "message");
            std::istringstream params(get_attr(g, "parameters"));
            for (std::string line; std::getline(params, line);) {
                const auto eq = line.find('=');
                v.params.emplace_back(line.substr(0, eq), eq == std::string::npos ? "" : line.substr(eq + 1));
            }
            v.resolved_yaml = get_text(g, "scenario");
            v.summary_json = get_text(g, "summary_json");
            s.variants.push_back(std::move(v));
        }
        std::sort(s.variants.begin(), s.variants.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
        if (get_attr(root, "content_sha256") != store_checksum(s))
            throw InputError(file.string() + ": batch store does not match its checksum (altered or corrupted); move it away to start again");
    } catch (const H5::Exception&) {
        throw InputError(bad);
    } catch (const std::invalid_argument&) {
        throw InputError(bad);
    }
    return s;
}

}  // namespace dxplan::batch
