// Cell judgement at the actual load (see cell.hpp).
#include "libsim/traffic/cell.hpp"

#include <cmath>
#include <limits>

#include "libsim/core/error.hpp"

namespace dxplan::traffic {

CellJudgement judge_cell(const link::Technology& tech, const Profile& traffic, const std::vector<double>& sinr_db,
                         double terminals, const LoadOptions& o) {
    CellJudgement j;
    j.terminals = terminals;
    if (!(terminals >= 0.0)) throw InputError("cell terminals = " + std::to_string(terminals) + ": must be >= 0");
    if (sinr_db.empty()) return j;
    const LoadModel model(tech, traffic, CellRadio{sinr_db, 0.0}, o);
    j.max_terminals = model.max_devices();
    j.headroom_terminals = j.max_terminals - terminals;
    if (terminals <= 0.0) return j;
    const LoadResult r = model.at(std::max(1.0, terminals));  // a fraction of a terminal loads the cell as one
    j.offered_mbps = r.offered_load_bps / 1e6;
    j.carried_mbps = r.carried_load_bps / 1e6;
    j.delivery_ratio = r.delivery_ratio;
    j.delay_mean_ms = r.delay_mean_ms;
    j.delay_p99_ms = r.delay_p99_ms;
    j.meets_target = r.meets_target;
    return j;
}

Profile household_profile(double dl_mbps, double ul_mbps, double delay_p99_ms) {
    if (!(dl_mbps >= 0.0 && ul_mbps >= 0.0) || dl_mbps + ul_mbps <= 0.0)
        throw InputError("household busy-hour rates dl " + std::to_string(dl_mbps) + ", ul " + std::to_string(ul_mbps) +
                         " Mbit/s: must be >= 0 and not both 0");
    Profile p;
    p.name = "household busy hour";
    p.target.delivery_ratio = 0.99;
    p.target.delay_p99_ms = std::isfinite(delay_p99_ms) ? delay_p99_ms : std::numeric_limits<double>::max();
    const double packet_bytes = 1400.0;
    for (const auto& [dir, mbps] : {std::pair{FlowDirection::downlink, dl_mbps}, std::pair{FlowDirection::uplink, ul_mbps}}) {
        if (mbps <= 0.0) continue;
        Flow f;
        f.name = dir == FlowDirection::downlink ? "downlink" : "uplink";
        f.kind = FlowKind::stream;
        f.direction = dir;
        f.payload_bytes = packet_bytes;
        f.interval_s = packet_bytes * 8.0 / (mbps * 1e6);
        p.flows.push_back(f);
    }
    return p;
}

}  // namespace dxplan::traffic
