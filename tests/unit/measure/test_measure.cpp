// Measured data (libsim/measure): import rules, calibration recovery on synthetic measurements made from the
// model plus known offsets and noise, cross-validation never below the in-sample error, outcome evaluation.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "libsim/core/error.hpp"
#include "libsim/measure/calibration.hpp"
#include "libsim/measure/measurements.hpp"
#include "libsim/measure/outcome.hpp"
#include "libsim/measure/predict.hpp"
#include "libsim/measure/synthetic.hpp"
#include "libsim/terrain/synthetic.hpp"

using namespace dxplan;
using namespace dxplan::measure;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
    const fs::path d = fs::temp_directory_path() / ("dxplan_test_measure_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

fs::path write(const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
    return p;
}

}  // namespace

TEST_CASE("Calibration recovers known per-category offsets (within 0.5 dB) and noise sd (within 10 %)") {
    const SyntheticValley v = make_synthetic_valley(7, load_clutter_table(default_clutter_table_path()));
    PredictionSetup setup;
    setup.site = v.places.front().pos;
    setup.h_tx_m = 30.0;
    setup.h_rx_m = 1.5;
    setup.model = "itm";
    setup.params.f_mhz = 920.0;
    setup.eirp_dbm = 40.0;
    setup.rx_gain_db = 0.0;
    SyntheticSpec spec;
    spec.offset_db = {{"open", 3.0}, {"cropland", -2.0}, {"forest", 8.0}, {"suburban", 5.0}, {"urban", 6.5}, {"water", 1.0}};
    spec.slope_db_per_decade = 4.0;
    spec.noise_sd_db = 4.0;
    spec.per_category = 600;
    spec.seed = 11;
    const fs::path csv = temp_dir() / "synthetic.csv";
    const std::size_t rows = write_synthetic_measurements(v.terrain, &v.land_cover, setup, PowerKind::rssi, spec, csv);
    REQUIRE(rows > 1000);
    const MeasurementSet set = import_measurements(csv);
    REQUIRE(set.points.size() == rows);
    const std::vector<PointComparison> cmp = compare_with_model(v.terrain, &v.land_cover, set, setup);
    const Calibration c = fit_calibration(calibration_points(cmp), {1.0, 5});
    std::map<std::string, std::size_t> n;
    for (const auto& p : cmp) ++n[p.category];
    std::size_t checked = 0;
    for (const auto& [cat, offset] : c.offset_db) {
        INFO("category " << cat << " (" << n[cat] << " points)");
        if (n[cat] < 300) continue;  // a category the annulus barely touches: too few points for 0.5 dB
        CHECK(std::fabs(offset - spec.offset_db.at(cat)) < 0.5);
        ++checked;
    }
    CHECK(checked >= 3);
    CHECK(std::fabs(c.slope_db_per_decade - spec.slope_db_per_decade) < 0.5);
    CHECK(std::fabs(c.noise_sd_db / spec.noise_sd_db - 1.0) < 0.10);
    CHECK(c.cv_rmse_db >= c.in_sample_rmse_db);
    // Round trip through the YAML file; another model is refused.
    Calibration named = c;
    named.model = "itm";
    const fs::path yaml = temp_dir() / "cal.yaml";
    save_calibration(named, yaml);
    const Calibration back = load_calibration(yaml, "itm");
    REQUIRE(back.offset_db.size() == named.offset_db.size());
    for (const auto& [cat, off] : named.offset_db) CHECK(back.offset_db.at(cat) == Approx(off).epsilon(1e-9));  // 10 digits written
    CHECK(back.slope_db_per_decade == Approx(named.slope_db_per_decade).epsilon(1e-9));
    CHECK_THROWS_WITH(load_calibration(yaml, "hata-open"), Catch::Contains("for another model"));
}

// The k-fold error of a least-squares fit is its error on points it did not see: on the same data it is never
// below the in-sample RMSE. Checked on 40 random data sets of different sizes, categories and noise.
TEST_CASE("Cross-validated RMSE is never below the in-sample RMSE") {
    std::mt19937_64 rng(3);
    const std::vector<std::string> cats = {"open", "forest", "urban", "cropland"};
    for (int trial = 0; trial < 40; ++trial) {
        std::uniform_int_distribution<int> size(20, 400), ncat(1, 4);
        std::normal_distribution<double> noise(0.0, 1.0 + trial % 7);
        std::uniform_real_distribution<double> dist(100.0, 20000.0);
        const int n = size(rng), nc = ncat(rng);
        std::vector<CalibrationPoint> pts;
        for (int i = 0; i < n; ++i) {
            const std::string& cat = cats[static_cast<std::size_t>(i % nc)];
            const double d = dist(rng);
            pts.push_back({2.0 * (i % nc) + 3.0 * std::log10(d / 1000.0) + noise(rng), d, cat});
        }
        for (double lambda : {0.0, 1.0, 100.0}) {
            const Calibration c = fit_calibration(pts, {lambda, 2 + trial % 9});
            INFO("trial " << trial << " n " << n << " lambda " << lambda);
            CHECK(c.cv_rmse_db >= c.in_sample_rmse_db);
        }
    }
}

TEST_CASE("Calibration by hand: two categories, no slope, lambda 0 gives the category means") {
    // Residuals at 1 km (log10 d = 0): open 1, 3 -> mean 2; forest 6, 10 -> 8. OLS offsets are the means and
    // the slope column (all zero) stays 0.
    std::vector<CalibrationPoint> pts = {{1, 1000, "open"}, {3, 1000, "open"}, {6, 1000, "forest"}, {10, 1000, "forest"}};
    const Calibration c = fit_calibration(pts, {0.0, 2});
    CHECK(c.offset_db.at("open") == Approx(2.0));
    CHECK(c.offset_db.at("forest") == Approx(8.0));
    CHECK(c.slope_db_per_decade == Approx(0.0).margin(1e-12));
    CHECK(c.default_offset_db == Approx(5.0));
    CHECK(c.in_sample_rmse_db == Approx(std::sqrt((1 + 1 + 4 + 4) / 4.0)));
    CHECK(correction_db(c, 10000.0, "water") == Approx(5.0));  // not measured: the weighted mean offset
}

