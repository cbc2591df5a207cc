// dxplan run, comparison stage: the chosen sites' map files (comparison_internal.hpp, steps 4 and 4b).
#include <cmath>
#include <exception>
#include <functional>
#include <limits>

#include "libsim/core/error.hpp"
#include "libsim/core/parallel.hpp"
#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/stats.hpp"
#include "libsim/output/kmz.hpp"
#include "libsim/output/png.hpp"
#include "libsim/scenario/comparison_internal.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/terrain/raster_io.hpp"

namespace dxplan::comparison {

namespace fs = std::filesystem;

namespace {

// The windows' offsets on the area grid (the loss grids are windows of it: whole multiples of its spacing), and
// the multi-site spec over the part of the area grid they span.
coverage::MultiSiteSpec service_spec(const GeoGrid& area, const Radio& radio, double h_rx_m,
                                     const std::vector<const SiteSpec*>& sites,
                                     const std::vector<const output::SiteResult*>& loss,
                                     std::vector<coverage::SiteWindow>& windows,
                                     std::vector<const coverage::SiteWindow*>& cell_loss) {
    windows.resize(sites.size());
    int r0 = std::numeric_limits<int>::max(), c0 = r0, r1 = -1, c1 = -1;
    for (std::size_t k = 0; k < sites.size(); ++k) {
        const GeoGrid& g = loss[k]->loss_db;
        coverage::SiteWindow& win = windows[k];
        win.row0 = static_cast<int>(std::lround((area.north_deg - g.north_deg) / area.dlat_deg));
        win.col0 = static_cast<int>(std::lround((g.west_deg - area.west_deg) / area.dlon_deg));
        if (std::abs(area.north_deg - win.row0 * area.dlat_deg - g.north_deg) > 1e-6 * area.dlat_deg ||
            std::abs(area.west_deg + win.col0 * area.dlon_deg - g.west_deg) > 1e-6 * area.dlon_deg ||
            g.dlat_deg != area.dlat_deg || g.dlon_deg != area.dlon_deg)
            throw InternalError("site " + sites[k]->id + ": its loss grid is not a window of the run's area grid");
        r0 = std::min(r0, win.row0), c0 = std::min(c0, win.col0);
        r1 = std::max(r1, win.row0 + g.rows - 1), c1 = std::max(c1, win.col0 + g.cols - 1);
    }
    coverage::MultiSiteSpec spec;
    spec.grid = area.window(r0, c0, r1 - r0 + 1, c1 - c0 + 1);
    spec.technologies = {radio.tech};
    spec.budget = radio.options;
    spec.h_rx_m = h_rx_m;
    for (std::size_t k = 0; k < sites.size(); ++k) {
        windows[k].row0 -= r0;
        windows[k].col0 -= c0;
        windows[k].loss_db = loss[k]->loss_db;
        for (coverage::SiteRadio& cell : cells_of(*sites[k])) {
            spec.sites.push_back(std::move(cell));
            cell_loss.push_back(&windows[k]);
        }
    }
    return spec;
}

// The service map files of one technology (independent GDAL datasets: written in parallel, the slowest first).
void write_service_files(const World& w, const std::string& label, const coverage::TechnologyMaps& m,
                         std::size_t cells, const fs::path& out_dir) {
    const std::string base = "coverage-" + label;
    const std::string power = m.rsrp ? "RSRP (dBm)" : "RSSI (dBm)";
    const std::vector<GeoTiffBand> service = {{"rx_power_dbm: best-server " + power, m.rx_power_dbm.values, {}},
                                              {"snr_db: downlink SNR (dB)", m.snr_db.values, {}},
                                              {"sinr_db: downlink SINR (dB)", m.sinr_db.values, {}},
                                              {"ul_sinr_db: uplink SINR at the best server (dB)", m.ul_sinr_db.values, {}},
                                              {"dl_throughput_mbps: downlink application throughput (Mbit/s)",
                                               m.dl_throughput_mbps.values, {}},
                                              {"ul_throughput_mbps: uplink application throughput (Mbit/s)",
                                               m.ul_throughput_mbps.values, {}}};
    const std::vector<GeoTiffBand> cell_bands = {{"best_server: cell index (summary.json service_maps cells)", {}, m.best_server},
                                                 {"dl_mode: downlink mode index of the technology profile", {}, m.dl_mode},
                                                 {"ul_mode: uplink mode index of the technology profile", {}, m.ul_mode}};
    GeoGrid server = m.rx_power_dbm;
    for (std::size_t i = 0; i < server.values.size(); ++i)
        server.values[i] = m.best_server[i] == coverage::kNone ? std::numeric_limits<float>::quiet_NaN()
                                                                : static_cast<float>(m.best_server[i]);
    const output::ColorRamp server_ramp = output::server_ramp(cells);
    const std::vector<std::function<void()>> writers = {
        [&] { output::write_png_over_hillshade(out_dir / (base + "-sinr.png"), m.sinr_db, output::sinr_ramp(), w.terrain); },
        [&] { write_geotiff_bands(out_dir / (base + "-service.tif"), m.rx_power_dbm, service, dxplan::kGeoTiffNodata); },
        [&] { output::write_kmz(out_dir / (base + "-sinr.kmz"), m.sinr_db, output::sinr_ramp(),
                                "dxplan " + label + ": downlink SINR (dB)"); },
        [&] { write_geotiff_bands(out_dir / (base + "-cells.tif"), m.rx_power_dbm, cell_bands, coverage::kNone); },
        [&] { output::write_kmz(out_dir / (base + "-best-server.kmz"), server, server_ramp,
                                "dxplan " + label + ": best-server cell (summary.json service_maps cells)"); }};
    parallel_for(static_cast<std::ptrdiff_t>(writers.size()), 1, [&](std::ptrdiff_t i) {
        writers[static_cast<std::size_t>(i)]();
    });
}

}  // namespace

std::vector<coverage::SiteRadio> cells_of(const SiteSpec& site) {
    if (site.sectors.empty()) return {{site.id, site.pos, site.mast_height_m, 0, 0, std::nullopt}};
    std::vector<coverage::SiteRadio> out;
    for (std::size_t j = 0; j < site.sectors.size(); ++j) {
        const SectorSpec& sec = site.sectors[j];
        const coverage::SiteAntenna antenna{sec.azimuth_deg, sec.downtilt_deg,
                                            sec.pattern.empty() ? link::sector_pattern() : link::load_pattern_csv(sec.pattern)};
        out.push_back({site.id + "/" + std::to_string(j + 1), site.pos, site.mast_height_m, 0, 0, antenna});
    }
    return out;
}

double write_served_area(const StageContext& ctx, const std::string& label, const Radio& radio,
                         const std::vector<const output::SiteResult*>& chosen, output::TechnologyMap& map) {
    std::vector<const GeoGrid*> grids;
    for (const auto* r : chosen) grids.push_back(&r->loss_db);
    const coverage::ServedArea cov = coverage::served_area(grids, radio.dl, radio.ul);
    const fs::path& out_dir = ctx.cfg.out_dir;
    if (cov.rx_dbm.values.empty() || out_dir.empty()) return cov.area_km2;
    // The same map three ways: PNG over the hillshade (the report), float32 GeoTIFF (QGIS), KMZ overlay with its
    // legend (Google Earth).
    const fs::path png = out_dir / ("coverage-" + label + ".png");
    output::write_png_over_hillshade(png, cov.rx_dbm, output::power_ramp(), ctx.world.terrain);
    write_geotiff_f32(out_dir / ("coverage-" + label + ".tif"), cov.rx_dbm, dxplan::kGeoTiffNodata);
    output::write_kmz(out_dir / ("coverage-" + label + ".kmz"), cov.rx_dbm, output::power_ramp(),
                      "dxplan " + label + ": best-server downlink power where served (dBm)");
    ctx.files_written += 3;
    const GeoGrid& g = cov.rx_dbm;
    map.png = png;
    map.png_bounds = GeoBox{g.north_deg - (g.rows - 0.5) * g.dlat_deg, g.west_deg - 0.5 * g.dlon_deg,
                            g.north_deg + 0.5 * g.dlat_deg, g.west_deg + (g.cols - 0.5) * g.dlon_deg};
    return cov.area_km2;
}

output::ServiceMaps service_maps(const StageContext& ctx, const std::string& label, const Radio& radio,
                                 const std::vector<const SiteSpec*>& sites,
                                 const std::vector<const output::SiteResult*>& loss,
                                 const std::vector<output::DemandPoint>& demand) {
    // The chosen sites' cells combined on the part of the run's area grid their loss windows cover (one channel),
    // the per-cell statistics over the demand points in scope, and the files (into out_dir unless empty).
    std::vector<coverage::SiteWindow> windows;
    std::vector<const coverage::SiteWindow*> cell_loss;
    const coverage::MultiSiteSpec spec =
        service_spec(*ctx.cfg.area, radio, ctx.s.propagation.h_rx_m, sites, loss, windows, cell_loss);
    coverage::CoverageMaps maps = coverage::combine_coverage(ctx.world.terrain, spec, cell_loss);
    std::vector<coverage::DemandPoint> points;
    for (const auto& d : demand) points.push_back({d.id, d.pos, std::string(to_string(d.kind))});
    coverage::TechnologyStats stats = std::move(coverage::coverage_statistics(maps, spec, points).front());
    output::ServiceMaps out{label, std::move(maps.technologies.front()), std::move(stats), {}};
    out.ul_interference_dbm = maps.ul_interference_dbm;  // for routes (add_route_network)
    if (ctx.cfg.out_dir.empty()) return out;
    write_service_files(ctx.world, label, out.maps, spec.sites.size(), ctx.cfg.out_dir);
    const std::string base = "coverage-" + label;
    out.files = {base + "-service.tif", base + "-cells.tif", base + "-sinr.png", base + "-sinr.kmz",
                 base + "-best-server.kmz"};
    ctx.files_written += out.files.size();
    return out;
}

void add_route_network(std::vector<route::NetworkTechnology>& out, const std::string& label, const Radio& radio,
                       const std::vector<const SiteSpec*>& sites, const std::vector<const output::SiteResult*>& loss,
                       const output::ServiceMaps& maps, double latency_ms) {
    route::NetworkTechnology nt{label, radio.tech, radio.options, {}, latency_ms};
    std::size_t i = 0;
    for (std::size_t k = 0; k < sites.size(); ++k)
        for (coverage::SiteRadio& cell : cells_of(*sites[k]))
            nt.cells.push_back({std::move(cell), loss[k]->loss_db, maps.ul_interference_dbm.at(i++)});
    out.push_back(std::move(nt));
}

}  // namespace dxplan::comparison
