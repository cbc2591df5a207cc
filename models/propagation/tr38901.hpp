// 3GPP TR 38.901 V17.0.0 (2022-03), "Study on channel model for frequencies from 0.5 to 100 GHz":
// path loss of Table 7.4.1-1 (RMa, UMa, UMi-Street Canyon, InH-Office), LOS probability of Table 7.4.2-1,
// shadow-fading standard deviations of Table 7.4.1-1.
//
// Validity (Table 7.4.1-1 and its notes; outside these the result carries a warning, not an error):
//   RMa: fc 0.5-30 GHz (note 7.4.1: validated up to 7 GHz), 10 m <= d2D <= 10 km (LOS) / 5 km (NLOS),
//        hBS 10-150 m, hUT 1-10 m, building height h 5-50 m, street width W 5-50 m;
//   UMa: fc 0.5-100 GHz, 10 m <= d2D <= 5 km, hBS = 25 m nominal, hUT 1.5-22.5 m;
//   UMi-Street Canyon: fc 0.5-100 GHz, 10 m <= d2D <= 5 km, hBS = 10 m nominal, hUT 1.5-22.5 m;
//   InH-Office: fc 0.5-100 GHz, 1 m <= d3D <= 150 m.
// NLOS path loss is max(PL_LOS, PL'_NLOS) as the table specifies. The median (no shadowing) is returned;
// the shadow-fading sigma is given separately.
#pragma once

#include <string>
#include <vector>

namespace dxplan::prop {

enum class Tr38901Scenario { rma, uma, umi_street_canyon, inh_office_mixed, inh_office_open };

struct Tr38901Input {
    Tr38901Scenario scenario = Tr38901Scenario::uma;
    double f_ghz = 3.5;
    double d_2d_m = 100.0;      // ground distance BS-UT
    double h_bs_m = 25.0;       // base-station antenna height
    double h_ut_m = 1.5;        // user-terminal antenna height
    bool los = true;            // false: NLOS formula = max(PL_LOS, PL'_NLOS)
    double h_building_m = 5.0;  // RMa average building height h (Table 7.4.1-1 default 5 m)
    double w_street_m = 20.0;   // RMa average street width W (default 20 m)
    double h_e_m = 1.0;         // UMa/UMi effective environment height hE (note 1: 1 m for hUT < 13 m; for
                                // taller UTs the report draws hE at random, dxplan uses the value given)
};

struct Tr38901Result {
    double loss_db = 0.0;            // median basic path loss for the requested condition
    double loss_los_db = 0.0;        // PL_LOS at this geometry
    double loss_nlos_prime_db = 0.0; // PL'_NLOS (0 when los was requested)
    double d_3d_m = 0.0;
    double d_bp_m = 0.0;             // breakpoint distance (dBP for RMa, d'BP for UMa/UMi; 0 for InH)
    bool beyond_breakpoint = false;  // LOS formula PL2 used
    double sigma_sf_db = 0.0;        // shadow-fading standard deviation for the condition used
    double p_los = 0.0;              // Table 7.4.2-1 LOS probability at d_2d_m
    std::vector<std::string> warnings;
};

// Table 7.4.1-1 path loss (and Table 7.4.2-1 LOS probability). Throws InputError for non-physical input
// (non-positive frequency, distance or heights); out-of-range values only add warnings.
Tr38901Result tr38901_loss(const Tr38901Input& in);

// Table 7.4.2-1 LOS probability.
double tr38901_los_probability(Tr38901Scenario s, double d_2d_m, double h_ut_m);

}  // namespace dxplan::prop
