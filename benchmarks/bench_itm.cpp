// ITM point-to-point cost per call over real SRTM profiles (N35E138.hgt, Kofu / Mt Fuji), and heap allocations
// per call. Fixed inputs: 8 azimuths from 35.5 N 138.6 E; profiles of 100, 300 and 1000 points; the median of
// 7 repetitions. Then part (b) alone, scalar itm_p2p_from_geometry() against itm_p2p_batch() with each vector
// kernel the CPU runs (AVX-512, AVX2), in ns per evaluation over the same geometries: every 7th prefix of the
// 1000-point profiles (as along a coverage radial).
// Usage: bench_itm [terrain_dir]   (default: ../shared/data/terrain next to the checkout)
#include <algorithm>
#include <array>
#include <atomic>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "libsim/core/profile.hpp"
#include "libsim/core/units.hpp"
#include "libsim/terrain/terrain.hpp"
#include "models/propagation/itm.hpp"
#include "models/propagation/itm_batch.hpp"

// Counting allocator for this binary only: every global operator new bumps the counter.
namespace {
std::atomic<long long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace dxplan;

// CPU time of this thread: robust when other processes share the cores (wall time is printed too).
double thread_cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) * 1e-3;
}

// Profile along an azimuth, sampled bilinearly every spacing_m (local spherical approximation; the
// benchmark needs realistic terrain, not geodesic accuracy).
Profile radial(const Terrain& t, LatLon from, double az_deg, int points, double spacing_m) {
    Profile p;
    p.spacing_m = spacing_m;
    const double az = deg_to_rad(az_deg);
    for (int i = 0; i < points; ++i) {
        const double d_m = i * spacing_m;
        const double lat = from.lat_deg + rad_to_deg(d_m * std::cos(az) / kEarthRadiusMean_m);
        const double lon = from.lon_deg +
                           rad_to_deg(d_m * std::sin(az) / (kEarthRadiusMean_m * std::cos(deg_to_rad(from.lat_deg))));
        p.z_m.push_back(t.height_m({lat, lon}));
    }
    return p;
}

struct Figures {
    double us_per_call;
    double allocations_per_call;
};

