// itm_p2p_batch() against the scalar itm_p2p_from_geometry(), lane by lane and with every kernel the CPU runs
// (AVX-512, AVX2, scalar), and the kernel selection: geometries from itm_analyze_profile()
// over real SRTM profiles (N35E138.hgt) when ../shared is there, else over synthetic random terrain, plus
// derived geometries that reach troposcatter and the range extremes, and lanes the scalar model rejects.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/profile.hpp"
#include "libsim/core/simd.hpp"
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

TEST_CASE("itm_p2p_batch selects the widest kernel this build and CPU run", "[itm][batch][simd]") {
    bool avx512 = false, avx2 = false;  // a portable build (-DDXPLAN_PORTABLE=ON) or not x86-64: scalar only
#if defined(DXPLAN_X86_KERNELS) && defined(__x86_64__)
    __builtin_cpu_init();
    avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
    avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    const prop::ItmBatchKernel expected = avx512 ? prop::ItmBatchKernel::avx512
                                          : avx2 ? prop::ItmBatchKernel::avx2
                                                 : prop::ItmBatchKernel::scalar;
    std::cout << "test_itm_batch: selected kernel " << prop::itm_batch_kernel_name(prop::itm_batch_kernel()) << "\n";
    REQUIRE(prop::itm_batch_kernel() == expected);
    REQUIRE(prop::itm_batch_kernel_supported(prop::ItmBatchKernel::scalar));
    REQUIRE(prop::itm_batch_kernel_supported(prop::ItmBatchKernel::avx2) == avx2);
    REQUIRE(prop::itm_batch_kernel_supported(prop::ItmBatchKernel::avx512) == avx512);
    {  // the forced-scalar switch, and a limit narrower than the CPU's widest kernel
        const ScopedSimdLimit scalar_only(SimdKernel::scalar);
        REQUIRE(prop::itm_batch_kernel() == prop::ItmBatchKernel::scalar);
        const ScopedSimdLimit at_most_avx2(SimdKernel::avx2);
        REQUIRE(prop::itm_batch_kernel() == (avx2 ? prop::ItmBatchKernel::avx2 : prop::ItmBatchKernel::scalar));
    }
    REQUIRE(prop::itm_batch_kernel() == expected);  // restored
    if (!avx512) {  // a kernel this build or CPU cannot run is a caller's bug
        const prop::ItmPrepared k = prop::itm_prepare(prop::ItmParams{920.0}, {});
        std::vector<double> loss(1);
        std::vector<std::uint32_t> warn(1);
        const std::vector<double> one(1, 1000.0);
        const prop::ItmGeometryBatch in{one, one, one, one, one, one, one, one, one, one, one, one};
        REQUIRE_THROWS_AS(prop::itm_p2p_batch(prop::ItmBatchKernel::avx512, k, in, loss, warn), InternalError);
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
    REQUIRE_THROWS_AS(prop::itm_p2p_batch(k, in, loss, warn), InternalError);
}

TEST_CASE("ITM step 1 in batches equals the scalar formulas", "[itm][batch][simd]") {
    std::vector<double> h_m;
    for (int i = 0; i <= 1000; ++i) h_m.push_back(i == 0 ? 0.0 : -100.0 + 4.1 * i);  // 0 (n0 exactly) and -100..4000 m
    const SimdKernel limit = GENERATE(SimdKernel::avx512, SimdKernel::scalar);  // the widest kernel, forced scalar
    const ScopedSimdLimit scoped(limit);
    std::vector<double> n_s(h_m.size()), gamma(h_m.size());
    prop::itm_refractivity_batch(h_m, 301.0, n_s, gamma);
    for (std::size_t i = 0; i < h_m.size(); ++i) {
        const double ns = h_m[i] == 0.0 ? 301.0 : 301.0 * std::exp(-h_m[i] / 9460.0);  // [TN101 eq. 4.3]
        CHECK(n_s[i] == Approx(ns).epsilon(1e-14));                                     // relative
        CHECK(gamma[i] == Approx(157e-9 * (1.0 - 0.04665 * std::exp(ns / 179.3))).epsilon(1e-14));  // [TN101 eq. 4.4]
    }
    CHECK(n_s[0] == 301.0);
    std::cout << "ITM step 1 batch (kernels up to " << simd_kernel_name(limit) << "): " << h_m.size()
              << " heights within 1e-14 relative\n";
    std::vector<double> short_out(3);
    CHECK_THROWS_AS(prop::itm_refractivity_batch(h_m, 301.0, short_out, gamma), InternalError);
}

// itm_interdecile_range() selects the two order statistics (quickselect on AVX-512 machines, std::nth_element
// elsewhere; the hot spot of delta_h in both modes); it must equal NTIA's definition on a full sort, whatever the
// pivots meet: pivots far off, ties, equal values, sorted input.
TEST_CASE("ITM interdecile range equals the order statistics of a full sort", "[itm][simd]") {
    std::mt19937 rng(5);  // fixed seed
    std::uniform_real_distribution<double> u(-50.0, 50.0);
    std::size_t checked = 0;
    for (int k = 4; k <= 25; ++k) {  // ITM's range [Alg §3]
        const int m = 10 * k - 5;
        for (int variant = 0; variant < 7; ++variant) {
            std::vector<double> v(static_cast<std::size_t>(m));
            std::vector<bool> pivot_sample(static_cast<std::size_t>(m), false);  // where the pivot is sampled from
            for (int j = 0; j < 16; ++j) pivot_sample[static_cast<std::size_t>(j * m / 16)] = true;
            for (int i = 0; i < m; ++i) {
                const bool sampled = pivot_sample[static_cast<std::size_t>(i)];
                switch (variant) {
                    case 0: v[static_cast<std::size_t>(i)] = u(rng); break;
                    case 1: v[static_cast<std::size_t>(i)] = sampled ? 1000.0 + i : i; break;    // pivots too high
                    case 2: v[static_cast<std::size_t>(i)] = sampled ? -1000.0 - i : i; break;   // pivots too low
                    case 3: v[static_cast<std::size_t>(i)] = std::round(u(rng) / 20.0); break;  // many ties
                    case 4: v[static_cast<std::size_t>(i)] = 7.0; break;                         // all equal
                    case 5: v[static_cast<std::size_t>(i)] = i; break;                           // ascending
                    default: v[static_cast<std::size_t>(i)] = -i; break;                         // descending
                }
            }
            std::vector<double> sorted = v;
            std::sort(sorted.begin(), sorted.end(), std::greater<double>());
            const double ref = sorted[static_cast<std::size_t>(k - 1)] - sorted[static_cast<std::size_t>(m - k)];
            INFO("m " << m << " variant " << variant);
            CHECK(prop::itm_interdecile_range(v) == ref);
            const ScopedSimdLimit scalar_only(SimdKernel::scalar);  // std::nth_element
            CHECK(prop::itm_interdecile_range(v) == ref);
            ++checked;
        }
    }
    std::cout << "interdecile range: " << checked << " arrays checked\n";
    REQUIRE(checked == 22 * 7);
}

// The per-profile loops of ITM's terrain analysis have x86 kernels next to their portable loops
// (itm_terrain_x86.cpp, itm_terrain.cpp); every one must give the bits of the scalar definitions written out here
// (NTIA's loops with itm_terrain.cpp's documented summation order), so results do not depend on the CPU: checked
// with the widest kernel this build and CPU run and with the portable loops (forced scalar).
TEST_CASE("ITM profile kernels give the bits of their scalar definitions", "[itm][simd]") {
    const SimdKernel limit = GENERATE(SimdKernel::avx512, SimdKernel::scalar);
    const ScopedSimdLimit scoped(limit);
    std::mt19937 rng(11);  // fixed seed
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::size_t profiles = 0, delta_h = 0, fits = 0;
    for (int trial = 0; trial < 200; ++trial) {
        const int n = 3 + static_cast<int>(700 * u(rng));  // every tail length of the 8-wide kernels
        // A rough random walk around 500 m (hills and valleys, so that both horizon cases occur).
        std::vector<double> z(static_cast<std::size_t>(n) + 1);
        double h_m = 500.0;
        for (double& zi : z) zi = h_m += 40.0 * (u(rng) - 0.5);
        // ITM horizons [TN101 eq. 6.15] as NTIA's loop computes them (first maximum wins), d = i x.
        const double x_m = 30.0, h_tx_m = 30.0, h_rx_m = 1.5;
        const prop::ItmTerrainGeometry g = prop::itm_analyze_profile(ProfileView(x_m, z), h_tx_m, h_rx_m, 301.0);
        const double half_gamma = 0.5 * g.gamma_e_per_m, d_m = n * x_m;
        const double z_tx = z[0] + h_tx_m, z_rx = z[static_cast<std::size_t>(n)] + h_rx_m;
        double t_tx = (z_rx - z_tx) / d_m - d_m * half_gamma, t_rx = (z_tx - z_rx) / d_m - d_m * half_gamma;
        double d_tx = d_m, d_rx = d_m;
        for (int i = 1; i < n; ++i) {
            const double a = i * x_m, b = (n - static_cast<double>(i)) * x_m;
            const double ta = (z[static_cast<std::size_t>(i)] - z_tx) / a - a * half_gamma;
            const double tb = (z[static_cast<std::size_t>(i)] - z_rx) / b - b * half_gamma;
            if (ta > t_tx) t_tx = ta, d_tx = a;
            if (tb > t_rx) t_rx = tb, d_rx = b;
        }
        if (g.d_hzn_m[0] + g.d_hzn_m[1] <= 1.5 * d_m) {  // else replaced by the smooth-earth horizons [Alg 3.3]
            REQUIRE(g.theta_hzn[0] == t_tx);
            REQUIRE(g.theta_hzn[1] == t_rx);
            REQUIRE(g.d_hzn_m[0] == d_tx);
            REQUIRE(g.d_hzn_m[1] == d_rx);
        }
        // Least-squares fit [Alg §3] with itm_terrain.cpp's documented summation order: 8 partial sums, lane l taking
        // i0 + 1 + l, i0 + 1 + l + 8, ..., combined ((0+1)+(2+3))+((4+5)+(6+7)); trapezoid end points added after.
        {
            const int i0 = static_cast<int>((n / 3.0) * u(rng)), i1 = n - static_cast<int>((n / 3.0) * u(rng));
            if (i1 > i0) {
                const double len = i1 - i0, centre = i1 - 0.5 * len;
                double a[8] = {}, b[8] = {};
                int i = i0 + 1;
                for (; i + 7 <= i1 - 1; i += 8)
                    for (int l = 0; l < 8; ++l) {
                        a[l] += z[static_cast<std::size_t>(i + l)];
                        b[l] += z[static_cast<std::size_t>(i + l)] * ((i + l) - centre);
                    }
                for (int l = 0; i <= i1 - 1; ++i, ++l) {
                    a[l] += z[static_cast<std::size_t>(i)];
                    b[l] += z[static_cast<std::size_t>(i)] * (i - centre);
                }
                const auto sum8 = [](const double (&v)[8]) { return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])); };
                const double zi0 = z[static_cast<std::size_t>(i0)], zi1 = z[static_cast<std::size_t>(i1)];
                const double mean = (sum8(a) + 0.5 * (zi0 + zi1)) / len;
                const double slope = (sum8(b) + 0.5 * (zi0 - zi1) * (-0.5 * len)) * 12.0 / ((len * len + 2.0) * len);
                const prop::ItmLineFit f = prop::itm_least_squares_fit(ProfileView(x_m, z), i0 * x_m, i1 * x_m);
                REQUIRE(f.z_start_m == mean - slope * centre);
                REQUIRE(f.z_end_m == mean + slope * (n - centre));
                ++fits;
            }
        }
        // delta_h [Alg §3]: NTIA's resampling (sample at x between z[k - 1] and z[k], k = floor(x) + 1), the
        // least-squares residuals, the interdecile range of a full sort.
        const double d_start_m = x_m * (n / 4.0) * u(rng), d_end_m = x_m * (n - (n / 4.0) * u(rng));
        const double x_start = d_start_m / x_m, x_end = d_end_m / x_m;
        if (x_end - x_start >= 2.0) {
            const int kq = std::clamp(static_cast<int>(0.1 * (x_end - x_start + 8.0)), 4, 25), m = 10 * kq - 5;
            const double step = (x_end - x_start) / (m - 1);
            std::vector<double> r(static_cast<std::size_t>(m));
            for (int j = 0; j < m; ++j) {
                const double xj = x_start + j * step;
                const int kk = std::min(static_cast<int>(xj) + 1, n);
                r[static_cast<std::size_t>(j)] = z[static_cast<std::size_t>(kk)] +
                    (z[static_cast<std::size_t>(kk)] - z[static_cast<std::size_t>(kk) - 1]) * (xj - kk);
            }
            const prop::ItmLineFit fit = prop::itm_least_squares_fit(ProfileView(1.0, r), 0.0, m - 1.0);
            const double slope = (fit.z_end_m - fit.z_start_m) / (m - 1.0);
            for (int j = 0; j < m; ++j) r[static_cast<std::size_t>(j)] -= fit.z_start_m + j * slope;
            std::sort(r.begin(), r.end(), std::greater<double>());
            const double dh = (r[static_cast<std::size_t>(kq) - 1] - r[static_cast<std::size_t>(m - kq)]) /
                              (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));
            REQUIRE(prop::itm_delta_h_m(ProfileView(x_m, z), d_start_m, d_end_m) == dh);
            ++delta_h;
        }
        ++profiles;
    }
    std::cout << "ITM profile kernels (kernels up to " << simd_kernel_name(limit) << "): " << profiles
              << " horizon pairs, " << fits << " least-squares fits and " << delta_h << " delta_h bit-identical\n";
    REQUIRE(profiles == 200);
    REQUIRE(fits > 100);
    REQUIRE(delta_h > 100);
}
