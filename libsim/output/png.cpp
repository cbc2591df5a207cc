#include "libsim/output/png.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <string>

#include <cpl_vsi.h>
#include <gdal_priv.h>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"

namespace dxplan::output {

ColorRamp loss_ramp() {
    return {"Path loss", "dB",
            {{80, 215, 25, 28}, {110, 253, 174, 97}, {140, 255, 255, 191}, {170, 171, 217, 233}, {200, 44, 123, 182}}};
}

ColorRamp power_ramp() {
    return {"Received power", "dBm",
            {{-130, 44, 123, 182}, {-110, 171, 217, 233}, {-90, 255, 255, 191}, {-70, 253, 174, 97}, {-40, 215, 25, 28}}};
}

ColorRamp sinr_ramp() {
    return {"SINR", "dB",
            {{-10, 44, 123, 182}, {0, 171, 217, 233}, {10, 255, 255, 191}, {20, 253, 174, 97}, {30, 215, 25, 28}}};
}

ColorRamp server_ramp(std::size_t n_cells) {
    static constexpr std::uint8_t kPalette[8][3] = {{228, 26, 28},  {55, 126, 184},  {77, 175, 74},  {152, 78, 163},
                                                    {255, 127, 0},  {255, 255, 51}, {166, 86, 40},  {247, 129, 191}};
    ColorRamp ramp{"Best server", "cell", {}};
    for (std::size_t i = 0; i < std::max<std::size_t>(n_cells, 1); ++i) {
        const auto& c = kPalette[i % 8];
        ramp.stops.push_back({static_cast<double>(i), c[0], c[1], c[2]});
    }
    return ramp;
}

Image colorize(const GeoGrid& values, const ColorRamp& ramp) {
    if (ramp.stops.empty()) throw InputError("colour ramp '" + ramp.title + "' has no stops");
    Image img{values.cols, values.rows, std::vector<std::uint8_t>(values.values.size() * 4, 0)};
    const auto& s = ramp.stops;
    for (std::size_t i = 0; i < values.values.size(); ++i) {
        const float v = values.values[i];
        if (std::isnan(v)) continue;
        std::size_t k = 0;
        while (k + 1 < s.size() && v > s[k + 1].value) ++k;
        const ColorStop& a = s[k];
        const ColorStop& b = s[std::min(k + 1, s.size() - 1)];
        const double t = b.value > a.value ? std::clamp((v - a.value) / (b.value - a.value), 0.0, 1.0) : 0.0;
        std::uint8_t* p = img.rgba.data() + 4 * i;
        p[0] = static_cast<std::uint8_t>(std::lround(a.r + t * (b.r - a.r)));
        p[1] = static_cast<std::uint8_t>(std::lround(a.g + t * (b.g - a.g)));
        p[2] = static_cast<std::uint8_t>(std::lround(a.b + t * (b.b - a.b)));
        p[3] = 255;
    }
    return img;
}

std::vector<std::uint8_t> hillshade(const Terrain& terrain, const GeoGrid& grid) {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(grid.rows) * grid.cols, 128);
    const double az = deg_to_rad(315.0), alt = deg_to_rad(45.0);
    // The terrain height at every pixel centre, read once (0 off the terrain); edges replicated.
    std::vector<double> z_m(static_cast<std::size_t>(grid.rows) * grid.cols);
    for (int r = 0; r < grid.rows; ++r)
        for (int c = 0; c < grid.cols; ++c) {
            const LatLon p{grid.north_deg - r * grid.dlat_deg, grid.west_deg + c * grid.dlon_deg};
            z_m[static_cast<std::size_t>(r) * grid.cols + c] = terrain.contains(p) ? terrain.height_m(p) : 0.0;
        }
    const auto z = [&](int r, int c) {
        return z_m[static_cast<std::size_t>(std::clamp(r, 0, grid.rows - 1)) * grid.cols + std::clamp(c, 0, grid.cols - 1)];
    };
    for (int r = 0; r < grid.rows; ++r) {
        const double lat = grid.north_deg - r * grid.dlat_deg;
        const double dy_m = deg_to_rad(grid.dlat_deg) * kEarthRadiusMean_m;
        const double dx_m = deg_to_rad(grid.dlon_deg) * kEarthRadiusMean_m * std::cos(deg_to_rad(lat));
        for (int c = 0; c < grid.cols; ++c) {
            // Horn (1981) 3x3 gradient; x east, y north.
            const double dzdx = ((z(r - 1, c + 1) + 2 * z(r, c + 1) + z(r + 1, c + 1)) -
                                 (z(r - 1, c - 1) + 2 * z(r, c - 1) + z(r + 1, c - 1))) / (8 * dx_m);
            const double dzdy = ((z(r - 1, c - 1) + 2 * z(r - 1, c) + z(r - 1, c + 1)) -
                                 (z(r + 1, c - 1) + 2 * z(r + 1, c) + z(r + 1, c + 1))) / (8 * dy_m);
            const double slope = std::atan(std::hypot(dzdx, dzdy));
            const double aspect = std::atan2(-dzdx, -dzdy);  // direction the slope faces, clockwise from north
            const double shade = std::sin(alt) * std::cos(slope) + std::cos(alt) * std::sin(slope) * std::cos(az - aspect);
            out[static_cast<std::size_t>(r) * grid.cols + c] = static_cast<std::uint8_t>(std::lround(255 * std::clamp(shade, 0.0, 1.0)));
        }
    }
    return out;
}

