// dxplan scenario layer: automatic candidate sites added to the scenario's given ones (`auto_candidates:`).
//
//  - hilltops: the terrain's hilltops inside the area of interest (net::find_relay_candidates, the backhaul
//    planner's relay detection: highest cell within 1500 m standing at least 100 m above that window's lowest
//    cell, best relief first, at least min_separation_m apart), ids "hilltop-1", ...;
//  - built-up: public-building rooftops approximated from land cover: the built-up cells (clutter categories
//    urban and suburban) inside the area of interest grouped into 8-connected clusters, the largest clusters
//    first; each candidate is the cluster's cell nearest to the cluster's centroid (so it stands on a built-up
//    cell even when the cluster is not convex), ids "built-up-1", ....
// A candidate within kDuplicateRadiusM of a site already listed is left out (the given site stands for it), so
// each kind gives at most the number asked. Every candidate carries its origin ("hilltop", "built-up").
#pragma once

#include <vector>

#include "libsim/scenario/scenario.hpp"
#include "libsim/scenario/world.hpp"
#include "libsim/terrain/land_cover.hpp"

namespace dxplan {

inline constexpr double kDuplicateRadiusM = 100.0;

// Cluster centroids of the built-up cells of `land_cover` inside `area`, largest cluster first (ties: the cluster
// whose first cell comes first in row-major order), at most max_count; each snapped to its nearest member cell.
[[nodiscard]] std::vector<LatLon> built_up_cluster_sites(const LandCover& land_cover, const GeoBox& area, int max_count);

// The automatic candidates of scenario.auto_candidates for this world (empty when none are asked).
[[nodiscard]] std::vector<SiteSpec> auto_candidate_sites(const Scenario& scenario, const World& world);

}  // namespace dxplan
