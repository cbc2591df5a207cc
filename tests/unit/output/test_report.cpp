// The comparison report: every number in its tables equals the one in summary.json (both parsed back), the
// page is self-contained, both languages have every phrase, and the SHA-256 / Base64 helpers match their
// standards' test vectors.
#include <catch2/catch.hpp>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/output/report.hpp"
#include "libsim/output/report_i18n.hpp"
#include "libsim/output/report_parts.hpp"
#include "libsim/output/sha256.hpp"
#include "tests/test_paths.hpp"
#include "report_fixture.hpp"
#include "report_checks.hpp"

using namespace dxplan;
using namespace dxplan::output;

namespace {

using dxplan::test::slurp;

std::filesystem::path temp_dir(const std::string& name) {
    auto d = std::filesystem::temp_directory_path() / ("dxplan-test-report-" + name);
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[report]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    const auto d = temp_dir("sha");
    std::ofstream(d / "abc.txt", std::ios::binary) << "abc";
    CHECK(sha256_file_hex(d / "abc.txt") == sha256_hex("abc"));
    CHECK_THROWS_AS(sha256_file_hex(d / "missing"), InputError);
}

TEST_CASE("Base64 matches RFC 4648 §10", "[report]") {
    CHECK(base64("") == "");
    CHECK(base64("f") == "Zg==");
    CHECK(base64("fo") == "Zm8=");
    CHECK(base64("foo") == "Zm9v");
    CHECK(base64("foob") == "Zm9vYg==");
    CHECK(base64("fooba") == "Zm9vYmE=");
    CHECK(base64("foobar") == "Zm9vYmFy");
}

TEST_CASE("every phrase exists in English and Japanese", "[report]") {
    for (auto key : report_keys()) {
        INFO(key);
        CHECK(!tr(Lang::en, key).empty());
        CHECK(!tr(Lang::ja, key).empty());
    }
    CHECK(tr(Lang::ja, "npv_jpy").find("総費用") != std::string_view::npos);  // programme.md: a total cost, not 正味現在価値
    CHECK(tr(Lang::ja, "sec.sensitivity") == "感度分析");
    CHECK(parse_lang("ja") == Lang::ja);
    CHECK_THROWS_WITH(parse_lang("fr"), "--lang = fr: must be en or ja");
    CHECK_THROWS_AS(tr(Lang::en, "no-such-key"), std::out_of_range);
}

TEST_CASE("labels are shortened by characters, never inside a UTF-8 sequence", "[report]") {
    using output::detail::display_width;
    using output::detail::shorten;
    // Each kana, kanji and full-width bracket is 3 bytes in UTF-8 and counts 2 wide; ASCII counts 1.
    const std::string core = "ローカル5Gコア（クラウド型・年額）";
    CHECK(display_width(core) == 2 * 16 + 2);  // 16 wide characters and "5", "G"
    CHECK(shorten(core, 100) == core);
    // Room for 10 wide: 4 characters (8) and the ellipsis (2): 「ローカル…」; a byte cut at 10 would split 「ル」.
    CHECK(shorten(core, 10) == "ローカル…");
    CHECK(shorten(core, 11) == "ローカル5…");
    CHECK(shorten("discount rate", 8) == "discou…");
    for (std::size_t w = 2; w < 40; ++w) CHECK(dxplan::valid_utf8(shorten(core, w)));
    CHECK_FALSE(dxplan::valid_utf8(core.substr(0, 4)));  // what a byte cut at 4 did
    CHECK(dxplan::valid_utf8(core));
    CHECK_FALSE(dxplan::valid_utf8("\xC0\xAF"));          // overlong '/' (RFC 3629 §10)
    CHECK_FALSE(dxplan::valid_utf8("\xED\xA0\x80"));     // a surrogate
}

TEST_CASE("every number in the report's tables equals the one in summary.json", "[report]") {
    const auto dir = temp_dir("consistency");
    test::ReportFixture f;
    test::fill_report_fixture(f, dir);
    f.run.comparison_json = comparison_summary_json(f.report);
    write_summary_json(dir / "summary.json", f.run);
    const auto summary = nlohmann::json::parse(slurp(dir / "summary.json"));
    REQUIRE(summary["technologies"].size() == 4);
    CHECK(summary["terrain"]["rows"] == 100);  // the run's own keys are kept

    for (Lang lang : {Lang::en, Lang::ja}) {
        write_reports(dir, f.report, lang);
        const std::string html = slurp(dir / "report.html");
        const std::string md = slurp(dir / "report.md");
        const std::size_t checked = test::check_cells_against_summary(html, summary);
        std::cout << "report (" << lang_code(lang) << "): " << checked << " table cells equal summary.json\n";
        // 19 comparison rows x 4, equipment, cash flow, backhaul, tornado and Monte Carlo tables.
        CHECK(checked > 300);
        CHECK(test::numeric_comparison_cells_without_key(html) == 0);
        // The coverage-for-budget table: 4 technologies x 6 numbers, each naming its summary.json value.
        std::size_t budget_cells = 0;
        for (auto p = html.find("<td data-k=\"budget.technologies["); p != std::string::npos;
             p = html.find("<td data-k=\"budget.technologies[", p + 1))
            ++budget_cells;
        CHECK(budget_cells == 24);
        CHECK(html.find("data-k=\"economics.subsidy_cap_jpy\"") != std::string::npos);
        CHECK(html.find("data-k=\"economics.opex_escalation_rate\"") != std::string::npos);
        CHECK(md.find(lang == Lang::ja ? "予算 40,000,000 円" : "budget of 40,000,000 JPY") != std::string::npos);
        CHECK(html.find(lang == Lang::ja ? "（山頂候補）" : "(hilltop)") != std::string::npos);
        // Self-contained: no external references, no scripts.
        CHECK(html.find("<script") == std::string::npos);
        CHECK(html.find("src=\"http") == std::string::npos);
        CHECK(html.find("href=\"http") == std::string::npos);
        CHECK(html.find("data:image/png;base64,") != std::string::npos);
        // The charts: cash flow, cost per household, 4 tornados, histogram, ranking; 4 maps.
        std::size_t charts = 0, maps = 0;
        for (auto p = html.find("<svg class=\"chart\""); p != std::string::npos; p = html.find("<svg class=\"chart\"", p + 1)) ++charts;
        for (auto p = html.find("<svg class=\"map\""); p != std::string::npos; p = html.find("<svg class=\"map\"", p + 1)) ++maps;
        CHECK(charts == 8);
        CHECK(maps == 4);
        // Each map draws the first site's fibre along its road route (3 points), the other links straight.
        std::size_t routes = 0;
        for (auto p = html.find("<polyline fill=\"none\" stroke=\"#1f5fbf\""); p != std::string::npos;
             p = html.find("<polyline fill=\"none\" stroke=\"#1f5fbf\"", p + 1))
            ++routes;
        CHECK(routes == 4);
        // The Markdown report carries the same comparison figures.
        const std::string capex = summary["technologies"][1]["capex_jpy"].dump();
        std::string grouped = capex;
        for (int i = static_cast<int>(grouped.size()) - 3; i > 0; i -= 3) grouped.insert(static_cast<std::size_t>(i), ",");
        CHECK(md.find("| " + grouped + " |") != std::string::npos);
        if (lang == Lang::ja) {
            CHECK(html.find("他の無線システムとの比較分析") != std::string::npos);
            CHECK(md.find("前提条件と出典") != std::string::npos);
        }
    }
    // The Wi-Fi plan in the fixture is indoor-only, covers 41 of 60 and its power-save sensors last months:
    // three failures, named in the JSON.
    CHECK(summary["technologies"][2]["fails"] == nlohmann::json::array({"coverage", "battery", "regulatory"}));
    CHECK(summary["uncertainty"]["monte_carlo"]["draws"] == 400);
    CHECK(summary["budget"]["budget_jpy"] == 40'000'000);
    CHECK(summary["budget"]["technologies"][1]["spent_jpy"] ==
          summary["budget"]["technologies"][1]["network_jpy"].get<long long>() +
              summary["budget"]["technologies"][1]["sites_jpy"].get<long long>());
    CHECK(summary["economics"]["subsidy_cap_jpy"] == 30'000'000);
    CHECK(summary["technologies"][0]["site_origins"].back() == "hilltop");
    double share = 0.0;
    for (const auto& t : summary["uncertainty"]["monte_carlo"]["technologies"]) share += t["cheapest_share"].get<double>();
    CHECK(share == Approx(1.0).margin(0.003));  // each rounded to 0.001
}

TEST_CASE("the verdict: complete options able to carry every kind, meeting every requirement first, then the smallest shortfall, then cost",
          "[report]") {
    using econ::Requirement;
    const auto fail = [](Requirement r, double shortfall) {
        econ::Failure f;
        f.requirement = r;
        f.shortfall = shortfall;
        return f;
    };
    // The rule (README "Recommendation"): complete options able to carry every kind first, then those meeting
    // every requirement, then the total shortfall (not the number of failures), then cost per served household.
    std::vector<econ::TechnologyEvaluation> v(5);
    for (auto& e : v) e.households_covered = 10;
    v[0].effectiveness.per_household_jpy = 300.0;  // fails two, but narrowly: 0.05 + 0.10 = 0.15 short
    v[0].fails = {fail(Requirement::coverage, 0.05), fail(Requirement::battery, 0.10)};
    v[1].effectiveness.per_household_jpy = 300.0;  // fails one by half: 0.5 short
    v[1].fails = {fail(Requirement::capacity, 0.5)};
    v[2].effectiveness.per_household_jpy = 200.0;  // 0.5 short too, cheaper than v[1]
    v[2].fails = {fail(Requirement::latency, 0.5)};
    v[3].complete = false;                         // sensors only: meets its requirements, but partial
    v[3].households_covered = 0;
    v[4].effectiveness.per_household_jpy = 10.0;   // cheapest and no failure, but cannot carry a kind's rate
    v[4].carries = false;
    for (auto& e : v)
        for (const auto& f : e.fails) e.shortfall += f.shortfall;
    CHECK(econ::rank_by_cost_per_household(v) == std::vector<std::size_t>{0, 2, 1, 4, 3});
    auto rec = econ::recommend(v);
    REQUIRE(rec.index);
    CHECK(*rec.index == 0);
    CHECK(econ::to_string(rec.reason) == "fewest_failures");
    v[1].fails.clear();  // now meets every requirement: first despite costing more
    rec = econ::recommend(v);
    CHECK(*rec.index == 1);
    CHECK(econ::to_string(rec.reason) == "meets_all");
    CHECK_FALSE(econ::recommend(std::span(v).subspan(3)).index);  // partial, or unable to carry: no verdict
    CHECK_FALSE(econ::recommend(std::span(v).subspan(4)).index);
    CHECK_FALSE(econ::recommend({}).index);
    CHECK(econ::to_string(econ::recommend({}).reason) == "no_options");
}
