// dxplan run, comparison stage: the named steps run_comparison_stage (comparison_stage.hpp) is made of, shared by
// its source files (not a public interface):
//   comparison_inputs.cpp   economic parameters, requirements and catalogue from the scenario; backhaul inputs;
//                           each technology's candidate-site losses; the entries to plan;
//   comparison_plan.cpp     plan one technology (steps 1-6 of comparison_stage.hpp);
//   comparison_select.cpp   its candidate sites' links, site selection and the coverage for a budget;
//   comparison_maps.cpp     its coverage map files and service maps (steps 4, 4b);
//   comparison_backhaul.cpp its backhaul (step 5);
//   comparison_mix.cpp      combine a mix from its planned members;
//   capacity.cpp            the capacity and latency judgement of a planned network (capacity.hpp);
//   comparison_stage.cpp    the sequence, uncertainty and provenance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <tuple>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libsim/coverage/demand_service.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/economics/comparison.hpp"
#include "libsim/economics/site_selection.hpp"
#include "libsim/economics/uncertainty.hpp"
#include "libsim/link/link.hpp"
#include "libsim/network/backhaul_technology.hpp"
#include "libsim/network/road_network.hpp"
#include "libsim/scenario/comparison_stage.hpp"

namespace dxplan::comparison {

inline constexpr double kShadowSigmaDb = 6.0;  // planning shadowing sigma (assumption, outdoor rural)
inline constexpr std::size_t kExactMaxCandidates = 25;
inline constexpr std::uint64_t kSeed = 1;

// ---- inputs (comparison_inputs.cpp) ----

// The shipped catalogue with the scenario's quotations (economics.prices) in place of its prices.
econ::Catalogue catalogue_with_overrides(const Scenario& s);
econ::EconomicParams economic_params(const Scenario& s);
// The scenario's requirements; battery life 5 years by default when the demand has IoT devices.
econ::Requirements requirements_of(const Scenario& s, const std::vector<output::DemandPoint>& demand);

// The backhaul inputs of the scenario, loaded once (bad files are input errors, not planner failures).
struct BackhaulInputs {
    std::vector<net::BackhaulTechnology> technologies;  // backhaul.technologies, else the default set
    std::optional<net::RoadNetwork> roads;               // backhaul.roads
    net::DesignCriteria criteria;
    double fibre_detour = 1.0;  // fibre route / straight line (models/technology/backhaul/fibre.yaml) for the site-
                                // cost estimate and the straight-fibre fallback
};
BackhaulInputs backhaul_inputs(const Scenario& s);

// Each technology's own coverage run: the candidate sites' loss at its centre frequency with its own model and
// radius (TechnologySpec::resolved_*: the entry's, the profile's `coverage:` or the scenario's), on the run's grid
// (pipeline.hpp compute_site_loss), computed once per distinct (frequency, model, radius).
class SiteLosses {
public:
    SiteLosses(const Scenario& s, const World& w, const output::RunResults& res, const ComparisonStageConfig& cfg)
        : s_(s), w_(w), res_(res), cfg_(cfg) {}
    const std::vector<output::SiteResult>& at(double f_mhz, const TechnologySpec& spec);
    // The demand-point losses of every run computed here (loss grids left out), with the profiles planned on each.
    [[nodiscard]] std::vector<output::TechnologyDemandLosses> demand_losses() const;

private:
    const Scenario& s_;
    const World& w_;
    const output::RunResults& res_;
    const ComparisonStageConfig& cfg_;
    std::map<std::tuple<double, std::string, double>, std::vector<output::SiteResult>> by_f_;
    std::map<std::tuple<double, std::string, double>, std::vector<std::string>> profiles_;
};

// What is planned: every standalone technology, then every member of every mix (named <mix>.<profile>).
struct Entry {
    const TechnologySpec* spec = nullptr;
    int mix = -1;       // -1: standalone; else index into Scenario::mixes
    std::string label;  // name in the outputs
};
std::vector<Entry> entries_of(const Scenario& s);

// ---- planning one technology ----

struct StageContext {
    const Scenario& s;
    const World& world;
    const output::RunResults& res;
    const ComparisonStageConfig& cfg;
    const econ::Catalogue& cat;
    const econ::EconomicParams& params;
    const econ::Requirements& req;
    const BackhaulInputs& backhaul;
    SiteLosses& losses;
    std::size_t& files_written;
};

// The technology's radio: profile with overrides, budgets at the target reliability (indoors when the band is
// not allowed outdoors, recorded as such).
struct Radio {
    link::Technology tech;
    link::BudgetOptions options;
    link::Budget dl, ul;
    bool outdoor_allowed = true;
    std::string outdoor_rule;

