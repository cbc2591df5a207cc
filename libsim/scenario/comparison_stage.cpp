// dxplan run, comparison stage (see comparison_stage.hpp).
#include "libsim/scenario/comparison_stage.hpp"
#include "libsim/network/backhaul_output.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <string_view>

#include "libsim/core/error.hpp"
#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/stats.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/economics/comparison.hpp"
#include "libsim/economics/site_selection.hpp"
#include "libsim/economics/uncertainty.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/link/link.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_technology.hpp"
#include "libsim/network/candidate_graph.hpp"
#include "libsim/network/road_network.hpp"
#include "libsim/output/kmz.hpp"
#include "libsim/output/png.hpp"
#include "libsim/output/sha256.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/terrain/raster_io.hpp"

namespace dxplan {

namespace {

namespace fs = std::filesystem;
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kShadowSigmaDb = 6.0;      // planning shadowing sigma (assumption, outdoor rural)
inline constexpr std::size_t kExactMaxCandidates = 25;
inline constexpr std::uint64_t kSeed = 1;

double mw(double dbm) { return std::pow(10.0, dbm / 10.0); }

// Planning margins of one site at one demand point (dB over the most robust mode), downlink and uplink. A site
// with sectors: its best sector (least pattern attenuation) serves, its other sectors interfere.
struct PointLink {
    double rx_dl_dbm = kNaN;
    double rx_dl_mw = 0.0;            // the same in mW (0 when no path), for the interference sums
    double other_cells_mw = 0.0;      // the site's other sectors at the point (mW)
    double dl_margin_db = -INFINITY;  // noise only
    double ul_margin_db = -INFINITY;
};

// atten_db: each sector's pattern attenuation toward the point (empty: omni).
PointLink point_link(const link::Budget& dl, const link::Budget& ul, double loss_db, std::span<const double> atten_db = {}) {
    PointLink p;
    if (!std::isfinite(loss_db)) return p;
    const double best_atten_db = atten_db.empty() ? 0.0 : *std::min_element(atten_db.begin(), atten_db.end());
    p.rx_dl_dbm = link::received_power_dbm(dl, loss_db, best_atten_db);
    p.rx_dl_mw = mw(p.rx_dl_dbm);
    for (double a_db : atten_db) p.other_cells_mw += mw(link::received_power_dbm(dl, loss_db, a_db));
    if (!atten_db.empty()) p.other_cells_mw = std::max(0.0, p.other_cells_mw - p.rx_dl_mw);
    p.dl_margin_db = p.rx_dl_dbm - dl.noise_floor_dbm - dl.fade_margin_db - dl.interference_margin_db - dl.min_snr_db;
    const double rx_ul = link::received_power_dbm(ul, loss_db, best_atten_db);
    p.ul_margin_db = rx_ul - ul.noise_floor_dbm - ul.fade_margin_db - ul.interference_margin_db - ul.min_snr_db;
    return p;
}

// The cells of a site: one omni cell, or one per sector ("<site>/<n>", n from 1) with its antenna.
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

// Demand point i under the chosen candidates sharing one channel: its best server (index into `chosen`) and
// planning margin, SINR = P_best - 10 log10(N + sum of the other chosen sites' power) (mW sum).
struct Serving {
    std::size_t best = 0;
    double planning_db = -INFINITY;  // SINR less the fade and interference margins
    double margin_db = -INFINITY;    // min(downlink over the most robust mode, uplink)
    bool served = false;
};

Serving serving(const std::vector<std::vector<PointLink>>& links, const std::vector<std::size_t>& chosen, std::size_t i,
                const link::Budget& dl) {
    Serving sv;
    double best_dbm = -INFINITY, total_mw = 0.0;
    for (std::size_t c = 0; c < chosen.size(); ++c) {
        const PointLink& p = links[chosen[c]][i];
        if (!std::isfinite(p.rx_dl_dbm)) continue;
        total_mw += p.rx_dl_mw + p.other_cells_mw;
        if (p.rx_dl_dbm > best_dbm) best_dbm = p.rx_dl_dbm, sv.best = c;
    }
    if (!std::isfinite(best_dbm)) return sv;
    const double others_mw = total_mw - links[chosen[sv.best]][i].rx_dl_mw;
    const double sinr_db = best_dbm - 10.0 * std::log10(mw(dl.noise_floor_dbm) + others_mw);
    sv.planning_db = sinr_db - dl.fade_margin_db - dl.interference_margin_db;
    sv.margin_db = std::min(sv.planning_db - dl.min_snr_db, links[chosen[sv.best]][i].ul_margin_db);
    sv.served = sv.margin_db >= 0.0;
    return sv;
}

// Site selection counts noise-limited coverage; with every site of a technology on one channel, a site can serve
// fewer points than it takes from the others by interference. Drop, most expensive first, each chosen site whose
// removal does not lower the number of demand points served with SINR, until none can go: cheaper and serving at
// least as many points.
std::vector<std::size_t> drop_interfering_sites(const std::vector<std::vector<PointLink>>& links,
                                                std::vector<std::size_t> chosen, const econ::SelectionProblem& prob,
                                                const link::Budget& dl) {
    const std::size_t n_demand = prob.demand_weight.size();
    const auto served = [&](const std::vector<std::size_t>& ch) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < n_demand; ++i)
            n += prob.demand_weight[i] > 0.0 && serving(links, ch, i, dl).served ? 1 : 0;
        return n;
    };
    for (bool dropped = true; dropped && chosen.size() > 1;) {
        dropped = false;
        const std::size_t now = served(chosen);
        std::vector<std::size_t> order(chosen.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return prob.candidates[chosen[a]].cost_jpy > prob.candidates[chosen[b]].cost_jpy;
        });
        for (std::size_t o : order) {
            std::vector<std::size_t> without = chosen;
            without.erase(without.begin() + static_cast<std::ptrdiff_t>(o));
            if (served(without) >= now) {
                chosen = std::move(without);
                dropped = true;
                break;
            }
        }
    }
    return chosen;
}

