#include "models/propagation/normal.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"

namespace dxplan::prop {

double inverse_normal_ccdf(double q) {
    if (!(q > 0.0 && q < 1.0))
        throw InputError("inverse normal: probability " + std::to_string(q) + " must be in (0, 1)");
    // P.1057-7 Annex 1 sec. 3: rational approximations for U^-1 on (0, 0.5], with symmetry for q > 0.5.
    constexpr double a[] = {2.506628277459239, -30.66479806614716, 138.3577518672690,
                            -275.9285104469687, 220.9460984245205, -39.69683028665376};
    constexpr double b[] = {-13.28068155288572, 66.80131188771972, -155.6989798598866, 161.5858368580409,
                            -54.47609879822406};
    constexpr double c[] = {2.938163982698783,  4.374664141464968,   -2.549732539343734,
                            -2.400758277161838, -0.3223964580411365, -0.007784894002430293};
    constexpr double d[] = {3.754408661907416, 2.445134137142996, 0.3224671290700398, 0.007784695709041462};
    const double p = q > 0.5 ? 1.0 - q : q;
    double u;
    if (p <= 0.02425) {
        const double t = std::sqrt(-2.0 * std::log(p));
        u = (c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * (c[4] + t * c[5]))))) /
            (1.0 + t * (d[0] + t * (d[1] + t * (d[2] + t * d[3]))));
    } else {
        const double x = p - 0.5;
        const double t = x * x;
        u = x * (a[0] + t * (a[1] + t * (a[2] + t * (a[3] + t * (a[4] + t * a[5]))))) /
            (1.0 + t * (b[0] + t * (b[1] + t * (b[2] + t * (b[3] + t * b[4])))));
    }
    // u = Phi^-1(p), the normal quantile (negative for p < 0.5); Q^-1(q) = Phi^-1(1 - q).
    return q < 0.5 ? -u : u;
}

double itm_inverse_ccdf(double q) {
    constexpr double c0 = 2.515516, c1 = 0.802853, c2 = 0.010328;  // [A&S 26.2.23]
    constexpr double d1 = 1.432788, d2 = 0.189269, d3 = 0.001308;
    const double x = q > 0.5 ? 1.0 - q : q;
    const double t = std::sqrt(-2.0 * std::log(x));
    const double z = t - ((c2 * t + c1) * t + c0) / (((d3 * t + d2) * t + d1) * t + 1.0);
    return q > 0.5 ? -z : z;
}

namespace itur {

double inv_cum_norm(double x) {
    x = std::clamp(x, 0.000001, 0.999999);
    auto t = [](double y) { return std::sqrt(-2.0 * std::log(y)); };  // eq. (97a)
    auto c = [&](double z) {                                           // eq. (97b)
        constexpr double c0 = 2.515516698, c1 = 0.802853, c2 = 0.010328;
        constexpr double d1 = 1.432788, d2 = 0.189269, d3 = 0.001308;
        const double tz = t(z);
        return ((c2 * tz + c1) * tz + c0) / (((d3 * tz + d2) * tz + d1) * tz + 1.0);
    };
    return x <= 0.5 ? t(x) - c(x) : -(t(1.0 - x) - c(1.0 - x));  // eqs. (96a), (96b)
}

}  // namespace itur

}  // namespace dxplan::prop
