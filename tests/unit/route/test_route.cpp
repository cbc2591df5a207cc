// libsim/route: handover on a straight road between two identical sites against the analytic crossing point,
// foliage conditions against P.833 computed by hand, outage lengths against the reported shares, sampling and
// bad input.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <algorithm>
#include <string>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/link/link.hpp"
#include "libsim/route/route.hpp"
#include "libsim/route/sun.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

constexpr double kArcsec = 1.0 / 3600.0;

// Flat terrain (0 m) over 35.95-36.05 N, 137.95-138.15 E at 1".
Terrain flat_terrain() {
    GeoGrid g;
    g.rows = 361;
    g.cols = 721;
    g.north_deg = 36.05;
    g.west_deg = 137.95;
    g.dlat_deg = g.dlon_deg = kArcsec;
    g.values.assign(static_cast<std::size_t>(g.rows) * g.cols, 0.0f);
    return Terrain(std::move(g));
}

// A loss window over the whole terrain grid: free-space loss at the ground distance from the site,
// 32.45 + 20 log10(f_MHz) + 20 log10(d_km) (ITU-R P.525 eq. (4)).
GeoGrid free_space_window(const Terrain& t, LatLon site, double f_mhz) {
    GeoGrid g = t.grid();
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c) {
            const LatLon p{g.north_deg - r * g.dlat_deg, g.west_deg + c * g.dlon_deg};
            const double d_km = std::max(0.001, geodesic_inverse(site, p).d_m / 1000.0);
            g.values[static_cast<std::size_t>(r) * g.cols + c] =
                static_cast<float>(32.45 + 20.0 * std::log10(f_mhz) + 20.0 * std::log10(d_km));
        }
    return g;
}

route::NetworkTechnology two_sites(const Terrain& t, LatLon a, LatLon b) {
    route::NetworkTechnology net;
    net.label = "local5g-n79-100mhz";
    net.tech = link::load_technology("local5g-n79-100mhz");
    net.budget.location_reliability = 0.9;
    net.budget.shadow_sigma_db = 6.0;
    for (const auto& [id, pos] : {std::pair{"a", a}, std::pair{"b", b}}) {
        route::Cell c;
        c.radio.id = id;
        c.radio.pos = pos;
        c.radio.h_tx_m = 30.0;
        c.loss_db = free_space_window(t, pos, net.tech.f_center_mhz);
        net.cells.push_back(std::move(c));
    }
    return net;
}

route::PropagationContext context(const Terrain& t, const LandCover* lc = nullptr) {
    route::PropagationContext ctx;
    ctx.terrain = &t;
    ctx.land_cover = lc;
    ctx.model = "free-space";
    ctx.map_h_rx_m = 1.5;
    return ctx;
}

route::RouteSpec straight(LatLon from, LatLon to) {
    route::RouteSpec r;
    r.id = "straight";
    r.geometry.parts = {{from, to}};
    return r;
}

fs::path scratch(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("dxplan_route_" + std::to_string(::getpid())) / name;
    fs::create_directories(p.parent_path());
    return p;
}

}  // namespace

