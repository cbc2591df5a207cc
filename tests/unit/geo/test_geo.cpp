// Geo layer: WGS84 geodesics against an independent Vincenty (1975) inverse, terrain profiles against heights
// read with GDAL directly, earth bulge, Fresnel radius and LOS clearance.
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <vector>

#include <gdal_priv.h>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "libsim/geo/geo.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

using dxplan::LatLon;
namespace fs = std::filesystem;

namespace {

// T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with application of nested
// equations", Survey Review 23(176), 1975: the inverse solution (eqs. 13-18 and 3-6), iterated on lambda.
double vincenty_inverse_m(LatLon p1, LatLon p2) {
    const double a = dxplan::kWgs84A_m, f = dxplan::kWgs84F, b = a * (1 - f);
    const double u1 = std::atan((1 - f) * std::tan(dxplan::deg_to_rad(p1.lat_deg)));
    const double u2 = std::atan((1 - f) * std::tan(dxplan::deg_to_rad(p2.lat_deg)));
    const double l = dxplan::deg_to_rad(p2.lon_deg - p1.lon_deg);
    double lambda = l, sin_sigma = 0, cos_sigma = 0, sigma = 0, cos2_alpha = 0, cos_2sm = 0;
    for (int it = 0; it < 200; ++it) {
        const double sl = std::sin(lambda), cl = std::cos(lambda);
        sin_sigma = std::hypot(std::cos(u2) * sl, std::cos(u1) * std::sin(u2) - std::sin(u1) * std::cos(u2) * cl);  // (14)
        cos_sigma = std::sin(u1) * std::sin(u2) + std::cos(u1) * std::cos(u2) * cl;                              // (15)
        sigma = std::atan2(sin_sigma, cos_sigma);                                                                // (16)
        const double sin_alpha = std::cos(u1) * std::cos(u2) * sl / sin_sigma;                                   // (17)
        cos2_alpha = 1 - sin_alpha * sin_alpha;
        cos_2sm = cos2_alpha != 0 ? cos_sigma - 2 * std::sin(u1) * std::sin(u2) / cos2_alpha : 0;                // (18)
        const double c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha));                                   // (10)
        const double prev = lambda;
        lambda = l + (1 - c) * f * sin_alpha *
                         (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm * cos_2sm)));     // (11)
        if (std::abs(lambda - prev) < 1e-13) break;
    }
    const double u_sq = cos2_alpha * (a * a - b * b) / (b * b);
    const double big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)));  // (3)
    const double big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)));          // (4)
    const double d_sigma =
        big_b * sin_sigma *
        (cos_2sm + big_b / 4 *
                       (cos_sigma * (-1 + 2 * cos_2sm * cos_2sm) -
                        big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma * sin_sigma) * (-3 + 4 * cos_2sm * cos_2sm)));  // (6)
    return b * big_a * (sigma - d_sigma);  // (19)
}

fs::path fuji_tile() { return dxplan::test::terrain_dir() / "N35E138.hgt"; }

}  // namespace

TEST_CASE("geodesic distance matches an independent Vincenty inverse to 1 mm", "[geo][geodesic]") {
    const struct {
        const char* name;
        LatLon a, b;
    } pairs[] = {
        {"Kofu station - Mt Fuji summit", {35.6668, 138.5688}, {35.3608, 138.7275}},
        {"Tokyo - Osaka", {35.6812, 139.7671}, {34.7025, 135.4959}},
        {"Wakkanai - Naha", {45.4156, 141.6731}, {26.2124, 127.6809}},
        {"short hop, 50 m", {35.5, 138.5}, {35.5003, 138.5003}},
        {"across the equator", {-10.0, 100.0}, {15.0, 120.0}},
    };
    for (const auto& p : pairs) {
        const double ours_m = dxplan::geodesic_inverse(p.a, p.b).d_m;
        const double vincenty_m = vincenty_inverse_m(p.a, p.b);
        INFO(p.name << ": dxplan " << ours_m << " m, Vincenty " << vincenty_m << " m");
        CHECK(std::abs(ours_m - vincenty_m) < 1e-3);  // tolerance 1 mm
    }
    // Vincenty (1975)'s published test line, Flinders Peak - Buninyong (as reproduced by Geoscience Australia):
    // 54 972.271 m, forward azimuth 306 deg 52' 05.37".
    const auto r = dxplan::geodesic_inverse({-(37 + 57 / 60.0 + 3.72030 / 3600), 144 + 25 / 60.0 + 29.52440 / 3600},
                                            {-(37 + 39 / 60.0 + 10.15610 / 3600), 143 + 55 / 60.0 + 35.38390 / 3600});
    CHECK(r.d_m == Approx(54972.271).margin(1e-3));  // 1 mm
    CHECK(r.az1_deg + 360 == Approx(306 + 52 / 60.0 + 5.37 / 3600).margin(1e-5));
}

