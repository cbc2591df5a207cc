// dxplan run, comparison stage: its inputs from the scenario (comparison_internal.hpp).
#include <algorithm>

#include "libsim/core/error.hpp"
#include "libsim/scenario/comparison_internal.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/traffic/traffic.hpp"

namespace dxplan::comparison {

econ::Catalogue catalogue_with_overrides(const Scenario& s) {
    // The item's range (low/high, for the sensitivity and Monte Carlo) scales with its main price; its source
    // says so.
    econ::Catalogue cat = econ::load_catalogue(econ::default_catalogue_path());
    for (const PriceOverride& o : s.economics.prices) {
        const auto it = std::find_if(cat.items.begin(), cat.items.end(), [&](const auto& c) { return c.id == o.id; });
        if (it == cat.items.end())
            throw InputError(o.where + ": economics.prices." + o.id + ": no such item in the cost catalogue (" +
                             econ::default_catalogue_path().filename().string() + ")");
        const double before_jpy = econ::main_price_jpy(*it);
        if (o.capex_jpy) it->capex_jpy = *o.capex_jpy;
        if (o.opex_jpy_per_year) it->opex_jpy_per_year = *o.opex_jpy_per_year;
        const double scale = before_jpy > 0.0 ? econ::main_price_jpy(*it) / before_jpy : 1.0;
        it->low_jpy *= scale;
        it->high_jpy *= scale;
        it->source = "scenario quotation (" + o.where + "), replacing: " + it->source;
        it->status = "quotation";
    }
    return cat;
}

econ::EconomicParams economic_params(const Scenario& s) {
    econ::EconomicParams p;
    p.horizon_years = s.economics.horizon_years;
    p.discount_rate = s.economics.discount_rate;
    p.rules.subsidy_rate = s.economics.subsidy_rate;
    p.rules.subsidy_cap_jpy = s.economics.subsidy_cap_jpy;
    p.opex_escalation_rate = s.economics.opex_escalation_rate;
    p.rules.demonstration = s.economics.demonstration;
    p.rules.rentals_booked_up_front = s.economics.rentals_booked_up_front;
    p.rules.rental_eligible_years = s.economics.rental_eligible_years;
    return p;
}

namespace {

double value_or(const std::optional<double>& v, double fallback) { return v ? *v : fallback; }

// A kind with a traffic profile (requirements.by_kind.<kind>.traffic, .processing; issue 14 item 4): unless given,
// its uplink rate is the profile's uplink bit rate after processing (raw: the video; edge: the inference output,
// traffic::with_processing) and its latency the profile's p99 delay target.
void apply_traffic(const KindRequirementsSpec& spec, econ::KindRequirements& d) {
    if (spec.traffic.empty()) return;
    const bool edge = spec.processing == "edge";
    const traffic::Profile p = traffic::with_processing(traffic::load_profile(spec.traffic),
                                                        edge ? traffic::Processing::edge : traffic::Processing::raw);
    d.edge_processing = edge;
    if (!spec.ul_mbps) d.ul_mbps = traffic::terminal_bit_rate_bps(p, traffic::FlowDirection::uplink) / 1e6;
    if (!spec.latency_ms && p.target.delay_p99_ms < 1e299) d.max_latency_ms = p.target.delay_p99_ms;
}

// One kind's requirements: its `requirements.by_kind` entry over the defaults given.
econ::KindRequirements kind_requirements(const std::optional<KindRequirementsSpec>& spec, econ::KindRequirements d) {
    if (!spec) return d;
    apply_traffic(*spec, d);
    d.dl_mbps = value_or(spec->dl_mbps, d.dl_mbps);
    d.ul_mbps = value_or(spec->ul_mbps, d.ul_mbps);
    d.busy_hour_activity = value_or(spec->busy_hour_activity, d.busy_hour_activity);
    d.edge_mbps = value_or(spec->edge_mbps, d.edge_mbps);
    d.max_latency_ms = value_or(spec->latency_ms, d.max_latency_ms);
    d.reports_per_day = value_or(spec->reports_per_day, d.reports_per_day);
    d.payload_bytes = value_or(spec->payload_bytes, d.payload_bytes);
    d.battery_years = value_or(spec->battery_years, d.battery_years);
    return d;
}

// Per kind (scenarios/README.md, requirements.by_kind): households from the scenario-wide household fields;
// facilities like households; sensors: battery life (device_battery_years, else 5 years when the demand has
// sensors), 24 reports a day, no latency unless given; cameras: only what by_kind gives.
void fill_kind_requirements(const RequirementsSpec& rq, econ::Requirements& req) {
    econ::KindRequirements home;
    home.dl_mbps = req.min_mbps_per_household;
    home.busy_hour_activity = req.busy_hour_activity;
    home.edge_mbps = req.min_edge_mbps;
    home.max_latency_ms = req.max_latency_ms;
    const auto& by = rq.by_kind;
    req.kinds[index_of(DemandKind::household)] = kind_requirements(by[index_of(DemandKind::household)], home);
    req.kinds[index_of(DemandKind::facility)] =
        kind_requirements(by[index_of(DemandKind::facility)], req.kinds[index_of(DemandKind::household)]);
    econ::KindRequirements sensor;
    sensor.battery_years = req.min_battery_years;
    sensor.reports_per_day = 24.0;
    req.kinds[index_of(DemandKind::iot)] = kind_requirements(by[index_of(DemandKind::iot)], sensor);
    req.kinds[index_of(DemandKind::camera)] = kind_requirements(by[index_of(DemandKind::camera)], {});
}

}  // namespace

econ::Requirements requirements_of(const Scenario& s, const std::vector<output::DemandPoint>& demand) {
    const bool have_iot =
        std::any_of(demand.begin(), demand.end(), [](const auto& d) { return d.kind == DemandKind::iot; });
    const RequirementsSpec& rq = s.requirements;
    econ::Requirements req;
    req.coverage_target_fraction = rq.coverage_target;
    req.location_reliability = rq.location_reliability;
    req.min_mbps_per_household = rq.min_mbps_per_household;
    req.busy_hour_activity = rq.busy_hour_activity;
    req.min_edge_mbps = rq.min_edge_mbps.value_or(econ::kNoRequirement);
    req.max_latency_ms = rq.max_latency_ms.value_or(econ::kNoRequirement);
    req.min_battery_years = rq.device_battery_years.value_or(have_iot ? 5.0 : econ::kNoRequirement);
    req.outdoor = rq.outdoor;
    fill_kind_requirements(rq, req);
    return req;
}

BackhaulInputs backhaul_inputs(const Scenario& s) {
    BackhaulInputs in{net::load_backhaul_technologies(net::default_backhaul_dir(), s.backhaul.technologies,
                                                      s.file.string() + ": backhaul.technologies"),
                      std::nullopt, net::load_design_criteria()};
    if (!s.backhaul.roads.empty()) in.roads = net::load_road_network(s.backhaul.roads, s.file.string() + ": backhaul.roads");
    in.fibre_detour = net::load_backhaul_technologies(net::default_backhaul_dir(), {"fibre"}).front().detour_factor;
    return in;
}

const std::vector<output::SiteResult>& SiteLosses::at(double f_mhz, const TechnologySpec& spec) {
    const std::string& profile = spec.profile;
    if (f_mhz == res_.f_mhz && spec.resolved_model == s_.propagation.model && spec.resolved_radius_m == s_.propagation.radius_m)
        return res_.sites;
    std::vector<output::SiteResult>& v = by_f_[{f_mhz, spec.resolved_model, spec.resolved_radius_m}];
    std::vector<std::string>& planned = profiles_[{f_mhz, spec.resolved_model, spec.resolved_radius_m}];
    if (std::find(planned.begin(), planned.end(), profile) == planned.end()) planned.push_back(profile);
    v.resize(s_.sites.size());
    PropagationSpec prop = s_.propagation;
    prop.f_mhz = f_mhz;
    prop.model = spec.resolved_model;
    prop.radius_m = spec.resolved_radius_m;
    std::map<std::string, std::size_t> local;
    for (std::size_t i = 0; i < s_.sites.size(); ++i) {
        const SiteSpec& site = s_.sites[i];
        if (!v[i].loss_db.values.empty() || (site.technology && *site.technology != profile)) continue;
        v[i] = compute_site_loss({site.pos, site.mast_height_m, &w_.terrain, &prop, &res_.demand,
                                  w_.land_cover ? &*w_.land_cover : nullptr, cfg_.area},
                                 cfg_.warnings ? *cfg_.warnings : local);
        v[i].id = site.id;
    }
    return v;
}

std::vector<output::TechnologyDemandLosses> SiteLosses::demand_losses() const {
    std::vector<output::TechnologyDemandLosses> out;
    for (const auto& [key, sites] : by_f_) {
        output::TechnologyDemandLosses t{std::get<0>(key), std::get<1>(key), std::get<2>(key), profiles_.at(key), {}};
        for (const output::SiteResult& site : sites) {
            output::SiteResult r = site;
            r.loss_db = GeoGrid{};
            t.sites.push_back(std::move(r));
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<Entry> entries_of(const Scenario& s) {
    std::vector<Entry> entries;
    for (const auto& t : s.technologies) entries.push_back({&t, -1, t.profile});
    for (std::size_t m = 0; m < s.mixes.size(); ++m)
        for (const auto& t : s.mixes[m].members)
            entries.push_back({&t, static_cast<int>(m), s.mixes[m].name + "." + t.profile});
    return entries;
}

}  // namespace dxplan::comparison
