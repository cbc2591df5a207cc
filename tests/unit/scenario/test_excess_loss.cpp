// Excess losses of `dxplan run` (libsim/scenario/excess_loss.hpp) at single demand points, against hand
// calculations written out here from the Recommendations' equations.
#include <catch2/catch.hpp>

#include <cmath>

#include "libsim/scenario/excess_loss.hpp"

using namespace dxplan;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr LatLon kSite{36.0, 138.2};
constexpr double kGround_m = 100.0;
constexpr double kMast_m = 20.0;
constexpr double kRx_m = 1.5;
constexpr double kD_m = 2000.0;
// The demand point 2000 m due east of the site (1 deg of longitude at 36 N is 90.06 km; flat ground).
constexpr double kDlon2km = kD_m / 90062.0;

// Flat terrain at 100 m, 1" grid of 0.1 x 0.1 deg around the site.
Terrain flat() {
    GeoGrid g;
    g.rows = g.cols = 361;
    g.dlat_deg = g.dlon_deg = 1.0 / 3600.0;
    g.north_deg = kSite.lat_deg + 0.05;
    g.west_deg = kSite.lon_deg - 0.05;
    g.values.assign(static_cast<std::size_t>(g.rows) * g.cols, static_cast<float>(kGround_m));
    return Terrain(std::move(g));
}

// Land cover of 0.001 deg cells (about 90 m east-west): class `background` everywhere, class `at_rx` in the one
// cell holding the demand point, which stands 0.0004 deg east of that cell's centre.
struct Cover {
    LandCover lc;
    LatLon rx;
};
Cover cover(int background, int at_rx) {
    const ClutterTable table = load_clutter_table(default_clutter_table_path());
    GeoGrid g;
    g.rows = g.cols = 101;
    g.dlat_deg = g.dlon_deg = 0.001;
    g.north_deg = kSite.lat_deg + 0.05;
    g.west_deg = kSite.lon_deg - 0.05;
    std::vector<std::uint8_t> classes(static_cast<std::size_t>(g.rows) * g.cols, static_cast<std::uint8_t>(background));
    const int row = 50;                                                      // the site's latitude
    const int col = static_cast<int>(std::lround((kSite.lon_deg + kDlon2km - 0.0004 - g.west_deg) / g.dlon_deg));
    classes[static_cast<std::size_t>(row) * g.cols + col] = static_cast<std::uint8_t>(at_rx);
    const LatLon rx{kSite.lat_deg, g.west_deg + col * g.dlon_deg + 0.0004};
    return {LandCover(std::move(g), std::move(classes), table, "test"), rx};
}

ExcessLoss at_point(const ExcessLossSpec& spec, double f_mhz, const Cover& c, const Terrain& t, bool indoor,
                    double gain_db = 0.0) {
    const ExcessLossModel m(spec, f_mhz, &c.lc, t);
    return m.demand_point(kSite, kGround_m + kMast_m, c.rx, kRx_m, kD_m, indoor, gain_db);
}

}  // namespace

