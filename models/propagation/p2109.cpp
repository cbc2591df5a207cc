#include "models/propagation/p2109.hpp"

#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/normal.hpp"

namespace dxplan::prop {

namespace {
// P.2109-2 Table 1: {r, s, t, u, v, w, x, y, z} for traditional and thermally-efficient buildings.
constexpr double kTable1[2][9] = {{12.64, 3.72, 0.96, 9.6, 2.0, 9.1, -3.0, 4.5, -2.0},
                                  {28.19, -3.00, 8.48, 13.5, 3.8, 27.8, -2.9, 9.4, -2.1}};
}  // namespace

P2109Result p2109_building_entry_loss(double f_ghz, double prob_pct, P2109Building type, double elevation_deg) {
    if (!(f_ghz > 0.0) || !std::isfinite(f_ghz)) throw InputError("p2109: f_ghz must be a positive number of GHz");
    if (!(prob_pct > 0.0 && prob_pct < 100.0))
        throw InputError("p2109: probability = " + std::to_string(prob_pct) + ": must be in (0, 100) %");
    if (!(elevation_deg >= -90.0 && elevation_deg <= 90.0))
        throw InputError("p2109: elevation = " + std::to_string(elevation_deg) + ": must be in [-90, 90] degrees");
    P2109Result res;
    if (f_ghz < 0.08 || f_ghz > 100.0) res.warnings.emplace_back("frequency_out_of_range");
    const double* c = kTable1[type == P2109Building::traditional ? 0 : 1];
    const double r = c[0], s = c[1], t = c[2], u = c[3], v = c[4], w = c[5], x = c[6], y = c[7], z = c[8];
    constexpr double c_db = -3.0;  // sec. 3, C
    const double lf = std::log10(f_ghz);
    const double l_h = r + s * lf + t * lf * lf;       // P.2109-2 Annex 1 sec. 3: horizontal-path loss
    const double l_e = 0.212 * std::abs(elevation_deg);  // P.2109-2 Annex 1 sec. 3: elevation correction
    const double mu1 = l_h + l_e;                       // P.2109-2 Annex 1 sec. 3
    const double mu2 = w + x * lf;                      // P.2109-2 Annex 1 sec. 3
    const double sigma1 = u + v * lf;                   // P.2109-2 Annex 1 sec. 3
    const double sigma2 = y + z * lf;                   // P.2109-2 Annex 1 sec. 3
    // F^-1(P) = inverse cumulative normal = Q^-1(1 - P) (P.1057-7)
    const double f_inv = -inverse_normal_ccdf(prob_pct / 100.0);
    res.a_db = f_inv * sigma1 + mu1;  // P.2109-2 Annex 1 sec. 3
    res.b_db = f_inv * sigma2 + mu2;  // P.2109-2 Annex 1 sec. 3
    res.loss_db = 10.0 * std::log10(std::pow(10.0, 0.1 * res.a_db) + std::pow(10.0, 0.1 * res.b_db) +
                                    std::pow(10.0, 0.1 * c_db));  // P.2109-2 Annex 1 sec. 3
    return res;
}

}  // namespace dxplan::prop
