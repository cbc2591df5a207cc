#include "libsim/network/candidate_graph.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <utility>

#include "libsim/core/error.hpp"
#include "libsim/core/parallel.hpp"
#include "libsim/geo/geo.hpp"

namespace dxplan::net {

std::vector<Node> find_relay_candidates(const Terrain& terrain, const GeoBox& area, const RelayOptions& o) {
    if (!(o.window_m > 0.0) || !(o.min_relief_m >= 0.0) || !(o.min_separation_m >= 0.0) || o.max_count < 0)
        throw InputError("relay options: window_m > 0, min_relief_m >= 0, min_separation_m >= 0 and max_count >= 0 required");
    const GeoGrid& g = terrain.grid();
    const double cell_m = terrain.native_spacing_m();
    const int w = std::max(1, static_cast<int>(std::lround(o.window_m / cell_m)));
    const int r0 = std::max(1, static_cast<int>(std::ceil((g.north_deg - area.north_deg) / g.dlat_deg)));
    const int r1 = std::min(g.rows - 2, static_cast<int>(std::floor((g.north_deg - area.south_deg) / g.dlat_deg)));
    const int c0 = std::max(1, static_cast<int>(std::ceil((area.west_deg - g.west_deg) / g.dlon_deg)));
    const int c1 = std::min(g.cols - 2, static_cast<int>(std::floor((area.east_deg - g.west_deg) / g.dlon_deg)));
    struct Peak { int row, col; double relief_m; };
    std::vector<Peak> peaks;
    for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c) {
            const float h = g.at(r, c);
            bool local_max = true;  // cheap 3x3 test first
            for (int dr = -1; dr <= 1 && local_max; ++dr)
                for (int dc = -1; dc <= 1; ++dc)
                    if ((dr != 0 || dc != 0) && g.at(r + dr, c + dc) > h) { local_max = false; break; }
            if (!local_max) continue;
            float lowest = h;
            for (int dr = -w; dr <= w && local_max; ++dr) {
                const int rr = r + dr;
                if (rr < 0 || rr >= g.rows) continue;
                for (int dc = -w; dc <= w; ++dc) {
                    const int cc = c + dc;
                    if (cc < 0 || cc >= g.cols) continue;
                    const float v = g.at(rr, cc);
                    if (v > h) { local_max = false; break; }
                    lowest = std::min(lowest, v);
                }
            }
            if (local_max && h - lowest >= o.min_relief_m) peaks.push_back({r, c, static_cast<double>(h - lowest)});
        }
    std::sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) {
        return a.relief_m != b.relief_m ? a.relief_m > b.relief_m : std::make_pair(a.row, a.col) < std::make_pair(b.row, b.col);
    });
    std::vector<Node> out;
    for (const Peak& p : peaks) {
        if (static_cast<int>(out.size()) >= o.max_count) break;
        const LatLon at{g.north_deg - p.row * g.dlat_deg, g.west_deg + p.col * g.dlon_deg};
        const bool far = std::all_of(out.begin(), out.end(), [&](const Node& n) {
            return geodesic_inverse(at, {n.lat_deg, n.lon_deg}).d_m >= o.min_separation_m;
        });
        if (!far) continue;
        Node n;
        n.id = "relay-" + std::to_string(out.size() + 1);
        n.kind = NodeKind::relay;
        n.lat_deg = at.lat_deg;
        n.lon_deg = at.lon_deg;
        n.mast_height_m = o.mast_height_m;
        out.push_back(n);
    }
    return out;
}

