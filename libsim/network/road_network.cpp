#include "libsim/network/road_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "libsim/core/error.hpp"
#include "libsim/core/input_file.hpp"
#include "libsim/core/units.hpp"
#include "libsim/geo/geo.hpp"

namespace dxplan::net {

namespace {

// Local tangent plane (equirectangular) around `origin`, metres east / north: used only to find the nearest
// point of a segment; the lengths themselves are geodesic.
struct Local {
    double x_m, y_m;
};
Local to_local(LatLon origin, LatLon p) {
    const double cos_lat = std::cos(deg_to_rad(origin.lat_deg));
    return {deg_to_rad(p.lon_deg - origin.lon_deg) * kEarthRadiusMean_m * cos_lat,
            deg_to_rad(p.lat_deg - origin.lat_deg) * kEarthRadiusMean_m};
}

// Key of grid cell (row r, column c) in the hash grids below.
std::uint64_t cell_key(std::int64_t r, std::int64_t c) {
    return (static_cast<std::uint64_t>(r) << 32) ^ (static_cast<std::uint64_t>(c) & 0xffffffffULL);
}

// Vertex merging within the snap tolerance: a hash grid of cells at least one tolerance wide (longitude cells
// sized at the network's highest latitude), each point compared with the vertices of the 3 x 3 cells around it.
class Snapper {
public:
    Snapper(double tolerance_m, double lat0_deg) : tol_m_(tolerance_m) {
        const double cell_m = std::max(tolerance_m, 0.01);
        dlat_deg_ = rad_to_deg(cell_m / kEarthRadiusMean_m);
        dlon_deg_ = dlat_deg_ / std::max(0.01, std::cos(deg_to_rad(lat0_deg)));
    }

