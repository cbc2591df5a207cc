#include "libsim/scenario/capacity.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "libsim/core/error.hpp"
#include "libsim/traffic/cell.hpp"
#include "libsim/traffic/load.hpp"

namespace dxplan::comparison {

namespace {

double percentile(std::vector<double> v, double q) {  // nearest rank
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(k, 1, v.size()) - 1];
}

// Before the traffic layer: sites x median single-user rate / active households; the family's latency constant.
CapacityJudgement previous_estimate(const link::Technology& tech, const std::vector<CellDemand>& cells,
                                    const econ::Requirements& req, CapacityJudgement j) {
    double households = 0.0;
    for (const CellDemand& c : cells)
        for (const ServedPoint& p : c.points) households += p.kind == "household" ? 1.0 : 0.0;
    const double active = std::max(1.0, households * req.busy_hour_activity);
    j.capacity_mbps_per_household =
        households > 0 ? static_cast<double>(cells.size()) * j.throughput_median_mbps / active : 0.0;
    const double toa_ms = tech.uplink.modes.empty() ? 0.0 : tech.uplink.modes.front().time_on_air_ms;
    j.latency_ms = econ::family_defaults(link::to_string(tech.family), toa_ms).latency_ms;
    return j;
}

// One class of terminals in one cell: their SINR samples and how many are active.
struct CellClass {
    std::vector<double> sinr_db;
    double active = 0.0;
};

void judge_cells(const link::Technology& tech, const std::vector<CellDemand>& cells, const econ::Requirements& req,
                 CapacityJudgement& j) {
    const double dl_mbps = req.min_mbps_per_household > 0.0 ? req.min_mbps_per_household : 2.0;
    // the requirement is a downlink figure (econ::Requirements::min_mbps_per_household): no uplink is assumed
    const traffic::Profile household = traffic::household_profile(dl_mbps, 0.0, req.max_latency_ms);
    const traffic::Profile sensor = traffic::load_profile("water-level-sensor");
    double capacity = INFINITY, latency = 0.0;
    bool any_household = false;
    for (const CellDemand& c : cells) {
        CellClass hh, iot;
        for (const ServedPoint& p : c.points) (p.kind == "household" ? hh : iot).sinr_db.push_back(p.planning_sinr_db);
        hh.active = static_cast<double>(hh.sinr_db.size()) * req.busy_hour_activity;
        iot.active = static_cast<double>(iot.sinr_db.size());
        for (const auto& [cls, prof] : {std::pair{&hh, &household}, std::pair{&iot, &sensor}}) {
            if (cls->sinr_db.empty()) continue;
            traffic::LoadOptions o;
            o.target = prof->target;
            traffic::CellJudgement cj;
            try {
                cj = traffic::judge_cell(tech, *prof, cls->sinr_db, cls->active, o);
            } catch (const InputError&) {  // the technology cannot carry the profile (payload above its maximum)
                cj.max_terminals = 0.0;
                cj.delay_p99_ms = INFINITY;
            }
            latency = std::max(latency, cj.delay_p99_ms);
            if (cls == &hh) {
                any_household = true;
                capacity = std::min(capacity, dl_mbps * cj.max_terminals / std::max(1.0, hh.active));
            }
        }
    }
    j.capacity_mbps_per_household = any_household ? capacity : 0.0;
    j.latency_ms = latency;
}

}  // namespace

// The cells at their busy-hour load with the traffic layer's models (issue 14, issue 12 item 4):
//  - households (kind household): the active ones (x busy_hour_activity) each offer the busy-hour demand per
//    household downlink (the requirement is a downlink figure; traffic::household_profile); the cell's capacity per active
//    household = that demand x the largest number of such households the cell carries at the target
//    (delivery 0.99, p99 delay within max_latency_ms) over the SINR of the points it serves / its active
//    households; the network's figure is its worst cell's;
//  - latency: the largest 99th-percentile access delay of any cell at its actual load, households and sensors
//    (sensors: models/traffic/water-level-sensor), one way over the air (the model's access delay);
//  - the served points' downlink planning SINR stands for the uplink too;
//  - a technology without a load model (Sigfox) keeps the previous estimate (family constants).
CapacityJudgement judge_capacity(const link::Technology& tech, const std::vector<CellDemand>& cells,
                                 const econ::Requirements& req) {
    CapacityJudgement j;
    std::vector<double> rates_mbps;
    for (const CellDemand& c : cells) {
        for (const ServedPoint& p : c.points) rates_mbps.push_back(p.rate_mbps);
        j.site_busy_hour_mbps.push_back(static_cast<double>(c.points.size()) * req.min_mbps_per_household *
                                        req.busy_hour_activity);
    }
    j.throughput_median_mbps = percentile(rates_mbps, 0.5);
    j.throughput_p5_mbps = percentile(rates_mbps, 0.05);
    if (tech.family == link::Family::sigfox) return previous_estimate(tech, cells, req, j);
    judge_cells(tech, cells, req, j);
    return j;
}

}  // namespace dxplan::comparison
