// dxplan core: the named numbers every layer shares, defined once (the earth radii are in units.hpp).
#pragma once

#include <limits>

namespace dxplan {

// "No value" in double and float arrays (a loss outside the radius, a model that rejected a path, ...).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr float kNaN_f = std::numeric_limits<float>::quiet_NaN();

// The nodata value written in every float32 GeoTIFF dxplan writes (loss-*.tif, coverage-*.tif, `dxplan coverage`).
inline constexpr float kGeoTiffNodata = -9999.0f;

}  // namespace dxplan
