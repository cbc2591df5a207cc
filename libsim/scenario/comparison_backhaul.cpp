// dxplan run, comparison stage: backhaul for a technology's chosen sites (comparison_internal.hpp, step 5).
#include <cmath>

#include "libsim/geo/geo.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_output.hpp"
#include "libsim/network/candidate_graph.hpp"
#include "libsim/scenario/comparison_internal.hpp"

namespace dxplan::comparison {

namespace {

// The network layer's candidate graph and heuristic plan; throws when it cannot plan.
BackhaulResult planned(const StageContext& ctx, const std::string& access_profile,
                       const std::vector<const SiteSpec*>& chosen, const std::vector<double>& site_mbps,
                       const std::filesystem::path& out_dir) {
    const Scenario& s = ctx.s;
    BackhaulResult b;
    std::vector<net::Node> nodes;
    for (std::size_t i = 0; i < chosen.size(); ++i)
        nodes.push_back({chosen[i]->id, net::NodeKind::site, chosen[i]->pos.lat_deg, chosen[i]->pos.lon_deg, site_mbps[i],
                         chosen[i]->mast_height_m});
    for (const auto& pop : s.fibre_pops) nodes.push_back({pop.id, net::NodeKind::pop, pop.pos.lat_deg, pop.pos.lon_deg, 0.0, 15.0});
    // A backhaul technology served by an access network's base station only for the plan of that network.
    std::vector<net::BackhaulTechnology> techs;
    for (const auto& t : ctx.backhaul.technologies)
        if (!t.needs_access_sites || t.access_profile == access_profile) techs.push_back(t);
    net::GraphOptions go;
    go.horizon_years = ctx.params.horizon_years;
    go.discount_rate = ctx.params.discount_rate;
    go.roads = ctx.backhaul.roads ? &*ctx.backhaul.roads : nullptr;
    go.max_drop_m = s.backhaul.max_drop_m;
    const World& w = ctx.world;
    const net::CandidateGraph g = net::build_candidate_graph(nodes, techs, ctx.cat, w.terrain,
                                                             w.land_cover ? &*w.land_cover : nullptr,
                                                             ctx.backhaul.criteria, go);
    const net::BackhaulPlan plan = net::plan_backhaul_heuristic(g.problem);
    if (!out_dir.empty()) ctx.files_written += net::write_backhaul_outputs(out_dir, g, plan, techs, {s.name, 0.0, 0.0}).size();
    b.summary.solver = plan.solver;
    b.summary.solved = plan.solved;
    for (std::size_t li : plan.links) {
        const net::CandidateLink& l = g.problem.links[li];
        const auto& na = g.problem.nodes[static_cast<std::size_t>(l.a)];
        const auto& nb = g.problem.nodes[static_cast<std::size_t>(l.b)];
        b.links.push_back({{na.lat_deg, na.lon_deg}, {nb.lat_deg, nb.lon_deg}, l.technology,
                           li < g.assessments.size() ? g.assessments[li].route : std::vector<LatLon>{}});
        ++b.summary.links;
        std::string item = l.technology;
        bool fibre = false;
        for (const auto& t : techs)
            if (t.name == l.technology) {
                item = t.catalogue_item;
                fibre = t.kind == net::BackhaulKind::fibre;
            }
        if (l.technology == net::kColocatedTechnology) continue;  // on the PoP's premises: no cost
        // Fibre as route km at the link's price per km, a radio hop as one unit.
        const double km = g.assessments[li].length_m / 1000.0;
        const double units = fibre && km > 0.0 ? km : 1.0;
        if (fibre) b.summary.fibre_km += km;
        else ++b.summary.wireless_hops;
        b.items.push_back({item, "backhaul", econ::Acquisition::purchase, units, l.capex_jpy / units,
                           l.opex_jpy_per_year / units, true});
    }
    return b;
}

// Straight fibre from each site to its nearest PoP with the fibre's detour factor.
BackhaulResult straight_fibre(const StageContext& ctx, const std::vector<const SiteSpec*>& chosen, const std::string& why) {
    BackhaulResult b;
    b.summary.solver = std::string("straight fibre (network planner: ") + why + ")";
    const auto& fibre = ctx.cat.item("fibre-aerial-km");
    for (const auto* site : chosen) {
        double best = INFINITY;
        const FibrePopSpec* pop = nullptr;
        for (const auto& pp : ctx.s.fibre_pops) {
            const double d = geodesic_inverse(site->pos, pp.pos).d_m;
            if (d < best) best = d, pop = &pp;
        }
        const double km = best * ctx.backhaul.fibre_detour / 1000.0;
        b.summary.fibre_km += km;
        ++b.summary.links;
        b.links.push_back({pop->pos, site->pos, "fibre", {}});
        b.items.push_back({fibre.id, "backhaul", fibre.acquisition, km, fibre.capex_jpy, fibre.opex_jpy_per_year, true});
    }
    return b;
}

}  // namespace

BackhaulResult plan_backhaul(const StageContext& ctx, const std::string& access_profile,
                             const std::vector<const SiteSpec*>& chosen, const std::vector<double>& site_mbps,
                             const std::filesystem::path& out_dir) {
    // When the planner cannot plan (no PoP, a site outside the terrain): straight fibre.
    BackhaulResult b;
    if (chosen.empty() || ctx.s.fibre_pops.empty()) return b;
    try {
        b = planned(ctx, access_profile, chosen, site_mbps, out_dir);
    } catch (const std::exception& e) {  // InputError from the planner's checks, or a solver failure
        b = straight_fibre(ctx, chosen, e.what());
    }
    for (const auto& it : b.items) {
        b.summary.capex_jpy += it.quantity * it.unit_capex_jpy;
        b.summary.opex_jpy_per_year += it.quantity * it.unit_opex_jpy_per_year;
    }
    return b;
}

}  // namespace dxplan::comparison
