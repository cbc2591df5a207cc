// dxplan run, comparison stage: plan one technology (comparison_internal.hpp; steps of comparison_stage.hpp).
#include <algorithm>
#include <cmath>

#include "libsim/core/error.hpp"
#include "libsim/output/sha256.hpp"
#include "libsim/scenario/capacity.hpp"
#include "libsim/scenario/comparison_internal.hpp"
#include "libsim/traffic/load.hpp"

namespace dxplan::comparison {

namespace fs = std::filesystem;

namespace {

// The largest application payload one message of the technology carries wherever it serves: LoRaWAN AS923 at its
// most robust uplink mode (the highest SF, the edge of its reach; LoRaMac-node RegionAS923.h, traffic::
// lora_max_payload_bytes: 51 B at SF11-12); Sigfox 12 bytes (Sigfox Radio Specifications: uplink payload 0-12
// bytes). IP technologies fragment: no limit that matters for a sensor report (NaN).
double max_payload_bytes(const Radio& radio) {
    if (radio.tech.family == link::Family::sigfox) return 12.0;
    if (radio.tech.family != link::Family::lora) return econ::kNoRequirement;
    int limit = 0;
    for (const link::Mode& m : radio.ul.modes)
        if (m.sf > 0 && (limit == 0 || traffic::lora_max_payload_bytes(m.sf) < limit))
            limit = traffic::lora_max_payload_bytes(m.sf);
    return limit > 0 ? limit : econ::kNoRequirement;
}

inline constexpr double kPeakSinrDb = 60.0;
inline constexpr double kMarginCaseDb = 3.0;  // the tornado's propagation-margin case (econ::UncertaintySpec)  // a SINR above every mode's threshold: the technology's best rates

link::Overrides overrides_of(const TechnologySpec& t) {
    link::Overrides o;
    for (const auto& [k, v] : t.overrides) o.emplace_back(k, v.text);
    return o;
}

bool reaches(double rate_mbps, double required_mbps) { return std::isnan(required_mbps) || rate_mbps >= required_mbps; }

// Planning margin of a point over its kind's requirement (dB): the least of the link margin and the downlink
// planning SINR over the lowest SINR whose single-user rate reaches the kind's per-user rate (-1e9: no device
// for the kind, or no mode reaches it). The uncertainty analysis shifts it by the propagation margin.
double requirement_margin_db(const StageContext& ctx, const Radio& radio, DemandKind kind, const coverage::Serving& sv) {
    if (radio.tech.cost_kit.devices_for(kind).empty() || !std::isfinite(sv.margin_db)) return -1e9;
    const double need_mbps = ctx.req.of(kind).dl_mbps;
    if (std::isnan(need_mbps)) return sv.margin_db;
    for (const link::Mode& m : radio.dl.modes)  // ascending required SNR
        if (link::app_throughput_mbps(radio.dl, m.snr_db) >= need_mbps) return std::min(sv.margin_db, sv.planning_db - m.snr_db);
    return -1e9;
}

// Step 4: the chosen sites' service at the demand points in scope: who is served by which site, at what SINR
// and rate (for judge_capacity), per kind the points in signal and served at the requirement, the map's demand
// points (served at the requirement), and each household's planning margin.
struct ChosenService {
    std::vector<CellDemand> cells;  // per chosen site: the points served at the requirement
    std::array<std::size_t, kDemandKinds.size()> in_signal{}, served{};
    std::vector<double> household_margins_db;
    std::array<std::size_t, kDemandKinds.size()> gained{}, lost{};  // at +-kMarginCaseDb (KindService)
};
ChosenService chosen_service(const StageContext& ctx, const Candidates& c, const std::vector<std::size_t>& chosen,
                             const Scope& scope, const Radio& radio, output::TechnologyMap& map) {
    ChosenService out;
    out.cells.resize(chosen.size());
    for (std::size_t i = 0; i < scope.in.size(); ++i) {
        if (!scope.in[i]) continue;
        const output::DemandPoint& d = ctx.res.demand[i];
        const coverage::Serving sv = coverage::serving(c.links, chosen, i, radio.dl);
        const double ul_db = sv.served ? c.links[chosen[sv.best]][i].ul_margin_db + radio.ul.min_snr_db : -INFINITY;
        const bool ok = sv.served && radio.serves_at(d.kind, ctx.req, sv.planning_db, ul_db);
        if (ok) {
            const link::Mode* m = link::best_mode(radio.dl, sv.planning_db);
            out.cells[sv.best].points.push_back({d.kind, sv.planning_db, sv.planning_db + radio.dl.fade_margin_db,
                                                 m ? static_cast<int>(m - radio.dl.modes.data()) : -1,
                                                 link::app_throughput_mbps(radio.dl, sv.planning_db),
                                                 link::app_throughput_mbps(radio.ul, ul_db)});
        }
        map.demand.push_back(d.pos);
        map.demand_covered.push_back(ok);
        out.in_signal[index_of(d.kind)] += sv.served ? 1 : 0;
        out.served[index_of(d.kind)] += ok ? 1 : 0;
        const double margin_db = requirement_margin_db(ctx, radio, d.kind, sv);
        if (d.kind == DemandKind::household) out.household_margins_db.push_back(margin_db);
        out.gained[index_of(d.kind)] += margin_db >= -kMarginCaseDb && margin_db < 0.0 ? 1 : 0;
        out.lost[index_of(d.kind)] += margin_db >= 0.0 && margin_db < kMarginCaseDb ? 1 : 0;
    }
    return out;
}

// Battery life of the kind's devices: the family's device at the kind's reports per day (mains: +inf).
double battery_years(const Radio& radio, DemandKind kind, const econ::Requirements& req) {
    if (kind != DemandKind::iot) return INFINITY;
    const double toa_ms = radio.tech.uplink.modes.empty() ? 0.0 : radio.tech.uplink.modes.front().time_on_air_ms;
    econ::DeviceEnergy e = econ::family_defaults(link::to_string(radio.tech.family), toa_ms).device;
    if (!std::isnan(req.of(kind).reports_per_day)) e.messages_per_day = req.of(kind).reports_per_day;
    return econ::battery_life_years(e);
}

// What the technology does for each kind it serves (econ::KindService), kinds present in scope only.
std::vector<econ::KindService> kind_services(const StageContext& ctx, const Candidates& c, const Scope& scope,
                                             const Radio& radio, const ChosenService& service,
                                             const CapacityJudgement& cap) {
    std::vector<econ::KindService> out;
    for (DemandKind kind : kDemandKinds) {
        econ::KindService k;
        k.kind = kind;
        for (std::size_t i = 0; i < scope.in.size(); ++i) {
            if (!scope.in[i] || ctx.res.demand[i].kind != kind) continue;
            ++k.total;
            k.in_reach += c.in_reach[i] ? 1 : 0;
            k.reachable += c.reachable[i] ? 1 : 0;
        }
        if (k.total == 0) continue;
        k.in_signal = service.in_signal[index_of(kind)];
        k.served = service.served[index_of(kind)];
        k.gained_at_plus_3db = service.gained[index_of(kind)];
        k.lost_at_minus_3db = service.lost[index_of(kind)];
        k.device = !radio.tech.cost_kit.devices_for(kind).empty();
        k.carries = radio.can_carry(kind, ctx.req);
        for (const KindCapacity& kc : cap.kinds)
            if (kc.kind == kind) {
                k.capacity_mbps_per_user = kc.capacity_mbps_per_user;
                k.ul_capacity_mbps_per_user = kc.ul_capacity_mbps_per_user;
                k.delivery_ratio = kc.delivery_ratio;
                k.delay_p99_ms = kc.latency_ms;
                k.headroom_terminals = kc.headroom_terminals;
                k.throughput_median_mbps = kc.throughput_median_mbps;
                k.throughput_p5_mbps = kc.throughput_p5_mbps;
                k.ul_median_mbps = kc.ul_median_mbps;
                k.latency_ms = kc.latency_ms;
            }
        k.battery_years = battery_years(radio, kind, ctx.req);
        k.max_payload_bytes = max_payload_bytes(radio);
        out.push_back(k);
    }
    return out;
}

constexpr std::string_view kEdgeComputerItem = "edge-ai-computer";  // models/economics/catalogue.yaml

// Step 6, the bill: the kit's items for the sites and the network, each kind's devices for the points served at
// its requirement (CPEs for homes, sensor nodes for sensors), and the backhaul.
std::vector<econ::CostItem> bill_of(const StageContext& ctx, const Radio& radio, std::size_t sites,
                                    const std::vector<econ::KindService>& kinds, const BackhaulResult& bh) {
    const link::CostKit& kit = radio.tech.cost_kit;
    econ::Quantities q;
    q.sites = static_cast<double>(sites);
    std::vector<econ::CostItem> bill = econ::bill_of_materials(ctx.cat, kit.items, q, radio.tech.name);
    for (const econ::KindService& k : kinds) {
        econ::Quantities qd;
        qd.networks = 0.0;
        qd.devices = static_cast<double>(k.served);
        const auto items = econ::bill_of_materials(ctx.cat, kit.devices_for(k.kind), qd,
                                                   "devices:" + std::string(to_string(k.kind)));
        bill.insert(bill.end(), items.begin(), items.end());
        if (ctx.req.of(k.kind).edge_processing) {  // inference next to each served device (issue 14 item 4)
            const auto edge = econ::bill_of_materials(ctx.cat, {std::string(kEdgeComputerItem)}, qd,
                                                      "edge:" + std::string(to_string(k.kind)));
            bill.insert(bill.end(), edge.begin(), edge.end());
        }
    }
    bill.insert(bill.end(), bh.items.begin(), bh.items.end());
    return bill;
}

// Step 6: the figures of the deployment, for econ::evaluate_technology.
econ::TechnologyInput technology_input(const StageContext& ctx, const std::string& label, const Radio& radio,
                                       const Scope& scope, std::size_t sites, double area_km2,
                                       std::vector<econ::KindService> kinds, const CapacityJudgement& cap,
                                       const BackhaulResult& bh) {
    econ::TechnologyInput in;
    in.name = label;
    in.family = std::string(link::to_string(radio.tech.family));
    in.outdoor_allowed = radio.outdoor_allowed;
    in.outdoor_rule = radio.outdoor_rule;
    in.bill = bill_of(ctx, radio, sites, kinds, bh);
    if (ctx.params.rules.demonstration) {  // ②-1: lease rather than buy (programme.md); buying kept for lease_vs_buy
        in.purchase_bill = std::move(in.bill);
        in.bill = econ::leased_bill(ctx.cat, in.purchase_bill);
    }
    in.sites = sites;
    in.coverage_area_km2 = area_km2;
    in.demand_total = scope.count;
    in.complete = scope.count == ctx.res.demand.size();
    in.throughput_median_mbps = cap.throughput_median_mbps;
    in.throughput_p5_mbps = cap.throughput_p5_mbps;
    if (cap.carried_busy_hour_mbps > 0.0) in.busy_hour_carried_mbps = cap.carried_busy_hour_mbps;
    for (const econ::KindService& k : kinds) {
        in.demand_covered += k.served;
        if (k.kind == DemandKind::household) {
            in.households_covered = static_cast<double>(k.served);
            in.capacity_mbps_per_household = k.capacity_mbps_per_user;
        }
        if (!(in.latency_ms > 0.0) && !std::isnan(k.latency_ms)) in.latency_ms = k.latency_ms;
    }
    in.devices_connected = static_cast<double>(in.demand_covered);
    const double toa_ms = radio.tech.uplink.modes.empty() ? 0.0 : radio.tech.uplink.modes.front().time_on_air_ms;
    in.device = econ::family_defaults(in.family, toa_ms).device;
    in.device.battery_powered = in.device.battery_powered && scope.serves_kind(DemandKind::iot);
    if (!std::isnan(ctx.req.of(DemandKind::iot).reports_per_day))
        in.device.messages_per_day = ctx.req.of(DemandKind::iot).reports_per_day;
    in.kinds = std::move(kinds);
    return in;
}

}  // namespace

bool Radio::serves_at(DemandKind kind, const econ::Requirements& req, double dl_planning_db,
                      double ul_planning_db) const {
    if (tech.cost_kit.devices_for(kind).empty()) return false;
    const econ::KindRequirements& q = req.of(kind);
    return reaches(link::app_throughput_mbps(dl, dl_planning_db), q.dl_mbps) &&
           reaches(link::app_throughput_mbps(ul, ul_planning_db), q.ul_mbps);
}

bool Radio::can_carry(DemandKind kind, const econ::Requirements& req) const {
    return serves_at(kind, req, kPeakSinrDb, kPeakSinrDb);
}

bool Scope::serves_kind(DemandKind kind) const {
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
    if (!r.tech.cost_kit.present)
        throw InputError(r.tech.file.string() + ": cost_kit: missing (every technology profile lists what it buys)");
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
    const std::vector<output::SiteResult>& losses = ctx.losses.at(radio.tech.f_center_mhz, spec);
    const Scope scope = scope_of(spec, ctx.res.demand);
    const Candidates cand = candidates_of(ctx, spec, radio, scope, losses);      // 2. candidates' links
    const Chosen chosen = select_sites(ctx, cand, radio);                         // 3. selection
    const std::vector<std::size_t>& sel = chosen.selection.chosen;

    PlannedEntry pe;
    pe.serves = spec.serves;
    output::TechnologyReport& tr = pe.report;
    tr.budget = budget_coverage(ctx, cand, scope, radio);
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
    if (ctx.cfg.route_network && ctx.cfg.area && ctx.cfg.service_maps && !sel.empty())  // for the routes (route_stage.hpp)
        add_route_network(*ctx.cfg.route_network, label, radio, chosen_specs, chosen_res, ctx.cfg.service_maps->back(),
                          cap.latency_ms);
    const fs::path bh_dir = ctx.cfg.out_dir.empty() ? fs::path() : ctx.cfg.out_dir / ("backhaul-" + label);
    const BackhaulResult bh = radio.tech.cost_kit.operator_network  // 5. backhaul (none for an operator's network)
                                  ? BackhaulResult{}
                                  : plan_backhaul(ctx, spec.profile, chosen_specs, cap.site_busy_hour_mbps, bh_dir);
    tr.backhaul = bh.summary;
    tr.map.backhaul = bh.links;
    pe.in = technology_input(ctx, label, radio, scope, sel.size(), area_km2,                     // 6.
                             kind_services(ctx, cand, scope, radio, service, cap), cap, bh);
    tr.eval = econ::evaluate_technology(pe.in, ctx.req, ctx.params);
    pe.household_margins_db = service.household_margins_db;
    pe.provenance = {"technology " + spec.profile,
                     radio.tech.file.filename().string() + " sha256 " + output::sha256_file_hex(radio.tech.file)};
    return pe;
}

}  // namespace dxplan::comparison
