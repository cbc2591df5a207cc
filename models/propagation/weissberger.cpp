#include "models/propagation/weissberger.hpp"

#include <cmath>

#include "libsim/core/error.hpp"

namespace dxplan::prop {

WeissbergerResult weissberger_loss(double f_ghz, double d_foliage_m) {
    if (!(f_ghz > 0.0) || !std::isfinite(f_ghz)) throw InputError("weissberger: f_ghz must be a positive number of GHz");
    if (!(d_foliage_m >= 0.0) || !std::isfinite(d_foliage_m))
        throw InputError("weissberger: d_foliage_m must be >= 0 m");
    WeissbergerResult r;
    if (f_ghz < 0.23 || f_ghz > 95.0) r.warnings.emplace_back("frequency_out_of_range");
    if (d_foliage_m > 400.0) r.warnings.emplace_back("foliage_depth_out_of_range");
    const double ff = std::pow(f_ghz, 0.284);
    r.loss_db = d_foliage_m <= 14.0 ? 0.45 * ff * d_foliage_m                   // Weissberger (1982), d <= 14 m
                                    : 1.33 * ff * std::pow(d_foliage_m, 0.588);  // Weissberger (1982), 14 < d <= 400 m
    return r;
}

}  // namespace dxplan::prop
