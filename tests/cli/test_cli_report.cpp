// `dxplan run --lang ja|en` on the default scenario: summary.json carries the documented comparison keys
// (docs/summary-schema.md), every number in report.html's tables equals summary.json, report.md is written, and
// the real report renders in headless Chromium without console messages (skipped without chromium).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/skip.hpp"
#include "tests/test_paths.hpp"
#include "tests/unit/output/browser_checks.hpp"
#include "tests/unit/output/report_checks.hpp"

namespace fs = std::filesystem;

namespace {

using dxplan::test::slurp;

fs::path scratch(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("dxplan_test_cli_report_" + std::to_string(::getpid())) / name;
    fs::create_directories(d.parent_path());
    fs::remove_all(d);
    return d;
}

int run_dxplan(const std::string& args, const fs::path& log) {
    const std::string cmd = "'" + dxplan::test::dxplan_binary().string() + "' " + args + " >'" + log.string() + "' 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("dxplan run writes the comparison: summary.json schema, report tables equal to it, both languages",
          "[cli][report]") {
    const fs::path scenario = dxplan::test::source_dir() / "scenarios" / "default.yaml";
    for (const char* lang : {"en", "ja"}) {
        const fs::path out = scratch(std::string("run-") + lang);
        const fs::path log = out.parent_path() / (std::string("log-") + lang + ".txt");
        const int rc = run_dxplan("run '" + scenario.string() + "' --out '" + out.string() + "' --lang " + lang, log);
        INFO("dxplan output: " << slurp(log));
        REQUIRE(rc == 0);
        for (const char* f : {"summary.json", "report.html", "report.md"}) CHECK(fs::is_regular_file(out / f));
        // report.md shows each technology's coverage map as an image next to it, and has sections 1 to 10.
        const std::string md = slurp(out / "report.md");
        CHECK(dxplan::utf8_invalid_at(md) == std::string::npos);
        std::size_t images = 0;
        for (auto at = md.find("](coverage-"); at != std::string::npos; at = md.find("](coverage-", at + 1)) {
            const std::string file = md.substr(at + 2, md.find(')', at) - at - 2);
            INFO(file);
            CHECK(fs::is_regular_file(out / file));
            ++images;
        }
        CHECK(images == 8);  // 3 technologies and the mix: the coverage map and the SINR map of each
        for (int sec = 1; sec <= 10; ++sec) CHECK(md.find("\n## " + std::to_string(sec) + ". ") != std::string::npos);
        const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));

        // The documented keys, for every technology of the scenario (three in the default scenario) and its mix.
        REQUIRE(summary["technologies"].size() == 4);
        CHECK(summary["technologies"][3]["members"].size() == 2);
        for (const auto& t : summary["technologies"]) {
            for (const char* k : {"name", "sites", "coverage_area_km2", "demand_covered", "capex_jpy", "opex_jpy_per_year",
                                  "npv_jpy", "subsidy_jpy", "cost_per_household_jpy", "throughput_mbps", "fails"})
                CHECK(t.contains(k));
            CHECK(t["demand_covered"].contains("count"));
            CHECK(t["demand_covered"].contains("fraction"));
            CHECK(t["throughput_mbps"].contains("median"));
            CHECK(t["throughput_mbps"].contains("p5"));
            CHECK(t["fails"].is_array());
        }
        CHECK(summary["backhaul"].size() == 4);
        CHECK(summary["provenance"]["scenario_sha256"].get<std::string>().size() == 64);
        // The default scenario's only input file is its roads (synthetic terrain and land cover): listed with its checksum.
        REQUIRE(summary["provenance"]["data_files"].size() == 1);
        CHECK(summary["provenance"]["data_files"][0]["name"] == "synthetic-valley-roads.geojson");
        CHECK(summary["provenance"]["data_files"][0]["sha256"].get<std::string>().size() == 64);
        CHECK(summary["uncertainty"]["monte_carlo"]["draws"] == 1000);
        // The default scenario's budget: one row per technology in summary.json and in the report's table.
        REQUIRE(summary["budget"].is_object());
        CHECK(summary["budget"]["budget_jpy"] == 60000000);
        REQUIRE(summary["budget"]["technologies"].size() == 3);
        for (const auto& b : summary["budget"]["technologies"]) {
            CHECK(b["spent_jpy"].get<double>() <= 60000000.0);
            CHECK(b["demand_covered"]["count"].get<int>() <= b["demand_covered"]["total"].get<int>());
        }
        CHECK(summary["requirements"]["coverage_target_fraction"] == 0.95);

