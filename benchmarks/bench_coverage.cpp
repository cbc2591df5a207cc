// Coverage solver: wall time, pixels/s, peak RSS, and fast-vs-exact accuracy on real terrain (issue 5).
// Fixed inputs: N35E138.hgt (SRTM 3"), site 35.5 N 138.6 E, 30 m mast, 1.5 m receiver, 920 MHz, ITM with the
// SPLAT!/Signal-Server defaults; radius 5/10/20 km at 3" and 1" grids, 1 and 2 threads, exact and fast modes.
// Each (radius, grid, threads) case runs in its own child process (so its peak RSS is its own): terrain load,
// then `reps` runs of exact and of fast; the median wall time of compute_site_loss is printed. |diff| compares the
// last fast map with the last exact map over pixels where ITM reports no error (no horizon-angle/-distance
// warning, i.e. ITM 1.2.2 kwx < 3) in the exact run, and over all pixels. crc: a checksum of the map, equal across thread counts.
//
// Then 20 sites at 10 km combined (multi_site.hpp), 3" and 1", 1 and 2 threads.
//
// Usage: bench_coverage [--quick] [--reps N] [--terrain-dir DIR] [--case KM:ARCSEC] [--threads N]
//   --quick: radius 2 km at 3" only, 1 rep (the CI smoke run).
//   --case 20:1: only that radius and grid (single-site cases, no multi-site run); --threads: only that count.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <omp.h>

#include "libsim/core/memory.hpp"
#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/site_loss.hpp"
#include "models/propagation/itm.hpp"

namespace {

using namespace dxplan;
using namespace dxplan::coverage;

// ITM 1.2.2 kwx = 3 conditions: horizon angles > 200 mrad, horizon distances outside 0.1-3x smooth earth.
constexpr std::uint32_t kItmErrorBits = prop::itm_warning::tx_horizon_angle | prop::itm_warning::rx_horizon_angle |
                                        prop::itm_warning::tx_horizon_distance_1 | prop::itm_warning::rx_horizon_distance_1 |
                                        prop::itm_warning::tx_horizon_distance_2 | prop::itm_warning::rx_horizon_distance_2 |
                                        kModelError;

struct Case {
    double radius_km;
    double arcsec;
    int threads;
};

// CPU time of the process (all threads): robust when other processes share the cores.
double cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? NAN : v[v.size() / 2];
}

std::uint32_t crc(const std::vector<float>& v) {  // FNV-1a over the bytes
    std::uint32_t h = 2166136261u;
    const auto* p = reinterpret_cast<const unsigned char*>(v.data());
    for (std::size_t i = 0; i < v.size() * sizeof(float); ++i) h = (h ^ p[i]) * 16777619u;
    return h;
}

SiteLossSpec base_spec(double radius_km, Mode mode) {
    SiteLossSpec s;
    s.site = {35.5, 138.6};
    s.h_tx_m = 30.0;
    s.h_rx_m = 1.5;
    s.radius_m = radius_km * 1000.0;
    s.model = "itm";
    s.params.f_mhz = 920.0;
    s.mode = mode;
    return s;
}

