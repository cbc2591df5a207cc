// dxplan coverage: the service at one point from the received powers there (multi_site.hpp describes the
// formulas). The service maps (Combiner in multi_site.cpp) and the route layer (libsim/route) both call these,
// so a route sample at a pixel centre gets the maps' values.
#pragma once

#include <cmath>
#include <cstdint>

#include "libsim/core/units.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::coverage {

struct DownlinkPoint {
    double snr_db = 0.0;
    double sinr_db = 0.0;
    double planning_db = 0.0;       // SINR - fade margin - interference margin
    int mode = -1;                  // index into the budget's modes, -1: none
    double throughput_mbps = 0.0;   // application layer
};

// Serving power s_dbm and co-channel interference i_mw (power sum of the other cells, mW) at the terminal.
inline DownlinkPoint downlink_point(const link::Budget& dl, double s_dbm, double i_mw) {
    DownlinkPoint p;
    p.snr_db = s_dbm - dl.noise_floor_dbm;
    p.sinr_db = s_dbm - mw_to_dbm(dbm_to_mw(dl.noise_floor_dbm) + i_mw);
    p.planning_db = p.sinr_db - (dl.fade_margin_db + dl.interference_margin_db);
    if (const link::Mode* mode = link::best_mode(dl, p.planning_db)) {
        p.mode = static_cast<int>(mode - dl.modes.data());
        p.throughput_mbps = link::app_throughput_mbps(dl, p.planning_db);
    }
    return p;
}

// Uplink over the same coupling loss (reciprocity) with the interference i_ul_dbm at the serving cell.
inline DownlinkPoint uplink_point(const link::Budget& ul, double coupling_loss_db, double i_ul_dbm) {
    DownlinkPoint p;
    const double u_dbm = link::received_power_dbm(ul, coupling_loss_db);
    p.snr_db = u_dbm - ul.noise_floor_dbm;
    p.sinr_db = u_dbm - mw_to_dbm(dbm_to_mw(ul.noise_floor_dbm) + dbm_to_mw(i_ul_dbm));  // -inf dBm: 0 mW
    p.planning_db = p.sinr_db - (ul.fade_margin_db + ul.interference_margin_db);
    if (const link::Mode* mode = link::best_mode(ul, p.planning_db)) {
        p.mode = static_cast<int>(mode - ul.modes.data());
        p.throughput_mbps = link::app_throughput_mbps(ul, p.planning_db);
    }
    return p;
}

}  // namespace dxplan::coverage
