// ITU-R P.1812-7 "A path-specific propagation prediction method for point-to-area terrestrial
// services in the frequency range 30 MHz to 6 000 MHz": basic transmission loss Lb not exceeded for p % of
// time and pL % of locations over a terrain profile with representative clutter heights and radio-climatic
// zones, and the field strength Ep (Annex 1 §§3-4, Attachment 1 path-profile analysis, Attachment 2 I(x)).
//
// Equation numbers are those logged by the ITU-R WP 3K reference implementation (eeveetza/p1812), against
// whose 63 published cases (../shared/validation/p1812) this code is validated to 1e-3 dB on Lb and on every
// intermediate value. The delta-Bullington diffraction is p526::delta_bullington (P.1812-7 §4.3 = P.526-16 §4.5.3).
// Terminal clutter is represented by the clutter heights R_i of the profile (§3.2; P.1812-6/-7 no longer add
// terminal clutter losses); building entry loss is not included (outdoor prediction). For surface-height
// data (P.1812-7 §3.2.2) pass clutter_m = surface height - terrain height. Troposcatter uses eq. (44) of
// P.1812-6, as the ITU-R advises users of P.1812-7 to do (and as the reference implementation does).
//
// Validity (§1 of Annex 1), checked on every call: f 0.03-6 GHz, d 0.25-3000 km, p 1-50 %, pL 1-99 %,
// antenna heights 1-3000 m above ground, path-centre latitude within +-80 deg. Outside these ranges the
// result carries a warning ("frequency_out_of_range", "distance_out_of_range", "time_percentage_out_of_range",
// "location_percentage_out_of_range", "antenna_height_out_of_range", "latitude_out_of_range"); with
// enforce_ranges they throw InputError instead. The method is not defined for p > 50 %: that is an InputError.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/propagation/itur_path.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::prop::p1812 {

// Defaults used when the Rec's digital maps of dN and N0 are not available (the ITU-R reference
// implementation's defaults): dN = 45 N-units/km, N0 = 325 N-units.
inline constexpr double kDefaultDeltaN = 45.0;
inline constexpr double kDefaultN0 = 325.0;

struct Input {
    // Profile from the transmitter (index 0) to the receiver; spacing may be non-uniform; d_km[0] = 0.
    std::span<const double> d_km;
    std::span<const double> h_m;        // terrain height amsl
    std::span<const double> clutter_m;  // representative clutter height R_i; empty = 0 everywhere
    std::span<const itur::Zone> zones;  // radio-climatic zone per point; empty = inland everywhere

    double f_ghz = 0.0;
    double p_pct = 50.0;   // time percentage, 1..50
    double pl_pct = 50.0;  // location percentage, 1..99
    double h_tg_m = 0.0;   // antenna heights above ground
    double h_rg_m = 0.0;
    Polarization pol = Polarization::vertical;

    // Path centre: either its latitude, or both terminals (P.2001-4 Attachment H mid-point).
    std::optional<double> phi_path_deg;
    double lat_t_deg = 0.0, lon_t_deg = 0.0, lat_r_deg = 0.0, lon_r_deg = 0.0;

    double delta_n = kDefaultDeltaN;  // average refractivity lapse rate, lowest 1 km (N-units/km), path centre
    double n0 = kDefaultN0;           // sea-level surface refractivity (N-units), path centre
    double dct_km = 500.0;            // distance over land from Tx / Rx to the coast (0 if the terminal is at sea)
    double dcr_km = 500.0;

    // Location variability (§4.8): sigma_l_db if given, else eq. (66)-(67) with the resolution wa_m.
    std::optional<double> sigma_l_db;
    double wa_m = 100.0;
    double ptx_kw = 1.0;  // transmitter power for Ep w.r.t. Ptx (e.r.p. in kW)

    bool enforce_ranges = false;
};

// Every intermediate value the reference implementation logs, in its order.
struct Result {
    double d_km = 0.0, dlt_km = 0.0, dlr_km = 0.0;
    double theta_t_mrad = 0.0, theta_r_mrad = 0.0, theta_mrad = 0.0;
    bool transhorizon = false;
    double hts_m = 0.0, hrs_m = 0.0, htc_m = 0.0, hrc_m = 0.0;
    double omega = 0.0, dtm_km = 0.0, dlm_km = 0.0, phi_path_deg = 0.0, beta0_pct = 0.0, ae_km = 0.0;
    double hst_raw_m = 0.0, hsr_raw_m = 0.0, hst_m = 0.0, hsr_m = 0.0, hstd_m = 0.0, hsrd_m = 0.0;
    double hte_m = 0.0, hre_m = 0.0, hm_m = 0.0;
    double fi = 0.0, fj = 0.0, fk = 0.0;
    double lbfs_db = 0.0, lb0p_db = 0.0, lb0b_db = 0.0;
    double lbulla_db = 0.0, lbulls_db = 0.0, ldsph_db = 0.0, ld50_db = 0.0, ldb_db = 0.0, ldp_db = 0.0;
    double lbd50_db = 0.0, lbd_db = 0.0, lminb0p_db = 0.0, lba_db = 0.0, lminbap_db = 0.0;
    double lbda_db = 0.0, lbam_db = 0.0, lbs_db = 0.0, lbc_db = 0.0;
    double sigma_l_db = 0.0, lloc_db = 0.0;
    double lb_db = 0.0;              // eq. (69): basic transmission loss, p % time, pL % locations
    double ep_dbuv_m = 0.0;          // eq. (70): field strength for 1 kW e.r.p.
    double ep_ptx_dbuv_m = 0.0;      // field strength for ptx_kw
    std::vector<std::string> warnings;
};

// Computes P.1812-7 over the profile. Throws InputError on bad input (sizes, non-finite values, distances not
// increasing from 0, f <= 0, p outside (0, 50], pL outside (0, 100), negative antenna heights).
Result predict(const Input& in);

// Location-variability standard deviation sigma_L (dB), P.1812-7 §4.8 eqs (66)-(67): f in GHz, receiver
// antenna height h_m and clutter height r_m at the receiver, resolution wa_m.
double location_sigma_db(double f_ghz, double h_m, double r_m, double wa_m);

}  // namespace dxplan::prop::p1812
