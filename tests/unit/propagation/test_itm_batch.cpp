// itm_p2p_batch() against the scalar itm_p2p_from_geometry(), lane by lane and with every kernel the CPU runs
// (AVX-512, AVX2, scalar), and the kernel selection: geometries from itm_analyze_profile()
// over real SRTM profiles (N35E138.hgt) when ../shared is there, else over synthetic random terrain, plus
// derived geometries that reach troposcatter and the range extremes, and lanes the scalar model rejects.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/profile.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/terrain/terrain.hpp"
#include "models/propagation/itm.hpp"
#include "models/propagation/itm_batch.hpp"
#include "tests/test_paths.hpp"

using namespace dxplan;

namespace {

struct Lanes {
    std::vector<double> loss_db;
    std::vector<std::uint32_t> warnings;
};

Lanes run_batch(prop::ItmBatchKernel kernel, const prop::ItmPrepared& k,
                const std::vector<prop::ItmTerrainGeometry>& gs) {
    prop::ItmGeometryBuffer buffer;
    for (const prop::ItmTerrainGeometry& g : gs) buffer.push_back(g);
    Lanes out{std::vector<double>(gs.size()), std::vector<std::uint32_t>(gs.size())};
    prop::itm_p2p_batch(kernel, k, buffer.view(), out.loss_db, out.warnings);
    return out;
}

// Every kernel this CPU runs, the selected (widest) one first.
std::vector<prop::ItmBatchKernel> kernels() {
    std::vector<prop::ItmBatchKernel> out;
    for (const prop::ItmBatchKernel kernel :
         {prop::ItmBatchKernel::avx512, prop::ItmBatchKernel::avx2, prop::ItmBatchKernel::scalar})
        if (prop::itm_batch_kernel_supported(kernel)) out.push_back(kernel);
    return out;
}

// Profile along the geodesic at azimuth az_deg from `from` (geo's extract_profile), up to `points` samples every
// spacing_m, shortened where the path would leave the terrain.
Profile radial(const Terrain& t, LatLon from, double az_deg, int points, double spacing_m) {
    double d_m = (points - 1) * spacing_m;
    while (d_m > 2.0 * spacing_m && !t.contains(geodesic_direct(from, az_deg, d_m))) d_m *= 0.8;
    return extract_profile(t, from, geodesic_direct(from, az_deg, d_m), spacing_m);
}

// The geometries to test: itm_analyze_profile() over many profiles and terminal heights, then variants with
// longer paths (troposcatter), extreme effective heights and horizon distances.
std::vector<prop::ItmTerrainGeometry> test_geometries() {
    std::vector<Profile> profiles;
    const std::filesystem::path hgt = test::terrain_dir() / "N35E138.hgt";
    if (test::have_shared() && std::filesystem::exists(hgt)) {
        const std::vector<std::filesystem::path> files = {hgt};
        const Terrain terrain = load_terrain(files);
        for (const LatLon site : {LatLon{35.5, 138.6}, LatLon{35.36, 138.73}, LatLon{35.66, 138.57}})
            for (int a = 0; a < 24; ++a)
                for (const int points : {3, 12, 60, 250, 700})
                    if (Profile p = radial(terrain, site, 15.0 * a + 3.0, points, points < 100 ? 30.0 : 90.0);
                        p.z_m.size() >= 3)
                        profiles.push_back(std::move(p));
        std::cout << "test_itm_batch: profiles from N35E138.hgt\n";
    } else {
        std::cout << "test_itm_batch: ../shared absent, synthetic random terrain\n";
        std::mt19937_64 rng(20261128);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int r = 0; r < 72 * 5; ++r) {
            Profile p;
            const int points = 3 + static_cast<int>(u(rng) * 700);
            p.spacing_m = 30.0 + 60.0 * u(rng);
            const double roughness_m = 300.0 * u(rng) * u(rng);
            double z = 500.0 * u(rng);
            for (int i = 0; i < points; ++i) p.z_m.push_back(z += roughness_m * (u(rng) - 0.5));
            profiles.push_back(p);
        }
    }
    std::vector<prop::ItmTerrainGeometry> gs;
    const double heights[][2] = {{30.0, 1.5}, {10.0, 10.0}, {1.0, 0.5}, {300.0, 3.0}, {3000.0, 1000.0}};
    std::size_t h = 0;
    for (const Profile& p : profiles) {
        const double* hh = heights[h++ % std::size(heights)];
        gs.push_back(prop::itm_analyze_profile(p, hh[0], hh[1], 301.0));
    }
    const std::size_t n_real = gs.size();
    for (std::size_t i = 0; i < n_real; i += 3) {  // derived: long paths, extreme h_e and d_hzn
        prop::ItmTerrainGeometry g = gs[i];
        g.d_m = g.d_m * 20.0 + 150e3;
        g.d_hzn_m = {g.d_hzn_m[0] * 10.0, g.d_hzn_m[1] * 10.0};
        gs.push_back(g);
        g.d_m = 800e3 + static_cast<double>(i) * 2e3;  // up to beyond 1000 and 2000 km
        gs.push_back(g);
        g = gs[i];
        g.h_e_m = {g.h_e_m[0] * 40.0 + 0.01, g.h_e_m[1] * 0.05 + 0.01};
        gs.push_back(g);
        g = gs[i];
        g.d_hzn_m = {g.d_hzn_m[0] * 1e-3 + 1.0, g.d_hzn_m[1] * 8.0};
        g.theta_hzn = {g.theta_hzn[0] + 0.3, g.theta_hzn[1] - 0.25};
        gs.push_back(g);
        g = gs[i];
        g.delta_h_m = g.delta_h_m * 10.0 + 500.0;
        g.N_s = 240.0;  // surface_refractivity warning
        g.gamma_e_per_m = 157e-9 * (1.0 - 0.04665 * std::exp(g.N_s / 179.3));
        gs.push_back(g);
    }
    return gs;
}

