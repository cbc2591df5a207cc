// Traffic profiles: YAML loading and normalisation of flows (see traffic.hpp; schema in models/traffic/README.md).
#include "libsim/traffic/traffic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <yaml-cpp/yaml.h>

#include "libsim/core/data_dir.hpp"
#include "libsim/core/error.hpp"

namespace fs = std::filesystem;

namespace dxplan::traffic {

std::string_view to_string(FlowKind k) {
    switch (k) {
        case FlowKind::periodic: return "periodic";
        case FlowKind::event: return "event";
        case FlowKind::stream: return "stream";
    }
    return "?";
}

std::string_view to_string(FlowDirection d) { return d == FlowDirection::uplink ? "uplink" : "downlink"; }
std::string_view to_string(Processing p) { return p == Processing::raw ? "raw" : "edge"; }

namespace {

std::string num(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// One context for error messages: "FILE:LINE: FIELD".
struct Where {
    std::string file;
    [[nodiscard]] std::string at(const YAML::Node& n, const std::string& field) const {
        return file + ":" + std::to_string(n.Mark().line + 1) + ": " + field;
    }
};

double number(const YAML::Node& node, const char* key, const Where& w, const std::string& path, double lo, double hi,
              const char* unit) {
    const YAML::Node v = node[key];
    const std::string field = path + "." + key;
    double x = NAN;
    try {
        x = v.as<double>();
    } catch (const YAML::Exception&) {
        throw InputError(w.at(v ? v : node, field) + ": must be a number in [" + num(lo) + ", " + num(hi) + "] " + unit);
    }
    if (!(x >= lo && x <= hi) || !std::isfinite(x))
        throw InputError(w.at(v, field) + " = " + num(x) + ": must be in [" + num(lo) + ", " + num(hi) + "] " + unit);
    return x;
}

double positive(const YAML::Node& node, const char* key, const Where& w, const std::string& path, double hi, const char* unit) {
    const double x = number(node, key, w, path, 0.0, hi, unit);
    if (x <= 0.0) throw InputError(w.at(node[key], path + "." + key) + " = " + num(x) + ": must be in (0, " + num(hi) + "] " + unit);
    return x;
}

Flow parse_flow(const YAML::Node& n, const Where& w, const std::string& path) {
    if (!n.IsMap()) throw InputError(w.at(n, path) + ": must be a mapping {name, kind, direction, payload_bytes, ...}");
    Flow f;
    f.name = n["name"] ? n["name"].as<std::string>() : path;
    const std::string kind = n["kind"] ? n["kind"].as<std::string>() : "periodic";
    const std::string dir = n["direction"] ? n["direction"].as<std::string>() : "uplink";
    if (dir == "uplink") f.direction = FlowDirection::uplink;
    else if (dir == "downlink") f.direction = FlowDirection::downlink;
    else throw InputError(w.at(n["direction"], path + ".direction") + " = '" + dir + "': must be uplink or downlink");
    f.confirmed = n["confirmed"] && n["confirmed"].as<bool>();
    f.payload_bytes = positive(n, "payload_bytes", w, path, 1e7, "bytes");
    if (kind == "periodic") {
        f.kind = FlowKind::periodic;
        f.interval_s = positive(n, "interval_s", w, path, 1e8, "s");
        if (n["jitter_s"]) f.jitter_s = number(n, "jitter_s", w, path, 0.0, f.interval_s, "s (at most interval_s)");
    } else if (kind == "event") {
        f.kind = FlowKind::event;
        const double rate_per_h = positive(n, "rate_per_h", w, path, 1e7, "events/h");
        const double burst = n["burst_packets"] ? positive(n, "burst_packets", w, path, 1e6, "packets") : 1.0;
        f.interval_s = 3600.0 / (rate_per_h * burst);
    } else if (kind == "stream") {
        f.kind = FlowKind::stream;
        double bit_rate_bps = 0.0;
        if (n["bit_rate_kbps"]) {
            bit_rate_bps = positive(n, "bit_rate_kbps", w, path, 1e7, "kbit/s") * 1e3;
        } else if (n["frame_bytes"] && n["frames_per_s"]) {
            bit_rate_bps = positive(n, "frame_bytes", w, path, 1e9, "bytes") * 8.0 *
                           positive(n, "frames_per_s", w, path, 1e4, "frames/s");
        } else {
            throw InputError(w.at(n, path) + ": a stream needs bit_rate_kbps, or frame_bytes and frames_per_s");
        }
        f.interval_s = f.payload_bytes * 8.0 / bit_rate_bps;
    } else {
        throw InputError(w.at(n["kind"], path + ".kind") + " = '" + kind + "': must be periodic, event or stream");
    }
    return f;
}

std::vector<Flow> parse_flows(const YAML::Node& list, const Where& w, const std::string& path) {
    if (!list || !list.IsSequence() || list.size() == 0)
        throw InputError(w.at(list ? list : YAML::Node(), path) + ": must be a non-empty list of flows");
    std::vector<Flow> flows;
    for (std::size_t i = 0; i < list.size(); ++i)
        flows.push_back(parse_flow(list[i], w, path + "[" + std::to_string(i) + "]"));
    return flows;
}

}  // namespace

void validate_flow(const Flow& f, const std::string& who) {
    if (!(f.payload_bytes > 0.0) || !std::isfinite(f.payload_bytes))
        throw InputError(who + ": payload_bytes = " + num(f.payload_bytes) + ": must be > 0 bytes");
    if (!(f.interval_s > 0.0) || !std::isfinite(f.interval_s))
        throw InputError(who + ": interval_s = " + num(f.interval_s) + ": must be > 0 s");
    if (!(f.jitter_s >= 0.0 && f.jitter_s <= f.interval_s))
        throw InputError(who + ": jitter_s = " + num(f.jitter_s) + ": must be in [0, interval_s] s");
}

double terminal_bit_rate_bps(const Profile& p, FlowDirection d) {
    double r = 0.0;
    for (const Flow& f : p.flows)
        if (f.direction == d) r += f.bit_rate_bps();
    return r;
}

double terminal_packet_rate_per_s(const Profile& p, FlowDirection d) {
    double r = 0.0;
    for (const Flow& f : p.flows)
        if (f.direction == d) r += f.packets_per_s();
    return r;
}

Profile with_processing(const Profile& p, Processing processing) {
    if (processing == Processing::raw) return p;
    if (p.edge_flows.empty())
        throw InputError("traffic profile '" + p.name + "': processing: edge needs an edge: {flows: [...]} block in the profile");
    Profile q = p;
    q.flows = p.edge_flows;
    q.edge_flows.clear();
    q.name = p.name + " (edge)";
    return q;
}

fs::path default_traffic_dir() { return data_dir() / "models" / "traffic"; }

std::vector<std::string> list_profiles(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

Profile load_profile_file(const fs::path& file) {
    const Where w{file.string()};
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        throw InputError(file.string() + ": cannot read the traffic profile");
    } catch (const YAML::Exception& e) {
        throw InputError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
    }
    if (!root.IsMap()) throw InputError(file.string() + ": a traffic profile must be a mapping (name, flows, ...)");
    Profile p;
    p.file = file;
    p.name = root["name"] ? root["name"].as<std::string>() : file.stem().string();
    if (root["description"]) p.description = root["description"].as<std::string>();
    if (root["sources"] && root["sources"].IsMap())
        for (const auto& kv : root["sources"]) p.sources.push_back(kv.first.as<std::string>() + ": " + kv.second.as<std::string>());
    p.flows = parse_flows(root["flows"], w, "flows");
    if (const YAML::Node t = root["target"]) {
        if (t["delivery_ratio"]) p.target.delivery_ratio = number(t, "delivery_ratio", w, "target", 0.0, 1.0, "");
        if (t["delay_p99_ms"]) p.target.delay_p99_ms = positive(t, "delay_p99_ms", w, "target", 1e9, "ms");
    }
    if (const YAML::Node e = root["edge"]) p.edge_flows = parse_flows(e["flows"], w, "edge.flows");
    return p;
}

Profile load_profile(std::string_view name_or_file, const fs::path& dir) {
    const std::string s(name_or_file);
    const bool is_file = s.ends_with(".yaml") || s.ends_with(".yml");
    if (is_file) {
        if (!fs::exists(s)) throw InputError("traffic profile file '" + s + "': not found");
        return load_profile_file(s);
    }
    const fs::path file = dir / (s + ".yaml");
    if (!fs::exists(file)) {
        std::string names;
        for (const auto& n : list_profiles(dir)) names += (names.empty() ? "" : ", ") + n;
        throw InputError("traffic profile '" + s + "': unknown; valid names: " + names + " (or a .yaml file)");
    }
    return load_profile_file(file);
}

}  // namespace dxplan::traffic
