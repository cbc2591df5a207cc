#include "libsim/scenario/capacity.hpp"

#include <algorithm>
#include <cmath>

namespace dxplan::comparison {

namespace {

double percentile(std::vector<double> v, double q) {  // nearest rank
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(k, 1, v.size()) - 1];
}

}  // namespace

CapacityJudgement judge_capacity(const link::Technology& tech, const std::vector<CellDemand>& cells,
                                 const econ::Requirements& req) {
    CapacityJudgement j;
    std::vector<double> rates_mbps;
    double households = 0.0;
    for (const CellDemand& c : cells) {
        for (const ServedPoint& p : c.points) {
            rates_mbps.push_back(p.rate_mbps);
            households += p.kind == "household" ? 1.0 : 0.0;
        }
        j.site_busy_hour_mbps.push_back(static_cast<double>(c.points.size()) * req.min_mbps_per_household *
                                        req.busy_hour_activity);
    }
    j.throughput_median_mbps = percentile(rates_mbps, 0.5);
    j.throughput_p5_mbps = percentile(rates_mbps, 0.05);
    const double active = std::max(1.0, households * req.busy_hour_activity);
    j.capacity_mbps_per_household =
        households > 0 ? static_cast<double>(cells.size()) * j.throughput_median_mbps / active : 0.0;
    const double toa_ms = tech.uplink.modes.empty() ? 0.0 : tech.uplink.modes.front().time_on_air_ms;
    j.latency_ms = econ::family_defaults(link::to_string(tech.family), toa_ms).latency_ms;
    return j;
}

}  // namespace dxplan::comparison
