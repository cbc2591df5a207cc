// dxplan coverage: many sites, several technologies, combined into best-server, SNR/SINR and throughput maps.
//
// Per site the path loss is computed over the part of the area grid within its radius (compute_site_loss, fast or
// exact), sites in parallel (OpenMP, dynamic), and folded into per-technology accumulators in site order, so the
// result does not depend on the thread count. Only `batch` site windows are alive at a time (batch = the thread
// count), never one full raster per site, unless keep_site_loss asks for them.
//
// Per pixel and technology (link budgets from libsim/link, one per direction, shared by the technology's sites):
//   received power P_s = received_power_dbm(downlink budget, loss_s) of each site s (omni antennas);
//   best server = the site with the largest P_s (lowest index on ties);
//   reported power = P_best as RSSI, or for NR as RSRP = P_best - 10 log10(12 N_PRB) (power per resource element,
//     TS 38.215 §5.1.1, the carrier's power spread evenly over its 12 N_PRB subcarriers);
//   SNR = P_best - N (noise floor of the downlink budget);
//   SINR = P_best - 10 log10(N + sum of P_s over the other sites of the same technology and channel) (mW sum);
//   downlink mode and throughput at the planning SINR = SINR - fade margin - interference margin
//     (link::best_mode, link::app_throughput_mbps);
//   uplink: the same path loss with the uplink budget, SNR only (no uplink interference model), planning SNR =
//     SNR - fade margin - interference margin.
// A pixel is covered by a technology when its downlink mode exists (planning SINR >= the most robust mode's SNR)
// and its uplink mode exists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/site_loss.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::coverage {

struct SiteRadio {
    std::string id;
    LatLon pos;
    double h_tx_m = 30.0;
    int technology = 0;  // index into MultiSiteSpec::technologies
    int channel = 0;     // sites of the same technology and channel interfere
};

struct MultiSiteSpec {
    std::vector<SiteRadio> sites;
    std::vector<link::Technology> technologies;
    link::BudgetOptions budget;  // location reliability, shadow sigma (fade margin), margins
    GeoGrid grid;                // the area grid (geometry only)
    double radius_m = 10'000.0;  // per-site computation radius
    double h_rx_m = 1.5;
    std::string model = "itm";
    prop::LossQuery params;      // model parameters (f_mhz is each technology's centre frequency)
    Mode mode = Mode::fast;
    bool keep_site_loss = false; // keep every site's loss window (memory grows with the site count)
};

inline constexpr std::int16_t kNone = -1;

struct TechnologyMaps {
    std::string technology;
    bool rsrp = false;                     // rx_power_dbm holds RSRP (NR) rather than RSSI
    GeoGrid rx_power_dbm;                  // NaN where no site reaches
    std::vector<std::int16_t> best_server; // site index, kNone
    GeoGrid snr_db;
    GeoGrid sinr_db;
    std::vector<std::int16_t> dl_mode;     // index into the downlink budget's modes, kNone: no service
    std::vector<std::int16_t> ul_mode;
    GeoGrid dl_throughput_mbps;            // application layer
    GeoGrid ul_throughput_mbps;
    link::Budget downlink;
    link::Budget uplink;

    [[nodiscard]] bool covered(std::size_t i) const { return dl_mode[i] != kNone && ul_mode[i] != kNone; }
};

struct SiteWindow {  // one site's loss over its part of the area grid
    int row0 = 0;
    int col0 = 0;
    GeoGrid loss_db;
};

struct CoverageMaps {
    std::vector<TechnologyMaps> technologies;  // in MultiSiteSpec::technologies order
    std::vector<SiteWindow> site_loss;         // when keep_site_loss
    std::size_t model_calls = 0;
};

// Throws InputError for a site outside the terrain, a bad technology index or channel, or bad model parameters.
CoverageMaps compute_coverage(const Terrain& terrain, const MultiSiteSpec& spec);

}  // namespace dxplan::coverage