double percentile(std::vector<double> v, double q) {  // nearest rank
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(k, 1, v.size()) - 1];
}

std::string family_name(const link::Technology& t) { return std::string(link::to_string(t.family)); }

// Cost of the kit's items counted `per` (one site, or the network): the present value of all their costs, as
// evaluate_costs books them (prepaid rentals, escalation, the programme's rules), so the selection and the
// budget table price them as the final evaluation does.
double kit_cost_jpy(const econ::Catalogue& c, const std::string& kit, econ::Per per, const econ::EconomicParams& p) {
    econ::Quantities q;
    q.networks = per == econ::Per::network ? 1.0 : 0.0;
    q.sites = per == econ::Per::site ? 1.0 : 0.0;
    std::vector<econ::CostItem> bill = econ::bill_of_materials(c, kit, q);
    std::erase_if(bill, [&](const econ::CostItem& it) { return c.item(it.id).per != per; });
    return econ::evaluate_costs(bill, p).npv_jpy;
}

double fibre_km_cost_jpy(const econ::Catalogue& c, const econ::EconomicParams& p) {
    const auto& it = c.item("fibre-aerial-km");
    return it.capex_jpy + it.opex_jpy_per_year * econ::opex_pv_factor(p);
}

double nearest_pop_m(const Scenario& s, const LatLon& pos) {
    double best = INFINITY;
    for (const auto& pop : s.fibre_pops) best = std::min(best, geodesic_inverse(pos, pop.pos).d_m);
    return std::isfinite(best) ? best : 0.0;
}

// Cell area (km²) of a lat/lon grid at a latitude (spherical Earth, mean radius 6371.0088 km).
double cell_area_km2(const GeoGrid& g, double lat_deg) {
    constexpr double r_km = 6371.0088, rad = 3.14159265358979323846 / 180.0;
    return (g.dlat_deg * rad * r_km) * (g.dlon_deg * rad * r_km * std::cos(lat_deg * rad));
}

struct Coverage {
    double area_km2 = 0.0;
    GeoGrid rx_dbm;  // best-server downlink power where served (NaN elsewhere), common grid of the chosen sites
};

// Noise-limited coverage of the chosen sites on one grid spanning their loss grids (their spacing).
Coverage coverage_area(const std::vector<const output::SiteResult*>& sites, const link::Budget& dl,
                       const link::Budget& ul) {
    Coverage c;
    if (sites.empty()) return c;
    const GeoGrid& g0 = sites.front()->loss_db;
    double north = -90, south = 90, west = 180, east = -180;
    for (const auto* s : sites) {
        const GeoGrid& g = s->loss_db;
        north = std::max(north, g.north_deg);
        west = std::min(west, g.west_deg);
        south = std::min(south, g.north_deg - (g.rows - 1) * g.dlat_deg);
        east = std::max(east, g.west_deg + (g.cols - 1) * g.dlon_deg);
    }
    GeoGrid& out = c.rx_dbm;
    out.dlat_deg = g0.dlat_deg;
    out.dlon_deg = g0.dlon_deg;
    out.north_deg = north;
    out.west_deg = west;
    out.rows = static_cast<int>(std::round((north - south) / out.dlat_deg)) + 1;
    out.cols = static_cast<int>(std::round((east - west) / out.dlon_deg)) + 1;
    out.values.assign(static_cast<std::size_t>(out.rows) * out.cols, std::numeric_limits<float>::quiet_NaN());
    for (int r = 0; r < out.rows; ++r) {
        const double lat = north - r * out.dlat_deg;
        const double area = cell_area_km2(out, lat);
        for (int col = 0; col < out.cols; ++col) {
            const double lon = west + col * out.dlon_deg;
            double best = -INFINITY;
            for (const auto* s : sites) {
                const GeoGrid& g = s->loss_db;
                const int rr = static_cast<int>(std::round((g.north_deg - lat) / g.dlat_deg));
                const int cc = static_cast<int>(std::round((lon - g.west_deg) / g.dlon_deg));
                if (rr < 0 || cc < 0 || rr >= g.rows || cc >= g.cols) continue;
                const float loss = g.values[static_cast<std::size_t>(rr) * g.cols + cc];
                const PointLink p = point_link(dl, ul, loss);
                if (p.dl_margin_db >= 0.0 && p.ul_margin_db >= 0.0) best = std::max(best, p.rx_dl_dbm);
            }
            if (std::isfinite(best)) {
                out.values[static_cast<std::size_t>(r) * out.cols + col] = static_cast<float>(best);
                c.area_km2 += area;
            }
        }
    }
    return c;
}

