#include "libsim/economics/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>
#include <tuple>

#include "libsim/core/error.hpp"

namespace dxplan::econ {

namespace {

std::string fmt(double v, int digits) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << v;
    return os.str();
}

void check_fraction(const char* field, double v, bool allow_zero) {
    if (std::isnan(v)) return;  // kNoRequirement
    if (v < 0.0 || v > 1.0 || (!allow_zero && v == 0.0))
        throw InputError(std::string("requirements.") + field + " = " + fmt(v, 3) + ": must be in " +
                         (allow_zero ? "[0, 1]" : "(0, 1]"));
}

void add_failure(TechnologyEvaluation& e, Requirement r, std::optional<DemandKind> kind, std::string why, double value,
                 double limit, double shortfall, std::string rule = {}) {
    const std::string prefix = kind ? std::string(to_string(*kind)) + ": " : std::string();
    e.fails.push_back({r, kind, {}, std::clamp(shortfall, 0.0, 1.0), prefix + why, value, limit, std::move(rule)});
}

// Shortfall of a figure that must reach at least `limit` (1 - value / limit), or stay at most `limit`
// (1 - limit / value).
double short_of_min(double value, double limit) { return limit > 0.0 ? 1.0 - std::max(0.0, value) / limit : 1.0; }
double short_of_max(double value, double limit) { return value > 0.0 ? 1.0 - limit / value : 0.0; }

bool misses_min(double value, double limit) { return !std::isnan(limit) && !(value >= limit); }
bool misses_max(double value, double limit) { return !std::isnan(limit) && value > limit; }

// Every requirement on the technology as a whole (no kinds given): each failure once, none hiding another.
void check_aggregate(const TechnologyInput& in, const Requirements& req, TechnologyEvaluation& e) {
    const std::nullopt_t all = std::nullopt;
    if (misses_min(e.demand_fraction, req.coverage_target_fraction))
        add_failure(e, Requirement::coverage, all, fmt(100.0 * e.demand_fraction, 1) + " % of demand covered < target " +
                    fmt(100.0 * req.coverage_target_fraction, 1) + " %", e.demand_fraction, req.coverage_target_fraction,
                    short_of_min(e.demand_fraction, req.coverage_target_fraction));
    if (misses_min(e.capacity_mbps_per_household, req.min_mbps_per_household))
        add_failure(e, Requirement::capacity, all, fmt(e.capacity_mbps_per_household, 2) + " Mbit/s per active household < " +
                    fmt(req.min_mbps_per_household, 2) + " Mbit/s required", e.capacity_mbps_per_household,
                    req.min_mbps_per_household, short_of_min(e.capacity_mbps_per_household, req.min_mbps_per_household));
    if (misses_min(e.throughput_p5_mbps, req.min_edge_mbps))
        add_failure(e, Requirement::capacity, all, "5th-percentile throughput " + fmt(e.throughput_p5_mbps, 2) +
                    " Mbit/s < " + fmt(req.min_edge_mbps, 2) + " Mbit/s required", e.throughput_p5_mbps,
                    req.min_edge_mbps, short_of_min(e.throughput_p5_mbps, req.min_edge_mbps));
    if (misses_max(e.latency_ms, req.max_latency_ms))
        add_failure(e, Requirement::latency, all, "round trip " + fmt(e.latency_ms, 0) + " ms > " +
                    fmt(req.max_latency_ms, 0) + " ms allowed", e.latency_ms, req.max_latency_ms,
                    short_of_max(e.latency_ms, req.max_latency_ms));
    if (misses_min(e.battery_years, req.min_battery_years))
        add_failure(e, Requirement::battery, all, "device battery " + fmt(e.battery_years, 1) + " years < " +
                    fmt(req.min_battery_years, 1) + " years required", e.battery_years, req.min_battery_years,
                    short_of_min(e.battery_years, req.min_battery_years));
    (void)in;
}

// One demand kind's requirements: coverage (served at the requirement / points of the kind), downlink capacity
// per active user, edge throughput, uplink, latency, battery: each failure once, naming the kind.
void check_kind(const KindService& k, const KindRequirements& q, double target, TechnologyEvaluation& e) {
    const double share = k.total > 0 ? static_cast<double>(k.served) / static_cast<double>(k.total) : 1.0;
    if (misses_min(share, target)) {
        std::string why = fmt(100.0 * share, 1) + " % served at the requirement (" + std::to_string(k.served) + " of " +
                          std::to_string(k.total) + ") < target " + fmt(100.0 * target, 1) + " %";
        if (!k.device) why += "; no device for this kind in the cost kit";
        else if (!k.carries) why += "; the technology cannot carry the kind's rate";
        add_failure(e, Requirement::coverage, k.kind, why, share, target, short_of_min(share, target));
    }
    if (misses_max(q.payload_bytes, k.max_payload_bytes))  // a frame limit: the kind's messages do not fit at all
        add_failure(e, Requirement::payload, k.kind, "payload " + fmt(q.payload_bytes, 0) + " bytes > " +
                    fmt(k.max_payload_bytes, 0) + " bytes the technology carries in one message",
                    q.payload_bytes, k.max_payload_bytes, 1.0);
    if (k.served == 0) return;  // nothing served: the rate, latency and battery figures do not exist
    if (misses_min(k.capacity_mbps_per_user, q.dl_mbps))
        add_failure(e, Requirement::capacity, k.kind, fmt(k.capacity_mbps_per_user, 2) + " Mbit/s per active user < " +
                    fmt(q.dl_mbps, 2) + " Mbit/s required", k.capacity_mbps_per_user, q.dl_mbps,
                    short_of_min(k.capacity_mbps_per_user, q.dl_mbps));
    if (!std::isnan(k.ul_capacity_mbps_per_user) && misses_min(k.ul_capacity_mbps_per_user, q.ul_mbps))
        add_failure(e, Requirement::capacity, k.kind, fmt(k.ul_capacity_mbps_per_user, 2) +
                    " Mbit/s uplink per active user < " + fmt(q.ul_mbps, 2) + " Mbit/s required",
                    k.ul_capacity_mbps_per_user, q.ul_mbps, short_of_min(k.ul_capacity_mbps_per_user, q.ul_mbps));
    if (misses_min(k.throughput_p5_mbps, q.edge_mbps))
        add_failure(e, Requirement::capacity, k.kind, "5th-percentile throughput " + fmt(k.throughput_p5_mbps, 2) +
                    " Mbit/s < " + fmt(q.edge_mbps, 2) + " Mbit/s required", k.throughput_p5_mbps, q.edge_mbps,
                    short_of_min(k.throughput_p5_mbps, q.edge_mbps));
    if (misses_max(k.latency_ms, q.max_latency_ms))
        add_failure(e, Requirement::latency, k.kind, "round trip " + fmt(k.latency_ms, 0) + " ms > " +
                    fmt(q.max_latency_ms, 0) + " ms allowed", k.latency_ms, q.max_latency_ms,
                    short_of_max(k.latency_ms, q.max_latency_ms));
    if (misses_min(k.battery_years, q.battery_years))
        add_failure(e, Requirement::battery, k.kind, "device battery " + fmt(k.battery_years, 1) + " years < " +
                    fmt(q.battery_years, 1) + " years required", k.battery_years, q.battery_years,
                    short_of_min(k.battery_years, q.battery_years));
}

void check_by_kind(const TechnologyInput& in, const Requirements& req, TechnologyEvaluation& e) {
    for (const KindService& k : in.kinds) {
        check_kind(k, req.of(k.kind), req.coverage_target_fraction, e);
        // A payload above the technology's frame limit: it cannot carry the kind (never recommended for it).
        const bool payload_fits = !misses_max(req.of(k.kind).payload_bytes, k.max_payload_bytes);
        e.carries = e.carries && k.carries && k.device && payload_fits;
    }
}

}  // namespace

