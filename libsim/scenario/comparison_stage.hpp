// dxplan run, comparison stage: for every technology of the scenario, on the same area, demand and targets:
// site selection, backhaul, costs, requirement checks; then the sensitivity and Monte Carlo analyses. The
// result feeds summary.json and the report (libsim/output/report.hpp).
//
// Requirements and economic parameters come from the scenario (`requirements`, `economics`); candidate sites
// are the scenario's sites plus its automatic candidates (auto_candidates.hpp, added by the pipeline).
// Per technology (a profile of models/technology/, with the scenario's overrides), on the demand points of
// the kinds it serves (scenario `serves`, default all; capacity per household is required only when it serves
// households, battery life only when it serves iot; a technology not serving every kind present is partial):
//  1. link budgets (libsim/link) for outdoor use at the target location reliability; a band that is not
//     allowed outdoors is evaluated indoors and fails the regulatory requirement;
//  2. per candidate site (the scenario's sites fixed to this technology or to none) and demand point: the path
//     loss of the technology's own coverage run (compute_site_loss at the technology's centre frequency, the
//     run's model, grid and receiver height; the run's own results when the frequencies are equal), then
//     downlink and uplink planning SNR against the most robust mode: the demand point is served when both close;
//  3. site selection (libsim/economics/site_selection.hpp): minimum-cost set reaching the coverage target,
//     site cost = the kit's per-site items (capex + present value of opex) + fibre to the nearest PoP; the
//     exact MIP as well when there are at most 25 candidates (the cheaper proven answer is used); with
//     economics.budget_jpy, also the best coverage for the budget (output::BudgetCoverage). Selection counts
//     noise-limited coverage; each set is then pruned with SINR (step 4's one-channel rule): a chosen site whose
//     removal does not lower the number of served demand points is dropped, most expensive first;
//  4. chosen sites: best server and SINR (all sites of a technology on one channel) at every demand point,
//     application throughput (median and 5th percentile over the served points), coverage area on a common
//     grid (noise-limited), a PNG of the best-server power over the hillshade;
//  4b. service maps of the chosen sites (coverage::combine_coverage over their loss windows, one channel): best
//     server, received power (RSRP for NR, RSSI else), SNR, DL SINR, UL SINR, modes and throughput on the part of
//     the run's area grid they reach, written as coverage-<label>-service.tif (float32 bands), -cells.tif (int16
//     bands), -sinr.png/.kmz and -best-server.kmz, with per-cell statistics (coverage/stats.hpp);
// A site with `sectors` is one cell per sector (its path loss once, each sector's pattern attenuation on top,
// multi_site.hpp); at a demand point its best sector serves and its other sectors interfere (steps 2 to 4).
//  5. backhaul (libsim/network): candidate graph from the chosen sites and the fibre PoPs, heuristic plan;
//  6. bill of materials (catalogue kit + backhaul links) -> econ::evaluate_technology.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <functional>
#include <string>

#include "libsim/output/report.hpp"
#include "libsim/output/results.hpp"
#include "libsim/route/route.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/scenario/world.hpp"

namespace dxplan {

struct ComparisonStageConfig {
    std::filesystem::path out_dir;  // where the coverage PNGs (coverage-<technology>.png) and backhaul plans
                                    // (backhaul-<technology>/: GeoJSON, KML, CSV, summary) are written
    unsigned threads = 1;           // Monte Carlo threads (the result does not depend on it)
    std::map<std::string, std::size_t>* warnings = nullptr;  // model warnings of the per-technology coverage
                                                             // runs, counted by name (optional)
    const GeoGrid* area = nullptr;  // the run's area grid (pipeline.hpp run_area_grid): the sites' loss grids are
                                    // windows of it; nullptr: each site's own grid, and no service maps
    std::vector<output::ServiceMaps>* service_maps = nullptr;  // (optional) filled with each planned entry's
                                                               // service maps (step 4b)
    std::function<void(double fraction_done)> progress = nullptr;  // (optional) after each technology or mix member
    std::vector<route::NetworkTechnology>* route_network = nullptr;  // (optional) each planned entry's chosen cells
                                                                     // for the routes (needs service_maps)
    std::vector<output::TechnologyDemandLosses>* technology_losses = nullptr;  // (optional) filled with the demand-point
                                                                                 // losses of each technology's own run
};

// The report refers to `results` (report.run): keep it alive while the report is used. Files written into
// out_dir are appended to `files_written`.
output::ComparisonReport run_comparison_stage(const Scenario& scenario, const World& world,
                                              const output::RunResults& results, const ComparisonStageConfig& config,
                                              std::size_t& files_written);

}  // namespace dxplan
