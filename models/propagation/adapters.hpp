// Adapters from the common LossQuery to each model's typed function. One line per model; the
// definitions live next to each model (e.g. itm.cpp defines adapt_itm). Internal to the models layer.
#pragma once

#include "models/propagation/model.hpp"

namespace dxplan::prop {

LossResult adapt_free_space(const LossQuery& q);
LossResult adapt_p452(const LossQuery& q);     // p452.cpp, ITU-R P.452-18
LossResult adapt_p452_17(const LossQuery& q);  // p452.cpp, ITU-R P.452-17

}  // namespace dxplan::prop
