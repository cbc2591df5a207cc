// Route benchmark (issue 16): a 50 km route sampled every 5 m (about 10 100 samples), 3 technologies
// (local5g-n79-100mhz, halow-jp-4mhz, lorawan-as923-jp) x 4 conditions (summer in leaf, winter bare, snow 0.5 m
// with wet snow on the foliage, rain 50 mm/h), 11 sites per technology along the route, ITM for the snow-depth
// correction over 1" synthetic hills, land cover with forest patches. Times route::evaluate_route (sampling,
// losses, conditions, service, handover, outages, reliability, intersections); the cells' loss windows are
// the input (in `dxplan run` they come from the coverage stage) and are built before timing.
// Prints the CPU model, the thread count and the median wall time of 5 runs (target: < 2 s on 2 cores).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include <omp.h>

#include "libsim/geo/geo.hpp"
#include "libsim/link/link.hpp"
#include "libsim/route/route.hpp"

using namespace dxplan;

namespace {

constexpr double kArcsec = 1.0 / 3600.0;

double cpu_s() {  // CPU time of the process (all threads): robust when other processes share the cores
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown";
}

GeoGrid layout() {  // 36.00-36.20 N, 138.00-138.60 E at 1"
    GeoGrid g;
    g.rows = 721;
    g.cols = 2161;
    g.north_deg = 36.2;
    g.west_deg = 138.0;
    g.dlat_deg = g.dlon_deg = kArcsec;
    return g;
}

Terrain hills() {
    GeoGrid g = layout();
    g.values.resize(static_cast<std::size_t>(g.rows) * g.cols);
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c) {
            const double y = r * 30.8, x = c * 25.0;
            g.values[static_cast<std::size_t>(r) * g.cols + c] =
                static_cast<float>(500.0 + 150.0 * std::sin(x / 3000.0) * std::cos(y / 2000.0) + 40.0 * std::sin(x / 700.0 + y / 900.0));
        }
    return Terrain(std::move(g));
}

LandCover forest_patches() {
    GeoGrid g = layout();
    std::vector<std::uint8_t> cls(static_cast<std::size_t>(g.rows) * g.cols);
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c) cls[static_cast<std::size_t>(r) * g.cols + c] = std::sin(c / 40.0) * std::cos(r / 30.0) > 0.3 ? 5 : 2;
    return LandCover(g, std::move(cls),
                     ClutterTable({{2, "crop", ClutterCategory::cropland, 0.0, "bench"}, {5, "forest", ClutterCategory::forest, 15.0, "bench"}}),
                     "bench");
}

// A loss window within radius_m of the site: free space at the ground distance plus 10 dB (a stand-in for terrain).
GeoGrid window(LatLon site, double f_mhz, double radius_m) {
    const GeoGrid all = layout();
    const int r0 = std::max(0, static_cast<int>((all.north_deg - site.lat_deg) / kArcsec) - 200);
    const int c0 = std::max(0, static_cast<int>((site.lon_deg - all.west_deg) / kArcsec) - 250);
    GeoGrid g = all.window(r0, c0, std::min(400, all.rows - r0), std::min(500, all.cols - c0));
    g.values.resize(static_cast<std::size_t>(g.rows) * g.cols);
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c) {
            const double d_m = geodesic_inverse(site, {g.north_deg - r * kArcsec, g.west_deg + c * kArcsec}).d_m;
            g.values[static_cast<std::size_t>(r) * g.cols + c] =
                d_m > radius_m ? NAN : static_cast<float>(32.45 + 20.0 * std::log10(f_mhz) + 20.0 * std::log10(std::max(d_m, 10.0) / 1000.0) + 10.0);
        }
    return g;
}

}  // namespace

int main() {
    const Terrain terrain = hills();
    const LandCover lc = forest_patches();
    route::RouteSpec r;
    r.id = "bench-50km";
    std::vector<LatLon> pts;
    for (int k = 0; k <= 50; ++k) pts.push_back({36.1 + (k % 2 ? 0.002 : -0.002), 138.02 + k * 0.01105});
    r.geometry.parts = {pts};
    for (int k = 1; k < 50; k += 10) r.geometry.intersections.push_back(pts[static_cast<std::size_t>(k)]);
    r.options.spacing_m = 5.0;
    r.options.speeds = {{0.0, 40.0}, {20000.0, 60.0}};
    r.options.conditions = {{"summer", true, false, 0.0, 0.0}, {"winter-bare", false, false, 0.0, 0.0},
                            {"snow", false, true, 0.5, 0.0}, {"rain", true, false, 0.0, 50.0}};
    std::vector<route::NetworkTechnology> net;
    for (const char* name : {"local5g-n79-100mhz", "halow-jp-4mhz", "lorawan-as923-jp"}) {
        route::NetworkTechnology t;
        t.label = name;
        t.tech = link::load_technology(name);
        t.budget.location_reliability = 0.9;
        t.budget.shadow_sigma_db = 6.0;
        for (int s = 0; s <= 10; ++s) {
            route::Cell c;
            c.radio.id = "s" + std::to_string(s);
            c.radio.pos = {36.1 + (s % 2 ? 0.006 : -0.006), 138.02 + s * 0.0555};
            c.radio.h_tx_m = 30.0;
            c.loss_db = window(c.radio.pos, t.tech.f_center_mhz, 6000.0);
            t.cells.push_back(std::move(c));
        }
        net.push_back(std::move(t));
    }
    route::PropagationContext ctx;
    ctx.terrain = &terrain;
    ctx.land_cover = &lc;
    ctx.model = "itm";
    ctx.map_h_rx_m = 1.5;

    omp_set_num_threads(2);
    std::vector<double> times, cpu;
    route::RouteResult res;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_s();
        res = route::evaluate_route(r, net, ctx);
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(cpu_s() - c0);
    }
    std::sort(times.begin(), times.end());
    std::printf("CPU: %s; threads: %d\n", cpu_model().c_str(), omp_get_max_threads());
    std::printf("route %.1f km, %zu samples, %zu technologies x %zu conditions = %zu tracks\n", res.length_m / 1000.0,
                res.samples.size(), net.size(), r.options.conditions.size(), res.tracks.size());
    for (const route::Track& t : res.tracks)
        std::printf("  %-20s %-12s share of length %.3f, handovers %zu\n", t.label.c_str(), t.condition.c_str(), t.share_length,
                    t.handovers.size());
    std::sort(cpu.begin(), cpu.end());
    std::printf("evaluate_route: median %.3f s wall of 5 (min %.3f, max %.3f); CPU time (all threads) median %.3f s\n",
                times[2], times.front(), times.back(), cpu[2]);
    return 0;
}
