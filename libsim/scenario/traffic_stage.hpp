// dxplan run: the "Many terminals" stage. After the comparison, each planned technology's service maps say which
// cell serves each demand point and at what uplink SINR; this stage judges every cell at its busy-hour load with
// the traffic layer's models (libsim/traffic) and fills the report section (output/report_traffic.hpp):
//  - terminals per cell: households and facilities active in the busy hour (x busy_hour_activity), each with the
//    busy-hour demand per household downlink and a tenth of it uplink; sensors ("iot") all, with the
//    water-level-sensor profile (models/traffic); the kinds are judged separately in a cell;
//  - the curve: delivery and p99 delay against terminals per cell over the SINR of all served points of a kind;
//  - edge AI: ten H.265 cameras per cell, raw video vs the profile's edge flows, over the same SINR.
// A technology that cannot carry a profile (a payload above its maximum) gets a note instead of a row.
#pragma once

#include "libsim/economics/comparison.hpp"
#include "libsim/output/report_traffic.hpp"
#include "libsim/output/results.hpp"
#include "libsim/scenario/scenario.hpp"

namespace dxplan {

output::ManyTerminalsSection many_terminals_stage(const Scenario& s, const output::RunResults& res, const econ::Requirements& req);

}  // namespace dxplan