std::vector<std::uint8_t> encode_png(const Image& img) {
    GDALAllRegister();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    if (!mem || !png) throw InternalError("GDAL has no MEM or PNG driver");
    std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(mem->Create("", img.width, img.height, 4, GDT_Byte, nullptr),
                                                             [](GDALDataset* d) { GDALClose(d); });
    if (!ds) throw InternalError("GDAL MEM dataset");
    for (int b = 0; b < 4; ++b) {
        if (ds->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, 0, img.width, img.height,
                                               const_cast<std::uint8_t*>(img.rgba.data()) + b, img.width, img.height,
                                               GDT_Byte, 4, 4 * img.width, nullptr) != CE_None)
            throw InternalError("GDAL MEM write");
    }
    const std::string vsi = "/vsimem/dxplan_png_" + std::to_string(reinterpret_cast<std::uintptr_t>(&img)) + ".png";
    GDALDataset* out = png->CreateCopy(vsi.c_str(), ds.get(), FALSE, nullptr, nullptr, nullptr);
    if (!out) throw InternalError("GDAL PNG encode");
    GDALClose(out);
    vsi_l_offset size = 0;
    GByte* data = VSIGetMemFileBuffer(vsi.c_str(), &size, TRUE);
    std::vector<std::uint8_t> bytes(data, data + size);
    CPLFree(data);
    return bytes;
}

void write_png_over_hillshade(const std::filesystem::path& path, const GeoGrid& values, const ColorRamp& ramp,
                              const Terrain& terrain) {
    Image img = colorize(values, ramp);
    const std::vector<std::uint8_t> shade = hillshade(terrain, values);
    constexpr double kAlpha = 0.6;
    for (std::size_t i = 0; i < shade.size(); ++i) {
        std::uint8_t* p = img.rgba.data() + 4 * i;
        const double a = p[3] ? kAlpha : 0.0;
        for (int k = 0; k < 3; ++k) p[k] = static_cast<std::uint8_t>(std::lround(a * p[k] + (1 - a) * shade[i]));
        p[3] = 255;
    }
    const std::vector<std::uint8_t> bytes = encode_png(img);
    write_atomically(path, [&](const std::filesystem::path& tmp) {
        std::ofstream f(tmp, std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!f.flush()) throw InputError(path.string() + ": cannot write PNG");
    });
}

}  // namespace dxplan::output