TEST_CASE("route: handover between two identical sites at the analytic crossing + hysteresis + TTT x speed", "[route]") {
    const Terrain t = flat_terrain();
    const LatLon site_a{36.0, 138.02}, site_b{36.0, 138.08};
    const route::NetworkTechnology net = two_sites(t, site_a, site_b);
    const LatLon start{36.002, 138.01}, end{36.002, 138.09};  // ~222 m north of the sites' line
    route::RouteSpec r = straight(start, end);
    r.options.spacing_m = 5.0;
    r.options.speeds = {{0.0, 72.0}};  // 20 m/s
    r.options.handover.hysteresis_db = 3.0;
    r.options.handover.time_to_trigger_ms = 2560.0;
    const route::RouteResult res = route::evaluate_route(r, {net}, context(t));
    REQUIRE(res.tracks.size() == 1);
    const route::Track& tr = res.tracks[0];
    REQUIRE(tr.handovers.size() == 1);
    CHECK(tr.handovers[0].from == 0);
    CHECK(tr.handovers[0].to == 1);
    CHECK_FALSE(tr.handovers[0].ping_pong);

    // Analytic: identical sites and free space, so the neighbour exceeds the server by the hysteresis H where
    // 20 log10(d_a / d_b) = H, i.e. d_a / d_b = 10^(H / 20); found by bisection along the route's geodesic.
    const GeodesicInverse line = geodesic_inverse(start, end);
    const auto excess_db = [&](double s_m) {
        const LatLon p = geodesic_direct(start, line.az1_deg, s_m);
        return 20.0 * std::log10(geodesic_inverse(site_a, p).d_m / geodesic_inverse(site_b, p).d_m) - 3.0;
    };
    double lo = 0.0, hi = line.d_m;
    for (int i = 0; i < 100; ++i) (excess_db(0.5 * (lo + hi)) > 0.0 ? hi : lo) = 0.5 * (lo + hi);
    const double x_enter_m = hi;
    // The crossing of equal power is at the midpoint (x = 0.5 (lon_b + lon_a) - lon_start in metres); the
    // hysteresis moves it toward site b. The condition is first seen at the next sample (5 m grid), and the
    // handover is executed at the first sample where it has held for TTT, i.e. v TTT = 20 x 2.56 = 51.2 m later,
    // rounded up to the 5 m grid: 55 m.
    const double first_seen_m = std::ceil(x_enter_m / 5.0) * 5.0;
    const double expected_m = first_seen_m + std::ceil(20.0 * 2.56 / 5.0) * 5.0;
    const double midpoint_m = 0.5 * line.d_m;
    std::cout << "handover: entering condition at " << x_enter_m << " m (equal power at " << midpoint_m << " m), handover at "
              << tr.handovers[0].s_m << " m, expected " << expected_m << " m\n";
    CHECK(x_enter_m > midpoint_m + 50.0);
    // The loss windows are bilinear between 1" pixels: the crossing moves by well under a sample (5 m).
    CHECK(std::abs(tr.handovers[0].s_m - expected_m) <= 5.0 + 1e-6);
    CHECK(std::abs(tr.handovers[0].t_s - tr.handovers[0].s_m / 20.0) < 1e-6);

    // Without hysteresis and TTT the serving cell is the strongest at every sample.
    route::RouteSpec r0 = r;
    r0.options.handover.hysteresis_db = 0.0;
    r0.options.handover.time_to_trigger_ms = 0.0;
    const route::RouteResult res0 = route::evaluate_route(r0, {net}, context(t));
    for (const route::SamplePoint& p : res0.tracks[0].samples) CHECK(p.serving == p.best);
    REQUIRE(res0.tracks[0].handovers.size() == 1);
    CHECK(std::abs(res0.tracks[0].handovers[0].s_m - midpoint_m) <= 5.0 + 1e-6);
}

TEST_CASE("route: outage segments add up to the share of length and time not meeting the requirement", "[route]") {
    const Terrain t = flat_terrain();
    const route::NetworkTechnology net = two_sites(t, {36.0, 138.02}, {36.0, 138.08});
    route::RouteSpec r = straight({36.002, 137.96}, {36.002, 138.14});
    r.options.speeds = {{0.0, 40.0}, {6000.0, 60.0}};
    r.options.requirement.cameras = 8;
    r.options.requirement.camera_mbps = 8.0;
    const route::RouteResult res = route::evaluate_route(r, {net}, context(t));
    const route::Track& tr = res.tracks[0];
    double out_m = 0.0, out_s = 0.0, total_s = 0.0;
    for (const route::Outage& o : tr.outages) {
        out_m += o.length_m;
        out_s += o.duration_s;
        CHECK(o.end_m - o.start_m == Approx(o.length_m).margin(1e-9));
    }
    for (const route::Sample& s : res.samples) total_s += s.step_m / s.speed_mps;
    std::cout << "outages: " << tr.outages.size() << ", " << out_m << " m of " << res.length_m << " m; share of length "
              << tr.share_length << ", of time " << tr.share_time << "\n";
    REQUIRE(tr.outages.size() >= 2);  // far ends (coverage) and between the sites (interference)
    CHECK(tr.share_length > 0.1);
    CHECK(out_m / res.length_m == Approx(1.0 - tr.share_length).margin(1e-12));
    CHECK(out_s / total_s == Approx(1.0 - tr.share_time).margin(1e-12));
    CHECK(std::abs(total_s - res.duration_s) < 1e-6 * res.duration_s + 1e-9);
    // Samples partition the route: their steps sum to its length.
    double steps = 0.0;
    for (const route::Sample& s : res.samples) steps += s.step_m;
    CHECK(steps == Approx(res.length_m).margin(1e-6));
    // Reliability: a sample meeting the requirement at the planning margin (90 % locations) has p >= 0.9.
    for (const route::SamplePoint& p : tr.samples)
        if (p.meets) CHECK(p.p_meet >= 0.9 - 1e-9);
    CHECK(tr.p_route <= tr.mean_p_meet);
}