// Step 4b: the chosen sites' cells combined on the part of the run's area grid their loss windows cover (one
// channel), the per-cell statistics over the demand points in scope, and the files (into out_dir unless empty).
output::ServiceMaps service_maps(const World& w, const std::string& label, const link::Technology& tech,
                                 const link::BudgetOptions& budget, const GeoGrid& area, double h_rx_m,
                                 const std::vector<const SiteSpec*>& sites, const std::vector<const output::SiteResult*>& loss,
                                 const std::vector<output::DemandPoint>& demand, const fs::path& out_dir, std::size_t& files) {
    // The windows' offsets on the area grid (the loss grids are windows of it: whole multiples of its spacing).
    std::vector<coverage::SiteWindow> windows(sites.size());
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
    spec.technologies = {tech};
    spec.budget = budget;
    spec.h_rx_m = h_rx_m;
    std::vector<const coverage::SiteWindow*> cell_loss;
    for (std::size_t k = 0; k < sites.size(); ++k) {
        windows[k].row0 -= r0;
        windows[k].col0 -= c0;
        windows[k].loss_db = loss[k]->loss_db;
        for (coverage::SiteRadio& cell : cells_of(*sites[k])) {
            spec.sites.push_back(std::move(cell));
            cell_loss.push_back(&windows[k]);
        }
    }
    coverage::CoverageMaps maps = coverage::combine_coverage(w.terrain, spec, cell_loss);
    std::vector<coverage::DemandPoint> points;
    for (const auto& d : demand) points.push_back({d.id, d.pos, d.kind});
    coverage::TechnologyStats stats = std::move(coverage::coverage_statistics(maps, spec, points).front());
    output::ServiceMaps out{label, std::move(maps.technologies.front()), std::move(stats), {}};
    if (out_dir.empty()) return out;

    const coverage::TechnologyMaps& m = out.maps;
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
    const std::vector<GeoTiffBand> cells = {{"best_server: cell index (summary.json service_maps cells)", {}, m.best_server},
                                            {"dl_mode: downlink mode index of the technology profile", {}, m.dl_mode},
                                            {"ul_mode: uplink mode index of the technology profile", {}, m.ul_mode}};
    GeoGrid server = m.rx_power_dbm;
    for (std::size_t i = 0; i < server.values.size(); ++i)
        server.values[i] = m.best_server[i] == coverage::kNone ? std::numeric_limits<float>::quiet_NaN()
                                                                : static_cast<float>(m.best_server[i]);
    const output::ColorRamp server_ramp = output::server_ramp(spec.sites.size());
    // The files are independent (no GDAL dataset is shared): written in parallel, the slowest first.
    const std::vector<std::function<void()>> writers = {
        [&] { output::write_png_over_hillshade(out_dir / (base + "-sinr.png"), m.sinr_db, output::sinr_ramp(), w.terrain); },
        [&] { write_geotiff_bands(out_dir / (base + "-service.tif"), m.rx_power_dbm, service, kGeoTiffNodata); },
        [&] { output::write_kmz(out_dir / (base + "-sinr.kmz"), m.sinr_db, output::sinr_ramp(),
                                "dxplan " + label + ": downlink SINR (dB)"); },
        [&] { write_geotiff_bands(out_dir / (base + "-cells.tif"), m.rx_power_dbm, cells, coverage::kNone); },
        [&] { output::write_kmz(out_dir / (base + "-best-server.kmz"), server, server_ramp,
                                "dxplan " + label + ": best-server cell (summary.json service_maps cells)"); }};
    std::vector<std::exception_ptr> errors(writers.size());
#pragma omp parallel for schedule(dynamic, 1)
    for (std::size_t i = 0; i < writers.size(); ++i) {
        try {
            writers[i]();
        } catch (...) {
            errors[i] = std::current_exception();
        }
    }
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
    out.files = {base + "-service.tif", base + "-cells.tif", base + "-sinr.png", base + "-sinr.kmz",
                 base + "-best-server.kmz"};
    files += out.files.size();
    return out;
}

struct BackhaulResult {
    output::BackhaulSummary summary;
    std::vector<econ::CostItem> items;
    std::vector<output::MapLink> links;
};

// The backhaul inputs of the scenario, loaded once (bad files are input errors, not planner failures).
struct BackhaulInputs {
    std::vector<net::BackhaulTechnology> technologies;  // backhaul.technologies, else the default set
    std::optional<net::RoadNetwork> roads;               // backhaul.roads
    net::DesignCriteria criteria;
    double fibre_detour = 1.0;  // fibre route / straight line (models/technology/backhaul/fibre.yaml) for the site-
                                // cost estimate and the straight-fibre fallback
};

