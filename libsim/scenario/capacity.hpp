// dxplan run, comparison stage: the capacity and latency judgement of one technology's chosen network, the one
// place that turns "who is served by which cell, at what SINR and rate" into the figures the requirement checks
// use (econ::KindService) and the busy-hour load each site puts on its backhaul.
//
// Current model (to be replaced by the traffic layer's cell load models, issue 14), per demand kind:
//  - throughput: median and 5th percentile (nearest rank) of the kind's served points' single-user downlink
//    application rates; uplink median likewise;
//  - capacity per active user: cells x median throughput / max(1, served points of the kind x busy-hour
//    activity), i.e. each cell delivers about the median rate of its points, shared by the users active at once;
//  - a site's busy-hour backhaul load: sum over its served points of the kind's busy-hour downlink demand x
//    activity (kinds without a rate requirement add nothing);
//  - latency: the technology family's typical user-plane round trip (econ::family_defaults; LoRa from the time on
//    air of its most robust uplink mode).
#pragma once

#include <vector>

#include "libsim/economics/comparison.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::comparison {

struct ServedPoint {
    DemandKind kind = DemandKind::household;
    double planning_sinr_db = 0;  // downlink planning SINR at its best server
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
    double capacity_mbps_per_user = econ::kNoRequirement;  // busy-hour share per active user
    double latency_ms = econ::kNoRequirement;              // user-plane round trip
};

struct CapacityJudgement {
    std::vector<KindCapacity> kinds;          // one per kind with served points, in kDemandKinds order
    std::vector<double> site_busy_hour_mbps;  // per cell, the load on its backhaul
    double throughput_median_mbps = 0.0;      // over every served point (the report's per-technology figures)
    double throughput_p5_mbps = 0.0;
    double latency_ms = 0.0;                  // the network's user-plane round trip (the routes' latency check)
};

CapacityJudgement judge_capacity(const link::Technology& tech, const std::vector<CellDemand>& cells,
                                 const econ::Requirements& req);

}  // namespace dxplan::comparison
