// dxplan traffic layer: the judgement of one cell at its actual load, for the comparison stage (issue 14 item 5,
// issue 12 item 4): the terminals a chosen site serves, their SINR and their traffic -> carried load, delivery,
// delay and the headroom in terminals before the target is missed.
#pragma once

#include <vector>

#include "libsim/link/link.hpp"
#include "libsim/traffic/load.hpp"
#include "libsim/traffic/traffic.hpp"

namespace dxplan::traffic {

struct CellJudgement {
    double terminals = 0.0;          // active terminals the cell carries
    double offered_mbps = 0.0;       // both directions
    double carried_mbps = 0.0;
    double delivery_ratio = 1.0;
    double delay_mean_ms = 0.0;
    double delay_p99_ms = 0.0;       // +inf when a queue is unstable
    double max_terminals = 0.0;      // largest N meeting the target with this SINR mix
    double headroom_terminals = 0.0; // max_terminals - terminals (negative: over the target)
    bool meets_target = true;
};

// The cell's `terminals` (> 0; 0 gives an idle cell that meets every target) with the served points' SINR
// samples (dB; the uplink is taken equal to the downlink planning SINR unless the caller shifts it) and one
// traffic profile; options.target is the requirement.
CellJudgement judge_cell(const link::Technology& tech, const Profile& traffic, const std::vector<double>& sinr_db,
                         double terminals, const LoadOptions& options);

// The busy-hour traffic of one active household as a profile: a downlink and an uplink stream of 1400-byte
// packets at the given rates (rates > 0; a zero rate drops that direction), target delivery 0.99 and the given
// p99 delay (ms, +inf for none).
Profile household_profile(double dl_mbps, double ul_mbps, double delay_p99_ms);

}  // namespace dxplan::traffic
