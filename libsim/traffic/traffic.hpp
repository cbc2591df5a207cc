// dxplan traffic layer (1/2): what terminals send, as data.
//
// A terminal's traffic is a list of flows; every flow reduces to packets of `payload_bytes` every `interval_s`
// (mean) in one direction:
//   - periodic reports: payload, interval, jitter (uniform +- jitter_s around the interval);
//   - event bursts: `rate_per_h` events of `burst_packets` packets of `payload_bytes` (Poisson events);
//   - streams (video, image uplinks): `bit_rate_kbps` cut into packets of `payload_bytes` (or frames x size:
//     `frame_bytes` every 1/`frames_per_s`);
//   - downlink commands: a periodic or event flow with direction downlink.
// Named profiles live in models/traffic/NAME.yaml (schema in models/traffic/README.md), each with its sources.
// Loading is the only place that reads YAML (yaml-cpp stays in the .cpp). Bad input throws InputError naming
// the file, the field and the valid range.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dxplan::traffic {

enum class FlowKind { periodic, event, stream };
std::string_view to_string(FlowKind k);

enum class FlowDirection { uplink, downlink };  // uplink: terminal -> base
std::string_view to_string(FlowDirection d);

// One flow after normalisation: packets of payload_bytes at mean interval_s.
struct Flow {
    std::string name;                  // "report", "alarm", "video"
    FlowKind kind = FlowKind::periodic;
    FlowDirection direction = FlowDirection::uplink;
    double payload_bytes = 0.0;        // application payload of one packet
    double interval_s = 0.0;           // mean time between packets of one terminal
    double jitter_s = 0.0;             // periodic: uniform +- jitter around the interval
    bool confirmed = false;            // an acknowledgement is required (LoRaWAN confirmed uplink)

    [[nodiscard]] double packets_per_s() const { return 1.0 / interval_s; }
    [[nodiscard]] double bit_rate_bps() const { return payload_bytes * 8.0 / interval_s; }
};

// Where a demand kind's processing happens (issue 14 item 4): `raw` sends the sensor data over the air,
// `edge` runs inference next to the device and sends only its output.
enum class Processing { raw, edge };
std::string_view to_string(Processing p);

// What the traffic must achieve over the network (the profile's own requirement; a scenario may override).
struct Target {
    double delivery_ratio = 0.99;      // fraction of offered packets delivered
    double delay_p99_ms = 1e300;       // 99th percentile access delay, ms
};

struct Profile {
    std::string name;
    std::string description;
    std::filesystem::path file;        // empty for a profile built in code
    std::vector<Flow> flows;
    Target target;
    std::vector<std::string> sources;  // "KEY: citation"
    // Edge processing (optional): the flows that replace the raw flows when processing = edge.
    std::vector<Flow> edge_flows;
};

// Offered application load of one terminal in one direction, bit/s and packets/s.
double terminal_bit_rate_bps(const Profile& p, FlowDirection d);
double terminal_packet_rate_per_s(const Profile& p, FlowDirection d);

// The profile with its flows replaced by the edge flows (InputError when the profile has none).
Profile with_processing(const Profile& p, Processing processing);

std::filesystem::path default_traffic_dir();                  // models/traffic
std::vector<std::string> list_profiles(const std::filesystem::path& dir = default_traffic_dir());

// A profile file; InputError names the file, the field and the valid range.
Profile load_profile_file(const std::filesystem::path& file);
// A named profile from `dir`, or, when `name_or_file` ends in .yaml/.yml, that file. An unknown name lists
// the valid names.
Profile load_profile(std::string_view name_or_file, const std::filesystem::path& dir = default_traffic_dir());

// Checks a flow's numbers (payload > 0, interval > 0, jitter in [0, interval)); `who` prefixes the message.
void validate_flow(const Flow& f, const std::string& who);

}  // namespace dxplan::traffic
