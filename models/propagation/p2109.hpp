// ITU-R P.2109-2, "Prediction of building entry loss", Annex 1 sec. 3: the building entry loss
// not exceeded for the probability P, for traditional and thermally-efficient buildings (Table 1), as a
// function of frequency and elevation angle at the facade.
// Validity: 0.08-100 GHz (warning outside); 0 < P < 100 %; elevation -90..90 degrees.
#pragma once

#include <string>
#include <vector>

namespace dxplan::prop {

enum class P2109Building { traditional = 1, thermally_efficient = 2 };

struct P2109Result {
    double loss_db = 0.0;   // L_BEL(P)
    double a_db = 0.0;      // A(P): horizontal-path component, log-normal
    double b_db = 0.0;      // B(P)
    std::vector<std::string> warnings;
};

// prob_pct: the probability (%) with which the loss is not exceeded.
P2109Result p2109_building_entry_loss(double f_ghz, double prob_pct, P2109Building type, double elevation_deg);

}  // namespace dxplan::prop
