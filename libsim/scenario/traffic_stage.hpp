// dxplan run: the "Many terminals" stage. After the comparison, each planned technology's service maps say which
// cell serves each demand point and at what uplink SINR; this stage judges every cell at its busy-hour load with
// the traffic layer's models (libsim/traffic) and fills the report section (output/report_traffic.hpp):
//  - terminals per cell: households and facilities active in the busy hour (x busy_hour_activity), each with the
//    busy-hour demand per household downlink and a tenth of it uplink; sensors ("iot") all, with the
//    water-level-sensor profile (models/traffic); the kinds are judged separately in a cell;
//  - the curve: delivery and p99 delay against terminals per cell over the SINR of all served points of a kind;
//  - edge AI (issue 14 item 4): with cameras in the scenario (demand kind camera), per technology serving them,
//    raw video vs the camera profile's edge flows (requirements.by_kind.camera.traffic, default
//    camera-1080p-h265) side by side: every camera cell judged at its camera count, the busiest cell's uplink load,
//    and the network's NPV without / with one edge computer per camera (catalogue edge-ai-computer). Without
//    cameras: ten cameras per cell over the SINR of the served points, no cost.
// A technology that cannot carry a profile (a payload above its maximum) gets a note instead of a row.
#pragma once

#include "libsim/economics/catalogue.hpp"
#include "libsim/economics/comparison.hpp"
#include "libsim/economics/economics.hpp"
#include "libsim/output/report.hpp"
#include "libsim/output/report_traffic.hpp"
#include "libsim/output/results.hpp"
#include "libsim/scenario/scenario.hpp"

namespace dxplan {

// What the edge rows need to cost raw vs edge: the planned networks (their NPV and bill), the scenario's
// catalogue and economic parameters. comparison null: no costs.
struct EdgeCosting {
    const output::ComparisonReport* comparison = nullptr;
    econ::Catalogue catalogue;
    econ::EconomicParams params;
};

output::ManyTerminalsSection many_terminals_stage(const Scenario& s, const output::RunResults& res, const econ::Requirements& req,
                                                  const EdgeCosting& costing = {});

}  // namespace dxplan
