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
#include "libsim/core/parallel.hpp"
#include "libsim/core/numbers.hpp"
#include "libsim/core/units.hpp"
#include "libsim/coverage/point_service.hpp"
#include "libsim/geo/geo.hpp"

namespace dxplan::coverage {

namespace {

inline constexpr float kNaN = kNaN_f;  // libsim/core/numbers.hpp
inline constexpr double kNoPower_dbm = -std::numeric_limits<double>::infinity();

// Sites of one technology on one channel: they interfere with each other.
struct ChannelGroup {
    int technology = 0;
    std::vector<double> sum_mw;        // power sum of all the group's sites, mW, summed in site order
    std::vector<double> best_dbm;      // strongest site of the group
    std::vector<std::int16_t> best_site;
    std::size_t sites = 0;
};

// A site's coupling loss (path loss + pattern attenuation, dB; NaN: none) on the lattice of every k-th row and
// column of the area grid inside its window: lattice rows lr0.. and columns lc0.., kept for the uplink pass.
struct LatticeSamples {
    int lr0 = 0;
    int lc0 = 0;
    int rows = 0;
    int cols = 0;
    std::vector<float> coupling_db;
};

// Lattice step k = ceil(sqrt(pixels / 2^18)): at most about 2^18 lattice points over the area grid.
int lattice_step(std::size_t n_px) {
    int k = 1;
    while (static_cast<double>(n_px) > 262144.0 * k * k) ++k;
    return k;
}

GeoGrid like(const GeoGrid& g, float value) {
    GeoGrid out = g;
    out.values.assign(static_cast<std::size_t>(g.rows) * g.cols, value);
    return out;
}

// Sites folded one at a time (in site order) into per-channel-group accumulators, then combined into the maps
// (shared by compute_coverage and combine_coverage).
class Combiner {
public:
    Combiner(const Terrain& terrain, const MultiSiteSpec& spec);
    void add_site(std::size_t s, const SiteWindow& w);  // the site's path-loss window on spec.grid
    CoverageMaps finish();
    CoverageMaps out;

private:
    const Terrain& terrain_;
    const MultiSiteSpec& spec_;
    std::size_t n_px_ = 0;
    int k_lat_ = 1;
    std::vector<ChannelGroup> groups_;
    std::vector<std::size_t> site_group_;
    std::vector<LatticeSamples> samples_;
};

Combiner::Combiner(const Terrain& terrain, const MultiSiteSpec& spec) : terrain_(terrain), spec_(spec) {
    const GeoGrid& grid = spec.grid;
    if (grid.rows < 1 || grid.cols < 1 || !(grid.dlat_deg > 0) || !(grid.dlon_deg > 0))
        throw InputError("coverage: the area grid is empty");
    if (spec.technologies.empty()) throw InputError("coverage: no technology given");
    if (spec.sites.size() > 32767) throw InputError("coverage: at most 32767 sites");
    n_px_ = static_cast<std::size_t>(grid.rows) * grid.cols;

    // Channel groups and budgets.
    std::map<std::pair<int, int>, std::size_t> group_of;
    site_group_.resize(spec.sites.size());
    for (std::size_t s = 0; s < spec.sites.size(); ++s) {
        const SiteRadio& site = spec.sites[s];
        if (site.technology < 0 || site.technology >= static_cast<int>(spec.technologies.size()))
            throw InputError("coverage: site " + site.id + ": technology index " + std::to_string(site.technology) +
                             " must be in [0, " + std::to_string(spec.technologies.size() - 1) + "]");
        const auto key = std::make_pair(site.technology, site.channel);
        auto it = group_of.find(key);
        if (it == group_of.end()) {
            it = group_of.emplace(key, groups_.size()).first;
            ChannelGroup g;
            g.technology = site.technology;
            g.sum_mw.assign(n_px_, 0.0);
            g.best_dbm.assign(n_px_, kNoPower_dbm);
            g.best_site.assign(n_px_, kNone);
            groups_.push_back(std::move(g));
        }
        site_group_[s] = it->second;
        ++groups_[it->second].sites;
        if (site.antenna) {
            const SiteAntenna& a = *site.antenna;
            if (!(a.azimuth_deg >= 0.0 && a.azimuth_deg < 360.0))
                throw InputError("coverage: site " + site.id + ": antenna azimuth_deg = " + std::to_string(a.azimuth_deg) +
                                 " must be in [0, 360)");
            if (!(a.downtilt_deg >= -90.0 && a.downtilt_deg <= 90.0))
                throw InputError("coverage: site " + site.id + ": antenna downtilt_deg = " +
                                 std::to_string(a.downtilt_deg) + " must be in [-90, 90]");
        }
    }
    k_lat_ = lattice_step(n_px_);
    samples_.resize(spec.sites.size());
    for (const link::Technology& tech : spec.technologies) {
        TechnologyMaps m;
        m.technology = tech.name;
        m.rsrp = tech.family == link::Family::nr;
        m.downlink = link::make_budget(tech, link::Direction::downlink, spec.budget);
        m.uplink = link::make_budget(tech, link::Direction::uplink, spec.budget);
        out.technologies.push_back(std::move(m));
    }
}

void Combiner::add_site(std::size_t s_index, const SiteWindow& w) {
    if (w.loss_db.rows == 0) return;
    const GeoGrid& grid = spec_.grid;
    const int k_lat = k_lat_;
    const SiteRadio& site = spec_.sites[s_index];
    const auto s = static_cast<std::int16_t>(s_index);
    ChannelGroup& g = groups_[site_group_[s_index]];
    const link::Budget& dl = out.technologies[static_cast<std::size_t>(g.technology)].downlink;
    const bool directional = site.antenna && site.antenna->pattern.kind != link::AntennaPattern::Kind::omni;
    const SiteFrame frame(site.pos);
    const double z_tx_m = directional ? terrain_.height_m(site.pos) + site.h_tx_m : 0.0;
    // Lattice points of the window (uplink pass), only when the site has a co-channel neighbour.
    LatticeSamples& ls = samples_[s_index];
    if (g.sites > 1) {
        ls.lr0 = (w.row0 + k_lat - 1) / k_lat;
        ls.lc0 = (w.col0 + k_lat - 1) / k_lat;
        ls.rows = std::max(0, (w.row0 + w.loss_db.rows - 1) / k_lat - ls.lr0 + 1);
        ls.cols = std::max(0, (w.col0 + w.loss_db.cols - 1) / k_lat - ls.lc0 + 1);
        ls.coupling_db.assign(static_cast<std::size_t>(ls.rows) * ls.cols, kNaN);
    }
#pragma omp parallel for schedule(static)
    for (int r = 0; r < w.loss_db.rows; ++r) {
        const int row = w.row0 + r;
        const double lat_deg = grid.north_deg - row * grid.dlat_deg;
        float* lattice_row = !ls.coupling_db.empty() && row % k_lat == 0
                                 ? ls.coupling_db.data() + static_cast<std::size_t>(row / k_lat - ls.lr0) * ls.cols
                                 : nullptr;
        for (int c = 0; c < w.loss_db.cols; ++c) {
            const float loss_db = w.loss_db.at(r, c);
            if (std::isnan(loss_db)) continue;
            const int col = w.col0 + c;
            const std::size_t i = static_cast<std::size_t>(row) * grid.cols + col;
            double atten_db = 0.0;
            if (directional) {
                const LatLon px{lat_deg, grid.west_deg + col * grid.dlon_deg};
                if (!terrain_.contains(px)) continue;  // (the loss is NaN there already)
                atten_db = antenna_attenuation_db(terrain_, site, frame, z_tx_m, spec_.h_rx_m, px);
            }
            const double p_dbm = link::received_power_dbm(dl, loss_db, atten_db);
            g.sum_mw[i] += dbm_to_mw(p_dbm);
            if (p_dbm > g.best_dbm[i]) {  // strict: the lower site index wins ties
                g.best_dbm[i] = p_dbm;
                g.best_site[i] = s;
            }
            if (lattice_row && col % k_lat == 0) lattice_row[col / k_lat - ls.lc0] = static_cast<float>(loss_db + atten_db);
        }
    }
}

// Per technology: best server over its channel groups, then SNR, SINR, modes and throughput; the downlink
// first, then the uplink interference per site from the cells' served lattice pixels, then the uplink.
CoverageMaps Combiner::finish() {
    const GeoGrid& grid = spec_.grid;
    const std::size_t n_px = n_px_;
    const int k_lat = k_lat_;
    const std::vector<ChannelGroup>& groups = groups_;
    const std::vector<std::size_t>& site_group = site_group_;
    const std::vector<LatticeSamples>& samples = samples_;
    out.ul_interference_dbm.assign(spec_.sites.size(), kNoPower_dbm);
    for (std::size_t t = 0; t < out.technologies.size(); ++t) {
        TechnologyMaps& m = out.technologies[t];
        m.rx_power_dbm = like(grid, kNaN);
        m.snr_db = like(grid, kNaN);
        m.sinr_db = like(grid, kNaN);
        m.ul_sinr_db = like(grid, kNaN);
        m.dl_throughput_mbps = like(grid, 0.0f);
        m.ul_throughput_mbps = like(grid, 0.0f);
        m.best_server.assign(n_px, kNone);
        m.dl_mode.assign(n_px, kNone);
        m.ul_mode.assign(n_px, kNone);
        const link::Technology& tech = spec_.technologies[t];
        const double rsrp_offset_db = m.rsrp ? 10.0 * std::log10(12.0 * std::max(1, tech.nr.n_prb)) : 0.0;
        std::vector<const ChannelGroup*> mine;
        for (const ChannelGroup& g : groups)
            if (g.technology == static_cast<int>(t)) mine.push_back(&g);
        const auto best_group = [&](std::size_t i) {
            const ChannelGroup* best = nullptr;
            for (const ChannelGroup* g : mine) {
                if (g->best_site[i] == kNone) continue;
                if (!best || g->best_dbm[i] > best->best_dbm[i] ||
                    (g->best_dbm[i] == best->best_dbm[i] && g->best_site[i] < best->best_site[i]))
                    best = g;
            }
            return best;
        };
        const link::Budget& dl = m.downlink;
        const link::Budget& ul = m.uplink;
        std::vector<std::uint8_t> served(n_px, 0);  // a terminal can attach: the downlink's most robust mode works
#pragma omp parallel for schedule(static)
        for (std::size_t i = 0; i < n_px; ++i) {
            const ChannelGroup* best = best_group(i);
            if (!best) continue;
            const double s_dbm = best->best_dbm[i];
            const double i_mw = std::max(0.0, best->sum_mw[i] - dbm_to_mw(s_dbm));  // co-channel interferers
            m.best_server[i] = best->best_site[i];
            m.rx_power_dbm.values[i] = static_cast<float>(s_dbm - rsrp_offset_db);
            const DownlinkPoint p = downlink_point(dl, s_dbm, i_mw);  // point_service.hpp (shared with routes)
            m.snr_db.values[i] = static_cast<float>(p.snr_db);
            m.sinr_db.values[i] = static_cast<float>(p.sinr_db);
            served[i] = p.planning_db >= dl.min_snr_db ? 1 : 0;
            if (p.mode >= 0) {
                m.dl_mode[i] = static_cast<std::int16_t>(p.mode);
                m.dl_throughput_mbps.values[i] = static_cast<float>(p.throughput_mbps);
            }
        }

        // Uplink interference: served lattice pixels per cell, then each site's expected interference (serial
        // sums per site in lattice order; sites in parallel, each writing its own value).
        std::vector<std::size_t> n_served(spec_.sites.size(), 0);
        for (int r = 0; r < grid.rows; r += k_lat)
            for (int c = 0; c < grid.cols; c += k_lat) {
                const std::size_t i = static_cast<std::size_t>(r) * grid.cols + c;
                if (served[i]) ++n_served[static_cast<std::size_t>(m.best_server[i])];
            }
        const auto n_sites = static_cast<std::ptrdiff_t>(spec_.sites.size());
#pragma omp parallel for schedule(dynamic, 1)
        for (std::ptrdiff_t si = 0; si < n_sites; ++si) {
            const auto s = static_cast<std::size_t>(si);
            const LatticeSamples& ls = samples[s];
            if (spec_.sites[s].technology != static_cast<int>(t) || ls.coupling_db.empty()) continue;
            double i_ul_mw = 0.0;
            for (int lr = 0; lr < ls.rows; ++lr)
                for (int lc = 0; lc < ls.cols; ++lc) {
                    const float coupling_db = ls.coupling_db[static_cast<std::size_t>(lr) * ls.cols + lc];
                    if (std::isnan(coupling_db)) continue;
                    const std::size_t i = static_cast<std::size_t>(ls.lr0 + lr) * k_lat * grid.cols +
                                          static_cast<std::size_t>(ls.lc0 + lc) * k_lat;
                    const std::int16_t j = m.best_server[i];
                    if (!served[i] || j == static_cast<std::int16_t>(s) || site_group[static_cast<std::size_t>(j)] != site_group[s])
                        continue;
                    i_ul_mw += dbm_to_mw(link::received_power_dbm(ul, coupling_db)) /
                               static_cast<double>(n_served[static_cast<std::size_t>(j)]);
                }
            out.ul_interference_dbm[s] = i_ul_mw > 0.0 ? mw_to_dbm(i_ul_mw) : kNoPower_dbm;
        }

#pragma omp parallel for schedule(static)
        for (std::size_t i = 0; i < n_px; ++i) {
            const std::int16_t s = m.best_server[i];
            if (s == kNone) continue;
            const ChannelGroup* best = best_group(i);
            // Uplink over the same path (reciprocity): the coupling loss is recovered from the downlink power.
            const double loss_db = link::received_power_dbm(dl, 0.0) - best->best_dbm[i];
            const DownlinkPoint p = uplink_point(ul, loss_db, out.ul_interference_dbm[static_cast<std::size_t>(s)]);
            m.ul_sinr_db.values[i] = static_cast<float>(p.sinr_db);
            if (p.mode >= 0) {
                m.ul_mode[i] = static_cast<std::int16_t>(p.mode);
                m.ul_throughput_mbps.values[i] = static_cast<float>(p.throughput_mbps);
            }
        }
    }
    return std::move(out);
}

}  // namespace

SiteWindow site_window(const GeoGrid& g, LatLon site, double radius_m) {
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
    w.loss_db = g.window(r0, c0, r1 - r0 + 1, c1 - c0 + 1);
    return w;
}

double antenna_attenuation_db(const Terrain& terrain, const SiteRadio& site, const SiteFrame& frame, double z_tx_m,
                              double h_rx_m, LatLon p) {
    if (!site.antenna || site.antenna->pattern.kind == link::AntennaPattern::Kind::omni) return 0.0;
    double d_m = 0.0, az_rad = 0.0;
    frame.to_polar(p, d_m, az_rad);
    // Forward azimuth at the site: the mean azimuth minus half the meridian convergence dlambda sin(phi_m)
    // (Gauss mid-latitude formulas, Torge & Mueller sec. 6.2.4).
    az_rad -= 0.5 * deg_to_rad(p.lon_deg - site.pos.lon_deg) * std::sin(deg_to_rad(0.5 * (p.lat_deg + site.pos.lat_deg)));
    const double dz_m = terrain.height_m(p) + h_rx_m - z_tx_m;
    const double drop_rad = d_m / (2.0 * kEffectiveEarthFactorStandard * kEarthRadiusMean_m);  // ray drop over a k = 4/3 earth
    const double el_deg = rad_to_deg(std::atan2(dz_m, d_m) - drop_rad);
    return link::pattern_attenuation_db(site.antenna->pattern, rad_to_deg(az_rad) - site.antenna->azimuth_deg, el_deg,
                                        site.antenna->downtilt_deg);  // TR 38.901 Tab. 7.3-1
}

CoverageMaps compute_coverage(const Terrain& terrain, const MultiSiteSpec& spec) {
    Combiner comb(terrain, spec);
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
        std::vector<std::size_t> calls(nb, 0);
        // One site per thread; the site's own loops run serially inside (nested regions are inactive). A lone site
        // runs outside any active region and uses all threads over its radials and rows (parallel_for).
        parallel_for(static_cast<std::ptrdiff_t>(nb), 1, [&](std::ptrdiff_t jj) {
            const auto j = static_cast<std::size_t>(jj);
            const SiteRadio& site = spec.sites[b0 + j];
            windows[j] = site_window(spec.grid, site.pos, spec.radius_m);
            if (windows[j].loss_db.rows == 0) return;
            SiteLoss loss = compute_site_loss(terrain, site_spec(site), windows[j].loss_db);
            windows[j].loss_db = std::move(loss.loss_db);
            calls[j] = loss.model_calls;
        });
        for (std::size_t j = 0; j < nb; ++j) {
            comb.out.model_calls += calls[j];
            comb.add_site(b0 + j, windows[j]);
            if (spec.keep_site_loss && windows[j].loss_db.rows > 0) comb.out.site_loss.push_back(std::move(windows[j]));
        }
    }
    return comb.finish();
}

CoverageMaps combine_coverage(const Terrain& terrain, const MultiSiteSpec& spec, std::span<const SiteWindow* const> site_loss) {
    if (site_loss.size() != spec.sites.size())
        throw InputError("coverage: " + std::to_string(site_loss.size()) + " loss windows for " +
                         std::to_string(spec.sites.size()) + " sites");
    Combiner comb(terrain, spec);
    for (std::size_t s = 0; s < site_loss.size(); ++s) {
        const SiteWindow* w = site_loss[s];
        if (!w || w->loss_db.rows == 0) continue;
        if (w->row0 < 0 || w->col0 < 0 || w->row0 + w->loss_db.rows > spec.grid.rows ||
            w->col0 + w->loss_db.cols > spec.grid.cols ||
            w->loss_db.values.size() != static_cast<std::size_t>(w->loss_db.rows) * w->loss_db.cols)
            throw InputError("coverage: site " + spec.sites[s].id + ": its loss window does not fit the area grid");
        comb.add_site(s, *w);
    }
    return comb.finish();
}

}  // namespace dxplan::coverage
