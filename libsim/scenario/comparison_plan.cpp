// dxplan run, comparison stage: plan one technology (comparison_internal.hpp; steps of comparison_stage.hpp).
#include <algorithm>
#include <cmath>

#include "libsim/core/error.hpp"
#include "libsim/output/sha256.hpp"
#include "libsim/scenario/capacity.hpp"
#include "libsim/scenario/comparison_internal.hpp"

namespace dxplan::comparison {

namespace fs = std::filesystem;

namespace {

link::Overrides overrides_of(const TechnologySpec& t) {
    link::Overrides o;
    for (const auto& [k, v] : t.overrides) o.emplace_back(k, v.text);
    return o;
}

// Step 4: the chosen sites' service at the demand points in scope: who is served by which site, at what SINR
// and rate (for judge_capacity), the map's demand points, and each household's planning margin.
struct ChosenService {
    std::vector<CellDemand> cells;  // per chosen site
    std::size_t covered = 0, households_covered = 0;
    std::vector<double> household_margins_db;
};
ChosenService chosen_service(const StageContext& ctx, const Candidates& c, const std::vector<std::size_t>& chosen,
                             const Scope& scope, const Radio& radio, output::TechnologyMap& map) {
    ChosenService out;
    out.cells.resize(chosen.size());
    for (std::size_t i = 0; i < scope.in.size(); ++i) {
        if (!scope.in[i]) continue;
        const output::DemandPoint& d = ctx.res.demand[i];
        const coverage::Serving sv = coverage::serving(c.links, chosen, i, radio.dl);
        if (sv.served) {
            const link::Mode* m = link::best_mode(radio.dl, sv.planning_db);
            const int mode = m ? static_cast<int>(m - radio.dl.modes.data()) : -1;
            out.cells[sv.best].points.push_back(
                {d.kind, sv.planning_db, mode, link::app_throughput_mbps(radio.dl, sv.planning_db)});
        }
        map.demand.push_back(d.pos);
        map.demand_covered.push_back(sv.served);
        out.covered += sv.served ? 1 : 0;
        if (d.kind == "household") {
            out.households_covered += sv.served ? 1 : 0;
            out.household_margins_db.push_back(std::isfinite(sv.margin_db) ? sv.margin_db : -1e9);
        }
    }
    return out;
}

// Step 6: the bill of materials (the kit for the sites and connected devices, plus the backhaul) and the
// figures of the deployment, for econ::evaluate_technology.
econ::TechnologyInput technology_input(const StageContext& ctx, const std::string& label, const Radio& radio,
                                       const Scope& scope, const std::string& kit, std::size_t sites, double area_km2,
                                       const ChosenService& service, const CapacityJudgement& cap,
                                       const BackhaulResult& bh) {
    econ::TechnologyInput in;
    in.name = label;
    in.family = std::string(link::to_string(radio.tech.family));
    in.outdoor_allowed = radio.outdoor_allowed;
    in.outdoor_rule = radio.outdoor_rule;
    econ::Quantities q;
    q.sites = static_cast<double>(sites);
    q.devices = static_cast<double>(service.covered);
    in.bill = econ::bill_of_materials(ctx.cat, kit, q);
    in.bill.insert(in.bill.end(), bh.items.begin(), bh.items.end());
    in.sites = sites;
    in.coverage_area_km2 = area_km2;
    in.demand_total = scope.count;
    in.complete = scope.count == ctx.res.demand.size();
    in.demand_covered = service.covered;
    in.households_covered = static_cast<double>(service.households_covered);
    in.devices_connected = static_cast<double>(service.covered);
    in.throughput_median_mbps = cap.throughput_median_mbps;
    in.throughput_p5_mbps = cap.throughput_p5_mbps;
    in.capacity_mbps_per_household = cap.capacity_mbps_per_household;
    in.latency_ms = cap.latency_ms;
    const double toa_ms = radio.tech.uplink.modes.empty() ? 0.0 : radio.tech.uplink.modes.front().time_on_air_ms;
    in.device = econ::family_defaults(in.family, toa_ms).device;
    in.device.battery_powered = in.device.battery_powered && scope.serves_kind("iot");
    return in;
}

// The requirements an entry is checked against: capacity per household only when it serves households.
econ::Requirements entry_requirements(const econ::Requirements& req, const Scope& scope) {
    econ::Requirements r = req;
    if (!scope.serves_kind("household")) r.min_mbps_per_household = econ::kNoRequirement;
    return r;
}

}  // namespace

bool Scope::serves_kind(const std::string& kind) const {
    return serves.empty() || std::find(serves.begin(), serves.end(), kind) != serves.end();
}

Scope scope_of(const TechnologySpec& spec, const std::vector<output::DemandPoint>& demand) {
    Scope sc;
    sc.serves = spec.serves;
    for (const auto& d : demand) {
        sc.in.push_back(sc.serves_kind(d.kind));
        sc.count += sc.in.back() ? 1 : 0;
    }
    return sc;
}

Radio radio_of(const TechnologySpec& spec, const econ::Requirements& req) {
    Radio r{link::load_technology(spec.profile, overrides_of(spec)), {}, {}, {}, true, {}};
    r.options.outdoor = req.outdoor;
    r.options.location_reliability = req.location_reliability;
    r.options.shadow_sigma_db = kShadowSigmaDb;
    try {
        link::check_regulatory(r.tech, true);
    } catch (const InputError& e) {  // a band not allowed outdoors: evaluated indoors, fails the regulatory check
        r.outdoor_allowed = false;
        r.outdoor_rule = e.what();
        r.options.outdoor = false;
    }
    r.dl = link::make_budget(r.tech, link::Direction::downlink, r.options);
    r.ul = link::make_budget(r.tech, link::Direction::uplink, r.options);
    return r;
}

PlannedEntry plan_entry(const StageContext& ctx, const Entry& entry) {
    const TechnologySpec& spec = *entry.spec;
    const std::string& label = entry.label;
    const Radio radio = radio_of(spec, ctx.req);                                 // 1. link budgets
    const std::vector<output::SiteResult>& losses = ctx.losses.at(radio.tech.f_center_mhz, spec.profile);
    const Scope scope = scope_of(spec, ctx.res.demand);
    const std::string kit = econ::kit_for_technology(spec.profile);
    const Candidates cand = candidates_of(ctx, spec, radio, scope, losses, kit);  // 2. candidates' links
    const Chosen chosen = select_sites(cand, radio.dl);                         // 3. selection
    const std::vector<std::size_t>& sel = chosen.selection.chosen;

    PlannedEntry pe;
    pe.serves = spec.serves;
    output::TechnologyReport& tr = pe.report;
    tr.budget = budget_coverage(ctx, cand, scope, kit, radio.dl);
    tr.selection_solver = chosen.selection.solver;
    tr.selection_greedy_gap = chosen.greedy_gap;
    std::vector<const SiteSpec*> chosen_specs;
    std::vector<const output::SiteResult*> chosen_res;
    for (std::size_t k : sel) {
        const SiteSpec& site = ctx.s.sites[cand.site[k]];
        chosen_specs.push_back(&site);
        chosen_res.push_back(&losses[cand.site[k]]);
        tr.chosen_sites.push_back(site.id);
        tr.chosen_origins.push_back(site.origin);
        tr.map.sites.push_back({site.id, site.pos});
    }
    const ChosenService service = chosen_service(ctx, cand, sel, scope, radio, tr.map);  // 4. service
    const double area_km2 = write_served_area(ctx, label, radio, chosen_res, tr.map);
    if (ctx.cfg.area && ctx.cfg.service_maps && !sel.empty()) {                          // 4b. service maps
        std::vector<output::DemandPoint> in_scope;
        for (std::size_t i = 0; i < scope.in.size(); ++i)
            if (scope.in[i]) in_scope.push_back(ctx.res.demand[i]);
        ctx.cfg.service_maps->push_back(service_maps(ctx, label, radio, chosen_specs, chosen_res, in_scope));
        if (!ctx.cfg.out_dir.empty()) tr.map.sinr_png = ctx.cfg.out_dir / ("coverage-" + label + "-sinr.png");
    }
    const CapacityJudgement cap = judge_capacity(radio.tech, service.cells, ctx.req);
    const fs::path bh_dir = ctx.cfg.out_dir.empty() ? fs::path() : ctx.cfg.out_dir / ("backhaul-" + label);
    const BackhaulResult bh = plan_backhaul(ctx, spec.profile, chosen_specs, cap.site_busy_hour_mbps, bh_dir);  // 5.
    tr.backhaul = bh.summary;
    tr.map.backhaul = bh.links;
    pe.in = technology_input(ctx, label, radio, scope, kit, sel.size(), area_km2, service, cap, bh);  // 6.
    tr.eval = econ::evaluate_technology(pe.in, entry_requirements(ctx.req, scope), ctx.params);
    pe.household_margins_db = service.household_margins_db;
    pe.provenance = {"technology " + spec.profile,
                     radio.tech.file.filename().string() + " sha256 " + output::sha256_file_hex(radio.tech.file)};
    return pe;
}

}  // namespace dxplan::comparison
