// dxplan terrain layer: digital elevation models and land cover as plain value types.
// GDAL is used in the .cpp files only (ARCHITECTURE.md 9). All grids are geographic WGS84 (EPSG:4326),
// row 0 at the north edge, samples at cell centres ("pixel is area" georeferencing, as GDAL reports it).
#pragma once

#include "libsim/core/memory_budget.hpp"
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace dxplan {

struct LatLon {
    double lat_deg = 0.0;
    double lon_deg = 0.0;
};

struct GeoBox {
    double south_deg = 0.0;
    double west_deg = 0.0;
    double north_deg = 0.0;
    double east_deg = 0.0;
};

// A regular lat/lon grid of float values (heights in m, or any raster band).
// Sample (row, col) centre: lat = north_deg - row * dlat_deg, lon = west_deg + col * dlon_deg.
struct GeoGrid {
    int rows = 0;
    int cols = 0;
    double north_deg = 0.0;  // latitude of the centre of row 0
    double west_deg = 0.0;   // longitude of the centre of column 0
    double dlat_deg = 0.0;   // > 0
    double dlon_deg = 0.0;   // > 0
    std::vector<float> values;

    [[nodiscard]] float at(int row, int col) const { return values[static_cast<std::size_t>(row) * cols + col]; }
    [[nodiscard]] GeoBox bounds() const;   // outer edges of the cells
    [[nodiscard]] GeoBox centres() const;  // extent of the cell centres (where bilinear lookup works)
    // The geometry of the sub-grid of `rows` x `cols` cells from (row0, col0) on this lattice (values empty).
    [[nodiscard]] GeoGrid window(int row0, int col0, int rows, int cols) const;
};

// Voids found on load. Small voids (up to TerrainOptions::max_fill_cells cells in one connected region)
// are filled by interpolation; larger ones are filled too but reported as large, with their extent.
struct VoidReport {
    std::size_t void_cells = 0;        // cells that were void (nodata / -32768) on load
    std::size_t regions = 0;           // connected void regions
    std::size_t large_regions = 0;     // regions larger than max_fill_cells
    std::size_t large_cells = 0;       // cells in large regions
    std::optional<GeoBox> large_extent;  // bounding box of all large regions
};

struct TerrainOptions {
    std::optional<GeoBox> aoi;      // crop to this area (plus margin); whole mosaic when empty
    double margin_m = 0.0;
    std::size_t max_fill_cells = 64;  // a void region above this many cells is reported as large
    MemoryBudget memory;              // the mosaic is estimated against it before it is allocated
};

// A digital elevation model: one mosaic of one or more rasters, voids filled.
class Terrain {
public:
    Terrain() = default;
    explicit Terrain(GeoGrid heights, VoidReport voids = {}, std::vector<std::string> sources = {});

    // Bilinear interpolation between the four surrounding samples. Throws InputError outside the grid.
    [[nodiscard]] double height_m(LatLon p) const;
    [[nodiscard]] bool contains(LatLon p) const;
    [[nodiscard]] const GeoGrid& grid() const { return grid_; }
    [[nodiscard]] const VoidReport& voids() const { return voids_; }
    [[nodiscard]] const std::vector<std::string>& sources() const { return sources_; }
    // North-south sample spacing in metres at the grid centre (the "native spacing" of profiles).
    [[nodiscard]] double native_spacing_m() const;

private:
    GeoGrid grid_;
    VoidReport voids_;
    std::vector<std::string> sources_;
};

// Reads any GDAL raster DEM (SRTM .hgt 1"/3", GeoTIFF, JDEM, Arc/Info ASCII grid), mosaics several tiles,
// crops to the AOI plus margin, fills voids. Throws InputError naming the file for a missing/truncated
// file, a raster without a CRS, or an AOI outside the data.
// Rasters in another CRS are warped to EPSG:4326 (bilinear); cells outside such a raster's footprint
// become voids. Tiles of different spacing are resampled (bilinear) onto the finest spacing.
Terrain load_terrain(std::span<const std::filesystem::path> files, const TerrainOptions& options = {});

// Fills the NaN cells of `grid` in place: each void cell gets the inverse-distance-squared mean of the
// nearest valid sample in each of the 8 grid directions (metric distances). Regions are 4-connected.
// Throws InputError when the grid has no valid sample at all (`what` names the source).
VoidReport fill_voids(GeoGrid& grid, std::size_t max_fill_cells, const std::string& what);

// The AOI grown by margin_m on every side (WGS84 radii of curvature at the AOI's extreme latitude).
GeoBox expand_box(const GeoBox& box, double margin_m);

}  // namespace dxplan
