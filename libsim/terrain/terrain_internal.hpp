// Internal to libsim/terrain (not part of its public API): the helpers its .cpp files share.
#pragma once

#include <sstream>
#include <string>

#include "libsim/terrain/terrain.hpp"

namespace dxplan::detail {

// Slack for points on the outermost sample lines (coordinates parsed from text, rounding of spacing).
inline constexpr double kEdgeSlack_deg = 1e-9;

// "lat S..N, lon W..E" for error messages.
inline std::string describe(const GeoBox& b) {
    std::ostringstream os;
    os.precision(8);
    os << "lat " << b.south_deg << ".." << b.north_deg << ", lon " << b.west_deg << ".." << b.east_deg;
    return os.str();
}

}  // namespace dxplan::detail
