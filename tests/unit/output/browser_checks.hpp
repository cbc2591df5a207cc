// Headless Chromium rendering of a report page and a decoded screenshot, shared by the report tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gdal_priv.h>

namespace dxplan::test {

// Debian's chromium (setup.sh installs it); empty when absent.
inline std::string find_chromium() {
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
        if (std::filesystem::exists(p)) return p;
    return "";
}

struct Rendered {
    int exit_code = -1;
    std::string log;  // chromium's stderr (console messages appear as ":CONSOLE(" lines)
    std::filesystem::path screenshot;
};

// Renders `html` at 1280 x height_px into `work_dir`/shot.png, offline, with a fresh profile.
inline Rendered render_in_chromium(const std::string& chromium, const std::filesystem::path& html,
                                   const std::filesystem::path& work_dir, int height_px = 7000) {
    std::filesystem::create_directories(work_dir);
    Rendered r;
    r.screenshot = work_dir / "shot.png";
    const auto log = work_dir / "chromium.log";
    const std::string cmd = chromium +
                            " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                            " --disable-background-networking --disable-component-update --disable-sync"
                            " --enable-logging=stderr --v=0 --user-data-dir=" + (work_dir / "profile").string() +
                            " --screenshot=" + r.screenshot.string() + " --window-size=1280," + std::to_string(height_px) +
                            " file://" + std::filesystem::absolute(html).string() + " >" + log.string() + " 2>&1";
    r.exit_code = std::system(cmd.c_str());
    std::ifstream in(log);
    std::stringstream ls;
    ls << in.rdbuf();
    r.log = ls.str();
    return r;
}

struct Shot {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> r, g, b;
};

// Decodes a PNG with GDAL (3 or 4 bands); width 0 when it cannot be read.
inline Shot read_png(const std::filesystem::path& file) {
    GDALAllRegister();
    Shot s;
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(file.c_str(), GA_ReadOnly));
    if (!ds) return s;
    if (ds->GetRasterCount() >= 3) {
        const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
        const std::size_t n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
        bool ok = true;
        for (auto [band, v] : {std::pair{1, &s.r}, std::pair{2, &s.g}, std::pair{3, &s.b}}) {
            v->resize(n);
            ok = ok && ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, w, h, v->data(), w, h, GDT_Byte, 0, 0) == CE_None;
        }
        if (ok) s.width = w, s.height = h;
    }
    GDALClose(ds);
    return s;
}

// Pixels within 3 levels of an RGB colour.
inline std::size_t count_colour(const Shot& s, int r, int g, int b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.r.size(); ++i)
        n += std::abs(s.r[i] - r) <= 3 && std::abs(s.g[i] - g) <= 3 && std::abs(s.b[i] - b) <= 3 ? 1 : 0;
    return n;
}

}  // namespace dxplan::test