TEST_CASE("route: foliage in leaf, bare and with wet snow change the received power by P.833 computed by hand", "[route]") {
    const Terrain t = flat_terrain();
    // Land cover: every cell forest, canopy 15 m.
    GeoGrid layout = t.grid();
    layout.values.clear();
    const LandCover lc(layout, std::vector<std::uint8_t>(static_cast<std::size_t>(layout.rows) * layout.cols, 5),
                       ClutterTable({{5, "forest", ClutterCategory::forest, 15.0, "test"}}), "test");
    route::NetworkTechnology net;
    net.label = "local5g-n79-100mhz";
    net.tech = link::load_technology("local5g-n79-100mhz");
    route::Cell c;
    c.radio.id = "mast";
    c.radio.pos = {36.0, 138.05};
    c.radio.h_tx_m = 100.0;
    c.loss_db = t.grid();
    std::fill(c.loss_db.values.begin(), c.loss_db.values.end(), 100.0f);  // constant path loss: only the condition varies
    net.cells.push_back(c);
    // One short route 1000 m east of the mast (sample 0 at (36.0, 138.05 + 1000 m)).
    const LatLon p0 = geodesic_direct(c.radio.pos, 90.0, 1000.0);
    route::RouteSpec r = straight(p0, geodesic_direct(p0, 0.0, 20.0));
    r.options.conditions = {{"leaf", true, false, 0.0, 0.0}, {"bare", false, false, 0.0, 0.0}, {"wet-snow", false, true, 0.0, 0.0}};
    const route::RouteResult res = route::evaluate_route(r, {net}, context(t, &lc));
    REQUIRE(res.tracks.size() == 3);

    // Hand calculation. The vehicle's antenna (1.5 m) is 13.5 m below the canopy; the mast's antenna is
    // 100 - 1.5 = 98.5 m above it at d = 1000 m, so the ray runs under the canopy for 13.5 x 1000 / 98.5 =
    // 137.06 m (< the 200 m cap; the forest goes on): d_veg = 137.06 m.
    const double d_geo_m = geodesic_inverse(p0, c.radio.pos).d_m;
    const double d_veg_m = 13.5 * d_geo_m / 98.5;
    CHECK(d_veg_m == Approx(137.06).margin(0.05));
    // P.833-10 eq. (2): A_m = 0.18 f^0.752 dB (f = 4850 MHz): 0.18 x exp(0.752 ln 4850) = 106.4 dB.
    const double a_m = 0.18 * std::pow(4850.0, 0.752);
    CHECK(a_m == Approx(106.4).margin(0.1));
    // eq. (1): A = A_m (1 - exp(-d gamma / A_m)); gamma 0.3 dB/m in leaf, x 0.7 bare, x 1.5 with wet snow.
    const auto a_ev = [&](double gamma) { return a_m * (1.0 - std::exp(-d_veg_m * gamma / a_m)); };
    const double leaf = a_ev(0.3), bare = a_ev(0.3 * 0.7), snow = a_ev(0.3 * 0.7 * 1.5);
    std::cout << "foliage: leaf " << leaf << " dB, bare " << bare << " dB, wet snow " << snow << " dB\n";
    CHECK(leaf == Approx(34.10).margin(0.05));  // d gamma = 137.06 x 0.3 = 41.12 dB; 106.38 (1 - e^(-41.12 / 106.38)) = 106.38 x 0.3206
    const route::SamplePoint& s_leaf = res.tracks[0].samples[0];
    const route::SamplePoint& s_bare = res.tracks[1].samples[0];
    const route::SamplePoint& s_snow = res.tracks[2].samples[0];
    CHECK(s_leaf.extra_loss_db == Approx(leaf).margin(1e-9));
    CHECK(s_bare.extra_loss_db == Approx(bare).margin(1e-9));
    CHECK(s_snow.extra_loss_db == Approx(snow).margin(1e-9));
    // The received power changes by exactly those amounts.
    CHECK(s_bare.rx_power_dbm - s_leaf.rx_power_dbm == Approx(leaf - bare).margin(1e-9));
    CHECK(s_snow.rx_power_dbm - s_leaf.rx_power_dbm == Approx(leaf - snow).margin(1e-9));
}

