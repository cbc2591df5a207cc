// Fibre along a road network: an L-shaped road whose route length is worked out by hand, vertex snapping, a
// T-junction without a shared vertex, disconnected roads, GeoJSON reading (missing / invalid files name the file and the field), and the candidate
// graph using the roads of the default scenario's synthetic valley (with the straight-line fallback).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/network/candidate_graph.hpp"
#include "libsim/network/road_network.hpp"
#include "libsim/terrain/synthetic.hpp"
#include "tests/test_paths.hpp"

using namespace dxplan;
using namespace dxplan::net;
using Catch::Detail::Approx;

namespace {

// WGS84 radii of curvature at latitude phi (a = 6378137 m, e^2 = 0.00669437999):
//   N = a / sqrt(1 - e^2 sin^2 phi) (prime vertical), M = a (1 - e^2) / (1 - e^2 sin^2 phi)^1.5 (meridian).
// At 36 deg: sin^2 = 0.3454915, 1 - e^2 sin^2 = 0.9976871; N = 6385525.7 m, M = 6357482.4 m.
// A short east-west segment of dlon along the parallel: N cos(phi) dlon; north-south of dlat: M dlat.
//   0.01 deg east at 36 N: 6385525.7 x 0.8090170 x 1.7453293e-4 = 901.64 m
//   0.01 deg north from 36 N (M at 36.005 N: 6357487.7 m): 6357487.7 x 1.7453293e-4 = 1109.59 m
constexpr double kEastLegM = 901.64;
constexpr double kNorthLegM = 1109.59;

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() / name;
    std::ofstream(p) << text;
    return p;
}

}  // namespace

TEST_CASE("an L-shaped road gives the fibre route length worked out by hand", "[backhaul][roads]") {
    // A (36.00 N, 138.00 E) -> B (36.00 N, 138.01 E) -> C (36.01 N, 138.01 E); a second line continues from a point
    // 2 m east of C (merged into C by the 5 m snap tolerance) to D (36.02 N, 138.01 E).
    const LatLon A{36.0, 138.0}, B{36.0, 138.01}, C{36.01, 138.01}, D{36.02, 138.01};
    const LatLon C2{36.01, 138.01 + 2.0 / (6385525.6 * std::cos(36.01 * M_PI / 180.0) * M_PI / 180.0)};
    const RoadNetwork roads = build_road_network({{A, B, C}, {C2, D}}, 5.0);
    REQUIRE(roads.vertices.size() == 4);  // C2 merged into C
    REQUIRE(roads.edges.size() == 3);
    CHECK(roads.edges[0].length_m == Approx(kEastLegM).margin(0.05));   // tolerance 5 cm (hand-rounded radii)
    CHECK(roads.edges[1].length_m == Approx(kNorthLegM).margin(0.05));

    // Nodes: X on A, Y on C, Z 0.002 deg east of the middle of B-C (joins B-C at its middle by a drop cable),
    // W beside a separate road far away (no road path to the others).
    const LatLon Z{36.005, 138.012};
    const LatLon W{36.2, 138.2};
    RoadNetwork with_island = build_road_network({{A, B, C}, {C2, D}, {{36.2, 138.201}, {36.21, 138.201}}}, 5.0);
    const std::vector<LatLon> nodes{A, C, Z, W};
    std::vector<RoadAttachment> att;
    for (const LatLon& n : nodes) att.push_back(attach_to_roads(with_island, n));
    CHECK(att[0].drop_m == Approx(0.0).margin(1e-6));
    CHECK(att[2].t == Approx(0.5).margin(1e-3));
    // Drop of Z: 0.002 deg east at 36.005 N: N(36.005) cos(36.005) x 0.002 deg = 6385527.4 x 0.8089657 x 3.4906585e-5
    // = 180.31 m.
    CHECK(att[2].drop_m == Approx(180.31).margin(0.05));

    const std::vector<RoadRoute> r = routes_from(with_island, nodes, att, 0, {1, 2, 3});
    REQUIRE(r[0].found);
    // X -> Y: both legs of the L, no drop: 901.64 + 1109.59 = 2011.23 m (the straight line is 1429.7 m).
    CHECK(r[0].length_m == Approx(kEastLegM + kNorthLegM).margin(0.1));  // tolerance 10 cm
    CHECK(r[0].path.size() == 5);  // X, its attachment, B, Y's attachment, Y
    // X -> Z: east leg + half the north leg + Z's drop = 901.64 + 554.80 + 180.31 = 1636.75 m.
    REQUIRE(r[1].found);
    CHECK(r[1].length_m == Approx(kEastLegM + 0.5 * kNorthLegM + 180.31).margin(0.3));  // tolerance 30 cm
    CHECK(r[1].drop_m == Approx(180.31).margin(0.05));
    CHECK_FALSE(r[2].found);  // W's road is an island

    // Two nodes on the same road segment: the route runs along it between them.
    const std::vector<LatLon> two{{36.0, 138.002}, {36.0, 138.007}};
    const std::vector<RoadAttachment> att2{attach_to_roads(roads, two[0]), attach_to_roads(roads, two[1])};
    const std::vector<RoadRoute> r2 = routes_from(roads, two, att2, 0, {1});
    REQUIRE(r2[0].found);
    CHECK(r2[0].length_m == Approx(0.5 * kEastLegM).margin(0.05));
}