// Backhaul for the chosen sites of access technology `access_profile`: the network layer's candidate graph
// and heuristic plan (a backhaul technology served by an access network's base station only for the plan of
// that network); when it cannot plan (no PoP, a site outside the terrain), straight fibre to the nearest PoP
// with the detour factor.
// With `out_dir` set, the plan's GeoJSON, KML and CSV files go to `out_dir` (their count added to `files`).
BackhaulResult plan_backhaul(const Scenario& s, const World& w, const BackhaulInputs& in, const std::string& access_profile,
                             const econ::Catalogue& cat, const econ::EconomicParams& p,
                             const std::vector<const SiteSpec*>& chosen,
                             const std::vector<double>& site_mbps, const fs::path& out_dir, std::size_t& files) {
    BackhaulResult b;
    if (chosen.empty() || s.fibre_pops.empty()) return b;
    try {
        std::vector<net::Node> nodes;
        for (std::size_t i = 0; i < chosen.size(); ++i)
            nodes.push_back({chosen[i]->id, net::NodeKind::site, chosen[i]->pos.lat_deg, chosen[i]->pos.lon_deg, site_mbps[i],
                             chosen[i]->mast_height_m});
        for (const auto& pop : s.fibre_pops)
            nodes.push_back({pop.id, net::NodeKind::pop, pop.pos.lat_deg, pop.pos.lon_deg, 0.0, 15.0});
        std::vector<net::BackhaulTechnology> techs;
        for (const auto& t : in.technologies)
            if (!t.needs_access_sites || t.access_profile == access_profile) techs.push_back(t);
        net::GraphOptions go;
        go.horizon_years = p.horizon_years;
        go.discount_rate = p.discount_rate;
        go.roads = in.roads ? &*in.roads : nullptr;
        go.max_drop_m = s.backhaul.max_drop_m;
        const net::CandidateGraph g = net::build_candidate_graph(nodes, techs, cat, w.terrain,
                                                                 w.land_cover ? &*w.land_cover : nullptr, in.criteria, go);
        const net::BackhaulPlan plan = net::plan_backhaul_heuristic(g.problem);
        if (!out_dir.empty())
            files += net::write_backhaul_outputs(out_dir, g, plan, techs, {s.name, 0.0, 0.0}).size();
        b.summary.solver = plan.solver;
        b.summary.solved = plan.solved;
        for (std::size_t li : plan.links) {
            const net::CandidateLink& l = g.problem.links[li];
            const auto& na = g.problem.nodes[static_cast<std::size_t>(l.a)];
            const auto& nb = g.problem.nodes[static_cast<std::size_t>(l.b)];
            b.links.push_back({{na.lat_deg, na.lon_deg}, {nb.lat_deg, nb.lon_deg}, l.technology,
                               li < g.assessments.size() ? g.assessments[li].route : std::vector<LatLon>{}});
            ++b.summary.links;
            std::string item = l.technology;
            bool fibre = false;
            for (const auto& t : techs)
                if (t.name == l.technology) {
                    item = t.catalogue_item;
                    fibre = t.kind == net::BackhaulKind::fibre;
                }
            if (l.technology == net::kColocatedTechnology) continue;  // on the PoP's premises: no cost
            // Fibre as route km at the link's price per km, a radio hop as one unit.
            const double km = g.assessments[li].length_m / 1000.0;
            const double units = fibre && km > 0.0 ? km : 1.0;
            if (fibre) b.summary.fibre_km += km;
            else ++b.summary.wireless_hops;
            b.items.push_back({item, "backhaul", econ::Acquisition::purchase, units, l.capex_jpy / units,
                               l.opex_jpy_per_year / units, true});
        }
    } catch (const std::exception& e) {  // InputError from the planner's checks, or a solver failure
        b = BackhaulResult{};
        b.summary.solver = std::string("straight fibre (network planner: ") + e.what() + ")";
        const auto& fibre = cat.item("fibre-aerial-km");
        for (const auto* site : chosen) {
            double best = INFINITY;
            const FibrePopSpec* pop = nullptr;
            for (const auto& pp : s.fibre_pops) {
                const double d = geodesic_inverse(site->pos, pp.pos).d_m;
                if (d < best) best = d, pop = &pp;
            }
            const double km = best * in.fibre_detour / 1000.0;
            b.summary.fibre_km += km;
            ++b.summary.links;
            b.links.push_back({pop->pos, site->pos, "fibre", {}});
            b.items.push_back({fibre.id, "backhaul", fibre.acquisition, km, fibre.capex_jpy, fibre.opex_jpy_per_year, true});
        }
    }
    for (const auto& it : b.items) {
        b.summary.capex_jpy += it.quantity * it.unit_capex_jpy;
        b.summary.opex_jpy_per_year += it.quantity * it.unit_opex_jpy_per_year;
    }
    return b;
}

// The shipped catalogue with the scenario's quotations (economics.prices) in place of its prices: the item's
// range (low/high, for the sensitivity and Monte Carlo) scales with its main price; its source says so.
econ::Catalogue catalogue_with_overrides(const Scenario& s) {
    econ::Catalogue cat = econ::load_catalogue(econ::default_catalogue_path());
    for (const PriceOverride& o : s.economics.prices) {
        const auto it = std::find_if(cat.items.begin(), cat.items.end(), [&](const auto& c) { return c.id == o.id; });
        if (it == cat.items.end())
            throw InputError(o.where + ": economics.prices." + o.id + ": no such item in the cost catalogue (" +
                             econ::default_catalogue_path().filename().string() + ")");
        const double before_jpy = econ::main_price_jpy(*it);
        if (o.capex_jpy) it->capex_jpy = *o.capex_jpy;
        if (o.opex_jpy_per_year) it->opex_jpy_per_year = *o.opex_jpy_per_year;
        const double scale = before_jpy > 0.0 ? econ::main_price_jpy(*it) / before_jpy : 1.0;
        it->low_jpy *= scale;
        it->high_jpy *= scale;
        it->source = "scenario quotation (" + o.where + "), replacing: " + it->source;
        it->status = "quotation";
    }
    return cat;
}

link::Overrides overrides_of(const TechnologySpec& t) {
    link::Overrides o;
    for (const auto& [k, v] : t.overrides) o.emplace_back(k, v.text);
    return o;
}

}  // namespace