// Lanes the scalar model rejects (it throws InputError).
std::vector<prop::ItmTerrainGeometry> rejected(const prop::ItmTerrainGeometry& base) {
    std::vector<prop::ItmTerrainGeometry> gs(6, base);
    gs[0].N_s = 140.0;
    gs[1].N_s = 410.0;
    gs[2].gamma_e_per_m = 1.0 / 3000e3;   // a_e below 4000 km
    gs[3].gamma_e_per_m = 1.0 / 14000e3;  // a_e above 13333 km
    gs[4].h_m[0] = 0.2;
    gs[5].h_m[1] = std::numeric_limits<double>::quiet_NaN();
    return gs;
}

}  // namespace

TEST_CASE("itm_p2p_batch selects the widest kernel the CPU runs", "[itm][batch]") {
    __builtin_cpu_init();
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const prop::ItmBatchKernel expected = avx512 ? prop::ItmBatchKernel::avx512
                                          : avx2 ? prop::ItmBatchKernel::avx2
                                                 : prop::ItmBatchKernel::scalar;
    std::cout << "test_itm_batch: selected kernel " << prop::itm_batch_kernel_name(prop::itm_batch_kernel()) << "\n";
    REQUIRE(prop::itm_batch_kernel() == expected);
    REQUIRE(prop::itm_batch_kernel_supported(prop::ItmBatchKernel::scalar));
    REQUIRE(prop::itm_batch_kernel_supported(prop::ItmBatchKernel::avx2) == avx2);
    REQUIRE(prop::itm_batch_kernel_supported(prop::ItmBatchKernel::avx512) == avx512);
    if (!avx512) {  // a kernel the CPU cannot run is refused
        const prop::ItmPrepared k = prop::itm_prepare(prop::ItmParams{920.0}, {});
        std::vector<double> loss(1);
        std::vector<std::uint32_t> warn(1);
        const std::vector<double> one(1, 1000.0);
        const prop::ItmGeometryBatch in{one, one, one, one, one, one, one, one, one, one, one, one};
        REQUIRE_THROWS_AS(prop::itm_p2p_batch(prop::ItmBatchKernel::avx512, k, in, loss, warn), InputError);
    }
}