    int vertex(LatLon p, std::vector<LatLon>& vertices) {
        const std::int64_t r = static_cast<std::int64_t>(std::floor(p.lat_deg / dlat_deg_));
        const std::int64_t c = static_cast<std::int64_t>(std::floor(p.lon_deg / dlon_deg_));
        int best = -1;
        double best_m = tol_m_;
        for (std::int64_t dr = -1; dr <= 1; ++dr)
            for (std::int64_t dc = -1; dc <= 1; ++dc) {
                const auto it = cells_.find(cell_key(r + dr, c + dc));
                if (it == cells_.end()) continue;
                for (int v : it->second) {
                    const double d_m = geodesic_inverse(p, vertices[static_cast<std::size_t>(v)]).d_m;
                    if (d_m <= best_m) best_m = d_m, best = v;
                }
            }
        if (best >= 0) return best;
        vertices.push_back(p);
        const int v = static_cast<int>(vertices.size()) - 1;
        cells_[cell_key(r, c)].push_back(v);
        return v;
    }

private:
    double tol_m_;
    double dlat_deg_ = 0.0;
    double dlon_deg_ = 0.0;
    std::unordered_map<std::uint64_t, std::vector<int>> cells_;
};

// Segments by cell of a hash grid (cells of cell_m, longitude cells sized at the network's highest latitude
// lat0_deg), each segment listed in every cell its bounding box widened by pad_m overlaps: a point within pad_m
// of a segment (in the tangent plane at the point, whose |latitude| <= lat0_deg) lies in one of those cells, so a
// line end is compared only with the segments listed in its own cell.
class SegmentGrid {
public:
    SegmentGrid(double cell_m, double pad_m, double lat0_deg) {
        const double cos_lat0 = std::max(0.01, std::cos(deg_to_rad(lat0_deg)));
        dlat_deg_ = rad_to_deg(cell_m / kEarthRadiusMean_m);
        dlon_deg_ = dlat_deg_ / cos_lat0;
        pad_lat_deg_ = rad_to_deg(pad_m / kEarthRadiusMean_m);
        pad_lon_deg_ = pad_lat_deg_ / cos_lat0;
    }
    void add(int e, LatLon a, LatLon b) {
        const auto r0 = row(std::min(a.lat_deg, b.lat_deg) - pad_lat_deg_), r1 = row(std::max(a.lat_deg, b.lat_deg) + pad_lat_deg_);
        const auto c0 = col(std::min(a.lon_deg, b.lon_deg) - pad_lon_deg_), c1 = col(std::max(a.lon_deg, b.lon_deg) + pad_lon_deg_);
        if ((r1 - r0 + 1) * (c1 - c0 + 1) > kMaxCells) {  // a very long segment (or a stray point far away)
            wide_.push_back(e);
            return;
        }
        for (std::int64_t r = r0; r <= r1; ++r)
            for (std::int64_t c = c0; c <= c1; ++c) cells_[cell_key(r, c)].push_back(e);
    }
    // The segments listed in p's cell and the very long ones, ascending.
    std::vector<int> near(LatLon p) const {
        std::vector<int> out = wide_;
        const auto it = cells_.find(cell_key(row(p.lat_deg), col(p.lon_deg)));
        if (it != cells_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    std::int64_t row(double lat_deg) const { return static_cast<std::int64_t>(std::floor(lat_deg / dlat_deg_)); }
    std::int64_t col(double lon_deg) const { return static_cast<std::int64_t>(std::floor(lon_deg / dlon_deg_)); }
    static constexpr std::int64_t kMaxCells = 4096;  // cells per segment; beyond: compared with every line end
    double dlat_deg_ = 0.0, dlon_deg_ = 0.0, pad_lat_deg_ = 0.0, pad_lon_deg_ = 0.0;
    std::unordered_map<std::uint64_t, std::vector<int>> cells_;
    std::vector<int> wide_;
};

// The point of segment a-b nearest to p, in the tangent plane at p: position t in [0, 1] from a, distance.
struct Projection {
    double t = 0.0;
    double d_m = 0.0;
};
Projection project(LatLon p, LatLon a_pos, LatLon b_pos) {
    const Local a = to_local(p, a_pos), b = to_local(p, b_pos);
    const double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0.0 ? std::clamp(-(a.x_m * dx + a.y_m * dy) / len2, 0.0, 1.0) : 0.0;  // p is the origin
    return {t, std::hypot(a.x_m + t * dx, a.y_m + t * dy)};
}

}  // namespace

RoadNetwork build_road_network(const std::vector<std::vector<LatLon>>& polylines, double snap_tolerance_m) {
    if (!(snap_tolerance_m >= 0.0 && snap_tolerance_m <= 1000.0))
        throw InputError("roads snap tolerance = " + std::to_string(snap_tolerance_m) + " m: must be in [0, 1000] m");
    RoadNetwork net;
    net.snap_tolerance_m = snap_tolerance_m;
    double max_abs_lat_deg = 0.0;  // longitude cells sized where a degree is shortest: at least one tolerance wide
    for (const auto& line : polylines)
        for (const LatLon& p : line) max_abs_lat_deg = std::max(max_abs_lat_deg, std::min(89.0, std::abs(p.lat_deg)));
    Snapper snap(snap_tolerance_m, max_abs_lat_deg);
    for (std::size_t k = 0; k < polylines.size(); ++k) {
        int prev = -1;
        for (const LatLon& p : polylines[k]) {
            if (!(std::abs(p.lat_deg) <= 90.0 && std::abs(p.lon_deg) <= 180.0))
                throw InputError("roads line " + std::to_string(k) + ": point (" + std::to_string(p.lat_deg) + ", " +
                                 std::to_string(p.lon_deg) + ") outside lat [-90, 90], lon [-180, 180] (EPSG:4326 lon, lat order)");
            const int v = snap.vertex(p, net.vertices);
            if (prev >= 0 && v != prev) {
                const double d_m = geodesic_inverse(net.vertices[static_cast<std::size_t>(prev)], net.vertices[static_cast<std::size_t>(v)]).d_m;
                net.edges.push_back({prev, v, d_m});
            }
            prev = v;
        }
    }
    // T-junctions: a line end (a vertex on one segment only) within the snap tolerance of the interior of another
    // segment is joined to it: that segment is split at the line end.
    // Candidate segments come from a grid of 250 m cells.
    std::vector<int> degree(net.vertices.size(), 0);
    SegmentGrid grid(std::max(250.0, snap_tolerance_m), snap_tolerance_m, max_abs_lat_deg);
    for (std::size_t e = 0; e < net.edges.size(); ++e) {
        const RoadEdge& r = net.edges[e];
        ++degree[static_cast<std::size_t>(r.a)], ++degree[static_cast<std::size_t>(r.b)];
        grid.add(static_cast<int>(e), net.vertices[static_cast<std::size_t>(r.a)], net.vertices[static_cast<std::size_t>(r.b)]);
    }
    for (std::size_t v = 0; v < net.vertices.size(); ++v) {
        if (degree[v] != 1) continue;
        const LatLon p = net.vertices[v];
        int best = -1;
        double best_m = snap_tolerance_m;
        for (const int e : grid.near(p)) {
            const RoadEdge& r = net.edges[static_cast<std::size_t>(e)];
            if (static_cast<std::size_t>(r.a) == v || static_cast<std::size_t>(r.b) == v) continue;
            const Projection q = project(p, net.vertices[static_cast<std::size_t>(r.a)], net.vertices[static_cast<std::size_t>(r.b)]);
            if (q.t > 0.0 && q.t < 1.0 && q.d_m <= best_m) best_m = q.d_m, best = e;
        }
        if (best < 0) continue;
        const RoadEdge old = net.edges[static_cast<std::size_t>(best)];
        const int vi = static_cast<int>(v);
        net.edges[static_cast<std::size_t>(best)] = {old.a, vi, geodesic_inverse(net.vertices[static_cast<std::size_t>(old.a)], p).d_m};
        net.edges.push_back({vi, old.b, geodesic_inverse(p, net.vertices[static_cast<std::size_t>(old.b)]).d_m});
        // The second half is listed; the first half stays listed under the whole segment's (wider) cells.
        grid.add(static_cast<int>(net.edges.size()) - 1, p, net.vertices[static_cast<std::size_t>(old.b)]);
        degree[v] += 2;
    }
    return net;
}

RoadNetwork load_road_network(const std::filesystem::path& file, const std::string& field, double snap_tolerance_m) {
    const std::string who = field + " = " + file.string();
    try {
        check_input_file(file, "");  // exists, regular, readable, before GDAL sees it
    } catch (const InputError& e) {
        throw InputError(field + " = " + e.what());
    }
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
    const char* const drivers[] = {"GeoJSON", nullptr};
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDataset* raw = static_cast<GDALDataset*>(
        GDALOpenEx(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    const std::string gdal_msg = CPLGetLastErrorMsg();
    CPLPopErrorHandler();
    if (raw == nullptr)
        throw InputError(who + ": not a readable GeoJSON file of LineString / MultiLineString roads" +
                         (gdal_msg.empty() ? std::string() : " (" + gdal_msg + ")"));
    const std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(raw, [](GDALDataset* d) { GDALClose(d); });
    std::vector<std::vector<LatLon>> lines;
    auto add_line = [&](const OGRLineString& ls) {
        std::vector<LatLon> pts;
        for (int i = 0; i < ls.getNumPoints(); ++i) pts.push_back({ls.getY(i), ls.getX(i)});  // GeoJSON: lon, lat
        lines.push_back(std::move(pts));
    };
    for (OGRLayer* layer : ds->GetLayers()) {
        const OGRSpatialReference* srs = layer->GetSpatialRef();
        if (srs != nullptr && !srs->IsGeographic())
            throw InputError(who + ": projected coordinates: roads must be in EPSG:4326 (lon, lat degrees)");
        for (const auto& feature : *layer) {
            const OGRGeometry* g = feature->GetGeometryRef();
            if (g == nullptr) continue;
            const auto type = wkbFlatten(g->getGeometryType());
            if (type == wkbLineString) add_line(*g->toLineString());
            else if (type == wkbMultiLineString)
                for (const OGRLineString* part : *g->toMultiLineString()) add_line(*part);
        }
    }
    if (lines.empty()) throw InputError(who + ": no LineString or MultiLineString feature (roads must be lines)");
    try {
        return build_road_network(lines, snap_tolerance_m);
    } catch (const InputError& e) {
        throw InputError(who + ": " + e.what());
    }
}

RoadAttachment attach_to_roads(const RoadNetwork& roads, LatLon node) {
    RoadAttachment best;
    double best_m = std::numeric_limits<double>::infinity();
    for (std::size_t e = 0; e < roads.edges.size(); ++e) {
        const RoadEdge& r = roads.edges[e];
        const Projection q = project(node, roads.vertices[static_cast<std::size_t>(r.a)], roads.vertices[static_cast<std::size_t>(r.b)]);
        if (q.d_m < best_m) {
            best_m = q.d_m;
            best.edge = static_cast<int>(e);
            best.t = q.t;
        }
    }
    if (best.edge < 0) return best;
    const RoadEdge& r = roads.edges[static_cast<std::size_t>(best.edge)];
    const LatLon pa = roads.vertices[static_cast<std::size_t>(r.a)], pb = roads.vertices[static_cast<std::size_t>(r.b)];
    best.point = {pa.lat_deg + best.t * (pb.lat_deg - pa.lat_deg), pa.lon_deg + best.t * (pb.lon_deg - pa.lon_deg)};
    best.drop_m = geodesic_inverse(node, best.point).d_m;
    return best;
}

std::vector<RoadRoute> routes_from(const RoadNetwork& roads, const std::vector<LatLon>& nodes,
                                   const std::vector<RoadAttachment>& att, int from, const std::vector<int>& to) {
    std::vector<RoadRoute> out(to.size());
    const RoadAttachment& s = att.at(static_cast<std::size_t>(from));
    if (s.edge < 0) return out;
    // Road vertices plus one source vertex joined to both ends of the source's road edge.
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                        boost::property<boost::edge_weight_t, double>>;
    const std::size_t nv = roads.vertices.size();
    Graph g(nv + 1);
    for (const RoadEdge& e : roads.edges) boost::add_edge(static_cast<std::size_t>(e.a), static_cast<std::size_t>(e.b), e.length_m, g);
    const RoadEdge& se = roads.edges[static_cast<std::size_t>(s.edge)];
    boost::add_edge(nv, static_cast<std::size_t>(se.a), s.t * se.length_m, g);
    boost::add_edge(nv, static_cast<std::size_t>(se.b), (1.0 - s.t) * se.length_m, g);
    std::vector<double> dist(nv + 1);
    std::vector<std::size_t> pred(nv + 1);
    boost::dijkstra_shortest_paths(g, nv, boost::predecessor_map(pred.data()).distance_map(dist.data()));
    for (double& d : dist)  // Boost marks unreached vertices with the largest finite double
        if (d == std::numeric_limits<double>::max()) d = std::numeric_limits<double>::infinity();

    for (std::size_t k = 0; k < to.size(); ++k) {
        const RoadAttachment& d = att.at(static_cast<std::size_t>(to[k]));
        if (d.edge < 0) continue;
        const RoadEdge& de = roads.edges[static_cast<std::size_t>(d.edge)];
        const double via_a = dist[static_cast<std::size_t>(de.a)] + d.t * de.length_m;
        const double via_b = dist[static_cast<std::size_t>(de.b)] + (1.0 - d.t) * de.length_m;
        const bool same_edge = d.edge == s.edge;
        const double direct = same_edge ? std::abs(d.t - s.t) * se.length_m : std::numeric_limits<double>::infinity();
        const double road_m = std::min({via_a, via_b, direct});
        if (!std::isfinite(road_m)) continue;
        RoadRoute& r = out[k];
        r.found = true;
        r.drop_m = s.drop_m + d.drop_m;
        r.length_m = road_m + r.drop_m;
        // Geometry: node, attachment, road vertices back to the source vertex (reversed), attachment, node.
        std::vector<LatLon> mid;
        if (road_m != direct) {
            for (std::size_t v = static_cast<std::size_t>(via_a <= via_b ? de.a : de.b); v != nv; v = pred[v])
                mid.push_back(roads.vertices[v]);
            std::reverse(mid.begin(), mid.end());
        }
        r.path = {nodes.at(static_cast<std::size_t>(from)), s.point};
        r.path.insert(r.path.end(), mid.begin(), mid.end());
        r.path.push_back(d.point);
        r.path.push_back(nodes.at(static_cast<std::size_t>(to[k])));
    }
    return out;
}

}  // namespace dxplan::net