TEST_CASE("a road ending on another road's segment (T-junction without a shared vertex) is joined", "[backhaul][roads]") {
    // Road 1: A (36.00 N, 138.00 E) -> B (36.00 N, 138.01 E). Road 2 starts 2 m north of the middle of A-B
    // (36.00 N + 2 m, 138.005 E) and runs north to E (36.01 N, 138.005 E). Within the 5 m tolerance: A-B is split at
    // road 2's start. Route E -> A: road 2 (0.01 deg of meridian minus 2 m = 1109.59 - 2.00 = 1107.59 m) + from the
    // junction to A (half of A-B, 450.82 m, with the 2 m offset: sqrt(450.82^2 + 2^2) = 450.824 m) = 1558.41 m.
    const LatLon A{36.0, 138.0}, B{36.0, 138.01}, E{36.01, 138.005};
    const double two_m_deg = 2.0 / (6357482.4 * M_PI / 180.0);  // 2 m of meridian at 36 N (M = 6357482.4 m)
    const RoadNetwork roads = build_road_network({{A, B}, {{36.0 + two_m_deg, 138.005}, E}}, 5.0);
    CHECK(roads.vertices.size() == 4);
    CHECK(roads.edges.size() == 3);  // A-B split in two at the junction
    const std::vector<LatLon> nodes{E, A};
    const std::vector<RoadAttachment> att{attach_to_roads(roads, E), attach_to_roads(roads, A)};
    const std::vector<RoadRoute> r = routes_from(roads, nodes, att, 0, {1});
    REQUIRE(r[0].found);
    CHECK(r[0].length_m == Approx(1558.41).margin(0.1));  // tolerance 10 cm
    // With a 1 m tolerance the roads stay apart: no road route.
    const RoadNetwork apart = build_road_network({{A, B}, {{36.0 + two_m_deg, 138.005}, E}}, 1.0);
    const std::vector<RoadAttachment> att1{attach_to_roads(apart, E), attach_to_roads(apart, A)};
    CHECK_FALSE(routes_from(apart, nodes, att1, 0, {1})[0].found);
    // A 140 km diagonal segment (too many grid cells: kept apart and compared with every line end) is split too.
    const RoadNetwork diagonal = build_road_network({{{35.5, 137.5}, {36.5, 138.5}}, {{36.0 + two_m_deg, 138.0}, E}}, 5.0);
    CHECK(diagonal.vertices.size() == 4);
    CHECK(diagonal.edges.size() == 3);
}

