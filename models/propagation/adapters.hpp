// Adapters from the common LossQuery to each model's typed function. One line per model; the
// definitions live next to each model (e.g. itm.cpp defines adapt_itm). Internal to the models layer.
#pragma once

#include "models/propagation/model.hpp"

namespace dxplan::prop {

LossResult adapt_free_space(const LossQuery& q);
LossResult adapt_tr38901_rma(const LossQuery& q);        // tr38901.cpp, 3GPP TR 38.901 RMa
LossResult adapt_tr38901_uma(const LossQuery& q);        // tr38901.cpp, 3GPP TR 38.901 UMa
LossResult adapt_tr38901_umi(const LossQuery& q);        // tr38901.cpp, 3GPP TR 38.901 UMi-Street Canyon
LossResult adapt_tr38901_umi_terrain(const LossQuery& q);  // tr38901.cpp, UMi with LOS from the terrain profile
LossResult adapt_tr38901_rma_terrain(const LossQuery& q);  // tr38901.cpp, RMa with LOS from the terrain profile
LossResult adapt_hata_urban_large(const LossQuery& q);   // hata.cpp, Okumura-Hata urban, large city
LossResult adapt_hata_urban_small(const LossQuery& q);   // hata.cpp, Okumura-Hata urban, small/medium city
LossResult adapt_hata_suburban(const LossQuery& q);      // hata.cpp, Okumura-Hata suburban
LossResult adapt_hata_open(const LossQuery& q);          // hata.cpp, Okumura-Hata open area
LossResult adapt_cost231_hata(const LossQuery& q);       // hata.cpp, COST-231 Hata, medium city
LossResult adapt_two_ray(const LossQuery& q);            // two_ray.cpp, flat-earth two-ray
LossResult adapt_p1812(const LossQuery& q);                   // p1812.cpp, ITU-R P.1812-7
LossResult adapt_p526_deygout(const LossQuery& q);            // p526.cpp, P.526-16 Deygout (up to 3 edges)
LossResult adapt_p526_bullington(const LossQuery& q);         // p526.cpp, P.526-16 Bullington
LossResult adapt_p526_delta_bullington(const LossQuery& q);   // p526.cpp, P.526-16 delta-Bullington
LossResult adapt_free_space_knife_edge(const LossQuery& q);   // p526.cpp, free space + dominant knife edge J(v)
LossResult adapt_itm(const LossQuery& q);       // itm.cpp, ITM (Longley-Rice) v1.2.2 point-to-point
LossResult adapt_p452(const LossQuery& q);     // p452.cpp, ITU-R P.452-18
LossResult adapt_p452_17(const LossQuery& q);  // p452.cpp, ITU-R P.452-17

}  // namespace dxplan::prop
