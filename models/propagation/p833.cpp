#include "models/propagation/p833.hpp"

#include <cmath>
#include <string>

#include "libsim/core/error.hpp"

namespace dxplan::prop {

P833Result p833_woodland_loss(const P833WoodlandInput& in) {
    if (!(in.f_mhz > 0.0) || !std::isfinite(in.f_mhz)) throw InputError("p833: f_mhz must be a positive number of MHz");
    if (!(in.d_vegetation_m >= 0.0) || !std::isfinite(in.d_vegetation_m))
        throw InputError("p833: d_vegetation_m must be >= 0 m");
    if (!(in.gamma_db_per_m > 0.0)) throw InputError("p833: gamma_db_per_m must be > 0 dB/m");
    if (in.a_max_db && !(*in.a_max_db > 0.0)) throw InputError("p833: a_max_db must be > 0 dB");
    P833Result r;
    if (in.f_mhz < 30.0 || in.f_mhz > 30000.0) r.warnings.emplace_back("frequency_out_of_range");
    constexpr double a1_db = 0.18;  // P.833-10 sec. 2, eq. (2)
    constexpr double alpha = 0.752;  // P.833-10 sec. 2, eq. (2)
    r.a_max_db = in.a_max_db ? *in.a_max_db : a1_db * std::pow(in.f_mhz, alpha);  // eq. (2): A_m = A1 f^alpha
    if (!in.a_max_db && (in.f_mhz < 900.0 || in.f_mhz > 1800.0)) r.warnings.emplace_back("a_max_fit_outside_measured_range");
    r.loss_db = r.a_max_db * (1.0 - std::exp(-in.d_vegetation_m * in.gamma_db_per_m / r.a_max_db));  // eq. (1)
    return r;
}

}  // namespace dxplan::prop
