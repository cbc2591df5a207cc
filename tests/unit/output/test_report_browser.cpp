// The report renders in headless Chromium (Debian's `chromium`, installed by setup.sh) with no console
// messages, and a screenshot shows the map layers and the charts: pixels in the colours only they use.
// Skips with a message when chromium is absent.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <gdal_priv.h>

#include "libsim/output/report.hpp"
#include "report_fixture.hpp"

using namespace dxplan;

namespace {

std::string find_chromium() {
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
        if (std::filesystem::exists(p)) return p;
    return "";
}

struct Shot {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> r, g, b;
};

Shot read_png(const std::filesystem::path& file) {
    GDALAllRegister();
    Shot s;
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(file.c_str(), GA_ReadOnly));
    REQUIRE(ds != nullptr);
    s.width = ds->GetRasterXSize();
    s.height = ds->GetRasterYSize();
    REQUIRE(ds->GetRasterCount() >= 3);
    const std::size_t n = static_cast<std::size_t>(s.width) * static_cast<std::size_t>(s.height);
    for (auto [band, v] : {std::pair{1, &s.r}, std::pair{2, &s.g}, std::pair{3, &s.b}}) {
        v->resize(n);
        REQUIRE(ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, s.width, s.height, v->data(), s.width, s.height,
                                                  GDT_Byte, 0, 0) == CE_None);
    }
    GDALClose(ds);
    return s;
}

// Pixels within 3 levels of an RGB colour.
std::size_t count_colour(const Shot& s, int r, int g, int b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.r.size(); ++i)
        n += std::abs(s.r[i] - r) <= 3 && std::abs(s.g[i] - g) <= 3 && std::abs(s.b[i] - b) <= 3 ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("the report renders in headless Chromium with its map and charts", "[report][browser]") {
    const std::string chromium = find_chromium();
    if (chromium.empty()) {
        WARN("chromium not installed (setup.sh installs it): browser rendering test skipped");
        return;
    }
    for (output::Lang lang : {output::Lang::en, output::Lang::ja}) {
        const auto dir = std::filesystem::temp_directory_path() /
                         ("dxplan-test-report-browser-" + std::string(output::lang_code(lang)));
        std::filesystem::remove_all(dir);
        test::ReportFixture f;
        test::fill_report_fixture(f, dir);
        output::write_reports(dir, f.report, lang);
        const auto shot = dir / "shot.png";
        const auto log = dir / "chromium.log";
        const std::string cmd = chromium +
                                " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                                " --disable-background-networking --disable-component-update --disable-sync"
                                " --enable-logging=stderr --v=0 --user-data-dir=" + (dir / "profile").string() +
                                " --screenshot=" + shot.string() + " --window-size=1280,7000 file://" +
                                (dir / "report.html").string() + " >" + log.string() + " 2>&1";
        const int rc = std::system(cmd.c_str());
        std::ifstream in(log);
        std::stringstream ls;
        ls << in.rdbuf();
        const std::string stderr_text = ls.str();
        INFO("chromium output:\n" << stderr_text);
        REQUIRE(rc == 0);
        REQUIRE(std::filesystem::exists(shot));
        // No console messages at all (the page has no scripts: any would be an error such as a failed load).
        CHECK(stderr_text.find(":CONSOLE(") == std::string::npos);
        CHECK(stderr_text.find("Failed to load resource") == std::string::npos);

        const Shot s = read_png(shot);
        CHECK(s.width == 1280);
        std::size_t non_white = 0;
        for (std::size_t i = 0; i < s.r.size(); ++i) non_white += s.r[i] < 245 || s.g[i] < 245 || s.b[i] < 245 ? 1 : 0;
        const std::size_t sites = count_colour(s, 0xe4, 0x1a, 0x1c);     // base-station triangles
        const std::size_t covered = count_colour(s, 0x33, 0xa0, 0x2c);   // covered demand points
        const std::size_t links = count_colour(s, 0x1f, 0x5f, 0xbf);     // backhaul lines
        const std::size_t bars = count_colour(s, 0x4e, 0x79, 0xa7);      // first series of the charts
        const std::size_t orange = count_colour(s, 0xf2, 0x8e, 0x2b);    // second technology / after subsidy
        std::size_t png = 0;                                             // the embedded coverage image (B = 160)
        for (std::size_t i = 0; i < s.r.size(); ++i) png += s.b[i] == 160 && s.r[i] != s.g[i] ? 1 : 0;
        std::cout << "screenshot (" << output::lang_code(lang) << ") " << s.width << "x" << s.height << ": non-white "
                  << non_white << ", site " << sites << ", covered " << covered << ", link " << links << ", bar " << bars
                  << ", orange " << orange << ", coverage image " << png << " px\n";
        CHECK(non_white > 200'000u);
        CHECK(sites > 200u);      // 23 triangles of ~50 px
        CHECK(covered > 300u);    // demand dots
        CHECK(links > 300u);
        CHECK(bars > 5'000u);     // bars of the cash-flow, per-household, tornado and ranking charts
        CHECK(orange > 2'000u);
        CHECK(png > 50'000u);     // 520 px wide map background
    }
}
