// ITU-R P.833-10 (09/2021), "Attenuation in vegetation", sec. 2 (obstruction by woodland), terrestrial
// path with one terminal in woodland: excess loss A_ev = A_m [1 - exp(-d gamma / A_m)] (eq. (1)), with
// gamma the specific attenuation of the vegetation for very short paths (dB/m; read from the
// Recommendation's Fig. 2 for the frequency and polarization, or measured) and A_m the maximum attenuation
// for one terminal within woodland, A_m = A1 f^alpha with A1 = 0.18 dB, alpha = 0.752, f in MHz (eq. (2)),
// unless a measured A_m is given.
// Validity: the A_m fit of eq. (2) and the Fig. 2 curves cover roughly 30 MHz - 30 GHz (warning outside);
// the model assumes the other terminal is outside the woodland and the path in the woodland is d metres.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dxplan::prop {

struct P833WoodlandInput {
    double f_mhz = 900.0;
    double d_vegetation_m = 50.0;     // path length inside the woodland
    double gamma_db_per_m = 0.2;      // specific attenuation for very short vegetative paths
    std::optional<double> a_max_db;   // measured A_m; eq. (2) otherwise
};

struct P833Result {
    double loss_db = 0.0;   // excess loss A_ev
    double a_max_db = 0.0;  // A_m used
    std::vector<std::string> warnings;
};

P833Result p833_woodland_loss(const P833WoodlandInput& in);

}  // namespace dxplan::prop
