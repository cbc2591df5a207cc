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

double busy_hour_mbps(const econ::KindRequirements& q) {
    return std::isnan(q.dl_mbps) ? 0.0 : q.dl_mbps * q.busy_hour_activity;
}

KindCapacity kind_capacity(DemandKind kind, const std::vector<CellDemand>& cells, const econ::Requirements& req,
                           double latency_ms) {
    KindCapacity k;
    k.kind = kind;
    std::vector<double> dl, ul;
    for (const CellDemand& c : cells)
        for (const ServedPoint& p : c.points)
            if (p.kind == kind) dl.push_back(p.rate_mbps), ul.push_back(p.ul_rate_mbps);
    if (dl.empty()) return k;
    k.throughput_median_mbps = percentile(dl, 0.5);
    k.throughput_p5_mbps = percentile(dl, 0.05);
    k.ul_median_mbps = percentile(ul, 0.5);
    const double active = std::max(1.0, static_cast<double>(dl.size()) * req.of(kind).busy_hour_activity);
    k.capacity_mbps_per_user = static_cast<double>(cells.size()) * k.throughput_median_mbps / active;
    k.latency_ms = latency_ms;
    return k;
}

}  // namespace

CapacityJudgement judge_capacity(const link::Technology& tech, const std::vector<CellDemand>& cells,
                                 const econ::Requirements& req) {
    CapacityJudgement j;
    std::vector<double> rates_mbps;
    for (const CellDemand& c : cells) {
        double load = 0.0;
        for (const ServedPoint& p : c.points) {
            rates_mbps.push_back(p.rate_mbps);
            load += busy_hour_mbps(req.of(p.kind));
        }
        j.site_busy_hour_mbps.push_back(load);
    }
    j.throughput_median_mbps = percentile(rates_mbps, 0.5);
    j.throughput_p5_mbps = percentile(rates_mbps, 0.05);
    const double toa_ms = tech.uplink.modes.empty() ? 0.0 : tech.uplink.modes.front().time_on_air_ms;
    const double latency_ms = econ::family_defaults(link::to_string(tech.family), toa_ms).latency_ms;
    j.latency_ms = latency_ms;
    for (DemandKind kind : kDemandKinds) {
        KindCapacity k = kind_capacity(kind, cells, req, latency_ms);
        if (!std::isnan(k.throughput_median_mbps)) j.kinds.push_back(k);
    }
    return j;
}

}  // namespace dxplan::comparison
