#include "libsim/network/backhaul_technology.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include <yaml-cpp/yaml.h>

#include "libsim/core/error.hpp"
#include "libsim/core/data_dir.hpp"

namespace dxplan::net {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kStatuses = {"verified", "derived", "quoted-not-rechecked", "unsourced-estimate"};

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}

std::string where(const fs::path& file, const YAML::Node& n) {
    return file.string() + ":" + std::to_string(n.Mark().line + 1);
}

// A sourced number {value, source, status[, note]} in [lo, hi].
double sourced(const fs::path& file, const YAML::Node& parent, const YAML::Node& sources, const std::string& key,
               double lo, double hi) {
    const YAML::Node n = parent[key];
    if (!n) throw InputError(where(file, parent) + ": " + key + ": required {value, source, status} is missing");
    if (!n.IsMap()) throw InputError(where(file, n) + ": " + key + ": must be {value: V, source: KEY, status: S}");
    for (const auto& kv : n) {
        const auto k = kv.first.as<std::string>();
        if (k != "value" && k != "source" && k != "status" && k != "note")
            throw InputError(where(file, kv.first) + ": " + key + "." + k + ": unknown key (valid: value, source, status, note)");
    }
    if (!n["source"] || !sources[n["source"].as<std::string>()])
        throw InputError(where(file, n) + ": " + key + ".source: missing or not a key of `sources:`");
    if (!n["status"] || kStatuses.count(n["status"].as<std::string>()) == 0)
        throw InputError(where(file, n) + ": " + key + ".status: must be one of verified, derived, quoted-not-rechecked, unsourced-estimate");
    double v = 0.0;
    try {
        if (!n["value"] || n["value"].Tag() == "!") throw YAML::Exception(YAML::Mark(), "text");
        v = n["value"].as<double>();
    } catch (const YAML::Exception&) {
        throw InputError(where(file, n) + ": " + key + ".value: must be a number in [" + num(lo) + ", " + num(hi) + "]");
    }
    if (!(v >= lo && v <= hi))
        throw InputError(where(file, n) + ": " + key + ".value = " + n["value"].as<std::string>() + ": must be in [" +
                         num(lo) + ", " + num(hi) + "]");
    return v;
}

void only_keys(const fs::path& file, const YAML::Node& n, const std::set<std::string>& keys, const std::string& ctx) {
    for (const auto& kv : n) {
        const auto k = kv.first.as<std::string>();
        if (keys.count(k) == 0) {
            std::string valid;
            for (const auto& x : keys) valid += (valid.empty() ? "" : ", ") + x;
            throw InputError(where(file, kv.first) + ": " + ctx + k + ": unknown key (valid: " + valid + ")");
        }
    }
}

YAML::Node load(const fs::path& file) {
    if (!fs::exists(file)) throw InputError(file.string() + ": file not found");
    try {
        return YAML::LoadFile(file.string());
    } catch (const YAML::Exception& e) {
        throw InputError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
    }
}

}  // namespace

fs::path default_backhaul_dir() { return data_dir() / "models" / "technology" / "backhaul"; }

