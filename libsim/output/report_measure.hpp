// dxplan report: the "Measurements" and "Outcome evaluation" sections (HTML, Markdown, summary.json part),
// rendered from the run's MeasureSections (filled by libsim/scenario/measure_stage.cpp).
//   Measurements: the model against a drive test: error table before calibration, after (in sample) and after
//   (k-fold, out of sample), per clutter category and distance band; residual histogram; predicted vs measured
//   scatter; map of residuals; the fitted correction; the calibration applied to this run, with its provenance.
//   Outcome evaluation: per indicator the test, medians, counts, p (and Holm-adjusted), Hodges-Lehmann shift
//   with its interval, rank-biserial effect size, the plain-language summary and a box/strip plot.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "libsim/measure/calibration.hpp"
#include "libsim/measure/outcome.hpp"
#include "libsim/measure/predict.hpp"
#include "libsim/output/report_i18n.hpp"

namespace dxplan::output {

struct MeasurementsReport {
    std::string file;                               // measurement file name
    std::string model;
    std::vector<std::string> sites;
    std::vector<measure::PointComparison> points;
    std::vector<double> residual_cv_db;             // per point: residual after the out-of-fold correction
    measure::ResidualSummary before, after_in_sample, after_cv;
    measure::Calibration fitted;
    std::size_t excluded_rows = 0, duplicate_rows = 0;
};

struct MeasureSections {
    std::optional<MeasurementsReport> measurements;
    std::optional<measure::OutcomeResult> outcome;
    std::optional<measure::Calibration> applied;    // propagation.calibration of this run
    std::string applied_file;
};

// Section bodies (the comparison report's numbered sections "measurements" and "outcome", report_sections.cpp).
std::string measurements_html(const MeasureSections& m, Lang l);
std::string measurements_markdown(const MeasureSections& m, Lang l);
std::string outcome_html(const MeasureSections& m, Lang l);
std::string outcome_markdown(const MeasureSections& m, Lang l);
// Both sections with their own headings (the report of a run without technologies).
std::string measure_sections_html(const MeasureSections& m, Lang l);
// An object with "measurements", "outcome_evaluation" and "calibration_applied" (each when present), merged into
// summary.json.
std::string measure_sections_json(const MeasureSections& m);

}  // namespace dxplan::output
