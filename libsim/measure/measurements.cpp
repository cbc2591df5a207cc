// Measurement import (see measurements.hpp).
#include "libsim/measure/measurements.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "libsim/core/error.hpp"
#include "libsim/measure/csv_table.hpp"

namespace dxplan::measure {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kCanonical = {"lat_deg", "lon_deg", "height_m", "rsrp_dbm", "rssi_dbm",
                                             "snr_db",  "f_mhz",   "technology", "time"};

// Column index of a canonical name through the mapping; nullopt when absent.
std::optional<std::size_t> find_column(const CsvTable& t, const ColumnMapping& m, const std::string& canonical) {
    const auto it = m.find(canonical);
    return t.column(it == m.end() ? canonical : it->second);
}

std::string mapped_name(const ColumnMapping& m, const std::string& canonical) {
    const auto it = m.find(canonical);
    return it == m.end() ? canonical : it->second;
}

void check_range(const CsvTable& t, const CsvRow& row, std::size_t col, double v, double lo, double hi, const char* unit) {
    if (v >= lo && v <= hi) return;
    std::ostringstream o;
    o << t.where(row, col) << ": " << v << " " << unit << ": must be in [" << lo << ", " << hi << "] " << unit;
    throw InputError(o.str());
}

struct Columns {
    std::size_t lat = 0, lon = 0, power = 0;
    PowerKind kind = PowerKind::rsrp;
    std::optional<std::size_t> height, snr, f, tech, time;
};

Columns resolve_columns(const CsvTable& t, const ColumnMapping& m) {
    Columns c;
    for (const char* req : {"lat_deg", "lon_deg"}) {
        if (!find_column(t, m, req))
            throw InputError(t.file.string() + ":1: column " + mapped_name(m, req) + " (" + req + ") is missing");
    }
    c.lat = *find_column(t, m, "lat_deg");
    c.lon = *find_column(t, m, "lon_deg");
    if (auto r = find_column(t, m, "rsrp_dbm")) c.power = *r, c.kind = PowerKind::rsrp;
    else if (auto s = find_column(t, m, "rssi_dbm")) c.power = *s, c.kind = PowerKind::rssi;
    else
        throw InputError(t.file.string() + ":1: column " + mapped_name(m, "rsrp_dbm") + " or " + mapped_name(m, "rssi_dbm") +
                         " (received power, dBm) is missing");
    c.height = find_column(t, m, "height_m");
    c.snr = find_column(t, m, "snr_db");
    c.f = find_column(t, m, "f_mhz");
    c.tech = find_column(t, m, "technology");
    c.time = find_column(t, m, "time");
    return c;
}

// One row -> a measurement, or nullopt (reported in `excluded`) when a required cell is missing.
std::optional<Measurement> read_row(const CsvTable& t, const CsvRow& row, const Columns& c, std::vector<RowIssue>& excluded) {
    Measurement m;
    m.line = row.line;
    m.kind = c.kind;
    const auto lat = cell_number(t, row, c.lat);
    const auto lon = cell_number(t, row, c.lon);
    const auto p = cell_number(t, row, c.power);
    for (auto [v, col] : {std::pair{lat.has_value(), c.lat}, {lon.has_value(), c.lon}, {p.has_value(), c.power}})
        if (!v) excluded.push_back({row.line, t.header[col], "missing value: row excluded"});
    if (!lat || !lon || !p) return std::nullopt;
    check_range(t, row, c.lat, *lat, -90.0, 90.0, "deg");
    check_range(t, row, c.lon, *lon, -180.0, 180.0, "deg");
    check_range(t, row, c.power, *p, -200.0, 50.0, "dBm");
    m.pos = {*lat, *lon};
    m.power_dbm = *p;
    if (c.height) {
        m.height_m = cell_number(t, row, *c.height);
        if (m.height_m) check_range(t, row, *c.height, *m.height_m, 0.0, 3000.0, "m");
    }
    if (c.snr) m.snr_db = cell_number(t, row, *c.snr);
    if (c.f) {
        m.f_mhz = cell_number(t, row, *c.f);
        if (m.f_mhz) check_range(t, row, *c.f, *m.f_mhz, 1.0, 100000.0, "MHz");
    }
    if (c.tech) m.technology = row.cells[*c.tech];
    if (c.time) m.time = row.cells[*c.time];
    return m;
}

// GeoJSON Point features -> a CsvTable with the canonical columns (so both formats share the row rules).
CsvTable geojson_table(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string() + ": cannot be read (missing file or no permission)");
    if (in.peek() == std::ifstream::traits_type::eof()) throw InputError(file.string() + ": empty file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string() + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object() || !j.contains("features") || !j["features"].is_array())
        throw InputError(file.string() + ": must be a GeoJSON FeatureCollection");
    CsvTable t;
    t.file = file;
    std::set<std::string> props;
    for (const auto& f : j["features"])
        if (f.contains("properties") && f["properties"].is_object())
            for (const auto& [k, v] : f["properties"].items()) props.insert(k);
    t.header = {"lat_deg", "lon_deg"};
    t.header.insert(t.header.end(), props.begin(), props.end());
    std::size_t i = 0;
    for (const auto& f : j["features"]) {
        ++i;
        const auto& g = f.value("geometry", nlohmann::json{});
        if (!g.is_object() || g.value("type", "") != "Point" || !g["coordinates"].is_array() || g["coordinates"].size() < 2)
            throw InputError(file.string() + ": features[" + std::to_string(i - 1) + "]: geometry must be a Point");
        CsvRow row;
        row.line = i;
        auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : (v.is_null() ? "" : v.dump()); };
        row.cells = {text(g["coordinates"][1]), text(g["coordinates"][0])};
        for (const std::string& k : props) {
            const auto& pr = f.value("properties", nlohmann::json::object());
            row.cells.push_back(pr.contains(k) ? text(pr[k]) : "");
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

bool is_geojson(const fs::path& file) {
    const std::string e = file.extension().string();
    return e == ".geojson" || e == ".json";
}

}  // namespace

std::string_view to_string(PowerKind k) { return k == PowerKind::rsrp ? "rsrp" : "rssi"; }

ColumnMapping load_column_mapping(const fs::path& yaml) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(yaml.string());
    } catch (const YAML::Exception& e) {
        throw InputError(yaml.string() + ": " + e.what());
    }
    const YAML::Node cols = root["columns"];
    if (!cols || !cols.IsMap()) throw InputError(yaml.string() + ": needs a map `columns: {lat_deg: NAME, ...}`");
    ColumnMapping m;
    for (const auto& kv : cols) {
        const std::string key = kv.first.as<std::string>();
        if (std::find(kCanonical.begin(), kCanonical.end(), key) == kCanonical.end())
            throw InputError(yaml.string() + ":" + std::to_string(kv.first.Mark().line + 1) + ": columns." + key +
                             ": unknown; must be one of lat_deg, lon_deg, height_m, rsrp_dbm, rssi_dbm, snr_db, f_mhz, technology, time");
        m[key] = kv.second.as<std::string>();
    }
    return m;
}

