// `dxplan route SCENARIO.yaml --route ROUTE.geojson [--tech NAME ...] --out DIR`: service, handover, outages and
// reliability along a driving route (libsim/route, docs/routes.md). Thin: flags -> RouteCommand ->
// run_route_command -> one line.
#include <cmath>
#include <iostream>
#include <memory>
#include <string>

#include "libsim/scenario/route_stage.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

void add_route_command(CLI::App& app) {
    auto cmd_cfg = std::make_shared<RouteCommand>();
    auto scenario = std::make_shared<std::string>();
    auto route = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("route", "Service, handover, outages and reliability along a driving route");
    cmd->footer(
        "Plans the scenario as `dxplan run` does (sites, per-technology selection, service maps; nothing of that is\n"
        "written), then drives the route (GeoJSON LineString/MultiLineString, Point features = intersections, or\n"
        "GPX) through each technology's chosen cells: received power, DL/UL SINR, modes, throughput, serving cell\n"
        "with handover (hysteresis, time-to-trigger, speed), the requirement, outage segments with their cause,\n"
        "reliability, intersections, and the conditions of the scenario's first `routes:` entry (docs/routes.md).\n"
        "Writes into --out: route-<id>-samples.csv, route-<id>.geojson, route-<id>.kml, route-<id>-<tech>.svg and\n"
        "summary.json (`routes`).\n\n"
        "Examples:\n"
        "  dxplan route scenarios/valley-route.yaml --route scenarios/valley-route.geojson --out out/route\n"
        "  dxplan route scenarios/default.yaml --route my-drive.gpx --tech local5g-n79-100mhz --speed-kmh 30 \\\n"
        "      --hysteresis-db 2 --ttt-ms 320 --out out/drive");
    cmd->add_option("scenario", *scenario, "scenario file")->required();
    cmd->add_option("--route", *route, "route file: GeoJSON or GPX")->required();
    cmd->add_option("--tech", cmd_cfg->technologies, "technology profile or mix name of the scenario (repeatable; default all)");
    cmd->add_option("--out", *out, "output directory (written as DIR.partial-PID, renamed when complete)")->required();
    cmd->add_option("--speed-kmh", cmd_cfg->speed_kmh, "constant vehicle speed, (0, 300] km/h (default: the scenario's, else 40)");
    cmd->add_option("--hysteresis-db", cmd_cfg->hysteresis_db, "handover hysteresis, [0, 30] dB (default 3)");
    cmd->add_option("--ttt-ms", cmd_cfg->time_to_trigger_ms, "handover time-to-trigger, [0, 5120] ms (default 160)");
    cmd->add_option("--spacing-m", cmd_cfg->spacing_m, "sample spacing along the route, (0, 1000] m (default 5)");
    cmd->add_option("--vehicle-height-m", cmd_cfg->vehicle_antenna_h_m, "vehicle antenna height, [0.5, 10] m (default 1.5)");
    cmd->add_option("--penetration-loss-db", cmd_cfg->penetration_loss_db, "in-vehicle penetration loss, [0, 40] dB (default 0)");
    cmd->callback([cmd_cfg, scenario, route, out] {
        cmd_cfg->scenario_file = *scenario;
        cmd_cfg->route_file = *route;
        cmd_cfg->out_dir = *out;
        const RouteCommandSummary s = run_route_command(*cmd_cfg);
        std::cout << "dxplan route: wrote " << s.files << " files to " << s.out_dir.string();
        for (const auto& r : s.routes) std::cout << " (" << r.id << ": " << r.length_m / 1000.0 << " km, " << r.samples.size() << " samples)";
        std::cout << "\n";
    });
}

}  // namespace dxplan::cli
