// Route evaluation: losses per sample and cell under each condition, service, handover, requirement, outages,
// reliability, intersections (route.hpp).
#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include <omp.h>

#include "libsim/core/error.hpp"
#include "libsim/core/parallel.hpp"
#include "libsim/core/units.hpp"
#include "libsim/coverage/point_service.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/route/route.hpp"
#include "libsim/route/steps.hpp"
#include "models/propagation/p833.hpp"
#include "models/propagation/p838.hpp"

namespace dxplan::route {

namespace {

constexpr double kNoPower_dbm = -std::numeric_limits<double>::infinity();

std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

void check_range(const std::string& where, const char* field, double v, double lo, double hi, const char* unit,
                 bool open_lo = false) {
    const bool ok = std::isfinite(v) && (open_lo ? v > lo : v >= lo) && v <= hi;
    if (!ok)
        throw InputError(where + ": " + field + " = " + fmt(v) + ": must be in " + (open_lo ? "(" : "[") + fmt(lo) + ", " +
                         fmt(hi) + "] " + unit);
}

}  // namespace

std::string_view to_string(Cause c) {
    switch (c) {
    case Cause::none: return "none";
    case Cause::coverage: return "coverage";
    case Cause::interference: return "interference";
    case Cause::capacity: return "capacity";
    case Cause::handover: return "handover";
    case Cause::latency: return "latency";
    }
    return "?";
}

void validate_options(const RouteOptions& o, const std::string& where) {
    check_range(where, "spacing_m", o.spacing_m, 0.0, 1000.0, "m", true);
    check_range(where, "vehicle.antenna_height_m", o.vehicle_antenna_h_m, 0.5, 10.0, "m");
    check_range(where, "vehicle.penetration_loss_db", o.penetration_loss_db, 0.0, 40.0, "dB");
    check_range(where, "handover.hysteresis_db", o.handover.hysteresis_db, 0.0, 30.0, "dB");
    check_range(where, "handover.time_to_trigger_ms", o.handover.time_to_trigger_ms, 0.0, 5120.0, "ms");
    check_range(where, "handover.ping_pong_s", o.handover.ping_pong_s, 0.0, 60.0, "s");
    for (const SpeedSegment& s : o.speeds) check_range(where, "speed_kmh", s.speed_kmh, 0.0, 300.0, "km/h", true);
    const Requirement& r = o.requirement;
    check_range(where, "requirement.cameras", r.cameras, 0, 64, "");
    check_range(where, "requirement.camera_mbps", r.camera_mbps, 0.0, 1000.0, "Mbit/s");
    check_range(where, "requirement.telemetry_mbps", r.telemetry_mbps, 0.0, 1000.0, "Mbit/s");
    check_range(where, "requirement.control_ul_mbps", r.control_ul_mbps, 0.0, 1000.0, "Mbit/s");
    if (r.edge_ul_mbps == r.edge_ul_mbps) check_range(where, "requirement.edge_ul_mbps", r.edge_ul_mbps, 0.0, 1000.0, "Mbit/s");
    check_range(where, "requirement.dl_control_mbps", r.dl_control_mbps, 0.0, 1000.0, "Mbit/s");
    check_range(where, "requirement.latency_ms", r.latency_ms, 0.0, 100000.0, "ms", true);
    check_range(where, "time_sigma_db", o.time_sigma_db, 0.0, 30.0, "dB");
    check_range(where, "decorrelation_m", o.decorrelation_m, 0.0, 10000.0, "m", true);
    check_range(where, "intersection_radius_m", o.intersection_radius_m, 0.0, 5000.0, "m", true);
    check_range(where, "foliage.gamma_leaf_db_per_m", o.foliage.gamma_leaf_db_per_m, 0.0, 10.0, "dB/m");
    check_range(where, "foliage.bare_factor", o.foliage.bare_factor, 0.0, 1.0, "");
    check_range(where, "foliage.wet_snow_factor", o.foliage.wet_snow_factor, 1.0, 10.0, "");
    if (o.conditions.empty()) throw InputError(where + ": conditions: at least one");
    for (const Condition& c : o.conditions) {
        check_range(where, ("conditions." + c.name + ".snow_depth_m").c_str(), c.snow_depth_m, 0.0, 5.0, "m");
        check_range(where, ("conditions." + c.name + ".rain_mm_per_h").c_str(), c.rain_mm_per_h, 0.0, 300.0, "mm/h");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Step 1: path loss of a cell at a point (the loss window, bilinear between pixel centres).

double window_loss_db(const GeoGrid& g, LatLon p) {
    if (g.rows == 0) return kNoValue;
    const double fr = (g.north_deg - p.lat_deg) / g.dlat_deg;
    const double fc = (p.lon_deg - g.west_deg) / g.dlon_deg;
    if (fr < -0.5 || fc < -0.5 || fr > g.rows - 0.5 || fc > g.cols - 0.5) return kNoValue;
    const int r0 = std::clamp(static_cast<int>(std::floor(fr)), 0, std::max(0, g.rows - 2));
    const int c0 = std::clamp(static_cast<int>(std::floor(fc)), 0, std::max(0, g.cols - 2));
    const int r1 = std::min(r0 + 1, g.rows - 1), c1 = std::min(c0 + 1, g.cols - 1);
    const double wr = std::clamp(fr - r0, 0.0, 1.0), wc = std::clamp(fc - c0, 0.0, 1.0);
    const double v00 = g.at(r0, c0), v01 = g.at(r0, c1), v10 = g.at(r1, c0), v11 = g.at(r1, c1);
    if (std::isnan(v00) || std::isnan(v01) || std::isnan(v10) || std::isnan(v11)) {
        // At the edge of the radius: the nearest pixel, NaN when that one is outside.
        const int rn = std::clamp(static_cast<int>(std::lround(fr)), 0, g.rows - 1);
        const int cn = std::clamp(static_cast<int>(std::lround(fc)), 0, g.cols - 1);
        return g.at(rn, cn);
    }
    // The pixel's own value within 1e-6 pixel of its centre (a position read from text is not exactly on it).
    if (std::abs(fr - std::round(fr)) < 1e-6 && std::abs(fc - std::round(fc)) < 1e-6)
        return g.at(static_cast<int>(std::lround(fr)), static_cast<int>(std::lround(fc)));
    return (1.0 - wr) * ((1.0 - wc) * v00 + wc * v01) + wr * ((1.0 - wc) * v10 + wc * v11);
}

// ---------------------------------------------------------------------------------------------------------
// Step 2: condition losses.

// Woodland length on the path from the vehicle toward the cell: the land-cover forest contiguous from the vehicle
// along the geodesic toward the cell, at most the length the ray from the antenna runs below the canopy,
// (h_canopy - h_veh) / tan(elevation) (flat-earth geometry over the first few hundred metres; h_canopy the
// forest class's clutter height), and at most max_depth_m.
double woodland_depth_m(const LandCover* lc, const Terrain& terrain, LatLon p, double h_veh_m, const Cell& cell,
                        const FoliageParams& f) {
    if (!lc) return 0.0;
    const auto forest = [&](LatLon q) -> const ClutterClass* {
        const ClutterClass* c = lc->clutter_at(q);
        return c && c->category == ClutterCategory::forest ? c : nullptr;
    };
    const ClutterClass* here = forest(p);
    if (!here) return 0.0;
    const GeodesicInverse inv = geodesic_inverse(p, cell.radio.pos);
    double d_max = std::min(f.max_depth_m, inv.d_m);
    const double rise_m = terrain.height_m(cell.radio.pos) + cell.radio.h_tx_m - (terrain.height_m(p) + h_veh_m);
    const double below_m = here->clutter_height_m - h_veh_m;  // the antenna's depth below the canopy
    if (below_m <= 0.0) return 0.0;
    if (rise_m > 0.0 && inv.d_m > 0.0) d_max = std::min(d_max, below_m * inv.d_m / rise_m);  // / tan(elevation)
    double d = 0.0;
    while (d + f.step_m <= d_max && forest(geodesic_direct(p, inv.az1_deg, d + f.step_m))) d += f.step_m;
    if (d + f.step_m > d_max) return d_max;  // forest all the way to the bound
    return d + 0.5 * f.step_m;              // the forest's edge lies within the next step: half of it
}

double foliage_loss_db(double f_mhz, double depth_m, const Condition& c, const FoliageParams& fp) {
    if (depth_m <= 0.0) return 0.0;
    double gamma = fp.gamma_leaf_db_per_m;
    if (!c.foliage_in_leaf) gamma *= fp.bare_factor;
    if (c.wet_snow_on_foliage) gamma *= fp.wet_snow_factor;
    prop::P833WoodlandInput in;
    in.f_mhz = f_mhz;
    in.d_vegetation_m = depth_m;
    in.gamma_db_per_m = gamma;
    return prop::p833_woodland_loss(in).loss_db;  // P.833-10 eq. (1), A_m from eq. (2)
}

double rain_loss_db(double f_mhz, double rain_mm_per_h, double d_m) {
    if (rain_mm_per_h <= 0.0) return 0.0;
    // P.838-3 eq. (1) gamma_R = k R^alpha, vertical polarization (tau = 90 deg), horizontal path; the whole path in rain.
    return prop::p838_specific_attenuation(f_mhz / 1000.0, rain_mm_per_h, 0.0, 90.0).gamma_r_db_per_km * d_m / 1000.0;
}

// The model's loss change for other antenna heights over the cell -> sample profile (vehicle height, snow depth).
double height_delta_db(const PropagationContext& ctx, const prop::ModelInfo& model, double f_mhz, const Cell& cell,
                       LatLon p, double h_veh_m, double snow_m, std::vector<double>& z_m) {
    const double h_tx0 = cell.radio.h_tx_m, h_rx0 = ctx.map_h_rx_m;
    const double h_tx1 = std::max(0.5, h_tx0 - snow_m), h_rx1 = std::max(0.5, h_veh_m - snow_m);
    if (h_tx1 == h_tx0 && h_rx1 == h_rx0) return 0.0;
    const double d_m = geodesic_inverse(cell.radio.pos, p).d_m;
    if (d_m < 1.0) return 0.0;
    prop::LossQuery q = ctx.params;
    q.f_mhz = f_mhz;
    const double spacing_m = extract_profile_into(*ctx.terrain, cell.radio.pos, p, 0.0, z_m);
    q.profile = ProfileView(spacing_m, z_m);
    q.d_m = d_m;
    q.lat_deg = cell.radio.pos.lat_deg;
    q.lon_deg = cell.radio.pos.lon_deg;
    q.h_tx_m = h_tx0;
    q.h_rx_m = h_rx0;
    const double l0 = prop::compute_loss(model, q).loss_db;
    q.h_tx_m = h_tx1;
    q.h_rx_m = h_rx1;
    return prop::compute_loss(model, q).loss_db - l0;
}

// Per sample, cell and condition: the coupling loss (path loss + pattern + extra losses), dB; NaN: none.
// Layout: [sample][condition][cell]; the extra part alone in extra_db (same layout).
struct LossTable {
    std::size_t n_cells = 0, n_cond = 0;
    std::vector<double> coupling_db;
    std::vector<double> extra_db;
    [[nodiscard]] std::size_t at(std::size_t i, std::size_t c, std::size_t k) const { return (i * n_cond + c) * n_cells + k; }
};

LossTable loss_table(const std::vector<Sample>& samples, const NetworkTechnology& net, const RouteOptions& o,
                     const PropagationContext& ctx) {
    LossTable t;
    t.n_cells = net.cells.size();
    t.n_cond = o.conditions.size();
    t.coupling_db.assign(samples.size() * t.n_cond * t.n_cells, kNoValue);
    t.extra_db.assign(t.coupling_db.size(), 0.0);
    const prop::ModelInfo& model = prop::find_model(ctx.model);
    const double f_mhz = net.tech.f_center_mhz;
    std::vector<coverage::SiteFrame> frames;
    std::vector<double> z_tx_m;
    for (const Cell& c : net.cells) {
        frames.emplace_back(c.radio.pos);
        z_tx_m.push_back(ctx.terrain->height_m(c.radio.pos) + c.radio.h_tx_m);
    }
    const auto n = static_cast<std::ptrdiff_t>(samples.size());
    parallel_for(n, 64, [] { return std::vector<double>(); }, [&](std::vector<double>& z_m, std::ptrdiff_t si) {
        const auto i = static_cast<std::size_t>(si);
        const LatLon p = samples[i].pos;
        for (std::size_t k = 0; k < t.n_cells; ++k) {
            const Cell& cell = net.cells[k];
            const double l_db = window_loss_db(cell.loss_db, p);
            if (std::isnan(l_db)) continue;
            const double atten_db = coverage::antenna_attenuation_db(*ctx.terrain, cell.radio, frames[k], z_tx_m[k],
                                                                     o.vehicle_antenna_h_m, p);
            double depth_m = -1.0, d_m = -1.0;
            for (std::size_t c = 0; c < t.n_cond; ++c) {
                const Condition& cond = o.conditions[c];
                double extra = o.penetration_loss_db;
                extra += height_delta_db(ctx, model, f_mhz, cell, p, o.vehicle_antenna_h_m, cond.snow_depth_m, z_m);
                if (ctx.land_cover) {
                    if (depth_m < 0.0) depth_m = woodland_depth_m(ctx.land_cover, *ctx.terrain, p, o.vehicle_antenna_h_m, cell, o.foliage);
                    extra += foliage_loss_db(f_mhz, depth_m, cond, o.foliage);
                }
                if (cond.rain_mm_per_h > 0.0) {
                    if (d_m < 0.0) d_m = geodesic_inverse(cell.radio.pos, p).d_m;
                    extra += rain_loss_db(f_mhz, cond.rain_mm_per_h, d_m);
                }
                t.extra_db[t.at(i, c, k)] = extra;
                t.coupling_db[t.at(i, c, k)] = l_db + atten_db + extra;
            }
        }
    });
    return t;
}

// ---------------------------------------------------------------------------------------------------------
// Step 3: the SINR each direction needs for the required rate (the lowest planning SINR whose application
// throughput reaches it; bisection over the budget's rate function, which is non-decreasing in SINR).

double required_sinr_db(const link::Budget& b, double rate_mbps) {
    if (rate_mbps <= 0.0) return b.min_snr_db;
    double lo = -30.0, hi = 60.0;
    if (link::app_throughput_mbps(b, hi) < rate_mbps) return std::numeric_limits<double>::infinity();
    for (int it = 0; it < 60; ++it) {
        const double mid = 0.5 * (lo + hi);
        (link::app_throughput_mbps(b, mid) >= rate_mbps ? hi : lo) = mid;
    }
    return std::max(hi, b.min_snr_db);
}

RouteResult evaluate_route(const RouteSpec& route, const std::vector<NetworkTechnology>& network,
                           const PropagationContext& ctx) {
    const std::string where = route.file.empty() ? "route " + route.id : route.file.string();
    const RouteOptions& o = route.options;
    validate_options(o, where);
    if (!ctx.terrain) throw InternalError("route: no terrain");
    RouteResult r;
    r.id = route.id;
    r.samples = sample_route(route.geometry, o.spacing_m, o.speeds, where);
    for (const Sample& s : r.samples)
        if (!ctx.terrain->contains(s.pos))
            throw InputError(where + ": the route leaves the terrain at (" + std::to_string(s.pos.lat_deg) + ", " +
                             std::to_string(s.pos.lon_deg) + "), " + std::to_string(std::lround(s.s_m)) +
                             " m along it: every point must lie inside the scenario's terrain");
    r.length_m = r.samples.back().s_m;
    r.duration_s = r.samples.back().t_s;
    r.ul_required_mbps = o.requirement.ul_mbps();
    r.dl_required_mbps = o.requirement.dl_control_mbps;
    r.intersections = route.geometry.intersections;
    const std::vector<IntersectionSpan> spans = intersection_spans(r, o.intersection_radius_m);
    for (const NetworkTechnology& net : network) {
        std::vector<std::string> ids;
        for (const Cell& c : net.cells) ids.push_back(c.radio.id);
        r.cell_ids.push_back(std::move(ids));
        const LossTable lt = loss_table(r.samples, net, o, ctx);
        for (std::size_t c = 0; c < o.conditions.size(); ++c) {
            Track t = serve_track(r.samples, net, lt.coupling_db, lt.extra_db, c, o.conditions.size(), o);
            t.label = net.label;
            t.condition = o.conditions[c].name;
            summarise_track(t, r, o, spans);
            r.tracks.push_back(std::move(t));
        }
    }
    return r;
}

// ---------------------------------------------------------------------------------------------------------
// Step 4: service along the track (handover state, powers, SINR, modes, requirement, cause, reliability).

Track serve_track(const std::vector<Sample>& samples, const NetworkTechnology& net, const std::vector<double>& coupling_db,
                  const std::vector<double>& extra_db, std::size_t cond, std::size_t n_cond, const RouteOptions& o) {
    const std::size_t n_cells = net.cells.size();
    const link::Budget dl = link::make_budget(net.tech, link::Direction::downlink, net.budget);
    const link::Budget ul = link::make_budget(net.tech, link::Direction::uplink, net.budget);
    const double rsrp_offset_db =
        net.tech.family == link::Family::nr ? 10.0 * std::log10(12.0 * std::max(1, net.tech.nr.n_prb)) : 0.0;
    const double need_dl_db = required_sinr_db(dl, o.requirement.dl_control_mbps);
    const double need_ul_db = required_sinr_db(ul, o.requirement.ul_mbps());
    const double sigma_db = std::hypot(net.budget.shadow_sigma_db, o.time_sigma_db);

    // Powers per sample and cell (downlink), then the handover state machine over them.
    std::vector<double> p_dbm(samples.size() * n_cells, kNoPower_dbm);
    for (std::size_t i = 0; i < samples.size(); ++i)
        for (std::size_t k = 0; k < n_cells; ++k) {
            const double l = coupling_db[(i * n_cond + cond) * n_cells + k];
            if (!std::isnan(l)) p_dbm[i * n_cells + k] = link::received_power_dbm(dl, l);
        }
    Track t;
    t.samples.resize(samples.size());
    std::vector<int> serving = handover_states(samples, p_dbm, n_cells, o.handover, t.handovers);
    t.interruption_ms = net.tech.handover_interruption_ms;

    for (std::size_t i = 0; i < samples.size(); ++i) {
        SamplePoint& sp = t.samples[i];
        const double* p = &p_dbm[i * n_cells];
        double sum_mw = 0.0;
        int best = -1;
        for (std::size_t k = 0; k < n_cells; ++k) {
            sum_mw += dbm_to_mw(p[k]);  // one channel: every cell of the technology interferes (service maps)
            if (p[k] > kNoPower_dbm && (best < 0 || p[k] > p[best])) best = static_cast<int>(k);
        }
        sp.best = best;
        sp.serving = serving[i];
        if (sp.serving < 0) {
            sp.cause = Cause::coverage;
            continue;
        }
        const auto s = static_cast<std::size_t>(sp.serving);
        const double s_dbm = p[s];
        const coverage::DownlinkPoint d = coverage::downlink_point(dl, s_dbm, std::max(0.0, sum_mw - dbm_to_mw(s_dbm)));
        // The coupling loss recovered from the downlink power, as the service maps do (bit-identical uplink).
        const double coupling = link::received_power_dbm(dl, 0.0) - s_dbm;
        const coverage::DownlinkPoint u = coverage::uplink_point(ul, coupling, net.cells[s].ul_interference_dbm);
        sp.rx_power_dbm = s_dbm - rsrp_offset_db;
        sp.snr_db = d.snr_db;
        sp.sinr_db = d.sinr_db;
        sp.ul_sinr_db = u.sinr_db;
        sp.dl_mode = d.mode;
        sp.ul_mode = u.mode;
        sp.dl_mbps = d.throughput_mbps;
        sp.ul_mbps = u.throughput_mbps;
        sp.extra_loss_db = extra_db[(i * n_cond + cond) * n_cells + s];
        sp.margin_db = std::min(d.planning_db - need_dl_db, u.planning_db - need_ul_db);
        // Median margin (the fade margin added back) over the combined sigma: P(meet) = Phi(m50 / sigma).
        const double m50_db = std::min(d.planning_db + dl.fade_margin_db - need_dl_db, u.planning_db + ul.fade_margin_db - need_ul_db);
        sp.p_meet = sigma_db > 0.0 ? 0.5 * std::erfc(-m50_db / (sigma_db * std::sqrt(2.0)))  // Phi(x) = erfc(-x / sqrt 2) / 2
                                   : (m50_db >= 0.0 ? 1.0 : 0.0);
        sp.meets = sp.margin_db >= 0.0;
        if (!sp.meets) {
            // Which term ran out: no mode even without interference -> coverage; a mode without the co-channel
            // interference but not with it -> interference; a mode but too slow -> capacity.
            const bool dl_noise_ok = d.snr_db - (dl.fade_margin_db + dl.interference_margin_db) >= dl.min_snr_db;
            const bool ul_noise_ok = u.snr_db - (ul.fade_margin_db + ul.interference_margin_db) >= ul.min_snr_db;
            if (!dl_noise_ok || !ul_noise_ok) sp.cause = Cause::coverage;
            else if (d.mode < 0 || u.mode < 0) sp.cause = Cause::interference;
            else sp.cause = Cause::capacity;
        }
    }
    apply_interruptions(t, samples);
    if (net.latency_ms == net.latency_ms && net.latency_ms > o.requirement.latency_ms)
        for (SamplePoint& sp : t.samples)
            if (sp.meets || sp.cause == Cause::none) {
                sp.meets = false;
                sp.p_meet = 0.0;
                sp.cause = Cause::latency;
            }
    return t;
}

}  // namespace dxplan::route
