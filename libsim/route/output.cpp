// Route files (output.hpp).
#include "libsim/route/output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/text.hpp"

namespace dxplan::route {

namespace {

using ordered_json = nlohmann::ordered_json;

std::string num(double v, int digits = 2) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string cell_name(const RouteResult& r, std::size_t tech, int cell) {
    return cell < 0 ? "" : r.cell_ids[tech][static_cast<std::size_t>(cell)];
}

std::size_t n_cond(const RouteResult& r) { return r.cell_ids.empty() ? 0 : r.tracks.size() / r.cell_ids.size(); }

std::string samples_csv(const RouteResult& r) {
    std::ostringstream o;
    o << "technology,condition,s_m,t_s,lat_deg,lon_deg,speed_kmh,serving_cell,serving_index,best_index,rx_power_dbm,snr_db,"
         "sinr_db,ul_sinr_db,dl_mode,ul_mode,dl_mbps,ul_mbps,margin_db,p_meet,extra_loss_db,meets,cause\n";
    const std::size_t nc = n_cond(r);
    for (std::size_t k = 0; k < r.tracks.size(); ++k) {
        const Track& t = r.tracks[k];
        for (std::size_t i = 0; i < r.samples.size(); ++i) {
            const Sample& s = r.samples[i];
            const SamplePoint& p = t.samples[i];
            char pos[64];
            std::snprintf(pos, sizeof pos, "%.7f,%.7f", s.pos.lat_deg, s.pos.lon_deg);
            o << t.label << ',' << t.condition << ',' << num(s.s_m, 2) << ',' << num(s.t_s, 3) << ',' << pos << ','
              << num(s.speed_mps * 3.6, 1) << ',' << cell_name(r, k / nc, p.serving) << ',' << p.serving << ',' << p.best << ','
              << num(p.rx_power_dbm, 3) << ',' << num(p.snr_db, 3) << ',' << num(p.sinr_db, 4) << ',' << num(p.ul_sinr_db, 4)
              << ',' << p.dl_mode << ',' << p.ul_mode << ',' << num(p.dl_mbps, 3) << ',' << num(p.ul_mbps, 3) << ','
              << num(p.margin_db, 3) << ',' << num(p.p_meet, 5) << ',' << num(p.extra_loss_db, 3) << ',' << (p.meets ? 1 : 0)
              << ',' << to_string(p.cause) << '\n';
        }
    }
    return o.str();
}

ordered_json point(LatLon p) { return ordered_json::array({std::round(p.lon_deg * 1e7) / 1e7, std::round(p.lat_deg * 1e7) / 1e7}); }

std::string route_geojson(const RouteResult& r) {
    ordered_json fc = {{"type", "FeatureCollection"}, {"features", ordered_json::array()}};
    auto& f = fc["features"];
    const std::size_t nc = n_cond(r);
    for (std::size_t k = 0; k < r.tracks.size(); k += nc) {  // the first condition of each technology
        const Track& t = r.tracks[k];
        for (std::size_t i = 0; i < r.samples.size(); ++i) {
            const SamplePoint& p = t.samples[i];
            f.push_back({{"type", "Feature"},
                         {"geometry", {{"type", "Point"}, {"coordinates", point(r.samples[i].pos)}}},
                         {"properties",
                          {{"kind", "sample"}, {"technology", t.label}, {"condition", t.condition}, {"s_m", r.samples[i].s_m},
                           {"serving_cell", cell_name(r, k / nc, p.serving)},
                           {"sinr_db", std::isfinite(p.sinr_db) ? ordered_json(p.sinr_db) : ordered_json(nullptr)},
                           {"margin_db", std::isfinite(p.margin_db) ? ordered_json(p.margin_db) : ordered_json(nullptr)},
                           {"colour", "#" + margin_colour_hex(p.margin_db)}, {"meets", p.meets}, {"cause", to_string(p.cause)}}}});
        }
        for (const Handover& h : t.handovers) {
            const auto it = std::lower_bound(r.samples.begin(), r.samples.end(), h.s_m,
                                             [](const Sample& s, double v) { return s.s_m < v; });
            f.push_back({{"type", "Feature"},
                         {"geometry", {{"type", "Point"}, {"coordinates", point(it->pos)}}},
                         {"properties",
                          {{"kind", "handover"}, {"technology", t.label}, {"s_m", h.s_m}, {"from", cell_name(r, k / nc, h.from)},
                           {"to", cell_name(r, k / nc, h.to)}, {"ping_pong", h.ping_pong}}}});
        }
    }
    for (LatLon x : r.intersections)
        f.push_back({{"type", "Feature"}, {"geometry", {{"type", "Point"}, {"coordinates", point(x)}}},
                     {"properties", {{"kind", "intersection"}}}});
    return fc.dump(1) + "\n";
}

std::string route_kml(const RouteResult& r) {
    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>dxplan route "
      << xml_escape(r.id) << "</name>\n";
    const std::size_t nc = n_cond(r);
    for (std::size_t k = 0; k < r.tracks.size(); k += nc) {
        const Track& t = r.tracks[k];
        o << "<Folder><name>" << xml_escape(t.label) << " (" << xml_escape(t.condition) << "): margin</name>\n";
        for (std::size_t i = 0; i + 1 < r.samples.size(); ++i) {
            if (r.samples[i + 1].part != r.samples[i].part) continue;
            const std::string c = margin_colour_hex(t.samples[i].margin_db);  // rrggbb -> aabbggrr
            o << "<Placemark><Style><LineStyle><color>ff" << c.substr(4, 2) << c.substr(2, 2) << c.substr(0, 2)
              << "</color><width>5</width></LineStyle></Style><LineString><coordinates>" << num(r.samples[i].pos.lon_deg, 7)
              << ',' << num(r.samples[i].pos.lat_deg, 7) << ",0 " << num(r.samples[i + 1].pos.lon_deg, 7) << ','
              << num(r.samples[i + 1].pos.lat_deg, 7) << ",0</coordinates></LineString></Placemark>\n";
        }
        for (const Handover& h : t.handovers) {
            const auto it = std::lower_bound(r.samples.begin(), r.samples.end(), h.s_m,
                                             [](const Sample& s, double v) { return s.s_m < v; });
            o << "<Placemark><name>HO " << xml_escape(cell_name(r, k / nc, h.from)) << " -&gt; " << xml_escape(cell_name(r, k / nc, h.to))
              << "</name><Point><coordinates>" << num(it->pos.lon_deg, 7) << ',' << num(it->pos.lat_deg, 7)
              << ",0</coordinates></Point></Placemark>\n";
        }
        o << "</Folder>\n";
    }
    o << "</Document></kml>\n";
    return o.str();
}

const char* cause_colour(Cause c) {
    switch (c) {
    case Cause::coverage: return "#e15759";
    case Cause::interference: return "#f28e2b";
    case Cause::capacity: return "#b07aa1";
    case Cause::handover: return "#76b7b2";
    case Cause::latency: return "#9c755f";
    default: return "#bab0ac";
    }
}

// One panel: a quantity against distance for every condition of a technology, outage bands of the first condition.
void panel(std::ostringstream& o, const RouteResult& r, std::size_t k0, std::size_t nc, double y0, const char* title,
           double (*value)(const SamplePoint&), double v_lo, double v_hi) {
    const double x0 = 60, w = 840, h = 180, len = std::max(r.length_m, 1.0);
    const auto X = [&](double s_m) { return x0 + w * s_m / len; };
    const auto Y = [&](double v) { return y0 + h - h * (std::clamp(v, v_lo, v_hi) - v_lo) / (v_hi - v_lo); };
    for (const Outage& out : r.tracks[k0].outages)
        o << "<rect x=\"" << num(X(out.start_m), 1) << "\" y=\"" << y0 << "\" width=\"" << num(std::max(0.5, X(out.end_m) - X(out.start_m)), 1)
          << "\" height=\"" << h << "\" fill=\"" << cause_colour(out.cause) << "\" opacity=\"0.25\"/>\n";
    o << "<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << w << "\" height=\"" << h << "\" fill=\"none\" stroke=\"#333\"/>\n"
      << "<text x=\"" << x0 << "\" y=\"" << y0 - 6 << "\" font-size=\"13\">" << title << "</text>\n"
      << "<text x=\"" << x0 - 6 << "\" y=\"" << y0 + 10 << "\" font-size=\"10\" text-anchor=\"end\">" << num(v_hi, 0) << "</text>\n"
      << "<text x=\"" << x0 - 6 << "\" y=\"" << y0 + h << "\" font-size=\"10\" text-anchor=\"end\">" << num(v_lo, 0) << "</text>\n";
    static const char* colours[] = {"#4e79a7", "#59a14f", "#e15759", "#f28e2b", "#76b7b2", "#edc948"};
    for (std::size_t c = 0; c < nc; ++c) {
        const Track& t = r.tracks[k0 + c];
        o << "<polyline fill=\"none\" stroke=\"" << colours[c % 6] << "\" stroke-width=\"1.2\" points=\"";
        const std::size_t stride = std::max<std::size_t>(1, r.samples.size() / 2000);
        for (std::size_t i = 0; i < r.samples.size(); i += stride) {
            const double v = value(t.samples[i]);
            if (std::isfinite(v)) o << num(X(r.samples[i].s_m), 1) << ',' << num(Y(v), 1) << ' ';
        }
        o << "\"/>\n<text x=\"" << x0 + w - 150 << "\" y=\"" << y0 + 14 + 12 * c << "\" font-size=\"11\" fill=\"" << colours[c % 6]
          << "\">" << xml_escape(t.condition) << "</text>\n";
    }
    for (const Handover& hv : r.tracks[k0].handovers)
        o << "<line x1=\"" << num(X(hv.s_m), 1) << "\" y1=\"" << y0 << "\" x2=\"" << num(X(hv.s_m), 1) << "\" y2=\"" << y0 + h
          << "\" stroke=\"#000\" stroke-dasharray=\"3,3\"/>\n";
}

std::string plots_svg(const RouteResult& r, std::size_t k0, std::size_t nc) {
    std::ostringstream o;
    const Track& t = r.tracks[k0];
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"920\" height=\"900\" font-family=\"sans-serif\">\n"
      << "<text x=\"60\" y=\"20\" font-size=\"15\">route " << xml_escape(r.id) << ": " << xml_escape(t.label)
      << " (outage bands and dashed handovers: " << xml_escape(t.condition) << "; distance 0-" << num(r.length_m / 1000.0, 2)
      << " km)</text>\n";
    panel(o, r, k0, nc, 50, "downlink SINR (dB)", [](const SamplePoint& p) { return p.sinr_db; }, -10, 40);
    panel(o, r, k0, nc, 260, "uplink SINR (dB)", [](const SamplePoint& p) { return p.ul_sinr_db; }, -10, 40);
    double hi_dl = 1.0, hi_ul = 1.0;
    for (std::size_t c = 0; c < nc; ++c)
        for (const SamplePoint& p : r.tracks[k0 + c].samples) hi_dl = std::max(hi_dl, p.dl_mbps), hi_ul = std::max(hi_ul, p.ul_mbps);
    panel(o, r, k0, nc, 470, "downlink throughput (Mbit/s)", [](const SamplePoint& p) { return p.dl_mbps; }, 0, hi_dl);
    panel(o, r, k0, nc, 680, "uplink throughput (Mbit/s)", [](const SamplePoint& p) { return p.ul_mbps; }, 0, hi_ul);
    o << "<text x=\"60\" y=\"885\" font-size=\"11\">bands: coverage red, interference orange, capacity purple, handover teal, "
         "latency brown</text>\n</svg>\n";
    return o.str();
}

std::string safe(std::string s) {
    for (char& c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
    return s;
}

}  // namespace

std::string margin_colour_hex(double margin_db) {
    if (!(margin_db >= 0.0)) return "d62728";
    return margin_db < 3.0 ? "ffbf00" : "2ca02c";
}

std::vector<std::string> write_route_files(const std::filesystem::path& dir, const RouteResult& r) {
    const std::string base = "route-" + safe(r.id);
    std::vector<std::string> files = {base + "-samples.csv", base + ".geojson", base + ".kml"};
    write_text_atomically(dir / files[0], samples_csv(r));
    write_text_atomically(dir / files[1], route_geojson(r));
    write_text_atomically(dir / files[2], route_kml(r));
    const std::size_t nc = n_cond(r);
    for (std::size_t k = 0; nc > 0 && k < r.tracks.size(); k += nc) {
        files.push_back(base + "-" + safe(r.tracks[k].label) + ".svg");
        write_text_atomically(dir / files.back(), plots_svg(r, k, nc));
    }
    return files;
}

std::string route_summary_json(const RouteResult& r, const std::vector<std::string>& files) {
    const auto opt = [](double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); };
    ordered_json j = {{"id", r.id},
                      {"length_m", r.length_m},
                      {"duration_s", r.duration_s},
                      {"samples", r.samples.size()},
                      {"ul_required_mbps", r.ul_required_mbps},
                      {"dl_required_mbps", r.dl_required_mbps},
                      {"files", files},
                      {"tracks", ordered_json::array()}};
    const std::size_t nc = n_cond(r);
    for (std::size_t k = 0; k < r.tracks.size(); ++k) {
        const Track& t = r.tracks[k];
        ordered_json tj = {{"technology", t.label},
                           {"condition", t.condition},
                           {"share_length", t.share_length},
                           {"share_time", t.share_time},
                           {"mean_p_meet", t.mean_p_meet},
                           {"p_route", t.p_route},
                           {"handovers", t.handovers.size()},
                           {"handovers_per_km", t.handovers_per_km},
                           {"ping_pongs", t.ping_pongs},
                           {"interruption_ms", opt(t.interruption_ms)},
                           {"handover_points", ordered_json::array()},
                           {"outages", ordered_json::array()},
                           {"intersections", ordered_json::array()}};
        for (const Handover& h : t.handovers)
            tj["handover_points"].push_back({{"s_m", h.s_m}, {"t_s", h.t_s}, {"from", cell_name(r, k / nc, h.from)},
                                             {"to", cell_name(r, k / nc, h.to)}, {"ping_pong", h.ping_pong}});
        for (const Outage& o : t.outages)
            tj["outages"].push_back({{"start_m", o.start_m}, {"end_m", o.end_m}, {"length_m", o.length_m},
                                     {"duration_s", o.duration_s}, {"cause", to_string(o.cause)}});
        for (const IntersectionStat& x : t.intersections)
            tj["intersections"].push_back({{"lat_deg", x.pos.lat_deg}, {"lon_deg", x.pos.lon_deg}, {"s_m", x.s_m},
                                           {"worst_margin_db", opt(x.worst_margin_db)}, {"worst_s_m", x.worst_s_m},
                                           {"time_through_s", x.time_through_s}, {"p_through", opt(x.p_through)},
                                           {"met", x.met}});
        j["tracks"].push_back(std::move(tj));
    }
    j["sun"] = ordered_json::array();
    for (const SunReport& sr : r.sun) {
        ordered_json sj = {{"technology", sr.label}, {"beamwidth_deg", sr.beamwidth_deg},
                           {"minutes_per_year", sr.minutes_per_year}, {"hops", ordered_json::array()}};
        for (const SunHop& h : sr.hops)
            sj["hops"].push_back({{"a", point(h.a)}, {"b", point(h.b)}, {"link", h.link}, {"minutes_a", h.minutes_a},
                                  {"minutes_b", h.minutes_b}, {"days", h.days}});
        j["sun"].push_back(std::move(sj));
    }
    return j.dump();
}

}  // namespace dxplan::route
