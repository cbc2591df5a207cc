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
#include "libsim/economics/catalogue.hpp"

namespace dxplan {

namespace {

constexpr double kCamerasPerCell = 10.0;     // the edge-AI comparison's evaluation point
constexpr double kUplinkShare = 0.1;         // household uplink = a tenth of the downlink busy-hour demand
const char* const kSensorProfile = "water-level-sensor";
const char* const kCameraProfile = "camera-1080p-h265";
const char* const kEdgeComputer = "edge-ai-computer";  // models/economics/catalogue.yaml

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

// Per demand kind and cell (best server): the uplink SINR of the served points.
using CellSamples = std::map<DemandKind, std::map<int, std::vector<double>>>;

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
        out[d.kind][m.best_server[i]].push_back(static_cast<double>(g.values[i]));
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

void edge_rows(output::ManyTerminalsSection& sec, const std::string& label, const link::Technology& tech,
               const traffic::Profile& cam, const std::vector<double>& pooled) {
    for (const traffic::Processing pr : {traffic::Processing::raw, traffic::Processing::edge}) {
        const traffic::Profile p = traffic::with_processing(cam, pr);
        traffic::LoadOptions o;
        o.target = p.target;
        const traffic::LoadModel model(tech, p, traffic::CellRadio{pooled, 0.0}, o);
        const traffic::LoadResult r = model.at(kCamerasPerCell);
        output::EdgeComparisonRow row;
        row.technology = label;
        row.processing = std::string(traffic::to_string(pr));
        row.uplink_kbps_per_terminal = traffic::terminal_bit_rate_bps(p, traffic::FlowDirection::uplink) / 1e3;
        row.cameras = kCamerasPerCell;
        row.meets_target = r.meets_target;
        row.delivery_ratio = r.delivery_ratio;
        row.delay_p99_ms = r.delay_p99_ms;
        row.max_terminals = model.max_devices();
        sec.edge.push_back(row);
    }
}

// The NPV of the network the comparison planned for `label` (a mix member: its mix), and of its edge computers.
struct PlannedCost {
    double npv_jpy = NAN;
    double edge_npv_jpy = 0.0;  // the bill's edge computers (scenario processing edge)
};

PlannedCost planned_cost(const output::ComparisonReport& cmp, const std::string& label, const econ::EconomicParams& ep) {
    PlannedCost c;
    const std::string mix = label.substr(0, label.find('.'));
    for (const auto& t : cmp.technologies) {
        if (t.eval.name != label && t.eval.name != mix) continue;
        c.npv_jpy = t.eval.costs.npv_jpy;
        std::vector<econ::CostItem> edge;
        for (const auto& it : t.eval.bill)
            if (it.id == kEdgeComputer) edge.push_back(it);
        if (!edge.empty()) c.edge_npv_jpy = econ::evaluate_costs(edge, ep).npv_jpy;
        if (t.eval.name == label) break;
    }
    return c;
}

// The scenario's cameras on this technology, raw vs edge side by side (issue 14 item 4): per processing, every
// camera cell judged at its camera count (target met in every cell), the busiest cell's uplink load, and the cost:
// the planned network's NPV without edge computers (raw) or with one per camera in signal (edge; NPV of
// edge-ai-computer over the scenario's horizon, econ::evaluate_costs).
void scenario_edge_rows(output::ManyTerminalsSection& sec, const std::string& label, const link::Technology& tech,
                        const traffic::Profile& cam, const std::map<int, std::vector<double>>& cells, const EdgeCosting& ec) {
    double cameras = 0.0, busiest = 0.0;
    std::vector<double> pooled;
    for (const auto& [cell, sinr] : cells) {
        cameras += static_cast<double>(sinr.size());
        busiest = std::max(busiest, static_cast<double>(sinr.size()));
        pooled.insert(pooled.end(), sinr.begin(), sinr.end());
    }
    const PlannedCost pc = planned_cost(*ec.comparison, label, ec.params);
    econ::Quantities q;
    q.networks = 0.0;
    q.devices = cameras;
    const double edge_npv = econ::evaluate_costs(econ::bill_of_materials(ec.catalogue, {kEdgeComputer}, q, "edge:camera"), ec.params).npv_jpy;
    for (const traffic::Processing pr : {traffic::Processing::raw, traffic::Processing::edge}) {
        const traffic::Profile p = traffic::with_processing(cam, pr);
        traffic::LoadOptions o;
        o.target = p.target;
        output::EdgeComparisonRow row;
        row.technology = label;
        row.processing = std::string(traffic::to_string(pr));
        row.uplink_kbps_per_terminal = traffic::terminal_bit_rate_bps(p, traffic::FlowDirection::uplink) / 1e3;
        row.cameras = busiest;
        row.delivery_ratio = 1.0;
        row.max_terminals = INFINITY;
        row.meets_target = true;
        for (const auto& [cell, sinr] : cells) {
            const traffic::CellJudgement j = traffic::judge_cell(tech, p, sinr, static_cast<double>(sinr.size()), o);
            row.meets_target = row.meets_target && j.meets_target;
            row.delivery_ratio = std::min(row.delivery_ratio, j.delivery_ratio);
            row.delay_p99_ms = std::max(row.delay_p99_ms, j.delay_p99_ms);
            row.max_terminals = std::min(row.max_terminals, j.max_terminals);
        }
        row.cameras_total = cameras;
        row.uplink_mbps_busiest_cell = busiest * row.uplink_kbps_per_terminal / 1e3;
        const bool edge = pr == traffic::Processing::edge;
        row.edge_computers_npv_jpy = edge ? edge_npv : 0.0;
        row.npv_jpy = pc.npv_jpy - pc.edge_npv_jpy + row.edge_computers_npv_jpy;
        sec.edge.push_back(row);
    }
}

// The camera profile of the scenario (requirements.by_kind.camera.traffic), else the default.
traffic::Profile camera_profile(const Scenario& s) {
    const auto& spec = s.requirements.by_kind[index_of(DemandKind::camera)];
    return traffic::load_profile(spec && !spec->traffic.empty() ? spec->traffic : std::string(kCameraProfile));
}

}  // namespace

output::ManyTerminalsSection many_terminals_stage(const Scenario& s, const output::RunResults& res, const econ::Requirements& req,
                                                  const EdgeCosting& costing) {
    output::ManyTerminalsSection sec;
    const traffic::Profile cam = camera_profile(s);
    sec.edge_traffic = cam.name;
    const traffic::Profile sensor = traffic::load_profile(kSensorProfile);
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
        for (const auto& [kind, cells] : samples) {
            for (const auto& [c, v] : cells) pooled.insert(pooled.end(), v.begin(), v.end());
            if (kind == DemandKind::camera) continue;  // the edge rows below
            const econ::KindRequirements& q = req.of(kind);
            const double dl = std::isfinite(q.dl_mbps) ? q.dl_mbps : req.min_mbps_per_household;
            const traffic::Profile p = kind == DemandKind::iot ? sensor : traffic::household_profile(dl, dl * kUplinkShare, q.max_latency_ms);
            traffic::LoadOptions o;
            o.target = p.target;
            try {
                sec.technologies.push_back(judge_class(sm.label, tech, p, cells, kind == DemandKind::iot ? 1.0 : q.busy_hour_activity, o));
            } catch (const InputError& e) {
                sec.notes.push_back(sm.label + " cannot carry '" + p.name + "': " + e.what());
            }
        }
        if (pooled.empty()) continue;
        const auto cams = samples.find(DemandKind::camera);
        try {
            if (cams != samples.end() && costing.comparison) scenario_edge_rows(sec, sm.label, tech, cam, cams->second, costing);
            else if (cams == samples.end()) edge_rows(sec, sm.label, tech, cam, pooled);
        } catch (const InputError& e) {
            sec.notes.push_back(sm.label + " cannot carry '" + cam.name + "': " + e.what());
        }
    }
    return sec;
}

}  // namespace dxplan
