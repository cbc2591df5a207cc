// The report renders in headless Chromium (Debian's `chromium`, installed by setup.sh) with no console
// messages, and a screenshot shows the map layers and the charts: pixels in the colours only they use.
// Skips with a message when chromium is absent.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include "browser_checks.hpp"
#include "libsim/output/report.hpp"
#include "report_fixture.hpp"
#include "tests/skip.hpp"

using namespace dxplan;

TEST_CASE("the report renders in headless Chromium with its map and charts", "[report][browser]") {
    const std::string chromium = test::find_chromium();
    if (chromium.empty()) return dxplan::test::skip("chromium not installed (setup.sh installs it): browser rendering test skipped");
    for (output::Lang lang : {output::Lang::en, output::Lang::ja}) {
        const auto dir = std::filesystem::temp_directory_path() /
                         ("dxplan-test-report-browser-" + std::string(output::lang_code(lang)));
        std::filesystem::remove_all(dir);
        test::ReportFixture f;
        test::fill_report_fixture(f, dir);
        output::write_reports(dir, f.report, lang);
        const test::Rendered run = test::render_in_chromium(chromium, dir / "report.html", dir, 14000);  // tall enough for every chart (the comparison table grew)
        INFO("chromium output:\n" << run.log);
        REQUIRE(run.exit_code == 0);
        REQUIRE(std::filesystem::exists(run.screenshot));
        // No console messages at all (the page has no scripts: any would be an error such as a failed load).
        CHECK(run.log.find(":CONSOLE(") == std::string::npos);
        CHECK(run.log.find("Failed to load resource") == std::string::npos);

        const test::Shot s = test::read_png(run.screenshot);
        CHECK(s.width == 1280);
        std::size_t non_white = 0;
        for (std::size_t i = 0; i < s.r.size(); ++i) non_white += s.r[i] < 245 || s.g[i] < 245 || s.b[i] < 245 ? 1 : 0;
        const std::size_t sites = test::count_colour(s, 0xe4, 0x1a, 0x1c);    // base-station triangles
        const std::size_t covered = test::count_colour(s, 0x33, 0xa0, 0x2c);  // covered demand points
        const std::size_t links = test::count_colour(s, 0x1f, 0x5f, 0xbf);    // backhaul lines
        const std::size_t bars = test::count_colour(s, 0x4e, 0x79, 0xa7);     // first series of the charts
        const std::size_t orange = test::count_colour(s, 0xf2, 0x8e, 0x2b);   // second technology / after subsidy
        std::size_t png = 0;                                                  // the embedded coverage image (B = 160)
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

TEST_CASE("the Japanese report's glyphs render (a CJK font is installed)", "[report][browser]") {
    // Missing glyphs render as identical "tofu" boxes: two pages with different kanji differ only when the
    // font has them (setup.sh installs fonts-noto-cjk). Same CSS font stack as the report.
    const std::string chromium = test::find_chromium();
    if (chromium.empty()) return dxplan::test::skip("chromium not installed (setup.sh installs it): glyph test skipped");
    const auto dir = std::filesystem::temp_directory_path() / "dxplan-test-report-glyphs";
    std::filesystem::remove_all(dir);
    std::vector<test::Shot> shots;
    for (const std::string text : {"通信技術", "費用対効"}) {
        const auto sub = dir / std::to_string(shots.size());
        std::filesystem::create_directories(sub);
        std::ofstream(sub / "p.html") << "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><style>body{font-family:"
                                         "'Noto Sans CJK JP',sans-serif;font-size:64px;margin:8px}</style></head><body>"
                                      << text << "</body></html>";
        const test::Rendered run = test::render_in_chromium(chromium, sub / "p.html", sub, 600);
        INFO("chromium output:\n" << run.log);
        REQUIRE(run.exit_code == 0);
        CHECK(run.log.find(":CONSOLE(") == std::string::npos);
        shots.push_back(test::read_png(run.screenshot));
        REQUIRE(shots.back().width == 1280);
    }
    std::size_t differ = 0, ink = 0;
    for (std::size_t i = 0; i < shots[0].r.size() && i < shots[1].r.size(); ++i) {
        differ += std::abs(shots[0].r[i] - shots[1].r[i]) > 64 ? 1 : 0;
        ink += shots[0].r[i] < 128 ? 1 : 0;
    }
    std::cout << "kanji rendering: " << ink << " dark px, " << differ << " px differ between two different words\n";
    CHECK(ink > 2'000u);     // four 64 px glyphs
    CHECK(differ > 1'000u);  // different glyphs, not the same box four times
}
