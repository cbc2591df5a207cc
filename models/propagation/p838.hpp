// ITU-R P.838-3 (03/2005), "Specific attenuation model for rain for use in prediction methods".
// gamma_R = k R^alpha (eq. 1); k and alpha from the curve-fitting expressions (2), (3) with the coefficients
// of Tables 1-4, combined for any path elevation and polarization tilt by eqs. (4), (5).
// Validity: 1-1000 GHz (warning outside). R >= 0 mm/h.
#pragma once

#include <string>
#include <vector>

namespace dxplan::prop {

struct P838Coefficients {
    double k = 0.0;
    double alpha = 0.0;
    double k_h = 0.0, alpha_h = 0.0, k_v = 0.0, alpha_v = 0.0;
};

// tau_deg: polarization tilt angle relative to the horizontal (0 = horizontal, 90 = vertical, 45 = circular);
// elevation_deg: path elevation angle (0 for terrestrial paths).
P838Coefficients p838_coefficients(double f_ghz, double elevation_deg, double tau_deg);

struct P838Result {
    double gamma_r_db_per_km = 0.0;
    P838Coefficients coefficients;
    std::vector<std::string> warnings;
};

// Specific attenuation gamma_R (dB/km) for rain rate r_mm_per_h. Throws InputError on f <= 0 or R < 0.
P838Result p838_specific_attenuation(double f_ghz, double r_mm_per_h, double elevation_deg, double tau_deg);

}  // namespace dxplan::prop
