// dxplan run, comparison stage (see comparison_stage.hpp): the sequence of named steps
// (comparison_internal.hpp), the uncertainty analyses and the provenance.
#include "libsim/scenario/comparison_stage.hpp"

#include <algorithm>

#include "libsim/output/sha256.hpp"
#include "libsim/scenario/comparison_internal.hpp"
#include "libsim/core/version.hpp"

namespace dxplan {

namespace {

namespace fs = std::filesystem;
using namespace comparison;

std::vector<DemandKind> kinds_present(const std::vector<output::DemandPoint>& demand) {
    std::vector<DemandKind> kinds;
    for (const auto& d : demand)
        if (std::find(kinds.begin(), kinds.end(), d.kind) == kinds.end()) kinds.push_back(d.kind);
    return kinds;
}

void add_uncertainty(output::ComparisonReport& rep, const std::vector<econ::UncertainTechnology>& unc,
                     const econ::Catalogue& cat, unsigned threads) {
    econ::UncertaintySpec us;
    us.seed = kSeed;
    us.threads = std::max(1u, threads);
    // The subsidy rate +-0.25 around the scenario's rate (within [0, 1]): a bar on both sides of the base case.
    const double rate = rep.params.rules.subsidy_rate;
    us.subsidy_rate = {std::max(0.0, rate - 0.25), std::min(1.0, rate + 0.25)};
    rep.tornado = econ::tornado(unc, cat, rep.params, us);
    rep.monte_carlo = econ::monte_carlo(unc, cat, rep.params, us);
}

// The catalogue items the bills use (the report's assumptions table), in catalogue order.
void add_used_items(output::ComparisonReport& rep, const econ::Catalogue& cat, std::vector<std::string> used) {
    std::sort(used.begin(), used.end());
    for (const auto& it : cat.items)
        if (std::binary_search(used.begin(), used.end(), it.id)) rep.catalogue_items.push_back(it);
}

void add_provenance(output::ComparisonReport& rep, const Scenario& s, const output::RunResults& res,
                    const econ::Catalogue& cat) {
    auto& pv = rep.provenance;
    rep.note_keys = {"note.frequency", "note.selection", "note.devices"};
    pv.dxplan_version = std::string(kVersion);
    pv.scenario_file = s.file.filename().string();
    pv.scenario_sha256 = output::sha256_file_hex(s.file);
    pv.seed = kSeed;
    for (const auto& f : s.terrain.files) pv.data_files.push_back({f.filename().string(), output::sha256_file_hex(f), fs::file_size(f)});
    std::vector<fs::path> inputs;  // the other input files: land cover, demand points, roads
    if (!s.land_cover.file.empty()) inputs.push_back(s.land_cover.file);
    for (const auto& d : s.demand)
        if (!d.file.empty()) inputs.push_back(d.file);
    if (!s.backhaul.roads.empty()) inputs.push_back(s.backhaul.roads);
    for (const auto& f : inputs) pv.data_files.push_back({f.filename().string(), output::sha256_file_hex(f), fs::file_size(f)});
    pv.models.emplace(pv.models.begin(), "propagation model", res.model);
    pv.models.emplace(pv.models.begin() + 1, "cost catalogue", cat.version + " sha256 " +
                                                                   output::sha256_file_hex(econ::default_catalogue_path()));
    pv.models.emplace(pv.models.begin() + 2, "planning shadowing sigma (dB)",
                      std::to_string(static_cast<int>(kShadowSigmaDb)) + " (assumption)");
}

}  // namespace

output::ComparisonReport run_comparison_stage(const Scenario& s, const World& world, const output::RunResults& res,
                                              const ComparisonStageConfig& cfg, std::size_t& files_written) {
    output::ComparisonReport rep;
    rep.run = &res;
    const econ::Catalogue cat = catalogue_with_overrides(s);
    rep.catalogue_version = cat.version;
    rep.params = economic_params(s);
    rep.budget_jpy = s.economics.budget_jpy;
    rep.requirements = requirements_of(s, res.demand);
    const BackhaulInputs backhaul = backhaul_inputs(s);
    SiteLosses losses(s, world, res, cfg);
    const StageContext ctx{s, world, res, cfg, cat, rep.params, rep.requirements, backhaul, losses, files_written};

    const std::vector<Entry> entries = entries_of(s);
    std::vector<econ::UncertainTechnology> unc;
    std::vector<std::string> used_items;
    std::vector<std::vector<PlannedEntry>> mix_members(s.mixes.size());
    for (std::size_t e = 0; e < entries.size(); ++e) {
        if (cfg.progress) cfg.progress(static_cast<double>(e) / static_cast<double>(entries.size()));
        PlannedEntry pe = plan_entry(ctx, entries[e]);
        for (const auto& it : pe.in.bill) used_items.push_back(it.id);
        if (std::find(rep.provenance.models.begin(), rep.provenance.models.end(), pe.provenance) ==
            rep.provenance.models.end())
            rep.provenance.models.push_back(pe.provenance);
        if (entries[e].mix >= 0) {
            mix_members[static_cast<std::size_t>(entries[e].mix)].push_back(std::move(pe));
            continue;
        }
        unc.push_back({entries[e].spec->profile, pe.in.bill, pe.household_margins_db, pe.in.households_covered});
        rep.technologies.push_back(std::move(pe.report));
    }
    const std::vector<DemandKind> kinds = kinds_present(res.demand);
    for (std::size_t m = 0; m < s.mixes.size(); ++m)
        rep.technologies.push_back(combine_mix(s.mixes[m], mix_members[m], kinds, rep.requirements, rep.params));

    add_uncertainty(rep, unc, cat, cfg.threads);
    add_used_items(rep, cat, std::move(used_items));
    add_provenance(rep, s, res, cat);
    if (cfg.technology_losses) *cfg.technology_losses = losses.demand_losses();
    return rep;
}

}  // namespace dxplan
