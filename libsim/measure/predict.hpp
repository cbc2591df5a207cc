// dxplan measure: the model's prediction at each measured point, residuals and their statistics.
//
// measured loss = EIRP (per resource element for RSRP) + receive gain - received power (the inverse of
// link::received_power_dbm); predicted loss = the registry model over the terrain profile from the site to the
// point (libsim/geo extract_profile at the DEM's native spacing, as `dxplan p2p` does); residual = measured -
// predicted (positive: the model is optimistic).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "libsim/measure/calibration.hpp"
#include "libsim/measure/measurements.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::measure {

struct PredictionSetup {
    LatLon site;
    double h_tx_m = 30.0;           // transmitter antenna above ground
    double h_rx_m = 1.5;            // receiver, when the measurement has no height
    std::string model = "itm";      // registry name
    prop::LossQuery params;         // f_mhz (when a point has none) and the model's options
    double eirp_dbm = 0.0;          // total EIRP of the transmitter
    double rsrp_re_offset_db = 0.0; // EIRP - EIRP per resource element (10 log10(12 N_PRB)), applied to RSRP
    double rx_gain_db = 0.0;        // receive antenna gain minus cable and body losses
};

struct PointComparison {
    std::size_t line = 0;
    LatLon pos;
    double d_m = 0.0;
    std::string category;           // land-cover clutter category, "unknown" without land cover
    double measured_loss_db = 0.0;
    double predicted_loss_db = 0.0;
    double residual_db = 0.0;       // measured - predicted
};

// Throws InputError naming the measurement file and line for a point outside the terrain, at the site
// (d < 1 m), or rejected by the model.
std::vector<PointComparison> compare_with_model(const Terrain& terrain, const LandCover* land_cover,
                                                const MeasurementSet& set, const PredictionSetup& setup);

struct ErrorStats {
    std::size_t n = 0;
    double mean_db = 0.0;  // mean error (bias)
    double rmse_db = 0.0;
    double sd_db = 0.0;    // sample standard deviation (n - 1)
};
ErrorStats error_stats(const std::vector<double>& errors_db);

struct ResidualSummary {
    ErrorStats all;
    std::map<std::string, ErrorStats> by_category;
    std::vector<std::pair<std::string, ErrorStats>> by_band;  // "0-1 km", "1-2 km", "2-5 km", "5-10 km", ">10 km"
};
// The residuals `r` (same order as `points`) summarised overall, per category and per distance band.
ResidualSummary summarize(const std::vector<PointComparison>& points, const std::vector<double>& r);

// The fit's inputs from the comparisons.
std::vector<CalibrationPoint> calibration_points(const std::vector<PointComparison>& points);

}  // namespace dxplan::measure
