// Losses added to the path-loss model in `dxplan run` (see excess_loss.hpp).
#include "libsim/scenario/excess_loss.hpp"

#include <algorithm>
#include <cmath>

#include "models/propagation/p2108.hpp"
#include "models/propagation/p2109.hpp"
#include "models/propagation/p530.hpp"
#include "models/propagation/p676.hpp"
#include "models/propagation/p833.hpp"

namespace dxplan {

namespace {

constexpr double kPi = 3.14159265358979323846;

bool has_warning(const std::vector<std::string>& w, const char* name) {
    return std::find(w.begin(), w.end(), name) != w.end();
}

// P.2108-1 sec. 3.1 A_h for a receiver h_rx_m above ground in clutter of type `type` and height r_m.
double height_gain_db(double f_mhz, double h_rx_m, double r_m, prop::P2108Clutter type, std::uint32_t& warnings) {
    if (!(r_m > h_rx_m)) return 0.0;  // sec. 3.1: no loss at or above the clutter
    prop::P2108HeightGainInput in;
    in.f_ghz = f_mhz / 1000.0;
    in.h_m = h_rx_m;
    in.w_s_m = kStreetWidth_m;
    in.r_m = r_m;
    in.clutter = type;
    const prop::P2108Result r = prop::p2108_height_gain_correction(in);
    if (has_warning(r.warnings, "frequency_out_of_range")) warnings |= kClutterOutOfRange;
    return r.loss_db;
}

}  // namespace

int p2108_clutter_type(ClutterCategory c) {
    switch (c) {
        case ClutterCategory::water: return static_cast<int>(prop::P2108Clutter::water_sea);
        case ClutterCategory::open:
        case ClutterCategory::cropland: return static_cast<int>(prop::P2108Clutter::open_rural);
        case ClutterCategory::forest: return static_cast<int>(prop::P2108Clutter::trees_forest);
        case ClutterCategory::suburban: return static_cast<int>(prop::P2108Clutter::suburban);
        case ClutterCategory::urban: return static_cast<int>(prop::P2108Clutter::urban);
    }
    return static_cast<int>(prop::P2108Clutter::open_rural);
}

ExcessLossModel::ExcessLossModel(const ExcessLossSpec& spec, double f_mhz, const LandCover* land_cover,
                                 const Terrain& terrain)
    : spec_(spec), f_mhz_(f_mhz), lc_(land_cover), terrain_(&terrain) {
    if (!lc_) spec_.clutter = spec_.vegetation = false;
    if (f_mhz_ <= kRainGasMinMhz) spec_.rain = spec_.gas = false;
    if (spec_.rain_rate_mm_h <= 0.0) spec_.rain = false;
    if (spec_.gas) gas_db_per_km_ = prop::p676_specific_attenuation(f_mhz_ / 1000.0, prop::P676Atmosphere{}).gamma_db_per_km;  // P.676 Annex 1 eq. (1)
}

bool ExcessLossModel::any() const { return spec_.clutter || spec_.vegetation || spec_.rain || spec_.gas || spec_.building_entry; }

double ExcessLossModel::vegetation_db(const ClutterClass& c, LatLon site, double z_tx_m, LatLon p, double h_rx_m, double d_m,
                                      double& depth_m, std::uint32_t& warnings) const {
    // The run inside the canopy, walked back from the receiver toward the site.
    const double z_rx_m = terrain_->height_m(p) + h_rx_m;
    const double steps_max = std::min(kWoodlandMax_m, d_m) / kWoodlandStep_m;
    int inside = 0;
    for (int k = 0; k < static_cast<int>(steps_max); ++k) {
        const double s_m = (k + 0.5) * kWoodlandStep_m;  // distance from the receiver
        const double t = s_m / d_m;
        const LatLon q{p.lat_deg + (site.lat_deg - p.lat_deg) * t, p.lon_deg + (site.lon_deg - p.lon_deg) * t};
        if (!lc_->contains(q) || !terrain_->contains(q)) break;
        const ClutterClass* cq = lc_->clutter_at(q);
        if (!cq || cq->category != ClutterCategory::forest) break;
        const double ray_m = z_rx_m + (z_tx_m - z_rx_m) * t;
        if (ray_m >= terrain_->height_m(q) + cq->clutter_height_m) break;  // the path leaves the canopy at the top
        ++inside;
    }
    depth_m = std::max(1.0, inside * kWoodlandStep_m);  // at least the receiver's own metre
    const double f_ghz = f_mhz_ / 1000.0;
    double gamma_db_per_m = 0.45 * std::pow(f_ghz, 0.284);  // Weissberger (1982), d <= 14 m branch: specific attenuation
    if (spec_.season == Season::bare) gamma_db_per_m *= 1.0 - kBareFactor * c.deciduous_share;
    prop::P833WoodlandInput in;
    in.f_mhz = f_mhz_;
    in.d_vegetation_m = depth_m;
    in.gamma_db_per_m = gamma_db_per_m;
    const prop::P833Result r = prop::p833_woodland_loss(in);  // P.833-10 sec. 2 eqs. (1), (2)
    if (has_warning(r.warnings, "a_max_fit_outside_measured_range")) warnings |= kVegetationFitOutside;
    // Over the canopy instead: P.2108-1 sec. 3.1 trees/forest, the better of the two.
    const double over_db = height_gain_db(f_mhz_, h_rx_m, c.clutter_height_m, prop::P2108Clutter::trees_forest, warnings);
    return c.clutter_height_m > h_rx_m ? std::min(r.loss_db, over_db) : 0.0;
}

ExcessLoss ExcessLossModel::path(LatLon site, double z_tx_m, LatLon p, double h_rx_m, double d_m) const {
    ExcessLoss e;
    const ClutterClass* c = (spec_.clutter || spec_.vegetation) && lc_->contains(p) ? lc_->clutter_at(p) : nullptr;
    if (c) {
        const bool woodland = c->category == ClutterCategory::forest;
        if (woodland && spec_.vegetation)
            e.vegetation_db = vegetation_db(*c, site, z_tx_m, p, h_rx_m, d_m, e.vegetation_depth_m, e.warnings);
        else if (spec_.clutter)
            e.clutter_db = height_gain_db(f_mhz_, h_rx_m, c->clutter_height_m,
                                          static_cast<prop::P2108Clutter>(p2108_clutter_type(c->category)), e.warnings);
    }
    const double d_km = d_m / 1000.0;
    if (spec_.gas) e.gas_db = gas_db_per_km_ * d_km;  // P.676-13 Annex 1 eq. (10): A = gamma r0
    if (spec_.rain && d_km > 0.0) {
        prop::P530RainInput in;
        in.f_ghz = f_mhz_ / 1000.0;
        in.d_km = d_km;
        in.r001_mm_per_h = spec_.rain_rate_mm_h;
        in.tau_deg = 45.0;  // dual-polarised equipment: between horizontal and vertical (P.838-3 eqs. (4), (5))
        e.rain_db = prop::p530_rain_attenuation(in, spec_.rain_time_pct).a_db;  // P.530-18 sec. 2.4.1 steps 1-5
    }
    return e;
}

ExcessLoss ExcessLossModel::demand_point(LatLon site, double z_tx_m, LatLon p, double h_rx_m, double d_m, bool indoor,
                                         double terminal_gain_db) const {
    ExcessLoss e = path(site, z_tx_m, p, h_rx_m, d_m);
    e.terminal_gain_db = terminal_gain_db;
    if (indoor && spec_.building_entry) {
        // Elevation of the path at the facade: the line from the receiver to the site's antenna.
        const double z_rx_m = terrain_->height_m(p) + h_rx_m;
        const double elevation_deg = std::atan2(z_tx_m - z_rx_m, std::max(d_m, 1.0)) * 180.0 / kPi;
        const auto type = spec_.building == BuildingType::traditional ? prop::P2109Building::traditional
                                                                      : prop::P2109Building::thermally_efficient;
        e.building_entry_db =
            prop::p2109_building_entry_loss(f_mhz_ / 1000.0, spec_.building_entry_probability_pct, type, elevation_deg).loss_db;
    }
    return e;
}

std::vector<std::string> ExcessLossModel::warning_names(std::uint32_t bits) {
    std::vector<std::string> out;
    if (bits & kClutterOutOfRange) out.emplace_back("p2108 sec. 3.1: frequency_out_of_range (0.03-3 GHz)");
    if (bits & kVegetationFitOutside) out.emplace_back("p833 eq. (2): a_max_fit_outside_measured_range (0.9-1.8 GHz)");
    return out;
}

}  // namespace dxplan
