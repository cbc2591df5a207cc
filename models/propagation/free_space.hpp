// ITU-R P.525-4 free-space basic transmission loss.
// Validity: any frequency and distance > 0 (far field assumed).
#pragma once

namespace dxplan::prop {

// P.525-4 eq. (4): Lbf = 20 log(4 pi d / lambda), i.e. 32.4478 + 20 log f(MHz) + 20 log d(km) (eq. (8) rounds
// the constant to 32.4). d_m is the 3D (slant) distance.
double free_space_loss_db(double f_mhz, double d_m);

}  // namespace dxplan::prop
