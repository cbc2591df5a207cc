#include "libsim/output/kmz.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <cpl_vsi.h>
#include <gdal_priv.h>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"

namespace dxplan::output {

namespace {

// 3x5 glyphs for "0123456789-.", one row per 3 bits (MSB left).
constexpr std::array<std::array<std::uint8_t, 5>, 12> kGlyphs = {{
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7},
    {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}, {0, 0, 7, 0, 0}, {0, 0, 0, 0, 2},
}};

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += ch;
        }
    }
    return out;
}

void put(VSILFILE* zip_entry, const void* data, std::size_t size, const std::string& what) {
    if (VSIFWriteL(data, 1, size, zip_entry) != size) throw InputError("cannot write " + what);
}

}  // namespace

Image legend_image(const ColorRamp& ramp) {
    constexpr int kScale = 2, kSwatch = 16, kRowH = 20, kPad = 4, kChars = 5;
    const int width = kPad + kSwatch + kPad + kChars * 4 * kScale + kPad;
    const int height = kPad + static_cast<int>(ramp.stops.size()) * kRowH + kPad;
    Image img{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 4, 255)};
    auto px = [&](int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
        std::uint8_t* p = img.rgba.data() + 4 * (static_cast<std::size_t>(y) * width + x);
        p[0] = r, p[1] = g, p[2] = b, p[3] = 255;
    };
    for (std::size_t k = 0; k < ramp.stops.size(); ++k) {
        const ColorStop& s = ramp.stops[ramp.stops.size() - 1 - k];  // highest value on top
        const int y0 = kPad + static_cast<int>(k) * kRowH;
        for (int y = 0; y < kSwatch; ++y)
            for (int x = 0; x < kSwatch; ++x) px(kPad + x, y0 + y, s.r, s.g, s.b);
        char text[16];
        std::snprintf(text, sizeof text, "%.0f", s.value);
        int x = kPad + kSwatch + kPad;
        for (const char* c = text; *c && c - text < kChars; ++c, x += 4 * kScale) {
            const int gi = (*c >= '0' && *c <= '9') ? *c - '0' : (*c == '-' ? 10 : 11);
            for (int gy = 0; gy < 5; ++gy)
                for (int gx = 0; gx < 3; ++gx)
                    if (kGlyphs[static_cast<std::size_t>(gi)][static_cast<std::size_t>(gy)] & (4 >> gx))
                        for (int sy = 0; sy < kScale; ++sy)
                            for (int sx = 0; sx < kScale; ++sx)
                                px(x + gx * kScale + sx, y0 + 3 + gy * kScale + sy, 0, 0, 0);
        }
    }
    return img;
}

void write_kmz(const std::filesystem::path& path, const GeoGrid& values, const ColorRamp& ramp, const std::string& name) {
    const std::vector<std::uint8_t> overlay = encode_png(colorize(values, ramp));
    const std::vector<std::uint8_t> legend = encode_png(legend_image(ramp));
    const GeoBox b = values.bounds();
    std::ostringstream kml;
    kml.precision(10);
    const std::string title = xml_escape(name), legend_title = xml_escape(ramp.title + " (" + ramp.unit + ")");
    kml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
        << "<name>" << title << "</name>\n<GroundOverlay>\n<name>" << title << "</name>\n<color>b3ffffff</color>\n"
        << "<Icon><href>overlay.png</href></Icon>\n<LatLonBox><north>" << b.north_deg << "</north><south>"
        << b.south_deg << "</south><east>" << b.east_deg << "</east><west>" << b.west_deg
        << "</west></LatLonBox>\n</GroundOverlay>\n<ScreenOverlay>\n<name>" << legend_title << "</name>\n"
        << "<Icon><href>legend.png</href></Icon>\n"
        << "<overlayXY x=\"0\" y=\"1\" xunits=\"fraction\" yunits=\"fraction\"/>\n"
        << "<screenXY x=\"0.01\" y=\"0.99\" xunits=\"fraction\" yunits=\"fraction\"/>\n"
        << "<size x=\"0\" y=\"0\" xunits=\"pixels\" yunits=\"pixels\"/>\n</ScreenOverlay>\n</Document>\n</kml>\n";
    const std::string doc = kml.str();

    write_atomically(path, [&](const std::filesystem::path& tmp) {
        const std::string zip = "/vsizip/{" + tmp.string() + "}/";
        const std::pair<const char*, std::pair<const void*, std::size_t>> entries[] = {
            {"doc.kml", {doc.data(), doc.size()}},  // first entry: the root document
            {"overlay.png", {overlay.data(), overlay.size()}},
            {"legend.png", {legend.data(), legend.size()}},
        };
        for (const auto& [entry, bytes] : entries) {
            VSILFILE* f = VSIFOpenL((zip + entry).c_str(), "wb");
            if (!f) throw InputError(path.string() + ": cannot create KMZ entry " + entry);
            try {
                put(f, bytes.first, bytes.second, path.string() + " (" + entry + ")");
            } catch (...) {
                VSIFCloseL(f);
                throw;
            }
            if (VSIFCloseL(f) != 0) throw InputError(path.string() + ": cannot write KMZ entry " + entry);
        }
    });
}

}  // namespace dxplan::output