CandidateGraph build_candidate_graph(std::vector<Node> nodes, const std::vector<BackhaulTechnology>& techs,
                                     const econ::Catalogue& catalogue, const Terrain& terrain, const LandCover* land_cover,
                                     const DesignCriteria& criteria, const GraphOptions& o) {
    if (o.k_nearest < 1 || o.k_nearest > 100) throw InputError("k_nearest = " + std::to_string(o.k_nearest) + ": must be in [1, 100]");
    if (o.horizon_years < 1 || o.horizon_years > 50) throw InputError("horizon_years: must be in [1, 50]");
    if (!(o.discount_rate >= 0.0 && o.discount_rate <= 0.5)) throw InputError("discount_rate: must be in [0, 0.5]");
    if (!(o.max_drop_m >= 0.0 && o.max_drop_m <= 100000.0)) throw InputError("max_drop_m: must be in [0, 100000] m");
    validate(criteria);
    for (const auto& t : techs) (void)catalogue.item(t.catalogue_item);  // every price exists
    const int n = static_cast<int>(nodes.size());
    for (const Node& v : nodes)
        if (!terrain.contains({v.lat_deg, v.lon_deg}))
            throw InputError("node " + v.id + " (" + std::to_string(v.lat_deg) + ", " + std::to_string(v.lon_deg) +
                             "): outside the terrain");

    std::vector<double> dist(static_cast<std::size_t>(n) * n, 0.0);
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j)
            dist[static_cast<std::size_t>(i) * n + j] = dist[static_cast<std::size_t>(j) * n + i] =
                geodesic_inverse({nodes[i].lat_deg, nodes[i].lon_deg}, {nodes[j].lat_deg, nodes[j].lon_deg}).d_m;
    auto d = [&](int i, int j) { return dist[static_cast<std::size_t>(i) * n + j]; };

    // Candidate pairs: per technology, each node's k nearest (within the maximum hop length).
    std::map<std::pair<int, int>, std::vector<int>> pairs;  // (a < b) -> technology indices
    std::vector<std::pair<int, int>> colocated;
    for (int i = 0; i < n; ++i) {
        std::vector<int> order;
        for (int j = 0; j < n; ++j)
            if (j != i) order.push_back(j);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return d(i, a) != d(i, b) ? d(i, a) < d(i, b) : a < b; });
        for (int j : order)
            if (d(i, j) < o.colocated_m && i < j) colocated.emplace_back(i, j);
        for (std::size_t t = 0; t < techs.size(); ++t) {
            int taken = 0;
            for (int j : order) {
                if (taken >= o.k_nearest || d(i, j) > techs[t].max_hop_m) break;
                if (d(i, j) < o.colocated_m) continue;
                if (nodes[i].kind == NodeKind::pop && nodes[j].kind == NodeKind::pop) continue;
                if (techs[t].needs_access_sites && (nodes[i].kind != NodeKind::site || nodes[j].kind != NodeKind::site))
                    continue;  // a CPE needs the access network's base station at the other end
                auto& v = pairs[{std::min(i, j), std::max(i, j)}];
                if (std::find(v.begin(), v.end(), static_cast<int>(t)) == v.end()) v.push_back(static_cast<int>(t));
                ++taken;
            }
        }
    }

    struct Job { int a, b; std::vector<int> techs; bool radio; };
    std::vector<Job> jobs;
    for (auto& [ab, ts] : pairs) {
        std::sort(ts.begin(), ts.end());
        const bool radio = std::any_of(ts.begin(), ts.end(), [&](int t) { return techs[t].kind != BackhaulKind::fibre; });
        jobs.push_back({ab.first, ab.second, ts, radio});
    }

    // Fibre along the roads: every node joins the network at its nearest road point, then one Dijkstra per node
    // gives its routes to its fibre partners of higher index.
    std::exception_ptr failure;
    std::map<std::pair<int, int>, RoadRoute> road_routes;
    std::map<int, double> far_from_road;  // node -> distance to the nearest road, beyond max_drop_m
    if (o.roads != nullptr) {
        std::vector<LatLon> pos;
        std::vector<RoadAttachment> att;
        for (int i = 0; i < n; ++i) {
            pos.push_back({nodes[i].lat_deg, nodes[i].lon_deg});
            att.push_back(attach_to_roads(*o.roads, pos.back()));
            if (att.back().edge >= 0 && att.back().drop_m > o.max_drop_m) {
                far_from_road[i] = att.back().drop_m;
                att.back().edge = -1;  // not on the road network
            }
        }
        std::vector<std::vector<int>> partners(static_cast<std::size_t>(n));
        for (const Job& j : jobs)
            if (std::any_of(j.techs.begin(), j.techs.end(), [&](int t) { return techs[t].kind == BackhaulKind::fibre; }))
                partners[static_cast<std::size_t>(j.a)].push_back(j.b);
        std::vector<std::vector<RoadRoute>> routes(static_cast<std::size_t>(n));
        parallel_for(n, 1, [&](std::ptrdiff_t i) {
            if (!partners[i].empty()) routes[i] = routes_from(*o.roads, pos, att, i, partners[i]);
        });
        for (int i = 0; i < n; ++i)
            for (std::size_t k = 0; k < partners[i].size(); ++k) road_routes[{i, partners[i][k]}] = std::move(routes[i][k]);
    }

    // Assess every candidate (one profile per pair), in parallel; the first exception is rethrown.
    std::vector<std::vector<HopAssessment>> results(jobs.size());
    std::size_t profiled = 0;
