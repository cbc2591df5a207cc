// dxplan backhaul technologies and hop design criteria as data (models/technology/backhaul/*.yaml, schema in
// that folder's README.md). Every number carries its source and status; prices are not held here but taken
// from the cost catalogue (models/economics/catalogue.yaml) by item id, times a unit count and a scale.
// yaml-cpp stays in the .cpp.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "libsim/economics/catalogue.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::net {

// radio: a point-to-point hop with a fixed capacity and receiver threshold (microwave, mmWave, Wi-Fi PtP);
// access_radio: a hop run with an access technology (Local 5G fixed-wireless CPE, HaLow point-to-point) whose
// feasibility and capacity come from that technology's link budget (libsim/link) over the hop's path loss;
// fibre: a cable, always feasible.
enum class BackhaulKind { radio, access_radio, fibre };

struct BackhaulTechnology {
    std::string name;
    BackhaulKind kind = BackhaulKind::radio;
    std::string description;
    bool opt_in = false;               // only when chosen by name (YAML `opt_in: true`)
    // radio
    double f_ghz = 0.0;
    double channel_mhz = 0.0;
    double tx_power_dbm = 0.0;
    double antenna_gain_dbi = 0.0;     // each end
    double other_losses_db = 0.0;      // both ends together
    double rx_threshold_dbm = 0.0;     // top modulation
    double polarization_tilt_deg = 90.0;
    // access_radio: the access profile (models/technology/<access_profile>.yaml) with the hop's antenna and
    // power overrides applied and checked against its rules; f_ghz is its centre frequency. The capacity is
    // the downlink application throughput (upstream end = base station) at the SNR left after fade_margin_db;
    // the uplink must close too.
    std::string access_profile;
    // true: the hop is a terminal served by the access network's base station at the other end (Local 5G
    // fixed-wireless CPE), so it exists only between two access sites of that network (both ends NodeKind::site;
    // `dxplan run` offers it only to the plan of that access technology). false: a self-contained pair of units.
    bool needs_access_sites = false;
    link::Overrides access_overrides;
    std::shared_ptr<const link::Technology> access;
    double fade_margin_db = 0.0;
    // all (access_radio: capacity_mbps unused)
    double capacity_mbps = 0.0;
    double max_hop_m = 0.0;
    double detour_factor = 1.0;        // fibre: route length / straight-line length
    // cost: catalogue item x units x scale, per hop (radio) or per route km (fibre)
    std::string catalogue_item;
    double cost_units = 1.0;
    double cost_scale = 1.0;
    std::filesystem::path file;
};

// Hop design criteria (design-criteria.yaml).
struct DesignCriteria {
    double k_median = 4.0 / 3.0;            // effective earth-radius factor for the 0.6 F1 check
    double k_worst = 2.0 / 3.0;             // worst-case k for the grazing check
    double f1_fraction_median = 0.6;        // required clearance / F1 at k_median
    double f1_fraction_worst = 0.0;         // required clearance / F1 at k_worst
    double target_availability_pct = 99.99;
    double r001_mm_per_h = 90.0;            // rain rate exceeded 0.01 % of the year
    double dn1_n_per_km = -350.0;
    double terrain_roughness_m = 100.0;     // s_a (P.530-16 detailed multipath method)
    double latitude_deg = 35.6;
    double profile_spacing_m = 30.0;
};

// Technologies are the *.yaml of the folder except design-criteria.yaml, sorted by name: with `names` empty
// every one not marked opt_in, else exactly the named ones in that order (InputError naming `field` and
// listing the valid names for an unknown one).
[[nodiscard]] std::filesystem::path default_backhaul_dir();
[[nodiscard]] BackhaulTechnology load_backhaul_technology(const std::filesystem::path& file);
[[nodiscard]] std::vector<BackhaulTechnology> load_backhaul_technologies(const std::filesystem::path& dir = default_backhaul_dir(),
                                                                       const std::vector<std::string>& names = {},
                                                                       const std::string& field = "backhaul technology");
[[nodiscard]] DesignCriteria load_design_criteria(const std::filesystem::path& file = default_backhaul_dir() / "design-criteria.yaml");
// InputError naming the field and its range.
void validate(const DesignCriteria& c);

// Capex and opex per year of one link of this technology, from the catalogue: per hop for radio, per route
// km for fibre, `length_m` being the route length (the straight line x detour factor, or the road route of
// road_network.hpp). InputError when the catalogue lacks the item.
struct LinkCost {
    double capex_jpy = 0.0;
    double opex_jpy_per_year = 0.0;
};
[[nodiscard]] LinkCost link_cost(const BackhaulTechnology& tech, const econ::Catalogue& catalogue, double length_m);

// capex + present value of the opex paid at the end of years 1..horizon (econ::present_value_jpy).
[[nodiscard]] double total_cost_jpy(const LinkCost& cost, int horizon_years, double discount_rate);

}  // namespace dxplan::net
