#include "libsim/scenario/capacity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

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

double busy_hour_mbps(const econ::KindRequirements& q) {
    return std::isnan(q.dl_mbps) ? 0.0 : q.dl_mbps * q.busy_hour_activity;
}

double or_zero(double x) { return std::isnan(x) ? 0.0 : x; }

// The busy-hour traffic of one active user of the kind, from its requirements: a rate kind (dl_mbps / ul_mbps
// set: households, facilities, cameras) streams those rates (traffic::household_profile); sensors send
// payload_bytes reports_per_day times a day when both are set, else the water-level sensor profile
// (models/traffic/water-level-sensor.yaml). Target: delivery 0.99, p99 delay within the kind's latency.
// None: the kind has no traffic to judge.
std::optional<traffic::Profile> kind_profile(DemandKind kind, const econ::KindRequirements& q) {
    const double latency = std::isnan(q.max_latency_ms) ? INFINITY : q.max_latency_ms;
    if (or_zero(q.dl_mbps) + or_zero(q.ul_mbps) > 0.0)
        return traffic::household_profile(or_zero(q.dl_mbps), or_zero(q.ul_mbps), latency);
    if (kind != DemandKind::iot) return std::nullopt;
    traffic::Profile p;
    if (q.payload_bytes > 0.0 && q.reports_per_day > 0.0) {
        p.name = "sensor reports";
        traffic::Flow f;
        f.name = "report";
        f.payload_bytes = q.payload_bytes;
        f.interval_s = 86400.0 / q.reports_per_day;
        p.flows.push_back(f);
    } else {
        p = traffic::load_profile("water-level-sensor");
    }
    p.target.delivery_ratio = 0.99;
    if (std::isfinite(latency)) p.target.delay_p99_ms = latency;
    return p;
}

// One cell's judgement for the kind's points in it (SINR samples, active users); a profile the technology
// cannot carry (payload above its maximum, e.g. a 1400-byte packet on LoRa) carries nothing.
traffic::CellJudgement judge_one(const link::Technology& tech, const traffic::Profile& prof,
                                 const std::vector<double>& sinr_db, double active) {
    traffic::LoadOptions o;
    o.target = prof.target;
    try {
        return traffic::judge_cell(tech, prof, sinr_db, active, o);
    } catch (const InputError&) {
        traffic::CellJudgement cj;
        cj.terminals = active;
        cj.max_terminals = 0.0;
        cj.headroom_terminals = -active;
        cj.delivery_ratio = 0.0;
        cj.delay_p99_ms = INFINITY;
        cj.meets_target = false;
        return cj;
    }
}

// The kind's cells under the load model: capacity per active user = rate x max carried / active users (worst
// cell), latency = the worst p99 delay at the actual load; each kind is judged on its own cell resources (the
// kinds' loads are not added: households dominate every cell's load where they are served).
void judge_kind_cells(const link::Technology& tech, const std::vector<CellDemand>& cells,
                      const econ::KindRequirements& q, const traffic::Profile& prof, KindCapacity& k,
                      double& carried_mbps) {
    double cap_dl = INFINITY, cap_ul = INFINITY, latency = 0.0, delivery = 1.0, headroom = INFINITY;
    for (const CellDemand& c : cells) {
        std::vector<double> sinr;
        for (const ServedPoint& p : c.points)
            if (p.kind == k.kind) sinr.push_back(p.capacity_sinr_db);
        if (sinr.empty()) continue;
        const double active = static_cast<double>(sinr.size()) * q.busy_hour_activity;
        const traffic::CellJudgement cj = judge_one(tech, prof, sinr, active);
        const double users = std::max(1.0, active);
        cap_dl = std::min(cap_dl, or_zero(q.dl_mbps) * cj.max_terminals / users);
        cap_ul = std::min(cap_ul, or_zero(q.ul_mbps) * cj.max_terminals / users);
        latency = std::max(latency, cj.delay_p99_ms);
        delivery = std::min(delivery, cj.delivery_ratio);
        headroom = std::min(headroom, cj.headroom_terminals);
        carried_mbps += cj.carried_mbps;
    }
    if (!std::isnan(q.dl_mbps)) k.capacity_mbps_per_user = cap_dl;
    if (!std::isnan(q.ul_mbps)) k.ul_capacity_mbps_per_user = cap_ul;
    k.latency_ms = latency;
    k.delivery_ratio = delivery;
    k.headroom_terminals = headroom;
}

// Single-user rate figures of the kind's served points; false when the technology serves none of the kind.
bool kind_rates(DemandKind kind, const std::vector<CellDemand>& cells, KindCapacity& k) {
    k.kind = kind;
    std::vector<double> dl, ul;
    for (const CellDemand& c : cells)
        for (const ServedPoint& p : c.points)
            if (p.kind == kind) dl.push_back(p.rate_mbps), ul.push_back(p.ul_rate_mbps);
    if (dl.empty()) return false;
    k.throughput_median_mbps = percentile(dl, 0.5);
    k.throughput_p5_mbps = percentile(dl, 0.05);
    k.ul_median_mbps = percentile(ul, 0.5);
    return true;
}

// Before the traffic layer (technologies without a load model): cells x median / active users, family latency.
void previous_estimate(const link::Technology& tech, std::size_t users, std::size_t n_cells,
                       const econ::KindRequirements& q, KindCapacity& k) {
    const double active = std::max(1.0, static_cast<double>(users) * q.busy_hour_activity);
    k.capacity_mbps_per_user = static_cast<double>(n_cells) * k.throughput_median_mbps / active;
    const double toa_ms = tech.uplink.modes.empty() ? 0.0 : tech.uplink.modes.front().time_on_air_ms;
    k.latency_ms = econ::family_defaults(link::to_string(tech.family), toa_ms).latency_ms;
}

std::size_t count_kind(const std::vector<CellDemand>& cells, DemandKind kind) {
    std::size_t n = 0;
    for (const CellDemand& c : cells)
        for (const ServedPoint& p : c.points) n += p.kind == kind ? 1 : 0;
    return n;
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
    j.latency_ms = econ::family_defaults(link::to_string(tech.family), toa_ms).latency_ms;
    const bool has_model = tech.family != link::Family::sigfox;
    for (DemandKind kind : kDemandKinds) {
        KindCapacity k;
        if (!kind_rates(kind, cells, k)) continue;
        const econ::KindRequirements& q = req.of(kind);
        const std::optional<traffic::Profile> prof = has_model ? kind_profile(kind, q) : std::nullopt;
        if (prof) judge_kind_cells(tech, cells, q, *prof, k, j.carried_busy_hour_mbps);
        else previous_estimate(tech, count_kind(cells, kind), cells.size(), q, k);
        j.kinds.push_back(k);
    }
    return j;
}

}  // namespace dxplan::comparison
