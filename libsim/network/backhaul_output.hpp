// dxplan backhaul outputs: the plan as GeoJSON and KML (nodes and chosen links), a CSV of every chosen link,
// a CSV bill of materials per technology, a CSV of the rejected candidate hops with the reason, and a JSON
// summary. Every file is written atomically (libsim/core/atomic_file.hpp); JSON types stay in the .cpp.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "libsim/economics/catalogue.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_technology.hpp"
#include "libsim/network/candidate_graph.hpp"

namespace dxplan::net {

// One line of the bill of materials: a technology's links, priced from the catalogue.
struct BomLine {
    std::string technology;
    std::string catalogue_item;
    double links = 0.0;              // number of links (hops)
    double quantity = 0.0;           // catalogue units: hops x units (radio) or route km x units (fibre)
    std::string unit;                // "hop" or "km"
    double capex_jpy = 0.0;
    double opex_jpy_per_year = 0.0;
    double cost_jpy = 0.0;           // capex + PV(opex), as optimised
};
[[nodiscard]] std::vector<BomLine> bill_of_materials(const BackhaulProblem& problem, const BackhaulPlan& plan,
                                                     const std::vector<BackhaulTechnology>& technologies);

struct BackhaulRunInfo {
    std::string scenario;       // name or file
    double graph_build_s = 0.0;
    double solve_s = 0.0;
};

// Writes into `dir` (created): backhaul.geojson, backhaul.kml, backhaul_links.csv, backhaul_bom.csv,
// backhaul_rejected.csv, backhaul_summary.json. Returns the file names written.
std::vector<std::string> write_backhaul_outputs(const std::filesystem::path& dir, const CandidateGraph& graph,
                                                const BackhaulPlan& plan, const std::vector<BackhaulTechnology>& technologies,
                                                const BackhaulRunInfo& info);

}  // namespace dxplan::net
