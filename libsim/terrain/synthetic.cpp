// The project's synthetic test world: a rural mountain valley in central Japan (see synthetic.hpp).
//
// Built in a local east/north frame in metres around (36.0 N, 138.2 E), converted to lat/lon with the WGS84
// radii of curvature at 36 N. The layout (valleys, village, hamlets, road, town hall) is fixed; the seed only
// changes the fine relief (value-noise octaves). Everything is plain double arithmetic on a fixed sequence of
// operations with a counter-based hash instead of a shared random generator, so the result is bit-identical
// run to run and independent of threads.
#include "libsim/terrain/synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "libsim/core/units.hpp"

namespace dxplan {

namespace {

// Grid: sample centres on whole arc-seconds, 0.11 deg x 0.14 deg (about 12.2 km x 12.6 km) at 1".
inline constexpr double kCentreLat_deg = 36.0;
inline constexpr double kCentreLon_deg = 138.2;
inline constexpr double kNorth_deg = 36.055;  // centre of row 0
inline constexpr double kWest_deg = 138.13;   // centre of column 0
inline constexpr double kStep_deg = 1.0 / 3600.0;
inline constexpr int kRows = 397;
inline constexpr int kCols = 505;

struct Frame {
    double m_per_deg_lat;
    double m_per_deg_lon;
};

Frame local_frame() {
    const double phi = deg_to_rad(kCentreLat_deg);
    const double e2 = kWgs84F * (2.0 - kWgs84F);
    const double w = std::sqrt(1.0 - e2 * std::sin(phi) * std::sin(phi));
    const double meridian_m = kWgs84A_m * (1.0 - e2) / (w * w * w);  // radius of curvature in the meridian
    const double normal_m = kWgs84A_m / w;                           // radius of curvature in the prime vertical
    return {meridian_m * kPi / 180.0, normal_m * std::cos(phi) * kPi / 180.0};
}

struct Xy {
    double x_m;  // east of the centre
    double y_m;  // north of the centre
};

LatLon to_latlon(const Frame& f, Xy p) {
    return {kCentreLat_deg + p.y_m / f.m_per_deg_lat, kCentreLon_deg + p.x_m / f.m_per_deg_lon};
}

double smoothstep(double t) {
    t = std::clamp(t, 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

// Polynomial smooth minimum (blend width k_m), so valley walls meet without a crease.
double smooth_min(double a, double b, double k_m) {
    const double h = std::max(k_m - std::abs(a - b), 0.0) / k_m;
    return std::min(a, b) - h * h * k_m * 0.25;
}

// splitmix64 finaliser: a counter-based hash, the same value for the same key on every run and thread.
std::uint64_t mix(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Lattice value in [-1, 1] for integer cell (ix, iy) of one octave.
double lattice(std::int64_t ix, std::int64_t iy, std::uint64_t seed, int octave) {
    std::uint64_t h = mix(seed * 0x100000001B3ULL + static_cast<std::uint64_t>(octave));
    h = mix(h ^ static_cast<std::uint64_t>(ix));
    h = mix(h ^ static_cast<std::uint64_t>(iy));
    return static_cast<double>(h >> 11) * (2.0 / 9007199254740992.0) - 1.0;  // 2^53
}

// Value noise in [-1, 1] with wavelength wl_m.
double value_noise(Xy p, double wl_m, std::uint64_t seed, int octave) {
    const double gx = p.x_m / wl_m;
    const double gy = p.y_m / wl_m;
    const double fx = std::floor(gx);
    const double fy = std::floor(gy);
    const auto ix = static_cast<std::int64_t>(fx);
    const auto iy = static_cast<std::int64_t>(fy);
    const double tx = smoothstep(gx - fx);
    const double ty = smoothstep(gy - fy);
    const double a = lattice(ix, iy, seed, octave);
    const double b = lattice(ix + 1, iy, seed, octave);
    const double c = lattice(ix, iy + 1, seed, octave);
    const double d = lattice(ix + 1, iy + 1, seed, octave);
    return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

// ---- the fixed layout ----

// Main valley: axis x(y) meanders; the floor rises gently to the north (the river flows south).
double main_axis_x_m(double y_m) { return 500.0 * std::sin(2.0 * kPi * (y_m + 1000.0) / 10000.0) + 0.12 * y_m; }
double main_floor_m(double y_m) { return 640.0 + 0.012 * (y_m + 6100.0); }
double main_floor_half_width_m(double y_m) { return 350.0 + 350.0 * std::exp(-(y_m / 2000.0) * (y_m / 2000.0)); }

struct SideValley {
    const char* hamlet;
    double junction_y_m;  // where it meets the main axis
    double angle_deg;     // direction up the side valley, counter-clockwise from east
    double length_m;
    double rise_m;        // floor rise from the junction to the head
};

inline constexpr std::array kSideValleys = {
    SideValley{"hamlet-higashi", -2500.0, 20.0, 4800.0, 520.0},
    SideValley{"hamlet-nishi", 1500.0, 165.0, 4300.0, 480.0},
    SideValley{"hamlet-kita", 3600.0, 50.0, 4000.0, 450.0},
    SideValley{"hamlet-minami", -4200.0, 215.0, 3800.0, 420.0},
};
inline constexpr double kHamletAt = 0.5;  // hamlets sit half-way up their side valley

Xy side_point(const SideValley& v, double t) {
    const double a = deg_to_rad(v.angle_deg);
    const Xy j{main_axis_x_m(v.junction_y_m), v.junction_y_m};
    return {j.x_m + t * v.length_m * std::cos(a), j.y_m + t * v.length_m * std::sin(a)};
}

const Xy kVillage{main_axis_x_m(200.0) + 120.0, 200.0};  // on the valley floor, east bank
inline constexpr double kRoadOffset_m = 120.0;            // the road runs along the east bank
inline constexpr double kVillageRadius_m = 480.0;
inline constexpr double kHamletRadius_m = 130.0;
inline constexpr double kTreeLine_m = 1600.0;             // above: open grass and rock

struct Ground {
    double z_m;           // height
    double above_floor_m; // height above the floor of the nearest valley
    double u_main_m;      // signed distance across the main valley from its axis
};

Ground ground(Xy p, std::uint64_t seed) {
    // Ridge height varies slowly along the range.
    const double relief_m = 950.0 + 200.0 * value_noise(p, 6000.0, seed, 99);
    const double u = p.x_m - main_axis_x_m(p.y_m);
    const double floor_main_m = main_floor_m(p.y_m);
    double above_m = relief_m * smoothstep((std::abs(u) - main_floor_half_width_m(p.y_m)) / 3800.0);
    double z = floor_main_m + above_m;
    for (const auto& v : kSideValleys) {
        const double a = deg_to_rad(v.angle_deg);
        const Xy j = side_point(v, 0.0);
        const double along_m = (p.x_m - j.x_m) * std::cos(a) + (p.y_m - j.y_m) * std::sin(a);
        const double t = std::clamp(along_m / v.length_m, 0.0, 1.0);
        const Xy c = side_point(v, t);
        const double dist_m = std::hypot(p.x_m - c.x_m, p.y_m - c.y_m);
        const double floor_m = main_floor_m(v.junction_y_m) + v.rise_m * std::pow(t, 1.6);
        const double side_above_m = 0.9 * relief_m * smoothstep((dist_m - 60.0) / 1100.0);
        z = smooth_min(z, floor_m + side_above_m, 40.0);
        above_m = std::min(above_m, side_above_m);
    }
    // Fine relief, faded out on the valley floors so that fields and villages stay flat.
    double n = 0.0;
    double wl_m = 2400.0;
    double amp_m = 120.0;
    for (int octave = 0; octave < 5; ++octave, wl_m *= 0.5, amp_m *= 0.5) n += amp_m * value_noise(p, wl_m, seed, octave);
    // Never below the valley floor: no pits along the valley margins.
    const double relief_fine_m = std::max(smoothstep(above_m / 60.0) * n, -0.8 * above_m);
    return {z + relief_fine_m, above_m + relief_fine_m, u};
}

// JAXA HRLULC class ids (models/landcover/jaxa_hrlulc.csv).
inline constexpr std::uint8_t kWater = 1;
inline constexpr std::uint8_t kBuiltUp = 2;
inline constexpr std::uint8_t kPaddy = 3;
inline constexpr std::uint8_t kGrassland = 5;
inline constexpr std::uint8_t kDeciduousBroadleaf = 6;
inline constexpr std::uint8_t kEvergreenNeedleleaf = 9;  // sugi / hinoki plantations
inline constexpr std::uint8_t kBareLand = 10;

std::uint8_t classify(Xy p, const Ground& g, std::uint64_t seed) {
    if (std::abs(g.u_main_m) < 15.0) return kWater;  // the river, about one cell wide
    if (g.above_floor_m < 15.0) {
        // Built-up edge made irregular by noise so the village is not a perfect disc.
        const double edge_m = 60.0 * value_noise(p, 300.0, seed, 50);
        if (std::hypot(p.x_m - kVillage.x_m, p.y_m - kVillage.y_m) < kVillageRadius_m + edge_m) return kBuiltUp;
        for (const auto& v : kSideValleys) {
            const Xy h = side_point(v, kHamletAt);
            if (std::hypot(p.x_m - h.x_m, p.y_m - h.y_m) < kHamletRadius_m + 0.3 * edge_m) return kBuiltUp;
        }
    }
    if (g.above_floor_m < 8.0) return kPaddy;
    if (g.z_m >= kTreeLine_m + 150.0) return kBareLand;
    if (g.z_m >= kTreeLine_m) return kGrassland;
    // Plantations on the lower slopes, broad-leaf woods higher up, mixed by a slow noise.
    return g.above_floor_m + 150.0 * value_noise(p, 1500.0, seed, 51) < 350.0 ? kEvergreenNeedleleaf : kDeciduousBroadleaf;
}

}  // namespace

SyntheticValley make_synthetic_valley(std::uint64_t seed, const ClutterTable& clutter) {
    const Frame f = local_frame();
    GeoGrid heights;
    heights.rows = kRows;
    heights.cols = kCols;
    heights.north_deg = kNorth_deg;
    heights.west_deg = kWest_deg;
    heights.dlat_deg = kStep_deg;
    heights.dlon_deg = kStep_deg;
    heights.values.resize(static_cast<std::size_t>(kRows) * kCols);
    std::vector<std::uint8_t> classes(heights.values.size());

    for (int r = 0; r < kRows; ++r) {
        const double lat = kNorth_deg - r * kStep_deg;
        for (int c = 0; c < kCols; ++c) {
            const double lon = kWest_deg + c * kStep_deg;
            const Xy p{(lon - kCentreLon_deg) * f.m_per_deg_lon, (lat - kCentreLat_deg) * f.m_per_deg_lat};
            const Ground g = ground(p, seed);
            const std::size_t i = static_cast<std::size_t>(r) * kCols + c;
            heights.values[i] = static_cast<float>(g.z_m);
            classes[i] = classify(p, g, seed);
        }
    }

    const std::string source = "synthetic valley (seed " + std::to_string(seed) + ")";
    GeoGrid layout = heights;
    layout.values.clear();
    SyntheticValley w;
    w.terrain = Terrain(std::move(heights), {}, {source});
    w.land_cover = LandCover(std::move(layout), std::move(classes), clutter, source);
    w.town_hall = to_latlon(f, kVillage);
    w.places.push_back({"village", "village", to_latlon(f, kVillage)});
    for (const auto& v : kSideValleys) w.places.push_back({v.hamlet, "hamlet", to_latlon(f, side_point(v, kHamletAt))});

    // Main road along the east bank from the south edge to the north edge, then one branch up each side
    // valley to a little beyond its hamlet.
    std::vector<LatLon> main_road;
    for (double y = -6000.0; y <= 6000.0; y += 200.0) main_road.push_back(to_latlon(f, {main_axis_x_m(y) + kRoadOffset_m, y}));
    w.roads.push_back(std::move(main_road));
    for (const auto& v : kSideValleys) {
        std::vector<LatLon> branch{to_latlon(f, {main_axis_x_m(v.junction_y_m) + kRoadOffset_m, v.junction_y_m})};
        for (double t = 0.1; t <= kHamletAt + 0.1 + 1e-9; t += 0.1) branch.push_back(to_latlon(f, side_point(v, t)));
        w.roads.push_back(std::move(branch));
    }
    return w;
}

}  // namespace dxplan
