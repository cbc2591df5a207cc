// The README's "Bad input" catalogue (issue 15 item 7), one row per class of bad input: each row runs dxplan and
// asserts the exit code, the exact first line on stderr, and that nothing was written or lost (the scratch folder
// holds the same files, byte for byte, before and after; no staging left).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/cli/run_cli.hpp"
#include "tests/skip.hpp"
#include "tests/test_paths.hpp"

namespace {

namespace fs = std::filesystem;
using dxplan::test::run_dxplan;
using dxplan::test::slurp;

std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const std::string rel = fs::relative(e.path(), dir).string();
        files[rel] = e.is_regular_file() ? slurp(e.path()) : std::string("<not a file>");
    }
    return files;
}

// A scenario on the synthetic terrain with one site; `site`, `propagation` and `extra` replace parts.
std::string scenario_text(const std::string& mast = "20", const std::string& propagation =
                                                               "  model: itm\n  f_mhz: 920\n  resolution_m: 100\n  radius_m: 1000\n",
                          const std::string& extra = "") {
    return "name: t\nterrain:\n  synthetic: {seed: 1}\nsites:\n  - {id: a, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: " +
           mast + "}\npropagation:\n" + propagation + extra;
}

struct Row {
    std::string name;      // the class of bad input (the README row)
    std::string file;      // scenario file written into the scratch folder ("" when none)
    std::string text;      // its content
    std::string args;      // dxplan arguments; {D} is the scratch folder
    int exit_code;
    std::string first_line;  // exact; {D} is the scratch folder
};

std::string fill(std::string s, const fs::path& dir) {
    for (auto p = s.find("{D}"); p != std::string::npos; p = s.find("{D}")) s.replace(p, 3, dir.string());
    return s;
}

const std::string kItm = "  model: itm\n  f_mhz: 920\n  resolution_m: 100\n  radius_m: 1000\n";

