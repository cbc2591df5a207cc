// Comparison report: a map per technology (inline SVG over the coverage PNG) and the SINR figure.
#include "libsim/output/report_parts.hpp"

#include "libsim/core/units.hpp"
#include "libsim/output/png.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

namespace dxplan::output::detail {

namespace {

// The length of a scale bar: 1, 2 or 5 x 10^k metres, the longest not above `max_m`.
double scale_bar_m(double max_m) {
    double best = 1.0;
    for (double p = 1.0; p <= max_m; p *= 10.0)
        for (double m : {1.0, 2.0, 5.0})
            if (m * p <= max_m) best = m * p;
    return best;
}

// Scale bar (bottom left), north arrow (top right) and, over a coverage image, its colour ramp with the unit
// (bottom right). Metres per pixel at the map's middle latitude on a sphere of the mean earth radius
// (equirectangular approximation; the maps span a few km, where it is within 0.5 % of the geodesic).
std::string map_furniture(const GeoBox& box, double W, double H, bool coverage, Lang l) {
    std::ostringstream s;
    const double mid_rad = 0.5 * (box.south_deg + box.north_deg) * kPi / 180.0;
    const double width_m = (box.east_deg - box.west_deg) * kPi / 180.0 * kEarthRadiusMean_m * std::cos(mid_rad);
    const double bar_m = scale_bar_m(0.25 * width_m);
    const double bar_px = W * bar_m / width_m;
    const std::string label = bar_m >= 1000.0 ? fmt(bar_m / 1000.0, 0) + " km" : fmt(bar_m, 0) + " m";
    s << "<g class=\"scale-bar\" data-m=\"" << fmt(bar_m, 0, false) << "\" font-family=\"sans-serif\">\n"
      << rect(6, H - 30, bar_px + 12, 24, "#ffffff", 0.8) << rect(12, H - 14, bar_px / 2, 5, "#000000")
      << rect(12 + bar_px / 2, H - 14, bar_px / 2, 5, "#ffffff") << line(12, H - 14, 12 + bar_px, H - 14, "#000000")
      << line(12, H - 9, 12 + bar_px, H - 9, "#000000") << text(12 + bar_px / 2, H - 17, label, "middle", 10) << "</g>\n";
    const double ax = W - 22;
    s << "<g class=\"north-arrow\" font-family=\"sans-serif\">\n" << rect(ax - 12, 4, 24, 38, "#ffffff", 0.8)
      << "<polygon points=\"" << fmt(ax, 1, false) << ",10 " << fmt(ax - 7, 1, false) << ",30 " << fmt(ax, 1, false)
      << ",25 " << fmt(ax + 7, 1, false) << ",30\" fill=\"#000000\"/>\n"
      << text(ax, 40, l == Lang::ja ? "北" : "N", "middle", 10) << "</g>\n";
    if (!coverage) return s.str();
    const ColorRamp ramp = power_ramp();
    const double lw = 140, lx = W - lw - 14, ly = H - 34;
    const double lo = ramp.stops.front().value, hi = ramp.stops.back().value;
    s << "<g class=\"colour-legend\" font-family=\"sans-serif\">\n<defs><linearGradient id=\"ramp\">";
    for (const auto& st : ramp.stops)
        s << "<stop offset=\"" << fmt((st.value - lo) / (hi - lo), 3, false) << "\" stop-color=\"rgb(" << int(st.r) << ","
          << int(st.g) << "," << int(st.b) << ")\"/>";
    s << "</linearGradient></defs>\n" << rect(lx - 6, ly - 14, lw + 12, 44, "#ffffff", 0.8)
      << text(lx, ly - 3, T(l, "map.power_legend"), "start", 10) << "<rect x=\"" << fmt(lx, 1, false) << "\" y=\""
      << fmt(ly, 1, false) << "\" width=\"" << fmt(lw, 1, false) << "\" height=\"8\" fill=\"url(#ramp)\"/>\n";
    for (const auto& st : ramp.stops)
        s << text(lx + lw * (st.value - lo) / (hi - lo), ly + 20, fmt(st.value, 0), "middle", 9);
    s << "</g>\n";
    return s.str();
}

}  // namespace

std::string map_svg(const ComparisonReport& r, const TechnologyReport& t, Lang l) {
    const auto& m = t.map;
    GeoBox box;
    bool have_png = !m.png.empty() && m.png_bounds && std::filesystem::exists(m.png);
    if (have_png) {
        box = *m.png_bounds;
    } else {
        box = {90.0, 180.0, -90.0, -180.0};
        auto grow = [&](const LatLon& p) {
            box.south_deg = std::min(box.south_deg, p.lat_deg);
            box.north_deg = std::max(box.north_deg, p.lat_deg);
            box.west_deg = std::min(box.west_deg, p.lon_deg);
            box.east_deg = std::max(box.east_deg, p.lon_deg);
        };
        for (const auto& p : m.demand) grow(p);
        for (const auto& p : m.sites) grow(p.pos);
        for (const auto& k : m.backhaul) {
            grow(k.a), grow(k.b);
            for (const LatLon& q : k.route) grow(q);
        }
        if (r.run)
            for (const auto& p : r.run->fibre_pops) grow(p.pos);
        if (box.north_deg < box.south_deg) box = {0.0, 0.0, 0.01, 0.01};
        const double pad_lat = std::max(0.002, 0.05 * (box.north_deg - box.south_deg));
        const double pad_lon = std::max(0.002, 0.05 * (box.east_deg - box.west_deg));
        box = {box.south_deg - pad_lat, box.west_deg - pad_lon, box.north_deg + pad_lat, box.east_deg + pad_lon};
    }
    const double W = 520;
    const double mid = 0.5 * (box.south_deg + box.north_deg) * 3.14159265358979 / 180.0;
    const double H = std::clamp(W * (box.north_deg - box.south_deg) / ((box.east_deg - box.west_deg) * std::cos(mid)), 120.0, 900.0);
    auto X = [&](double lon) { return W * (lon - box.west_deg) / (box.east_deg - box.west_deg); };
    auto Y = [&](double lat) { return H * (box.north_deg - lat) / (box.north_deg - box.south_deg); };
    std::ostringstream s;
    s << "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << fmt(W, 0, false) << "\" height=\""
      << fmt(H, 0, false) << "\" viewBox=\"0 0 " << fmt(W, 0, false) << " " << fmt(H, 0, false)
      << "\" role=\"img\" aria-label=\"" << esc(t.eval.name) << "\">\n";
    if (have_png) {
        std::ifstream in(m.png, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        s << "<image x=\"0\" y=\"0\" width=\"" << fmt(W, 0, false) << "\" height=\"" << fmt(H, 0, false)
          << "\" preserveAspectRatio=\"none\" href=\"data:image/png;base64," << base64(bytes) << "\"/>\n";
    } else {
        s << rect(0, 0, W, H, "#f4f1e8");
    }
    for (const auto& k : m.backhaul) {
        if (k.route.size() < 2) {
            s << line(X(k.a.lon_deg), Y(k.a.lat_deg), X(k.b.lon_deg), Y(k.b.lat_deg), "#1f5fbf", 2.5);
            continue;
        }
        s << "<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2.5\" points=\"";  // fibre along the roads
        for (std::size_t i = 0; i < k.route.size(); ++i)
            s << (i ? " " : "") << fmt(X(k.route[i].lon_deg), 1, false) << "," << fmt(Y(k.route[i].lat_deg), 1, false);
        s << "\"/>\n";
    }
    // At most about 5000 points drawn (every k-th), so that a large area keeps the page light.
    const std::size_t stride = std::max<std::size_t>(1, (m.demand.size() + 4999) / 5000);
    for (std::size_t i = 0; i < m.demand.size(); i += stride) {
        const bool cov = i < m.demand_covered.size() && m.demand_covered[i];
        s << "<circle cx=\"" << fmt(X(m.demand[i].lon_deg), 1, false) << "\" cy=\"" << fmt(Y(m.demand[i].lat_deg), 1, false)
          << "\" r=\"2.5\" fill=\"" << (cov ? "#33a02c" : "#9a9a9a") << "\"/>\n";
    }
    if (r.run)
        for (const auto& p : r.run->fibre_pops)
            s << rect(X(p.pos.lon_deg) - 5, Y(p.pos.lat_deg) - 5, 10, 10, "#000000");
    for (const auto& site : m.sites) {
        const double x = X(site.pos.lon_deg), y = Y(site.pos.lat_deg);
        s << "<polygon points=\"" << fmt(x, 1, false) << "," << fmt(y - 8, 1, false) << " " << fmt(x - 7, 1, false) << ","
          << fmt(y + 5, 1, false) << " " << fmt(x + 7, 1, false) << "," << fmt(y + 5, 1, false)
          << "\" fill=\"#e41a1c\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n";
        s << "<text x=\"" << fmt(x + 8, 1, false) << "\" y=\"" << fmt(y - 6, 1, false)
          << "\" font-family=\"sans-serif\" font-size=\"10\">" << esc(site.id) << "</text>\n";
    }
    s << map_furniture(box, W, H, have_png, l);
    s << "</svg>\n<p class=\"note\">" << esc(T(l, "map.legend")) << (have_png ? " " + esc(T(l, "map.background")) : "")
      << "</p>\n";
    return s.str();
}

// The service maps' SINR image of a technology as a figure (embedded), or nothing.
std::string sinr_figure(const TechnologyReport& t, Lang l) {
    if (t.map.sinr_png.empty() || !std::filesystem::exists(t.map.sinr_png)) return {};
    std::ifstream in(t.map.sinr_png, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return "<figure><figcaption><b>" + esc(t.eval.name) + "</b> &ndash; SINR</figcaption>\n<img class=\"map\" alt=\"" +
           esc(t.eval.name) + " SINR\" src=\"data:image/png;base64," + base64(bytes) + "\"/>\n<p class=\"note\">" +
           esc(T(l, "map.sinr")) + "</p></figure>\n";
}

}  // namespace dxplan::output::detail

namespace dxplan::output {

std::string base64(std::string_view bytes) {
    static constexpr char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += abc[v >> 18 & 63];
        out += abc[v >> 12 & 63];
        out += abc[v >> 6 & 63];
        out += abc[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += abc[v >> 18 & 63];
        out += abc[v >> 12 & 63];
        out += i + 1 < bytes.size() ? abc[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace dxplan::output
