// dxplan backhaul: fibre routes along a road network.
//
// New fibre follows the roads (poles and ducts are along them), so its route is longer than the straight line.
// A road network is read from GeoJSON (LineString / MultiLineString features, EPSG:4326, through GDAL/OGR in the
// .cpp) into a plain graph: line vertices closer than a snap tolerance are merged into one vertex (road
// junctions drawn with slightly different coordinates; a line ending on another's segment splits it), each segment is an edge weighted by its geodesic length
// (GeographicLib through libsim/geo). A node (site, PoP, relay) joins the network at the nearest point of any
// road segment (its projection on the segment in a local tangent plane; the drop from the node to it is a
// straight cable whose geodesic length is added). The fibre route between two nodes is then
//     drop_a + shortest road path (Dijkstra, Boost.Graph) between the two attachment points + drop_b,
// and its geometry is the node, the attachment point, the road vertices, the attachment point, the node.
// Two nodes whose attachment points lie in different connected parts of the network (or a network without
// any segment) have no road route: the caller falls back to the straight line times the detour factor.
// Pure data and functions; routes_from() is thread safe (const graph, local labels).
#pragma once

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "libsim/terrain/terrain.hpp"  // LatLon

namespace dxplan::net {

struct RoadEdge {
    int a = 0;              // vertex indices
    int b = 0;
    double length_m = 0.0;  // geodesic length
};

struct RoadNetwork {
    std::vector<LatLon> vertices;
    std::vector<RoadEdge> edges;
    double snap_tolerance_m = 5.0;
};

// Builds the network from polylines (each a sequence of points): consecutive points become edges; a point
// within snap_tolerance_m of an existing vertex is merged into it; zero-length segments are dropped; a line
// end within snap_tolerance_m of another segment's interior (a T-junction drawn without a shared vertex)
// splits that segment there (candidate segments from a hash grid of 250 m cells).
// InputError for snap_tolerance_m outside [0, 1000] m or a coordinate outside the valid lat/lon range.
[[nodiscard]] RoadNetwork build_road_network(const std::vector<std::vector<LatLon>>& polylines, double snap_tolerance_m = 5.0);

// Reads a GeoJSON file of LineString / MultiLineString features (lon, lat in EPSG:4326; other geometry types
// are skipped). InputError naming `field` and the file when the file is missing, unreadable, not GeoJSON, or
// holds no line geometry.
[[nodiscard]] RoadNetwork load_road_network(const std::filesystem::path& file, const std::string& field,
                                            double snap_tolerance_m = 5.0);

// Where a node joins the road network.
struct RoadAttachment {
    int edge = -1;          // road edge; -1: the network has no edge
    double t = 0.0;         // position along the edge from its vertex a, [0, 1]
    LatLon point;           // the attachment point
    double drop_m = 0.0;    // straight drop cable from the node to the point (geodesic)
};
[[nodiscard]] RoadAttachment attach_to_roads(const RoadNetwork& roads, LatLon node);

struct RoadRoute {
    bool found = false;                  // false: no road path (different components, or no roads)
    double length_m = std::numeric_limits<double>::infinity();  // drops + road path
    double drop_m = 0.0;                 // both drops together
    std::vector<LatLon> path;            // node A, attachment A, road vertices..., attachment B, node B
};

// Fibre routes from node `from` to each node of `to` along the roads (one Dijkstra from `from`).
// `nodes` are the node positions, `attachments` their attach_to_roads() results (same order).
[[nodiscard]] std::vector<RoadRoute> routes_from(const RoadNetwork& roads, const std::vector<LatLon>& nodes,
                                                 const std::vector<RoadAttachment>& attachments, int from,
                                                 const std::vector<int>& to);

}  // namespace dxplan::net
