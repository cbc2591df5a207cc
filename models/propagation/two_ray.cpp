#include "models/propagation/two_ray.hpp"

#include <cmath>
#include <complex>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/adapters.hpp"

namespace dxplan::prop {

TwoRayResult two_ray_loss(const TwoRayInput& in) {
    require_positive("two-ray", "frequency f_mhz", in.f_mhz, "MHz");
    require_positive("two-ray", "distance d_m", in.d_m, "m");
    require_positive("two-ray", "tx antenna height h_tx_m", in.h_tx_m, "m");
    require_positive("two-ray", "rx antenna height h_rx_m", in.h_rx_m, "m");
    if (!(in.epsilon_r >= 1.0))
        throw InputError("two-ray: ground epsilon_r = " + std::to_string(in.epsilon_r) + ": must be >= 1");
    if (!(in.sigma_s_per_m >= 0.0))
        throw InputError("two-ray: ground conductivity sigma = " + std::to_string(in.sigma_s_per_m) + " S/m: must be >= 0 S/m");
    using cd = std::complex<double>;
    TwoRayResult r;
    const double lambda_m = wavelength_m(in.f_mhz);
    const double ht = in.h_tx_m, hr = in.h_rx_m, d = in.d_m;
    r.r_direct_m = std::hypot(d, ht - hr);     // direct ray length
    r.r_reflected_m = std::hypot(d, ht + hr);  // image (reflected) ray length
    const double psi_rad = std::atan2(ht + hr, d);  // grazing angle at the reflection point
    r.grazing_angle_deg = rad_to_deg(psi_rad);
    // Complex relative permittivity eps_c = eps_r - j 60 lambda sigma (ITU-R P.527 / Rappaport sec. 4.5)
    const cd eps_c(in.epsilon_r, -60.0 * lambda_m * in.sigma_s_per_m);
    const double s = std::sin(psi_rad), c = std::cos(psi_rad);
    const cd root = std::sqrt(eps_c - c * c);
    const cd gamma = in.polarization == Polarization::horizontal
                         ? (s - root) / (s + root)                   // Fresnel coefficient, horizontal pol.
                         : (eps_c * s - root) / (eps_c * s + root);  // Fresnel coefficient, vertical pol.
    r.gamma_magnitude = std::abs(gamma);
    r.gamma_phase_deg = rad_to_deg(std::arg(gamma));
    // Coherent sum of direct and reflected rays, normalised to isotropic antennas (Rappaport sec. 4.6):
    // E/E0 = lambda/(4 pi) * | exp(-j k r1)/r1 + Gamma exp(-j k r2)/r2 |
    const double k = 2.0 * kPi / lambda_m;
    const cd sum = std::polar(1.0 / r.r_direct_m, -k * r.r_direct_m) +
                   gamma * std::polar(1.0 / r.r_reflected_m, -k * r.r_reflected_m);
    r.loss_db = -20.0 * std::log10(lambda_m / (4.0 * kPi) * std::abs(sum));
    // Far-field approximation: L = 40 log d - 20 log ht - 20 log hr (Rappaport sec. 4.6)
    r.loss_far_field_db = 40.0 * std::log10(d) - 20.0 * std::log10(ht) - 20.0 * std::log10(hr);
    r.d_crossover_m = 4.0 * kPi * ht * hr / lambda_m;
    if (d < r.d_crossover_m) r.warnings.emplace_back("inside_crossover_distance_far_field_form_invalid");
    return r;
}

LossResult adapt_two_ray(const LossQuery& q) {
    TwoRayInput in;
    in.f_mhz = q.f_mhz;
    in.d_m = q.d_m;
    in.h_tx_m = q.h_tx_m;
    in.h_rx_m = q.h_rx_m;
    in.polarization = q.polarization;
    in.epsilon_r = q.epsilon;
    in.sigma_s_per_m = q.sigma_s_per_m;
    const TwoRayResult t = two_ray_loss(in);
    LossResult r;
    r.loss_db = t.loss_db;
    r.mode = "two_ray";
    r.warnings = t.warnings;
    r.intermediate = {{"loss_far_field_db", t.loss_far_field_db}, {"r_direct_m", t.r_direct_m},
                      {"r_reflected_m", t.r_reflected_m},         {"grazing_angle_deg", t.grazing_angle_deg},
                      {"gamma_magnitude", t.gamma_magnitude},     {"gamma_phase_deg", t.gamma_phase_deg},
                      {"d_crossover_m", t.d_crossover_m}};
    return r;
}

}  // namespace dxplan::prop