TEST_CASE("geodesic direct inverts the inverse", "[geo][geodesic]") {
    const LatLon a{35.6668, 138.5688}, b{35.3608, 138.7275};
    const auto inv = dxplan::geodesic_inverse(a, b);
    const LatLon back = dxplan::geodesic_direct(a, inv.az1_deg, inv.d_m);
    CHECK(back.lat_deg == Approx(b.lat_deg).margin(1e-10));
    CHECK(back.lon_deg == Approx(b.lon_deg).margin(1e-10));
}

TEST_CASE("profile on N35E138.hgt matches heights read with GDAL directly", "[geo][profile][real]") {
    if (!fs::exists(fuji_tile())) return dxplan::test::skip(fuji_tile().string() + " is absent (../shared not present)");
    const std::vector<fs::path> files{fuji_tile()};
    const auto terrain = dxplan::load_terrain(files);
    const LatLon from{35.6668, 138.5688}, to{35.3608, 138.7275};  // Kofu station -> Fuji summit
    const auto prof = dxplan::extract_profile(terrain, from, to, 50.0);
    const auto inv = dxplan::geodesic_inverse(from, to);
    REQUIRE(prof.z_m.size() >= 2);
    CHECK(prof.spacing_m <= 50.0);
    CHECK(prof.length_m() == Approx(inv.d_m).margin(1e-6));
    CHECK(prof.z_m.size() == static_cast<std::size_t>(std::ceil(inv.d_m / 50.0)) + 1);

    // Independent reference: raw samples read with GDAL, positions from the geodesic direct problem, bilinear.
    GDALAllRegister();
    GDALDataset* ds = GDALDataset::Open(fuji_tile().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
    REQUIRE(ds != nullptr);
    std::vector<double> raw(1201 * 1201);
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, 1201, 1201, raw.data(), 1201, 1201, GDT_Float64, 0, 0,
                                            nullptr) == CE_None);
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);
    GDALClose(ds);
    const auto gdal_height_m = [&](LatLon p) {
        const double x = (p.lon_deg - gt[0]) / gt[1] - 0.5;  // pixel-centre coordinates
        const double y = (p.lat_deg - gt[3]) / gt[5] - 0.5;
        const int c = static_cast<int>(std::floor(x)), r = static_cast<int>(std::floor(y));
        const double tx = x - c, ty = y - r;
        const auto z = [&](int rr, int cc) { return raw[static_cast<std::size_t>(rr) * 1201 + cc]; };
        return (1 - ty) * ((1 - tx) * z(r, c) + tx * z(r, c + 1)) + ty * ((1 - tx) * z(r + 1, c) + tx * z(r + 1, c + 1));
    };
    std::size_t checked = 0;
    double worst_m = 0;
    for (std::size_t i = 0; i < prof.z_m.size(); i += 7) {
        const LatLon p = dxplan::geodesic_direct(from, inv.az1_deg, prof.spacing_m * static_cast<double>(i));
        const double diff_m = std::abs(prof.z_m[i] - gdal_height_m(p));
        worst_m = std::max(worst_m, diff_m);
        INFO("sample " << i << " at " << p.lat_deg << "," << p.lon_deg);
        CHECK(diff_m < 0.05);  // tolerance 5 cm: sample positions are on the geodesic to within 2 cm
        ++checked;
    }
    std::cout << "profile: " << checked << " samples compared with GDAL, worst difference " << worst_m << " m\n";
    CHECK(prof.z_m.back() == Approx(3749.0).margin(1.0));  // Fuji summit, 1 m

    // Native spacing by default (92.5 m N-S at 35.5 N for 3").
    const auto native = dxplan::extract_profile(terrain, from, to);
    CHECK(native.spacing_m <= terrain.native_spacing_m());
    CHECK(native.spacing_m > 0.99 * terrain.native_spacing_m());
}

