// dxplan scenario layer: measured data in a run and in `dxplan calibrate`.
//  - apply_calibration: the one place a `propagation.calibration` correction enters the losses (called by
//    compute_site_loss for the loss grid and the demand points, so coverage and `dxplan run` both use it);
//  - measure_sections: the report's "Measurements" (scenario `measurements:`) and "Outcome evaluation"
//    (scenario `evaluation:`) data;
//  - calibrate_scenario: `dxplan calibrate`, the fit written as calibration.yaml with residual tables.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libsim/measure/calibration.hpp"
#include "libsim/output/report_measure.hpp"
#include "libsim/output/results.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/scenario/world.hpp"

namespace dxplan {

// Adds correction_db(c, distance from the site, clutter category at the point) to every finite cell of
// `loss_db` and to every finite demand loss. Land cover may be null (every point then gets the default offset).
void apply_calibration(const measure::Calibration& c, LatLon site, const LandCover* land_cover, GeoGrid& loss_db,
                       const std::vector<output::DemandPoint>& demand, std::vector<float>& demand_loss_db);

// The report's measurement sections for this scenario (null when it has neither `measurements:` nor
// `evaluation:` nor `propagation.calibration`). Throws InputError naming the file, line and column.
std::shared_ptr<const output::MeasureSections> measure_sections(const Scenario& s, const World& world);

struct CalibrateConfig {
    std::filesystem::path scenario;
    std::filesystem::path measurements;
    std::filesystem::path mapping;       // optional column mapping
    std::vector<std::string> sites;      // site ids; empty: the scenario's `measurements.sites`
    std::string model;                   // empty: the scenario's propagation.model
    std::string technology;              // EIRP from this profile ...
    std::optional<double> eirp_dbm;      // ... or given
    double rx_gain_db = 0.0;             // with eirp_dbm
    double ridge_lambda = 1.0;
    int k_folds = 5;
    std::filesystem::path out_dir;
};

struct CalibrateSummary {
    output::MeasurementsReport report;
    std::filesystem::path calibration_file;
    std::size_t files = 0;
};

// Writes OUT/calibration.yaml, OUT/residuals.csv and OUT/summary.json (the directory published at once).
CalibrateSummary calibrate_scenario(const CalibrateConfig& cfg);

}  // namespace dxplan
