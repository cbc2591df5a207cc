// ITS Irregular Terrain Model (ITM, Longley-Rice), version 1.2.2, as maintained by NTIA/ITS (ITM v1.5).
//
// References (cited on each implementing line as [Alg x.y], [TN101 ...], [ERL ...]):
//  - G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: The Algorithm", NTIA/ITS, 1995/1999.
//  - P. L. Rice, A. G. Longley, K. A. Norton, A. P. Barsis, "Transmission loss predictions for tropospheric
//    communication circuits", NBS Tech. Note 101, vols I and II, 1967 (revised) [TN101].
//  - A. G. Longley, P. L. Rice, "Prediction of tropospheric radio transmission loss over irregular terrain:
//    a computer method - 1968", ESSA Tech. Report ERL 79-ITS 67 [ERL].
//  - G. A. Hufford, A. G. Longley, W. A. Kissick, "A guide to the use of the ITS Irregular Terrain Model in the
//    area prediction mode", NTIA Report 82-100, 1982 [TR 82-100].
//  - L. E. Vogler, "Calculation of groundwave attenuation in the far diffraction region", 1964 [Vogler].
//  - M. Abramowitz, I. Stegun, "Handbook of mathematical functions", formula 26.2.23 [A&S].
// Outputs and error/warning meanings follow NTIA's ITM v1.5 (github.com/NTIA/itm, ERRORS_AND_WARNINGS).
//
// Validity (NTIA ITM README): frequency 20 MHz - 20 GHz (40 MHz - 10 GHz recommended, else a warning);
// antenna structural heights 0.5 - 3000 m (1 - 1000 m recommended); distance 1 - 2000 km (warnings outside
// 1 - 1000 km); surface refractivity N_0 250 - 400 N-units; climate 1 - 7; time/location/situation in (0, 100) %.
// Outside the hard ranges the model is not defined: an InputError (or, with ItmParams::allow_out_of_range for
// frequency and heights only, an extrapolation the caller must flag itself).
//
// Hot path: itm_p2p() and itm_p2p_from_geometry() never allocate; they are pure and thread safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "libsim/core/profile.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::prop {

// Propagation mode of the reference attenuation (NTIA IntermediateValues::mode).
enum class ItmMode : int { line_of_sight = 1, diffraction = 2, troposcatter = 3 };
std::string_view itm_mode_name(ItmMode mode);  // "line_of_sight", "diffraction", "troposcatter"

// Warning flags, a bit field with NTIA's values and meanings (NTIA/itm Warnings.h, ERRORS_AND_WARNINGS).
namespace itm_warning {
inline constexpr std::uint32_t tx_terminal_height = 0x0001;      // TX height outside 1-1000 m
inline constexpr std::uint32_t rx_terminal_height = 0x0002;      // RX height outside 1-1000 m
inline constexpr std::uint32_t frequency = 0x0004;               // frequency outside 40-10000 MHz
inline constexpr std::uint32_t path_distance_too_big_1 = 0x0008;   // d > 1000 km
inline constexpr std::uint32_t path_distance_too_big_2 = 0x0010;   // d > 2000 km: take care with the result
inline constexpr std::uint32_t path_distance_too_small_1 = 0x0020; // d < |h_e1 - h_e2| / 0.2 (steep path)
inline constexpr std::uint32_t path_distance_too_small_2 = 0x0040; // d < 1 km: take care with the result
inline constexpr std::uint32_t tx_horizon_angle = 0x0080;        // |theta_hzn_tx| > 200 mrad (small-angle approx.)
inline constexpr std::uint32_t rx_horizon_angle = 0x0100;        // |theta_hzn_rx| > 200 mrad
inline constexpr std::uint32_t tx_horizon_distance_1 = 0x0200;   // d_hzn_tx < 0.1 x smooth-earth horizon distance
inline constexpr std::uint32_t rx_horizon_distance_1 = 0x0400;   // d_hzn_rx < 0.1 x smooth-earth horizon distance
inline constexpr std::uint32_t tx_horizon_distance_2 = 0x0800;   // d_hzn_tx > 3 x smooth-earth horizon distance
inline constexpr std::uint32_t rx_horizon_distance_2 = 0x1000;   // d_hzn_rx > 3 x smooth-earth horizon distance
inline constexpr std::uint32_t extreme_variabilities = 0x2000;   // a quantile deviate |z| > 3.1
inline constexpr std::uint32_t surface_refractivity = 0x4000;    // computed N_s < 250 N-units
}  // namespace itm_warning