MeasurementSet import_measurements(const fs::path& file, const ColumnMapping& mapping) {
    const CsvTable t = is_geojson(file) ? geojson_table(file) : read_csv_table(file);
    if (t.rows.empty()) throw InputError(file.string() + ": no data rows (a header only)");
    const Columns c = resolve_columns(t, mapping);
    MeasurementSet set;
    set.file = file;
    set.rows_read = t.rows.size();
    std::set<std::tuple<double, double, std::string, double>> seen;
    for (const CsvRow& row : t.rows) {
        std::optional<Measurement> m = read_row(t, row, c, set.excluded);
        if (!m) continue;
        if (!seen.insert({m->pos.lat_deg, m->pos.lon_deg, m->time, m->power_dbm}).second) {
            set.duplicates.push_back({row.line, "", "same position, time and value as an earlier row: dropped"});
            continue;
        }
        set.points.push_back(std::move(*m));
    }
    if (set.points.size() < 2)
        throw InputError(file.string() + ": " + std::to_string(set.points.size()) +
                         " usable row(s): at least 2 measurements are needed");
    return set;
}

std::vector<std::size_t> lines_outside(const MeasurementSet& set, const Terrain& terrain) {
    std::vector<std::size_t> out;
    for (const Measurement& m : set.points)
        if (!terrain.contains(m.pos)) out.push_back(m.line);
    return out;
}

void require_on_terrain(const MeasurementSet& set, const Terrain& terrain) {
    for (const Measurement& m : set.points) {
        if (terrain.contains(m.pos)) continue;
        std::ostringstream o;
        o.precision(8);
        o << set.file.string() << ":" << m.line << ", columns lat_deg, lon_deg = (" << m.pos.lat_deg << ", "
          << m.pos.lon_deg << "): outside the terrain";
        throw InputError(o.str());
    }
}

}  // namespace dxplan::measure
