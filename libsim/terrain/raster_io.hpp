// dxplan terrain: writing geographic grids as GeoTIFF (used by the coverage solver and the output layer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "libsim/terrain/terrain.hpp"

namespace dxplan {

// Writes `grid` as a single-band float32 GeoTIFF in EPSG:4326 (pixel-is-area geotransform: the grid's
// sample centres are the pixel centres), DEFLATE-compressed and tiled, with `nodata` declared as the band's
// nodata value; NaN samples are written as `nodata`. The file is written under a temporary name and renamed
// when complete (libsim/core/atomic_file.hpp). Throws InputError naming the path if it cannot be written.
void write_geotiff_f32(const std::filesystem::path& path, const GeoGrid& grid, float nodata);

// One band of a multi-band GeoTIFF: its description (GDAL band description) and its values (row-major, the
// grid's size); a float32 file uses `f32` (NaN written as nodata), an int16 file `i16`.
struct GeoTiffBand {
    std::string description;
    std::span<const float> f32;
    std::span<const std::int16_t> i16;
};

// As write_geotiff_f32 for several bands over the geometry of `grid` (its values are not used); every band has
// the same type (float32 when the first band has f32 values, else int16) and the same nodata.
void write_geotiff_bands(const std::filesystem::path& path, const GeoGrid& grid, std::span<const GeoTiffBand> bands,
                         double nodata);

}  // namespace dxplan
