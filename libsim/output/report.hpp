// dxplan comparison report: report.html (one self-contained page: inline SVG charts and maps, images as data
// URIs, no scripts, no network) and report.md, in English or Japanese, and the comparison part of
// summary.json (schema: docs/summary-schema.md). The three are written from the same `ComparisonReport`
// with the same rounding, so every number in the report's tables equals the one in summary.json: each table
// cell that shows a summary.json value names it (`data-k="technologies[0].capex_jpy"`).
//
// Sections: area and demand; technology comparison (the table applicants quote); a map per technology
// (coverage PNG over hillshade when the coverage layer wrote one, with sites, backhaul links and demand points
// drawn over it, else the same layers alone); equipment list; costs by year (chart and table); cost per
// household (chart); sensitivity (tornado per technology); Monte Carlo (histogram and ranking); assumptions
// with sources; provenance (scenario SHA-256, data files and checksums, model versions, seed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libsim/economics/catalogue.hpp"
#include "libsim/economics/comparison.hpp"
#include "libsim/economics/uncertainty.hpp"
#include "libsim/output/report_i18n.hpp"
#include "libsim/output/report_traffic.hpp"
#include "libsim/output/results.hpp"
#include "libsim/route/route.hpp"

namespace dxplan::output {

struct MapLink {
    LatLon a;
    LatLon b;
    std::string kind;           // "fibre", "microwave-18ghz", ...
    std::vector<LatLon> route;  // fibre along the roads, from a to b; empty: drawn straight
};

// The map of one technology's plan.
struct TechnologyMap {
    std::filesystem::path png;              // coverage over hillshade (PNG); empty or missing: layers only
    std::optional<GeoBox> png_bounds;       // the PNG's extent (outer edges); required with a PNG
    std::filesystem::path sinr_png;         // the service maps' downlink SINR over hillshade; empty or missing: none
    std::vector<NamedPoint> sites;          // chosen access sites
    std::vector<MapLink> backhaul;
    std::vector<LatLon> demand;             // demand points shown
    std::vector<bool> demand_covered;       // same size as demand
};

struct BackhaulSummary {
    std::size_t links = 0;
    double fibre_km = 0.0;
    std::size_t wireless_hops = 0;
    double capex_jpy = 0.0;
    double opex_jpy_per_year = 0.0;
    std::string solver;                     // "steiner-heuristic", "glpk", or "" when not planned
    bool solved = true;                     // every site connected
};

// The inverse question for one technology: the coverage reachable for the scenario's budget. The budget first
// pays the kit's per-network items (present value), the rest buys sites at their planning cost (per-site
// items' present value plus fibre to the nearest PoP), chosen by econ::select_sites_for_budget.
struct BudgetCoverage {
    double network_jpy = 0.0;               // per-network items, present value
    double sites_jpy = 0.0;                 // planning cost of the chosen sites, present value
    std::vector<std::string> site_ids;
    std::size_t demand_covered = 0;         // demand points served (SINR, as the comparison counts them)
    std::size_t demand_total = 0;
    double fraction = 0.0;
};

struct TechnologyReport {
    econ::TechnologyEvaluation eval;
    std::vector<std::string> chosen_sites;  // site ids
    std::vector<std::string> chosen_origins;  // each chosen site's origin: "given", "hilltop", "built-up"
    std::optional<BudgetCoverage> budget;   // with ComparisonReport::budget_jpy > 0
    std::string selection_solver;           // "greedy+local", "glpk"
    std::optional<double> selection_greedy_gap;  // (greedy cost - MIP optimum) / optimum, when GLPK proved it
    std::vector<std::string> mix_members;   // a mix (scenario `mixes`): its members, "<mix>.<profile>"; else empty
    std::vector<econ::TechnologyEvaluation> member_evals;  // a mix: each member's own evaluation (same order)
    std::vector<std::vector<std::string>> member_kinds;    // a mix: the demand kinds each member serves (same order)
    BackhaulSummary backhaul;
    TechnologyMap map;
};

struct ProvenanceFile {
    std::string name;                       // as shown (relative to the scenario, or the file name)
    std::string sha256;
    std::uintmax_t bytes = 0;
};

struct RunProvenance {
    std::string dxplan_version;
    std::string scenario_file;
    std::string scenario_sha256;
    std::vector<ProvenanceFile> data_files;
    std::vector<std::pair<std::string, std::string>> models;  // component -> version / name
    std::uint64_t seed = 0;
};

struct ComparisonReport {
    const RunResults* run = nullptr;        // area, terrain, demand (may be null: those sections are skipped)
    econ::EconomicParams params;
    double budget_jpy = 0.0;                // > 0: the budget table (TechnologyReport::budget)
    econ::Requirements requirements;
    std::vector<TechnologyReport> technologies;
    std::vector<econ::TechnologyTornado> tornado;   // same order as technologies (may be empty)
    std::optional<econ::MonteCarloResult> monte_carlo;
    std::vector<econ::CatalogueItem> catalogue_items;  // the items the bills use (assumptions table)
    std::string catalogue_version;
    RunProvenance provenance;
    std::vector<std::string> note_keys;     // method notes shown with the assumptions (report_i18n keys)
    // Propagation settings of the run shown with the assumptions: the losses added to the model (each switch, its
    // value and standard) and each technology's model and radius. `key` is a report_i18n phrase key ("loss.*"),
    // `value` language-neutral text (standard numbers, values), `field` the scenario field it comes from.
    struct Setting {
        std::string key;
        std::string value;
        std::string field;
    };
    std::vector<Setting> propagation_settings;
    ManyTerminalsSection many_terminals;    // load per cell and edge AI (report_traffic.hpp); empty: not shown
    std::vector<route::RouteResult> routes; // driving routes (report_route.hpp), one section each
};

// The comparison part of summary.json as JSON text: an object with "technologies", "backhaul",
// "uncertainty" and "provenance" (docs/summary-schema.md). summary_json.cpp merges it into summary.json.
std::string comparison_summary_json(const ComparisonReport& report);

std::string report_html(const ComparisonReport& report, Lang lang);
std::string report_markdown(const ComparisonReport& report, Lang lang);

// Writes report.html and report.md into `dir` (each atomically).
void write_reports(const std::filesystem::path& dir, const ComparisonReport& report, Lang lang);

// Base64 (RFC 4648 §4) of bytes, for data URIs.
std::string base64(std::string_view bytes);

}  // namespace dxplan::output