// Runs in the child; prints one line.
void run_case(const Case& c, int reps, const std::filesystem::path& dem) {
    const GeoGrid grid = make_receiver_grid({35.5, 138.6}, c.radius_km * 1000.0, {c.arcsec, 0.0});
    TerrainOptions topt;
    topt.aoi = grid.bounds();
    const std::filesystem::path files[] = {dem};
    const Terrain terrain = load_terrain(files, topt);
    omp_set_num_threads(c.threads);

    SiteLoss exact, fast;
    std::vector<double> t_exact, t_fast, cpu_exact, cpu_fast;
    for (int r = 0; r < reps; ++r) {
        SiteLossSpec se = base_spec(c.radius_km, Mode::exact);
        se.keep_warnings = true;
        const double c0 = cpu_s();
        auto t0 = std::chrono::steady_clock::now();
        exact = compute_site_loss(terrain, se, grid);
        auto t1 = std::chrono::steady_clock::now();
        const double c1 = cpu_s();
        fast = compute_site_loss(terrain, base_spec(c.radius_km, Mode::fast), grid);
        auto t2 = std::chrono::steady_clock::now();
        const double c2 = cpu_s();
        t_exact.push_back(std::chrono::duration<double>(t1 - t0).count());
        t_fast.push_back(std::chrono::duration<double>(t2 - t1).count());
        cpu_exact.push_back(c1 - c0);
        cpu_fast.push_back(c2 - c1);
    }
    std::vector<double> diff, diff_all;  // over pixels where ITM reports no error / over all pixels
    for (std::size_t i = 0; i < exact.loss_db.values.size(); ++i) {
        const float e = exact.loss_db.values[i], f = fast.loss_db.values[i];
        if (std::isnan(e) || std::isnan(f)) continue;
        const double d = std::abs(static_cast<double>(f) - e);
        diff_all.push_back(d);
        if ((exact.warnings[i] & kItmErrorBits) == 0) diff.push_back(d);
    }
    std::sort(diff.begin(), diff.end());
    std::sort(diff_all.begin(), diff_all.end());
    const auto q = [](const std::vector<double>& v, double p) {
        return v.empty() ? NAN : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
    };
    const double te = median(t_exact), tf = median(t_fast);
    std::printf("| %4.0f km | %.0f\" | %9zu | %d | %7.3f | %6.3f | %6.2f | %7.3f | %6.3f | %6.2f | %5.2f / %5.2f / %5.1f | %4.1f%% | "
                "%5.2f / %5.2f | %08x | %08x |",
                c.radius_km, c.arcsec, exact.pixels, c.threads, te, median(cpu_exact), exact.pixels / te / 1e6, tf,
                median(cpu_fast), fast.pixels / tf / 1e6,
                q(diff, 0.5), q(diff, 0.95), q(diff, 1.0), 100.0 * diff.size() / std::max<std::size_t>(1, diff_all.size()),
                q(diff_all, 0.5), q(diff_all, 0.95), crc(exact.loss_db.values), crc(fast.loss_db.values));
    std::fflush(stdout);
}

