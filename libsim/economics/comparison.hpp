// dxplan technology comparison: one technology's deployment (chosen sites, covered demand, throughput,
// bill of materials including backhaul) evaluated into costs and cost-effectiveness, and checked against
// the scenario's requirements: which requirement each technology fails, and why (MIC 地域社会DX推進パッケージ
// ②-1 asks for 他の通信技術との比較分析; ③ for 費用対効果).
//
// Everything here is plain data computed by other layers (coverage, network, link): no rasters, no files.
// Requirement checks (each a failure with a one-line reason when unmet):
//  - coverage:   covered share of the demand < coverage_target_fraction;
//  - capacity:   busy-hour capacity per covered household (sites x median cell throughput x
//                activity share^-1 / covered households) < min_mbps_per_household, or the 5th-percentile
//                throughput (cell edge) < min_edge_mbps;
//  - latency:    the technology's typical user-plane round trip > max_latency_ms;
//  - battery:    battery-powered device life < min_battery_years (average current from the duty cycle);
//  - regulatory: the band does not allow outdoor use while the deployment is outdoor.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libsim/core/demand_kind.hpp"
#include "libsim/economics/economics.hpp"

namespace dxplan::econ {

inline constexpr double kNoRequirement = std::numeric_limits<double>::quiet_NaN();

// What one demand kind needs (scenario requirements.by_kind; NaN: not required).
struct KindRequirements {
    double dl_mbps = kNoRequirement;         // busy-hour downlink per active user, Mbit/s (households, facilities)
    double ul_mbps = kNoRequirement;         // busy-hour uplink per active user (cameras: their stream), Mbit/s
    double busy_hour_activity = 1.0;         // share of the kind's users active at once, in (0, 1]
    double edge_mbps = kNoRequirement;       // 5th-percentile downlink throughput of the kind's points, Mbit/s
    double max_latency_ms = kNoRequirement;  // user-plane round trip
    double reports_per_day = kNoRequirement; // sensors: messages per day (sets the battery's duty cycle)
    double payload_bytes = kNoRequirement;   // sensors: bytes per message
    double battery_years = kNoRequirement;   // battery-powered devices of the kind must last this long
    bool edge_processing = false;            // inference next to the device: an edge computer per served device
};

// What the scenario asks of every technology. NaN (kNoRequirement) disables a check. The flat household fields
// are the scenario-wide values; `kinds` holds what each demand kind needs (used when TechnologyInput::kinds is
// filled: each kind judged on its own).
struct Requirements {
    double coverage_target_fraction = 0.95;         // share of demand points covered, in [0, 1]
    double location_reliability = 0.9;              // at which "covered" was computed (informational)
    double min_mbps_per_household = 2.0;            // busy-hour average demand per household, Mbit/s
    double busy_hour_activity = 0.2;                // share of households active at once, in (0, 1]
    double min_edge_mbps = kNoRequirement;          // 5th-percentile throughput at least this, Mbit/s
    double max_latency_ms = kNoRequirement;         // user-plane round trip at most this, ms
    double min_battery_years = kNoRequirement;      // battery-powered devices must last this long, years
    bool outdoor = true;                            // the access network is deployed outdoors
    std::array<KindRequirements, kDemandKinds.size()> kinds{};  // by index_of(DemandKind)

