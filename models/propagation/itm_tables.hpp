// ITM constants shared by the scalar model (itm.cpp) and its batched AVX2 form (itm_batch.cpp); internal to
// models/propagation. References: itm.hpp.
#pragma once

namespace dxplan::prop::itm_tables {

inline constexpr double kA0_m = 6370e3;     // actual earth radius used by Vogler's C_0 [Vogler eq. 2]
inline constexpr double kA9000_m = 9000e3;  // earth radius of the effective-distance formula [Alg 5.3]

// F(theta d) of the scatter attenuation, for theta d <= 10 km, <= 70 km, beyond [Alg 6.9].
inline constexpr double kF_a[] = {133.4, 104.6, 71.8};
inline constexpr double kF_b[] = {0.332e-3, 0.212e-3, 0.157e-3};
inline constexpr double kF_c[] = {-10.0, -2.5, 5.0};

// H_0 curves for eta_s = 1..5 [Alg 6.13].
inline constexpr double kH0_a[] = {25.0, 80.0, 177.0, 395.0, 705.0};
inline constexpr double kH0_b[] = {24.0, 45.0, 68.0, 80.0, 105.0};

// Climate constants [Alg Table 5.1; TN101 fig. 10.13]: columns are climates 1..7.
inline constexpr double kAllYear[5][7] = {{-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15},
                                          {12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9},
                                          {144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.e3},
                                          {190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3},
                                          {133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3}};
inline constexpr double kBsm1[] = {2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51};
inline constexpr double kBsm2[] = {159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8};
inline constexpr double kXsm1[] = {762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3};
inline constexpr double kXsm2[] = {123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3};
inline constexpr double kXsm3[] = {94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3};
inline constexpr double kBsp1[] = {2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43};
inline constexpr double kBsp2[] = {102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19};
inline constexpr double kXsp1[] = {636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3};
inline constexpr double kXsp2[] = {134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3};
inline constexpr double kXsp3[] = {95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3};
inline constexpr double kCd[] = {1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518};
inline constexpr double kZd[] = {1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282};

}  // namespace dxplan::prop::itm_tables