TEST_CASE("road GeoJSON: read with OGR, a missing or invalid file names the file and the field", "[backhaul][roads]") {
    const auto good = write_temp("dxplan_roads_good.geojson", R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[138.0, 36.0], [138.01, 36.0], [138.01, 36.01]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [138.0, 36.0]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": [[[138.01, 36.01], [138.01, 36.02]]]}}]})");
    const RoadNetwork roads = load_road_network(good, "roads.yaml: backhaul.roads");
    CHECK(roads.vertices.size() == 4);  // the Point is skipped; the MultiLineString joins at (138.01, 36.01)
    CHECK(roads.edges.size() == 3);
    CHECK(roads.edges[0].length_m == Approx(kEastLegM).margin(0.05));

    const auto missing = std::filesystem::temp_directory_path() / "dxplan_no_such_roads.geojson";
    CHECK_THROWS_WITH(load_road_network(missing, "s.yaml: backhaul.roads"),
                      Catch::Contains("s.yaml: backhaul.roads") && Catch::Contains("dxplan_no_such_roads.geojson") &&
                          Catch::Contains("file not found"));
    const auto garbage = write_temp("dxplan_roads_bad.geojson", "this is not json {");
    CHECK_THROWS_AS(load_road_network(garbage, "s.yaml: backhaul.roads"), InputError);
    CHECK_THROWS_WITH(load_road_network(garbage, "s.yaml: backhaul.roads"),
                      Catch::Contains("s.yaml: backhaul.roads") && Catch::Contains("dxplan_roads_bad.geojson"));
    const auto points = write_temp("dxplan_roads_points.geojson", R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [138.0, 36.0]}}]})");
    CHECK_THROWS_WITH(load_road_network(points, "s.yaml: backhaul.roads"),
                      Catch::Contains("backhaul.roads") && Catch::Contains("no LineString"));
    CHECK_THROWS_AS(build_road_network({{{36.0, 138.0}, {36.0, 138.01}}}, -1.0), InputError);
    for (const auto& f : {good, garbage, points}) std::filesystem::remove(f);
}

TEST_CASE("the candidate graph routes fibre along the synthetic valley's roads", "[backhaul][roads][graph]") {
    const SyntheticValley v = make_synthetic_valley(1, load_clutter_table(default_clutter_table_path()));
    std::vector<Node> nodes;
    nodes.push_back({"town-hall", NodeKind::pop, v.town_hall.lat_deg, v.town_hall.lon_deg, 0.0, 20.0});
    for (std::size_t i = 1; i < v.places.size(); ++i)
        nodes.push_back({v.places[i].id, NodeKind::site, v.places[i].pos.lat_deg, v.places[i].pos.lon_deg, 50.0, 15.0});
    const auto techs = load_backhaul_technologies(default_backhaul_dir(), {"fibre"});
    const econ::Catalogue cat = econ::load_catalogue(econ::default_catalogue_path());
    const RoadNetwork roads = load_road_network(test::source_dir() / "scenarios" / "synthetic-valley-roads.geojson", "backhaul.roads");
    GraphOptions go;
    go.roads = &roads;
    const CandidateGraph g = build_candidate_graph(nodes, techs, cat, v.terrain, &v.land_cover, DesignCriteria{}, go);
    REQUIRE(!g.problem.links.empty());
    CHECK(g.warnings.empty());  // the file's roads are connected
    CHECK(g.fibre_on_roads == g.problem.links.size());
    for (std::size_t e = 0; e < g.problem.links.size(); ++e) {
        const CandidateLink& l = g.problem.links[e];
        const Node &a = g.problem.nodes[l.a], &b = g.problem.nodes[l.b];
        const double straight_m = geodesic_inverse({a.lat_deg, a.lon_deg}, {b.lat_deg, b.lon_deg}).d_m;
        CHECK(l.length_m >= straight_m);  // a road route is never shorter than the straight line
        CHECK(g.assessments[e].route.size() >= 4);
        // Cost per route km, at the route length.
        CHECK(l.capex_jpy == Approx(link_cost(techs[0], cat, l.length_m).capex_jpy));
    }

    // Roads cut into two pieces: the hamlets beyond the cut fall back to the straight line x 1.3, with a warning.
    const RoadNetwork cut = build_road_network({v.roads[0]}, 5.0);  // the valley road only, no branches
    RoadNetwork island = build_road_network({{{v.places[1].pos.lat_deg + 0.001, v.places[1].pos.lon_deg},
                                               {v.places[1].pos.lat_deg + 0.002, v.places[1].pos.lon_deg}}}, 5.0);
    RoadNetwork both = cut;
    const int offset = static_cast<int>(both.vertices.size());
    both.vertices.insert(both.vertices.end(), island.vertices.begin(), island.vertices.end());
    for (RoadEdge e : island.edges) both.edges.push_back({e.a + offset, e.b + offset, e.length_m});
    go.roads = &both;
    const CandidateGraph h = build_candidate_graph(nodes, techs, cat, v.terrain, &v.land_cover, DesignCriteria{}, go);
    REQUIRE(!h.warnings.empty());
    CHECK_THAT(h.warnings.front(), Catch::Contains("no road route") && Catch::Contains(v.places[1].id));
    for (std::size_t e = 0; e < h.problem.links.size(); ++e) {
        const CandidateLink& l = h.problem.links[e];
        if (!h.assessments[e].route.empty()) continue;
        const Node &a = h.problem.nodes[l.a], &b = h.problem.nodes[l.b];
        CHECK(l.length_m == Approx(1.3 * geodesic_inverse({a.lat_deg, a.lon_deg}, {b.lat_deg, b.lon_deg}).d_m).epsilon(1e-9));
    }
}