BackhaulTechnology load_backhaul_technology(const fs::path& file) {
    const YAML::Node y = load(file);
    const YAML::Node src = y["sources"];
    if (!src || !src.IsMap()) throw InputError(file.string() + ": sources: required map KEY: citation is missing");
    BackhaulTechnology t;
    t.file = file;
    if (!y["name"] || !y["kind"]) throw InputError(file.string() + ": name and kind are required");
    t.name = y["name"].as<std::string>();
    if (t.name != file.stem().string())
        throw InputError(where(file, y["name"]) + ": name = " + t.name + ": must equal the file name (" + file.stem().string() + ")");
    const std::string kind = y["kind"].as<std::string>();
    if (kind != "radio" && kind != "access-radio" && kind != "fibre")
        throw InputError(where(file, y["kind"]) + ": kind = " + kind + ": must be radio, access-radio or fibre");
    t.kind = kind == "radio" ? BackhaulKind::radio : kind == "fibre" ? BackhaulKind::fibre : BackhaulKind::access_radio;
    t.description = y["description"] ? y["description"].as<std::string>() : "";
    if (const YAML::Node o = y["opt_in"]) {
        if (!o.IsScalar() || (o.Scalar() != "true" && o.Scalar() != "false"))
            throw InputError(where(file, o) + ": opt_in: must be true or false");
        t.opt_in = o.Scalar() == "true";
    }
    if (t.kind != BackhaulKind::access_radio) t.capacity_mbps = sourced(file, y, src, "capacity_mbps", 0.001, 1e6);
    t.max_hop_m = sourced(file, y, src, "max_hop_m", 1.0, 200000.0);
    if (t.kind == BackhaulKind::access_radio) {
        only_keys(file, y, {"name", "kind", "description", "opt_in", "sources", "access_profile", "needs_access_sites",
                            "access_overrides", "fade_margin_db", "max_hop_m", "cost"}, "");
        if (!y["access_profile"]) throw InputError(file.string() + ": access_profile: required profile name is missing");
        t.access_profile = y["access_profile"].as<std::string>();
        if (const YAML::Node s = y["needs_access_sites"]) {
            if (!s.IsScalar() || (s.Scalar() != "true" && s.Scalar() != "false"))
                throw InputError(where(file, s) + ": needs_access_sites: must be true or false");
            t.needs_access_sites = s.Scalar() == "true";
        }
        if (const YAML::Node ov = y["access_overrides"]) {
            if (!ov.IsMap()) throw InputError(where(file, ov) + ": access_overrides: must be a map FIELD: {value, source, status}");
            for (const auto& kv : ov) {
                const auto key = kv.first.as<std::string>();
                const double v = sourced(file, ov, src, key, -1e6, 1e6);  // the link layer checks the field's range
                t.access_overrides.emplace_back(key, num(v));
            }
        }
        t.fade_margin_db = sourced(file, y, src, "fade_margin_db", 0.0, 60.0);
        try {
            t.access = std::make_shared<const link::Technology>(
                link::load_technology(t.access_profile, t.access_overrides, file.parent_path().parent_path()));
        } catch (const InputError& e) {
            throw InputError(file.string() + ": access_profile " + t.access_profile + " with access_overrides: " + e.what());
        }
        link::check_regulatory(*t.access, true);
        t.f_ghz = t.access->f_center_mhz / 1000.0;
        t.channel_mhz = t.access->bandwidth_mhz;
    } else if (t.kind == BackhaulKind::radio) {
        only_keys(file, y, {"name", "kind", "description", "opt_in", "sources", "f_ghz", "channel_mhz", "capacity_mbps", "tx_power_dbm",
                            "antenna_gain_dbi", "other_losses_db", "rx_threshold_dbm", "polarization_tilt_deg", "max_hop_m", "cost"}, "");
        t.f_ghz = sourced(file, y, src, "f_ghz", 1.0, 100.0);  // P.530 / P.838 validity
        t.channel_mhz = sourced(file, y, src, "channel_mhz", 0.001, 10000.0);
        t.tx_power_dbm = sourced(file, y, src, "tx_power_dbm", -30.0, 60.0);
        t.antenna_gain_dbi = sourced(file, y, src, "antenna_gain_dbi", -10.0, 60.0);
        t.other_losses_db = sourced(file, y, src, "other_losses_db", 0.0, 30.0);
        t.rx_threshold_dbm = sourced(file, y, src, "rx_threshold_dbm", -130.0, 0.0);
        t.polarization_tilt_deg = sourced(file, y, src, "polarization_tilt_deg", 0.0, 90.0);
    } else {
        only_keys(file, y, {"name", "kind", "description", "opt_in", "sources", "capacity_mbps", "detour_factor", "max_hop_m", "cost"}, "");
        t.detour_factor = sourced(file, y, src, "detour_factor", 1.0, 5.0);
    }
    const YAML::Node c = y["cost"];
    if (!c || !c.IsMap()) throw InputError(file.string() + ": cost: required map {catalogue_item, units, scale} is missing");
    only_keys(file, c, {"catalogue_item", "units", "scale"}, "cost.");
    if (!c["catalogue_item"]) throw InputError(where(file, c) + ": cost.catalogue_item: required catalogue id is missing");
    t.catalogue_item = c["catalogue_item"].as<std::string>();
    t.cost_units = sourced(file, c, src, "units", 0.0, 100.0);
    t.cost_scale = sourced(file, c, src, "scale", 0.0, 100.0);
    return t;
}