// Names of the set flags, in bit order (e.g. "tx_terminal_height", "frequency").
std::vector<std::string_view> itm_warning_names(std::uint32_t warnings);

enum class ItmSiting : int { random = 0, careful = 1, very_careful = 2 };  // area mode siting criteria

// Radio climates [TR 82-100]: 1 equatorial, 2 continental subtropical, 3 maritime subtropical, 4 desert,
// 5 continental temperate, 6 maritime temperate over land, 7 maritime temperate over sea.
struct ItmParams {
    double f_mhz = 0.0;
    Polarization polarization = Polarization::vertical;
    int climate = 5;                // 1..7
    double n0 = 301.0;              // surface refractivity at sea level, N-units, 250..400
    double epsilon = 15.0;          // relative permittivity of ground, >= 1
    double sigma_s_per_m = 0.005;   // ground conductivity, S/m, > 0
    // Variability mode: 0 single message, 1 accidental, 2 mobile, 3 broadcast; +10 no location
    // variability, +20 no direct situation variability (0-3, 10-13, 20-23, 30-33).
    int mdvar = 12;
    // Compute outside NTIA's hard limits for frequency (20-20000 MHz) and heights (0.5-3000 m) instead of
    // throwing; the caller must then flag the result (the registry adapter does, "frequency_out_of_range").
    bool allow_out_of_range = false;
};

// Quantiles of the time/location/situation (TLS) form, percentages in (0, 100).
struct ItmVariability {
    double time_pct = 50.0;
    double location_pct = 50.0;
    double situation_pct = 50.0;
    bool cr_form = false;  // built by itm_confidence_reliability (only changes error messages)
};

// Confidence/reliability form: NTIA maps reliability to time and confidence to situation, location 50 %.
ItmVariability itm_confidence_reliability(double confidence_pct, double reliability_pct);

struct ItmIntermediate {
    std::array<double, 2> theta_hzn{};  // horizon angles [tx, rx], rad
    std::array<double, 2> d_hzn_m{};    // horizon distances [tx, rx], m
    std::array<double, 2> h_e_m{};      // effective heights [tx, rx], m
    double N_s = 0.0;                   // surface refractivity, N-units
    double delta_h_m = 0.0;             // terrain irregularity parameter, m
    double A_ref_db = 0.0;              // reference attenuation (median, relative to free space), dB
    double A_fs_db = 0.0;               // free-space basic transmission loss, dB
    double d_km = 0.0;                  // path distance, km
};

struct ItmResult {
    double loss_db = 0.0;  // basic transmission loss = A_fs_db + variability-adjusted A_ref
    ItmMode mode = ItmMode::line_of_sight;
    std::uint32_t warnings = 0;  // itm_warning bits
    ItmIntermediate intermediate;
};

