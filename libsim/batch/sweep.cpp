// Sweeps (see sweep.hpp).
#include "libsim/batch/sweep.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "libsim/core/error.hpp"
#include "libsim/core/version.hpp"
#include "libsim/output/sha256.hpp"
#include "libsim/scenario/scenario.hpp"

namespace dxplan::batch {

namespace {

namespace fs = std::filesystem;

inline constexpr std::size_t kMaxVariants = 100000;  // a sweep larger than this is refused (a typo in a range)

std::string where(const fs::path& file, const YAML::Node& n) {
    return file.string() + (n.Mark().line >= 0 ? ":" + std::to_string(n.Mark().line + 1) : "");
}

[[noreturn]] void fail(const fs::path& file, const YAML::Node& n, const std::string& field, const std::string& msg) {
    throw InputError(where(file, n) + ": " + field + ": " + msg);
}

void check_keys(const fs::path& file, const YAML::Node& n, const std::string& field, const std::set<std::string>& allowed) {
    if (!n.IsMap()) fail(file, n, field, "must be a map");
    for (const auto& kv : n)
        if (!allowed.count(kv.first.Scalar())) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(file, kv.first, (field.empty() ? "" : field + ".") + kv.first.Scalar(), "unknown key (valid keys: " + list + ")");
        }
}

double number(const fs::path& file, const YAML::Node& n, const std::string& field) {
    double v = NAN;
    if (n.IsScalar()) {
        const std::string& s = n.Scalar();
        const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec != std::errc() || r.ptr != s.data() + s.size()) v = NAN;
    }
    if (!std::isfinite(v)) fail(file, n, field, "must be a finite number");
    return v;
}

// The shortest text of v at 12 significant digits: 0.01 + 0.01 * 2 is "0.03", not "0.030000000000000002".
std::string shortest(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    const double rounded = std::strtod(buf, nullptr);
    const auto r = std::to_chars(buf, buf + sizeof buf, rounded);
    return std::string(buf, r.ptr);
}

// A range {from, to, step} or {from, to, count}: from, from + step, ... up to `to` (inclusive within 1e-9 step).
std::vector<std::string> range_values(const fs::path& file, const YAML::Node& n, const std::string& field) {
    check_keys(file, n, field, {"from", "to", "step", "count"});
    if (!n["from"] || !n["to"] || (!n["step"] == !n["count"]))
        fail(file, n, field, "needs from, to and one of step or count");
    const double from = number(file, n["from"], field + ".from"), to = number(file, n["to"], field + ".to");
    std::vector<std::string> out;
    if (n["count"]) {
        const double c = number(file, n["count"], field + ".count");
        if (c < 1 || c > static_cast<double>(kMaxVariants) || c != std::floor(c))
            fail(file, n["count"], field + ".count", "must be an integer in [1, " + std::to_string(kMaxVariants) + "]");
        const auto k = static_cast<std::size_t>(c);
        for (std::size_t i = 0; i < k; ++i)
            out.push_back(shortest(k == 1 ? from : from + (to - from) * static_cast<double>(i) / static_cast<double>(k - 1)));
        return out;
    }
    const double step = number(file, n["step"], field + ".step");
    if (step <= 0.0) fail(file, n["step"], field + ".step", "must be > 0");
    if (from > to) fail(file, n, field, "is empty: from (" + shortest(from) + ") > to (" + shortest(to) + ")");
    if ((to - from) / step >= static_cast<double>(kMaxVariants))
        fail(file, n, field, "has more than " + std::to_string(kMaxVariants) + " values");
    for (std::size_t i = 0;; ++i) {
        const double v = from + step * static_cast<double>(i);
        if (v > to + 1e-9 * step) break;
        out.push_back(shortest(v));
    }
    return out;
}

std::string yaml_text(const YAML::Node& n) {
    YAML::Emitter e;
    e << YAML::Flow << n;
    return e.c_str();
}