// Median over repetitions of the mean time per call of fn over all profiles.
template <class Fn>
Figures measure(const std::vector<Profile>& profiles, int calls, Fn&& fn) {
    constexpr int kRepetitions = 7;
    std::array<double, kRepetitions> us{};
    long long allocations = 0;
    double sink = 0.0;
    for (int r = 0; r < kRepetitions; ++r) {
        const long long a0 = g_allocations.load();
        const double t0 = thread_cpu_us();
        for (int c = 0; c < calls; ++c) sink += fn(profiles[static_cast<std::size_t>(c) % profiles.size()]);
        const double t1 = thread_cpu_us();
        allocations += g_allocations.load() - a0;
        us[r] = (t1 - t0) / calls;
    }
    std::sort(us.begin(), us.end());
    if (!std::isfinite(sink)) std::printf("(non-finite checksum)\n");
    return {us[kRepetitions / 2], static_cast<double>(allocations) / (static_cast<double>(calls) * kRepetitions)};
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path dir =
        argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::path(DXPLAN_SOURCE_DIR) / ".." / "shared" / "data" / "terrain";
    const std::vector<std::filesystem::path> files = {dir / "N35E138.hgt"};
    const Terrain terrain = load_terrain(files);
    const LatLon site{35.5, 138.6};

    prop::ItmParams params;
    params.f_mhz = 920.0;  // 920 MHz LPWA / HaLow band
    params.climate = 5;
    params.mdvar = 12;
    const prop::ItmVariability tls{50.0, 50.0, 50.0};
    const double h_tx_m = 30.0;
    const double h_rx_m = 1.5;

    std::printf("ITM point-to-point, N35E138.hgt, 8 azimuths from 35.5N 138.6E, f = 920 MHz, h = 30 m / 1.5 m\n");
    std::printf("us per call = thread CPU time, median of 7 repetitions; one core\n\n");
    std::printf("%7s %10s %12s %16s %16s %14s\n", "points", "spacing_m", "p2p_us", "analyze_us", "from_geom_us",
                "allocs/call");
    struct Case {
        int points;
        double spacing_m;
        int calls;
    };
    for (const Case c : {Case{100, 90.0, 40000}, Case{300, 90.0, 20000}, Case{1000, 30.0, 8000}}) {
        std::vector<Profile> profiles;
        for (int k = 0; k < 8; ++k) profiles.push_back(radial(terrain, site, 45.0 * k, c.points, c.spacing_m));
        const Figures full = measure(profiles, c.calls, [&](const Profile& p) {
            return prop::itm_p2p(p, h_tx_m, h_rx_m, params, tls).loss_db;
        });
        const Figures analyze = measure(profiles, c.calls, [&](const Profile& p) {
            return prop::itm_analyze_profile(p, h_tx_m, h_rx_m, params.n0).delta_h_m;
        });
        std::vector<prop::ItmTerrainGeometry> geometry;
        for (const auto& p : profiles) geometry.push_back(prop::itm_analyze_profile(p, h_tx_m, h_rx_m, params.n0));
        std::size_t next = 0;
        const Figures from_geometry = measure(profiles, c.calls, [&](const Profile&) {
            return prop::itm_p2p_from_geometry(geometry[next++ % geometry.size()], params, tls).loss_db;
        });
        std::printf("%7d %10.0f %12.3f %16.3f %16.3f %14.3f\n", c.points, c.spacing_m, full.us_per_call,
                    analyze.us_per_call, from_geometry.us_per_call, full.allocations_per_call);
    }

    // Part (b) alone: scalar against batch over the same geometries.
    std::vector<prop::ItmTerrainGeometry> geometry;
    for (int k = 0; k < 8; ++k) {
        const Profile p = radial(terrain, site, 45.0 * k, 1000, 30.0);
        for (std::size_t n = 3; n <= p.z_m.size(); n += 7)
            geometry.push_back(prop::itm_analyze_profile(ProfileView(p.spacing_m, std::span(p.z_m).first(n)), h_tx_m,
                                                         h_rx_m, params.n0));
    }
    prop::ItmGeometryBuffer batch;
    for (const prop::ItmTerrainGeometry& g : geometry) batch.push_back(g);
    const prop::ItmPrepared prepared = prop::itm_prepare(params, tls);
    std::vector<double> loss_db(geometry.size());
    std::vector<std::uint32_t> warnings(geometry.size());
    constexpr int kRepetitions = 7, kRounds = 20;
    std::vector<prop::ItmBatchKernel> kernels;  // every kernel this CPU runs, the selected one first
    for (const prop::ItmBatchKernel kernel : {prop::ItmBatchKernel::avx512, prop::ItmBatchKernel::avx2})
        if (prop::itm_batch_kernel_supported(kernel)) kernels.push_back(kernel);
    std::array<double, kRepetitions> scalar_ns{};
    std::vector<std::array<double, kRepetitions>> batch_ns(kernels.size());
    std::vector<double> max_diff_db(kernels.size(), 0.0);
    double sink = 0.0;
    for (int r = 0; r < kRepetitions; ++r) {
        double t0 = thread_cpu_us();
        for (int round = 0; round < kRounds; ++round)
            for (std::size_t i = 0; i < geometry.size(); ++i) {
                loss_db[i] = prop::itm_p2p_from_geometry(geometry[i], prepared).loss_db;
                sink += loss_db[i];
            }
        const std::vector<double> scalar = loss_db;
        double t1 = thread_cpu_us();
        scalar_ns[r] = (t1 - t0) * 1e3 / (kRounds * static_cast<double>(geometry.size()));
        for (std::size_t k = 0; k < kernels.size(); ++k) {
            t0 = thread_cpu_us();
            for (int round = 0; round < kRounds; ++round) {
                prop::itm_p2p_batch(kernels[k], prepared, batch.view(), loss_db, warnings);
                sink += loss_db[0];
            }
            t1 = thread_cpu_us();
            batch_ns[k][r] = (t1 - t0) * 1e3 / (kRounds * static_cast<double>(geometry.size()));
            for (std::size_t i = 0; i < geometry.size(); ++i)
                max_diff_db[k] = std::max(max_diff_db[k], std::abs(loss_db[i] - scalar[i]));
        }
    }
    std::sort(scalar_ns.begin(), scalar_ns.end());
    if (!std::isfinite(sink)) std::printf("(non-finite checksum)\n");
    std::printf("\npart (b) over %zu geometries (every 7th prefix of 8 x 1000 points at 30 m), ns per evaluation;\n"
                "itm_p2p_batch() uses the %s kernel on this CPU:\n",
                geometry.size(), std::string(prop::itm_batch_kernel_name(prop::itm_batch_kernel())).c_str());
    std::printf("%8s %16s %10s %18s\n", "kernel", "ns/eval", "speed-up", "max|diff|_db");
    std::printf("%8s %16.1f %10.2f %18s\n", "from_geom", scalar_ns[kRepetitions / 2], 1.0, "-");
    for (std::size_t k = 0; k < kernels.size(); ++k) {
        std::sort(batch_ns[k].begin(), batch_ns[k].end());
        std::printf("%8s %16.1f %10.2f %18.3g\n", std::string(prop::itm_batch_kernel_name(kernels[k])).c_str(),
                    batch_ns[k][kRepetitions / 2], scalar_ns[kRepetitions / 2] / batch_ns[k][kRepetitions / 2],
                    max_diff_db[k]);
    }
    return 0;
}
