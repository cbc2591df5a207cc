// Small parsing helpers shared by the dxplan subcommands (one place for each convention).
#pragma once

#include <string>

#include "libsim/terrain/terrain.hpp"

namespace dxplan::cli {

// "LAT,LON" in decimal degrees; InputError naming the flag and the valid ranges otherwise.
LatLon parse_latlon(const std::string& text, const std::string& flag);

// InputError "FLAG LAT,LON is outside the terrain (lat .. , lon ..)" when the point is not on the terrain.
void require_inside(const Terrain& terrain, LatLon p, const std::string& flag);

}  // namespace dxplan::cli