std::vector<SweepParameter> read_parameters(const fs::path& file, const YAML::Node& n) {
    if (!n.IsSequence() || n.size() == 0) fail(file, n, "parameters", "must be a non-empty list");
    std::vector<SweepParameter> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const std::string f = "parameters[" + std::to_string(i) + "]";
        const YAML::Node e = n[i];
        check_keys(file, e, f, {"field", "values", "range"});
        if (!e["field"] || !e["field"].IsScalar() || e["field"].Scalar().empty())
            fail(file, e, f + ".field", "is required: the scenario field to vary, e.g. economics.discount_rate");
        if (!e["values"] == !e["range"]) fail(file, e, f, "needs one of values (a list) or range ({from, to, step})");
        SweepParameter p{e["field"].Scalar(), {}};
        if (e["values"]) {
            if (!e["values"].IsSequence() || e["values"].size() == 0) fail(file, e["values"], f + ".values", "must be a non-empty list");
            for (const auto& v : e["values"]) p.values.push_back(yaml_text(v));
        } else {
            p.values = range_values(file, e["range"], f + ".range");
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) {
        const auto b = cell.find_first_not_of(" \t\r"), e = cell.find_last_not_of(" \t\r");
        out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
}

// `table: FILE.csv`: the header names the fields, each further line is one variant.
void read_table(const fs::path& sweep_file, const fs::path& csv, Sweep& s) {
    std::error_code ec;
    if (!fs::is_regular_file(csv, ec)) throw InputError(csv.string() + ": variant table not found (table: in " + sweep_file.string() + ")");
    std::ifstream in(csv);
    std::string line;
    std::size_t lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        std::vector<std::string> cells = split_csv_line(line);
        if (s.parameters.empty()) {
            for (const auto& c : cells) {
                if (c.empty()) throw InputError(csv.string() + ":" + std::to_string(lineno) + ": header: an empty field name");
                s.parameters.push_back({c, {}});
            }
            continue;
        }
        if (cells.size() != s.parameters.size())
            throw InputError(csv.string() + ":" + std::to_string(lineno) + ": " + std::to_string(cells.size()) +
                             " values for " + std::to_string(s.parameters.size()) + " fields");
        for (std::size_t j = 0; j < cells.size(); ++j) s.parameters[j].values.push_back(cells[j]);
        s.table_rows.push_back(std::move(cells));
    }
    if (s.table_rows.empty()) throw InputError(csv.string() + ": variant table has no rows (a header line, then one line per variant)");
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The value lists as rows: the cross product (last parameter fastest) or zipped.
std::vector<std::vector<std::string>> combinations(const Sweep& s) {
    if (!s.table_rows.empty()) return s.table_rows;
    std::vector<std::vector<std::string>> rows;
    if (s.zip) {
        for (std::size_t i = 0; i < s.parameters.front().values.size(); ++i) {
            std::vector<std::string> r;
            for (const auto& p : s.parameters) r.push_back(p.values[i]);
            rows.push_back(std::move(r));
        }
        return rows;
    }
    rows.emplace_back();
    for (const auto& p : s.parameters) {
        std::vector<std::vector<std::string>> next;
        for (const auto& r : rows)
            for (const auto& v : p.values) {
                next.push_back(r);
                next.back().push_back(v);
            }
        rows = std::move(next);
    }
    return rows;
}

}  // namespace

Sweep load_sweep(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw InputError(file.string() + ": sweep file not found");
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::ParserException& e) {
        throw InputError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
    }
    check_keys(file, root, "", {"base", "mode", "set", "parameters", "table"});
    Sweep s;
    s.file = file;
    if (!root["base"] || !root["base"].IsScalar()) fail(file, root, "base", "is required: the base scenario file");
    s.base = fs::absolute(file).parent_path() / root["base"].Scalar();
    if (!fs::is_regular_file(s.base, ec)) fail(file, root["base"], "base", "scenario file " + s.base.string() + " not found");
    if (const auto m = root["mode"]) {
        if (!m.IsScalar() || (m.Scalar() != "cross" && m.Scalar() != "zip")) fail(file, m, "mode", "must be cross or zip");
        s.zip = m.Scalar() == "zip";
    }
    if (const auto f = root["set"]) {
        if (!f.IsSequence()) fail(file, f, "set", "must be a list of path.to.field=VALUE");
        for (const auto& v : f) s.fixed.push_back(v.Scalar());
    }
    if (!root["parameters"] == !root["table"]) fail(file, root, "parameters", "give one of parameters (a list) or table (a CSV file)");
    if (root["parameters"]) s.parameters = read_parameters(file, root["parameters"]);
    else read_table(file, fs::absolute(file).parent_path() / root["table"].Scalar(), s);
    if (s.zip && s.table_rows.empty())
        for (std::size_t i = 1; i < s.parameters.size(); ++i)
            if (s.parameters[i].values.size() != s.parameters[0].values.size())
                fail(file, root["parameters"][i], "parameters[" + std::to_string(i) + "]",
                     "mode zip needs lists of equal length (" + std::to_string(s.parameters[i].values.size()) + " vs " +
                         std::to_string(s.parameters[0].values.size()) + ")");
    double n = 1;
    for (const auto& p : s.parameters) n *= s.zip ? 1.0 : static_cast<double>(p.values.size());
    if (n > static_cast<double>(kMaxVariants))
        fail(file, root["parameters"], "parameters", "expands to more than " + std::to_string(kMaxVariants) + " variants");
    s.sha256 = output::sha256_hex(slurp(file) + "\n--base--\n" + slurp(s.base));
    return s;
}

Expansion expand_sweep(const Sweep& s) {
    // Each parameter must name a field the scenario accepts: its first value alone must load.
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        std::vector<std::string> o = s.fixed;
        o.push_back(s.parameters[i].field + "=" + s.parameters[i].values.front());
        try {
            (void)load_scenario(s.base, o);
        } catch (const InputError& e) {
            throw InputError(s.file.string() + ": parameter " + s.parameters[i].field + ": " + e.what());
        }
    }
    Expansion x;
    const auto rows = combinations(s);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        Variant v;
        v.index = k;
        v.overrides = s.fixed;
        for (std::size_t j = 0; j < s.parameters.size(); ++j) {
            v.params.emplace_back(s.parameters[j].field, rows[k][j]);
            v.overrides.push_back(s.parameters[j].field + "=" + rows[k][j]);
        }
        std::string error;
        try {
            v.resolved_yaml = load_scenario(s.base, v.overrides).resolved_yaml;
        } catch (const InputError& e) {
            error = e.what();
        }
        // The id: the resolved scenario (or, when it does not load, the overrides) with the version.
        std::string key = v.resolved_yaml;
        if (key.empty())
            for (const auto& o : v.overrides) key += o + "\n";
        v.id = output::sha256_hex(key + "\ndxplan " + std::string(kVersion)).substr(0, 16);
        x.variants.push_back(std::move(v));
        x.errors.push_back(std::move(error));
    }
    return x;
}

}  // namespace dxplan::batch
