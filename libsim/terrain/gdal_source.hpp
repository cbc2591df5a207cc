// dxplan terrain, internal: one raster opened through GDAL and seen in EPSG:4326.
// Used by load_terrain and load_land_cover; not for other layers. No GDAL types here (ARCHITECTURE.md 9).
#pragma once

#include <filesystem>
#include <memory>

#include "libsim/terrain/terrain.hpp"

namespace dxplan::detail {

enum class Resampling { bilinear, nearest };

class GdalSource {
public:
    // Opens and checks `file`: it exists, an SRTM .hgt has one of the two legal sizes, the raster has a CRS
    // and a north-up geotransform. A raster in another CRS is warped to EPSG:4326 with `resampling`.
    // Throws InputError naming the file.
    GdalSource(const std::filesystem::path& file, Resampling resampling);
    ~GdalSource();
    GdalSource(GdalSource&&) noexcept;
    GdalSource& operator=(GdalSource&&) noexcept;

    // The whole raster's layout (values empty): sample centres, spacing.
    [[nodiscard]] const GeoGrid& layout() const { return layout_; }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

    // Reads rows [row0, row0 + rows) x cols [col0, col0 + cols) of band 1 as floats; nodata and the SRTM
    // void value -32768 become NaN. The window must lie inside the raster.
    [[nodiscard]] GeoGrid read(int row0, int col0, int rows, int cols) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    GeoGrid layout_;
    std::filesystem::path path_;
};

// GDALAllRegister, once per process.
void ensure_gdal_registered();

}  // namespace dxplan::detail
