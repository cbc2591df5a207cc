// dxplan terrain: land cover (a classed raster) and its mapping to clutter categories.
// The mapping is data: models/landcover/jaxa_hrlulc.csv (class id, JAXA name, category, height, source).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "libsim/terrain/terrain.hpp"

namespace dxplan {

enum class ClutterCategory { water, open, cropland, forest, suburban, urban };

[[nodiscard]] std::string_view to_string(ClutterCategory c);

struct ClutterClass {
    int class_id = 0;
    std::string name;              // the land-cover product's class name
    ClutterCategory category = ClutterCategory::open;
    double clutter_height_m = 0.0;  // representative clutter height above ground
    std::string height_source;     // where clutter_height_m comes from
    double deciduous_share = 0.0;  // [0, 1] share of the class's trees that shed their leaves (bare season)
};

// The class -> clutter table. Class ids are 1..255 (0 is nodata).
class ClutterTable {
public:
    ClutterTable() = default;
    explicit ClutterTable(std::vector<ClutterClass> classes);
    // nullptr when the id is not in the table.
    [[nodiscard]] const ClutterClass* find(int class_id) const;
    [[nodiscard]] const std::vector<ClutterClass>& classes() const { return classes_; }

private:
    std::vector<ClutterClass> classes_;
    std::vector<int> index_ = std::vector<int>(256, -1);  // class id -> position in classes_
};

// The JAXA table shipped with dxplan (models/landcover/jaxa_hrlulc.csv).
[[nodiscard]] std::filesystem::path default_clutter_table_path();

// Reads a CSV table with columns class_id,jaxa_name,category,clutter_height_m,height_source and an optional
// deciduous_share (0 when absent; lines starting with '#' are comments). Throws InputError naming file:line and the bad field.
[[nodiscard]] ClutterTable load_clutter_table(const std::filesystem::path& csv);

// A land-cover raster cropped to an area, class 0 = nodata; samples looked up by nearest cell.
class LandCover {
public:
    LandCover() = default;
    LandCover(GeoGrid layout, std::vector<std::uint8_t> classes, ClutterTable table, std::string source);

    // Class of the cell containing p (0 = nodata). Throws InputError when p is outside the loaded area.
    [[nodiscard]] int class_at(LatLon p) const;
    // Clutter of the cell containing p; nullptr for nodata or a class missing from the table.
    [[nodiscard]] const ClutterClass* clutter_at(LatLon p) const;
    [[nodiscard]] bool contains(LatLon p) const;
    // Geometry of the class grid (values empty; the classes are in classes()).
    [[nodiscard]] const GeoGrid& layout() const { return layout_; }
    [[nodiscard]] const std::vector<std::uint8_t>& classes() const { return classes_; }
    [[nodiscard]] const ClutterTable& table() const { return table_; }
    [[nodiscard]] const std::string& source() const { return source_; }

private:
    GeoGrid layout_;
    std::vector<std::uint8_t> classes_;
    ClutterTable table_;
    std::string source_;
};

// Reads the classed raster `path` (e.g. the JAXA 250 m GeoTIFF, nodata 0) over `aoi` (the cells touching it).
// Rasters in another CRS are warped to EPSG:4326 by nearest neighbour. Throws InputError naming the file for a
// missing file, a raster without CRS, an AOI outside the raster, or a class value outside 0..255.
[[nodiscard]] LandCover load_land_cover(const std::filesystem::path& path, const GeoBox& aoi,
                                        const ClutterTable& table = load_clutter_table(default_clutter_table_path()));

}  // namespace dxplan
