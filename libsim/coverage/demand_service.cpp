#include "libsim/coverage/demand_service.hpp"

#include <algorithm>
#include <limits>

#include "libsim/coverage/stats.hpp"

namespace dxplan::coverage {

namespace {

double mw(double dbm) { return std::pow(10.0, dbm / 10.0); }

// The grid spanning every loss grid, at the first one's spacing (values NaN).
GeoGrid union_grid(std::span<const GeoGrid* const> grids) {
    const GeoGrid& g0 = *grids.front();
    double north = -90, south = 90, west = 180, east = -180;
    for (const GeoGrid* g : grids) {
        north = std::max(north, g->north_deg);
        west = std::min(west, g->west_deg);
        south = std::min(south, g->north_deg - (g->rows - 1) * g->dlat_deg);
        east = std::max(east, g->west_deg + (g->cols - 1) * g->dlon_deg);
    }
    GeoGrid out;
    out.dlat_deg = g0.dlat_deg;
    out.dlon_deg = g0.dlon_deg;
    out.north_deg = north;
    out.west_deg = west;
    out.rows = static_cast<int>(std::round((north - south) / out.dlat_deg)) + 1;
    out.cols = static_cast<int>(std::round((east - west) / out.dlon_deg)) + 1;
    out.values.assign(static_cast<std::size_t>(out.rows) * out.cols, std::numeric_limits<float>::quiet_NaN());
    return out;
}

// The best served downlink power at (lat, lon) over the grids (-inf: none serves).
double best_served_dbm(std::span<const GeoGrid* const> grids, double lat, double lon, const link::Budget& dl,
                       const link::Budget& ul) {
    double best = -INFINITY;
    for (const GeoGrid* g : grids) {
        const int rr = static_cast<int>(std::round((g->north_deg - lat) / g->dlat_deg));
        const int cc = static_cast<int>(std::round((lon - g->west_deg) / g->dlon_deg));
        if (rr < 0 || cc < 0 || rr >= g->rows || cc >= g->cols) continue;
        const PointLink p = point_link(dl, ul, g->values[static_cast<std::size_t>(rr) * g->cols + cc]);
        if (closes_noise_limited(p)) best = std::max(best, p.rx_dl_dbm);
    }
    return best;
}

}  // namespace

PointLink point_link(const link::Budget& dl, const link::Budget& ul, double loss_db, std::span<const double> atten_db) {
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

Serving serving(const std::vector<std::vector<PointLink>>& links, std::span<const std::size_t> chosen, std::size_t i,
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
    sv.sinr_db = best_dbm - 10.0 * std::log10(mw(dl.noise_floor_dbm) + others_mw);
    sv.planning_db = sv.sinr_db - dl.fade_margin_db - dl.interference_margin_db;
    sv.margin_db = std::min(sv.planning_db - dl.min_snr_db, links[chosen[sv.best]][i].ul_margin_db);
    sv.served = sv.margin_db >= 0.0;
    return sv;
}

ServedArea served_area(std::span<const GeoGrid* const> loss_db, const link::Budget& dl, const link::Budget& ul) {
    ServedArea c;
    if (loss_db.empty()) return c;
    GeoGrid& out = c.rx_dbm;
    out = union_grid(loss_db);
    for (int r = 0; r < out.rows; ++r) {
        const double lat = out.north_deg - r * out.dlat_deg;
        const double area_km2 = pixel_area_km2(out, r);
        for (int col = 0; col < out.cols; ++col) {
            const double best = best_served_dbm(loss_db, lat, out.west_deg + col * out.dlon_deg, dl, ul);
            if (!std::isfinite(best)) continue;
            out.values[static_cast<std::size_t>(r) * out.cols + col] = static_cast<float>(best);
            c.area_km2 += area_km2;
        }
    }
    return c;
}

}  // namespace dxplan::coverage