#pragma omp parallel for schedule(dynamic, 4) reduction(+ : profiled)
    for (std::ptrdiff_t k = 0; k < static_cast<std::ptrdiff_t>(jobs.size()); ++k) {
        try {
            const Job& j = jobs[static_cast<std::size_t>(k)];
            const Node &na = nodes[j.a], &nb = nodes[j.b];
            const LatLon pa{na.lat_deg, na.lon_deg}, pb{nb.lat_deg, nb.lon_deg};
            ExtractedPath path;
            if (j.radio) {
                path = extract_path(terrain, land_cover, pa, pb, criteria.profile_spacing_m);
                ++profiled;
            }
            for (int t : j.techs) {
                const BackhaulTechnology& tech = techs[static_cast<std::size_t>(t)];
                if (tech.kind == BackhaulKind::fibre) {
                    HopAssessment h = assess_link(terrain, land_cover, {pa, na.mast_height_m}, {pb, nb.mast_height_m}, tech, criteria);
                    if (o.roads != nullptr) {
                        const RoadRoute& r = road_routes.at({j.a, j.b});
                        if (r.found) {
                            h.length_m = r.length_m;
                            h.route = r.path;
                        } else {
                            std::string why = "no road route between them";
                            for (const int e : {j.a, j.b})
                                if (const auto f = far_from_road.find(e); f != far_from_road.end())
                                    why = nodes[e].id + " is " + std::to_string(static_cast<long>(std::lround(f->second))) +
                                          " m from the nearest road (more than " +
                                          std::to_string(static_cast<long>(std::lround(o.max_drop_m))) + " m)";
                            h.warnings.push_back("fibre " + na.id + " - " + nb.id + ": " + why +
                                                 ", straight line x detour factor " +
                                                 std::to_string(tech.detour_factor).substr(0, 4) + " used");
                        }
                    }
                    results[static_cast<std::size_t>(k)].push_back(std::move(h));
                } else {
                    results[static_cast<std::size_t>(k)].push_back(
                        assess_hop({path.ground, path.clutter_m, na.mast_height_m, nb.mast_height_m}, tech, criteria,
                                   0.5 * (na.lat_deg + nb.lat_deg)));
                }
            }
        } catch (...) {
#pragma omp critical(dxplan_candidate_graph)
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);

    CandidateGraph g;
    g.pairs_profiled = profiled;
    for (auto [a, b] : colocated) {
        CandidateLink l;
        l.a = a, l.b = b, l.technology = kColocatedTechnology, l.length_m = d(a, b), l.capacity_mbps = 1e6;
        l.clearance_f1 = std::numeric_limits<double>::infinity();
        g.problem.links.push_back(l);
        HopAssessment h;
        h.length_m = l.length_m;
        g.assessments.push_back(h);
    }
    for (std::size_t k = 0; k < jobs.size(); ++k) {
        const std::size_t first = g.problem.links.size();
        for (std::size_t m = 0; m < jobs[k].techs.size(); ++m) {
            const BackhaulTechnology& tech = techs[static_cast<std::size_t>(jobs[k].techs[m])];
            const HopAssessment& h = results[k][m];
            CandidateLink l;
            l.a = jobs[k].a, l.b = jobs[k].b, l.technology = tech.name, l.length_m = h.length_m;
            l.capacity_mbps = tech.kind == BackhaulKind::access_radio ? h.capacity_mbps : tech.capacity_mbps;
            const bool fibre = tech.kind == BackhaulKind::fibre;
            const LinkCost cost = link_cost(tech, catalogue, fibre ? h.length_m : d(l.a, l.b));
            g.fibre_on_roads += fibre && !h.route.empty();
            if (fibre) g.warnings.insert(g.warnings.end(), h.warnings.begin(), h.warnings.end());
            l.capex_jpy = cost.capex_jpy;
            l.opex_jpy_per_year = cost.opex_jpy_per_year;
            l.cost_jpy = total_cost_jpy(cost, o.horizon_years, o.discount_rate);
            l.feasible = h.feasible;
            l.reason = h.reason;
            l.clearance_f1 = h.clearance_f1;
            l.availability_pct = h.availability_pct;
            l.fade_margin_db = h.fade_margin_db;
            g.problem.links.push_back(l);
            g.assessments.push_back(h);
        }
        if (!o.prune_dominated) continue;
        // Dominated parallel candidates of this pair (feasible ones only; rejected ones stay for the report).
        std::vector<char> drop(g.problem.links.size() - first, 0);
        for (std::size_t i = first; i < g.problem.links.size(); ++i) {
            const CandidateLink& li = g.problem.links[i];
            for (std::size_t j = first; j < g.problem.links.size() && li.feasible; ++j) {
                const CandidateLink& lj = g.problem.links[j];
                if (j == i || !lj.feasible || drop[j - first]) continue;
                const bool no_worse = lj.cost_jpy <= li.cost_jpy && lj.capacity_mbps >= li.capacity_mbps;
                const bool better = lj.cost_jpy < li.cost_jpy || lj.capacity_mbps > li.capacity_mbps;
                if (no_worse && (better || j < i)) { drop[i - first] = 1; break; }
            }
        }
        std::size_t w = first;
        for (std::size_t i = first; i < g.problem.links.size(); ++i) {
            if (drop[i - first]) { ++g.pruned; continue; }
            if (w != i) {  // (a self-move would empty the strings)
                g.problem.links[w] = std::move(g.problem.links[i]);
                g.assessments[w] = std::move(g.assessments[i]);
            }
            ++w;
        }
        g.problem.links.resize(w);
        g.assessments.resize(w);
    }
    g.problem.nodes = std::move(nodes);
    return g;
}

}  // namespace dxplan::net
