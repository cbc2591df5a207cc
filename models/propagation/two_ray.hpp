// Two-ray (flat-earth) ground-reflection path loss.
// References: T. S. Rappaport, "Wireless Communications: Principles and Practice", 2nd ed. (2002), sec. 4.5
// (Fresnel reflection coefficients of a dielectric ground, with eps_c = eps_r - j 60 lambda sigma, ITU-R P.527
// notation) and sec. 4.6 (two-ray ground reflection model: direct + ground-reflected ray; far-field
// approximation L = 40 log d - 20 log ht - 20 log hr for d much greater than the crossover 4 pi ht hr / lambda).
// Validity: flat, smooth ground, no curvature (short paths, a few km at most); antenna heights > 0.
// The far-field d^4 form is only meaningful beyond the crossover distance (warning otherwise).
#pragma once

#include <string>
#include <vector>

#include "models/propagation/model.hpp"

namespace dxplan::prop {

struct TwoRayInput {
    double f_mhz = 900.0;
    double d_m = 1000.0;          // ground (horizontal) distance
    double h_tx_m = 30.0;
    double h_rx_m = 1.5;
    Polarization polarization = Polarization::vertical;
    double epsilon_r = 15.0;      // relative permittivity of the ground
    double sigma_s_per_m = 0.005; // ground conductivity
};

struct TwoRayResult {
    double loss_db = 0.0;             // exact two-ray loss (coherent sum of both rays)
    double loss_far_field_db = 0.0;   // d^4 form: 40 log d - 20 log ht - 20 log hr (Gamma = -1, small angles)
    double r_direct_m = 0.0;
    double r_reflected_m = 0.0;
    double grazing_angle_deg = 0.0;
    double gamma_magnitude = 0.0;     // |Gamma|
    double gamma_phase_deg = 0.0;     // arg Gamma
    double d_crossover_m = 0.0;       // 4 pi ht hr / lambda
    std::vector<std::string> warnings;
};

TwoRayResult two_ray_loss(const TwoRayInput& in);

}  // namespace dxplan::prop
