// Route files, sampling along the geodesic, self-overlap check, intersections from roads (route.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/route/route.hpp"

namespace dxplan::route {

namespace {

struct DatasetCloser {
    void operator()(GDALDataset* d) const { GDALClose(d); }
};

std::vector<LatLon> line_points(const OGRLineString& ls) {
    std::vector<LatLon> pts;
    for (int i = 0; i < ls.getNumPoints(); ++i) {
        const LatLon p{ls.getY(i), ls.getX(i)};
        if (pts.empty() || pts.back().lat_deg != p.lat_deg || pts.back().lon_deg != p.lon_deg) pts.push_back(p);
    }
    return pts;
}

// One layer's features into the geometry; GPX layers: tracks / routes (lines), waypoints (points); others skipped.
void read_layer(OGRLayer& layer, const std::string& file, RouteGeometry& g) {
    layer.ResetReading();
    for (auto& feature : layer) {
        const OGRGeometry* geom = feature->GetGeometryRef();
        if (!geom) continue;
        switch (wkbFlatten(geom->getGeometryType())) {
        case wkbLineString: g.parts.push_back(line_points(*geom->toLineString())); break;
        case wkbMultiLineString:
            for (const OGRLineString* part : *geom->toMultiLineString()) g.parts.push_back(line_points(*part));
            break;
        case wkbPoint: g.intersections.push_back({geom->toPoint()->getY(), geom->toPoint()->getX()}); break;
        default:
            throw InputError(file + ": feature " + std::to_string(feature->GetFID()) + ": geometry " +
                             OGRGeometryTypeToName(geom->getGeometryType()) +
                             ": must be a LineString or MultiLineString (Point features: intersections)");
        }
    }
}

// Local metric plane around a reference latitude (equirectangular: for proximity checks only).
struct Plane {
    double lat0_rad;
    [[nodiscard]] std::pair<double, double> xy(LatLon p) const {
        return {deg_to_rad(p.lon_deg) * std::cos(lat0_rad) * kEarthRadiusMean_m, deg_to_rad(p.lat_deg) * kEarthRadiusMean_m};
    }
};

double speed_at(const std::vector<SpeedSegment>& speeds, double s_m) {
    double v = speeds.front().speed_kmh;
    for (const SpeedSegment& seg : speeds)
        if (seg.from_m <= s_m) v = seg.speed_kmh;
    return v / 3.6;
}

// The self-overlap rule of sample_route(): runs of samples close to a far stretch of the route.
void check_self_overlap(const std::vector<Sample>& samples, double spacing_m, const std::string& where) {
    if (samples.size() < 3) return;
    const Plane plane{deg_to_rad(samples.front().pos.lat_deg)};
    const double tol_m = 0.5 * spacing_m + 0.5;
    const double cell_m = std::max(tol_m, 1.0);
    std::map<std::pair<long, long>, std::vector<std::size_t>> grid;
    std::vector<std::pair<double, double>> xy(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        xy[i] = plane.xy(samples[i].pos);
        grid[{std::lround(std::floor(xy[i].first / cell_m)), std::lround(std::floor(xy[i].second / cell_m))}].push_back(i);
    }
    double run_m = 0.0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const long gx = std::lround(std::floor(xy[i].first / cell_m)), gy = std::lround(std::floor(xy[i].second / cell_m));
        bool close = false;
        for (long dx = -1; dx <= 1 && !close; ++dx)
            for (long dy = -1; dy <= 1 && !close; ++dy) {
                const auto it = grid.find({gx + dx, gy + dy});
                if (it == grid.end()) continue;
                for (std::size_t j : it->second) {
                    if (std::abs(samples[j].s_m - samples[i].s_m) < 4.0 * spacing_m) continue;
                    if (std::hypot(xy[j].first - xy[i].first, xy[j].second - xy[i].second) <= tol_m) {
                        close = true;
                        break;
                    }
                }
            }
        run_m = close ? run_m + samples[i].step_m : 0.0;
        if (run_m > 50.0)
            throw InputError(where + ": the route overlaps itself near (" + std::to_string(samples[i].pos.lat_deg) + ", " +
                             std::to_string(samples[i].pos.lon_deg) + ") at " + std::to_string(std::lround(samples[i].s_m)) +
                             " m: a route must not be driven back over itself (more than 50 m; crossings are allowed)");
    }
}

}  // namespace

