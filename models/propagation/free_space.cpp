#include "models/propagation/free_space.hpp"

#include <cmath>

#include "libsim/core/units.hpp"
#include "models/propagation/adapters.hpp"

namespace dxplan::prop {

double free_space_loss_db(double f_mhz, double d_m) {
    return 20.0 * std::log10(4.0 * kPi * d_m / wavelength_m(f_mhz));  // P.525-4 eq. (4): Lbf = 20 log(4 pi d / lambda)
}

LossResult adapt_free_space(const LossQuery& q) {
    const double dz_m = q.h_tx_m - q.h_rx_m;
    const double d3_m = std::sqrt(q.d_m * q.d_m + dz_m * dz_m);
    LossResult r;
    r.loss_db = free_space_loss_db(q.f_mhz, d3_m);
    r.mode = "free_space";
    r.intermediate = {{"d_3d_m", d3_m}};
    return r;
}

}  // namespace dxplan::prop
