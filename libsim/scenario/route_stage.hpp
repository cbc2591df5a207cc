// dxplan run, route stage: the scenario's `routes:` evaluated over each planned technology's chosen cells
// (libsim/route), and `dxplan route` (one route file over a scenario, writing only the route's files).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "libsim/output/results.hpp"
#include "libsim/route/route.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/scenario/world.hpp"

namespace dxplan {

// Evaluates every route of the scenario (intersections from the roads when asked), writes each route's files
// into out_dir (libsim/route/output.hpp) and returns the results; the sun transits of the wireless backhaul
// hops (`backhaul`, the run's plans) that end at a cell serving the route are counted per technology; `json` receives each route's summary.json
// entry. Throws InputError naming the route's file for a route outside the terrain and the like.
std::vector<route::RouteResult> run_route_stage(const Scenario& s, const World& world,
                                                const std::vector<route::NetworkTechnology>& network,
                                                const std::vector<output::BackhaulPlanRecord>& backhaul,
                                                const std::filesystem::path& out_dir, std::size_t& files,
                                                std::vector<std::string>& json);

struct RouteCommand {
    std::filesystem::path scenario_file;
    std::filesystem::path route_file;
    std::vector<std::string> technologies;  // empty: all of the scenario's (profiles or mix names)
    std::filesystem::path out_dir;
    // Options replacing the scenario's first route entry's (or the defaults); NaN / empty: keep.
    double speed_kmh = route::kNoValue;
    double hysteresis_db = route::kNoValue;
    double time_to_trigger_ms = route::kNoValue;
    double spacing_m = route::kNoValue;
    double vehicle_antenna_h_m = route::kNoValue;
    double penetration_loss_db = route::kNoValue;
};

struct RouteCommandSummary {
    std::filesystem::path out_dir;
    std::size_t files = 0;
    std::vector<route::RouteResult> routes;
};

// `dxplan route`: the scenario's pipeline (sites, per-technology selection and service maps, nothing written)
// and then the route; OUT receives the route's files and a summary.json with `routes`. Throws InputError
// (nothing written) for bad input.
RouteCommandSummary run_route_command(const RouteCommand& cmd);

}  // namespace dxplan
