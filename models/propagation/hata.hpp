// Okumura-Hata and COST-231 Hata median path loss (standard formulas).
//   M. Hata, "Empirical formula for propagation loss in land mobile radio services", IEEE Trans. Veh. Technol.
//   VT-29(3), 1980 (urban Lp, a(hm) for medium-small and large cities, suburban Lps, open area Lpo);
//   COST Action 231 final report (1999), sec. 4.4.1, COST-Hata model.
// Validity (outside: warnings): Okumura-Hata 150-1500 MHz, COST-231 1500-2000 MHz; base height hb 30-200 m;
// mobile height hm 1-10 m; distance d 1-20 km (ground distance).
// Suburban and open-area corrections are applied to the urban loss computed with the city size given
// (Hata's derivation uses the medium-small city; the registry models do the same).
#pragma once

#include <string>
#include <vector>

namespace dxplan::prop {

enum class HataEnvironment { urban, suburban, open };
enum class HataCity { small_medium, large };

struct HataInput {
    double f_mhz = 900.0;
    double d_km = 1.0;     // ground distance
    double h_b_m = 30.0;   // base-station effective antenna height
    double h_m_m = 1.5;    // mobile antenna height
    HataEnvironment environment = HataEnvironment::urban;
    HataCity city = HataCity::small_medium;
};

struct HataResult {
    double loss_db = 0.0;
    double a_hm_db = 0.0;           // mobile antenna height correction a(hm)
    double loss_urban_db = 0.0;     // urban loss before the suburban / open correction (COST-231: before C_m)
    double correction_db = 0.0;     // subtracted for suburban / open (0 for urban); COST-231: C_m, added
    std::vector<std::string> warnings;
};

// Okumura-Hata (Hata 1980). Throws InputError for non-positive inputs.
HataResult okumura_hata_loss(const HataInput& in);

// COST-231 Hata: urban only; city = large means a metropolitan centre (C_m = 3 dB, large-city a(hm)),
// small_medium means medium city / suburban centre (C_m = 0 dB, medium-small city a(hm)).
// environment must be urban (COST-231 defines no open/suburban correction); other values throw.
HataResult cost231_hata_loss(const HataInput& in);

}  // namespace dxplan::prop
