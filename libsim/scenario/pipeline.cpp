// The `dxplan run` pipeline (see pipeline.hpp).
#include "libsim/scenario/pipeline.hpp"
#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/site_loss.hpp"
#include "libsim/scenario/measure_stage.hpp"
#include "models/propagation/itm.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <unistd.h>

#include <omp.h>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/cancel.hpp"
#include "libsim/core/data_dir.hpp"
#include "libsim/core/error.hpp"
#include "libsim/core/parallel.hpp"
#include "libsim/core/output_set.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/output/report_pdf.hpp"
#include "libsim/scenario/auto_candidates.hpp"
#include "libsim/scenario/comparison_internal.hpp"
#include "libsim/scenario/comparison_stage.hpp"
#include "libsim/scenario/excess_loss.hpp"
#include "libsim/scenario/route_stage.hpp"
#include "libsim/scenario/traffic_stage.hpp"
#include "libsim/scenario/world.hpp"
#include "libsim/terrain/raster_io.hpp"
#include "models/propagation/model.hpp"

namespace dxplan {

namespace {

namespace fs = std::filesystem;

// report.pdf next to report.html in `dir` (Chromium's print-to-PDF; its profile and log in a sibling directory,
// removed afterwards). Returns why not, or "" when written.
std::string write_report_pdf(const fs::path& dir) {
    const fs::path chromium = output::find_chromium();
    if (chromium.empty()) return "chromium not found (install it, or set DXPLAN_CHROMIUM): report.pdf not written";
    fs::path work = dir;
    work += ".chromium";
    const std::string why = output::print_pdf(chromium, dir / "report.html", dir / "report.pdf", work);
    std::error_code ec;
    if (why.empty()) fs::remove_all(work, ec);
    return why.empty() ? why : "report.pdf not written: " + why;
}


// What the marker file's run hash covers: the scenario's text and the flags that change the outputs.
std::string slurp_identity(const RunConfig& cfg) {
    std::ifstream in(cfg.scenario_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf() << "\nlang=" << cfg.lang;
    return text.str();
}

std::string terrain_source(const Scenario& s) {
    if (s.terrain.synthetic_seed) return "synthetic valley (seed " + std::to_string(*s.terrain.synthetic_seed) + ")";
    std::string out;
    for (const auto& f : s.terrain.files) out += (out.empty() ? "" : ", ") + f.filename().string();
    return out;
}

std::vector<output::LandCoverShare> land_cover_shares(const LandCover& lc) {
    std::vector<std::size_t> count(6, 0);
    std::size_t total = 0;
    for (std::uint8_t c : lc.classes()) {
        const ClutterClass* cl = lc.table().find(c);
        if (!cl) continue;
        ++count[static_cast<std::size_t>(cl->category)];
        ++total;
    }
    std::vector<output::LandCoverShare> out;
    for (std::size_t i = 0; i < count.size(); ++i)
        out.push_back({std::string(to_string(static_cast<ClutterCategory>(i))),
                       total ? static_cast<double>(count[i]) / static_cast<double>(total) : 0.0});
    return out;
}

// The excess losses of the maps (excess_loss.hpp: clutter, vegetation, rain, gas; building entry is for indoor
// demand points only) added to every pixel with a loss. Parallel over rows; each pixel written by one iteration,
// warnings ORed per row and counted after, so the result does not depend on the thread count.
void add_map_excess(const ExcessLossModel& excess, LatLon site, double z_tx_m, const LandCover* rx_clutter, double h_rx_m,
                    GeoGrid& g, std::map<std::string, std::size_t>& warnings) {
    if (!excess.any()) return;
    const coverage::SiteFrame frame(site);
    std::vector<std::array<std::size_t, 2>> row_counts(static_cast<std::size_t>(g.rows), {0, 0});
#pragma omp parallel for schedule(dynamic, 8)
    for (int row = 0; row < g.rows; ++row) {
        const double lat = g.north_deg - row * g.dlat_deg;
        for (int col = 0; col < g.cols; ++col) {
            float& v = g.values[static_cast<std::size_t>(row) * g.cols + col];
            if (!std::isfinite(v)) continue;
            const LatLon p{lat, g.west_deg + col * g.dlon_deg};
            double d_m = 0.0, az_rad = 0.0;
            frame.to_polar(p, d_m, az_rad);
            if (d_m < 1.0) continue;
            const ExcessLoss e = excess.path(site, z_tx_m, p, coverage::receiver_height_m(rx_clutter, h_rx_m, p), d_m);
            v = static_cast<float>(v + e.total_db());
            for (std::size_t k = 0; k < 2; ++k) row_counts[static_cast<std::size_t>(row)][k] += (e.warnings >> k) & 1u;
        }
    }
    for (std::size_t k = 0; k < 2; ++k) {
        std::size_t n = 0;
        for (const auto& c : row_counts) n += c[k];
        if (n > 0) warnings[ExcessLossModel::warning_names(1u << k).front()] += n;
    }
}

// The run's propagation settings for the report (assumptions) and its provenance: each excess loss with its
// switch, value and standard, and each technology's model and radius with where they came from.
void add_propagation_settings(const Scenario& s, output::ComparisonReport& rep) {
    const ExcessLossSpec& e = s.propagation.losses;
    const bool lc = s.land_cover.present();
    const auto on_off = [](bool on, const std::string& what) { return on ? "on: " + what : std::string("off"); };
    const auto num = [](double v) {
        std::ostringstream os;
        os << v;
        return os.str();
    };
    auto& ps = rep.propagation_settings;
    ps.push_back({"loss.clutter", on_off(e.clutter && lc, "ITU-R P.2108-1 sec. 3.1, clutter heights of models/landcover (P.452-17 "
                                                          "Table 4, P.1812-6 Table 2)"), "propagation.clutter"});
    ps.push_back({"loss.vegetation", on_off(e.vegetation && lc, std::string("ITU-R P.833-10 sec. 2 (gamma: Weissberger 1982), "
                                                                             "capped by P.2108-1 sec. 3.1 trees/forest; season ") +
                                                                     to_string(e.season)), "propagation.vegetation"});
    ps.push_back({"loss.building_entry", on_off(e.building_entry, std::string("ITU-R P.2109-2, ") + to_string(e.building) +
                                                                      ", not exceeded with " + num(e.building_entry_probability_pct) + " %"),
                  "propagation.building_entry"});
    ps.push_back({"loss.rain", on_off(e.rain && e.rain_rate_mm_h > 0.0, "ITU-R P.530-18 sec. 2.4.1 / P.838-3, R0.01 = " +
                                                                             num(e.rain_rate_mm_h) + " mm/h, exceeded " +
                                                                             num(e.rain_time_pct) + " % of the year"),
                  "propagation.rain"});
    ps.push_back({"loss.gas", on_off(e.gas, "ITU-R P.676-13 Annex 1, 1013.25 hPa, 15 deg C, 7.5 g/m3"), "propagation.gas"});
    std::vector<const TechnologySpec*> all;
    for (const auto& t : s.technologies) all.push_back(&t);
    for (const auto& m : s.mixes)
        for (const auto& t : m.members) all.push_back(&t);
    for (const TechnologySpec* t : all) {
        const std::string v = t->profile + ": " + t->resolved_model + ", radius " + num(t->resolved_radius_m / 1000.0) +
                               " km, from " + t->resolved_from;
        if (std::none_of(ps.begin(), ps.end(), [&](const auto& x) { return x.value == v; }))
            ps.push_back({"loss.tech_model", v, t->path});
    }
    for (const auto& x : ps)
        rep.provenance.models.emplace_back(x.key == "loss.tech_model" ? "propagation model (" + x.field + ")" : x.field, x.value);
}

// The loss and service grids, estimated before they are made: each site keeps its window of the area grid
// (float loss + uint32 warnings), each technology and mix member its own per-site losses and about 12 service
// maps (RSRP, SINR, best server, throughputs, ...: 4 bytes a pixel each). The time estimate (about 1 us per
// pixel and model evaluation on one core, this project's coverage benchmark order of magnitude) is announced
// when above ~10 s.
void require_grid_memory_and_announce(const Scenario& s, const GeoGrid& area, const Terrain& terrain,
                                      const RunConfig& cfg) {
    const double res_m = s.propagation.resolution_m > 0.0 ? s.propagation.resolution_m : terrain.native_spacing_m();
    const double side = 2.0 * s.propagation.radius_m / res_m + 1.0;
    const double area_px = static_cast<double>(area.rows) * static_cast<double>(area.cols);
    const double window_px = std::min(side * side, area_px);
    const double entries = static_cast<double>(s.technologies.size() + [&] {
        std::size_t n = 0;
        for (const auto& m : s.mixes) n += m.members.size();
        return n;
    }());
    const double sites = static_cast<double>(s.sites.size());
    const double need = sites * window_px * 8.0 * (1.0 + entries) + area_px * 4.0 * 12.0 * entries;
    char what[256];
    std::snprintf(what, sizeof what,
                  "%s: propagation.resolution_m = %g m with radius_m = %g m: %zu sites on a %d x %d grid",
                  s.propagation.where.c_str(), res_m, s.propagation.radius_m, s.sites.size(), area.rows, area.cols);
    cfg.memory.require(need, what, "give a coarser propagation.resolution_m or a smaller radius_m");
    const double seconds = sites * window_px * (1.0 + entries) * 1e-6 / std::max(1, omp_get_max_threads());
    if (seconds > 10.0 && cfg.notice) {
        char msg[320];
        std::snprintf(msg, sizeof msg, "dxplan run: about %.0f s of work expected (%zu sites x %.3g pixels x %.0f runs, "
                      "%s of memory); SIGINT stops it cleanly", seconds, s.sites.size(), window_px, 1.0 + entries,
                      format_bytes(need).c_str());
        cfg.notice(msg);
    }
}

}  // namespace

GeoGrid run_area_grid(const std::vector<SiteSpec>& sites, const PropagationSpec& prop, const Terrain& terrain) {
    if (sites.empty()) return {};  // (no site: no loss grid)
    double south = 90.0, north = -90.0, west = 180.0, east = -180.0;
    for (const SiteSpec& site : sites) {
        south = std::min(south, site.pos.lat_deg), north = std::max(north, site.pos.lat_deg);
        west = std::min(west, site.pos.lon_deg), east = std::max(east, site.pos.lon_deg);
    }
    const LatLon centre{0.5 * (south + north), 0.5 * (west + east)};
    double reach_m = 0.0;  // the farthest site from the centre
    for (const SiteSpec& site : sites) reach_m = std::max(reach_m, geodesic_inverse(centre, site.pos).d_m);
    const double res_m = prop.resolution_m > 0.0 ? prop.resolution_m : terrain.native_spacing_m();
    GeoGrid g = coverage::make_receiver_grid(centre, prop.radius_m + reach_m + res_m, {0.0, res_m});
    // Cropped to the terrain (no loss outside it).
    const GeoBox t = terrain.grid().centres();
    const int r0 = std::max(0, static_cast<int>(std::ceil((g.north_deg - t.north_deg) / g.dlat_deg)));
    const int r1 = std::min(g.rows - 1, static_cast<int>(std::floor((g.north_deg - t.south_deg) / g.dlat_deg)));
    const int c0 = std::max(0, static_cast<int>(std::ceil((t.west_deg - g.west_deg) / g.dlon_deg)));
    const int c1 = std::min(g.cols - 1, static_cast<int>(std::floor((t.east_deg - g.west_deg) / g.dlon_deg)));
    if (r1 < r0 || c1 < c0) return g;  // (no site on the terrain: compute_site_loss reports it)
    g.north_deg -= r0 * g.dlat_deg;
    g.west_deg += c0 * g.dlon_deg;
    g.rows = r1 - r0 + 1;
    g.cols = c1 - c0 + 1;
    return g;
}

output::SiteResult compute_site_loss(const SiteLossInput& in, std::map<std::string, std::size_t>& warnings,
                                     const std::function<void(double)>& progress) {
    const Terrain& terrain = *in.terrain;
    const PropagationSpec& prop = *in.propagation;
    const prop::ModelInfo& model = prop::find_model(prop.model);
    const double res_m = prop.resolution_m > 0.0 ? prop.resolution_m : terrain.native_spacing_m();

    output::SiteResult r;
    r.pos = in.site;
    r.mast_height_m = in.mast_height_m;
    r.ground_m = terrain.height_m(in.site);
    const GeoGrid own = in.area ? GeoGrid{} : coverage::make_receiver_grid(in.site, prop.radius_m, {0.0, res_m});
    GeoGrid& g = r.loss_db;
    g = coverage::site_window(in.area ? *in.area : own, in.site, prop.radius_m).loss_db;
    if (g.rows == 0) throw InternalError("site " + std::to_string(in.site.lat_deg) + ", " + std::to_string(in.site.lon_deg) +
                                         ": outside the run's area grid");

    // The grid is the coverage solver's (libsim/coverage): fast radial sweep for ITM, per pixel otherwise.
    coverage::SiteLossSpec spec;
    spec.site = in.site;
    spec.h_tx_m = in.mast_height_m;
    spec.h_rx_m = prop.h_rx_m;
    spec.rx_clutter = prop.rx_height_from_clutter ? in.land_cover : nullptr;
    spec.radius_m = prop.radius_m;
    spec.model = prop.model;
    spec.params.f_mhz = prop.f_mhz;
    spec.params.lat_deg = in.site.lat_deg;
    spec.params.lon_deg = in.site.lon_deg;
    spec.keep_warnings = true;
    spec.cancel = in.cancel;
    if (progress) progress(0.0);
    coverage::SiteLoss loss = coverage::compute_site_loss(terrain, spec, g);
    if (progress) progress(1.0);
    g.values = std::move(loss.loss_db.values);
    const ExcessLossModel excess(prop.losses, prop.f_mhz, in.land_cover, terrain);
    const double z_tx_m = r.ground_m + in.mast_height_m;
    add_map_excess(excess, in.site, z_tx_m, spec.rx_clutter, prop.h_rx_m, g, warnings);
    const auto calibrate = [&] {  // propagation.calibration (measure_stage.hpp): grid and demand losses
        // (only to the model it was fitted for: a technology planned with its own model is not corrected)
        if (prop.calibration && prop.calibration->model == prop.model)
            apply_calibration(*prop.calibration, in.site, in.land_cover, g, *in.demand, r.demand_loss_db);
    };
    const bool is_itm = model.radial_sweep == prop::RadialSweep::itm;  // the sweep's warnings are ITM's bits
    for (std::uint32_t bits : loss.warnings) {
        if (bits == 0) continue;
        if (bits & coverage::kModelError) ++warnings["model_rejected_path"];
        if (is_itm)
            for (std::string_view w : prop::itm_warning_names(bits & ~coverage::kModelError)) ++warnings[std::string(w)];
        else if (bits & coverage::kAnyWarning)
            ++warnings["model_warning"];
    }

    // Demand points: the model over each point's own profile (the exact mode for single points).
    prop::LossQuery base = spec.params;
    base.h_tx_m = in.mast_height_m;
    base.h_rx_m = prop.h_rx_m;
    const auto& demand = *in.demand;
    for (auto* v : {&r.demand_clutter_db, &r.demand_vegetation_db, &r.demand_building_entry_db, &r.demand_rain_db,
                    &r.demand_gas_db})
        v->assign(demand.size(), std::numeric_limits<float>::quiet_NaN());
    const auto loss_to = [&](const output::DemandPoint& point, std::vector<double>& z_m,
                             std::map<std::string, std::size_t>& warn) -> float {
        const LatLon p = point.pos;
        if (!terrain.contains(p)) return std::numeric_limits<float>::quiet_NaN();
        const double d_m = geodesic_inverse(in.site, p).d_m;
        if (d_m > prop.radius_m || d_m < 1.0) return std::numeric_limits<float>::quiet_NaN();
        prop::LossQuery q = base;
        q.h_rx_m = coverage::receiver_height_m(spec.rx_clutter, prop.h_rx_m, p);
        const double spacing_m = extract_profile_into(terrain, in.site, p, 0.0, z_m);
        q.profile = ProfileView(spacing_m, z_m);
        q.d_m = d_m;
        const prop::LossResult res = prop::compute_loss(model, q);
        for (const auto& w : res.warnings) ++warn[w];
        const ExcessLoss e = excess.demand_point(in.site, z_tx_m, p, q.h_rx_m, d_m, point.indoor, point.terminal_gain_db);
        for (const auto& w : ExcessLossModel::warning_names(e.warnings)) ++warn[w];
        const std::size_t i = static_cast<std::size_t>(&point - demand.data());
        r.demand_clutter_db[i] = static_cast<float>(e.clutter_db);
        r.demand_vegetation_db[i] = static_cast<float>(e.vegetation_db);
        r.demand_building_entry_db[i] = static_cast<float>(e.building_entry_db);
        r.demand_rain_db[i] = static_cast<float>(e.rain_db);
        r.demand_gas_db[i] = static_cast<float>(e.gas_db);
        return static_cast<float>(res.loss_db + e.total_db());
    };

    // Parallel over demand points (each value written by one iteration; warnings counted per thread and summed,
    // so the result does not depend on the thread count).
    const auto n_demand = static_cast<std::ptrdiff_t>(demand.size());
    r.demand_loss_db.assign(demand.size(), std::numeric_limits<float>::quiet_NaN());
    std::vector<std::map<std::string, std::size_t>> thread_warnings(static_cast<std::size_t>(omp_get_max_threads()));
    struct Scratch {
        std::vector<double> z_m;
        std::map<std::string, std::size_t>* warn;
    };
    const auto scratch = [&] {
        return Scratch{{}, &thread_warnings[static_cast<std::size_t>(omp_get_thread_num())]};
    };
    parallel_for(n_demand, 256, scratch, [&](Scratch& t, std::ptrdiff_t i) {
        r.demand_loss_db[static_cast<std::size_t>(i)] = loss_to(demand[static_cast<std::size_t>(i)], t.z_m, *t.warn);
    });
    for (const auto& tw : thread_warnings)
        for (const auto& [name, n] : tw) warnings[name] += n;
    calibrate();
    r.stats = output::loss_stats(g);
    return r;
}

RunSummary run_scenario(const RunConfig& cfg) {
    Scenario s = load_scenario(cfg.scenario_file, cfg.overrides);
    if (cfg.adjust) cfg.adjust(s);
    const output::Lang lang = output::parse_lang(cfg.lang);
    // Every output checked before any work; written into a staging folder beside --out, published at the end
    // (libsim/core/output_set.hpp). The technology and cost tables are inputs too.
    std::vector<fs::path> inputs = scenario_input_files(s);
    inputs.push_back(data_dir() / "models");
    inputs.push_back(data_dir() / "scenarios");
    OutputSet outputs(inputs);
    const fs::path tmp = outputs.add_directory(cfg.out_dir, "--out", cfg.force);
    throw_if_cancelled(cfg.cancel);

    const World world = load_world(s, cfg.memory);
    for (SiteSpec& c : auto_candidate_sites(s, world)) s.sites.push_back(std::move(c));  // hilltops, built-up
    output::RunResults res;
    res.scenario_name = s.name;
    res.scenario_file = s.file.string();
    for (const auto& t : s.technologies) res.technologies.push_back(t.profile);
    res.model = s.propagation.model;
    res.f_mhz = s.propagation.f_mhz;
    res.h_rx_m = s.propagation.h_rx_m;
    res.resolution_m = s.propagation.resolution_m > 0.0 ? s.propagation.resolution_m : world.terrain.native_spacing_m();
    res.radius_m = s.propagation.radius_m;
    const GeoGrid& tg = world.terrain.grid();
    res.terrain = {terrain_source(s), tg.rows, tg.cols, tg.bounds(), world.terrain.native_spacing_m(),
                   world.terrain.voids().void_cells, world.terrain.voids().large_regions};
    if (world.land_cover) {
        res.land_cover_source = s.land_cover.synthetic ? "synthetic" : s.land_cover.file.filename().string();
        res.land_cover = land_cover_shares(*world.land_cover);
    }
    res.demand = resolve_demand(s, world, cfg.memory);
    if (res.demand.empty() && !s.technologies.empty())
        throw InputError(s.file.string() + ": demand: no demand point (none given, or none generated inside the "
                         "terrain); the comparison needs at least one household, facility or IoT device");
    res.measure = measure_sections(s, world);  // Measurements / Outcome evaluation (measure_stage.hpp), or null
    for (const auto& p : s.fibre_pops) res.fibre_pops.push_back({p.id, p.pos});

    // Per-site loss at the scenario's frequency (libsim/coverage), then the comparison stage: the progress bar
    // gives each about half (with technologies; all to the loss maps without).
    std::map<std::string, std::size_t> warnings;
    PropagationSpec area_prop = s.propagation;  // the area grid covers every technology's own radius
    area_prop.radius_m = max_radius_m(s);
    const GeoGrid area = run_area_grid(s.sites, area_prop, world.terrain);
    require_grid_memory_and_announce(s, area, world.terrain, cfg);
    throw_if_cancelled(cfg.cancel);
    const double n_sites = static_cast<double>(s.sites.size());
    const double loss_share = s.technologies.empty() ? 1.0 : 0.5;
    for (std::size_t i = 0; i < s.sites.size(); ++i) {
        throw_if_cancelled(cfg.cancel);
        const SiteSpec& site = s.sites[i];
        const auto report = [&](double f) {
            if (cfg.progress) cfg.progress(loss_share * (static_cast<double>(i) + f) / n_sites);
        };
        output::SiteResult r =
            compute_site_loss({site.pos, site.mast_height_m, &world.terrain, &s.propagation, &res.demand,
                               world.land_cover ? &*world.land_cover : nullptr, &area, cfg.cancel},
                              warnings, report);
        r.id = site.id;
        r.technology = site.technology;
        r.origin = site.origin;
        res.sites.push_back(std::move(r));
    }

    // Outputs, all into the staging directory, then published together.
    throw_if_cancelled(cfg.cancel);
    RunSummary summary{cfg.out_dir, res.sites.size(), res.demand.size(), 0, {}};
    try {
        if (s.outputs.loss_geotiff && !cfg.routes_only) {
            for (auto& r : res.sites) {
                r.geotiff = "loss-" + r.id + ".tif";
                write_geotiff_f32(tmp / r.geotiff, r.loss_db, kGeoTiffNodata);
                ++summary.files;
            }
        }
        // Technology comparison: site selection, backhaul, costs, uncertainty (comparison_stage.hpp).
        output::ComparisonReport comparison;
        if (!s.technologies.empty()) {
            std::vector<route::NetworkTechnology> network;  // the planned cells, for the routes
            std::vector<output::BackhaulPlanRecord> route_backhaul;
            ComparisonStageConfig stage{cfg.routes_only ? fs::path() : tmp, static_cast<unsigned>(omp_get_max_threads()),
                                        &warnings, &area, &res.service_maps, [&](double f) {
                                            throw_if_cancelled(cfg.cancel);  // between technologies, outside parallel regions
                                            if (cfg.progress) cfg.progress(loss_share + (1.0 - loss_share) * 0.95 * f);
                                        }};
            stage.route_network = s.routes.empty() ? nullptr : &network;
            stage.technology_losses = &res.technology_losses;
            comparison = run_comparison_stage(s, world, res, stage, summary.files);
            add_propagation_settings(s, comparison);
            comparison.many_terminals = many_terminals_stage(  // traffic_stage.hpp
                s, res, comparison.requirements,
                {&comparison, comparison::catalogue_with_overrides(s), comparison::economic_params(s)});
            if (!s.routes.empty()) {  // route stage (route_stage.hpp)
                for (const auto& t : comparison.technologies) {  // the backhaul plans (as res.backhaul below)
                    output::BackhaulPlanRecord plan{t.eval.name, {}, {}, {}, 0.0, 0.0, 0.0, {}};
                    for (const auto& l : t.map.backhaul) {
                        plan.a.push_back(l.a);
                        plan.b.push_back(l.b);
                        plan.link_technology.push_back(l.kind);
                    }
                    route_backhaul.push_back(std::move(plan));
                }
                comparison.routes = run_route_stage(s, world, network, route_backhaul, tmp, summary.files, res.routes_json);
                if (cfg.routes) *cfg.routes = comparison.routes;
            }
            res.comparison_json = output::comparison_summary_json(comparison);
            for (const auto& t : comparison.technologies) {
                output::BackhaulPlanRecord plan{t.eval.name, {}, {}, {}, t.backhaul.capex_jpy,
                                                t.backhaul.opex_jpy_per_year, t.backhaul.fibre_km, t.backhaul.solver};
                for (const auto& l : t.map.backhaul) {
                    plan.a.push_back(l.a);
                    plan.b.push_back(l.b);
                    plan.link_technology.push_back(l.kind);
                }
                res.backhaul.push_back(std::move(plan));
            }
        }
        for (const auto& [name, n] : warnings)
            res.warnings.push_back((name.rfind("p2108", 0) == 0 || name.rfind("p833", 0) == 0 ? "" : s.propagation.model + ": ") +
                                   name + " (" + std::to_string(n) + " paths)");
        output::write_summary_json(tmp / "summary.json", res);
        ++summary.files;
        if (!cfg.overrides.empty()) {
            write_text_atomically(tmp / "scenario.resolved.yaml", s.resolved_yaml);
            ++summary.files;
        }
        if (s.outputs.results_h5 && !cfg.routes_only) {
            output::write_results_h5(tmp / "results.h5", res);
            ++summary.files;
        }
        if (s.outputs.report_html && !cfg.routes_only) {
            if (s.technologies.empty()) {
                output::write_report_html(tmp / "report.html", res);
                ++summary.files;
            } else {
                output::write_reports(tmp, comparison, lang);  // report.html and report.md
                summary.files += 2;
                if (cfg.pdf || s.outputs.report_pdf) {  // opt-in: printing takes several seconds
                    summary.pdf_note = write_report_pdf(tmp);
                    summary.files += summary.pdf_note.empty() ? 1 : 0;
                }
            }
        }
        throw_if_cancelled(cfg.cancel);
        outputs.publish(slurp_identity(cfg));
    } catch (const fs::filesystem_error& e) {
        // (a filesystem_error may carry no error code: its own text then, never "Success")
        throw InputError(cfg.out_dir.string() + ": cannot write output: " + (e.code() ? e.code().message() : std::string(e.what())));
    }
    if (cfg.progress) cfg.progress(1.0);
    return summary;
}

}  // namespace dxplan