        const std::string html = slurp(out / "report.html");
        const std::size_t cells = dxplan::test::check_cells_against_summary(html, summary);
        std::cout << "dxplan run --lang " << lang << ": " << cells << " report cells equal summary.json\n";
        CHECK(cells > 300);
        CHECK(dxplan::test::numeric_comparison_cells_without_key(html) == 0);
        CHECK(html.find("data-k=\"budget.technologies[2].demand_covered.fraction\"") != std::string::npos);
        CHECK(html.find(std::string("<html lang=\"") + lang + "\"") != std::string::npos);
        if (std::string(lang) == "ja") CHECK(html.find("他の無線システムとの比較分析") != std::string::npos);

        const std::string chromium = dxplan::test::find_chromium();
        if (chromium.empty()) {
            WARN("chromium not installed (setup.sh installs it): rendering of the run's report skipped");
            continue;
        }
        const auto r = dxplan::test::render_in_chromium(chromium, out / "report.html", out.parent_path() / (std::string("chromium-") + lang));
        INFO("chromium output:\n" << r.log);
        CHECK(r.exit_code == 0);
        CHECK(r.log.find(":CONSOLE(") == std::string::npos);
        const auto s = dxplan::test::read_png(r.screenshot);
        CHECK(s.width == 1280);
        CHECK(dxplan::test::count_colour(s, 0xe4, 0x1a, 0x1c) > 100u);  // base stations on the maps
        CHECK(dxplan::test::count_colour(s, 0x4e, 0x79, 0xa7) > 5000u); // chart bars
    }
    fs::remove_all(fs::temp_directory_path() / ("dxplan_test_cli_report_" + std::to_string(::getpid())));
}

namespace {

// stdout of a shell command ("" when it fails).
std::string capture(const std::string& cmd) {
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        ::pclose(p);
    }
    return out;
}

std::string without_space(const std::string& s) {
    std::string o;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) o += c;
    return o;
}

}  // namespace

TEST_CASE("dxplan run prints report.pdf: A4, numbered pages, every section heading and the contents in its text",
          "[cli][report][pdf]") {
    if (dxplan::test::find_chromium().empty()) return dxplan::test::skip("chromium not installed (setup.sh installs it)");
    if (capture("command -v pdftotext pdfinfo").empty())
        return dxplan::test::skip("poppler-utils (pdfinfo, pdftotext) not installed (setup.sh installs it)");
    const fs::path scenario = dxplan::test::source_dir() / "scenarios" / "default.yaml";
    const fs::path out = scratch("run-pdf");
    const fs::path log = out.parent_path() / "log-pdf.txt";
    const int rc = run_dxplan("run '" + scenario.string() + "' --out '" + out.string() + "' --lang ja --pdf", log);
    INFO("dxplan output: " << slurp(log));
    REQUIRE(rc == 0);
    REQUIRE(fs::is_regular_file(out / "report.pdf"));
    const std::string info = capture("pdfinfo '" + (out / "report.pdf").string() + "'");
    INFO(info);
    CHECK(info.find("(A4)") != std::string::npos);
    const auto at = info.find("Pages:");
    REQUIRE(at != std::string::npos);
    const int pages = std::stoi(info.substr(at + 6));
    // At least one page per two of the 10 numbered sections; at most 40 (a layout that breaks a page per table
    // row or per map symbol would exceed it).
    CHECK(pages >= 5);
    CHECK(pages <= 40);
    const std::string text = without_space(capture("pdftotext '" + (out / "report.pdf").string() + "' -"));
    // Every numbered heading of report.html and the contents ("目次"), and the footer's "k / n" on the last page.
    const std::string html = slurp(out / "report.html");
    std::size_t headings = 0;
    static const std::regex h2(R"re(<h2 id="[a-z_]+">([^<]+)</h2>)re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), h2); it != std::sregex_iterator(); ++it) {
        const std::string heading = (*it)[1];
        INFO(heading);
        CHECK(text.find(without_space(heading)) != std::string::npos);
        ++headings;
    }
    CHECK(headings == 10);
    CHECK(text.find("目次") != std::string::npos);
    CHECK(text.find(std::to_string(pages) + "/" + std::to_string(pages)) != std::string::npos);
}