TEST_CASE("extract_profile_into reuses the caller's buffer", "[geo][profile][real]") {
    if (!fs::exists(fuji_tile())) return dxplan::test::skip(fuji_tile().string() + " is absent (../shared not present)");
    dxplan::TerrainOptions o;
    o.aoi = dxplan::GeoBox{35.5, 138.5, 35.7, 138.7};
    const std::vector<fs::path> files{fuji_tile()};
    const auto terrain = dxplan::load_terrain(files, o);
    std::vector<double> buf;
    buf.reserve(1000);
    const double* data = buf.data();
    const double s1 = dxplan::extract_profile_into(terrain, {35.6, 138.6}, {35.65, 138.65}, 30.0, buf);
    const std::size_t n1 = buf.size();
    const double s2 = dxplan::extract_profile_into(terrain, {35.6, 138.6}, {35.55, 138.6}, 30.0, buf);
    CHECK(buf.data() == data);  // no reallocation
    CHECK(s1 <= 30.0);
    CHECK(s2 <= 30.0);
    CHECK(n1 > 2);
    CHECK(buf.front() == Approx(terrain.height_m({35.6, 138.6})));
    CHECK(buf.back() == Approx(terrain.height_m({35.55, 138.6})));
    // Coincident points: one sample, spacing 0.
    CHECK(dxplan::extract_profile_into(terrain, {35.6, 138.6}, {35.6, 138.6}, 30.0, buf) == 0.0);
    CHECK(buf.size() == 1);
    // Along the north edge: the geodesic bulges a few metres north of the edge line, which is accepted.
    const dxplan::GeoBox c = terrain.grid().centres();
    CHECK_NOTHROW(dxplan::extract_profile(terrain, {c.north_deg, c.west_deg + 0.01}, {c.north_deg, c.east_deg - 0.01}));
    // Outside the (cropped) terrain, and a negative spacing.
    CHECK_THROWS_WITH(dxplan::extract_profile(terrain, {35.6, 138.6}, {35.9, 138.6}, 30.0),
                      Catch::Contains("outside the terrain"));
    CHECK_THROWS_WITH(dxplan::extract_profile(terrain, {35.6, 138.6}, {35.65, 138.6}, -1.0), Catch::Contains("spacing_m"));
}

TEST_CASE("earth bulge and first Fresnel zone radius", "[geo][clearance]") {
    // Bulge at mid-path of 50 km with k = 4/3: 25 km * 25 km / (2 * 4/3 * 6371 km) = 36.79 m.
    CHECK(dxplan::earth_bulge_m(25'000, 25'000, 4.0 / 3.0) == Approx(36.79).margin(0.01));
    CHECK(dxplan::earth_bulge_m(0, 50'000) == 0.0);
    // F1 at mid-path of 10 km at 5.8 GHz; P.530 practical form 17.3 sqrt(d1 d2 / (f d)) (km, GHz) = 11.36 m.
    // (17.3 is rounded from 17.314, hence the 0.1 % tolerance.)
    CHECK(dxplan::fresnel_radius_m(5'000, 5'000, 5'800) == Approx(17.314 * std::sqrt(25.0 / (5.8 * 10.0))).epsilon(1e-3));
}

TEST_CASE("LOS clearance over a flat profile and over a ridge", "[geo][clearance]") {
    // 10 km at 100 m spacing, flat at 0 m; antennas 30 m high; k = 4/3; 5.8 GHz.
    dxplan::Profile flat{100.0, std::vector<double>(101, 0.0)};
    const auto c = dxplan::los_clearance(flat, 30.0, 30.0, 5'800.0);
    // Minimum at mid-path: 30 m - bulge(5 km, 5 km) = 30 - 1.472 m.
    CHECK(c.line_of_sight);
    CHECK(c.min_clearance_d_m == Approx(5'000.0));
    CHECK(c.min_clearance_m == Approx(30.0 - 5000.0 * 5000.0 / (2 * 4.0 / 3.0 * 6'371'000.0)).margin(1e-9));
    // Over flat ground the smallest fraction of F1 is also at mid-path.
    CHECK(c.min_f1_fraction == Approx(c.min_clearance_m / dxplan::fresnel_radius_m(5'000, 5'000, 5'800)).margin(1e-9));

    // A 40 m ridge at 2 km blocks the path.
    auto ridge = flat;
    ridge.z_m[20] = 40.0;
    const auto r = dxplan::los_clearance(ridge, 30.0, 30.0, 5'800.0);
    CHECK_FALSE(r.line_of_sight);
    CHECK(r.min_clearance_d_m == Approx(2'000.0));
    CHECK(r.min_clearance_m < -10.0);
    CHECK(r.min_f1_fraction < 0.0);

    // Two points: no interior, infinite clearance.
    const dxplan::Profile two{100.0, {0.0, 0.0}};
    CHECK(std::isinf(dxplan::los_clearance(two, 10, 10, 900).min_clearance_m));
    CHECK_THROWS_AS(dxplan::los_clearance(flat, 10, 10, 0.0), dxplan::InputError);
}
