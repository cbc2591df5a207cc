// report.html writer: a minimal, self-contained page (no scripts, no network access needed).
#include <cmath>
#include <iomanip>
#include <sstream>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/text.hpp"
#include "libsim/output/report_measure.hpp"
#include "libsim/output/results.hpp"

namespace dxplan::output {

namespace {

std::string esc(std::string_view s) { return xml_escape(s); }


std::string fixed(double v, int digits) {
    if (!std::isfinite(v)) return "-";
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << v;
    return os.str();
}

}  // namespace

void write_report_html(const std::filesystem::path& file, const RunResults& r) {
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>dxplan: " << esc(r.scenario_name)
      << "</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;"
         "margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:right}"
         "th{background:#eee}td:first-child,th:first-child{text-align:left}</style></head><body>\n";
    h << "<h1>dxplan run: " << esc(r.scenario_name) << "</h1>\n";
    h << "<p>Scenario file <code>" << esc(r.scenario_file) << "</code>. Path loss by model <code>" << esc(r.model)
      << "</code> at " << fixed(r.f_mhz, 1) << " MHz, receiver " << fixed(r.h_rx_m, 1) << " m above ground, grid "
      << fixed(r.resolution_m, 1) << " m, radius " << fixed(r.radius_m / 1000.0, 2) << " km.</p>\n";

    const auto& t = r.terrain;
    h << "<h2>Terrain and land cover</h2>\n<table><tr><th>item</th><th>value</th></tr>\n"
      << "<tr><td>terrain</td><td>" << esc(t.source) << "</td></tr>\n"
      << "<tr><td>grid</td><td>" << t.rows << " x " << t.cols << " cells, " << fixed(t.native_spacing_m, 1)
      << " m</td></tr>\n<tr><td>extent</td><td>" << fixed(t.bounds.south_deg, 4) << "&ndash;"
      << fixed(t.bounds.north_deg, 4) << " N, " << fixed(t.bounds.west_deg, 4) << "&ndash;"
      << fixed(t.bounds.east_deg, 4) << " E</td></tr>\n<tr><td>void cells filled</td><td>" << t.void_cells
      << "</td></tr>\n<tr><td>land cover</td><td>" << esc(r.land_cover_source.empty() ? "none" : r.land_cover_source)
      << "</td></tr>\n";
    for (const auto& s : r.land_cover)
      h << "<tr><td>&nbsp;&nbsp;" << esc(s.category) << "</td><td>" << fixed(100.0 * s.share, 1) << " %</td></tr>\n";
    h << "</table>\n";

    h << "<h2>Sites</h2>\n<table><tr><th>site</th><th>lat</th><th>lon</th><th>ground m</th><th>mast m</th>"
         "<th>cells</th><th>min loss dB</th><th>median loss dB</th><th>max loss dB</th><th>demand in radius</th>"
         "<th>GeoTIFF</th></tr>\n";
    for (const auto& s : r.sites) {
        std::size_t within = 0;
        for (float x : s.demand_loss_db) within += std::isfinite(x) ? 1 : 0;
        h << "<tr><td>" << esc(s.id) << "</td><td>" << fixed(s.pos.lat_deg, 5) << "</td><td>" << fixed(s.pos.lon_deg, 5)
          << "</td><td>" << fixed(s.ground_m, 1) << "</td><td>" << fixed(s.mast_height_m, 1) << "</td><td>"
          << s.stats.cells << "</td><td>" << fixed(s.stats.min_db, 1) << "</td><td>" << fixed(s.stats.median_db, 1)
          << "</td><td>" << fixed(s.stats.max_db, 1) << "</td><td>" << within << "</td><td>"
          << (s.geotiff.empty() ? std::string("-") : "<a href=\"" + esc(s.geotiff) + "\">" + esc(s.geotiff) + "</a>")
          << "</td></tr>\n";
    }
    h << "</table>\n";

    h << "<h2>Demand and fibre</h2>\n<table><tr><th>kind</th><th>points</th></tr>\n";
    for (const char* kind : {"household", "facility", "iot"}) {
        std::size_t n = 0;
        for (const auto& d : r.demand) n += to_string(d.kind) == kind ? 1 : 0;
        h << "<tr><td>" << kind << "</td><td>" << n << "</td></tr>\n";
    }
    h << "<tr><td>fibre PoPs</td><td>" << r.fibre_pops.size() << "</td></tr>\n</table>\n";
    if (!r.technologies.empty()) {
        h << "<p>Technologies to compare:";
        for (const auto& tech : r.technologies) h << " <code>" << esc(tech) << "</code>";
        h << "</p>\n";
    }
    if (!r.warnings.empty()) {
        h << "<h2>Model warnings</h2>\n<ul>\n";
        for (const auto& w : r.warnings) h << "<li>" << esc(w) << "</li>\n";
        h << "</ul>\n";
    }
    if (r.measure) h << measure_sections_html(*r.measure, Lang::en);  // report_measure.hpp
    h << "</body></html>\n";
    write_text_atomically(file, h.str());
}

}  // namespace dxplan::output