double battery_life_years(const DeviceEnergy& e) {
    if (!e.battery_powered) return INFINITY;
    if (!(e.battery_mah > 0) || !(e.sleep_ma >= 0) || !(e.active_ma >= 0) || !(e.active_ms_per_message >= 0) ||
        !(e.messages_per_day >= 0))
        throw InputError("device energy: battery_mah must be > 0 and currents, times and rates >= 0");
    const double duty = std::min(1.0, e.messages_per_day * e.active_ms_per_message / 86'400'000.0);
    const double avg_ma = e.sleep_ma + (e.active_ma - e.sleep_ma) * duty;  // time-weighted mean current
    if (avg_ma <= 0.0) return INFINITY;
    return e.battery_mah / avg_ma / (24.0 * 365.25);  // mAh / mA = h
}

FamilyDefaults family_defaults(std::string_view family, double lora_time_on_air_ms) {
    FamilyDefaults d;
    d.device.battery_powered = true;
    if (family == "lora") {
        // LoRaWAN class A: an uplink, then RX1 after 1 s and RX2 after 2 s (LoRaWAN 1.0.3 §3.3.1, RECEIVE_DELAY1
        // = 1 s): the shortest request/response round trip is the time on air plus the 1 s RX1 delay.
        d.latency_ms = lora_time_on_air_ms + 1000.0;
        d.device.sleep_ma = 0.0015;   // SX1276 sleep ~0.2 uA + MCU: assumption
        d.device.active_ma = 40.0;    // SX1276 datasheet Table 6: ~28-120 mA TX, 14 dBm ~ 44 mA (PA_BOOST off)
        d.device.active_ms_per_message = lora_time_on_air_ms + 2.0 * 30.0;  // + two receive-window preambles
        d.source = "LoRaWAN 1.0.3 §3.3.1 (RX1 delay 1 s); SX1276 datasheet currents; sleep current assumption";
    } else if (family == "halow") {
        d.latency_ms = 20.0;
        d.device.sleep_ma = 0.05;     // 802.11ah TWT sleep, module + MCU: assumption
        d.device.active_ma = 60.0;
        d.device.active_ms_per_message = 100.0;
        d.source = "assumption: IEEE 802.11ah TWT wake per message, vendor module figures not retrieved";
    } else if (family == "wifi") {
        d.latency_ms = 5.0;
        d.device.sleep_ma = 0.5;      // power-save with DTIM, association kept: assumption
        d.device.active_ma = 200.0;
        d.device.active_ms_per_message = 300.0;
        d.source = "assumption: Wi-Fi power-save station, association kept";
    } else if (family == "nr") {
        d.latency_ms = 10.0;          // TR 38.913 §7.5 targets 4 ms one way (eMBB); local 5G sites report 10-20 ms RTT
        d.device.sleep_ma = 3.0;      // NR module in RRC idle with paging: assumption
        d.device.active_ma = 300.0;
        d.device.active_ms_per_message = 2000.0;  // RRC connection setup, transfer and inactivity timer
        d.source = "3GPP TR 38.913 §7.5 (latency target); device currents assumption";
    } else {  // cellular IoT, sigfox, others: conservative LPWA-like defaults
        d.latency_ms = 1000.0;
        d.device.sleep_ma = 0.01;
        d.device.active_ma = 100.0;
        d.device.active_ms_per_message = 2000.0;
        d.source = "assumption: generic LPWA device";
    }
    return d;
}