    // Whether a point of `kind` is served at the kind's requirement: the kit has a device for the kind and the
    // single-user rates at these planning SINRs reach its per-user downlink and uplink rates.
    [[nodiscard]] bool serves_at(DemandKind kind, const econ::Requirements& req, double dl_planning_db,
                                 double ul_planning_db) const;
    // ... at any SINR (its best modes): the technology can carry the kind at all.
    [[nodiscard]] bool can_carry(DemandKind kind, const econ::Requirements& req) const;
};
Radio radio_of(const TechnologySpec& spec, const econ::Requirements& req);

// The demand points an entry is evaluated on: the kinds it serves (scenario `serves`, default all).
struct Scope {
    std::vector<DemandKind> serves;  // empty: all
    std::vector<bool> in;            // per demand point
    std::size_t count = 0;
    [[nodiscard]] bool serves_kind(DemandKind kind) const;
};
Scope scope_of(const TechnologySpec& spec, const std::vector<output::DemandPoint>& demand);

// The candidate sites of a technology and every demand point's link from each (comparison_select.cpp).
struct Candidates {
    std::vector<std::size_t> site;                        // indices into Scenario::sites / RunResults::sites
    std::vector<std::vector<coverage::PointLink>> links;  // [candidate][demand point]
    econ::SelectionProblem problem;                       // their costs and the in-scope points each covers at
                                                          // the point's requirement (noise-limited)
    std::vector<bool> in_reach;   // per demand point: within some candidate's computation radius
    std::vector<bool> reachable;  // per demand point in scope: some candidate covers it (the best any placement does)
};
Candidates candidates_of(const StageContext& ctx, const TechnologySpec& spec, const Radio& radio, const Scope& scope,
                         const std::vector<output::SiteResult>& losses);

struct Chosen {
    econ::Selection selection;
    std::optional<double> greedy_gap;  // (greedy - optimum) / optimum, when the MIP proves the optimum
};
Chosen select_sites(const StageContext& ctx, const Candidates& c, const Radio& radio);
std::optional<output::BudgetCoverage> budget_coverage(const StageContext& ctx, const Candidates& c, const Scope& scope,
                                                      const Radio& radio);
// Whether demand point i is served at its kind's requirement by the chosen sites (SINR, one channel).
bool served_at_requirement(const StageContext& ctx, const Candidates& c, const std::vector<std::size_t>& chosen,
                           std::size_t i, const Radio& radio);
// Drop, most expensive first, each chosen site whose removal does not lower the points served at requirement.
std::vector<std::size_t> drop_interfering_sites(const StageContext& ctx, const Candidates& c,
                                                std::vector<std::size_t> chosen, const Radio& radio);
// Cost of the kit's items counted `per` (one site, or the network), present value as evaluate_costs books them.
double kit_cost_jpy(const econ::Catalogue& c, const link::CostKit& kit, econ::Per per, const econ::EconomicParams& p);

// Maps (comparison_maps.cpp): the served-area map files of the chosen sites (step 4) into tr.map, and the
// service maps (step 4b).
double write_served_area(const StageContext& ctx, const std::string& label, const Radio& radio,
                         const std::vector<const output::SiteResult*>& chosen, output::TechnologyMap& map);
output::ServiceMaps service_maps(const StageContext& ctx, const std::string& label, const Radio& radio,
                                 const std::vector<const SiteSpec*>& sites,
                                 const std::vector<const output::SiteResult*>& loss,
                                 const std::vector<output::DemandPoint>& demand);
// The cells of a site: one omni cell, or one per sector ("<site>/<n>", n from 1) with its antenna.
std::vector<coverage::SiteRadio> cells_of(const SiteSpec& site);

// For routes (libsim/route): the chosen cells in the service maps' order, their loss windows and I_ul.
void add_route_network(std::vector<route::NetworkTechnology>& out, const std::string& label, const Radio& radio,
                       const std::vector<const SiteSpec*>& sites, const std::vector<const output::SiteResult*>& loss,
                       const output::ServiceMaps& maps, double latency_ms);

// Backhaul (comparison_backhaul.cpp).
struct BackhaulResult {
    output::BackhaulSummary summary;
    std::vector<econ::CostItem> items;
    std::vector<output::MapLink> links;
};
BackhaulResult plan_backhaul(const StageContext& ctx, const std::string& access_profile,
                             const std::vector<const SiteSpec*>& chosen, const std::vector<double>& site_mbps,
                             const std::filesystem::path& out_dir);

// One planned entry (comparison_plan.cpp).
struct PlannedEntry {
    econ::TechnologyInput in;
    output::TechnologyReport report;
    std::vector<DemandKind> serves;
    std::vector<double> household_margins_db;  // per household in scope: planning margin (uncertainty analysis)
    std::pair<std::string, std::string> provenance;  // "technology <profile>" -> "<file> sha256 <hex>"
};
PlannedEntry plan_entry(const StageContext& ctx, const Entry& entry);

// A mix from its planned members (comparison_mix.cpp).
output::TechnologyReport combine_mix(const MixSpec& mix, const std::vector<PlannedEntry>& members,
                                     const std::vector<DemandKind>& kinds_present, const econ::Requirements& req,
                                     const econ::EconomicParams& params);

}  // namespace dxplan::comparison
