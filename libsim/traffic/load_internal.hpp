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

// Everything about one (technology, traffic, cell, options) that does not depend on the number of terminals,
// computed once by LoadModel so that a sweep over N is cheap.
struct Prepared {
    link::Technology tech;
    Profile traffic;
    CellRadio cell;
    LoadOptions o;
    std::vector<Group> gs;
    link::Budget ul, dl;
    std::vector<int> ul_mode, dl_mode;          // per group: index into ul/dl.modes, -1 when out of coverage
    // LoRa: per group the SF (0: none) and per group x flow the time on air of the flow's frame and of its
    // downlink (the ACK of a confirmed uplink, or the command itself), s.
    std::vector<int> sf;
    std::vector<std::vector<double>> toa_s, dl_toa_s;
    // NR: the TDD pattern and the frame delays per direction (mean, p99), ms.
    std::string tdd;
    std::pair<double, double> frame_ul_ms{0.0, 0.0}, frame_dl_ms{0.0, 0.0};

    [[nodiscard]] const link::Mode* mode(link::Direction d, std::size_t group) const {
        const int i = d == link::Direction::uplink ? ul_mode[group] : dl_mode[group];
        return i < 0 ? nullptr : &(d == link::Direction::uplink ? ul : dl).modes[static_cast<std::size_t>(i)];
    }
};

void lora_prepare(Prepared& p);
void nr_prepare(Prepared& p);

LoadResult lora_load(const Prepared& p, double n);
LoadResult dcf_load(const Prepared& p, double n);
LoadResult nr_load(const Prepared& p, double n);
LoadResult ciot_load(const Prepared& p, double n);

void lora_check_payloads(const link::Technology& tech, const Profile& traffic, const CellRadio& cell);
void dcf_check_payloads(const link::Technology& tech, const Profile& traffic);

std::string num(double v);

// Quantile q of a discrete distribution (values with non-negative weights): the smallest value whose
// cumulative weight reaches q of the total. 0 when the weights sum to 0.
double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q);

}  // namespace dxplan::traffic::detail
