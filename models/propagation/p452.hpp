// ITU-R P.452: prediction procedure for the evaluation of interference between stations on the surface of
// the Earth at frequencies above about 0.1 GHz (clear-air basic transmission loss not exceeded for p % time).
//
// References:
//   Recommendation ITU-R P.452-18 (10/2023), Annex 1 sections 3-4 and Attachment 2 (path profile analysis);
//   Recommendation ITU-R P.452-17 (09/2021), same structure plus the section 4.5 clutter height-gain model;
//   Recommendation ITU-R P.676-13 (08/2022), Annex 1 (line-by-line specific attenuation of dry air and
//   water vapour), which P.452 section 4.1 calls for, implemented in models/propagation/p676.hpp;
//   Recommendation ITU-R P.526-16 section 4.5.3 (delta-Bullington diffraction), used by P.452 section 4.2
//   and implemented in models/propagation/p526.hpp;
//   the path-profile analysis of Attachment 2 (zones, beta0, smooth earth, horizons) shared with P.1812 in
//   models/propagation/itur_path.hpp.
//
// Validity (P.452-18 section 1 and Annex 1 section 2): frequency 0.1-50 GHz; time percentage 0.001-50 %;
// path length up to about 10 000 km; antenna heights above ground > 0 m. Outside these ranges the result
// carries a warning (or, with enforce_ranges, the call throws InputError); nothing is extrapolated silently
// beyond what the Recommendation's formulas do.
//
// Differences between the editions, as implemented:
//   -18: the diffraction profile is terrain + representative clutter height (not within 50 m of either
//        terminal); free space and gaseous absorption use the 3D distance dfs (eq. 8a);
//        no Aht/Ahr. Both editions: elevation angles in the arctangent form, path centre at dtot / 2.
//   -17: diffraction over bare terrain; free space and gaseous absorption over the ground distance d; the optional
//        section 4.5 clutter model (nominal height ha and distance dk at each terminal, eq. 57) truncates
//        the profile and adds Aht + Ahr (eq. 64).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "models/propagation/itur_path.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::prop::p452 {

enum class Edition { rev17, rev18 };

// Radio-climatic zones of P.452 Table 3 (A1 coastal land, A2 inland, B sea).
using Zone = itur::Zone;

struct Input {
    Edition edition = Edition::rev18;
    double f_ghz = 0.0;        // 0.1 .. 50
    double p_pct = 50.0;       // 0.001 .. 50, percentage of an average year
    std::span<const double> d_km;       // profile distances from the interferer, ascending, first 0
    std::span<const double> h_m;        // terrain heights amsl, same length
    std::span<const double> clutter_m;  // -18: representative clutter heights (empty = none); -17: ignored
    std::span<const Zone> zone;         // same length as d_km (empty = all inland)
    double htg_m = 10.0;       // interferer antenna centre height above ground
    double hrg_m = 10.0;       // interfered-with antenna centre height above ground
    double lat_centre_deg = 45.0;  // latitude of the path centre (for beta0, eq. 2-4): the point at dtot / 2
                                   // along the great circle, itur::great_circle_point_lat_deg()
    double gt_dbi = 0.0;       // antenna gains towards the horizon along the path (troposcatter, eq. 45b)
    double gr_dbi = 0.0;
    Polarization pol = Polarization::vertical;
    double dct_km = 500.0;     // distance over land from each terminal to the coast (used when omega >= 0.75)
    double dcr_km = 500.0;
    double dn_n_per_km = 45.0; // DeltaN, average refractivity lapse rate, lowest 1 km (path-centre map value)
    double n0_n = 325.0;       // sea-level surface refractivity N0 (path-centre map value)
    double pressure_hpa = 1013.25;
    double temp_c = 15.0;
    // -17 only, section 4.5 clutter height-gain model (ha = 0: no clutter at that terminal).
    double ha_t_m = 0.0, ha_r_m = 0.0;
    double dk_t_km = 0.0, dk_r_km = 0.0;
    bool enforce_ranges = false;
};

struct Result {
    double lb_db = 0.0;     // basic transmission loss not exceeded for p % time (eq. 64)
    // Components (P.452 section 4).
    double lbfsg_db = 0.0;  // free space + gaseous absorption (eq. 8, 9)
    double lb0p_db = 0.0;   // line of sight, p % (eq. 11)
    double lb0b_db = 0.0;   // line of sight, beta0 % (eq. 12)
    double ldsph_db = 0.0;  // spherical-earth diffraction, median (P.526-16 eq. 39-41 via delta-Bullington)
    double ld50_db = 0.0;   // median diffraction loss
    double ldp_db = 0.0;    // diffraction loss not exceeded for p % (eq. 42)
    double lbs_db = 0.0;    // troposcatter (eq. 45)
    double lba_db = 0.0;    // ducting / layer reflection (eq. 46)
    double aht_db = 0.0, ahr_db = 0.0;  // -17 clutter losses (eq. 57), 0 for -18
    // Intermediate values (Attachment 2 and section 3).
    double ae_km = 0.0, dtot_km = 0.0, hts_m = 0.0, hrs_m = 0.0;
    double theta_t_mrad = 0.0, theta_r_mrad = 0.0, theta_mrad = 0.0;
    double hm_m = 0.0, hte_m = 0.0, hre_m = 0.0, hstd_m = 0.0, hsrd_m = 0.0;
    double dlt_km = 0.0, dlr_km = 0.0, dtm_km = 0.0, dlm_km = 0.0;
    double b0_pct = 0.0, omega = 0.0;
    bool line_of_sight = false;
    std::vector<std::string> warnings;  // "frequency_out_of_range", "time_percentage_out_of_range", ...
};

// Basic transmission loss and its components. Throws InputError on malformed input (lengths, order, NaN).
Result basic_transmission_loss(const Input& in);

}  // namespace dxplan::prop::p452
