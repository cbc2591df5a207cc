// Comparison report: a map per technology (inline SVG over the coverage PNG) and the SINR figure.
#include "libsim/output/report_parts.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

namespace dxplan::output::detail {

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