std::vector<Row> rows() {
    return {
        {"--out is the scenario's folder", "s.yaml", scenario_text(), "run {D}/s.yaml --out {D} --force", 2,
         "dxplan: error: --out {D}: contains the input {D}/s.yaml; choose an output folder of its own"},
        {"--out is a folder dxplan did not write", "s.yaml", scenario_text(), "run {D}/s.yaml --out {D}/keep", 2,
         "dxplan: error: --out {D}/keep: exists, is not empty and was not written by dxplan (no .dxplan-output); give "
         "--force to replace it, or choose another folder"},
        {"coverage --out is the DEM", "", "", "coverage --dem {D}/keep/dem.tif --site 36,138.2 --tx-height-m 30 "
         "--rx-height-m 1.5 --freq-mhz 920 --radius-km 1 --resolution-arcsec 3 --out {D}/keep/dem.tif", 2,
         "dxplan: error: --out {D}/keep/dem.tif: is an input of this command; choose another output path"},
        {"one output path of several is bad", "", "", "coverage --dem {D}/keep/dem.tif --site 36,138.2 --tx-height-m 30 "
         "--rx-height-m 1.5 --freq-mhz 920 --radius-km 1 --resolution-arcsec 3 --out {D}/keep/loss.tif --kmz {D}/no/x.kmz", 2,
         "dxplan: error: --kmz {D}/no/x.kmz: folder {D}/no does not exist"},
        {"a folder given as a DEM", "", "", "terrain info --dem {D}/keep", 2,
         "dxplan: error: {D}/keep: is a folder, not a file"},
        {"a FIFO given as a DEM", "", "", "terrain info --dem {D}/fifo.hgt", 2,
         "dxplan: error: {D}/fifo.hgt: is not a regular file (a device, pipe or socket)"},
        {"a device given as a profile", "", "", "loss --model itm --profile /dev/urandom --freq-mhz 920 --tx-height-m 30 "
         "--rx-height-m 1.5", 2, "dxplan: error: --profile: /dev/urandom: is not a regular file (a device, pipe or socket)"},
        {"a folder given as a demand file", "s.yaml",
         scenario_text("20", kItm, "demand:\n  - kind: household\n    file: keep\n"), "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:13: demand[0].file = keep: {D}/keep: is a folder, not a file"},
        {"radius_m below resolution_m", "s.yaml",
         scenario_text("20", "  model: itm\n  f_mhz: 920\n  resolution_m: 500\n  radius_m: 200\n"),
         "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:10: propagation.radius_m = 200: must be at least resolution_m (500 m)"},
        {"a mast height the model refuses", "s.yaml", scenario_text("0"), "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:5: sites[0].mast_height_m = 0: the model itm refuses it: ITM: h_tx_m = 0: must be "
         "in [0.5, 3000] m"},
        {"a frequency the model refuses", "s.yaml",
         scenario_text("20", "  model: itm\n  f_mhz: 100000\n  resolution_m: 100\n  radius_m: 1000\n"),
         "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:8: propagation.f_mhz = 100000: the model itm refuses it: ITM: f_mhz = 100000: must "
         "be in [20, 20000] MHz (ITM is not defined above 20 GHz)"},
        {"rental years beyond the horizon", "s.yaml",
         scenario_text("20", kItm, "economics: {horizon_years: 3, rental_eligible_years: 4}\n"),
         "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:11: economics.rental_eligible_years = 4: must not exceed economics.horizon_years = 3"},
        // programme.md ②-1: a demonstration is a fixed-price contract of 10-100 M JPY per project, so a call cap
        // above 100 M JPY is not this programme's: refused. (A plan whose cost exceeds the cap is not bad input:
        // the fixed amount is capped and the report flags it per option, econ::CostSummary::programme_flag.)
        {"a demonstration with a subsidy cap above the programme's 100 M JPY", "s.yaml",
         scenario_text("20", kItm, "economics: {demonstration: true, subsidy_cap_jpy: 200000000}\n"),
         "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:11: economics.subsidy_cap_jpy = 200000000: must be in [0, 1e8] JPY for a "
         "demonstration (programme ②-1 先進無線システム活用タイプ: 10-100 M JPY per project, programme.md)"},
        {"an unknown technology (found before any terrain work)", "s.yaml",
         scenario_text("20", kItm, "technologies: [no-such-tech]\n"), "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:11: technologies[0] = no-such-tech: unknown technology 'no-such-tech': valid names "
         "are halow-jp-1mhz, halow-jp-2mhz, halow-jp-4mhz, local5g-n257-100mhz, local5g-n79-100mhz, lorawan-as923-jp, "
         "ltem, nbiot, sigfox-rc3, wifi5-w52-80mhz, wifi5-w53-80mhz, wifi5-w56-80mhz, wifi6e-lpi-160mhz, "
         "wifi6e-lpi-20mhz, wifi6e-lpi-80mhz, wifi6e-vlp-20mhz, wifi6e-vlp-80mhz, wifi7-lpi-320mhz, wifi7-vlp-320mhz"},
        {"a NaN override of a technology field (blamed on the scenario line)", "s.yaml",
         scenario_text("20", kItm, "technologies:\n  - profile: halow-jp-4mhz\n    overrides: {base.antenna_gain_dbi: .nan}\n"),
         "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml:13: technologies[0].overrides.base.antenna_gain_dbi = .nan: " +
             (dxplan::test::source_dir() / "models" / "technology" / "halow-jp-4mhz.yaml").string() +
             ": base.antenna_gain_dbi: = nan: must be in [-20, 60] dBi"},
        {"technologies but no demand", "s.yaml", scenario_text("20", kItm, "technologies: [halow-jp-4mhz]\n"),
         "run {D}/s.yaml --out {D}/out", 2,
         "dxplan: error: {D}/s.yaml: demand: no demand point (none given, or none generated inside the terrain); the "
         "comparison needs at least one household, facility or IoT device"},
        {"a grid that does not fit the memory limit (1 m resolution)", "s.yaml",
         scenario_text("20", "  model: itm\n  f_mhz: 920\n  resolution_m: 1\n  radius_m: 5000\n"),
         "run {D}/s.yaml --out {D}/out --memory-limit 256M", 2,
         "dxplan: error: {D}/s.yaml:7: propagation.resolution_m = 1 m with radius_m = 5000 m: 1 sites on a 10003 x "
         "10005 grid needs about 763 MiB (estimate), more than the memory limit 256 MiB (--memory-limit); give a "
         "coarser propagation.resolution_m or a smaller radius_m"},
        {"a profile spacing that would not fit", "s.yaml", scenario_text(),
         "p2p --scenario {D}/s.yaml --from 36.0018,138.2054 --to 36.03,138.21 --model itm --freq-mhz 920 "
         "--tx-height-m 30 --rx-height-m 1.5 --spacing-m 1e-6", 2,
         "dxplan: error: profile: spacing_m = 1e-06 over 3156 m makes 3.16e+09 samples (25.3 GB); at most 10000000 "
         "samples: give a larger spacing (>= 0.000316 m)"},
        {"--threads 0", "", "", "coverage --dem {D}/keep/dem.tif --site 36,138.2 --tx-height-m 30 --rx-height-m 1.5 "
         "--freq-mhz 920 --radius-km 1 --resolution-arcsec 3 --out {D}/x.tif --threads 0", 2,
         "dxplan: error: --threads: Value 0 not in range 1 to 1024 (see --help)"},
        {"a distance whose loss is not a finite number", "", "", "loss --model free-space --distance-m 1e300 --freq-mhz 920 "
         "--tx-height-m 30 --rx-height-m 1.5", 2,
         "dxplan: error: --distance-m: '1e300' must be a finite number in [0.001, 2e+07] m (see --help)"},
        {"a NaN antenna azimuth", "", "", "link --dem {D}/keep/dem.tif --from 36,138.2 --to 36.01,138.2 --tech halow-jp-1mhz "
         "--base-azimuth-deg nan", 2,
         "dxplan: error: --base-azimuth-deg: 'nan' must be a finite number in [-360, 360] deg (see --help)"},
        {"an absurd antenna tilt", "", "", "link --dem {D}/keep/dem.tif --from 36,138.2 --to 36.01,138.2 --tech halow-jp-1mhz "
         "--base-tilt-deg 1e9", 2, "dxplan: error: --base-tilt-deg: '1e9' must be a finite number in [-90, 90] deg (see --help)"},
        {"an absurd body loss", "", "", "link --dem {D}/keep/dem.tif --from 36,138.2 --to 36.01,138.2 --tech halow-jp-1mhz "
         "--body-loss-db 1e308", 2, "dxplan: error: --body-loss-db: '1e308' must be a finite number in [0, 60] dB (see --help)"},
    };
}

}  // namespace

