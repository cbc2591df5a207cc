// Technology profiles: YAML loading, validation, overrides and mode-table resolution.
// Schema: models/technology/README.md. yaml-cpp stays in this file (ARCHITECTURE.md 9).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "libsim/core/error.hpp"
#include "models/propagation/model.hpp"
#include "libsim/core/units.hpp"
#include "libsim/link/link.hpp"
#include "libsim/core/data_dir.hpp"

namespace dxplan::link {

namespace fs = std::filesystem;

std::string_view to_string(Status s) {
    switch (s) {
        case Status::verified: return "verified";
        case Status::derived: return "derived";
        case Status::quoted_not_rechecked: return "quoted-not-rechecked";
        case Status::unsourced_estimate: return "unsourced-estimate";
    }
    return "?";
}

std::string_view to_string(Family f) {
    switch (f) {
        case Family::nr: return "nr";
        case Family::wifi: return "wifi";
        case Family::halow: return "halow";
        case Family::lora: return "lora";
        case Family::sigfox: return "sigfox";
        case Family::cellular_iot: return "cellular-iot";
    }
    return "?";
}

std::string_view to_string(Direction d) { return d == Direction::downlink ? "downlink" : "uplink"; }

namespace {

std::string fmt(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// Loading context: the file (for messages), its source keys, and where provenance goes.
struct Ctx {
    fs::path file;
    std::map<std::string, std::string> sources;
    std::vector<Provenance>* provenance = nullptr;

    [[noreturn]] void fail(const std::string& field, const std::string& msg) const {
        throw InputError(file.string() + ": " + field + ": " + msg);
    }
};

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

void check_keys(const Ctx& c, const YAML::Node& map, const std::string& path, std::initializer_list<const char*> allowed) {
    if (!map.IsMap()) c.fail(path.empty() ? "(top level)" : path, "must be a mapping");
    for (const auto& kv : map) {
        const auto key = kv.first.as<std::string>();
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
            std::string valid;
            for (const char* a : allowed) valid += (valid.empty() ? "" : ", ") + std::string(a);
            c.fail(join(path, key), "unknown key; valid keys here are " + valid);
        }
    }
}

std::vector<std::string> id_list(const Ctx& c, const YAML::Node& n, const std::string& field) {
    std::vector<std::string> out;
    if (n.IsScalar()) return {n.as<std::string>()};
    if (!n.IsSequence()) c.fail(field, "must be a catalogue item id or a list of them");
    for (const auto& v : n) out.push_back(v.as<std::string>());
    return out;
}

// cost_kit: {operator: bool, items: [ids], devices: {<demand kind>: id or [ids]}}.
CostKit parse_cost_kit(const Ctx& c, const YAML::Node& n) {
    check_keys(c, n, "cost_kit", {"operator", "items", "devices"});
    CostKit k;
    k.present = true;
    if (n["operator"]) k.operator_network = n["operator"].as<bool>();
    if (n["items"]) k.items = id_list(c, n["items"], "cost_kit.items");
    if (const YAML::Node d = n["devices"]) {
        if (!d.IsMap()) c.fail("cost_kit.devices", "must be a mapping <demand kind>: catalogue item id(s)");
        for (const auto& kv : d) {
            const auto name = kv.first.as<std::string>();
            const auto kind = parse_demand_kind(name);
            if (!kind) c.fail("cost_kit.devices." + name, "not a demand kind: must be one of " + demand_kind_names());
            k.devices[index_of(*kind)] = id_list(c, kv.second, "cost_kit.devices." + name);
        }
    }
    return k;
}

Status parse_status(const Ctx& c, const std::string& field, const std::string& s) {
    if (s == "verified") return Status::verified;
    if (s == "derived") return Status::derived;
    if (s == "quoted-not-rechecked") return Status::quoted_not_rechecked;
    if (s == "unsourced-estimate") return Status::unsourced_estimate;
    c.fail(field + ".status", "'" + s + "': must be verified, derived, quoted-not-rechecked or unsourced-estimate");
}

// Checks a {source, status[, note]} block and returns its provenance (value filled by the caller).
Provenance provenance_of(const Ctx& c, const YAML::Node& n, const std::string& field) {
    if (!n["source"] || !n["status"]) c.fail(field, "needs both source: and status:");
    Provenance p;
    p.field = field;
    const auto key = n["source"].as<std::string>();
    if (key == "override") {
        p.source = "override";
    } else {
        const auto it = c.sources.find(key);
        if (it == c.sources.end()) c.fail(field + ".source", "'" + key + "' is not a key of sources:");
        p.source = key + ": " + it->second;
    }
    p.status = parse_status(c, field, n["status"].as<std::string>());
    if (n["note"]) p.note = n["note"].as<std::string>();
    return p;
}

// A sourced value {value, source, status[, note][, rule]}; returns the value node and records provenance.
YAML::Node quantity(const Ctx& c, const YAML::Node& parent, const std::string& path, const char* key,
                    std::string* rule = nullptr) {
    const std::string field = join(path, key);
    const YAML::Node n = parent[key];
    if (!n) c.fail(field, "missing");
    if (!n.IsMap() || !n["value"])
        c.fail(field, "must be {value: ..., source: KEY, status: verified|derived|quoted-not-rechecked|unsourced-estimate}");
    check_keys(c, n, field, {"value", "source", "status", "note", "rule"});
    Provenance p = provenance_of(c, n, field);
    p.value = n["value"].IsScalar() ? n["value"].as<std::string>() : "(list)";
    if (n["rule"]) {
        if (rule) *rule = n["rule"].as<std::string>();
        p.note = (p.note.empty() ? "" : p.note + "; ") + "rule: " + n["rule"].as<std::string>();
    }
    c.provenance->push_back(std::move(p));
    return n["value"];
}

double number(const Ctx& c, const YAML::Node& parent, const std::string& path, const char* key, double lo, double hi,
              const char* unit, std::string* rule = nullptr) {
    const YAML::Node v = quantity(c, parent, path, key, rule);
    double x = 0.0;
    try {
        x = v.as<double>();
    } catch (const YAML::Exception&) {
        c.fail(join(path, key), "'" + v.as<std::string>("?") + "' is not a number");
    }
    if (!(x >= lo && x <= hi))
        c.fail(join(path, key), "= " + fmt(x) + ": must be in [" + fmt(lo) + ", " + fmt(hi) + "] " + unit);
    return x;
}

int integer(const Ctx& c, const YAML::Node& parent, const std::string& path, const char* key, int lo, int hi) {
    const double x = number(c, parent, path, key, lo, hi, "");
    if (x != std::floor(x)) c.fail(join(path, key), "= " + fmt(x) + ": must be an integer");
    return static_cast<int>(x);
}

bool boolean(const Ctx& c, const YAML::Node& parent, const std::string& path, const char* key, std::string* rule = nullptr) {
    const YAML::Node v = quantity(c, parent, path, key, rule);
    try {
        return v.as<bool>();
    } catch (const YAML::Exception&) {
        c.fail(join(path, key), "must be true or false");
    }
}

std::string text(const Ctx& c, const YAML::Node& parent, const std::string& path, const char* key) {
    return quantity(c, parent, path, key).as<std::string>();
}

Limit limit(const Ctx& c, const YAML::Node& parent, const std::string& path, const char* key, double lo, double hi,
            const char* unit) {
    Limit l;
    if (!parent[key]) return l;
    l.value = number(c, parent, path, key, lo, hi, unit, &l.rule);
    if (l.rule.empty()) c.fail(join(path, key), "a regulatory limit needs rule: naming the rule");
    return l;
}

Station station(const Ctx& c, const YAML::Node& root, const char* key) {
    const YAML::Node n = root[key];
    if (!n) c.fail(key, "missing");
    check_keys(c, n, key, {"tx_power_dbm", "antenna_gain_dbi", "cable_loss_db", "noise_figure_db"});
    Station s;
    s.tx_power_dbm = number(c, n, key, "tx_power_dbm", -30.0, 80.0, "dBm");
    s.antenna_gain_dbi = number(c, n, key, "antenna_gain_dbi", -20.0, 60.0, "dBi");
    s.cable_loss_db = number(c, n, key, "cable_loss_db", 0.0, 30.0, "dB");
    s.noise_figure_db = number(c, n, key, "noise_figure_db", 0.0, 20.0, "dB");
    return s;
}

// A mode table as read, before it is resolved into required SNRs and rates for one direction.
struct RawMode {
    std::string name;
    double sf = 0, qm = 0, code_rate_x1024 = 0, snr_db = NAN, sensitivity_dbm = NAN, mcl_db = NAN, phy_rate_mbps = 0;
};

std::vector<RawMode> mode_table(const Ctx& c, const YAML::Node& n, const std::string& path) {
    if (!n) c.fail(path, "missing");
    check_keys(c, n, path, {"columns", "provenance", "rows"});
    if (!n["columns"] || !n["columns"].IsSequence() || !n["rows"] || !n["rows"].IsSequence())
        c.fail(path, "needs columns: [name, ...] and rows: [[...], ...]");
    const auto cols = n["columns"].as<std::vector<std::string>>();
    static const std::map<std::string, std::pair<double, double>> kRanges = {
        {"sf", {5, 12}}, {"qm", {1, 12}}, {"code_rate_x1024", {1, 1023}}, {"snr_db", {-40, 60}},
        {"sensitivity_dbm", {-200, 0}}, {"mcl_db", {50, 200}}, {"phy_rate_mbps", {0, 1e5}}};
    if (cols.empty() || cols.front() != "name") c.fail(path + ".columns", "the first column must be name");
    const YAML::Node prov = n["provenance"];
    for (std::size_t i = 1; i < cols.size(); ++i) {
        if (!kRanges.count(cols[i]))
            c.fail(path + ".columns", "unknown column '" + cols[i] +
                                          "'; valid: name, sf, qm, code_rate_x1024, snr_db, sensitivity_dbm, mcl_db, phy_rate_mbps");
        if (!prov || !prov[cols[i]]) c.fail(path + ".provenance." + cols[i], "every numeric column needs source: and status:");
        const std::string field = path + "[]." + cols[i];
        check_keys(c, prov[cols[i]], path + ".provenance." + cols[i], {"source", "status", "note"});
        Provenance p = provenance_of(c, prov[cols[i]], field);
        p.value = "(table column)";
        c.provenance->push_back(std::move(p));
    }
    if (prov)
        for (const auto& kv : prov)
            if (std::find(cols.begin() + 1, cols.end(), kv.first.as<std::string>()) == cols.end())
                c.fail(path + ".provenance." + kv.first.as<std::string>(), "not a column of this table");
    const int need_req = static_cast<int>(std::count(cols.begin(), cols.end(), "snr_db") +
                                          std::count(cols.begin(), cols.end(), "sensitivity_dbm") +
                                          std::count(cols.begin(), cols.end(), "mcl_db"));
    if (need_req != 1) c.fail(path + ".columns", "needs exactly one of snr_db, sensitivity_dbm, mcl_db");

    std::vector<RawMode> out;
    int r = 0;
    for (const auto& row : n["rows"]) {
        const std::string rp = path + ".rows[" + std::to_string(r++) + "]";
        if (!row.IsSequence() || row.size() != cols.size())
            c.fail(rp, "must be a list of " + std::to_string(cols.size()) + " values (columns)");
        RawMode m;
        m.name = row[0].as<std::string>();
        for (std::size_t i = 1; i < cols.size(); ++i) {
            double x = 0;
            try {
                x = row[i].as<double>();
            } catch (const YAML::Exception&) {
                c.fail(rp + "." + cols[i], "is not a number");
            }
            const auto [lo, hi] = kRanges.at(cols[i]);
            if (!(x >= lo && x <= hi)) c.fail(rp + "." + cols[i], "= " + fmt(x) + ": must be in [" + fmt(lo) + ", " + fmt(hi) + "]");
            if (cols[i] == "sf") m.sf = x;
            else if (cols[i] == "qm") m.qm = x;
            else if (cols[i] == "code_rate_x1024") m.code_rate_x1024 = x;
            else if (cols[i] == "snr_db") m.snr_db = x;
            else if (cols[i] == "sensitivity_dbm") m.sensitivity_dbm = x;
            else if (cols[i] == "mcl_db") m.mcl_db = x;
            else m.phy_rate_mbps = x;
        }
        out.push_back(m);
    }
    if (out.empty()) c.fail(path + ".rows", "must not be empty");
    return out;
}

struct RawDirection {
    DirectionSpec spec;
    std::vector<RawMode> modes;
};

RawDirection direction(const Ctx& c, const YAML::Node& root, const char* key, Family fam) {
    const YAML::Node n = root[key];
    if (!n) c.fail(key, "missing");
    check_keys(c, n, key, {"layers", "overhead", "app_efficiency", "shannon", "modes"});
    RawDirection d;
    d.spec.layers = integer(c, n, key, "layers", 1, 8);
    if (fam == Family::lora && d.spec.layers != 1) c.fail(join(key, "layers"), "LoRa has one layer");
    if (fam == Family::nr) d.spec.overhead = number(c, n, key, "overhead", 0.0, 0.5, "(fraction)");
    else if (n["overhead"]) c.fail(join(key, "overhead"), "only for family nr (TS 38.306 OH)");
    d.spec.app_efficiency = number(c, n, key, "app_efficiency", 1e-6, 1.0, "(fraction)");
    if (const YAML::Node s = n["shannon"]) {
        const std::string sp = join(key, "shannon");
        check_keys(c, s, sp, {"alpha", "snr_min_db", "snr_max_db", "se_max_bps_per_hz"});
        d.spec.has_shannon = true;
        d.spec.shannon.alpha = number(c, s, sp, "alpha", 0.05, 1.0, "");
        d.spec.shannon.snr_min_db = number(c, s, sp, "snr_min_db", -30, 30, "dB");
        d.spec.shannon.snr_max_db = number(c, s, sp, "snr_max_db", -30, 60, "dB");
        d.spec.shannon.se_max_bps_per_hz = number(c, s, sp, "se_max_bps_per_hz", 0.01, 20, "b/s/Hz");
        if (d.spec.shannon.snr_max_db <= d.spec.shannon.snr_min_db) c.fail(sp, "snr_max_db must exceed snr_min_db");
    }
    d.modes = mode_table(c, n["modes"], join(key, "modes"));
    return d;
}

Family parse_family(const Ctx& c, const std::string& s) {
    for (Family f : {Family::nr, Family::wifi, Family::halow, Family::lora, Family::sigfox, Family::cellular_iot})
        if (to_string(f) == s) return f;
    c.fail("family", "'" + s + "': must be nr, wifi, halow, lora, sigfox or cellular-iot");
}

// Applies one dotted-path override to the YAML tree.
void apply_override(const Ctx& c, YAML::Node root, const std::string& path, const std::string& value) {
    std::vector<std::string> keys;
    std::stringstream ss(path);
    for (std::string k; std::getline(ss, k, '.');) keys.push_back(k);
    if (keys.empty()) c.fail("override", "empty field path");
    if (keys.front() == "name" || keys.front() == "family" || keys.front() == "sources")
        c.fail("override " + path, "cannot be overridden");
    YAML::Node n = root;
    for (const auto& k : keys) {
        if (!n.IsMap() || !n[k]) c.fail("override " + path, "no such field in the profile");
        n.reset(n[k]);  // rebind (operator= would overwrite the parent's content)
    }
    if (n.IsMap() && n["value"]) {
        n["value"] = value;
        n["source"] = "override";
        n["status"] = "unsourced-estimate";
        n.remove("note");
    } else if (n.IsScalar()) {
        n = value;
    } else {
        c.fail("override " + path, "is a table or section; override its fields one by one");
    }
}

// Resolves the raw modes of one direction: required SNR at the receiver, PHY and application rates.
// `own` is the profile as written, before --set overrides: an MCL row is a property of the profile's own
// transmitter and receiver, so it is turned into a required SNR with their power and noise, and an override of
// tx power, noise figure or bandwidth then moves the link budget instead of cancelling out. A sensitivity row
// likewise holds the profile's own receiver noise.
void resolve(Technology& t, const Technology& own, Direction d, const std::vector<RawMode>& raw) {
    DirectionSpec& spec = d == Direction::downlink ? t.downlink : t.uplink;
    const double own_tx_dbm = own.transmitter(d).tx_power_dbm;
    const double own_noise_dbm = noise_floor_dbm(own.noise_bandwidth_mhz * 1e6, own.receiver(d).noise_figure_db);
    const double duty = t.reg.max_duty_cycle.present() ? t.reg.max_duty_cycle.value : 1.0;
    spec.modes.clear();
    for (const auto& r : raw) {
        Mode m;
        m.name = r.name;
        if (!std::isnan(r.snr_db)) m.snr_db = r.snr_db;
        else if (!std::isnan(r.sensitivity_dbm)) m.snr_db = r.sensitivity_dbm - own_noise_dbm;  // sens = N + SNR_req
        else m.snr_db = (own_tx_dbm - r.mcl_db) - own_noise_dbm;  // MCL = P_tx - sensitivity (TR 45.820 §5.1)
        if (t.family == Family::nr) {
            if (r.qm <= 0 || r.code_rate_x1024 <= 0)
                throw InputError(t.file.string() + ": " + std::string(to_string(d)) + ".modes: family nr needs qm and code_rate_x1024 columns");
            const double se = r.qm * r.code_rate_x1024 / 1024.0;  // TS 38.214 Table 5.1.3.1-x: Qm * R
            m.phy_rate_mbps = nr_rate_mbps(1.0, se, t.nr.n_prb, t.nr.scs_khz, spec.overhead) * spec.time_fraction;
            m.app_rate_mbps = m.phy_rate_mbps * spec.app_efficiency;
        } else if (t.family == Family::lora) {
            if (r.sf <= 0) throw InputError(t.file.string() + ": " + std::string(to_string(d)) + ".modes: family lora needs an sf column");
            m.sf = static_cast<int>(r.sf);
            const LoraParams& L = t.lora;
            m.phy_rate_mbps = lora_bit_rate_bps(m.sf, L.bandwidth_khz, L.coding_rate) * 1e-6;
            m.time_on_air_ms = lora_time_on_air_ms(m.sf, L.bandwidth_khz, L.app_payload_bytes + L.mac_overhead_bytes,
                                                   L.coding_rate, L.preamble_symbols, L.explicit_header, L.crc);
            if (t.reg.max_tx_time_ms.present() && m.time_on_air_ms > t.reg.max_tx_time_ms.value) {
                t.notes.push_back(std::string(to_string(d)) + " " + m.name + " dropped: time on air " + fmt(m.time_on_air_ms) +
                                  " ms > " + fmt(t.reg.max_tx_time_ms.value) + " ms (" + t.reg.max_tx_time_ms.rule + ")");
                continue;
            }
            // Back-to-back frames of the application payload, each followed by the mandatory pause, and
            // never above the duty-cycle limit.
            const double pause_ms = t.reg.min_pause_ms.present() ? t.reg.min_pause_ms.value : 0.0;
            const double airtime = std::min(m.time_on_air_ms / (m.time_on_air_ms + pause_ms), duty);
            m.app_rate_mbps = L.app_payload_bytes * 8.0 / (m.time_on_air_ms * 1e-3) * airtime * 1e-6 * spec.app_efficiency;
        } else {
            if (r.phy_rate_mbps <= 0)
                throw InputError(t.file.string() + ": " + std::string(to_string(d)) + ".modes: needs a phy_rate_mbps column");
            m.phy_rate_mbps = r.phy_rate_mbps * spec.time_fraction;
            m.app_rate_mbps = m.phy_rate_mbps * spec.app_efficiency * duty;
        }
        // The same mode on L layers / spatial streams: the power splits, so each layer needs 10 log10(L) dB more.
        for (int layers = 1; layers <= spec.layers; ++layers) {
            Mode ml = m;
            ml.layers = layers;
            if (layers > 1) {
                ml.name += " x" + std::to_string(layers);
                ml.snr_db += ratio_to_db(layers);
                ml.phy_rate_mbps *= layers;
                ml.app_rate_mbps *= layers;
            }
            spec.modes.push_back(ml);
        }
    }
    if (spec.modes.empty())
        throw InputError(t.file.string() + ": " + std::string(to_string(d)) + ".modes: no mode satisfies the transmission-time rule");
    std::stable_sort(spec.modes.begin(), spec.modes.end(), [](const Mode& a, const Mode& b) { return a.snr_db < b.snr_db; });
}

}  // namespace

fs::path default_technology_dir() { return data_dir() / "models" / "technology"; }

std::vector<std::string> list_technologies(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
    if (ec) throw InputError("technology folder " + dir.string() + ": " + ec.message());
    std::sort(names.begin(), names.end());
    return names;
}

Technology load_technology(std::string_view name, const Overrides& overrides, const fs::path& dir) {
    const fs::path file = dir / (std::string(name) + ".yaml");
    if (!fs::exists(file)) {
        std::string valid;
        for (const auto& n : list_technologies(dir)) valid += (valid.empty() ? "" : ", ") + n;
        throw InputError("unknown technology '" + std::string(name) + "': valid names are " + valid);
    }
    return load_technology_file(file, overrides);
}

namespace {

// The profile with overrides applied, parsed and resolved, before the regulatory check.
Technology parse_technology(const fs::path& file, const Overrides& overrides) {
    Technology t;
    t.file = file;
    Ctx c{file, {}, &t.provenance};
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        throw InputError(file.string() + ": cannot be read");
    } catch (const YAML::Exception& e) {
        throw InputError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    try {
        check_keys(c, root, "", {"name", "family", "description", "sources", "rate_model", "channel", "regulatory",
                                 "base", "terminal", "downlink", "uplink", "nr", "lora", "cost_kit", "coverage", "mobility"});
        if (!root["sources"] || !root["sources"].IsMap()) c.fail("sources", "missing: a mapping KEY: citation");
        for (const auto& kv : root["sources"]) c.sources[kv.first.as<std::string>()] = kv.second.as<std::string>();
        for (const auto& [path, value] : overrides) apply_override(c, root, path, value);

        if (!root["name"]) c.fail("name", "missing");
        t.name = root["name"].as<std::string>();
        if (t.name != file.stem().string()) c.fail("name", "'" + t.name + "' must equal the file name '" + file.stem().string() + "'");
        if (!root["family"]) c.fail("family", "missing");
        t.family = parse_family(c, root["family"].as<std::string>());
        t.description = root["description"] ? root["description"].as<std::string>() : "";
        if (root["rate_model"]) {
            const auto rm = root["rate_model"].as<std::string>();
            if (rm == "mcs-table") t.rate_model = RateModel::mcs_table;
            else if (rm == "attenuated-shannon") t.rate_model = RateModel::attenuated_shannon;
            else c.fail("rate_model", "'" + rm + "': must be mcs-table or attenuated-shannon");
        }

        if (const YAML::Node cv = root["coverage"]) {  // optional: the technology's own propagation model and reach
            check_keys(c, cv, "coverage", {"model", "radius_km"});
            if (cv["model"]) t.coverage_model = text(c, cv, "coverage", "model");
            if (cv["radius_km"]) t.coverage_radius_km = number(c, cv, "coverage", "radius_km", 0.05, 100.0, "km");
        }
        if (const YAML::Node mob = root["mobility"]) {  // optional: route handover interruption (libsim/route)
            check_keys(c, mob, "mobility", {"handover_interruption_ms"});
            t.handover_interruption_ms = number(c, mob, "mobility", "handover_interruption_ms", 0.0, 10000.0, "ms");
        }
        const YAML::Node ch = root["channel"];
        if (!ch) c.fail("channel", "missing");
        check_keys(c, ch, "channel", {"f_center_mhz", "bandwidth_mhz", "noise_bandwidth_mhz"});
        t.f_center_mhz = number(c, ch, "channel", "f_center_mhz", 1.0, 100000.0, "MHz");
        t.bandwidth_mhz = number(c, ch, "channel", "bandwidth_mhz", 1e-5, 2000.0, "MHz");
        if (!t.coverage_model.empty()) {  // the profile's own model must exist and be valid at its frequency
            const prop::ModelInfo* m = nullptr;
            try {
                m = &prop::find_model(t.coverage_model);
            } catch (const InputError& e) {
                c.fail("coverage.model", e.what());
            }
            if (t.f_center_mhz < m->f_min_mhz || t.f_center_mhz > m->f_max_mhz)
                c.fail("coverage.model", "= " + t.coverage_model + ": f_center_mhz = " + fmt(t.f_center_mhz) +
                                             " is outside the model's valid range " + prop::frequency_range_text(*m));
        }

        const YAML::Node rg = root["regulatory"];
        if (!rg) c.fail("regulatory", "missing");
        check_keys(c, rg, "regulatory", {"band_low_mhz", "band_high_mhz", "outdoor_allowed", "outdoor_low_mhz",
                                         "outdoor_high_mhz", "max_eirp_dbm", "max_psd_dbm_per_mhz", "max_tx_power_dbm",
                                         "carrier_sense_ms", "max_tx_time_ms", "min_pause_ms", "max_duty_cycle",
                                         "lbt_threshold_dbm"});
        Regulatory& R = t.reg;
        R.band_low_mhz = number(c, rg, "regulatory", "band_low_mhz", 1.0, 100000.0, "MHz", &R.band_rule);
        R.band_high_mhz = number(c, rg, "regulatory", "band_high_mhz", R.band_low_mhz, 100000.0, "MHz");
        R.outdoor_allowed = boolean(c, rg, "regulatory", "outdoor_allowed", &R.outdoor_rule);
        R.outdoor_low_mhz = limit(c, rg, "regulatory", "outdoor_low_mhz", 1.0, 100000.0, "MHz");
        R.outdoor_high_mhz = limit(c, rg, "regulatory", "outdoor_high_mhz", 1.0, 100000.0, "MHz");
        R.max_eirp_dbm = limit(c, rg, "regulatory", "max_eirp_dbm", -30.0, 90.0, "dBm");
        R.max_psd_dbm_per_mhz = limit(c, rg, "regulatory", "max_psd_dbm_per_mhz", -60.0, 90.0, "dBm/MHz");
        R.max_tx_power_dbm = limit(c, rg, "regulatory", "max_tx_power_dbm", -30.0, 90.0, "dBm");
        R.carrier_sense_ms = limit(c, rg, "regulatory", "carrier_sense_ms", 0.0, 1000.0, "ms");
        R.max_tx_time_ms = limit(c, rg, "regulatory", "max_tx_time_ms", 0.0, 1e6, "ms");
        R.min_pause_ms = limit(c, rg, "regulatory", "min_pause_ms", 0.0, 1e6, "ms");
        R.max_duty_cycle = limit(c, rg, "regulatory", "max_duty_cycle", 1e-6, 1.0, "(fraction)");
        R.lbt_threshold_dbm = limit(c, rg, "regulatory", "lbt_threshold_dbm", -150.0, 0.0, "dBm");

        t.base = station(c, root, "base");
        t.terminal = station(c, root, "terminal");

        if (t.family == Family::nr) {
            const YAML::Node n = root["nr"];
            if (!n) c.fail("nr", "missing (family nr needs scs_khz, n_prb, tdd_mode, tdd_patterns, special_*_symbols)");
            check_keys(c, n, "nr", {"scs_khz", "n_prb", "tdd_mode", "tdd_patterns", "special_dl_symbols",
                                    "special_gap_symbols", "special_ul_symbols"});
            NrNumerology& N = t.nr;
            N.scs_khz = number(c, n, "nr", "scs_khz", 15.0, 240.0, "kHz");
            const double mu = std::log2(N.scs_khz / 15.0);
            if (mu != std::floor(mu)) c.fail("nr.scs_khz", "= " + fmt(N.scs_khz) + ": must be 15, 30, 60, 120 or 240 kHz");
            N.n_prb = integer(c, n, "nr", "n_prb", 1, 275);
            N.tdd_mode = text(c, n, "nr", "tdd_mode");
            if (!n["tdd_patterns"] || !n["tdd_patterns"].IsMap()) c.fail("nr.tdd_patterns", "missing: name -> slot string");
            for (const auto& kv : n["tdd_patterns"]) {
                const auto key = kv.first.as<std::string>();
                N.tdd_patterns.emplace_back(key, text(c, n["tdd_patterns"], "nr.tdd_patterns", key.c_str()));
            }
            N.special_dl_symbols = integer(c, n, "nr", "special_dl_symbols", 0, 14);
            N.special_gap_symbols = integer(c, n, "nr", "special_gap_symbols", 0, 14);
            N.special_ul_symbols = integer(c, n, "nr", "special_ul_symbols", 0, 14);
            if (N.special_dl_symbols + N.special_gap_symbols + N.special_ul_symbols != 14)
                c.fail("nr.special_*_symbols", "must add up to 14 symbols");
        } else if (root["nr"]) {
            c.fail("nr", "only for family nr");
        }
        if (t.family == Family::lora) {
            const YAML::Node n = root["lora"];
            if (!n) c.fail("lora", "missing");
            check_keys(c, n, "lora", {"bandwidth_khz", "coding_rate", "preamble_symbols", "explicit_header", "crc",
                                      "app_payload_bytes", "mac_overhead_bytes"});
            LoraParams& L = t.lora;
            L.bandwidth_khz = number(c, n, "lora", "bandwidth_khz", 7.8, 500.0, "kHz");
            L.coding_rate = integer(c, n, "lora", "coding_rate", 1, 4);
            L.preamble_symbols = integer(c, n, "lora", "preamble_symbols", 6, 65535);
            L.explicit_header = boolean(c, n, "lora", "explicit_header");
            L.crc = boolean(c, n, "lora", "crc");
            L.app_payload_bytes = integer(c, n, "lora", "app_payload_bytes", 1, 242);
            L.mac_overhead_bytes = integer(c, n, "lora", "mac_overhead_bytes", 0, 64);
        } else if (root["lora"]) {
            c.fail("lora", "only for family lora");
        }

        if (ch["noise_bandwidth_mhz"]) {
            t.noise_bandwidth_mhz = number(c, ch, "channel", "noise_bandwidth_mhz", 1e-6, 2000.0, "MHz");
        } else if (t.family == Family::nr) {
            t.noise_bandwidth_mhz = t.nr.n_prb * 12 * t.nr.scs_khz * 1e-3;  // occupied subcarriers N_PRB * 12 * SCS
        } else {
            t.noise_bandwidth_mhz = t.bandwidth_mhz;
        }

        RawDirection dl = direction(c, root, "downlink", t.family);
        RawDirection ul = direction(c, root, "uplink", t.family);
        t.downlink = dl.spec;
        t.uplink = ul.spec;
        if (t.family == Family::nr) {
            const auto it = std::find_if(t.nr.tdd_patterns.begin(), t.nr.tdd_patterns.end(),
                                         [&](const auto& p) { return p.first == t.nr.tdd_mode; });
            if (it == t.nr.tdd_patterns.end()) c.fail("nr.tdd_mode", "'" + t.nr.tdd_mode + "' is not a key of nr.tdd_patterns");
            try {
                std::tie(t.downlink.time_fraction, t.uplink.time_fraction) =
                    tdd_fractions(it->second, t.nr.special_dl_symbols, t.nr.special_gap_symbols, t.nr.special_ul_symbols);
            } catch (const InputError& e) {
                c.fail("nr.tdd_patterns." + it->first, e.what());
            }
        }
        if (t.rate_model == RateModel::attenuated_shannon && (!t.downlink.has_shannon || !t.uplink.has_shannon))
            c.fail("rate_model", "attenuated-shannon needs downlink.shannon and uplink.shannon");
        if (const YAML::Node k = root["cost_kit"]) t.cost_kit = parse_cost_kit(c, k);
        const Technology own = overrides.empty() ? t : parse_technology(file, {});
        resolve(t, own, Direction::downlink, dl.modes);
        resolve(t, own, Direction::uplink, ul.modes);
    } catch (const YAML::Exception& e) {
        throw InputError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    return t;
}

}  // namespace

Technology load_technology_file(const fs::path& file, const Overrides& overrides) {
    Technology t = parse_technology(file, overrides);
    check_regulatory(t, false);
    return t;
}

void check_regulatory(const Technology& t, bool outdoor) {
    const Regulatory& R = t.reg;
    const std::string who = t.name + ": ";
    const double lo_mhz = t.f_center_mhz - t.bandwidth_mhz / 2.0, hi_mhz = t.f_center_mhz + t.bandwidth_mhz / 2.0;
    const double tol_mhz = 1e-9;
    if (lo_mhz < R.band_low_mhz - tol_mhz || hi_mhz > R.band_high_mhz + tol_mhz)
        throw InputError(R.band_rule + ": " + who + "channel " + fmt(lo_mhz) + "-" + fmt(hi_mhz) + " MHz outside the band " +
                         fmt(R.band_low_mhz) + "-" + fmt(R.band_high_mhz) + " MHz");
    if (outdoor) {
        if (!R.outdoor_allowed)
            throw InputError(R.outdoor_rule + ": " + who + "outdoor use is not allowed in this band/mode");
        if (R.outdoor_low_mhz.present() && lo_mhz < R.outdoor_low_mhz.value - tol_mhz)
            throw InputError(R.outdoor_low_mhz.rule + ": " + who + "outdoor use only above " + fmt(R.outdoor_low_mhz.value) +
                             " MHz; channel starts at " + fmt(lo_mhz) + " MHz");
        if (R.outdoor_high_mhz.present() && hi_mhz > R.outdoor_high_mhz.value + tol_mhz)
            throw InputError(R.outdoor_high_mhz.rule + ": " + who + "outdoor use only below " + fmt(R.outdoor_high_mhz.value) +
                             " MHz; channel ends at " + fmt(hi_mhz) + " MHz");
    }
    const double tol_db = 1e-6;
    for (const auto& [label, s] : {std::pair<const char*, const Station&>{"base", t.base}, {"terminal", t.terminal}}) {
        const double eirp_dbm = s.tx_power_dbm + s.antenna_gain_dbi - s.cable_loss_db;
        char buf[320];
        if (R.max_tx_power_dbm.present() && s.tx_power_dbm > R.max_tx_power_dbm.value + tol_db) {
            std::snprintf(buf, sizeof buf, "%s: %s%s antenna power %.1f dBm > %.1f dBm limit", R.max_tx_power_dbm.rule.c_str(),
                          who.c_str(), label, s.tx_power_dbm, R.max_tx_power_dbm.value);
            throw InputError(buf);
        }
        if (R.max_eirp_dbm.present() && eirp_dbm > R.max_eirp_dbm.value + tol_db) {
            std::snprintf(buf, sizeof buf, "%s: %s%s EIRP %.1f dBm > %.1f dBm limit (tx %.1f dBm + antenna %.1f dBi - cable %.1f dB)",
                          R.max_eirp_dbm.rule.c_str(), who.c_str(), label, eirp_dbm, R.max_eirp_dbm.value, s.tx_power_dbm,
                          s.antenna_gain_dbi, s.cable_loss_db);
            throw InputError(buf);
        }
        const double psd = eirp_dbm - 10.0 * std::log10(t.bandwidth_mhz);  // EIRP spread evenly over the channel
        if (R.max_psd_dbm_per_mhz.present() && psd > R.max_psd_dbm_per_mhz.value + tol_db) {
            std::snprintf(buf, sizeof buf, "%s: %s%s EIRP density %.1f dBm/MHz > %.1f dBm/MHz limit", R.max_psd_dbm_per_mhz.rule.c_str(),
                          who.c_str(), label, psd, R.max_psd_dbm_per_mhz.value);
            throw InputError(buf);
        }
    }
}

}  // namespace dxplan::link