TEST_CASE("excess loss: P.2108-1 sec. 3.1 terminal clutter loss of a household in a built-up cell, by hand") {
    const Terrain t = flat();
    const Cover c = cover(/*paddy*/ 3, /*built-up, suburban, R = 9 m*/ 2);
    ExcessLossSpec spec;
    spec.building_entry = false;
    const ExcessLoss e = at_point(spec, 920.0, c, t, false);
    // P.2108-1 sec. 3.1, suburban (eq. (2a)): h_dif = R - h = 9 - 1.5 = 7.5 m; theta_clut = atan(h_dif / w_s) with
    // w_s = 27 m: 15.524 deg; K_nu = 0.342 sqrt(f) = 0.342 sqrt(0.92) = 0.32804; nu = K_nu sqrt(h_dif theta_clut)
    // = 0.32804 sqrt(7.5 x 15.524) = 3.5396; J(nu) = 6.9 + 20 log10(sqrt((nu - 0.1)^2 + 1) + nu - 0.1) = 23.829 dB;
    // A_h = J(nu) - 6.03 = 17.799 dB.
    const double h_dif = 9.0 - 1.5;
    const double theta_deg = std::atan(h_dif / 27.0) * 180.0 / kPi;
    const double nu = 0.342 * std::sqrt(0.92) * std::sqrt(h_dif * theta_deg);
    const double a_h = 6.9 + 20.0 * std::log10(std::sqrt((nu - 0.1) * (nu - 0.1) + 1.0) + nu - 0.1) - 6.03;
    CHECK(a_h == Approx(17.799).margin(0.001));
    CHECK(e.clutter_db == Approx(a_h).margin(1e-9));
    CHECK(e.vegetation_db == 0.0);
    CHECK(e.building_entry_db == 0.0);
    CHECK(e.rain_db == 0.0);  // 920 MHz: no rain or gas (above 6 GHz only)
    CHECK(e.gas_db == 0.0);
    CHECK(e.warnings == 0);  // 0.92 GHz is inside sec. 3.1's 0.03-3 GHz
    // Switched off: nothing.
    spec.clutter = false;
    CHECK(at_point(spec, 920.0, c, t, false).total_db() == 0.0);
}

TEST_CASE("excess loss: P.833-10 sec. 2 woodland loss of a sensor in a forest cell, by hand") {
    const Terrain t = flat();
    const Cover c = cover(/*grassland*/ 5, /*evergreen needle-leaf forest, R = 20 m*/ 9);
    ExcessLossSpec spec;
    const ExcessLoss e = at_point(spec, 920.0, c, t, false);
    // The run inside the canopy: samples every 25 m from the receiver toward the site (12.5, 37.5, 62.5 m) lie in the
    // forest cell (its west edge is 0.0009 deg = 81 m from the receiver), 87.5 m is grassland; the line between
    // the antennas (101.5 m -> 120 m over 2 km) stays below the canopy top (100 + 20 m): d = 3 x 25 = 75 m.
    CHECK(e.vegetation_depth_m == 75.0);
    // gamma (Weissberger 1982, d <= 14 m branch) = 0.45 f_GHz^0.284 = 0.45 x 0.92^0.284 = 0.43947 dB/m;
    // A_m = 0.18 f_MHz^0.752 = 0.18 x 920^0.752 = 30.482 dB (P.833-10 eq. (2));
    // A_ev = A_m [1 - exp(-d gamma / A_m)] = 30.482 x [1 - exp(-75 x 0.43947 / 30.482)] = 20.144 dB (eq. (1)).
    const double gamma = 0.45 * std::pow(0.92, 0.284);
    const double a_m = 0.18 * std::pow(920.0, 0.752);
    const double a_ev = a_m * (1.0 - std::exp(-75.0 * gamma / a_m));
    CHECK(a_ev == Approx(20.144).margin(0.001));
    // The cap, over the canopy (P.2108-1 sec. 3.1 trees/forest, R = 20 m): h_dif = 18.5 m, theta = 34.42 deg,
    // nu = 8.277, A_h = 25.175 dB > A_ev: the through-woodland loss stands.
    CHECK(e.vegetation_db == Approx(a_ev).margin(1e-9));
    CHECK(e.clutter_db == 0.0);  // woodland: the vegetation loss replaces the clutter loss (no double count)
    CHECK((e.warnings & kVegetationFitOutside) == 0);  // 920 MHz is inside eq. (2)'s 900-1800 MHz data

    // Evergreen class: the bare season changes nothing; a deciduous class (6, R = 15 m) loses half its gamma.
    spec.season = Season::bare;
    CHECK(at_point(spec, 920.0, c, t, false).vegetation_db == Approx(a_ev).margin(1e-9));
    const Cover dec = cover(5, 6);
    const double bare = at_point(spec, 920.0, dec, t, false).vegetation_db;
    CHECK(bare == Approx(a_m * (1.0 - std::exp(-75.0 * 0.5 * gamma / a_m))).margin(1e-9));  // 11.44 dB
}

