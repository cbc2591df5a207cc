// `dxplan evaluate`, `dxplan measurements import`, `dxplan calibrate` and a scenario with measured data: bad input
// is one line naming file, row and column with exit 2; the example scenario's report has both sections.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"
#include "tests/test_paths.hpp"

namespace {

using dxplan::test::run_dxplan;
using dxplan::test::slurp;
using dxplan::test::source_dir;
namespace fs = std::filesystem;

fs::path scratch() {
    const fs::path d = fs::temp_directory_path() / ("dxplan_test_cli_measure_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

struct Cleanup {
    ~Cleanup() {
        std::error_code ec;
        fs::remove_all(fs::temp_directory_path() / ("dxplan_test_cli_measure_" + std::to_string(::getpid())), ec);
    }
} const g_cleanup;

std::string file(const std::string& name, const std::string& text) {
    const fs::path p = scratch() / name;
    std::ofstream(p) << text;
    return "'" + p.string() + "'";
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

bool one_line(const std::string& err) { return !err.empty() && err.find('\n') == err.size() - 1; }

}  // namespace

TEST_CASE("dxplan evaluate: textbook data through the CLI, --json") {
    // Hollander & Wolfe (1973) p. 69 (see tests/unit/stats): U = 35, p (greater) = 0.1272.
    const auto r = run_dxplan("evaluate " + file("b.csv", "k\n1.15\n0.88\n0.90\n0.74\n1.21\n") + " " +
                              file("a.csv", "k\n0.80\n0.83\n1.89\n1.04\n1.45\n1.38\n1.91\n1.64\n0.73\n1.46\n") +
                              " --alternative greater --json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["indicators"][0]["statistic"] == 35.0);
    CHECK(std::fabs(j["indicators"][0]["p_value"].get<double>() - 0.1272) < 5e-5);
}

TEST_CASE("dxplan evaluate: bad input is one line naming file, row and column, exit 2") {
    const std::string good = file("good.csv", "x\n1\n2\n3\n");
    struct Case {
        std::string args, want;
    };
    const Case cases[] = {
        {file("empty.csv", "") + " " + good, "empty.csv: empty file"},
        {file("one.csv", "x\n5\n") + " " + good, "one.csv: 1 data row"},
        {file("nocol.csv", "y\n1\n2\n") + " " + good, "no indicator column"},
        {file("text.csv", "x\n1\nlots\n") + " " + good, "text.csv:3, column x: 'lots' is not a number"},
        {file("tied.csv", "x\n4\n4\n") + " " + file("tied2.csv", "x\n4\n4\n4\n"), "column x: all values are tied"},
        {good + " " + good + " --alpha 2", "--alpha"},
    };
    for (const Case& c : cases) {
        const auto r = run_dxplan("evaluate " + c.args);
        INFO(c.args << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.want) != std::string::npos);
        CHECK(one_line(r.err));
        CHECK(r.out.empty());
    }
}

TEST_CASE("dxplan measurements import and calibrate: bad input, exit 2, nothing written") {
    const fs::path scen = source_dir() / "scenarios" / "default.yaml";
    const fs::path out = scratch() / "cal";
    struct Case {
        std::string args, want;
    };
    const Case cases[] = {
        {"measurements import " + file("m0.csv", ""), "m0.csv: empty file"},
        {"measurements import " + file("m1.csv", "lat_deg,lon_deg,rssi_dbm\n36,138.2,-80\n"), "at least 2"},
        {"measurements import " + file("m2.csv", "lat_deg,rssi_dbm\n36,-80\n36.1,-70\n"), "m2.csv:1: column lon_deg"},
        {"measurements import " + file("m3.csv", "lat_deg,lon_deg,rssi_dbm\n36,138.2,-80\n36.01,138.2,weak\n"),
         "m3.csv:3, column rssi_dbm: 'weak' is not a number"},
        {"measurements import " + file("m4.csv", "lat_deg,lon_deg,rssi_dbm\n36,138.2,-80\n37.5,139.9,-70\n") + " --scenario " + q(scen),
         "m4.csv:3, columns lat_deg, lon_deg = (37.5, 139.9): outside the terrain"},
        {"calibrate " + q(scen) + " --measurements " + file("m5.csv", "lat_deg,lon_deg,rssi_dbm\n36,138.2,-80\n37.5,139.9,-70\n") +
             " --site town-hall --eirp-dbm 36 --out " + q(out),
         "m5.csv:3, columns lat_deg, lon_deg = (37.5, 139.9): outside the terrain"},
    };
    for (const Case& c : cases) {
        const auto r = run_dxplan(c.args);
        INFO(c.args << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.want) != std::string::npos);
        CHECK(one_line(r.err));
    }
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("A scenario with a calibration file for another model is refused, naming the file and line") {
    const fs::path d = scratch();
    std::ofstream(d / "cal.yaml") << "model: hata-open\nf_mhz: 920\nslope_db_per_decade: 0\ndefault_offset_db: 1\noffset_db: {}\n";
    std::string yaml = slurp(source_dir() / "scenarios" / "default.yaml");
    yaml.replace(yaml.find("backhaul:"), 9, "backhaul_unused:");  // (its roads file is relative to scenarios/)
    yaml = yaml.substr(0, yaml.find("backhaul_unused:")) + yaml.substr(yaml.find("propagation:"));
    yaml.replace(yaml.find("  f_mhz: 920"), 12, "  f_mhz: 920\n  calibration: cal.yaml");
    std::ofstream(d / "s.yaml") << yaml;
    const auto r = run_dxplan("run " + q(d / "s.yaml") + " --out " + q(d / "o"));
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cal.yaml:1: model = hata-open: this calibration is for another model (the scenario uses itm)") != std::string::npos);
    CHECK(one_line(r.err));
    CHECK_FALSE(fs::exists(d / "o"));
}

TEST_CASE("scenarios/measured-valley.yaml: the report has the Measurements and Outcome evaluation sections") {
    const fs::path out = scratch() / "mv";
    const auto r = run_dxplan("run " + q(source_dir() / "scenarios" / "measured-valley.yaml") + " --out " + q(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string html = slurp(out / "report.html");
    CHECK(html.find("id=\"measurements\"") != std::string::npos);
    CHECK(html.find("id=\"outcome\"") != std::string::npos);
    CHECK(html.find("calibration-valley.yaml") != std::string::npos);  // provenance of the applied calibration
    const auto j = nlohmann::json::parse(slurp(out / "summary.json"));
    CHECK(j["measurements"]["points"].get<int>() > 100);
    CHECK(j["outcome_evaluation"]["indicators"].size() == 3);
    // Cross-validated error never below the in-sample one.
    CHECK(j["measurements"]["after_cross_validated"]["all"]["rmse_db"].get<double>() >=
          j["measurements"]["after_in_sample"]["all"]["rmse_db"].get<double>());
}

// propagation.calibration reaches the run's losses: a calibration that is a constant +5 dB (no category
// offsets, slope 0) moves every loss cell by exactly 5 dB, so each site's min, median and max loss too.
TEST_CASE("propagation.calibration adds its correction to the run's loss maps") {
    const fs::path d = scratch() / "applied";
    fs::create_directories(d / "data");
    for (const char* f : {"drive-test-synthetic.csv", "outcome-before.csv", "outcome-after.csv"})
        fs::copy_file(source_dir() / "scenarios" / "data" / f, d / "data" / f, fs::copy_options::overwrite_existing);
    std::ofstream(d / "data" / "calibration-valley.yaml")
        << "model: itm\nf_mhz: 920\nslope_db_per_decade: 0\ndefault_offset_db: 5\noffset_db: {}\n";
    std::string yaml = slurp(source_dir() / "scenarios" / "measured-valley.yaml");
    std::ofstream(d / "with.yaml") << yaml;
    yaml.replace(yaml.find("  calibration: data/calibration-valley.yaml"), 43, "");
    std::ofstream(d / "without.yaml") << yaml;
    const auto a = run_dxplan("run " + q(d / "with.yaml") + " --out " + q(d / "o1"));
    const auto b = run_dxplan("run " + q(d / "without.yaml") + " --out " + q(d / "o2"));
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    const auto ja = nlohmann::json::parse(slurp(d / "o1" / "summary.json"));
    const auto jb = nlohmann::json::parse(slurp(d / "o2" / "summary.json"));
    for (std::size_t i = 0; i < ja["sites"].size(); ++i)
        for (const char* k : {"min", "median", "max"})
            CHECK(ja["sites"][i]["loss_db"][k].get<double>() - jb["sites"][i]["loss_db"][k].get<double>() == Approx(5.0).margin(2e-3));
    CHECK(ja.contains("calibration_applied"));
    CHECK_FALSE(jb.contains("calibration_applied"));
}