// ---- (a) terrain analysis of a profile -------------------------------------------------------------
//
// What itm_analyze_profile() computes, exactly (so a coverage solver can produce the same values
// incrementally along a radial). Notation: n = z.size() - 1 intervals, x = spacing_m, z[i] the ground height at
// distance i*x, h[0] = h_tx_m, h[1] = h_rx_m, d = n*x.
//  1. h_sys = mean of z[i] for i = p .. n-p, p = int(0.1*n)               (NTIA p2p: mean path height)
//     N_s = n0 if h_sys == 0 else n0*exp(-h_sys/9460)                      [TN101 eq. 4.3]
//     gamma_e = 157e-9*(1 - 0.04665*exp(N_s/179.3)) 1/m, a_e = 1/gamma_e   [TN101 eq. 4.4]
//  2. Horizons [TN101 eq. 6.15]: start with theta[0] = (z_rx - z_tx)/d - d/(2 a_e), theta[1] = -(z_rx - z_tx)/d
//     - d/(2 a_e), d_hzn = {d, d}, z_tx = z[0]+h[0], z_rx = z[n]+h[1]. For i = 1..n-1 (d_i = i*x, in that order,
//     strict '>'), tx: t = (z[i]-z_tx)/d_i - d_i/(2 a_e); rx: t = (z[i]-z_rx)/(d-d_i) - (d-d_i)/(2 a_e);
//     a larger t replaces theta and d_hzn (d_i, resp. d - d_i). Evaluated with the running sums d_i += x and
//     (d - d_i) -= x as NTIA does (the last bits can differ from i*x), and d/(2 a_e) as d * (0.5 * gamma_e).
//  3. d_start = min(15 h[0], 0.1 d_hzn[0]), d_end = d - min(15 h[1], 0.1 d_hzn[1])   [TR 82-100 p. 25]
//     delta_h = itm_delta_h_m(profile, d_start, d_end) (see below).
//  4. If d_hzn[0] + d_hzn[1] > 1.5 d (well within line of sight):
//       (f0, fn) = itm_least_squares_fit(profile, d_start, d_end); h_e[j] = h[j] + max(z[0 or n] - f, 0);
//       d_hzn[j] = sqrt(2 h_e[j] a_e) * exp(-0.07 sqrt(delta_h / max(h_e[j], 5)))        [Alg 3.3]
//       if d_hzn[0]+d_hzn[1] <= d: h_e[j] *= (d/(d_hzn[0]+d_hzn[1]))^2 and d_hzn recomputed as above;
//       theta[j] = (0.65 delta_h (q/d_hzn[j] - 1) - 2 h_e[j]) / q, q = sqrt(2 h_e[j] a_e)  [Alg 3.4]
//     else: h_e[0] = h[0] + max(z[0] - fit(d_start, 0.9 d_hzn[0]).z_start_m, 0),
//           h_e[1] = h[1] + max(z[n] - fit(d - 0.9 d_hzn[1], d_end).z_end_m, 0).
struct ItmTerrainGeometry {
    double d_m = 0.0;                   // path length n*x
    std::array<double, 2> h_m{};        // structural heights [tx, rx], m
    std::array<double, 2> theta_hzn{};  // rad
    std::array<double, 2> d_hzn_m{};
    std::array<double, 2> h_e_m{};
    double delta_h_m = 0.0;
    double N_s = 0.0;                   // from n0 and the mean path height (step 1)
    double gamma_e_per_m = 0.0;         // effective earth curvature (step 1)
};

// Throws InputError for a profile of fewer than 2 points or a spacing <= 0. Heights must be finite (not checked
// here, to keep the hot path lean; prop::compute_loss checks them).
ItmTerrainGeometry itm_analyze_profile(ProfileView profile, double h_tx_m, double h_rx_m, double n0);

// Step 4 of itm_analyze_profile() on a path well within line of sight (d_hzn[0] + d_hzn[1] > 1.5 d): given the
// effective heights h_e_m from the fit and delta_h_m, sets the smooth-earth horizon distances [Alg 3.3] (raising
// h_e until the horizons reach the path length) and the horizon angles [Alg 3.4]. Shared by the coverage sweep.
void itm_smooth_earth_horizons(ItmTerrainGeometry& g, double d_m);

// Least-squares line through the profile (at least 2 points) between distances d_start_m and d_end_m, evaluated
// at the profile's ends. NTIA's fit: indices i0 = int(max(d_start/x, 0)), i1 = n - int(max(n - d_end/x, 0)); if
// i1 <= i0 they widen to max(i0-1, 0), min(i1+1, n). With L = i1 - i0, c = (i0 + i1)/2 and trapezoid weights
// (end points z[i0], z[i1] weighted 1/2): mean = S/L with S = sum w_i z_i, slope = 12 sum w_i z_i (i - c) /
// ((L^2 + 2) L); z_start_m = mean - slope*c, z_end_m = mean + slope*(n - c). Prefix sums of z_i and i*z_i
// give both sums in O(1).
struct ItmLineFit {
    double z_start_m = 0.0;  // fitted height at the profile's first point (index 0)
    double z_end_m = 0.0;    // fitted height at the profile's last point (index n)
};
ItmLineFit itm_least_squares_fit(ProfileView profile, double d_start_m, double d_end_m);

