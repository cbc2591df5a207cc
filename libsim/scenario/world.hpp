// dxplan scenario layer: the scenario's world (terrain, land cover, roads) and its demand points, loaded and
// checked against each other. Used by the `dxplan run` pipeline and by any tool that works "on the
// scenario's terrain".
#pragma once

#include <optional>
#include <vector>

#include "libsim/output/results.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan {

struct World {
    Terrain terrain;
    std::optional<LandCover> land_cover;
    std::vector<std::vector<LatLon>> roads;  // known roads (the synthetic valley's); empty for file terrain
};

// Loads the terrain (synthetic or files, cropped to the area of interest plus margin) and the land cover,
// then checks that every site, fibre PoP and the area of interest lie inside the terrain. Throws InputError
// naming the scenario line ("FILE:LINE: sites[2] = (35.1, 138.0): outside the terrain (...)").
[[nodiscard]] World load_world(const Scenario& scenario, const MemoryBudget& memory = {});

// The demand points of every `demand:` entry, in entry order: read from CSV (columns id,lat_deg,lon_deg) or
// GeoJSON (Point features, id from properties.id), given inline, or generated over the land-cover cells of
// the chosen categories (inside the area of interest) with a Poisson count per cell for the density and a
// position uniform in the cell, from the entry's seed. Throws InputError naming the file and line.
// Generated demand is estimated against `memory` (about 100 bytes a point, with its losses) before it is made.
[[nodiscard]] std::vector<output::DemandPoint> resolve_demand(const Scenario& scenario, const World& world,
                                                              const MemoryBudget& memory = {});

}  // namespace dxplan
