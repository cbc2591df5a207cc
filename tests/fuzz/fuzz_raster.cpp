// Fuzz target: a DEM through GDAL into libsim/terrain (load_terrain: open, header checks, CRS, geotransform,
// read, void filling). The first byte chooses the file name GDAL sees (SRTM tile name, GeoTIFF, Arc/Info
// ASCII grid); the rest is the file. GDAL picks the driver from the content, the name only helps SRTM.
// The file is on tmpfs rather than in GDAL's /vsimem/: the terrain layer checks that a DEM is a regular file
// before GDAL opens it (a deliberate check, issue 15 item 4), so a /vsimem/ name would stop there.
#include <array>

#include "libsim/terrain/terrain.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

void raster(Bytes data) {
    if (data.empty()) return;
    static constexpr std::array<const char*, 3> names = {"N35E138.hgt", "dem.tif", "dem.asc"};
    const std::array<std::filesystem::path, 1> files = {write_input(data.subspan(1), names[data[0] % names.size()])};
    const Terrain t = load_terrain(files);
    (void)t;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(raster)