    [[nodiscard]] const KindRequirements& of(DemandKind k) const { return kinds[index_of(k)]; }
};

// Energy use of a battery-powered end device: the average current of a duty-cycled radio.
struct DeviceEnergy {
    bool battery_powered = false;       // false: mains-powered terminal (CPE); no battery check
    double battery_mah = 2400.0;        // usable capacity (e.g. 2 x AA lithium)
    double sleep_ma = 0.005;            // between messages
    double active_ma = 40.0;            // while transmitting / connected
    double active_ms_per_message = 0.0; // time on air plus receive windows / connection setup per message
    double messages_per_day = 24.0;
};

// Battery life in years: capacity / average current, average = sleep + (active - sleep) x duty cycle,
// duty cycle = messages_per_day x active_ms / 86 400 000 ms. Returns +inf when not battery powered.
double battery_life_years(const DeviceEnergy& e);

// Typical latency and device energy per technology family ("nr", "wifi", "halow", "lora", ...), as planning
// assumptions; for LoRa the time on air of one frame (ms, from the link layer) sets both.
struct FamilyDefaults {
    double latency_ms = 0.0;   // user-plane round trip, typical
    DeviceEnergy device;
    std::string source;        // where the figures come from (all "assumption" unless stated)
};
FamilyDefaults family_defaults(std::string_view family, double lora_time_on_air_ms = 0.0);

enum class Requirement { coverage, capacity, latency, battery, regulatory, payload };
std::string_view to_string(Requirement r);  // "coverage", ..., "regulatory", "payload"

struct Failure {
    Requirement requirement = Requirement::coverage;
    std::optional<DemandKind> kind;  // the demand kind that misses it (none: regulatory, or no kinds given)
    std::string member;          // a mix: the member that fails it; else empty
    double shortfall = 0.0;      // how far from the requirement, in [0, 1] (0: met; 1: nothing of it)
    std::string reason;          // one line in English: the figure, the requirement and its value
    double value = kNoRequirement;  // the technology's figure (share, Mbit/s, ms, years); NaN for regulatory
    double limit = kNoRequirement;  // the requirement it misses
    std::string rule;               // regulatory: the rule that forbids outdoor use
};

// What a technology does for one demand kind it serves (from the other layers).
struct KindService {
    DemandKind kind = DemandKind::household;
    std::size_t total = 0;        // demand points of the kind in scope
    std::size_t in_reach = 0;     // ... within some candidate site's computation radius
    std::size_t reachable = 0;    // ... that some candidate site could serve at the requirement (any placement)
    std::size_t in_signal = 0;    // ... in signal of the chosen sites (downlink and uplink close)
    std::size_t served = 0;       // ... served at the kind's requirement (counted as covered)
    bool device = true;           // the technology's cost kit has a device for the kind
    bool carries = true;          // its best mode reaches the kind's per-user rates (else never recommended)
    double capacity_mbps_per_user = kNoRequirement;  // busy-hour downlink share per active user
    double ul_capacity_mbps_per_user = kNoRequirement;  // busy-hour uplink share per active user
    double delivery_ratio = kNoRequirement;          // worst cell's, at its busy-hour load (traffic models)
    double delay_p99_ms = kNoRequirement;            // worst cell's 99th-percentile access delay at its load
    double headroom_terminals = kNoRequirement;      // smallest over cells: users it could carry - active users
    double throughput_median_mbps = kNoRequirement;  // single-user downlink, served points
    double throughput_p5_mbps = kNoRequirement;
    double ul_median_mbps = kNoRequirement;          // single-user uplink, served points
    double latency_ms = kNoRequirement;
    double battery_years = kNoRequirement;           // battery-powered devices (+inf: mains)
    double max_payload_bytes = kNoRequirement;       // largest application payload of one message the technology
                                                     // carries everywhere it serves (NaN: no limit that matters)
    std::size_t gained_at_plus_3db = 0;  // points not served whose requirement margin is in [-3, 0) dB: served
                                         // when propagation is 3 dB better (the tornado's margin case)
    std::size_t lost_at_minus_3db = 0;   // served points with a margin in [0, 3) dB: lost when 3 dB worse
};

// One technology's deployment, from the other layers.
struct TechnologyInput {
    std::string name;                    // profile name, e.g. "local5g-n79-100mhz"
    std::string family;                  // "nr", "wifi", "halow", "lora", ...
    std::size_t sites = 0;               // chosen access sites
    double coverage_area_km2 = 0.0;
    std::size_t demand_total = 0;        // demand points (households and facilities, or devices)
    std::size_t demand_covered = 0;
    double households_covered = 0.0;     // weight used for cost per household
    double devices_connected = 0.0;
    double throughput_median_mbps = 0.0; // downlink application throughput at the covered demand points
    double throughput_p5_mbps = 0.0;
    std::optional<double> busy_hour_carried_mbps;  // what the cells carry at the busy hour (traffic models);
                                         // unset: covered points x median throughput (cost per Mbit/s)
    std::optional<double> capacity_mbps_per_household;  // busy-hour capacity per active household from the
                                         // caller's load model; unset: the estimate in the header comment
    std::vector<CostItem> bill;          // bill of materials, backhaul included (category "backhaul")
    std::vector<CostItem> purchase_bill; // a demonstration: the bill bought instead of leased (lease_vs_buy);
                                         // empty otherwise
    double latency_ms = 0.0;             // typical user-plane round trip
    DeviceEnergy device;
    bool outdoor_allowed = true;
    std::string outdoor_rule;            // the rule that forbids outdoor use, when it does
    bool complete = true;                // serves every demand kind of the scenario (false: a partial
                                         // technology, e.g. limited to the sensors by the scenario's `serves`)
    std::vector<KindService> kinds;      // per demand kind served; non-empty: requirements judged per kind
};

struct TechnologyEvaluation {
    std::string name;
    std::size_t sites = 0;
    double coverage_area_km2 = 0.0;
    std::size_t demand_total = 0;
    std::size_t demand_covered = 0;
    double demand_fraction = 0.0;        // covered / total (0 when total is 0)
    double households_covered = 0.0;
    double throughput_median_mbps = 0.0;
    double throughput_p5_mbps = 0.0;
    double capacity_mbps_per_household = 0.0;  // busy-hour capacity share, see header comment
    double battery_years = 0.0;                // +inf when mains powered
    double latency_ms = 0.0;
    double backhaul_capex_jpy = 0.0;     // the "backhaul" category of the bill
    double backhaul_opex_jpy_per_year = 0.0;
    std::vector<CostItem> bill;
    CostSummary costs;
    std::optional<LeaseVsBuy> lease_vs_buy;  // a demonstration: the roll-out after it, bought vs leased
    Effectiveness effectiveness;
    std::vector<Failure> fails;          // empty: meets every requirement
    bool complete = true;                // see TechnologyInput; a partial technology is never recommended alone
    std::vector<KindService> kinds;      // see TechnologyInput
    double shortfall = 0.0;              // sum of the failures' shortfalls (ranking)
    bool carries = true;                 // every kind served can be carried at its requirement
};

// Costs (evaluate_costs), effectiveness (cost_effectiveness, with Mbps delivered = covered demand x median
// throughput) and the requirement checks. Throws InputError for covered > total or a bad requirement.
TechnologyEvaluation evaluate_technology(const TechnologyInput& in, const Requirements& req,
                                         const EconomicParams& params);

// Indices of the evaluations in recommendation order (the ranking rule, README "Recommendation"): complete
// options (serving every demand kind) that can carry every kind they serve first; among them those meeting every
// requirement first, then by total shortfall (sum over failures of how far each falls short, in [0, 1] each),
// then by cost per served household, ascending (technologies serving no household last within their group); ties
// keep the input order.
std::vector<std::size_t> rank_by_cost_per_household(std::span<const TechnologyEvaluation> evals);

// The verdict of the comparison: the first of rank_by_cost_per_household, and why.
enum class RecommendationReason {
    meets_all,        // meets every requirement, lowest cost per covered household among those that do
    fewest_failures,  // nothing meets every requirement: smallest total shortfall, then lowest cost (name kept)
    no_options        // no complete option to choose from (index empty)
};
std::string_view to_string(RecommendationReason r);  // "meets_all", "fewest_failures", "no_options"

struct Recommendation {
    std::optional<std::size_t> index;  // into the evaluations
    RecommendationReason reason = RecommendationReason::no_options;
};
Recommendation recommend(std::span<const TechnologyEvaluation> evals);

}  // namespace dxplan::econ
