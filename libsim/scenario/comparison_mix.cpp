// dxplan run, comparison stage: a mix as the sum of its planned members (comparison_internal.hpp).
//
// Sites, demand and bill are summed (so costs, NPV and subsidy follow from evaluate_costs on the whole bill); the
// households' throughput and latency come from the member serving households, the devices from the member
// serving iot; a requirement fails when a member fails it.
#include <algorithm>

#include "libsim/scenario/comparison_internal.hpp"

namespace dxplan::comparison {

namespace {

bool has(const std::vector<DemandKind>& v, DemandKind k) { return std::find(v.begin(), v.end(), k) != v.end(); }

econ::TechnologyInput sum_of_members(const MixSpec& mix, const std::vector<PlannedEntry>& members,
                                     const std::vector<DemandKind>& kinds_present) {
    econ::TechnologyInput in;
    in.name = mix.name;
    in.family = "mix";
    std::vector<DemandKind> kinds;
    for (const PlannedEntry& mr : members) {
        const econ::TechnologyInput& mi = mr.in;
        in.sites += mi.sites;
        in.coverage_area_km2 = std::max(in.coverage_area_km2, mi.coverage_area_km2);
        in.demand_total += mi.demand_total;
        in.demand_covered += mi.demand_covered;
        in.households_covered += mi.households_covered;
        in.devices_connected += mi.devices_connected;
        if (mi.busy_hour_carried_mbps)
            in.busy_hour_carried_mbps = in.busy_hour_carried_mbps.value_or(0.0) + *mi.busy_hour_carried_mbps;
        in.bill.insert(in.bill.end(), mi.bill.begin(), mi.bill.end());
        in.purchase_bill.insert(in.purchase_bill.end(), mi.purchase_bill.begin(), mi.purchase_bill.end());
        in.kinds.insert(in.kinds.end(), mi.kinds.begin(), mi.kinds.end());
        if (has(mr.serves, DemandKind::household)) {
            in.throughput_median_mbps = mi.throughput_median_mbps;
            in.throughput_p5_mbps = mi.throughput_p5_mbps;
            in.latency_ms = mi.latency_ms;
            in.capacity_mbps_per_household = mi.capacity_mbps_per_household;  // the member's load-model figure
        }
        if (has(mr.serves, DemandKind::iot)) in.device = mi.device;
        kinds.insert(kinds.end(), mr.serves.begin(), mr.serves.end());
    }
    in.complete = std::all_of(kinds_present.begin(), kinds_present.end(), [&](DemandKind k) { return has(kinds, k); });
    return in;
}

// Sites, backhaul and map of the members together: the coverage image of the member serving households (else
// the first), every member's sites, demand points and backhaul.
void members_network(const std::vector<PlannedEntry>& members, output::TechnologyReport& tr) {
    const PlannedEntry* shown = &members.front();
    for (const PlannedEntry& mr : members) {
        const output::TechnologyReport& r = mr.report;
        for (std::size_t c = 0; c < r.chosen_sites.size(); ++c) {
            tr.chosen_sites.push_back(mr.in.name + ":" + r.chosen_sites[c]);
            tr.chosen_origins.push_back(r.chosen_origins[c]);
        }
        tr.backhaul.links += r.backhaul.links;
        tr.backhaul.fibre_km += r.backhaul.fibre_km;
        tr.backhaul.wireless_hops += r.backhaul.wireless_hops;
        tr.backhaul.capex_jpy += r.backhaul.capex_jpy;
        tr.backhaul.opex_jpy_per_year += r.backhaul.opex_jpy_per_year;
        tr.backhaul.solved = tr.backhaul.solved && r.backhaul.solved;
        tr.backhaul.solver = r.backhaul.solver;
        if (has(mr.serves, DemandKind::household)) shown = &mr;
    }
    tr.map.png = shown->report.map.png;
    tr.map.png_bounds = shown->report.map.png_bounds;
    tr.map.sinr_png = shown->report.map.sinr_png;
    for (const PlannedEntry& mr : members) {
        tr.mix_members.push_back(mr.in.name);
        tr.member_evals.push_back(mr.report.eval);
        std::vector<std::string> kinds;  // the report's names of the kinds (output::TechnologyReport::member_kinds)
        for (DemandKind k : mr.serves) kinds.emplace_back(to_string(k));
        tr.member_kinds.push_back(std::move(kinds));
        const output::TechnologyMap& mm = mr.report.map;
        tr.map.sites.insert(tr.map.sites.end(), mm.sites.begin(), mm.sites.end());
        tr.map.backhaul.insert(tr.map.backhaul.end(), mm.backhaul.begin(), mm.backhaul.end());
        tr.map.demand.insert(tr.map.demand.end(), mm.demand.begin(), mm.demand.end());
        tr.map.demand_covered.insert(tr.map.demand_covered.end(), mm.demand_covered.begin(), mm.demand_covered.end());
    }
}

}  // namespace

output::TechnologyReport combine_mix(const MixSpec& mix, const std::vector<PlannedEntry>& members,
                                     const std::vector<DemandKind>& kinds_present, const econ::Requirements& req,
                                     const econ::EconomicParams& params) {
    output::TechnologyReport tr;
    tr.selection_solver = "members";
    members_network(members, tr);
    // A mix meets a requirement when each member meets it for the kinds it serves: the members' own failures
    // stand, each once (the members' kinds are disjoint, so no (requirement, kind) pair repeats), naming the member.
    std::vector<econ::Failure> fails;
    double shortfall = 0.0;
    bool carries = true;
    for (const PlannedEntry& mr : members) {
        for (const auto& f : mr.report.eval.fails) {
            econ::Failure g = f;
            g.member = mr.in.name;
            g.reason = mr.in.name + ": " + f.reason;
            fails.push_back(std::move(g));
        }
        shortfall += mr.report.eval.shortfall;
        carries = carries && mr.report.eval.carries;
    }
    econ::Requirements none = req;  // the members' own checks stand (their kinds); only the sum is evaluated
    none.coverage_target_fraction = 0.0;
    none.min_mbps_per_household = econ::kNoRequirement;
    none.max_latency_ms = econ::kNoRequirement;
    none.min_battery_years = econ::kNoRequirement;
    none.min_edge_mbps = econ::kNoRequirement;
    econ::TechnologyInput sum = sum_of_members(mix, members, kinds_present);
    const std::vector<econ::KindService> kinds = std::move(sum.kinds);  // judged by the members, not again
    tr.eval = econ::evaluate_technology(sum, none, params);
    tr.eval.kinds = kinds;
    tr.eval.fails = std::move(fails);
    tr.eval.shortfall = shortfall;
    tr.eval.carries = carries;
    return tr;
}

}  // namespace dxplan::comparison