TEST_CASE("itm_p2p_batch equals itm_p2p_from_geometry lane by lane, with every kernel", "[itm][batch]") {
    std::vector<prop::ItmTerrainGeometry> gs = test_geometries();
    for (const prop::ItmTerrainGeometry& g : rejected(gs[7])) gs.push_back(g);

    struct Case {
        double f_mhz;
        prop::Polarization pol;
        int climate;
        int mdvar;
        double time_pct, location_pct, situation_pct;
    };
    std::vector<Case> cases;
    const int mdvars[] = {0, 1, 2, 3, 10, 11, 12, 13, 20, 22, 23, 30, 31, 32, 33};
    const double tls[][3] = {{50, 50, 50}, {10, 90, 50}, {95, 5, 99}, {0.05, 50, 20}, {99.95, 99.95, 0.05}};
    const double freqs[] = {60.0, 920.0, 5800.0, 15000.0};
    for (int climate = 1; climate <= 7; ++climate)
        for (std::size_t m = 0; m < std::size(mdvars); ++m) {
            const std::size_t i = static_cast<std::size_t>(climate) * 7 + m;
            const double* t = tls[i % std::size(tls)];
            cases.push_back({freqs[i % std::size(freqs)], i % 2 ? prop::Polarization::vertical : prop::Polarization::horizontal,
                             climate, mdvars[m], t[0], t[1], t[2]});
        }

    constexpr double kTolerance_db = 1e-6;  // |batch - scalar| per lane, dB
    for (const prop::ItmBatchKernel kernel : kernels()) {
        const std::string_view name = prop::itm_batch_kernel_name(kernel);
        std::size_t lanes = 0, errors = 0, expected_errors = 0;
        std::size_t by_mode[4] = {0, 0, 0, 0};
        double max_diff_db = 0.0;
        for (const Case& c : cases) {
            prop::ItmParams params;
            params.f_mhz = c.f_mhz;
            params.polarization = c.pol;
            params.climate = c.climate;
            params.mdvar = c.mdvar;
            params.allow_out_of_range = c.f_mhz > 10000.0;
            const prop::ItmPrepared k = prop::itm_prepare(params, {c.time_pct, c.location_pct, c.situation_pct});
            expected_errors += params.allow_out_of_range ? 5 : 6;  // h_tx 0.2 m is allowed out of range
            const Lanes batch = run_batch(kernel, k, gs);
            for (std::size_t i = 0; i < gs.size(); ++i) {
                INFO("kernel " << name << ", case climate " << c.climate << " mdvar " << c.mdvar << " f " << c.f_mhz
                               << " MHz, lane " << i << ", d_m " << gs[i].d_m);
                ++lanes;
                try {
                    const prop::ItmResult r = prop::itm_p2p_from_geometry(gs[i], k);
                    ++by_mode[static_cast<int>(r.mode)];
                    const double diff_db = std::abs(batch.loss_db[i] - r.loss_db);
                    if (std::isnan(r.loss_db)) {
                        REQUIRE(std::isnan(batch.loss_db[i]));
                    } else {
                        max_diff_db = std::max(max_diff_db, diff_db);
                        REQUIRE(diff_db <= kTolerance_db);  // dB
                    }
                    REQUIRE(batch.warnings[i] == r.warnings);
                } catch (const InputError&) {
                    ++errors;
                    REQUIRE(std::isnan(batch.loss_db[i]));
                    REQUIRE(batch.warnings[i] == prop::itm_batch_error);
                }
            }
        }
        std::cout << "test_itm_batch: kernel " << name << ": " << lanes << " lanes checked (" << cases.size()
                  << " parameter sets x " << gs.size() << " geometries): " << by_mode[1] << " line of sight, "
                  << by_mode[2] << " diffraction, " << by_mode[3] << " troposcatter, " << errors
                  << " rejected; max |batch - scalar| = " << max_diff_db << " dB (tolerance " << kTolerance_db
                  << " dB)\n";
        REQUIRE(by_mode[1] > 0);
        REQUIRE(by_mode[2] > 0);
        REQUIRE(by_mode[3] > 0);
        REQUIRE(errors == expected_errors);
    }
}

TEST_CASE("itm_p2p_batch: a lane's bits do not depend on its position or the batch size", "[itm][batch]") {
    const std::vector<prop::ItmTerrainGeometry> gs = test_geometries();
    prop::ItmParams params;
    params.f_mhz = 920.0;
    const prop::ItmPrepared k = prop::itm_prepare(params, {50.0, 50.0, 50.0});
    for (const prop::ItmBatchKernel kernel : kernels()) {
        std::size_t checked = 0;
        for (std::size_t g = 0; g < gs.size(); g += 7) {
            const double reference = run_batch(kernel, k, {gs[g]}).loss_db[0];
            for (std::size_t size = 1; size <= 17; ++size)  // up to two groups of eight and one lane
                for (std::size_t pos = 0; pos < size; ++pos) {
                    std::vector<prop::ItmTerrainGeometry> batch;
                    for (std::size_t i = 0; i < size; ++i) batch.push_back(gs[(g + 1 + 13 * i) % gs.size()]);
                    batch[pos] = gs[g];
                    const double v = run_batch(kernel, k, batch).loss_db[pos];
                    REQUIRE(std::memcmp(&v, &reference, sizeof v) == 0);  // bit-identical
                    ++checked;
                }
        }
        std::cout << "test_itm_batch: kernel " << prop::itm_batch_kernel_name(kernel) << ": " << checked
                  << " placements bit-identical\n";
    }
}

TEST_CASE("itm_p2p_batch rejects spans of different lengths", "[itm][batch]") {
    const prop::ItmPrepared k = prop::itm_prepare(prop::ItmParams{920.0}, {});
    const std::vector<double> one(1, 1000.0), two(2, 1000.0);
    std::vector<double> loss(2);
    std::vector<std::uint32_t> warn(2);
    const prop::ItmGeometryBatch in{two, two, two, two, two, two, two, two, two, one, two, two};
    REQUIRE_THROWS_AS(prop::itm_p2p_batch(k, in, loss, warn), InputError);
}
