// dxplan run, comparison stage: the capacity and latency judgement of one technology's chosen network, the one
// place that turns "who is served by which cell, at what SINR and rate" into the figures the requirement checks
// use (econ::KindService) and the busy-hour load each site puts on its backhaul.
//
// Model: the traffic layer's cell load models (libsim/traffic, issue 14; issue 12 item 4), per demand kind and
// per cell (capacity.cpp states the assumptions):
//  - throughput: median and 5th percentile (nearest rank) of the kind's served points' single-user downlink
//    application rates; uplink median likewise (the edge-rate requirement is a single-user figure);
//  - capacity per active user: per cell, the kind's busy-hour rate x the largest number of its active users the
//    cell carries at the target (delivery 0.99, p99 delay within the kind's latency) over the SINR of the points
//    it serves (PF sharing of the TDD frame for NR, airtime for Wi-Fi/HaLow, duty-limited ALOHA per SF for LoRa)
//    / its active users; the network's figure is its worst cell's;
//  - latency: the largest 99th-percentile access delay of any cell at its actual busy-hour load;
//  - carried busy-hour Mbit/s: the sum over cells and kinds of what the model carries at the actual load (cost
//    per Mbit/s = NPV / this);
//  - a site's busy-hour backhaul load: sum over its served points of the kind's busy-hour downlink demand x
//    activity (kinds without a rate requirement add nothing);
//  - a technology without a load model (Sigfox) keeps the earlier estimate: cells x median throughput / active
//    users, and the family's typical latency (econ::family_defaults).
#pragma once

#include <vector>

#include "libsim/economics/comparison.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::comparison {

struct ServedPoint {
    DemandKind kind = DemandKind::household;
    double planning_sinr_db = 0;  // downlink planning SINR at its best server
    double capacity_sinr_db = 0;  // the same without the fade (location-reliability) margin: the median SINR the
                                  // cell's scheduler sees, for the load models
    int dl_mode = -1;             // index of the downlink mode used (link::best_mode), -1: none
    double rate_mbps = 0;         // single-user downlink application throughput at that SINR
    double ul_rate_mbps = 0;      // single-user uplink application throughput (noise-limited)
};

struct CellDemand {  // one chosen site (its sectors together) and the demand points it serves
    std::vector<ServedPoint> points;
};

struct KindCapacity {
    DemandKind kind = DemandKind::household;
    double throughput_median_mbps = econ::kNoRequirement;
    double throughput_p5_mbps = econ::kNoRequirement;
    double ul_median_mbps = econ::kNoRequirement;
    double capacity_mbps_per_user = econ::kNoRequirement;     // busy-hour downlink share per active user
    double ul_capacity_mbps_per_user = econ::kNoRequirement;  // busy-hour uplink share per active user
    double latency_ms = econ::kNoRequirement;                 // worst cell's p99 access delay at its load
    double delivery_ratio = econ::kNoRequirement;             // worst cell's, at its actual load
    double headroom_terminals = econ::kNoRequirement;         // smallest over cells: max carried - active users
};

struct CapacityJudgement {
    std::vector<KindCapacity> kinds;          // one per kind with served points, in kDemandKinds order
    std::vector<double> site_busy_hour_mbps;  // per cell, the load on its backhaul
    double throughput_median_mbps = 0.0;      // over every served point (the report's per-technology figures)
    double throughput_p5_mbps = 0.0;
    double carried_busy_hour_mbps = 0.0;      // sum over cells and kinds at the actual load, both directions
    double latency_ms = 0.0;                  // the family's typical round trip (econ::family_defaults), for the
                                              // routes (a moving terminal, not a cell's busy-hour load)
};

CapacityJudgement judge_capacity(const link::Technology& tech, const std::vector<CellDemand>& cells,
                                 const econ::Requirements& req);

}  // namespace dxplan::comparison
