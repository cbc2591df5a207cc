#include "libsim/terrain/land_cover.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "libsim/core/error.hpp"
#include "libsim/terrain/gdal_source.hpp"
#include "libsim/terrain/terrain_internal.hpp"
#include "libsim/core/data_dir.hpp"

namespace dxplan {

namespace {

using detail::kEdgeSlack_deg;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

std::string_view to_string(ClutterCategory c) {
    switch (c) {
        case ClutterCategory::water: return "water";
        case ClutterCategory::open: return "open";
        case ClutterCategory::cropland: return "cropland";
        case ClutterCategory::forest: return "forest";
        case ClutterCategory::suburban: return "suburban";
        case ClutterCategory::urban: return "urban";
    }
    return "unknown";
}

ClutterTable::ClutterTable(std::vector<ClutterClass> classes) : classes_(std::move(classes)) {
    for (std::size_t i = 0; i < classes_.size(); ++i) {
        const int id = classes_[i].class_id;
        if (id < 1 || id > 255) throw InputError("clutter table: class_id " + std::to_string(id) + " must be in [1, 255]");
        if (index_[static_cast<std::size_t>(id)] >= 0) {
            throw InputError("clutter table: class_id " + std::to_string(id) + " is listed twice");
        }
        index_[static_cast<std::size_t>(id)] = static_cast<int>(i);
    }
}

const ClutterClass* ClutterTable::find(int class_id) const {
    if (class_id < 0 || class_id > 255) return nullptr;
    const int i = index_[static_cast<std::size_t>(class_id)];
    return i < 0 ? nullptr : &classes_[static_cast<std::size_t>(i)];
}

std::filesystem::path default_clutter_table_path() {
    return data_dir() / "models" / "landcover" / "jaxa_hrlulc.csv";
}

ClutterTable load_clutter_table(const std::filesystem::path& csv) {
    std::ifstream in(csv);
    if (!in) throw InputError(csv.string() + ": file not found");
    std::vector<ClutterClass> classes;
    std::string line;
    bool header_seen = false;
    std::size_t columns = 5;
    for (int line_no = 1; std::getline(in, line); ++line_no) {
        const std::string where = csv.string() + ":" + std::to_string(line_no) + ": ";
        if (trim(line).empty() || trim(line)[0] == '#') continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string field; std::getline(ss, field, ',');) f.push_back(trim(field));
        if (trim(line).back() == ',') f.emplace_back();  // getline drops a trailing empty field
        if (!header_seen) {
            std::vector<std::string> expected = {"class_id", "jaxa_name", "category", "clutter_height_m", "height_source"};
            if (f.size() == 6) {  // optional sixth column
                expected.emplace_back("deciduous_share");
                columns = 6;
            }
            if (f != expected) {
                throw InputError(where + "header must be class_id,jaxa_name,category,clutter_height_m,height_source"
                                         "[,deciduous_share]");
            }
            header_seen = true;
            continue;
        }
        if (f.size() != columns)
            throw InputError(where + "expected " + std::to_string(columns) + " comma-separated fields, found " +
                             std::to_string(f.size()));
        ClutterClass c;
        std::size_t used = 0;
        try {
            c.class_id = std::stoi(f[0], &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != f[0].size() || c.class_id < 1 || c.class_id > 255) {
            throw InputError(where + "class_id = '" + f[0] + "': must be an integer in [1, 255]");
        }
        c.name = f[1];
        static constexpr ClutterCategory kAll[] = {ClutterCategory::water,  ClutterCategory::open,
                                                  ClutterCategory::cropland, ClutterCategory::forest,
                                                  ClutterCategory::suburban, ClutterCategory::urban};
        const auto* cat = std::find_if(std::begin(kAll), std::end(kAll), [&](ClutterCategory k) { return to_string(k) == f[2]; });
        if (cat == std::end(kAll)) {
            throw InputError(where + "category = '" + f[2] + "': must be one of water, open, cropland, forest, suburban, urban");
        }
        c.category = *cat;
        try {
            c.clutter_height_m = std::stod(f[3], &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != f[3].size() || !(c.clutter_height_m >= 0 && c.clutter_height_m <= 100)) {
            throw InputError(where + "clutter_height_m = '" + f[3] + "': must be a number in [0, 100] m");
        }
        if (f[4].empty()) throw InputError(where + "height_source is empty: say where the height comes from");
        c.height_source = f[4];
        if (columns == 6) {
            try {
                c.deciduous_share = std::stod(f[5], &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != f[5].size() || !(c.deciduous_share >= 0 && c.deciduous_share <= 1))
                throw InputError(where + "deciduous_share = '" + f[5] + "': must be a number in [0, 1]");
        }
        classes.push_back(std::move(c));
    }
    if (classes.empty()) throw InputError(csv.string() + ": no class rows");
    try {
        return ClutterTable(std::move(classes));
    } catch (const InputError& e) {
        throw InputError(csv.string() + ": " + e.what());
    }
}

LandCover::LandCover(GeoGrid layout, std::vector<std::uint8_t> classes, ClutterTable table, std::string source)
    : layout_(std::move(layout)), classes_(std::move(classes)), table_(std::move(table)), source_(std::move(source)) {}

bool LandCover::contains(LatLon p) const {
    const GeoBox b = layout_.bounds();
    return layout_.rows > 0 && p.lat_deg >= b.south_deg - kEdgeSlack_deg && p.lat_deg <= b.north_deg + kEdgeSlack_deg &&
           p.lon_deg >= b.west_deg - kEdgeSlack_deg && p.lon_deg <= b.east_deg + kEdgeSlack_deg;
}

int LandCover::class_at(LatLon p) const {
    if (!contains(p)) {
        std::ostringstream os;
        os.precision(8);
        const GeoBox b = layout_.bounds();
        os << "point " << p.lat_deg << "," << p.lon_deg << " is outside the land cover loaded from " << source_
           << " (lat " << b.south_deg << ".." << b.north_deg << ", lon " << b.west_deg << ".." << b.east_deg << ")";
        throw InputError(os.str());
    }
    const int r = std::clamp(static_cast<int>(std::lround((layout_.north_deg - p.lat_deg) / layout_.dlat_deg)), 0,
                             layout_.rows - 1);
    const int c = std::clamp(static_cast<int>(std::lround((p.lon_deg - layout_.west_deg) / layout_.dlon_deg)), 0,
                             layout_.cols - 1);
    return classes_[static_cast<std::size_t>(r) * layout_.cols + c];
}

const ClutterClass* LandCover::clutter_at(LatLon p) const { return table_.find(class_at(p)); }

LandCover load_land_cover(const std::filesystem::path& path, const GeoBox& aoi, const ClutterTable& table) {
    const detail::GdalSource src(path, detail::Resampling::nearest);
    const GeoGrid& g = src.layout();
    const GeoBox all = g.bounds();
    if (!(aoi.south_deg < aoi.north_deg && aoi.west_deg < aoi.east_deg) || aoi.south_deg < all.south_deg - kEdgeSlack_deg ||
        aoi.north_deg > all.north_deg + kEdgeSlack_deg || aoi.west_deg < all.west_deg - kEdgeSlack_deg ||
        aoi.east_deg > all.east_deg + kEdgeSlack_deg) {
        std::ostringstream os;
        os.precision(8);
        os << path.string() << ": AOI lat " << aoi.south_deg << ".." << aoi.north_deg << ", lon " << aoi.west_deg << ".."
           << aoi.east_deg << " is empty or outside the land cover (lat " << all.south_deg << ".." << all.north_deg
           << ", lon " << all.west_deg << ".." << all.east_deg << ")";
        throw InputError(os.str());
    }
    // Cells whose area touches the AOI.
    const int r0 = std::clamp(static_cast<int>(std::floor((g.north_deg + g.dlat_deg / 2 - aoi.north_deg) / g.dlat_deg)), 0, g.rows - 1);
    const int r1 = std::clamp(static_cast<int>(std::floor((g.north_deg + g.dlat_deg / 2 - aoi.south_deg) / g.dlat_deg)), 0, g.rows - 1);
    const int c0 = std::clamp(static_cast<int>(std::floor((aoi.west_deg - (g.west_deg - g.dlon_deg / 2)) / g.dlon_deg)), 0, g.cols - 1);
    const int c1 = std::clamp(static_cast<int>(std::floor((aoi.east_deg - (g.west_deg - g.dlon_deg / 2)) / g.dlon_deg)), 0, g.cols - 1);
    GeoGrid win = src.read(r0, c0, r1 - r0 + 1, c1 - c0 + 1);
    std::vector<std::uint8_t> classes(win.values.size(), 0);
    for (std::size_t i = 0; i < win.values.size(); ++i) {
        const float v = win.values[i];
        if (std::isnan(v)) continue;  // nodata -> class 0
        if (v < 0 || v > 255 || v != std::floor(v)) {
            throw InputError(path.string() + ": value " + std::to_string(v) + " is not a land-cover class in [0, 255]");
        }
        classes[i] = static_cast<std::uint8_t>(v);
    }
    win.values.clear();
    return LandCover(std::move(win), std::move(classes), table, path.string());
}

}  // namespace dxplan
