// dxplan terrain: the project's deterministic synthetic world, so that the default scenario and the tests
// run anywhere without downloaded data.
//
// A rural mountain valley in central Japan around 36.0 N, 138.2 E, 0.11 x 0.14 deg (about 12.2 x 12.6 km)
// at 1 arc-second: a main valley (floor 640-790 m, river flowing south) between ridges of 1300-1750 m, a
// village on the valley floor with its town hall (the fibre point of presence), four hamlets half-way up
// side valleys, paddy fields on the floors, forest on the slopes, grass above the tree line, and a road
// along the valley with a branch to each hamlet. Land cover uses the JAXA HRLULC class ids, so the shipped
// class -> clutter table (models/landcover/jaxa_hrlulc.csv) applies unchanged.
//
// The layout is fixed; `seed` only changes the fine relief. The same seed gives bit-identical heights and
// classes on every run (no shared random generator, no threads).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan {

struct SyntheticPlace {
    std::string id;    // "village", "hamlet-higashi", ...
    std::string kind;  // "village" or "hamlet"
    LatLon pos;
};

struct SyntheticValley {
    Terrain terrain;
    LandCover land_cover;                   // same grid as the terrain
    std::vector<std::vector<LatLon>> roads;  // polylines: the valley road first, then one branch per hamlet
    std::vector<SyntheticPlace> places;     // the village first, then the hamlets
    LatLon town_hall;                       // the town hall: fibre point of presence
};

// Builds the synthetic valley. `clutter` maps the JAXA class ids used here to clutter categories.
[[nodiscard]] SyntheticValley make_synthetic_valley(std::uint64_t seed, const ClutterTable& clutter);

}  // namespace dxplan