TEST_CASE("Import: column mapping, missing cells excluded, duplicates dropped, bad input named") {
    const fs::path d = temp_dir();
    const fs::path map = write(d / "map.yaml", "columns:\n  lat_deg: Latitude\n  lon_deg: Longitude\n  rsrp_dbm: RSRP\n");
    const fs::path csv = write(d / "dev.csv",
                               "Latitude,Longitude,RSRP,time\n36.0,138.2,-90,t1\n36.01,138.2,,t2\n36.0,138.2,-90,t1\n36.02,138.21,-95,t3\n");
    const MeasurementSet s = import_measurements(csv, load_column_mapping(map));
    CHECK(s.points.size() == 2);
    REQUIRE(s.excluded.size() == 1);
    CHECK(s.excluded[0].line == 3);
    CHECK(s.excluded[0].column == "RSRP");
    REQUIRE(s.duplicates.size() == 1);
    CHECK(s.duplicates[0].line == 4);
    CHECK_THROWS_WITH(import_measurements(write(d / "empty.csv", "")), Catch::Contains("empty"));
    CHECK_THROWS_WITH(import_measurements(write(d / "one.csv", "lat_deg,lon_deg,rssi_dbm\n36,138,-80\n")),
                      Catch::Contains("at least 2"));
    CHECK_THROWS_WITH(import_measurements(write(d / "nocol.csv", "lat_deg,rssi_dbm\n36,-80\n36.1,-81\n")),
                      Catch::Contains("column lon_deg"));
    CHECK_THROWS_WITH(import_measurements(write(d / "text.csv", "lat_deg,lon_deg,rssi_dbm\n36,138,-80\n36.1,138,strong\n")),
                      Catch::Contains("text.csv:3, column rssi_dbm: 'strong' is not a number"));
    const fs::path gj = write(d / "pts.geojson",
                              R"({"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[138.2,36.0]},"properties":{"rssi_dbm":-70}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[138.3,36.1]},"properties":{"rssi_dbm":-75.5}}]})");
    const MeasurementSet g = import_measurements(gj);
    REQUIRE(g.points.size() == 2);
    CHECK(g.points[1].pos.lon_deg == 138.3);
    CHECK(g.points[1].power_dbm == -75.5);
    CHECK(g.points[0].kind == PowerKind::rssi);
}

TEST_CASE("Outcome evaluation: two files, Holm across indicators, excluded cells, bad input") {
    const fs::path d = temp_dir();
    // Hollander & Wolfe (1973) p. 69 data as the "visits" indicator (after = term, before = 12-26 weeks):
    // U = 35, exact p (greater) = 0.1272 (see tests/unit/stats); a second indicator with a clear shift.
    const fs::path before = write(d / "before.csv", "id,visits,waits\n1,1.15,30\n2,0.88,35\n3,0.90,40\n4,0.74,NA\n5,1.21,45\n");
    const fs::path after = write(d / "after.csv",
                                 "id,visits,waits\n1,0.80,10\n2,0.83,11\n3,1.89,12\n4,1.04,13\n5,1.45,14\n6,1.38,15\n7,1.91,16\n"
                                 "8,1.64,17\n9,0.73,18\n10,1.46,19\n");
    OutcomeOptions o;
    o.alternative = stats::Alternative::greater;
    const OutcomeResult r = evaluate_outcome(before, after, o);
    REQUIRE(r.indicators.size() == 2);
    CHECK(r.indicators[0].statistic == 35.0);
    CHECK(std::fabs(r.indicators[0].p_value - 0.1272) < 5e-5);
    // waits: every after value below every before one: U = 0, P(U >= 0) = 1 for "greater".
    CHECK(r.indicators[1].statistic == 0.0);
    CHECK(r.indicators[1].p_value == Approx(1.0));
    // Holm with m = 2: min(1, 2 * 0.1272) for the smaller p, max(that, 1 * 1.0) for the other.
    CHECK(r.indicators[0].p_holm == Approx(2.0 * r.indicators[0].p_value));
    CHECK(r.indicators[1].p_holm == Approx(1.0));
    REQUIRE(r.excluded.size() == 1);
    CHECK(r.excluded[0].line == 5);
    CHECK(r.excluded[0].column == "waits");
    CHECK(r.indicators[0].summary_en.find("rose from a median of 0.9 to 1.415") != std::string::npos);
    CHECK(r.indicators[0].summary_ja.find("増加") != std::string::npos);
    CHECK(box_strip_svg(r.indicators[0], "en").find("<svg") == 0);
    CHECK_THROWS_WITH(evaluate_outcome(write(d / "tied.csv", "x\n3\n3\n3\n"), write(d / "tied2.csv", "x\n3\n3\n"), o),
                      Catch::Contains("column x: all values are tied"));
    CHECK_THROWS_WITH(evaluate_outcome(write(d / "one.csv", "x\n3\n"), after, o), Catch::Contains("1 data row"));
    CHECK_THROWS_WITH(evaluate_outcome(write(d / "txt.csv", "visits\n1\nmany\n"), after, o),
                      Catch::Contains("txt.csv:3, column visits: 'many' is not a number"));
    CHECK_THROWS_WITH(evaluate_outcome(write(d / "other.csv", "y\n1\n2\n"), after, o), Catch::Contains("no indicator column"));
}
