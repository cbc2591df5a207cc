// dxplan run, comparison stage: the capacity and latency judgement of one technology's chosen network, the one
// place that turns "who is served by which cell, at what SINR and rate" into the figures the requirement checks
// use (econ::evaluate_technology) and the busy-hour load each site puts on its backhaul.
//
// Model: the traffic layer's cell load models (libsim/traffic, issue 14; capacity.cpp states the assumptions).
// Before it (kept for technologies without a load model):
//  - throughput: median and 5th percentile (nearest rank) of the served points' single-user application rates;
//  - capacity per household: sites x median throughput / max(1, households served x busy-hour activity), i.e.
//    each cell delivers about the median rate of its points, shared by the households active at once;
//  - a site's busy-hour backhaul load: its served points x the busy-hour demand per active household x activity;
//  - latency: the technology family's typical user-plane round trip (econ::family_defaults; LoRa from the time on
//    air of its most robust uplink mode).
#pragma once

#include <string>
#include <vector>

#include "libsim/economics/comparison.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::comparison {

struct ServedPoint {
    std::string kind;             // demand kind of the point
    double planning_sinr_db = 0;  // downlink planning SINR at its best server
    int dl_mode = -1;             // index of the downlink mode used (link::best_mode), -1: none
    double rate_mbps = 0;         // single-user downlink application throughput at that SINR
};

struct CellDemand {  // one chosen site (its sectors together) and the demand points it serves
    std::vector<ServedPoint> points;
};

struct CapacityJudgement {
    double throughput_median_mbps = 0.0;
    double throughput_p5_mbps = 0.0;
    double capacity_mbps_per_household = 0.0;  // busy-hour share per active household
    double latency_ms = 0.0;                   // user-plane round trip
    std::vector<double> site_busy_hour_mbps;   // per cell, the load on its backhaul
};

CapacityJudgement judge_capacity(const link::Technology& tech, const std::vector<CellDemand>& cells,
                                 const econ::Requirements& req);

}  // namespace dxplan::comparison
