// ITM terrain analysis (itm_terrain.cpp), internal: the vector kernels of its per-profile loops, defined in
// itm_terrain_x86.cpp (x86-64 only, not in -DDXPLAN_PORTABLE=ON builds) and chosen in one place,
// itm_terrain_simd() in itm_terrain.cpp, from simd_kernel() (libsim/core/simd.hpp). Each kernel computes the same
// IEEE operations in the same order as the portable loop it stands for, so the results are the same bits.
#pragma once

namespace dxplan::prop::detail {

// Lanes of the partial sums and running maxima over a profile (lane l takes i0 + l, i0 + l + kItmLanes, ...).
inline constexpr int kItmLanes = 8;
// Largest number of samples of the delta_h interdecile fit: 10 * 25 - 5 [Alg §3].
inline constexpr int kMaxDeltaHSamples = 245;

// The best horizon elevation angle and its index per lane, toward tx and rx (itm_terrain.cpp scan_horizons()).
struct HorizonLanes {
    double bt[kItmLanes], bi[kItmLanes], rt[kItmLanes], ri[kItmLanes];
};

// The vector part of each loop; every member may be null (the portable loop does all). Those returning an int
// return the first index they did not do; the portable loop does the rest.
struct ItmTerrainSimd {
    // lane sums a[l] += z[i], b[l] += z[i] (i - c) for i = i0.. in whole groups of kItmLanes up to i1
    int (*lane_sums)(const double* z, int i0, int i1, double c, double (&a)[kItmLanes], double (&b)[kItmLanes]);
    // horizon lanes over samples 1.. in whole groups up to n - 1
    int (*scan_horizons)(const double* z, int n, double x_m, double z_tx_m, double z_rx_m, double half_gamma,
                         HorizonLanes& h);
    // s[j] = linear interpolation of z at x_start + j step, j = 0.. in whole groups up to m - 1
    int (*resample)(const double* z, int n, double x_start, double step, int m, double* s);
    // s[j] -= z0 + j slope, j = 0..m-1 (all of them)
    void (*subtract_line)(double* s, int m, double z0, double slope);
    // the k-th largest minus the k-th smallest of v[0..m), 16 <= m <= kMaxDeltaHSamples (exact selection)
    double (*interdecile)(const double* v, int m, int k);
};

// The kernels of each x86 family (itm_terrain_x86.cpp).
extern const ItmTerrainSimd kItmTerrainAvx2;
extern const ItmTerrainSimd kItmTerrainAvx512;

}  // namespace dxplan::prop::detail
