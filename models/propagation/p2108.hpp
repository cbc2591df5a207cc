// ITU-R P.2108-1 (09/2021), "Prediction of clutter loss".
//  sec. 3.1 Height-gain terminal correction model; clutter types of Table 1
//           (1 water/sea, 2 open/rural, 3 suburban, 4 urban, 5 trees/forest, 6 dense urban).
//           Validity 0.03-3 GHz.
//  sec. 3.2 Statistical clutter loss model for terrestrial paths (eqs. (3a)-(6), the loss capped at its
//           2 km value); validity 0.5-67 GHz, path length >= 0.25 km (clutter at one end; >= 1 km for both).
//  sec. 3.3 Earth-space and aeronautical statistical model; validity 10-100 GHz,
//           elevation 0-90 degrees.
// Out-of-range frequency or distance sets a warning; non-physical inputs (heights, widths <= 0, elevation
// outside [0, 90], percentage outside (0, 100)) throw InputError.
// Also here: the inverse complementary normal distribution of ITU-R P.1057-7 Annex 1 sec. 3, used by the
// statistical models (P.2108, P.2109).
#pragma once

#include <string>
#include <vector>

namespace dxplan::prop {

enum class P2108Clutter { water_sea = 1, open_rural = 2, suburban = 3, urban = 4, trees_forest = 5, dense_urban = 6 };

struct P2108HeightGainInput {
    double f_ghz = 1.0;
    double h_m = 2.0;          // antenna height above ground
    double w_s_m = 27.0;       // street width
    double r_m = 10.0;         // representative clutter height
    P2108Clutter clutter = P2108Clutter::urban;
};

struct P2108Result {
    double loss_db = 0.0;
    std::vector<std::string> warnings;
};

// sec. 3.1: additional loss A_h (dB) at the terminal end.
P2108Result p2108_height_gain_correction(const P2108HeightGainInput& in);

// sec. 3.2: clutter loss L_ctt (dB) not exceeded for p % of locations, d_km the path length.
P2108Result p2108_terrestrial_clutter_loss(double f_ghz, double d_km, double p_pct);

// sec. 3.3: clutter loss L_ces (dB) not exceeded for p % of locations, theta_deg the elevation angle.
P2108Result p2108_aeronautical_clutter_loss(double f_ghz, double theta_deg, double p_pct);

}  // namespace dxplan::prop
