// Internal to the traffic layer: pieces shared by the load models (not a public interface).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "libsim/link/link.hpp"
#include "libsim/traffic/load.hpp"

namespace dxplan::traffic::detail {

// IPv4 + UDP headers carried by IP technologies (RFC 791 20 B + RFC 768 8 B).
inline constexpr double kIpUdpBytes = 28.0;

// Terminals that share one SINR sample: `share` of all N terminals.
struct Group {
    double sinr_db = 0.0;
    double share = 0.0;
};
std::vector<Group> groups(const CellRadio& cell);

// Packet-weighted mean and largest of the directions' delays, sums and ratio; meets_target.
void finish(LoadResult& r, const LoadOptions& o);

// One-line InputError for a bad count or cell.
void check_common(const Profile& traffic, const CellRadio& cell, double devices);

// The highest-rate usable mode of a direction at an SINR (nullptr: none), from the profile's table.
const link::Mode* mode_at(const link::Budget& b, double sinr_db);

// The direction's budget for mode look-ups. Regulatory placement (indoor-only bands) is not the load model's
// question, so the budget is built for indoor use, which every profile allows.
link::Budget budget(const link::Technology& tech, link::Direction d);

LoadResult lora_load(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double n,
                     const LoadOptions& o);
LoadResult dcf_load(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double n,
                    const LoadOptions& o);
LoadResult nr_load(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double n,
                   const LoadOptions& o);
LoadResult ciot_load(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double n,
                     const LoadOptions& o);

void lora_check_payloads(const link::Technology& tech, const Profile& traffic, const CellRadio& cell);
void dcf_check_payloads(const link::Technology& tech, const Profile& traffic);

std::string num(double v);

// Quantile q of a discrete distribution (values with non-negative weights): the smallest value whose
// cumulative weight reaches q of the total. 0 when the weights sum to 0.
double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q);

}  // namespace dxplan::traffic::detail
