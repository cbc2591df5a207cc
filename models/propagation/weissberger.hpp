// Weissberger's modified exponential decay model for foliage loss:
//   M. A. Weissberger, "An initial critical summary of models for predicting the attenuation of radio waves
//   by trees", ESD-TR-81-101, Electromagnetic Compatibility Analysis Center, Annapolis, 1982.
//   L = 0.45 f^0.284 d        for 0 <= d <= 14 m
//   L = 1.33 f^0.284 d^0.588  for 14 < d <= 400 m      (f in GHz, d = depth of foliage in m)
// Validity: 230 MHz - 95 GHz, foliage depth up to 400 m, path blocked by dense, dry, in-leaf trees
// (warnings outside).
#pragma once

#include <string>
#include <vector>

namespace dxplan::prop {

struct WeissbergerResult {
    double loss_db = 0.0;
    std::vector<std::string> warnings;
};

WeissbergerResult weissberger_loss(double f_ghz, double d_foliage_m);

}  // namespace dxplan::prop
