// dxplan measure: a linear correction of a propagation model fitted to measured losses.
//
// Model (added to the predicted basic transmission loss, dB):
//   correction_db(d, c) = offset_db[c] + slope_db_per_decade * log10(d_m / 1000 m)
// with one offset per land-cover clutter category c present in the measurements (categories not measured get
// `default_offset_db`, the point-weighted mean of the fitted offsets). Fitted to the residuals
// r_i = measured_loss_i - predicted_loss_i by ridge least squares (A. E. Hoerl, R. W. Kennard, Technometrics
// 12 (1970) 55-67): beta = (X^T X + lambda I)^-1 X^T r, solved with Eigen's LDLT. lambda = 0 is ordinary least
// squares. The out-of-sample error is k-fold cross-validation over contiguous blocks of the measurement order
// (a drive test's neighbouring points are correlated, so random folds would flatter the fit).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dxplan::measure {

// One measured point as the fit sees it.
struct CalibrationPoint {
    double residual_db = 0.0;  // measured loss - predicted loss
    double d_m = 0.0;          // ground distance from the transmitter
    std::string category;      // land-cover clutter category at the point ("open", "forest", ...; "unknown")
};

struct FitOptions {
    double ridge_lambda = 1.0;  // [0, 1e6]
    int k_folds = 5;            // [2, n]
};

struct Calibration {
    std::string model;                          // the propagation model it corrects (registry name)
    double f_mhz = 0.0;                         // frequency of the measurements (0: several / unknown)
    std::map<std::string, double> offset_db;    // per clutter category
    double default_offset_db = 0.0;             // categories without their own offset
    double slope_db_per_decade = 0.0;           // per decade of distance, reference 1 km
    double d_min_m = 0.0, d_max_m = 0.0;        // distances measured: the slope is not extrapolated beyond them
                                                // (d is clamped to [d_min_m, d_max_m]; 0, 0: no clamp)
    double ridge_lambda = 1.0;
    int k_folds = 5;
    std::size_t n_points = 0;
    double in_sample_rmse_db = 0.0;             // of the corrected residuals, on the fitted data
    double cv_rmse_db = 0.0;                    // k-fold, out of sample
    double noise_sd_db = 0.0;                   // sqrt(RSS / (n - p)): the residual scatter left after correction
    // provenance
    std::string measurements;                   // file name
    std::string measurements_sha256;
    std::string site;
    std::string created_by = "dxplan calibrate";
};

// The correction for a point at ground distance d_m (clamped to [d_min_m, d_max_m] when set, and >= 1 m) in
// clutter category `category`.
[[nodiscard]] double correction_db(const Calibration& c, double d_m, const std::string& category);

// Fits the correction. Throws InputError for fewer points than 2 + the number of categories, k_folds outside
// [2, n], or lambda outside [0, 1e6].
[[nodiscard]] Calibration fit_calibration(const std::vector<CalibrationPoint>& points, const FitOptions& options);

// Each point's residual after the correction fitted without its block (the k-fold out-of-sample residuals whose
// RMS is Calibration::cv_rmse_db). Same checks as fit_calibration.
[[nodiscard]] std::vector<double> cross_validated_residuals(const std::vector<CalibrationPoint>& points, const FitOptions& options);

// Writes the calibration as YAML (atomically) / reads it back. load_calibration throws InputError naming the file
// and field; with `expected_model` non-empty, a calibration of another model is refused
// ("FILE: model = hata-open: this calibration is for another model (the scenario uses itm)").
void save_calibration(const Calibration& c, const std::filesystem::path& yaml);
[[nodiscard]] Calibration load_calibration(const std::filesystem::path& yaml, const std::string& expected_model = {});

}  // namespace dxplan::measure
