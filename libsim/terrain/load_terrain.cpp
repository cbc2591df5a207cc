// dxplan terrain: mosaic, crop and void filling of DEM rasters (GDAL access is in gdal_source.cpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "libsim/core/error.hpp"
#include "libsim/core/memory.hpp"
#include "libsim/terrain/gdal_source.hpp"
#include "libsim/terrain/terrain.hpp"
#include "libsim/terrain/terrain_internal.hpp"

namespace dxplan {

namespace {

inline constexpr double kLatticeSlack = 1e-6;  // in cells: sample lines that agree to this are the same line
using detail::describe;
using detail::kEdgeSlack_deg;

// Source sample position of each target line: index of the line at or before it and the weight of the next.
struct Axis {
    std::vector<int> i0;
    std::vector<double> t;
};

// Positions of target lines `first + k * step` (k < n) in a source axis `src0 + j * src_step` (j < src_n);
// i0 = -1 marks a target line outside the source.
Axis map_axis(double first, double step, int n, double src0, double src_step, int src_n) {
    Axis a{std::vector<int>(n, -1), std::vector<double>(n, 0.0)};
    for (int k = 0; k < n; ++k) {
        const double f = (first + k * step - src0) / src_step;
        if (f < -kLatticeSlack || f > src_n - 1 + kLatticeSlack) continue;
        const double fr = std::round(f);
        if (std::abs(f - fr) < kLatticeSlack) {
            a.i0[k] = static_cast<int>(fr);  // on a source line: exact copy
            a.t[k] = 0.0;
        } else {
            a.i0[k] = std::clamp(static_cast<int>(std::floor(f)), 0, src_n - 2);
            a.t[k] = f - a.i0[k];
        }
    }
    return a;
}

// The mosaic's memory, estimated before it is allocated: float32 heights, one coverage byte and the void
// filler's 4 bytes per cell (9 bytes per cell). Tiles far apart without an area of interest make a mosaic
// spanning the gap: said as such.
void require_mosaic_memory(const GeoGrid& grid, const std::vector<detail::GdalSource>& sources, const TerrainOptions& o) {
    const double cells = static_cast<double>(grid.rows) * static_cast<double>(grid.cols);
    double tile_cells = 0.0;
    for (const auto& s : sources) tile_cells += static_cast<double>(s.layout().rows) * s.layout().cols;
    std::string fix = "give a smaller area_of_interest or terrain.margin_m";
    if (!o.aoi)
        fix = sources.size() > 1 && cells > 2.0 * tile_cells
                  ? "tiles are not adjacent; give an area_of_interest"
                  : "give an area_of_interest, or fewer or coarser tiles";
    o.memory.require(9.0 * cells, "the DEM mosaic of " + std::to_string(grid.rows) + " x " +
                                      std::to_string(grid.cols) + " samples", fix);
}

}  // namespace

Terrain load_terrain(std::span<const std::filesystem::path> files, const TerrainOptions& options) {
    if (files.empty()) throw InputError("terrain: no DEM file given");
    std::vector<detail::GdalSource> sources;
    std::vector<std::string> names;
    for (const auto& f : files) {
        sources.emplace_back(f, detail::Resampling::bilinear);
        names.push_back(f.string());
    }
    std::string what = names.front();
    for (std::size_t i = 1; i < names.size(); ++i) what += "+" + names[i];

    // The output lattice: the finest source's sample lines, over the union of the sources' centres.
    const GeoGrid* ref = &sources.front().layout();
    GeoBox all = ref->centres();
    for (const auto& s : sources) {
        const GeoGrid& g = s.layout();
        if (g.dlat_deg * g.dlon_deg < ref->dlat_deg * ref->dlon_deg) ref = &g;
        const GeoBox c = g.centres();
        all = {std::min(all.south_deg, c.south_deg), std::min(all.west_deg, c.west_deg),
               std::max(all.north_deg, c.north_deg), std::max(all.east_deg, c.east_deg)};
    }
    GeoBox box = all;
    if (options.aoi) {
        const GeoBox& aoi = *options.aoi;
        if (!(aoi.south_deg < aoi.north_deg && aoi.west_deg < aoi.east_deg && aoi.south_deg >= -90 &&
              aoi.north_deg <= 90)) {
            throw InputError("terrain: AOI " + describe(aoi) + " is empty or invalid (need south < north, west < east)");
        }
        if (aoi.south_deg < all.south_deg - kEdgeSlack_deg || aoi.north_deg > all.north_deg + kEdgeSlack_deg ||
            aoi.west_deg < all.west_deg - kEdgeSlack_deg || aoi.east_deg > all.east_deg + kEdgeSlack_deg) {
            throw InputError("terrain: AOI " + describe(aoi) + " is outside the DEM data (" + what + " covers " +
                             describe(all) + ")");
        }
        if (options.margin_m < 0) throw InputError("terrain: margin_m must be >= 0");
        const GeoBox grown = expand_box(aoi, options.margin_m);
        box = {std::max(grown.south_deg, all.south_deg), std::max(grown.west_deg, all.west_deg),
               std::min(grown.north_deg, all.north_deg), std::min(grown.east_deg, all.east_deg)};
    }
    const double dlat = ref->dlat_deg;
    const double dlon = ref->dlon_deg;
    // Lattice lines covering `box` (rounded outwards), kept inside the data.
    int r_lo = static_cast<int>(std::floor((ref->north_deg - box.north_deg) / dlat + kLatticeSlack));
    int r_hi = static_cast<int>(std::ceil((ref->north_deg - box.south_deg) / dlat - kLatticeSlack));
    int c_lo = static_cast<int>(std::floor((box.west_deg - ref->west_deg) / dlon + kLatticeSlack));
    int c_hi = static_cast<int>(std::ceil((box.east_deg - ref->west_deg) / dlon - kLatticeSlack));
    if (ref->north_deg - r_lo * dlat > all.north_deg + kLatticeSlack * dlat) ++r_lo;
    if (ref->north_deg - r_hi * dlat < all.south_deg - kLatticeSlack * dlat) --r_hi;
    if (ref->west_deg + c_lo * dlon < all.west_deg - kLatticeSlack * dlon) ++c_lo;
    if (ref->west_deg + c_hi * dlon > all.east_deg + kLatticeSlack * dlon) --c_hi;

    GeoGrid grid;
    grid.rows = r_hi - r_lo + 1;
    grid.cols = c_hi - c_lo + 1;
    grid.dlat_deg = dlat;
    grid.dlon_deg = dlon;
    grid.north_deg = ref->north_deg - r_lo * dlat;
    grid.west_deg = ref->west_deg + c_lo * dlon;
    if (grid.rows < 2 || grid.cols < 2) {
        throw InputError("terrain: the area " + describe(box) + " holds fewer than 2 x 2 samples of " + what);
    }
    require_mosaic_memory(grid, sources, options);
    const auto nan = std::numeric_limits<float>::quiet_NaN();
    reserve_huge(grid.values, static_cast<std::size_t>(grid.rows) * grid.cols);
    grid.values.assign(static_cast<std::size_t>(grid.rows) * grid.cols, nan);
    std::vector<std::uint8_t> covered;
    reserve_huge(covered, grid.values.size());
    covered.assign(grid.values.size(), 0);

    for (const auto& s : sources) {
        const GeoGrid& g = s.layout();
        // Source rows run south with latitude: map target rows as positions from the source's north line.
        const Axis rows = map_axis(g.north_deg - grid.north_deg, dlat, grid.rows, 0.0, g.dlat_deg, g.rows);
        const Axis cols = map_axis(grid.west_deg, dlon, grid.cols, g.west_deg, g.dlon_deg, g.cols);
        int sr0 = g.rows, sr1 = -1, sc0 = g.cols, sc1 = -1;
        for (int r : rows.i0) if (r >= 0) sr0 = std::min(sr0, r), sr1 = std::max(sr1, std::min(r + 1, g.rows - 1));
        for (int c : cols.i0) if (c >= 0) sc0 = std::min(sc0, c), sc1 = std::max(sc1, std::min(c + 1, g.cols - 1));
        if (sr1 < 0 || sc1 < 0) continue;  // this tile is outside the crop
        const GeoGrid win = s.read(sr0, sc0, sr1 - sr0 + 1, sc1 - sc0 + 1);
        for (int r = 0; r < grid.rows; ++r) {
            if (rows.i0[r] < 0) continue;
            const int wr = rows.i0[r] - sr0;
            const double tr = rows.t[r];
            for (int c = 0; c < grid.cols; ++c) {
                if (cols.i0[c] < 0) continue;
                const std::size_t i = static_cast<std::size_t>(r) * grid.cols + c;
                if (covered[i] && !std::isnan(grid.values[i])) continue;  // an earlier tile has it
                const int wc = cols.i0[c] - sc0;
                const double tc = cols.t[c];
                float z = win.at(wr, wc);
                if (tr > 0 || tc > 0) {  // between source lines: bilinear unless a corner is void
                    const float z01 = win.at(wr, wc + (tc > 0));
                    const float z10 = win.at(wr + (tr > 0), wc);
                    const float z11 = win.at(wr + (tr > 0), wc + (tc > 0));
                    if (!std::isnan(z) && !std::isnan(z01) && !std::isnan(z10) && !std::isnan(z11)) {
                        z = static_cast<float>((1 - tr) * ((1 - tc) * z + tc * z01) + tr * ((1 - tc) * z10 + tc * z11));
                    } else {
                        z = win.at(wr + (tr >= 0.5), wc + (tc >= 0.5));
                    }
                }
                grid.values[i] = z;
                covered[i] = 1;
            }
        }
    }
    for (int r = 0; r < grid.rows; ++r) {
        for (int c = 0; c < grid.cols; ++c) {
            if (!covered[static_cast<std::size_t>(r) * grid.cols + c]) {
                std::ostringstream os;
                os.precision(8);
                os << "terrain: " << what << " leave a gap at " << grid.north_deg - r * dlat << ","
                   << grid.west_deg + c * dlon << " (tiles must cover the area without holes)";
                throw InputError(os.str());
            }
        }
    }
    const VoidReport voids = fill_voids(grid, options.max_fill_cells, what);
    return Terrain(std::move(grid), voids, std::move(names));
}

}  // namespace dxplan
