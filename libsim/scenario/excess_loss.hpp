// dxplan run: losses added to a path-loss model's result (the scenario's `propagation:` switches, ExcessLossSpec).
//
// Which loss applies where (README "Losses in the run"):
//  - terminal clutter, ITU-R P.2108-1 sec. 3.1 (height-gain terminal correction A_h) from the receiver's land-cover
//    class: clutter type from the class's category (water -> water/sea, open and cropland -> open/rural, suburban,
//    urban; forest -> trees/forest only when the vegetation loss is off), representative clutter height R = the
//    class's clutter_height_m (models/landcover/jaxa_hrlulc.csv: P.452-17 Table 4 / P.1812-6 Table 2), street width
//    w_s = 27 m (the Recommendation's default), receiver height h. On maps and demand points.
//  - vegetation, a receiver in woodland (category forest): ITU-R P.833-10 sec. 2, A_ev = A_m [1 - exp(-d gamma / A_m)]
//    (eq. (1)), A_m = 0.18 f^0.752 (eq. (2), f in MHz), d the run of the path inside the canopy, walked back from the
//    receiver toward the site in steps of kWoodlandStep_m while the land cover is woodland and the straight line
//    between the antennas is below the canopy top (ground + the class's clutter height), at most kWoodlandMax_m;
//    gamma, the specific attenuation of very short vegetative paths, from Weissberger's short-path branch
//    gamma = 0.45 f^0.284 dB/m (f in GHz; Weissberger 1982, dense in-leaf trees, d <= 14 m), scaled by
//    (1 - kBareFactor x deciduous_share) in the bare season. The result is capped by the over-canopy path:
//    min(A_ev, P.2108-1 sec. 3.1 A_h for trees/forest with R = the class's height), since the signal takes the
//    better of through and over the trees. On maps and demand points.
//  - building entry, ITU-R P.2109-2 L_BEL(P) for the building type at probability P and the path's elevation at the
//    facade, for indoor demand points only (not on maps); an outdoor CPE has none and adds its gain.
//  - rain, ITU-R P.530-18 sec. 2.4.1 with P.838-3 (A_p for the time percentage from R0.01, polarisation tilt 45 deg:
//    dual-polarised equipment), and gas, ITU-R P.676-13 Annex 1 (terrestrial path, 1013.25 hPa, 15 deg C,
//    7.5 g/m3), on every path above kRainGasMinMhz (6 GHz); maps and demand points.
// Pure functions over small structs; safe to call from OpenMP threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libsim/scenario/scenario.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan {

inline constexpr double kRainGasMinMhz = 6000.0;   // rain and gas apply above 6 GHz (issue 12)
inline constexpr double kWoodlandStep_m = 25.0;    // step of the woodland walk
inline constexpr double kWoodlandMax_m = 400.0;    // Weissberger's largest foliage depth; A_ev saturates before it
inline constexpr double kBareFactor = 0.5;         // leafless deciduous trees: half the in-leaf specific attenuation
                                                   // (engineering estimate: COST 235's out-of-leaf / in-leaf fits at
                                                   // 9.6-57.6 GHz give 0.5-0.7 for 20-50 m of woodland)
inline constexpr double kStreetWidth_m = 27.0;     // P.2108-1 sec. 3.1 default street width w_s

// Warning bits of the excess losses (counted by name in the run's warnings).
inline constexpr std::uint32_t kClutterOutOfRange = 1u << 0;     // P.2108 sec. 3.1 outside 0.03-3 GHz
inline constexpr std::uint32_t kVegetationFitOutside = 1u << 1;  // P.833 eq. (2) outside its 0.9-1.8 GHz data

struct ExcessLoss {
    double clutter_db = 0.0;
    double vegetation_db = 0.0;
    double vegetation_depth_m = 0.0;  // the run inside the canopy used
    double building_entry_db = 0.0;
    double rain_db = 0.0;
    double gas_db = 0.0;
    double terminal_gain_db = 0.0;    // an outdoor CPE's gain (subtracted)
    std::uint32_t warnings = 0;
    [[nodiscard]] double total_db() const {
        return clutter_db + vegetation_db + building_entry_db + rain_db + gas_db - terminal_gain_db;
    }
};

// The losses of one run frequency and receiver height; what does not depend on the path is computed once.
class ExcessLossModel {
public:
    ExcessLossModel(const ExcessLossSpec& spec, double f_mhz, const LandCover* land_cover, const Terrain& terrain);

    // Clutter, vegetation, rain and gas of the path from a site (antenna at z_tx_m above sea level) to a receiver
    // at p, h_rx_m above ground, d_m from the site.
    [[nodiscard]] ExcessLoss path(LatLon site, double z_tx_m, LatLon p, double h_rx_m, double d_m) const;
    // The same plus building entry (indoor) or the CPE's gain (outdoor CPE) of a demand point.
    [[nodiscard]] ExcessLoss demand_point(LatLon site, double z_tx_m, LatLon p, double h_rx_m, double d_m, bool indoor,
                                          double terminal_gain_db) const;
    [[nodiscard]] bool any() const;
    [[nodiscard]] static std::vector<std::string> warning_names(std::uint32_t bits);

private:
    [[nodiscard]] double vegetation_db(const ClutterClass& c, LatLon site, double z_tx_m, LatLon p, double h_rx_m,
                                       double d_m, double& depth_m, std::uint32_t& warnings) const;

    ExcessLossSpec spec_;
    double f_mhz_;
    const LandCover* lc_;
    const Terrain* terrain_;
    double gas_db_per_km_ = 0.0;
};

// P.2108-1 sec. 3.1 clutter type of a land-cover category.
[[nodiscard]] int p2108_clutter_type(ClutterCategory c);

}  // namespace dxplan