// Terrain irregularity delta_h over [d_start_m, d_end_m] [Alg §3, ERL eq. 3]: if (d_end-d_start)/x < 2, 0.
// Else k = min(max(4, int(0.1 ((d_end-d_start)/x + 8))), 25) and m = 10k - 5 equally spaced samples, linearly
// interpolated from d_start to d_end, are fitted with itm_least_squares_fit (spacing 1, m-1 intervals);
// delta_h_d = itm_interdecile_range(residuals) and delta_h = delta_h_d / (1 - 0.8 exp(-(d_end-d_start)/50 km)).
double itm_delta_h_m(ProfileView profile, double d_start_m, double d_end_m);

// Interdecile range of m = 10k - 5 values (k = (m + 5) / 10, 16 <= m <= 245, else InputError): the k-th largest minus
// the k-th smallest (NTIA: descending order, elements k-1 and m-k). No allocation.
double itm_interdecile_range(std::span<const double> values);

// ---- (b) loss from the geometry -------------------------------------------------------------------
ItmResult itm_p2p_from_geometry(const ItmTerrainGeometry& geometry, const ItmParams& params,
                                const ItmVariability& variability);

// The part of (b) that depends only on the parameters and the variability, checked and computed once
// (itm_prepare(); InputError as itm_p2p for a bad parameter): a coverage solver prepares once per site and then
// calls itm_p2p_from_geometry(geometry, prepared) per pixel, which checks only the two heights.
struct ItmPrepared {
    ItmParams params;
    std::uint32_t warnings = 0;         // frequency and extreme_variabilities bits
    double z_g_re = 0.0;                // ground transfer impedance [Alg §2]
    double z_g_im = 0.0;
    double abs_z_g = 0.0;
    double f_third = 0.0;               // f^(1/3), f in MHz [Vogler eq. 2]
    double k_vogler = 0.0;              // 0.017778 f^(-1/3) / |Z_g| [Vogler eq. 6a]
    double log_f = 0.0;                 // ln f
    double a_fs0_db = 0.0;              // 32.45 + 20 log10 f (NTIA FreeSpaceLoss)
    double d_ex_f_m = 0.0;              // (575.7e12 / k)^(1/3), k = f / 47.7 [Alg 5.3]
    double z_t = 0.0, z_l = 0.0, z_s = 0.0;  // time/location/situation deviates after the mdvar mapping
    int mode = 0;                       // mdvar without the +10/+20 flags
    bool no_location = false;
    bool no_situation = false;
    double g_minus = 0.0, g_plus = 0.0;  // frequency factors of the time variability [Alg §5]
};
ItmPrepared itm_prepare(const ItmParams& params, const ItmVariability& variability);
ItmResult itm_p2p_from_geometry(const ItmTerrainGeometry& geometry, const ItmPrepared& prepared);

// Point-to-point mode over a profile: (a) then (b). Throws InputError (NTIA's error codes, naming the
// parameter and its valid range).
ItmResult itm_p2p(ProfileView profile, double h_tx_m, double h_rx_m, const ItmParams& params,
                  const ItmVariability& variability);

// Area mode: no profile; the path is described by its length and delta_h.
struct ItmAreaInput {
    double h_tx_m = 0.0;
    double h_rx_m = 0.0;
    ItmSiting tx_siting = ItmSiting::random;
    ItmSiting rx_siting = ItmSiting::random;
    double d_km = 0.0;       // > 0
    double delta_h_m = 0.0;  // >= 0
};
ItmResult itm_area(const ItmAreaInput& input, const ItmParams& params, const ItmVariability& variability);

}  // namespace dxplan::prop
