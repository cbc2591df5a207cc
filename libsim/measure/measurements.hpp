// dxplan measure: drive-test and walk-test measurements (CSV or GeoJSON points), read into plain values.
//
// Columns (names are the canonical ones; a device's own names are mapped by a small YAML file, see
// docs/measurements.md):
//   lat_deg, lon_deg           WGS84 position (required)
//   height_m                   receiver antenna height above ground (optional)
//   rsrp_dbm | rssi_dbm        received power (at least one; RSRP per resource element, RSSI total)
//   snr_db                     optional, kept for the record (not used by the calibration)
//   f_mhz | technology         carrier frequency, or a technology profile name (optional)
//   time                       ISO 8601 text (optional; used to find duplicates)
// Rules: a missing cell (empty, NA, ...) in a required column excludes the row and is reported by line and
// column; any other text in a numeric column is an InputError naming file, line and column. Rows with the same
// position, time and value as an earlier row are duplicates: reported and dropped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libsim/terrain/terrain.hpp"

namespace dxplan::measure {

enum class PowerKind { rsrp, rssi };
std::string_view to_string(PowerKind k);

struct Measurement {
    std::size_t line = 0;  // line in the CSV (feature index + 1 for GeoJSON)
    LatLon pos;
    std::optional<double> height_m;
    double power_dbm = 0.0;
    PowerKind kind = PowerKind::rsrp;
    std::optional<double> snr_db;
    std::optional<double> f_mhz;
    std::string technology;
    std::string time;
};

// A note about one row: what was excluded and why.
struct RowIssue {
    std::size_t line = 0;
    std::string column;
    std::string message;
};

struct MeasurementSet {
    std::filesystem::path file;
    std::vector<Measurement> points;
    std::vector<RowIssue> excluded;    // missing cells
    std::vector<RowIssue> duplicates;  // dropped duplicate rows
    std::size_t rows_read = 0;
};

// Canonical column name -> the device's column name (YAML "columns: {lat_deg: Latitude, rsrp_dbm: RSRP}").
using ColumnMapping = std::map<std::string, std::string>;
ColumnMapping load_column_mapping(const std::filesystem::path& yaml);

// Reads a CSV (any other extension) or GeoJSON (.geojson/.json: Point features, properties with the same
// names). Throws InputError: empty file, fewer than 2 usable rows, a required column missing, text in a
// numeric column, a latitude/longitude outside [-90, 90] / [-180, 180], power outside [-200, 50] dBm.
MeasurementSet import_measurements(const std::filesystem::path& file, const ColumnMapping& mapping = {});

// Throws InputError "FILE:LINE: lat_deg, lon_deg = (..): outside the terrain (...)" for the first point the
// terrain does not contain.
void require_on_terrain(const MeasurementSet& set, const Terrain& terrain);

// Lines of points outside the terrain (for the import report).
std::vector<std::size_t> lines_outside(const MeasurementSet& set, const Terrain& terrain);

}  // namespace dxplan::measure