TEST_CASE("bad-input catalogue: exit code, exact first line, nothing written or lost", "[cli][bad-input]") {
    for (const Row& row : rows()) {
        const fs::path dir = fs::temp_directory_path() / ("dxplan_bad_input_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir / "keep");
        std::ofstream(dir / "keep" / "dem.tif") << "the user's DEM";
        std::ofstream(dir / "keep" / "loss.tif") << "the previous good map";
        REQUIRE(::mkfifo((dir / "fifo.hgt").c_str(), 0644) == 0);
        if (!row.file.empty()) std::ofstream(dir / row.file) << row.text;
        const auto before = snapshot(dir);
        const auto r = run_dxplan(fill(row.args, dir));
        INFO(row.name << "\nstderr: " << r.err);
        CHECK(r.exit_code == row.exit_code);
        CHECK(r.err.substr(0, r.err.find('\n')) == fill(row.first_line, dir));
        CHECK(snapshot(dir) == before);  // nothing written (no out/, no staging), nothing changed
        fs::remove_all(dir);
    }
}

TEST_CASE("bad-input catalogue: two tiles far apart without an area of interest", "[cli][bad-input]") {
    const fs::path a = dxplan::test::terrain_dir() / "N35E138.hgt", b = dxplan::test::terrain_dir() / "N22W160.hgt";
    if (!fs::exists(a) || !fs::exists(b)) return dxplan::test::skip("../shared/data/terrain tiles absent");
    const fs::path dir = fs::temp_directory_path() / ("dxplan_bad_input_tiles_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "s.yaml") << "name: t\nterrain:\n  files: [" << a.string() << ", " << b.string()
                                  << "]\nsites:\n  - {id: a, lat_deg: 35.5, lon_deg: 138.5, mast_height_m: 20}\n"
                                  << "propagation:\n  model: itm\n  f_mhz: 920\n";
    const auto before = snapshot(dir);
    // 1201 x 1201 tiles at 3": 13 degrees x 299 degrees of mosaic, 9 bytes a sample (libsim/terrain/load_terrain.cpp).
    const auto r = run_dxplan("run " + (dir / "s.yaml").string() + " --out " + (dir / "out").string() + " --memory-limit 1G");
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.substr(0, r.err.find('\n')) ==
          "dxplan: error: " + (dir / "s.yaml").string() + ":3: terrain: the DEM mosaic of 16801 x 358801 samples needs "
          "about 50.5 GiB (estimate), more than the memory limit 1 GiB (--memory-limit); tiles are not adjacent; give "
          "an area_of_interest");
    CHECK(snapshot(dir) == before);
    // Pixels larger than the disc: the half-height of a 1 km disc at 35.5 N is 1000 m / (111 km per degree), about
    // 32.4" (coverage/grid.cpp); at 400" no pixel centre falls inside (it said "too many pixels" before).
    const auto big = run_dxplan("coverage --dem " + a.string() + " --site 35.5,138.6 --tx-height-m 30 --rx-height-m 1.5 "
                                "--freq-mhz 920 --radius-km 1 --resolution-arcsec 400 --out " + (dir / "x.tif").string());
    CHECK(big.exit_code == 2);
    CHECK(big.err.substr(0, big.err.find('\n')) ==
          "dxplan: error: coverage resolution 400\" is coarser than the 1000 m radius allows: no pixel centre falls "
          "inside; give a finer one (32.4\" or less always is)");
    CHECK(snapshot(dir) == before);
    fs::remove_all(dir);
}