std::vector<BackhaulTechnology> load_backhaul_technologies(const fs::path& dir, const std::vector<std::string>& names,
                                                           const std::string& field) {
    if (!fs::is_directory(dir)) throw InputError(dir.string() + ": backhaul technology folder not found");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".yaml" && e.path().filename() != "design-criteria.yaml")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<BackhaulTechnology> out;
    if (names.empty()) {
        for (const auto& f : files) {
            BackhaulTechnology t = load_backhaul_technology(f);
            if (!t.opt_in) out.push_back(std::move(t));
        }
        if (out.empty()) throw InputError(dir.string() + ": no backhaul technology (*.yaml) found");
        return out;
    }
    for (const auto& name : names) {
        const auto it = std::find_if(files.begin(), files.end(), [&](const fs::path& f) { return f.stem() == name; });
        if (it == files.end()) {
            std::string valid;
            for (const auto& f : files) valid += (valid.empty() ? "" : ", ") + f.stem().string();
            throw InputError(field + " " + name + ": unknown backhaul technology (valid: " + valid + ")");
        }
        out.push_back(load_backhaul_technology(*it));
    }
    return out;
}

void validate(const DesignCriteria& c) {
    auto in = [](double v, double lo, double hi, const char* name) {
        if (!(v >= lo && v <= hi))
            throw InputError(std::string("design criteria: ") + name + " = " + num(v) + ": must be in [" + num(lo) + ", " +
                             num(hi) + "]");
    };
    in(c.k_median, 0.1, 10.0, "k_median");
    in(c.k_worst, 0.1, 10.0, "k_worst");
    in(c.f1_fraction_median, -1.0, 2.0, "f1_fraction_median");
    in(c.f1_fraction_worst, -1.0, 2.0, "f1_fraction_worst");
    in(c.target_availability_pct, 90.0, 99.99999, "target_availability_pct");
    in(c.r001_mm_per_h, 0.0, 300.0, "r001_mm_per_h");
    in(c.dn1_n_per_km, -2000.0, 0.0, "dn1_n_per_km");
    in(c.terrain_roughness_m, 0.0, 1000.0, "terrain_roughness_m");
    in(c.latitude_deg, -90.0, 90.0, "latitude_deg");
    in(c.profile_spacing_m, 1.0, 1000.0, "profile_spacing_m");
}

DesignCriteria load_design_criteria(const fs::path& file) {
    const YAML::Node y = load(file);
    const YAML::Node src = y["sources"];
    if (!src || !src.IsMap()) throw InputError(file.string() + ": sources: required map KEY: citation is missing");
    only_keys(file, y, {"sources", "k_median", "k_worst", "f1_fraction_median", "f1_fraction_worst", "target_availability_pct",
                        "r001_mm_per_h", "dn1_n_per_km", "terrain_roughness_m", "latitude_deg", "profile_spacing_m"}, "");
    DesignCriteria c;
    c.k_median = sourced(file, y, src, "k_median", 0.1, 10.0);
    c.k_worst = sourced(file, y, src, "k_worst", 0.1, 10.0);
    c.f1_fraction_median = sourced(file, y, src, "f1_fraction_median", -1.0, 2.0);
    c.f1_fraction_worst = sourced(file, y, src, "f1_fraction_worst", -1.0, 2.0);
    c.target_availability_pct = sourced(file, y, src, "target_availability_pct", 90.0, 99.99999);
    c.r001_mm_per_h = sourced(file, y, src, "r001_mm_per_h", 0.0, 300.0);
    c.dn1_n_per_km = sourced(file, y, src, "dn1_n_per_km", -2000.0, 0.0);
    c.terrain_roughness_m = sourced(file, y, src, "terrain_roughness_m", 0.0, 1000.0);
    c.latitude_deg = sourced(file, y, src, "latitude_deg", -90.0, 90.0);
    c.profile_spacing_m = sourced(file, y, src, "profile_spacing_m", 1.0, 1000.0);
    return c;
}

LinkCost link_cost(const BackhaulTechnology& tech, const econ::Catalogue& catalogue, double length_m) {
    const econ::CatalogueItem& item = catalogue.item(tech.catalogue_item);
    const double per = tech.cost_units * tech.cost_scale *
                       (tech.kind == BackhaulKind::fibre ? length_m / 1000.0 : 1.0);
    return {item.capex_jpy * per, item.opex_jpy_per_year * per};
}

double total_cost_jpy(const LinkCost& cost, int horizon_years, double discount_rate) {
    double pv = cost.capex_jpy;
    for (int t = 1; t <= horizon_years; ++t) pv += econ::present_value_jpy(cost.opex_jpy_per_year, discount_rate, t);
    return pv;
}

}  // namespace dxplan::net
