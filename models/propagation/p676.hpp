// ITU-R P.676-12 (08/2019) / P.676-13 (08/2022), "Attenuation by atmospheric gases and related effects".
//  - Annex 1 sec. 1: line-by-line specific attenuation gamma = gamma_o + gamma_w (eqs. (1)-(9)) with the
//    oxygen and water-vapour spectroscopic lines of Tables 1 and 2 (identical in editions 12 and 13).
//    Validity 1-1000 GHz (warning outside). p is the DRY-air pressure, e = rho T / 216.7 the water-vapour
//    partial pressure (eq. (4)).
//  - Annex 1 sec. 2.1: terrestrial path A = gamma r0 (eq. (10)).
//  - Annex 2 of P.676-12 (sec. 2.2 and 2.3): approximate slant-path attenuation
//    A = (A_o + A_w) / sin(theta) with the oxygen equivalent height h_o and either the
//    water-vapour equivalent height h_w (Tables 3, 4) or, when the integrated water-vapour content V_t
//    is known, the zenith water-vapour attenuation of sec. 2.3. Validity: 1-350 GHz,
//    elevation 5-90 degrees.
//  - Annex 2 of P.676-13 (sec. 1.1 and 2.1): instantaneous slant-path attenuation
//    A = (gamma_o h_o + gamma_w h_w) / sin(theta), gamma at the surface (dry pressure p), h_o from the
//    Part 1 digital coefficients (a_o + b_o T + c_o P_s + d_o rho with P_s = p + e; 1-350 GHz),
//    h_w from the closed form of sec. 2.1 (method 1). Method 2 (integrated water vapour, Part 2 K_V
//    coefficients) is not implemented.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dxplan::prop {

struct P676Atmosphere {
    double p_hpa = 1013.25;   // dry-air pressure
    double t_k = 288.15;      // temperature
    double rho_g_m3 = 7.5;    // water-vapour density
};

struct P676SpecificResult {
    double gamma_o_db_per_km = 0.0;  // dry air (oxygen, nitrogen, Debye)
    double gamma_w_db_per_km = 0.0;  // water vapour
    double gamma_db_per_km = 0.0;    // total, eq. (1)
    std::vector<std::string> warnings;
};

// Annex 1 sec. 1 line-by-line specific attenuation. Throws InputError on non-physical input.
P676SpecificResult p676_specific_attenuation(double f_ghz, const P676Atmosphere& atm);

// Annex 1 sec. 2.1: attenuation of a terrestrial (horizontal) path of length d_km.
double p676_terrestrial_attenuation_db(double f_ghz, double d_km, const P676Atmosphere& atm);

struct P676SlantInput {
    double f_ghz = 30.0;
    double elevation_deg = 30.0;
    P676Atmosphere surface;                   // surface conditions at the station
    std::optional<double> v_t_kg_m2;          // integrated water-vapour content; with h_station_km selects sec. 2.3
    double h_station_km = 0.0;                // station height above mean sea level (sec. 2.3)
};

struct P676SlantResult {
    double a_gas_db = 0.0;
    double a_o_zenith_db = 0.0;     // gamma_o h_o
    double a_w_zenith_db = 0.0;     // gamma_w h_w, or the sec. 2.3 zenith water-vapour attenuation
    double h_o_km = 0.0;
    double h_w_km = 0.0;
    std::vector<std::string> warnings;
};

// P.676-12 Annex 2 approximate slant-path gaseous attenuation.
P676SlantResult p676_slant_path_attenuation(const P676SlantInput& in);

// P.676-13 Annex 2 instantaneous slant-path gaseous attenuation (sec. 1.1 oxygen + sec. 2.1 water vapour,
// method 1) from surface conditions; surface.p_hpa is the DRY pressure. Throws InputError outside 1-350 GHz
// (no Part 1 coefficients) or for an elevation outside (0, 90]; warns below 5 degrees.
P676SlantResult p676_13_slant_path_attenuation(double f_ghz, double elevation_deg, const P676Atmosphere& surface);

}  // namespace dxplan::prop
