// The inverse of the standard normal distribution, three approximations in one place. Each standard's reference
// data is reproduced only by the approximation that standard's own code uses, so all three are kept:
//  - inverse_normal_ccdf: ITU-R P.1057-7 Annex 1 sec. 3 rational approximation (Acklam), relative error about
//    1.15e-9; ITU-R P.2108, P.2109 and the link-budget fade margin;
//  - itur::inv_cum_norm: ITU-R P.1812-7 eqs (96)-(97), also used by P.452-18, |error| < 4.5e-4,
//    with x clamped to [1e-6, 0.999999] as those Recommendations require;
//  - itm_inverse_ccdf: Abramowitz & Stegun 26.2.23 exactly as NTIA's ITM code has it (c0 = 2.515516),
//    |error| < 4.5e-4.
#pragma once

namespace dxplan::prop {

// Q^-1(q): x such that the standard normal exceeds x with probability q, 0 < q < 1 (P.1057-7 Annex 1 sec. 3).
// Throws InputError outside (0, 1).
double inverse_normal_ccdf(double q);

// The standard normal deviate exceeded with probability q (0 < q < 1) [A&S 26.2.23, NTIA ITM], |error| < 4.5e-4.
double itm_inverse_ccdf(double q);

namespace itur {

// Inverse complementary cumulative normal approximation I(x), 0 < x < 1 (P.1812-7 eqs (96)-(97)).
double inv_cum_norm(double x);

}  // namespace itur

}  // namespace dxplan::prop
