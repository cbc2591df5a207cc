// dxplan output: quick-look PNG of a coverage raster over a hillshade of the terrain, and the colour ramps
// shared with the KMZ overlay (kmz.hpp). GDAL's PNG driver writes the file (GDAL stays in the .cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "libsim/terrain/terrain.hpp"

namespace dxplan::output {

struct ColorStop {
    double value = 0.0;
    std::uint8_t r = 0, g = 0, b = 0;
};

// Stops in ascending value; colours are linear between stops and clamped outside.
struct ColorRamp {
    std::string title;  // e.g. "Path loss"
    std::string unit;   // e.g. "dB"
    std::vector<ColorStop> stops;
};

ColorRamp loss_ramp();   // basic transmission loss, 80 (red) .. 200 dB (blue)
ColorRamp power_ramp();  // received power, -130 (blue) .. -40 dBm (red)
ColorRamp sinr_ramp();   // SINR / SNR, -10 (blue) .. 30 dB (red)
// Best-server cell index 0 .. n_cells - 1: one stop per cell from a palette of 8 colours (repeated beyond 8).
ColorRamp server_ramp(std::size_t n_cells);

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  // row-major, 4 bytes per pixel
};

// The raster in colour, transparent where NaN.
Image colorize(const GeoGrid& values, const ColorRamp& ramp);

// Hillshade of the terrain at the raster's pixel centres, 0..255: Horn's gradient (B. K. P. Horn, "Hill shading
// and the reflectance map", Proc. IEEE 69(1), 1981, eq. for the 3x3 finite difference), sun at azimuth 315 deg,
// altitude 45 deg; lambertian reflectance cos(i) = sin(alt) cos(slope) + cos(alt) sin(slope) cos(az - aspect).
std::vector<std::uint8_t> hillshade(const Terrain& terrain, const GeoGrid& grid);

// The coloured raster blended (alpha 0.6) over the hillshade, written atomically as PNG.
void write_png_over_hillshade(const std::filesystem::path& path, const GeoGrid& values, const ColorRamp& ramp,
                              const Terrain& terrain);

// PNG bytes of an image (used by the KMZ writer).
std::vector<std::uint8_t> encode_png(const Image& image);

}  // namespace dxplan::output
