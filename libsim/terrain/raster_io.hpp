// dxplan terrain: writing geographic grids as GeoTIFF (used by the coverage solver and the output layer).
#pragma once

#include <filesystem>

#include "libsim/terrain/terrain.hpp"

namespace dxplan {

// Writes `grid` as a single-band float32 GeoTIFF in EPSG:4326 (pixel-is-area geotransform: the grid's
// sample centres are the pixel centres), DEFLATE-compressed and tiled, with `nodata` declared as the band's
// nodata value; NaN samples are written as `nodata`. The file is written under a temporary name and renamed
// when complete (libsim/core/atomic_file.hpp). Throws InputError naming the path if it cannot be written.
void write_geotiff_f32(const std::filesystem::path& path, const GeoGrid& grid, float nodata);

}  // namespace dxplan
