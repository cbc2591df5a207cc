// ITU-R P.833-10 (09/2021), "Attenuation in vegetation", sec. 2 (obstruction by woodland), terrestrial
// path with one terminal in woodland: excess loss A_ev = A_m [1 - exp(-d gamma / A_m)] (eq. (1)), with
// gamma the specific attenuation of the vegetation for very short paths (dB/m; read from the
// Recommendation's Fig. 2 for the frequency and polarization, or measured) and A_m the maximum attenuation
// for one terminal within woodland, A_m = A1 f^alpha with A1 = 0.18 dB, alpha = 0.752, f in MHz (eq. (2),
// fitted to measurements at 900-1 800 MHz in a park with tropical trees), unless a measured A_m is given.
// Validity: dxplan warns outside 30 MHz - 30 GHz (a conservative span for the woodland curves of Fig. 2) and
// when eq. (2) is used outside its 900-1 800 MHz measurements; the other terminal is assumed outside the
// woodland and the path inside it is d metres long.
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