TEST_CASE("route: rain adds P.838 gamma_R over the path", "[route]") {
    const Terrain t = flat_terrain();
    route::NetworkTechnology net = two_sites(t, {36.0, 138.02}, {36.0, 138.08});
    net.cells.pop_back();
    route::RouteSpec r = straight({36.01, 138.02}, {36.0101, 138.02});
    r.options.conditions = {{"dry", true, false, 0.0, 0.0}, {"rain", true, false, 0.0, 50.0}};
    const route::RouteResult res = route::evaluate_route(r, {net}, context(t));
    const double d_km = geodesic_inverse({36.0, 138.02}, {36.01, 138.02}).d_m / 1000.0;
    // P.838-3 at 4.85 GHz, vertical: gamma = k R^alpha; the test only checks the product with the path length.
    const double extra = res.tracks[1].samples[0].extra_loss_db - res.tracks[0].samples[0].extra_loss_db;
    CHECK(extra > 0.0);
    CHECK(extra / d_km < 2.0);  // below ~1 dB/km at 5 GHz even at 50 mm/h (P.838-3 Fig. 1 order of magnitude)
}

TEST_CASE("route: sampling every 5 m along the geodesic, vertices kept, speed profile", "[route]") {
    route::RouteGeometry g;
    const LatLon a{36.0, 138.0};
    const LatLon b = geodesic_direct(a, 45.0, 12.0), c = geodesic_direct(b, 135.0, 8.0);
    g.parts = {{a, b, c}};
    const std::vector<route::Sample> s = route::sample_route(g, 5.0, {{0.0, 36.0}, {10.0, 18.0}}, "test");
    // 0, 5, 10, 12 (vertex b), 15, 20 (c at 20): the spacing is carried over the vertex.
    REQUIRE(s.size() == 5);
    const std::vector<double> expect = {0.0, 5.0, 10.0, 15.0, 20.0};
    for (std::size_t i = 0; i < s.size(); ++i) CHECK(s[i].s_m == Approx(expect[i]).margin(1e-6));
    CHECK(geodesic_inverse(s.back().pos, c).d_m < 1e-6);
    CHECK(s[1].speed_mps == Approx(10.0));
    CHECK(s[2].speed_mps == Approx(5.0));
    CHECK(s[1].t_s == Approx(0.5));                        // 5 m at 10 m/s
    CHECK(s[2].t_s == Approx(0.5 + 2.5 / 10.0 + 2.5 / 5.0));  // each sample's speed over its half gaps
    CHECK(geodesic_inverse(s[3].pos, geodesic_direct(b, 135.0, 3.0)).d_m < 1e-6);
}

TEST_CASE("route: bad input: not a line, zero length, self-overlap, speed, hysteresis, outside the terrain", "[route]") {
    const fs::path poly = scratch("polygon.geojson");
    std::ofstream(poly) << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":)"
                        << R"({"type":"Polygon","coordinates":[[[138,36],[138.01,36],[138.01,36.01],[138,36]]]}}]})";
    CHECK_THROWS_WITH(route::read_route_file(poly), Catch::Contains("polygon.geojson") && Catch::Contains("must be a LineString"));
    const fs::path point = scratch("point.geojson");
    std::ofstream(point) << R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[138,36]}})";
    CHECK_THROWS_WITH(route::read_route_file(point), Catch::Contains("route must be a line"));
    const fs::path zero = scratch("zero.geojson");
    std::ofstream(zero) << R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[138,36],[138,36]]}})";
    CHECK_THROWS_WITH(route::read_route_file(zero), Catch::Contains("zero length"));

    route::RouteGeometry back;  // A -> B -> A: driven back over itself
    const LatLon a{36.0, 138.0}, b = geodesic_direct(a, 10.0, 300.0);
    back.parts = {{a, b, a}};
    CHECK_THROWS_WITH(route::sample_route(back, 5.0, {{0.0, 40.0}}, "f.geojson"), Catch::Contains("overlaps itself"));
    route::RouteGeometry loop;  // a square: crosses nothing, closes on its start (allowed)
    loop.parts = {{a, geodesic_direct(a, 90.0, 200.0), geodesic_direct(geodesic_direct(a, 90.0, 200.0), 0.0, 200.0),
                   geodesic_direct(a, 0.0, 200.0), a}};
    CHECK_NOTHROW(route::sample_route(loop, 5.0, {{0.0, 40.0}}, "f.geojson"));
    route::RouteGeometry ok;
    ok.parts = {{a, b}};
    CHECK_THROWS_WITH(route::sample_route(ok, 5.0, {{0.0, 0.0}}, "f.geojson"), Catch::Contains("speed_kmh = 0") && Catch::Contains("(0, 300]"));
    CHECK_THROWS_WITH(route::sample_route(ok, 5.0, {{0.0, -5.0}}, "f.geojson"), Catch::Contains("(0, 300]"));
    route::RouteOptions o;
    o.handover.hysteresis_db = -1.0;
    CHECK_THROWS_WITH(route::validate_options(o, "s.yaml: routes[0]"),
                      Catch::Contains("s.yaml: routes[0]: handover.hysteresis_db = -1: must be in [0, 30] dB"));

    const Terrain t = flat_terrain();
    route::RouteSpec outside = straight({36.04, 138.10}, {36.2, 138.10});
    outside.file = "outside.geojson";
    CHECK_THROWS_WITH(route::evaluate_route(outside, {}, context(t)), Catch::Contains("outside.geojson") && Catch::Contains("leaves the terrain"));
}