// 20 sites of one technology (HaLow 920 MHz, two channels) on a 5 x 4 lattice 0.05 deg apart around the site,
// 10 km each, combined into best server / SINR / throughput maps (fast mode).
void run_multi(double arcsec, int threads, int reps, const std::filesystem::path& dem) {
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    for (int i = 0; i < 20; ++i)
        spec.sites.push_back({"S" + std::to_string(i), {35.5 + 0.05 * (i / 5 - 1.5), 138.6 + 0.05 * (i % 5 - 2)}, 30.0, 0, i % 2, {}});
    const GeoBox box{35.5 - 0.075 - 0.1, 138.6 - 0.1 - 0.12, 35.5 + 0.075 + 0.1, 138.6 + 0.1 + 0.12};
    spec.grid = make_receiver_grid({35.5, 138.6}, 1.0, {arcsec, 0.0});  // lattice; extent set below
    spec.grid.rows = static_cast<int>((box.north_deg - box.south_deg) / spec.grid.dlat_deg) + 1;
    spec.grid.cols = static_cast<int>((box.east_deg - box.west_deg) / spec.grid.dlon_deg) + 1;
    spec.grid.north_deg = std::floor(box.north_deg / spec.grid.dlat_deg) * spec.grid.dlat_deg;
    spec.grid.west_deg = std::ceil(box.west_deg / spec.grid.dlon_deg) * spec.grid.dlon_deg;
    spec.radius_m = 10'000.0;
    TerrainOptions topt;
    topt.aoi = spec.grid.bounds();
    const std::filesystem::path files[] = {dem};
    const Terrain terrain = load_terrain(files, topt);
    omp_set_num_threads(threads);
    std::vector<double> t, cpu;
    CoverageMaps maps;
    for (int r = 0; r < reps; ++r) {
        const double c0 = cpu_s();
        const auto t0 = std::chrono::steady_clock::now();
        maps = compute_coverage(terrain, spec);
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(cpu_s() - c0);
    }
    std::size_t served = 0;
    for (auto s : maps.technologies[0].best_server) served += s != kNone;
    const double tm = median(t);
    std::printf("| 20 x 10 km | %.0f\" | %zu | %d | %7.3f | %7.3f | %6.2f | %zu | %08x |", arcsec,
                static_cast<std::size_t>(spec.grid.rows) * spec.grid.cols, threads, tm, median(cpu),
                maps.model_calls / tm / 1e6, served, crc(maps.technologies[0].sinr_db.values));
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    dxplan::keep_freed_memory();  // as tools/main.cpp
    bool quick = false;
    int reps = 3;
    double only_km = 0.0, only_arcsec = 0.0;
    int only_threads = 0;
    std::filesystem::path dir = std::filesystem::path(DXPLAN_SOURCE_DIR) / ".." / "shared" / "data" / "terrain";
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick")) quick = true;
        else if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--terrain-dir") && i + 1 < argc) dir = argv[++i];
        else if (!std::strcmp(argv[i], "--case") && i + 1 < argc &&
                 std::sscanf(argv[++i], "%lf:%lf", &only_km, &only_arcsec) == 2 && only_km > 0 && only_arcsec > 0) {
        } else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc && (only_threads = std::atoi(argv[++i])) > 0) {
        } else {
            std::fprintf(stderr, "usage: bench_coverage [--quick] [--reps N] [--terrain-dir DIR] [--case KM:ARCSEC] "
                                 "[--threads N]\n");
            return 2;
        }
    }
    const auto dem = dir / "N35E138.hgt";
    if (!std::filesystem::exists(dem)) {
        std::printf("bench_coverage: %s not found, nothing to measure\n", dem.c_str());
        return 0;
    }
    std::vector<Case> cases;
    if (quick) {
        cases = {{2, 3, 1}, {2, 3, 2}};
        reps = 1;
    } else {
        for (double r : {5.0, 10.0, 20.0})
            for (double a : {3.0, 1.0})
                for (int t : {1, 2})
                    if ((only_km == 0.0 || (r == only_km && a == only_arcsec)) && (only_threads == 0 || t == only_threads))
                        cases.push_back({r, a, t});
        if (only_km > 0.0 && cases.empty()) {
            for (int t : {1, 2})
                if (only_threads == 0 || t == only_threads) cases.push_back({only_km, only_arcsec, t});
        }
    }
    std::printf("ITM 920 MHz, 35.5 N 138.6 E, 30 m / 1.5 m, N35E138.hgt; median of %d runs; wall s of the solver "
                "(terrain load excluded); peak RSS of the whole process\n", reps);
    std::printf("| radius | grid | pixels | thr | exact wall s | exact CPU s | exact Mpx/s | fast wall s | fast CPU s | fast Mpx/s | |d| med / p95 / max, no-error px, dB | no-error share | |d| med / p95, all px, dB | crc exact | crc fast | peak RSS MiB |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    std::vector<std::pair<double, int>> multi;  // (arcsec, threads)
    if (!quick && only_km == 0.0)
        for (double a : {3.0, 1.0})
            for (int t : {1, 2})
                if (only_threads == 0 || t == only_threads) multi.push_back({a, t});
    for (std::size_t k = 0; k < cases.size() + multi.size(); ++k) {
        if (k == cases.size()) {
            std::printf("\n| sites | grid | area pixels | thr | wall s | CPU s | site Mpx/s | pixels served | crc sinr | peak RSS MiB |\n");
            std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
            std::fflush(stdout);  // before fork(), or the child prints the buffered header again
        }
        const pid_t pid = fork();
        if (pid == 0) {
            try {
                if (k < cases.size())
                    run_case(cases[k], reps, dem);
                else
                    run_multi(multi[k - cases.size()].first, multi[k - cases.size()].second, reps, dem);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "bench_coverage: %s\n", e.what());
                std::_Exit(1);
            }
            std::_Exit(0);
        }
        int status = 0;
        rusage ru{};
        wait4(pid, &status, 0, &ru);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::printf(" failed |\n");
            return 1;
        }
        std::printf(" %6.1f |\n", ru.ru_maxrss / 1024.0);
        std::fflush(stdout);
    }
    return 0;
}