TEST_CASE("excess loss: P.2109-2 building entry loss of an indoor household, by hand") {
    const Terrain t = flat();
    const Cover c = cover(3, 3);  // paddy (R = 1 m < h): no clutter loss
    ExcessLossSpec spec;
    const ExcessLoss e = at_point(spec, 920.0, c, t, true);
    // P.2109-2 Annex 1 sec. 3, traditional building, P = 50 % (F^-1(0.5) = 0, so the sigma terms vanish),
    // f = 0.92 GHz, elevation theta = atan(18.5 / 2000) = 0.52997 deg (site antenna 120 m, receiver 101.5 m):
    // A = r + s log f + t log^2 f + 0.212 |theta| = 12.64 + 3.72 (-0.036212) + 0.96 (0.0013113) + 0.11235 = 12.6189
    // B = w + x log f = 9.1 - 3.0 (-0.036212) = 9.2086;  C = -3.0
    // L_BEL = 10 log10(10^(0.1 A) + 10^(0.1 B) + 10^(0.1 C)) = 14.332 dB
    const double lf = std::log10(0.92);
    const double theta_deg = std::atan2(18.5, 2000.0) * 180.0 / kPi;
    const double a = 12.64 + 3.72 * lf + 0.96 * lf * lf + 0.212 * std::abs(theta_deg);
    const double b = 9.1 - 3.0 * lf;
    const double l_bel = 10.0 * std::log10(std::pow(10.0, 0.1 * a) + std::pow(10.0, 0.1 * b) + std::pow(10.0, -0.3));
    CHECK(l_bel == Approx(14.332).margin(0.001));
    CHECK(e.building_entry_db == Approx(l_bel).margin(1e-6));
    CHECK(e.clutter_db == 0.0);
    CHECK(e.total_db() == Approx(l_bel).margin(1e-6));
    // Outdoor terminal: none; an outdoor CPE: none, and its gain counts.
    CHECK(at_point(spec, 920.0, c, t, false).building_entry_db == 0.0);
    CHECK(at_point(spec, 920.0, c, t, false, 8.0).total_db() == Approx(-8.0).margin(1e-12));
    // Thermally efficient buildings lose more (P.2109-2 Table 1: r = 28.19).
    spec.building = BuildingType::thermally_efficient;
    CHECK(at_point(spec, 920.0, c, t, true).building_entry_db > l_bel + 10.0);
}

TEST_CASE("excess loss: rain and gas only above 6 GHz, proportional to the path") {
    const Terrain t = flat();
    const Cover c = cover(5, 5);
    ExcessLossSpec spec;
    spec.building_entry = false;
    const ExcessLoss low = at_point(spec, 4850.0, c, t, false);
    CHECK(low.rain_db == 0.0);
    CHECK(low.gas_db == 0.0);
    const ExcessLoss high = at_point(spec, 28650.0, c, t, false);
    // 28.65 GHz: gas about 0.1-0.2 dB/km at sea level (P.676 Fig. 1, 7.5 g/m3); rain at R0.01 = 50 mm/h over 2 km:
    // gamma_R = k R^alpha about 8-10 dB/km (P.838-3), distance factor r <= 2.5, A_0.1 = 0.38 A_0.01 (P.530-18
    // sec. 2.4.1 step 5, latitude >= 30 deg: 0.12 x 0.1^-(0.546 + 0.043 log 0.1)): between 2 and 25 dB.
    CHECK(high.gas_db > 2.0 * 0.05);
    CHECK(high.gas_db < 2.0 * 0.3);
    CHECK(high.rain_db > 2.0);
    CHECK(high.rain_db < 25.0);
    spec.rain_rate_mm_h = 0.0;
    CHECK(at_point(spec, 28650.0, c, t, false).rain_db == 0.0);
}
