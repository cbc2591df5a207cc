#include "libsim/coverage/multi_site.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include <omp.h>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"

namespace dxplan::coverage {

namespace {

inline constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
inline constexpr double kNoPower_dbm = -std::numeric_limits<double>::infinity();

// Sites of one technology on one channel: they interfere with each other.
struct ChannelGroup {
    int technology = 0;
    std::vector<double> sum_mw;        // power sum of all the group's sites, mW, summed in site order
    std::vector<double> best_dbm;      // strongest site of the group
    std::vector<std::int16_t> best_site;
};

// The part of the area grid within radius_m of the site (empty: rows == 0).
SiteWindow window_of(const GeoGrid& g, LatLon site, double radius_m) {
    const SiteFrame frame(site);
    double ky = 0.0, kx = 0.0;
    frame.metres_per_rad(site.lat_deg, ky, kx);
    const double half_lat_deg = rad_to_deg(radius_m / ky);
    double ky_far = 0.0, kx_far = 0.0;
    frame.metres_per_rad(site.lat_deg + (site.lat_deg >= 0 ? half_lat_deg : -half_lat_deg), ky_far, kx_far);
    const double half_lon_deg = rad_to_deg(radius_m / std::min(kx, kx_far));
    const int r0 = std::max(0, static_cast<int>(std::ceil((g.north_deg - site.lat_deg - half_lat_deg) / g.dlat_deg)));
    const int r1 = std::min(g.rows - 1, static_cast<int>(std::floor((g.north_deg - site.lat_deg + half_lat_deg) / g.dlat_deg)));
    const int c0 = std::max(0, static_cast<int>(std::ceil((site.lon_deg - half_lon_deg - g.west_deg) / g.dlon_deg)));
    const int c1 = std::min(g.cols - 1, static_cast<int>(std::floor((site.lon_deg + half_lon_deg - g.west_deg) / g.dlon_deg)));
    SiteWindow w;
    if (r1 < r0 || c1 < c0) return w;
    w.row0 = r0;
    w.col0 = c0;
    w.loss_db.rows = r1 - r0 + 1;
    w.loss_db.cols = c1 - c0 + 1;
    w.loss_db.north_deg = g.north_deg - r0 * g.dlat_deg;
    w.loss_db.west_deg = g.west_deg + c0 * g.dlon_deg;
    w.loss_db.dlat_deg = g.dlat_deg;
    w.loss_db.dlon_deg = g.dlon_deg;
    return w;
}

GeoGrid like(const GeoGrid& g, float value) {
    GeoGrid out = g;
    out.values.assign(static_cast<std::size_t>(g.rows) * g.cols, value);
    return out;
}

}  // namespace

CoverageMaps compute_coverage(const Terrain& terrain, const MultiSiteSpec& spec) {
    const GeoGrid& grid = spec.grid;
    if (grid.rows < 1 || grid.cols < 1 || !(grid.dlat_deg > 0) || !(grid.dlon_deg > 0))
        throw InputError("coverage: the area grid is empty");
    if (spec.technologies.empty()) throw InputError("coverage: no technology given");
    if (spec.sites.size() > 32767) throw InputError("coverage: at most 32767 sites");
    const std::size_t n_px = static_cast<std::size_t>(grid.rows) * grid.cols;

    // Channel groups and budgets.
    std::map<std::pair<int, int>, std::size_t> group_of;
    std::vector<ChannelGroup> groups;
    std::vector<std::size_t> site_group(spec.sites.size());
    for (std::size_t s = 0; s < spec.sites.size(); ++s) {
        const SiteRadio& site = spec.sites[s];
        if (site.technology < 0 || site.technology >= static_cast<int>(spec.technologies.size()))
            throw InputError("coverage: site " + site.id + ": technology index " + std::to_string(site.technology) +
                             " must be in [0, " + std::to_string(spec.technologies.size() - 1) + "]");
        const auto key = std::make_pair(site.technology, site.channel);
        auto it = group_of.find(key);
        if (it == group_of.end()) {
            it = group_of.emplace(key, groups.size()).first;
            ChannelGroup g;
            g.technology = site.technology;
            g.sum_mw.assign(n_px, 0.0);
            g.best_dbm.assign(n_px, kNoPower_dbm);
            g.best_site.assign(n_px, kNone);
            groups.push_back(std::move(g));
        }
        site_group[s] = it->second;
    }
    CoverageMaps out;
    for (const link::Technology& tech : spec.technologies) {
        TechnologyMaps m;
        m.technology = tech.name;
        m.rsrp = tech.family == link::Family::nr;
        m.downlink = link::make_budget(tech, link::Direction::downlink, spec.budget);
        m.uplink = link::make_budget(tech, link::Direction::uplink, spec.budget);
        out.technologies.push_back(std::move(m));
    }

    // Per-site loss windows, `batch` at a time, folded in site order.
    const auto site_spec = [&](const SiteRadio& site) {
        SiteLossSpec s;
        s.site = site.pos;
        s.h_tx_m = site.h_tx_m;
        s.h_rx_m = spec.h_rx_m;
        s.radius_m = spec.radius_m;
        s.model = spec.model;
        s.params = spec.params;
        s.params.f_mhz = spec.technologies[static_cast<std::size_t>(site.technology)].f_center_mhz;
        s.mode = spec.mode;
        return s;
    };
    const std::size_t batch = static_cast<std::size_t>(std::max(1, omp_get_max_threads()));
    for (std::size_t b0 = 0; b0 < spec.sites.size(); b0 += batch) {
        const std::size_t nb = std::min(batch, spec.sites.size() - b0);
        std::vector<SiteWindow> windows(nb);
        std::vector<std::exception_ptr> errors(nb);
        std::vector<std::size_t> calls(nb, 0);
        auto compute = [&](std::size_t j) {
            try {
                const SiteRadio& site = spec.sites[b0 + j];
                windows[j] = window_of(grid, site.pos, spec.radius_m);
                if (windows[j].loss_db.rows == 0) return;
                SiteLoss loss = compute_site_loss(terrain, site_spec(site), windows[j].loss_db);
                windows[j].loss_db = std::move(loss.loss_db);
                calls[j] = loss.model_calls;
            } catch (...) {
                errors[j] = std::current_exception();
            }
        };
        if (nb > 1) {
            // One site per thread; the site's own loops run serially inside (nested regions are inactive).
#pragma omp parallel for schedule(dynamic, 1)
            for (std::size_t j = 0; j < nb; ++j) compute(j);
        } else {
            compute(0);  // a lone site uses all threads over its radials and rows
        }
        for (std::size_t j = 0; j < nb; ++j) {
            if (errors[j]) std::rethrow_exception(errors[j]);
            out.model_calls += calls[j];
            const SiteWindow& w = windows[j];
            if (w.loss_db.rows == 0) continue;
            const auto s = static_cast<std::int16_t>(b0 + j);
            ChannelGroup& g = groups[site_group[b0 + j]];
            const link::Budget& dl = out.technologies[static_cast<std::size_t>(g.technology)].downlink;
#pragma omp parallel for schedule(static)
            for (int r = 0; r < w.loss_db.rows; ++r) {
                for (int c = 0; c < w.loss_db.cols; ++c) {
                    const float loss_db = w.loss_db.at(r, c);
                    if (std::isnan(loss_db)) continue;
                    const std::size_t i = static_cast<std::size_t>(w.row0 + r) * grid.cols + (w.col0 + c);
                    const double p_dbm = link::received_power_dbm(dl, loss_db);
                    g.sum_mw[i] += dbm_to_mw(p_dbm);
                    if (p_dbm > g.best_dbm[i]) {  // strict: the lower site index wins ties
                        g.best_dbm[i] = p_dbm;
                        g.best_site[i] = s;
                    }
                }
            }
            if (spec.keep_site_loss) out.site_loss.push_back(std::move(windows[j]));
        }
    }

    // Per technology: best server over its channel groups, then SNR, SINR, modes and throughput.
    for (std::size_t t = 0; t < out.technologies.size(); ++t) {
        TechnologyMaps& m = out.technologies[t];
        m.rx_power_dbm = like(grid, kNaN);
        m.snr_db = like(grid, kNaN);
        m.sinr_db = like(grid, kNaN);
        m.dl_throughput_mbps = like(grid, 0.0f);
        m.ul_throughput_mbps = like(grid, 0.0f);
        m.best_server.assign(n_px, kNone);
        m.dl_mode.assign(n_px, kNone);
        m.ul_mode.assign(n_px, kNone);
        const link::Technology& tech = spec.technologies[t];
        const double rsrp_offset_db = m.rsrp ? 10.0 * std::log10(12.0 * std::max(1, tech.nr.n_prb)) : 0.0;
        std::vector<const ChannelGroup*> mine;
        for (const ChannelGroup& g : groups)
            if (g.technology == static_cast<int>(t)) mine.push_back(&g);
        const link::Budget& dl = m.downlink;
        const link::Budget& ul = m.uplink;
        const double noise_dl_mw = dbm_to_mw(dl.noise_floor_dbm);
        const double margins_dl_db = dl.fade_margin_db + dl.interference_margin_db;
        const double margins_ul_db = ul.fade_margin_db + ul.interference_margin_db;
#pragma omp parallel for schedule(static)
        for (std::size_t i = 0; i < n_px; ++i) {
            const ChannelGroup* best = nullptr;
            for (const ChannelGroup* g : mine) {
                if (g->best_site[i] == kNone) continue;
                if (!best || g->best_dbm[i] > best->best_dbm[i] ||
                    (g->best_dbm[i] == best->best_dbm[i] && g->best_site[i] < best->best_site[i]))
                    best = g;
            }
            if (!best) continue;
            const double s_dbm = best->best_dbm[i];
            const double i_mw = std::max(0.0, best->sum_mw[i] - dbm_to_mw(s_dbm));  // co-channel interferers
            m.best_server[i] = best->best_site[i];
            m.rx_power_dbm.values[i] = static_cast<float>(s_dbm - rsrp_offset_db);
            m.snr_db.values[i] = static_cast<float>(s_dbm - dl.noise_floor_dbm);
            const double sinr_db = s_dbm - mw_to_dbm(noise_dl_mw + i_mw);
            m.sinr_db.values[i] = static_cast<float>(sinr_db);
            const double plan_dl_db = sinr_db - margins_dl_db;
            if (const link::Mode* mode = link::best_mode(dl, plan_dl_db)) {
                m.dl_mode[i] = static_cast<std::int16_t>(mode - dl.modes.data());
                m.dl_throughput_mbps.values[i] = static_cast<float>(link::app_throughput_mbps(dl, plan_dl_db));
            }
            // Uplink over the same path (reciprocity): the loss is recovered from the downlink power.
            const double loss_db = link::received_power_dbm(dl, 0.0) - s_dbm;
            const double plan_ul_db = link::received_power_dbm(ul, loss_db) - ul.noise_floor_dbm - margins_ul_db;
            if (const link::Mode* mode = link::best_mode(ul, plan_ul_db)) {
                m.ul_mode[i] = static_cast<std::int16_t>(mode - ul.modes.data());
                m.ul_throughput_mbps.values[i] = static_cast<float>(link::app_throughput_mbps(ul, plan_ul_db));
            }
        }
    }
    return out;
}

}  // namespace dxplan::coverage
