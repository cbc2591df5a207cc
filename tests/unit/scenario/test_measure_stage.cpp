// apply_calibration (libsim/scenario/measure_stage.hpp): the correction enters every finite loss cell and
// demand loss, by distance from the site and the clutter category at the point.
#include <cmath>

#include <catch2/catch.hpp>

#include "libsim/scenario/measure_stage.hpp"

using namespace dxplan;

TEST_CASE("apply_calibration adds offset + slope log10(d / 1 km) to each finite cell and demand loss") {
    measure::Calibration c;
    c.model = "itm";
    c.default_offset_db = 2.0;  // no land cover: every point gets the default offset
    c.slope_db_per_decade = 10.0;
    // A 1 x 3 grid on the equator, cell centres at lon 0.0 (the site), 0.0899322 deg (10.0 km on the sphere of
    // radius 6371.0088 km: 10 / 6371.0088 rad = 0.0899322 deg) and one NaN cell.
    GeoGrid g;
    g.rows = 1;
    g.cols = 3;
    g.north_deg = 0.0;
    g.west_deg = 0.0;
    g.dlat_deg = 0.0899322;
    g.dlon_deg = 0.0899322;
    g.values = {100.0f, 120.0f, std::numeric_limits<float>::quiet_NaN()};
    const std::vector<output::DemandPoint> demand = {{"d", DemandKind::household, {0.0, 0.00899322}}};  // 1.0 km
    std::vector<float> demand_loss = {90.0f};
    apply_calibration(c, {0.0, 0.0}, nullptr, g, demand, demand_loss);
    // Cell 0 is at the site: d clamped to 1 m -> 2 + 10 log10(0.001) = -28 dB.
    CHECK(g.values[0] == Approx(100.0 - 28.0).margin(1e-4));
    // Cell 1 at 10 km: 2 + 10 * 1 = +12 dB (the 1e-6 relative rounding of the degree value: < 1e-4 dB).
    CHECK(g.values[1] == Approx(132.0).margin(1e-3));
    CHECK(std::isnan(g.values[2]));
    // Demand point at 1 km: + 2 dB.
    CHECK(demand_loss[0] == Approx(92.0).margin(1e-3));
    // With the measured range 500 m - 5 km the slope is not extrapolated: 10 km counts as 5 km.
    c.d_min_m = 500.0;
    c.d_max_m = 5000.0;
    CHECK(measure::correction_db(c, 10000.0, "forest") == Approx(2.0 + 10.0 * std::log10(5.0)));
    CHECK(measure::correction_db(c, 1.0, "forest") == Approx(2.0 + 10.0 * std::log10(0.5)));
}