TEST_CASE("a node far from every road keeps the straight-line fibre, with a warning naming it", "[backhaul][roads][graph]") {
    // A road 0.02 deg (2.2 km) north of the town hall, none near the hamlets: every node is more than
    // max_drop_m = 500 m from it, so no fibre follows it (a cross-country drop is not a road route).
    const SyntheticValley v = make_synthetic_valley(1, load_clutter_table(default_clutter_table_path()));
    std::vector<Node> nodes{{"town-hall", NodeKind::pop, v.town_hall.lat_deg, v.town_hall.lon_deg, 0.0, 20.0},
                            {v.places[1].id, NodeKind::site, v.places[1].pos.lat_deg, v.places[1].pos.lon_deg, 50.0, 15.0}};
    const double north_deg = std::max(v.town_hall.lat_deg, v.places[1].pos.lat_deg) + 0.02;
    const RoadNetwork far = build_road_network({{{north_deg, v.town_hall.lon_deg - 0.05}, {north_deg, v.town_hall.lon_deg + 0.05}}}, 5.0);
    const auto techs = load_backhaul_technologies(default_backhaul_dir(), {"fibre"});
    GraphOptions go;
    go.roads = &far;
    const CandidateGraph g = build_candidate_graph(nodes, techs, econ::load_catalogue(econ::default_catalogue_path()),
                                                   v.terrain, &v.land_cover, DesignCriteria{}, go);
    REQUIRE(g.problem.links.size() == 1);
    CHECK(g.fibre_on_roads == 0);
    const Node &a = g.problem.nodes[0], &b = g.problem.nodes[1];
    CHECK(g.problem.links[0].length_m ==
          Approx(1.3 * geodesic_inverse({a.lat_deg, a.lon_deg}, {b.lat_deg, b.lon_deg}).d_m).epsilon(1e-9));
    REQUIRE(g.warnings.size() == 1);
    CHECK_THAT(g.warnings.front(), Catch::Contains("from the nearest road (more than 500 m)"));
    go.max_drop_m = 1e5;  // with no limit the 2.2 km drops would be taken as road routes
    CHECK(build_candidate_graph(nodes, techs, econ::load_catalogue(econ::default_catalogue_path()), v.terrain,
                                &v.land_cover, DesignCriteria{}, go).fibre_on_roads == 1);
}
