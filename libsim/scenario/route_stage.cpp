// Route stage of `dxplan run` and the `dxplan route` command (route_stage.hpp).
#include "libsim/scenario/route_stage.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/route/output.hpp"
#include "libsim/route/sun.hpp"
#include "libsim/scenario/pipeline.hpp"

namespace dxplan {

namespace fs = std::filesystem;

namespace {

std::string num(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

// The roads whose meeting points with the route are intersections: the entry's roads file, else the
// backhaul's, else the world's own (the synthetic valley's).
std::vector<std::vector<LatLon>> roads_for(const RouteEntrySpec& e, const Scenario& s, const World& world) {
    const fs::path file = !e.roads.empty() ? e.roads : s.backhaul.roads;
    if (!file.empty()) return route::read_route_file(file).parts;
    return world.roads;
}

// The wireless hops of each technology's backhaul plan with an end at a cell that serves the route (any
// condition); each end's antenna points at the other end (elevation over a 4/3 earth, masts: the cell's height,
// 20 m at a non-cell end).
std::vector<route::SunReport> sun_reports(const route::RouteResult& r, const std::vector<route::NetworkTechnology>& network,
                                          const std::vector<output::BackhaulPlanRecord>& backhaul, const Terrain& terrain,
                                          const route::RouteOptions& o) {
    std::vector<route::SunReport> out;
    const std::size_t n_cond = o.conditions.size();
    for (std::size_t t = 0; t < network.size(); ++t) {
        const route::NetworkTechnology& net = network[t];
        std::vector<bool> serving(net.cells.size(), false);
        for (std::size_t c = 0; c < n_cond; ++c)
            for (const route::SamplePoint& p : r.tracks[t * n_cond + c].samples)
                if (p.serving >= 0) serving[static_cast<std::size_t>(p.serving)] = true;
        const auto cell_at = [&](LatLon q) -> const route::Cell* {
            for (std::size_t k = 0; k < net.cells.size(); ++k)
                if (geodesic_inverse(q, net.cells[k].radio.pos).d_m < 1.0) return serving[k] ? &net.cells[k] : nullptr;
            return nullptr;
        };
        route::SunReport sr;
        sr.label = net.label;
        sr.beamwidth_deg = o.sun_beamwidth_deg;
        for (const output::BackhaulPlanRecord& plan : backhaul) {
            if (plan.technology != net.label) continue;
            for (std::size_t l = 0; l < plan.a.size(); ++l) {
                if (plan.link_technology[l] == "fibre" || geodesic_inverse(plan.a[l], plan.b[l]).d_m < 1.0) continue;  // co-located
                const route::Cell* ca = cell_at(plan.a[l]);
                const route::Cell* cb = cell_at(plan.b[l]);
                if (!ca && !cb) continue;
                const double za = terrain.height_m(plan.a[l]) + (ca ? ca->radio.h_tx_m : 20.0);
                const double zb = terrain.height_m(plan.b[l]) + (cb ? cb->radio.h_tx_m : 20.0);
                const GeodesicInverse g = geodesic_inverse(plan.a[l], plan.b[l]);
                const double drop_deg = rad_to_deg(g.d_m / (2.0 * kEffectiveEarthFactorStandard * kEarthRadiusMean_m));
                const double el_ab = rad_to_deg(std::atan2(zb - za, g.d_m)) - drop_deg;
                const double el_ba = rad_to_deg(std::atan2(za - zb, g.d_m)) - drop_deg;
                const route::SunOutage oa = route::sun_outage(plan.a[l], g.az1_deg, el_ab, o.sun_beamwidth_deg, o.sun_year);
                const route::SunOutage ob = route::sun_outage(plan.b[l], g.az2_deg + 180.0, el_ba, o.sun_beamwidth_deg, o.sun_year);
                std::vector<int> days = oa.day_of_year;
                days.insert(days.end(), ob.day_of_year.begin(), ob.day_of_year.end());
                std::sort(days.begin(), days.end());
                days.erase(std::unique(days.begin(), days.end()), days.end());
                sr.hops.push_back({plan.a[l], plan.b[l], plan.link_technology[l], oa.minutes_per_year, ob.minutes_per_year,
                                   static_cast<int>(days.size())});
                sr.minutes_per_year += oa.minutes_per_year + ob.minutes_per_year;
            }
        }
        out.push_back(std::move(sr));
    }
    return out;
}

}  // namespace

std::vector<route::RouteResult> run_route_stage(const Scenario& s, const World& world,
                                                const std::vector<route::NetworkTechnology>& network,
                                                const std::vector<output::BackhaulPlanRecord>& backhaul,
                                                const fs::path& out_dir, std::size_t& files, std::vector<std::string>& json) {
    route::PropagationContext ctx;
    ctx.terrain = &world.terrain;
    ctx.land_cover = world.land_cover ? &*world.land_cover : nullptr;
    ctx.model = s.propagation.model;
    ctx.map_h_rx_m = s.propagation.h_rx_m;
    std::vector<route::RouteResult> out;
    for (const RouteEntrySpec& e : s.routes) {
        route::RouteSpec spec = e.route;
        if (e.intersections_from_roads)
            for (LatLon x : route::intersections_from_roads(spec.geometry, roads_for(e, s, world)))
                spec.geometry.intersections.push_back(x);
        route::RouteResult r = route::evaluate_route(spec, network, ctx);
        r.sun = sun_reports(r, network, backhaul, world.terrain, spec.options);
        std::vector<std::string> names;
        if (!out_dir.empty()) {
            names = route::write_route_files(out_dir, r);
            files += names.size();
        }
        json.push_back(route::route_summary_json(r, names));
        out.push_back(std::move(r));
    }
    return out;
}

RouteCommandSummary run_route_command(const RouteCommand& cmd) {
    const auto flag = [](const char* name, double v, double lo, double hi, const char* unit, bool open_lo) {
        if (v != v) return;  // not given
        if (!(open_lo ? v > lo : v >= lo) || !(v <= hi))
            throw InputError(std::string(name) + " = " + num(v) + ": must be in " + (open_lo ? "(" : "[") + num(lo) + ", " +
                             num(hi) + "] " + unit);
    };
    flag("--speed-kmh", cmd.speed_kmh, 0.0, 300.0, "km/h", true);
    flag("--hysteresis-db", cmd.hysteresis_db, 0.0, 30.0, "dB", false);
    flag("--ttt-ms", cmd.time_to_trigger_ms, 0.0, 5120.0, "ms", false);
    flag("--spacing-m", cmd.spacing_m, 0.0, 1000.0, "m", true);
    flag("--vehicle-height-m", cmd.vehicle_antenna_h_m, 0.5, 10.0, "m", false);
    flag("--penetration-loss-db", cmd.penetration_loss_db, 0.0, 40.0, "dB", false);
    const route::RouteGeometry geometry = route::read_route_file(cmd.route_file);
    RunConfig rc;
    rc.scenario_file = cmd.scenario_file;
    rc.out_dir = cmd.out_dir;
    rc.routes_only = true;
    RouteCommandSummary summary;
    rc.routes = &summary.routes;
    rc.adjust = [&](Scenario& s) {
        RouteEntrySpec e = s.routes.empty() ? RouteEntrySpec{} : s.routes.front();
        e.route.id = cmd.route_file.stem().string();
        e.route.file = cmd.route_file;
        e.route.geometry = geometry;
        e.where = cmd.route_file.string();
        route::RouteOptions& o = e.route.options;
        if (cmd.speed_kmh == cmd.speed_kmh) o.speeds = {{0.0, cmd.speed_kmh}};
        if (cmd.hysteresis_db == cmd.hysteresis_db) o.handover.hysteresis_db = cmd.hysteresis_db;
        if (cmd.time_to_trigger_ms == cmd.time_to_trigger_ms) o.handover.time_to_trigger_ms = cmd.time_to_trigger_ms;
        if (cmd.spacing_m == cmd.spacing_m) o.spacing_m = cmd.spacing_m;
        if (cmd.vehicle_antenna_h_m == cmd.vehicle_antenna_h_m) o.vehicle_antenna_h_m = cmd.vehicle_antenna_h_m;
        if (cmd.penetration_loss_db == cmd.penetration_loss_db) o.penetration_loss_db = cmd.penetration_loss_db;
        route::validate_options(o, "dxplan route");
        s.routes = {e};
        if (!cmd.technologies.empty()) {
            std::vector<TechnologySpec> keep;
            for (const std::string& name : cmd.technologies) {
                const auto it = std::find_if(s.technologies.begin(), s.technologies.end(),
                                             [&](const TechnologySpec& t) { return t.profile == name; });
                const auto mix = std::find_if(s.mixes.begin(), s.mixes.end(), [&](const MixSpec& m) { return m.name == name; });
                if (it == s.technologies.end() && mix == s.mixes.end()) {
                    std::string valid;
                    for (const auto& t : s.technologies) valid += (valid.empty() ? "" : ", ") + t.profile;
                    for (const auto& m : s.mixes) valid += (valid.empty() ? "" : ", ") + m.name;
                    throw InputError("--tech " + name + ": not a technology or mix of " + cmd.scenario_file.string() +
                                     " (valid: " + valid + ")");
                }
                if (it != s.technologies.end()) keep.push_back(*it);
            }
            std::vector<MixSpec> mixes;
            for (const MixSpec& m : s.mixes)
                if (std::find(cmd.technologies.begin(), cmd.technologies.end(), m.name) != cmd.technologies.end())
                    mixes.push_back(m);
            s.technologies = std::move(keep);
            s.mixes = std::move(mixes);
        }
        if (s.technologies.empty() && s.mixes.empty())
            throw InputError(cmd.scenario_file.string() + ": technologies: a route needs at least one technology");
    };
    const RunSummary rs = run_scenario(rc);
    summary.out_dir = rs.out_dir;
    summary.files = rs.files;
    return summary;
}

}  // namespace dxplan