TEST_CASE("route: intersections from roads: branch ends on the route's vertices", "[route]") {
    const LatLon a{36.0, 138.0}, b = geodesic_direct(a, 0.0, 500.0), c = geodesic_direct(b, 0.0, 500.0),
                 d = geodesic_direct(c, 0.0, 500.0);
    route::RouteGeometry g;
    g.parts = {{a, b, c, d}};
    const std::vector<std::vector<LatLon>> roads = {
        {a, b, c, d},                                   // the route's own road
        {b, geodesic_direct(b, 90.0, 400.0)},           // a branch leaving at b
        {geodesic_direct(c, 270.0, 300.0), c},          // a branch ending at c
        {geodesic_direct(a, 90.0, 50.0), geodesic_direct(d, 90.0, 50.0)}};  // a parallel road 50 m away
    const std::vector<LatLon> x = route::intersections_from_roads(g, roads, 10.0);
    REQUIRE(x.size() == 2);
    CHECK(geodesic_inverse(x[0], b).d_m < 1e-6);
    CHECK(geodesic_inverse(x[1], c).d_m < 1e-6);
}

TEST_CASE("route: sun position (Meeus example 25.a) and sun-transit outages of a hop pointing at the sun", "[route][sun]") {
    // Meeus, Astronomical Algorithms 2nd ed., Example 25.a: 1992 October 13.0 TD (JD 2448908.5), low accuracy:
    // apparent RA 13h13m31.4s = 198.38083 deg, declination -7 deg 47' 06" = -7.78507 deg.
    const double jd = route::julian_day(1992, 10, 13, 0.0);
    CHECK(jd == 2448908.5);  // Example 7.a's method
    const route::SunEquatorial eq = route::sun_equatorial(jd);
    CHECK(eq.ra_deg == Approx(198.38083).margin(0.0005));
    CHECK(eq.dec_deg == Approx(-7.78507).margin(0.0005));
    // At the local meridian transit the elevation is 90 - latitude + declination (refraction adds < 0.02 deg at
    // 50 deg elevation) and the azimuth 180 deg: find the transit by the smallest |azimuth - 180| over the day.
    const LatLon kofu{35.66, 138.57};
    const double day = route::julian_day(2026, 6, 21, 0.0);
    double best_t = 0.0, best_err = 1e9;
    for (double m = 0.0; m < 1440.0; m += 0.25) {
        const double err = std::abs(route::sun_position(day + m / 1440.0, kofu).azimuth_deg - 180.0);
        if (err < best_err) best_err = err, best_t = m;
    }
    const route::SunHorizontal noon = route::sun_position(day + best_t / 1440.0, kofu);
    const double dec = route::sun_equatorial(day + best_t / 1440.0).dec_deg;
    CHECK(noon.elevation_deg == Approx(90.0 - 35.66 + dec).margin(0.03));
    CHECK(best_t / 60.0 == Approx(12.0 - 138.57 / 15.0).margin(0.15));  // about 02:46 UTC (local mean noon; equation of time ~ -2 min)
    // A hop antenna pointing exactly where the sun is at 2026-03-20 06:00 local (21:00 UTC the day before) sees
    // it on some days; the same antenna pointing north never does.
    const route::SunHorizontal at = route::sun_position(route::julian_day(2026, 3, 19, 21.0), kofu);
    const route::SunOutage toward = route::sun_outage(kofu, at.azimuth_deg, at.elevation_deg, 2.0, 2026, 2.0);
    const route::SunOutage north = route::sun_outage(kofu, 0.0, 0.5, 2.0, 2026, 2.0);
    std::cout << "sun: antenna toward the sun's position of 20 March 06:00 JST (az " << at.azimuth_deg << ", el "
              << at.elevation_deg << "): " << toward.minutes_per_year << " min/year on " << toward.days << " days\n";
    CHECK(toward.days >= 2);
    CHECK(toward.minutes_per_year > 0.0);
    CHECK(std::find(toward.day_of_year.begin(), toward.day_of_year.end(), 78) != toward.day_of_year.end());  // 19 March UTC
    CHECK(north.minutes_per_year == 0.0);
}