std::string_view to_string(Requirement r) {
    switch (r) {
        case Requirement::coverage: return "coverage";
        case Requirement::capacity: return "capacity";
        case Requirement::latency: return "latency";
        case Requirement::battery: return "battery";
        case Requirement::regulatory: return "regulatory";
        case Requirement::payload: return "payload";
    }
    return "?";
}

TechnologyEvaluation evaluate_technology(const TechnologyInput& in, const Requirements& req,
                                         const EconomicParams& params) {
    if (in.demand_covered > in.demand_total)
        throw InputError("technology '" + in.name + "': demand_covered " + std::to_string(in.demand_covered) +
                         " > demand_total " + std::to_string(in.demand_total));
    check_fraction("coverage_target_fraction", req.coverage_target_fraction, true);
    check_fraction("busy_hour_activity", req.busy_hour_activity, false);

    TechnologyEvaluation e;
    e.name = in.name;
    e.sites = in.sites;
    e.coverage_area_km2 = in.coverage_area_km2;
    e.demand_total = in.demand_total;
    e.demand_covered = in.demand_covered;
    e.demand_fraction = in.demand_total > 0 ? static_cast<double>(in.demand_covered) / in.demand_total : 0.0;
    e.households_covered = in.households_covered;
    e.throughput_median_mbps = in.throughput_median_mbps;
    e.throughput_p5_mbps = in.throughput_p5_mbps;
    e.latency_ms = in.latency_ms;
    e.battery_years = battery_life_years(in.device);
    e.bill = in.bill;
    e.complete = in.complete;
    e.kinds = in.kinds;
    for (const auto& it : in.bill) {
        if (it.category != "backhaul") continue;
        e.backhaul_capex_jpy += it.quantity * it.unit_capex_jpy;
        e.backhaul_opex_jpy_per_year += it.quantity * it.unit_opex_jpy_per_year;
    }
    e.costs = evaluate_costs(in.bill, params);
    if (!in.purchase_bill.empty()) e.lease_vs_buy = lease_vs_buy(in.purchase_bill, in.bill, params);
    // NPV per busy-hour Mbit/s the cells carry (issue 12 item 4), when the caller's load model gives it
    const double mbps_delivered = in.busy_hour_carried_mbps.value_or(static_cast<double>(in.demand_covered) *
                                                                     in.throughput_median_mbps);
    e.effectiveness = cost_effectiveness(e.costs, in.households_covered, in.coverage_area_km2, in.devices_connected,
                                         mbps_delivered);

    // Busy-hour share of the cells' capacity per covered household: each site delivers about the median
    // throughput of its covered points, shared by the households active at once.
    const double active = std::max(1.0, in.households_covered * req.busy_hour_activity);
    e.capacity_mbps_per_household = in.capacity_mbps_per_household.value_or(
        in.households_covered > 0 ? static_cast<double>(in.sites) * in.throughput_median_mbps / active : 0.0);

    if (in.kinds.empty()) check_aggregate(in, req, e);
    else check_by_kind(in, req, e);
    if (req.outdoor && !in.outdoor_allowed)
        add_failure(e, Requirement::regulatory, std::nullopt,
                    "band not allowed outdoors" + (in.outdoor_rule.empty() ? std::string() : " (" + in.outdoor_rule + ")"),
                    kNoRequirement, kNoRequirement, 1.0, in.outdoor_rule);
    for (const Failure& f : e.fails) e.shortfall += f.shortfall;
    return e;
}

std::vector<std::size_t> rank_by_cost_per_household(std::span<const TechnologyEvaluation> evals) {
    std::vector<std::size_t> idx(evals.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    auto key = [&](std::size_t i) {
        return std::tuple(!evals[i].complete, !evals[i].carries, !evals[i].fails.empty(), evals[i].shortfall,
                         evals[i].households_covered > 0 ? evals[i].effectiveness.per_household_jpy : INFINITY);
    };
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    return idx;
}

std::string_view to_string(RecommendationReason r) {
    switch (r) {
        case RecommendationReason::meets_all: return "meets_all";
        case RecommendationReason::fewest_failures: return "fewest_failures";
        case RecommendationReason::no_options: return "no_options";
    }
    return "?";
}

Recommendation recommend(std::span<const TechnologyEvaluation> evals) {
    if (evals.empty()) return {};
    const std::size_t best = rank_by_cost_per_household(evals).front();
    if (!evals[best].complete || !evals[best].carries) return {};
    return {best, evals[best].fails.empty() ? RecommendationReason::meets_all : RecommendationReason::fewest_failures};
}

}  // namespace dxplan::econ
