// dxplan propagation models: the one small interface and the registry by name.
//
// Each model is first of all a pure, typed function in its own header (itm.hpp, p1812.hpp, ...) that hot
// loops and validation tests call directly. The registry below adapts every model to one common query so
// that scenarios and the CLI can choose a model by name (PROJ's pj_list.h style: one explicit list, in
// registry.cpp). compute_loss() is the non-virtual front door: it checks the inputs common to all models,
// then calls the model's adapter (ns-3's CalcRxPower / DoCalcRxPower split).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libsim/core/profile.hpp"

namespace dxplan::prop {

enum class Polarization { horizontal = 0, vertical = 1 };
enum class Condition { automatic, los, nlos };  // for statistical models (TR 38.901)

// One path-loss question. Fields a model does not use are ignored by it.
struct LossQuery {
    double f_mhz = 0.0;
    double h_tx_m = 0.0;            // antenna heights above local ground
    double h_rx_m = 0.0;
    double d_m = 0.0;               // 2D ground distance; for terrain models the profile length
    ProfileView profile;            // empty for distance-only models

    // ITM (Longley-Rice); defaults as SPLAT!/Signal-Server use them.
    Polarization polarization = Polarization::vertical;
    int climate = 5;                // 1..7
    double n0 = 301.0;              // surface refractivity, N-units
    double epsilon = 15.0;          // relative permittivity of ground
    double sigma_s_per_m = 0.005;   // ground conductivity
    int mdvar = 12;                 // variability mode (0..3, +10, +20)
    double time_pct = 50.0;         // also P.1812/P.452 time percentage p
    double location_pct = 50.0;     // also P.1812 location percentage pL
    double situation_pct = 50.0;

    // ITU-R P.1812 / P.452 extras (path centre, clutter heights per profile point, zones).
    double lat_deg = 36.0;
    double lon_deg = 138.0;  // read by no model (P.1812/P.452 need only the latitude); coverage and scenario set it
    std::span<const double> clutter_m;  // optional, same length as profile

    // Statistical models.
    Condition condition = Condition::automatic;
    double building_height_m = 5.0;  // TR 38.901 RMa h
    double street_width_m = 20.0;    // TR 38.901 RMa W

    bool enforce_ranges = false;  // out-of-validity inputs become InputError instead of warnings
};

// A result carries its breakdown, not a bare double (ARCHITECTURE.md 3).
struct LossResult {
    double loss_db = 0.0;
    std::string mode;                                     // e.g. "line_of_sight", "diffraction", "troposcatter"
    std::vector<std::string> warnings;                    // names, e.g. "frequency_out_of_range"
    std::vector<std::pair<std::string, double>> intermediate;  // named intermediate values with units in the names
};

// A capability a model may have beyond compute(): a split the coverage solver can run incrementally along a
// radial (the fast sweep, libsim/coverage/site_loss.hpp). itm: terrain geometry updated sample by sample
// (itm_analyze_profile's quantities, itm.hpp) and part (b) over batches (itm_batch.hpp); its warnings are
// ITM's bits (itm_warning_names()).
enum class RadialSweep { none, itm };

struct ModelInfo {
    std::string_view name;         // registry key used by scenarios and the CLI, e.g. "itm"
    std::string_view description;  // one line for --help
    bool needs_profile;            // true: terrain model over a ProfileView; false: distance-based
    LossResult (*compute)(const LossQuery&);
    double f_min_mhz = 0.0;        // the model's valid frequency range (its Recommendation / report; the
    double f_max_mhz = 0.0;        // scenario refuses a technology outside it)
    RadialSweep radial_sweep = RadialSweep::none;  // the fast sweep it has, if any (above)
};

// "20-20000 MHz": a model's valid frequency range as text (for error messages).
std::string frequency_range_text(const ModelInfo& model);

// Every registered model, in registry order.
std::span<const ModelInfo> all_models();

// The model with this name; throws InputError listing the valid names.
const ModelInfo& find_model(std::string_view name);

// Checks the inputs common to all models (finite, positive frequency, distance / profile present as the
// model needs) and computes. Throws InputError on bad input.
LossResult compute_loss(const ModelInfo& model, const LossQuery& query);

}  // namespace dxplan::prop