output::ComparisonReport run_comparison_stage(const Scenario& s, const World& world, const output::RunResults& res,
                                              const ComparisonStageConfig& cfg, std::size_t& files_written) {
    output::ComparisonReport rep;
    rep.run = &res;
    const econ::Catalogue cat = catalogue_with_overrides(s);
    rep.catalogue_version = cat.version;
    rep.params.horizon_years = s.economics.horizon_years;
    rep.params.discount_rate = s.economics.discount_rate;
    rep.params.rules.subsidy_rate = s.economics.subsidy_rate;
    rep.params.rules.subsidy_cap_jpy = s.economics.subsidy_cap_jpy;
    rep.params.opex_escalation_rate = s.economics.opex_escalation_rate;
    rep.params.rules.demonstration = s.economics.demonstration;
    rep.params.rules.rentals_booked_up_front = s.economics.rentals_booked_up_front;
    rep.params.rules.rental_eligible_years = s.economics.rental_eligible_years;
    rep.budget_jpy = s.economics.budget_jpy;
    bool have_iot = false;
    for (const auto& d : res.demand) have_iot = have_iot || d.kind == "iot";
    econ::Requirements& req = rep.requirements;
    const RequirementsSpec& rq = s.requirements;
    req.coverage_target_fraction = rq.coverage_target;
    req.location_reliability = rq.location_reliability;
    req.min_mbps_per_household = rq.min_mbps_per_household;
    req.busy_hour_activity = rq.busy_hour_activity;
    req.min_edge_mbps = rq.min_edge_mbps.value_or(econ::kNoRequirement);
    req.max_latency_ms = rq.max_latency_ms.value_or(econ::kNoRequirement);
    // Unset: sensors on batteries must last 5 years when the demand has IoT devices.
    req.min_battery_years = rq.device_battery_years.value_or(have_iot ? 5.0 : econ::kNoRequirement);
    req.outdoor = rq.outdoor;

    const std::size_t n_demand = res.demand.size();
    std::vector<econ::UncertainTechnology> unc;
    std::vector<std::string> used_items;
    BackhaulInputs backhaul_in{net::load_backhaul_technologies(net::default_backhaul_dir(), s.backhaul.technologies,
                                                               s.file.string() + ": backhaul.technologies"),
                               std::nullopt, net::load_design_criteria()};
    if (!s.backhaul.roads.empty())
        backhaul_in.roads = net::load_road_network(s.backhaul.roads, s.file.string() + ": backhaul.roads");
    backhaul_in.fibre_detour = net::load_backhaul_technologies(net::default_backhaul_dir(), {"fibre"}).front().detour_factor;
    // Each technology's own coverage run: the candidate sites' loss at its centre frequency (pipeline.hpp
    // compute_site_loss, the same model and grid as the run), computed once per distinct frequency.
    std::map<double, std::vector<output::SiteResult>> sites_by_f;
    const auto sites_at = [&](double f_mhz, const std::string& profile) -> const std::vector<output::SiteResult>& {
        if (f_mhz == res.f_mhz) return res.sites;
        std::vector<output::SiteResult>& v = sites_by_f[f_mhz];
        v.resize(s.sites.size());
        PropagationSpec prop = s.propagation;
        prop.f_mhz = f_mhz;
        std::map<std::string, std::size_t> local;
        for (std::size_t i = 0; i < s.sites.size(); ++i) {
            const SiteSpec& site = s.sites[i];
            if (!v[i].loss_db.values.empty() || (site.technology && *site.technology != profile)) continue;
            v[i] = compute_site_loss({site.pos, site.mast_height_m, &world.terrain, &prop, &res.demand,
                                      world.land_cover ? &*world.land_cover : nullptr, cfg.area},
                                     cfg.warnings ? *cfg.warnings : local);
            v[i].id = site.id;
        }
        return v;
    };
    // The entries planned: every standalone technology, then every member of every mix (planned on its own demand
    // kinds, named <mix>.<profile> in the outputs); a mix is then the sum of its members (after the loop).
    struct Entry {
        const TechnologySpec* spec;
        int mix;            // -1: standalone; else index into s.mixes
        std::string label;  // name in the outputs
    };
    std::vector<Entry> entries;
    for (const auto& t : s.technologies) entries.push_back({&t, -1, t.profile});
    for (std::size_t m = 0; m < s.mixes.size(); ++m)
        for (const auto& t : s.mixes[m].members)
            entries.push_back({&t, static_cast<int>(m), s.mixes[m].name + "." + t.profile});
    struct MemberResult {
        econ::TechnologyInput in;
        output::TechnologyReport report;
        std::vector<std::string> serves;
    };
    std::vector<std::vector<MemberResult>> mix_members(s.mixes.size());
    for (std::size_t entry_index = 0; entry_index < entries.size(); ++entry_index) {
        if (cfg.progress) cfg.progress(static_cast<double>(entry_index) / static_cast<double>(entries.size()));
        const Entry& entry = entries[entry_index];
        const TechnologySpec& spec = *entry.spec;
        const std::string& label = entry.label;
        const link::Technology tech = link::load_technology(spec.profile, overrides_of(spec));
        link::BudgetOptions bo;
        bo.outdoor = req.outdoor;
        bo.location_reliability = req.location_reliability;
        bo.shadow_sigma_db = kShadowSigmaDb;
        econ::TechnologyInput in;
        in.name = label;
        in.family = family_name(tech);
        try {
            link::check_regulatory(tech, true);
        } catch (const InputError& e) {
            in.outdoor_allowed = false;
            in.outdoor_rule = e.what();
            bo.outdoor = false;
        }
        const link::Budget dl = link::make_budget(tech, link::Direction::downlink, bo);
        const link::Budget ul = link::make_budget(tech, link::Direction::uplink, bo);
        const std::vector<output::SiteResult>& tech_sites = sites_at(tech.f_center_mhz, spec.profile);
        // The demand points it is evaluated on: the kinds the entry serves (scenario `serves`, default all);
        // capacity per household is required only when it serves households, battery life only when it serves iot.
        const auto serves = [&](std::string_view kind) {
            return spec.serves.empty() || std::find(spec.serves.begin(), spec.serves.end(), kind) != spec.serves.end();
        };
        std::vector<bool> in_scope(n_demand);
        std::size_t n_scope = 0;
        for (std::size_t i = 0; i < n_demand; ++i) {
            in_scope[i] = serves(res.demand[i].kind);
            n_scope += in_scope[i] ? 1 : 0;
        }
        econ::Requirements tech_req = req;
        if (!serves("household")) tech_req.min_mbps_per_household = econ::kNoRequirement;

        // 2. candidates and the demand points each serves
        std::vector<std::size_t> cand;  // indices into s.sites / res.sites
        for (std::size_t i = 0; i < s.sites.size(); ++i)
            if (!s.sites[i].technology || *s.sites[i].technology == spec.profile) cand.push_back(i);
        const std::string kit = econ::kit_for_technology(spec.profile);
        const double site_jpy = kit_cost_jpy(cat, kit, econ::Per::site, rep.params);
        const double fibre_jpy_per_km = fibre_km_cost_jpy(cat, rep.params);
        econ::SelectionProblem prob;
        prob.target_fraction = req.coverage_target_fraction;
        for (std::size_t i = 0; i < n_demand; ++i) prob.demand_weight.push_back(in_scope[i] ? 1.0 : 0.0);
        std::vector<std::vector<PointLink>> links(cand.size(), std::vector<PointLink>(n_demand));
        for (std::size_t k = 0; k < cand.size(); ++k) {
            const auto& site = tech_sites[cand[k]];
            const SiteSpec& site_spec = s.sites[cand[k]];
            econ::CandidateSite cs;
            cs.cost_jpy = site_jpy + fibre_jpy_per_km * backhaul_in.fibre_detour * nearest_pop_m(s, site_spec.pos) / 1000.0;
            // Sectors: each one's pattern attenuation toward the demand point (multi_site.hpp).
            const std::vector<coverage::SiteRadio> sectors =
                site_spec.sectors.empty() ? std::vector<coverage::SiteRadio>{} : cells_of(site_spec);
            const coverage::SiteFrame frame(site_spec.pos);
            const double z_tx_m = sectors.empty() ? 0.0 : world.terrain.height_m(site_spec.pos) + site_spec.mast_height_m;
            std::vector<double> atten_db(sectors.size());
            for (std::size_t i = 0; i < n_demand; ++i) {
                if (std::isfinite(site.demand_loss_db[i]))
                    for (std::size_t c = 0; c < sectors.size(); ++c)
                        atten_db[c] = coverage::antenna_attenuation_db(world.terrain, sectors[c], frame, z_tx_m,
                                                                       s.propagation.h_rx_m, res.demand[i].pos);
                links[k][i] = point_link(dl, ul, site.demand_loss_db[i], atten_db);
                if (in_scope[i] && links[k][i].dl_margin_db >= 0.0 && links[k][i].ul_margin_db >= 0.0)
                    cs.covers.push_back(i);
            }
            prob.candidates.push_back(std::move(cs));
        }

        // 3. selection
        econ::Selection sel = econ::select_sites_greedy(prob);
        std::optional<double> greedy_gap;  // (greedy - optimum) / optimum, when the MIP proves the optimum
        if (!prob.candidates.empty() && prob.candidates.size() <= kExactMaxCandidates) {
            try {
                const econ::Selection exact = econ::select_sites_exact(prob, 10.0);
                if (exact.optimal && exact.target_met && sel.target_met && exact.cost_jpy > 0.0)
                    greedy_gap = (sel.cost_jpy - exact.cost_jpy) / exact.cost_jpy;
                if (exact.optimal && exact.target_met == sel.target_met && exact.cost_jpy < sel.cost_jpy) sel = exact;
            } catch (const std::exception&) {  // the greedy answer stands when the MIP cannot be solved
            }
        }
        sel.chosen = drop_interfering_sites(links, sel.chosen, prob, dl);

        // The inverse question: coverage reachable for the budget (report.hpp BudgetCoverage).
        std::optional<output::BudgetCoverage> budget;
        if (s.economics.budget_jpy > 0.0) {
            output::BudgetCoverage bc;
            bc.network_jpy = kit_cost_jpy(cat, kit, econ::Per::network, rep.params);
            if (s.economics.budget_jpy >= bc.network_jpy && !prob.candidates.empty()) {
                const std::vector<std::size_t> chosen = drop_interfering_sites(
                    links, econ::select_sites_for_budget(prob, s.economics.budget_jpy - bc.network_jpy).chosen, prob, dl);
                for (std::size_t k : chosen) {
                    bc.sites_jpy += prob.candidates[k].cost_jpy;
                    bc.site_ids.push_back(s.sites[cand[k]].id);
                }
                for (std::size_t i = 0; i < n_demand; ++i)
                    bc.demand_covered += in_scope[i] && serving(links, chosen, i, dl).served ? 1 : 0;
            }
            bc.demand_total = n_scope;
            bc.fraction = n_scope > 0 ? static_cast<double>(bc.demand_covered) / static_cast<double>(n_scope) : 0.0;
            budget = std::move(bc);
        }

        // 4. chosen sites: best server, SINR (one channel), throughput
        std::vector<const SiteSpec*> chosen_specs;
        std::vector<const output::SiteResult*> chosen_res;
        output::TechnologyReport tr;
        tr.budget = std::move(budget);
        tr.selection_solver = sel.solver;
        tr.selection_greedy_gap = greedy_gap;
        for (std::size_t k : sel.chosen) {
            chosen_specs.push_back(&s.sites[cand[k]]);
            chosen_res.push_back(&tech_sites[cand[k]]);
            tr.chosen_sites.push_back(s.sites[cand[k]].id);
            tr.chosen_origins.push_back(s.sites[cand[k]].origin);
            tr.map.sites.push_back({s.sites[cand[k]].id, s.sites[cand[k]].pos});
        }
        std::vector<double> throughput_mbps, margins_db;
        std::vector<double> site_hh(sel.chosen.size(), 0.0);
        std::size_t covered = 0, hh_covered = 0;
        for (std::size_t i = 0; i < n_demand; ++i) {
            if (!in_scope[i]) continue;
            const Serving sv = serving(links, sel.chosen, i, dl);
            const bool served = sv.served;
            const double margin = sv.margin_db;
            if (served) {
                throughput_mbps.push_back(link::app_throughput_mbps(dl, sv.planning_db));
                site_hh[sv.best] += 1.0;
            }
            tr.map.demand.push_back(res.demand[i].pos);
            tr.map.demand_covered.push_back(served);
            covered += served ? 1 : 0;
            if (res.demand[i].kind == "household") {
                hh_covered += served ? 1 : 0;
                margins_db.push_back(std::isfinite(margin) ? margin : -1e9);
            }
        }
        const Coverage cov = coverage_area(chosen_res, dl, ul);
        if (!cov.rx_dbm.values.empty() && !cfg.out_dir.empty()) {
            // The same map three ways: PNG over the hillshade (the report), float32 GeoTIFF (QGIS), KMZ overlay
            // with its legend (Google Earth).
            const fs::path png = cfg.out_dir / ("coverage-" + label + ".png");
            output::write_png_over_hillshade(png, cov.rx_dbm, output::power_ramp(), world.terrain);
            write_geotiff_f32(cfg.out_dir / ("coverage-" + label + ".tif"), cov.rx_dbm, kGeoTiffNodata);
            output::write_kmz(cfg.out_dir / ("coverage-" + label + ".kmz"), cov.rx_dbm, output::power_ramp(),
                              "dxplan " + label + ": best-server downlink power where served (dBm)");
            files_written += 3;
            const GeoGrid& g = cov.rx_dbm;
            tr.map.png = png;
            tr.map.png_bounds = GeoBox{g.north_deg - (g.rows - 0.5) * g.dlat_deg, g.west_deg - 0.5 * g.dlon_deg,
                                       g.north_deg + 0.5 * g.dlat_deg, g.west_deg + (g.cols - 0.5) * g.dlon_deg};
        }

        // 4b. service maps of the chosen sites
        if (cfg.area && cfg.service_maps && !sel.chosen.empty()) {
            std::vector<output::DemandPoint> scope;
            for (std::size_t i = 0; i < n_demand; ++i)
                if (in_scope[i]) scope.push_back(res.demand[i]);
            cfg.service_maps->push_back(service_maps(world, label, tech, bo, *cfg.area, s.propagation.h_rx_m, chosen_specs,
                                                     chosen_res, scope, cfg.out_dir, files_written));
            if (!cfg.out_dir.empty()) tr.map.sinr_png = cfg.out_dir / ("coverage-" + label + "-sinr.png");
        }

        // 5. backhaul; 6. bill of materials and evaluation
        std::vector<double> site_mbps;
        for (double h : site_hh) site_mbps.push_back(h * req.min_mbps_per_household * req.busy_hour_activity);
        const fs::path bh_dir = cfg.out_dir.empty() ? fs::path() : cfg.out_dir / ("backhaul-" + label);
        BackhaulResult bh =
            plan_backhaul(s, world, backhaul_in, spec.profile, cat, rep.params, chosen_specs, site_mbps, bh_dir,
                          files_written);
        tr.backhaul = bh.summary;
        tr.map.backhaul = bh.links;
        econ::Quantities q;
        q.sites = static_cast<double>(sel.chosen.size());
        q.devices = static_cast<double>(covered);
        in.bill = econ::bill_of_materials(cat, kit, q);
        in.bill.insert(in.bill.end(), bh.items.begin(), bh.items.end());
        in.sites = sel.chosen.size();
        in.coverage_area_km2 = cov.area_km2;
        in.demand_total = n_scope;
        in.complete = n_scope == n_demand;
        in.demand_covered = covered;
        in.households_covered = static_cast<double>(hh_covered);
        in.devices_connected = static_cast<double>(covered);
        in.throughput_median_mbps = percentile(throughput_mbps, 0.5);
        in.throughput_p5_mbps = percentile(throughput_mbps, 0.05);
        const double toa_ms = tech.uplink.modes.empty() ? 0.0 : tech.uplink.modes.front().time_on_air_ms;
        const econ::FamilyDefaults fd = econ::family_defaults(in.family, toa_ms);
        in.latency_ms = fd.latency_ms;
        in.device = fd.device;
        in.device.battery_powered = in.device.battery_powered && serves("iot");
        tr.eval = econ::evaluate_technology(in, tech_req, rep.params);
        for (const auto& it : in.bill) used_items.push_back(it.id);
        const std::pair<std::string, std::string> prov{"technology " + spec.profile, tech.file.filename().string() +
                                                                                      " sha256 " +
                                                                                      output::sha256_file_hex(tech.file)};
        if (std::find(rep.provenance.models.begin(), rep.provenance.models.end(), prov) == rep.provenance.models.end())
            rep.provenance.models.push_back(prov);
        if (entry.mix >= 0) {
            mix_members[static_cast<std::size_t>(entry.mix)].push_back({std::move(in), std::move(tr), spec.serves});
            continue;
        }
        unc.push_back({spec.profile, in.bill, margins_db, static_cast<double>(hh_covered)});
        rep.technologies.push_back(std::move(tr));
    }

    // Mixes: the sum of the members (each planned on its own demand kinds): sites, demand, bill (so costs, NPV and
    // subsidy follow from evaluate_costs on the whole bill), the households' throughput and latency from the member
    // serving households, the devices from the member serving iot; a requirement fails when a member fails it.
    std::vector<std::string> kinds_present;
    for (const auto& d : res.demand)
        if (std::find(kinds_present.begin(), kinds_present.end(), d.kind) == kinds_present.end()) kinds_present.push_back(d.kind);
    for (std::size_t m = 0; m < s.mixes.size(); ++m) {
        econ::TechnologyInput in;
        in.name = s.mixes[m].name;
        in.family = "mix";
        output::TechnologyReport tr;
        std::vector<econ::Failure> fails;
        std::vector<std::string> kinds;
        for (MemberResult& mr : mix_members[m]) {
            const econ::TechnologyInput& mi = mr.in;
            in.sites += mi.sites;
            in.coverage_area_km2 = std::max(in.coverage_area_km2, mi.coverage_area_km2);
            in.demand_total += mi.demand_total;
            in.demand_covered += mi.demand_covered;
            in.households_covered += mi.households_covered;
            in.devices_connected += mi.devices_connected;
            in.bill.insert(in.bill.end(), mi.bill.begin(), mi.bill.end());
            const auto has = [&](std::string_view k) { return std::find(mr.serves.begin(), mr.serves.end(), k) != mr.serves.end(); };
            if (has("household")) {
                in.throughput_median_mbps = mi.throughput_median_mbps;
                in.throughput_p5_mbps = mi.throughput_p5_mbps;
                in.latency_ms = mi.latency_ms;
            }
            if (has("iot")) in.device = mi.device;
            kinds.insert(kinds.end(), mr.serves.begin(), mr.serves.end());
            for (const auto& f : mr.report.eval.fails) {
                econ::Failure g = f;
                g.reason = mi.name + ": " + f.reason;
                fails.push_back(std::move(g));
            }
            for (std::size_t c = 0; c < mr.report.chosen_sites.size(); ++c) {
                tr.chosen_sites.push_back(mi.name + ":" + mr.report.chosen_sites[c]);
                tr.chosen_origins.push_back(mr.report.chosen_origins[c]);
            }
            tr.backhaul.links += mr.report.backhaul.links;
            tr.backhaul.fibre_km += mr.report.backhaul.fibre_km;
            tr.backhaul.wireless_hops += mr.report.backhaul.wireless_hops;
            tr.backhaul.capex_jpy += mr.report.backhaul.capex_jpy;
            tr.backhaul.opex_jpy_per_year += mr.report.backhaul.opex_jpy_per_year;
            tr.backhaul.solved = tr.backhaul.solved && mr.report.backhaul.solved;
            tr.backhaul.solver = mr.report.backhaul.solver;
        }
        in.complete = std::all_of(kinds_present.begin(), kinds_present.end(), [&](const std::string& k) {
            return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
        });
        tr.selection_solver = "members";
        // the map: the coverage image of the member serving households (else the first), every member's sites,
        // demand points and backhaul
        const MemberResult* shown = &mix_members[m].front();
        for (const MemberResult& mr : mix_members[m])
            if (std::find(mr.serves.begin(), mr.serves.end(), "household") != mr.serves.end()) shown = &mr;
        tr.map.png = shown->report.map.png;
        tr.map.png_bounds = shown->report.map.png_bounds;
        tr.map.sinr_png = shown->report.map.sinr_png;
        for (const MemberResult& mr : mix_members[m]) {
            tr.mix_members.push_back(mr.in.name);
            tr.member_evals.push_back(mr.report.eval);
            tr.member_kinds.push_back(mr.serves);
            const output::TechnologyMap& mm = mr.report.map;
            tr.map.sites.insert(tr.map.sites.end(), mm.sites.begin(), mm.sites.end());
            tr.map.backhaul.insert(tr.map.backhaul.end(), mm.backhaul.begin(), mm.backhaul.end());
            tr.map.demand.insert(tr.map.demand.end(), mm.demand.begin(), mm.demand.end());
            tr.map.demand_covered.insert(tr.map.demand_covered.end(), mm.demand_covered.begin(), mm.demand_covered.end());
        }
        econ::Requirements none = req;  // the members' own checks stand (their kinds); only the sum is evaluated
        none.coverage_target_fraction = 0.0;
        none.min_mbps_per_household = econ::kNoRequirement;
        none.max_latency_ms = econ::kNoRequirement;
        none.min_battery_years = econ::kNoRequirement;
        none.min_edge_mbps = econ::kNoRequirement;
        tr.eval = econ::evaluate_technology(in, none, rep.params);
        tr.eval.fails = std::move(fails);
        rep.technologies.push_back(std::move(tr));
    }

    econ::UncertaintySpec us;
    us.seed = kSeed;
    us.threads = std::max(1u, cfg.threads);
    us.subsidy_rate = {0.0, std::max(0.5, rep.params.rules.subsidy_rate)};
    rep.tornado = econ::tornado(unc, cat, rep.params, us);
    rep.monte_carlo = econ::monte_carlo(unc, cat, rep.params, us);

    std::sort(used_items.begin(), used_items.end());
    for (const auto& it : cat.items)
        if (std::binary_search(used_items.begin(), used_items.end(), it.id)) rep.catalogue_items.push_back(it);

    auto& pv = rep.provenance;
    rep.note_keys = {"note.frequency", "note.selection", "note.devices"};
    pv.dxplan_version = "0.1.0";
    pv.scenario_file = s.file.filename().string();
    pv.scenario_sha256 = output::sha256_file_hex(s.file);
    pv.seed = kSeed;
    for (const auto& f : s.terrain.files) pv.data_files.push_back({f.filename().string(), output::sha256_file_hex(f), fs::file_size(f)});
    std::vector<fs::path> inputs;  // the other input files: land cover, demand points, roads
    if (!s.land_cover.file.empty()) inputs.push_back(s.land_cover.file);
    for (const auto& d : s.demand)
        if (!d.file.empty()) inputs.push_back(d.file);
    if (!s.backhaul.roads.empty()) inputs.push_back(s.backhaul.roads);
    for (const auto& f : inputs) pv.data_files.push_back({f.filename().string(), output::sha256_file_hex(f), fs::file_size(f)});
    pv.models.emplace(pv.models.begin(), "propagation model", res.model);
    pv.models.emplace(pv.models.begin() + 1, "cost catalogue", cat.version + " sha256 " +
                                                                   output::sha256_file_hex(econ::default_catalogue_path()));
    pv.models.emplace(pv.models.begin() + 2, "planning shadowing sigma (dB)",
                      std::to_string(static_cast<int>(kShadowSigmaDb)) + " (assumption)");
    return rep;
}

}  // namespace dxplan