RouteGeometry read_route_file(const std::filesystem::path& file) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset, DatasetCloser> ds(static_cast<GDALDataset*>(
        GDALOpenEx(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!ds) throw InputError(file.string() + ": cannot be read as GeoJSON or GPX");
    RouteGeometry g;
    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    if (driver == "GPX") {
        for (const char* name : {"tracks", "routes", "waypoints"})
            if (OGRLayer* layer = ds->GetLayerByName(name)) read_layer(*layer, file.string(), g);
    } else {
        for (OGRLayer* layer : ds->GetLayers()) read_layer(*layer, file.string(), g);
    }
    if (g.parts.empty()) throw InputError(file.string() + ": no LineString or MultiLineString: a route must be a line");
    for (std::size_t k = 0; k < g.parts.size(); ++k)
        if (g.parts[k].size() < 2)
            throw InputError(file.string() + ": line " + std::to_string(k) + ": fewer than 2 distinct points (zero length)");
    return g;
}

std::vector<Sample> sample_route(const RouteGeometry& route, double spacing_m, const std::vector<SpeedSegment>& speeds,
                                 const std::string& where) {
    if (!(spacing_m > 0.0) || !std::isfinite(spacing_m))
        throw InputError(where + ": spacing_m = " + std::to_string(spacing_m) + ": must be > 0 m");
    if (speeds.empty() || speeds.front().from_m != 0.0)
        throw InputError(where + ": speed: the first segment must start at from_m = 0");
    for (std::size_t k = 0; k < speeds.size(); ++k) {
        if (!(speeds[k].speed_kmh > 0.0) || !(speeds[k].speed_kmh <= 300.0))
            throw InputError(where + ": speed_kmh = " + std::to_string(speeds[k].speed_kmh) + ": must be in (0, 300] km/h");
        if (k > 0 && !(speeds[k].from_m > speeds[k - 1].from_m))
            throw InputError(where + ": speed segments: from_m must increase");
    }
    std::vector<Sample> out;
    double s0_m = 0.0;
    for (std::size_t part = 0; part < route.parts.size(); ++part) {
        const std::vector<LatLon>& pts = route.parts[part];
        double carried_m = 0.0;  // distance since the last sample
        out.push_back({pts.front(), s0_m, 0.0, 0.0, 0.0, static_cast<int>(part)});
        for (std::size_t v = 0; v + 1 < pts.size(); ++v) {
            const GeodesicInverse inv = geodesic_inverse(pts[v], pts[v + 1]);
            double d = spacing_m - carried_m;  // next sample's distance from pts[v]
            while (d < inv.d_m - 1e-6) {
                out.push_back({geodesic_direct(pts[v], inv.az1_deg, d), s0_m + d, 0.0, 0.0, 0.0, static_cast<int>(part)});
                d += spacing_m;
            }
            carried_m = inv.d_m - (d - spacing_m);
            s0_m += inv.d_m;
        }
        if (carried_m > 1e-6) out.push_back({pts.back(), s0_m, 0.0, 0.0, 0.0, static_cast<int>(part)});
    }
    const double length_m = s0_m;
    if (!(length_m > 0.5 * spacing_m) || out.size() < 2)
        throw InputError(where + ": the route's length is " + std::to_string(length_m) + " m: must be > 0 (at least " +
                         std::to_string(0.5 * spacing_m) + " m)");
    // Step lengths (half the gaps to the neighbours within the part), speeds and times.
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool prev = i > 0 && out[i - 1].part == out[i].part;
        const bool next = i + 1 < out.size() && out[i + 1].part == out[i].part;
        out[i].step_m = 0.5 * ((prev ? out[i].s_m - out[i - 1].s_m : 0.0) + (next ? out[i + 1].s_m - out[i].s_m : 0.0));
        out[i].speed_mps = speed_at(speeds, out[i].s_m);
        // Each sample's speed holds over its half gaps, so the driving time is sum(step / speed).
        if (i > 0) {
            const double half_gap_m = 0.5 * (out[i].s_m - out[i - 1].s_m);
            out[i].t_s = out[i - 1].t_s + half_gap_m / out[i - 1].speed_mps + half_gap_m / out[i].speed_mps;
        }
    }
    check_self_overlap(out, spacing_m, where);
    return out;
}

std::vector<LatLon> intersections_from_roads(const RouteGeometry& route, const std::vector<std::vector<LatLon>>& roads,
                                             double tolerance_m) {
    std::vector<LatLon> out;
    const auto near = [&](LatLon a, LatLon b, double tol) { return geodesic_inverse(a, b).d_m <= tol; };
    for (const auto& part : route.parts)
        for (std::size_t v = 0; v < part.size(); ++v) {
            if ((&part == &route.parts.front() && v == 0) || (&part == &route.parts.back() && v + 1 == part.size())) continue;
            bool meets = false;
            for (const auto& road : roads) {
                if (road.size() < 2) continue;
                // A road end at the vertex (a branch leaving the route), or a road vertex there whose road is not
                // the route itself (its neighbours are off the route).
                for (std::size_t k = 0; k < road.size() && !meets; ++k) {
                    if (!near(road[k], part[v], tolerance_m)) continue;
                    const bool end = k == 0 || k + 1 == road.size();
                    const auto off_route = [&](LatLon q) {
                        for (const auto& p2 : route.parts)
                            for (LatLon r : p2)
                                if (near(q, r, tolerance_m)) return false;
                        return true;
                    };
                    meets = end ? (road.size() > 1 && off_route(road[k == 0 ? 1 : road.size() - 2]))
                                : (off_route(road[k - 1]) && off_route(road[k + 1]));
                }
                if (meets) break;
            }
            if (!meets) continue;
            bool dup = false;
            for (LatLon q : out) dup = dup || near(q, part[v], 2.0 * tolerance_m);
            if (!dup) out.push_back(part[v]);
        }
    return out;
}

}  // namespace dxplan::route
