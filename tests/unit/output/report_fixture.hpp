// A small but complete comparison (four technologies on the shipped cost catalogue, a coverage PNG for one of
// them) used by the report tests. Plain inputs: no terrain, no propagation.
#pragma once

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "libsim/link/link.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/economics/comparison.hpp"
#include "libsim/economics/uncertainty.hpp"
#include "libsim/output/png.hpp"
#include "libsim/output/report.hpp"
#include "libsim/output/results.hpp"
#include "libsim/output/sha256.hpp"

namespace dxplan::test {

struct ReportFixture {
    output::RunResults run;
    econ::Catalogue catalogue;
    output::ComparisonReport report;
};

// Fills `f` in place (the report points at f.run).
inline void fill_report_fixture(ReportFixture& f, const std::filesystem::path& dir) {
    using namespace dxplan::econ;
    f.catalogue = load_catalogue(default_catalogue_path());
    auto& run = f.run;
    run.scenario_name = "fixture valley";
    run.scenario_file = "fixture.yaml";
    run.terrain.source = "synthetic (seed 1)";
    run.terrain.rows = 100;
    run.terrain.cols = 120;
    run.terrain.bounds = {35.60, 138.50, 35.66, 138.58};
    run.terrain.native_spacing_m = 30.0;
    // 60 households on a ring, 10 IoT points, one fibre PoP.
    for (int i = 0; i < 70; ++i) {
        const double a = 0.3 * i;
        run.demand.push_back({"d" + std::to_string(i), i < 60 ? dxplan::DemandKind::household : dxplan::DemandKind::iot,
                              {35.63 + 0.02 * std::sin(a) * (0.3 + 0.01 * i), 138.54 + 0.03 * std::cos(a) * (0.3 + 0.01 * i)}});
    }
    run.fibre_pops.push_back({"pop-1", {35.615, 138.52}});

    struct Plan {
        const char* name;
        const char* family;
        std::size_t sites;
        std::size_t covered;
        double median_mbps, p5_mbps, area_km2;
        double fibre_km;
        double hops;
    };
    const std::vector<Plan> plans{{"local5g-n79-100mhz", "nr", 2, 58, 120.0, 18.0, 12.5, 3.2, 0},
                                  {"halow-jp-2mhz", "halow", 5, 55, 4.5, 0.8, 10.1, 1.5, 2},
                                  {"wifi6e-vlp-80mhz", "wifi", 14, 41, 80.0, 9.0, 3.4, 4.0, 3},
                                  {"lorawan-as923-jp", "lora", 2, 60, 0.004, 0.001, 14.0, 0.8, 0}};
    Requirements req;
    req.coverage_target_fraction = 0.9;
    req.min_mbps_per_household = 1.0;
    req.max_latency_ms = 200.0;
    req.min_battery_years = 5.0;
    EconomicParams params;
    params.opex_escalation_rate = 0.01;
    params.rules.subsidy_cap_jpy = 30'000'000.0;
    f.report.budget_jpy = 40'000'000.0;
    std::vector<UncertainTechnology> unc;
    for (std::size_t t = 0; t < plans.size(); ++t) {
        const Plan& p = plans[t];
        Quantities q;
        q.sites = static_cast<double>(p.sites);
        q.devices = static_cast<double>(p.covered);
        TechnologyInput in;
        in.name = p.name;
        in.family = p.family;
        in.sites = p.sites;
        in.coverage_area_km2 = p.area_km2;
        in.demand_total = 60;
        in.demand_covered = p.covered;
        in.households_covered = static_cast<double>(p.covered);
        in.devices_connected = static_cast<double>(p.covered);
        in.throughput_median_mbps = p.median_mbps;
        in.throughput_p5_mbps = p.p5_mbps;
        const dxplan::link::CostKit kit = dxplan::link::load_technology(p.name).cost_kit;  // the profile's cost kit
        std::vector<std::string> ids = kit.items;
        const auto& devices = kit.devices_for(dxplan::DemandKind::household);
        ids.insert(ids.end(), devices.begin(), devices.end());
        in.bill = bill_of_materials(f.catalogue, ids, q, p.name);
        const CatalogueItem& fibre = f.catalogue.item("fibre-aerial-km");
        in.bill.push_back({fibre.id, "backhaul", fibre.acquisition, p.fibre_km, fibre.capex_jpy, fibre.opex_jpy_per_year, true});
        if (p.hops > 0) {
            const CatalogueItem& mw = f.catalogue.item("microwave-hop");
            in.bill.push_back({mw.id, "backhaul", mw.acquisition, p.hops, mw.capex_jpy, mw.opex_jpy_per_year, true});
        }
        const FamilyDefaults d = family_defaults(p.family, 1482.8);
        in.latency_ms = d.latency_ms;
        in.device = d.device;
        in.outdoor_allowed = std::string(p.family) != "wifi";
        in.outdoor_rule = in.outdoor_allowed ? "" : "6 GHz LPI: indoor only";
        output::TechnologyReport tr;
        tr.eval = evaluate_technology(in, req, params);
        tr.selection_solver = "greedy+local";
        tr.backhaul.links = static_cast<std::size_t>(p.hops) + 1;
        tr.backhaul.fibre_km = p.fibre_km;
        tr.backhaul.wireless_hops = static_cast<std::size_t>(p.hops);
        tr.backhaul.capex_jpy = tr.eval.backhaul_capex_jpy;
        tr.backhaul.opex_jpy_per_year = tr.eval.backhaul_opex_jpy_per_year;
        tr.backhaul.solver = "steiner-heuristic";
        UncertainTechnology u;
        u.name = p.name;
        u.bill = in.bill;
        for (std::size_t s = 0; s < p.sites; ++s) {
            const double a = 6.283 * static_cast<double>(s) / static_cast<double>(p.sites);
            const output::NamedPoint site{std::string(p.name).substr(0, 4) + "-" + std::to_string(s),
                                          {35.63 + 0.012 * std::sin(a), 138.54 + 0.018 * std::cos(a)}};
            tr.map.sites.push_back(site);
            tr.chosen_sites.push_back(site.id);
            tr.chosen_origins.push_back(s + 1 == p.sites ? "hilltop" : "given");
            // The first site's fibre follows a road (a bend halfway), the others are drawn straight.
            const LatLon pop = run.fibre_pops[0].pos;
            std::vector<LatLon> route;
            if (s == 0) route = {pop, {pop.lat_deg, site.pos.lon_deg}, site.pos};
            tr.map.backhaul.push_back({pop, site.pos, "fibre", route});
        }
        for (std::size_t i = 0; i < 60; ++i) {
            tr.map.demand.push_back(run.demand[i].pos);
            tr.map.demand_covered.push_back(i < p.covered);
            u.demand_margin_db.push_back(i < p.covered ? 0.5 + 0.2 * static_cast<double>(i % 20) : -1.0 - static_cast<double>(i % 7));
        }
        // The budget buys about half the sites and covers about half the demand.
        output::BudgetCoverage bc;
        bc.network_jpy = 1'000'000.0 * static_cast<double>(t);
        bc.sites_jpy = 3'500'000.5 * static_cast<double>(p.sites / 2);
        bc.site_ids.assign(tr.chosen_sites.begin(), tr.chosen_sites.begin() + static_cast<std::ptrdiff_t>(p.sites / 2));
        bc.demand_total = 60;
        bc.demand_covered = p.covered / 2;
        bc.fraction = static_cast<double>(bc.demand_covered) / 60.0;
        tr.budget = bc;
        f.report.technologies.push_back(std::move(tr));
        unc.push_back(std::move(u));
    }
    // A coverage image for the first technology (a colour gradient) to embed.
    output::Image img;
    img.width = 64;
    img.height = 48;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            img.rgba.push_back(static_cast<std::uint8_t>(4 * x));
            img.rgba.push_back(static_cast<std::uint8_t>(5 * y));
            img.rgba.push_back(160);
            img.rgba.push_back(255);
        }
    const auto bytes = output::encode_png(img);
    std::filesystem::create_directories(dir);
    const auto png = dir / "coverage-local5g.png";
    std::ofstream(png, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    f.report.technologies[0].map.png = png;
    f.report.technologies[0].map.png_bounds = GeoBox{35.60, 138.50, 35.66, 138.58};

    UncertaintySpec spec;
    spec.draws = 400;
    spec.seed = 7;
    spec.threads = 2;
    f.report.run = &f.run;
    f.report.params = params;
    f.report.requirements = req;
    f.report.tornado = tornado(unc, f.catalogue, params, spec);
    f.report.monte_carlo = monte_carlo(unc, f.catalogue, params, spec);
    for (const auto& it : f.catalogue.items) f.report.catalogue_items.push_back(it);
    f.report.catalogue_version = f.catalogue.version;
    f.report.provenance.dxplan_version = "0.1.0";
    f.report.provenance.scenario_file = "fixture.yaml";
    f.report.provenance.scenario_sha256 = output::sha256_hex("fixture");
    f.report.provenance.data_files.push_back({"coverage-local5g.png", output::sha256_file_hex(png),
                                              static_cast<std::uintmax_t>(bytes.size())});
    f.report.provenance.models = {{"propagation", "free-space-knife-edge"}, {"cost catalogue", f.catalogue.version}};
    f.report.provenance.seed = spec.seed;
}

}  // namespace dxplan::test
