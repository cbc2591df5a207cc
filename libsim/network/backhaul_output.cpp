#include "libsim/network/backhaul_output.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/core/text.hpp"

namespace dxplan::net {

namespace fs = std::filesystem;

namespace {

const char* kind_name(NodeKind k) { return k == NodeKind::site ? "site" : k == NodeKind::pop ? "pop" : "relay"; }

// A finite number, or null (JSON has no infinity: unobstructed paths have infinite clearance).
nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string csv_num(double v) {
    if (!std::isfinite(v)) return "";
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

std::string csv_text(const std::string& t) {
    std::string q = "\"";
    for (char c : t) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// The geometry of candidate link e: its road route (fibre along the roads), else the straight line.
std::vector<LatLon> route_of(const CandidateGraph& g, std::size_t e) {
    if (e < g.assessments.size() && !g.assessments[e].route.empty()) return g.assessments[e].route;
    const Node &a = g.problem.nodes[g.problem.links[e].a], &b = g.problem.nodes[g.problem.links[e].b];
    return {{a.lat_deg, a.lon_deg}, {b.lat_deg, b.lon_deg}};
}

}  // namespace

std::vector<BomLine> bill_of_materials(const BackhaulProblem& p, const BackhaulPlan& plan,
                                       const std::vector<BackhaulTechnology>& techs) {
    std::map<std::string, BomLine> by;
    for (std::size_t e : plan.links) {
        const CandidateLink& l = p.links[e];
        BomLine& b = by[l.technology];
        b.technology = l.technology;
        b.links += 1.0;
        b.capex_jpy += l.capex_jpy;
        b.opex_jpy_per_year += l.opex_jpy_per_year;
        b.cost_jpy += l.cost_jpy;
        for (const auto& t : techs)
            if (t.name == l.technology) {
                b.catalogue_item = t.catalogue_item;
                b.unit = t.kind == BackhaulKind::fibre ? "km" : "hop";
                b.quantity += t.cost_units * (t.kind == BackhaulKind::fibre ? l.length_m / 1000.0 : 1.0);
            }
    }
    std::vector<BomLine> out;
    for (auto& [_, b] : by) out.push_back(b);
    return out;
}

std::vector<std::string> write_backhaul_outputs(const fs::path& dir, const CandidateGraph& g, const BackhaulPlan& plan,
                                                const std::vector<BackhaulTechnology>& techs, const BackhaulRunInfo& info) {
    const BackhaulProblem& p = g.problem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw InputError(dir.string() + ": cannot create the output directory: " + ec.message());
    std::vector<double> flow(p.links.size(), 0.0);
    for (std::size_t i = 0; i < plan.links.size(); ++i) flow[plan.links[i]] = i < plan.flow_mbps.size() ? plan.flow_mbps[i] : 0.0;
    std::vector<std::string> written;

    // GeoJSON: nodes (Points) and chosen links (LineStrings).
    nlohmann::json fc = {{"type", "FeatureCollection"}, {"features", nlohmann::json::array()}};
    for (const Node& n : p.nodes)
        fc["features"].push_back({{"type", "Feature"},
                                  {"geometry", {{"type", "Point"}, {"coordinates", {n.lon_deg, n.lat_deg}}}},
                                  {"properties", {{"id", n.id}, {"kind", kind_name(n.kind)}, {"demand_mbps", n.demand_mbps},
                                                  {"mast_height_m", n.mast_height_m}}}});
    for (std::size_t e : plan.links) {
        const CandidateLink& l = p.links[e];
        const Node &a = p.nodes[l.a], &b = p.nodes[l.b];
        nlohmann::json line = nlohmann::json::array();
        for (const LatLon& q : route_of(g, e)) line.push_back({q.lon_deg, q.lat_deg});
        fc["features"].push_back(
            {{"type", "Feature"},
             {"geometry", {{"type", "LineString"}, {"coordinates", line}}},
             {"properties", {{"a", a.id}, {"b", b.id}, {"technology", l.technology}, {"capacity_mbps", l.capacity_mbps},
                             {"flow_mbps", flow[e]}, {"length_m", l.length_m}, {"clearance_f1", num(l.clearance_f1)},
                             {"availability_pct", l.availability_pct}, {"fade_margin_db", l.fade_margin_db},
                             {"capex_jpy", l.capex_jpy}, {"opex_jpy_per_year", l.opex_jpy_per_year}, {"cost_jpy", l.cost_jpy}}}});
    }
    write_text_atomically(dir / "backhaul.geojson", fc.dump(1) + "\n");
    written.emplace_back("backhaul.geojson");

    // KML: one folder of nodes, one of links.
    std::ostringstream k;
    k.precision(10);
    k << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
      << "<name>" << xml_escape(info.scenario) << " backhaul</name>\n<Folder><name>Nodes</name>\n";
    for (const Node& n : p.nodes)
        k << "<Placemark><name>" << xml_escape(n.id) << "</name><description>" << kind_name(n.kind) << ", mast " << n.mast_height_m
          << " m, demand " << n.demand_mbps << " Mbps</description><Point><coordinates>" << n.lon_deg << "," << n.lat_deg
          << ",0</coordinates></Point></Placemark>\n";
    k << "</Folder>\n<Folder><name>Links</name>\n";
    for (std::size_t e : plan.links) {
        const CandidateLink& l = p.links[e];
        const Node &a = p.nodes[l.a], &b = p.nodes[l.b];
        k << "<Placemark><name>" << xml_escape(a.id + " - " + b.id) << "</name><description>" << xml_escape(l.technology) << ": "
          << l.length_m / 1000.0 << " km, capacity " << l.capacity_mbps << " Mbps, flow " << flow[e] << " Mbps, clearance "
          << csv_num(l.clearance_f1) << " F1, availability " << csv_num(l.availability_pct) << " %, margin " << l.fade_margin_db
          << " dB, cost " << std::llround(l.cost_jpy) << " JPY</description><LineString><coordinates>";
        for (const LatLon& q : route_of(g, e)) k << q.lon_deg << "," << q.lat_deg << ",0 ";
        k << "</coordinates></LineString></Placemark>\n";
    }
    k << "</Folder>\n</Document>\n</kml>\n";
    write_text_atomically(dir / "backhaul.kml", k.str());
    written.emplace_back("backhaul.kml");

    // Chosen links.
    std::ostringstream lc;
    lc << "a,b,technology,length_m,capacity_mbps,flow_mbps,clearance_f1,min_clearance_m,availability_pct,fade_margin_db,"
          "path_loss_db,capex_jpy,opex_jpy_per_year,cost_jpy\n";
    for (std::size_t e : plan.links) {
        const CandidateLink& l = p.links[e];
        const HopAssessment& h = g.assessments[e];
        lc << csv_text(p.nodes[l.a].id) << "," << csv_text(p.nodes[l.b].id) << "," << l.technology << "," << csv_num(l.length_m)
           << "," << csv_num(l.capacity_mbps) << "," << csv_num(flow[e]) << "," << csv_num(l.clearance_f1) << ","
           << csv_num(h.min_clearance_m) << "," << csv_num(l.availability_pct) << "," << csv_num(l.fade_margin_db) << ","
           << csv_num(h.path_loss_db) << "," << csv_num(l.capex_jpy) << "," << csv_num(l.opex_jpy_per_year) << ","
           << csv_num(l.cost_jpy) << "\n";
    }
    write_text_atomically(dir / "backhaul_links.csv", lc.str());
    written.emplace_back("backhaul_links.csv");

    // Bill of materials.
    const std::vector<BomLine> bom = bill_of_materials(p, plan, techs);
    std::ostringstream bc;
    bc << "technology,catalogue_item,links,quantity,unit,capex_jpy,opex_jpy_per_year,cost_jpy\n";
    double capex = 0.0, opex = 0.0, cost = 0.0;
    for (const BomLine& b : bom) {
        bc << b.technology << "," << b.catalogue_item << "," << b.links << "," << csv_num(b.quantity) << "," << b.unit << ","
           << csv_num(b.capex_jpy) << "," << csv_num(b.opex_jpy_per_year) << "," << csv_num(b.cost_jpy) << "\n";
        capex += b.capex_jpy, opex += b.opex_jpy_per_year, cost += b.cost_jpy;
    }
    bc << "total,,," << ",," << csv_num(capex) << "," << csv_num(opex) << "," << csv_num(cost) << "\n";
    write_text_atomically(dir / "backhaul_bom.csv", bc.str());
    written.emplace_back("backhaul_bom.csv");

    // Rejected candidate hops, with the reason.
    std::ostringstream rc;
    rc << "a,b,technology,length_m,reason\n";
    std::size_t rejected = 0;
    for (const CandidateLink& l : p.links)
        if (!l.feasible) {
            ++rejected;
            rc << csv_text(p.nodes[l.a].id) << "," << csv_text(p.nodes[l.b].id) << "," << l.technology << ","
               << csv_num(l.length_m) << "," << csv_text(l.reason) << "\n";
        }
    write_text_atomically(dir / "backhaul_rejected.csv", rc.str());
    written.emplace_back("backhaul_rejected.csv");

    // Summary.
    nlohmann::json s;
    s["scenario"] = info.scenario;
    s["solver"] = plan.solver;
    s["optimal"] = plan.optimal;
    s["solved"] = plan.solved;
    s["cost_jpy"] = plan.cost_jpy;
    s["capex_jpy"] = capex;
    s["opex_jpy_per_year"] = opex;
    s["max_hops"] = p.max_hops;
    s["redundancy"] = p.redundancy;
    std::size_t sites = 0, pops = 0, relays = 0, relays_used = 0;
    std::vector<bool> used(p.nodes.size(), false);
    for (std::size_t e : plan.links) used[p.links[e].a] = used[p.links[e].b] = true;
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        const NodeKind kd = p.nodes[i].kind;
        sites += kd == NodeKind::site, pops += kd == NodeKind::pop, relays += kd == NodeKind::relay;
        relays_used += kd == NodeKind::relay && used[i];
    }
    s["nodes"] = {{"sites", sites}, {"pops", pops}, {"relay_candidates", relays}, {"relays_used", relays_used}};
    s["candidates"] = {{"links", p.links.size()}, {"rejected", rejected}, {"dominated_left_out", g.pruned},
                       {"pairs_profiled", g.pairs_profiled}, {"fibre_on_roads", g.fibre_on_roads}};
    s["warnings"] = g.warnings;
    s["links"] = plan.links.size();
    s["unconnected"] = nlohmann::json::array();
    for (int v : plan.unconnected) s["unconnected"].push_back(p.nodes[static_cast<std::size_t>(v)].id);
    s["without_second_path"] = nlohmann::json::array();
    for (int v : plan.without_second_path) s["without_second_path"].push_back(p.nodes[static_cast<std::size_t>(v)].id);
    s["by_technology"] = nlohmann::json::array();
    for (const BomLine& b : bom)
        s["by_technology"].push_back({{"technology", b.technology}, {"links", b.links}, {"quantity", b.quantity}, {"unit", b.unit},
                                      {"capex_jpy", b.capex_jpy}, {"opex_jpy_per_year", b.opex_jpy_per_year}, {"cost_jpy", b.cost_jpy}});
    s["timing_s"] = {{"candidate_graph", info.graph_build_s}, {"solve", info.solve_s}};
    s["files"] = written;
    write_text_atomically(dir / "backhaul_summary.json", s.dump(2) + "\n");
    written.emplace_back("backhaul_summary.json");
    return written;
}

}  // namespace dxplan::net
