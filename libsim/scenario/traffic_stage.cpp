// The "Many terminals" stage (see traffic_stage.hpp).
#include "libsim/scenario/traffic_stage.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/link/link.hpp"
#include "libsim/traffic/cell.hpp"
#include "libsim/traffic/load.hpp"
#include "libsim/traffic/traffic.hpp"

namespace dxplan {

namespace {

constexpr double kCamerasPerCell = 10.0;     // the edge-AI comparison's evaluation point
constexpr double kUplinkShare = 0.1;         // household uplink = a tenth of the downlink busy-hour demand
const char* const kSensorProfile = "water-level-sensor";
const char* const kCameraProfile = "camera-1080p-h265";

const TechnologySpec* spec_of(const Scenario& s, const std::string& label) {
    for (const auto& t : s.technologies)
        if (t.profile == label) return &t;
    for (const auto& m : s.mixes)
        for (const auto& t : m.members)
            if (m.name + "." + t.profile == label) return &t;
    return nullptr;
}

link::Technology technology_of(const TechnologySpec& t) {
    link::Overrides o;
    for (const auto& [k, v] : t.overrides) o.emplace_back(k, v.text);
    return link::load_technology(t.profile, o);
}

// Per cell (best server) and traffic class ("household" or "iot"): the uplink SINR of the served points.
using CellSamples = std::map<std::string, std::map<int, std::vector<double>>>;

CellSamples served_samples(const output::ServiceMaps& sm, const output::RunResults& res, const TechnologySpec& spec) {
    CellSamples out;
    const auto& m = sm.maps;
    const GeoGrid& g = m.ul_sinr_db;
    for (const auto& d : res.demand) {
        if (!spec.serves.empty() && std::find(spec.serves.begin(), spec.serves.end(), d.kind) == spec.serves.end()) continue;
        const int row = static_cast<int>(std::lround((g.north_deg - d.pos.lat_deg) / g.dlat_deg));
        const int col = static_cast<int>(std::lround((d.pos.lon_deg - g.west_deg) / g.dlon_deg));
        if (row < 0 || col < 0 || row >= g.rows || col >= g.cols) continue;
        const auto i = static_cast<std::size_t>(row) * static_cast<std::size_t>(g.cols) + static_cast<std::size_t>(col);
        if (!m.covered(i) || !std::isfinite(g.values[i])) continue;
        out[d.kind == DemandKind::iot ? "iot" : "household"][m.best_server[i]].push_back(static_cast<double>(g.values[i]));
    }
    return out;
}

// One row: every cell of one class judged at its busy-hour terminals, and the curve over the pooled SINR.
output::TechnologyLoad judge_class(const std::string& label, const link::Technology& tech, const traffic::Profile& p, const std::map<int, std::vector<double>>& cells,
                                   double activity, const traffic::LoadOptions& o) {
    output::TechnologyLoad row;
    row.technology = label;
    row.traffic = p.name;
    row.cells = cells.size();
    row.headroom_terminals = INFINITY;
    std::vector<double> pooled;
    for (const auto& [cell, sinr] : cells) {
        const double n = static_cast<double>(sinr.size()) * activity;
        const traffic::CellJudgement j = traffic::judge_cell(tech, p, sinr, n, o);
        row.busiest_cell_terminals = std::max(row.busiest_cell_terminals, n);
        row.delivery_ratio = std::min(row.delivery_ratio, j.delivery_ratio);
        row.delay_p99_ms = std::max(row.delay_p99_ms, j.delay_p99_ms);
        row.headroom_terminals = std::min(row.headroom_terminals, j.headroom_terminals);
        row.meets_target = row.meets_target && j.meets_target;
        pooled.insert(pooled.end(), sinr.begin(), sinr.end());
    }
    const traffic::LoadModel model(tech, p, traffic::CellRadio{pooled, 0.0}, o);
    const double top = std::max(1000.0, 10.0 * row.busiest_cell_terminals);
    for (double n : traffic::sweep_points({1.0, top, 40, true})) {
        const traffic::LoadResult r = model.at(n);
        row.curve.push_back({n, r.delivery_ratio, r.delay_p99_ms});
    }
    return row;
}

void edge_rows(output::ManyTerminalsSection& sec, const std::string& label, const link::Technology& tech, const std::vector<double>& pooled) {
    const traffic::Profile cam = traffic::load_profile(kCameraProfile);
    for (const traffic::Processing pr : {traffic::Processing::raw, traffic::Processing::edge}) {
        const traffic::Profile p = traffic::with_processing(cam, pr);
        traffic::LoadOptions o;
        o.target = p.target;
        const traffic::LoadModel model(tech, p, traffic::CellRadio{pooled, 0.0}, o);
        const traffic::LoadResult r = model.at(kCamerasPerCell);
        sec.edge.push_back({label, std::string(traffic::to_string(pr)),
                            traffic::terminal_bit_rate_bps(p, traffic::FlowDirection::uplink) / 1e3, kCamerasPerCell, r.meets_target,
                            r.delivery_ratio, r.delay_p99_ms, model.max_devices()});
    }
}

}  // namespace

output::ManyTerminalsSection many_terminals_stage(const Scenario& s, const output::RunResults& res, const econ::Requirements& req) {
    output::ManyTerminalsSection sec;
    sec.edge_traffic = kCameraProfile;
    const traffic::Profile sensor = traffic::load_profile(kSensorProfile);
    const double dl = std::isfinite(req.min_mbps_per_household) ? req.min_mbps_per_household : 2.0;
    const traffic::Profile household = traffic::household_profile(dl, dl * kUplinkShare, req.max_latency_ms);
    for (const output::ServiceMaps& sm : res.service_maps) {
        const TechnologySpec* spec = spec_of(s, sm.label);
        if (!spec) continue;
        const link::Technology tech = technology_of(*spec);
        if (tech.family == link::Family::sigfox) {
            sec.notes.push_back(tech.name + ": no load model for Sigfox yet");
            continue;
        }
        const CellSamples samples = served_samples(sm, res, *spec);
        std::vector<double> pooled;
        for (const auto& [cls, cells] : samples) {
            const traffic::Profile& p = cls == "iot" ? sensor : household;
            traffic::LoadOptions o;
            o.target = p.target;
            try {
                sec.technologies.push_back(judge_class(sm.label, tech, p, cells, cls == "iot" ? 1.0 : req.busy_hour_activity, o));
            } catch (const InputError& e) {
                sec.notes.push_back(sm.label + " cannot carry '" + p.name + "': " + e.what());
            }
            for (const auto& [c, v] : cells) pooled.insert(pooled.end(), v.begin(), v.end());
        }
        if (pooled.empty()) continue;
        try {
            edge_rows(sec, sm.label, tech, pooled);
        } catch (const InputError& e) {
            sec.notes.push_back(sm.label + " cannot carry '" + std::string(kCameraProfile) + "': " + e.what());
        }
    }
    return sec;
}

}  // namespace dxplan
