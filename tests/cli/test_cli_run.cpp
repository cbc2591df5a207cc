// `dxplan run`: the default scenario end to end (exit 0, GeoTIFFs georeferenced as gdalinfo sees them,
// summary.json), determinism (two runs, identical bytes), and bad input (exit 2, one line on stderr naming
// the problem, no output directory left behind, neither DIR nor DIR.partial-*).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

namespace {

using dxplan::test::slurp;

namespace fs = std::filesystem;

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

fs::path scratch_dir() {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_test_cli_run_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

Run shell(const std::string& cmd) {
    const fs::path dir = scratch_dir();
    const std::string full = cmd + " >'" + (dir / "stdout.txt").string() + "' 2>'" + (dir / "stderr.txt").string() + "'";
    const int status = std::system(full.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout.txt"), slurp(dir / "stderr.txt")};
}

Run run_dxplan(const std::string& args) { return shell("'" + dxplan::test::dxplan_binary().string() + "' " + args); }

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

// Entries of out_dir's parent named out_dir or out_dir.partial-* (what a failed run must not leave).
std::vector<std::string> leftovers(const fs::path& out_dir) {
    std::vector<std::string> found;
    const std::string name = out_dir.filename().string();
    for (const auto& e : fs::directory_iterator(out_dir.parent_path())) {
        const std::string n = e.path().filename().string();
        if (n == name || n.rfind(name + ".partial-", 0) == 0) found.push_back(n);
    }
    return found;
}

// A scenario on the synthetic terrain; `extra_site` and `terrain` lines let a test break one thing.
fs::path write_scenario(const std::string& name, const std::string& terrain, const std::string& site,
                        const std::string& f_mhz = "920") {
    const fs::path p = scratch_dir() / name;
    std::ofstream(p) << "name: bad-input\n"
                     << "terrain:\n  " << terrain << "\n"
                     << "sites:\n  - " << site << "\n"
                     << "propagation:\n  model: free-space-knife-edge\n  f_mhz: " << f_mhz
                     << "\n  resolution_m: 100\n  radius_m: 1000\n";
    return p;
}

const std::string kSynthetic = "synthetic: {seed: 1}";
const std::string kSite = "{id: a, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20}";

// Runs `dxplan run SCENARIO --out DIR` expecting bad input: exit 2, one line naming `expect`, nothing left.
void require_bad_input(const fs::path& scenario, const std::string& expect) {
    const fs::path out = scratch_dir() / ("out-" + scenario.stem().string());
    const Run r = run_dxplan("run " + q(scenario) + " --out " + q(out));
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("dxplan: error: ", 0) == 0);
    CHECK(r.err.find(expect) != std::string::npos);
    CHECK(leftovers(out).empty());
}

struct GdalInfo {
    int width = 0;
    int height = 0;
    std::vector<double> gt;
    int epsg = 0;
    double nodata = 0.0;
    std::string type;
};

GdalInfo gdalinfo(const fs::path& tif) {
    const Run r = shell("gdalinfo -json " + q(tif));
    INFO("gdalinfo stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    GdalInfo g;
    g.width = j["size"][0];
    g.height = j["size"][1];
    g.gt = j["geoTransform"].get<std::vector<double>>();
    // GDAL 3.6 reports the EPSG code in the STAC extension and as the WKT's ID.
    if (j.contains("stac") && j["stac"].contains("proj:epsg")) g.epsg = j["stac"]["proj:epsg"];
    const std::string wkt = j["coordinateSystem"]["wkt"];
    const auto last_id = wkt.rfind("ID[\"EPSG\",");
    CHECK(last_id != std::string::npos);
    if (last_id != std::string::npos) CHECK(std::stoi(wkt.substr(last_id + 10)) == g.epsg);
    g.nodata = j["bands"][0]["noDataValue"];
    g.type = j["bands"][0]["type"];
    return g;
}

double value_at(const fs::path& tif, int col, int row) {
    const Run r = shell("gdallocationinfo -valonly " + q(tif) + " " + std::to_string(col) + " " + std::to_string(row));
    REQUIRE(r.exit_code == 0);
    return std::stod(r.out);
}

}  // namespace

TEST_CASE("dxplan run --help lists the scenario and --out", "[cli][run]") {
    const Run r = run_dxplan("run --help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("--out") != std::string::npos);
    CHECK(r.out.find("scenarios/default.yaml") != std::string::npos);
}

TEST_CASE("dxplan run runs the default scenario: GeoTIFFs georeferenced, summary.json", "[cli][run]") {
    const fs::path out = scratch_dir() / "default";
    fs::remove_all(out);
    const Run r = run_dxplan("run --out " + q(out));  // no scenario: scenarios/default.yaml
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());  // stderr is not a terminal here: no progress bar
    CHECK(leftovers(out) == std::vector<std::string>{"default"});
    for (const char* f : {"summary.json", "results.h5", "report.html"}) CHECK(fs::is_regular_file(out / f));

    const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
    CHECK(summary["scenario"]["name"] == "synthetic-valley");
    CHECK(summary["propagation"]["model"] == "itm");
    REQUIRE(summary["sites"].size() == 5);
    CHECK(summary["demand"]["household"]["count"].get<int>() > 100);

    const double res_m = summary["propagation"]["resolution_m"];
    const double radius_m = summary["propagation"]["radius_m"];
    const int half = static_cast<int>(std::ceil(radius_m / res_m));
    std::vector<double> first_gt;  // every site's raster is a window of the run's area grid
    for (const auto& site : summary["sites"]) {
        const fs::path tif = out / site["geotiff"].get<std::string>();
        INFO("site " << site["id"] << ": " << tif);
        const GdalInfo g = gdalinfo(tif);
        CHECK(g.epsg == 4326);
        CHECK(g.type == "Float32");
        CHECK(g.nodata == -9999.0);
        CHECK(g.width <= 2 * half + 1);  // the pixels within the radius (fewer at the terrain's edge)
        CHECK(g.height <= 2 * half + 1);
        REQUIRE(g.gt.size() == 6);
        CHECK(g.gt[2] == 0.0);  // north up, no rotation
        CHECK(g.gt[4] == 0.0);
        CHECK(g.gt[5] < 0.0);
        if (first_gt.empty()) first_gt = g.gt;
        // The same pixel size, and the origins a whole number of pixels apart (tolerance 1e-6 pixel).
        CHECK(g.gt[1] == first_gt[1]);
        CHECK(g.gt[5] == first_gt[5]);
        const double dc = (g.gt[0] - first_gt[0]) / g.gt[1], dr = (g.gt[3] - first_gt[3]) / g.gt[5];
        CHECK(std::abs(dc - std::round(dc)) < 1e-6);
        CHECK(std::abs(dr - std::round(dr)) < 1e-6);
        // Pixel size is resolution_m on the ground: WGS84 metres per degree at 36 N (110959 N-S, 90164 E-W),
        // tolerance 0.05 m (the sites lie within 0.05 deg of 36 N).
        CHECK(std::abs(-g.gt[5] * 110959.0 - res_m) < 0.05);
        CHECK(std::abs(g.gt[1] * 90164.0 - res_m) < 0.05);
        // The site's pixel (pixel-is-area) is inside the raster; the corner (outside the radius) is nodata; a cell
        // 10 pixels east of the site carries a loss.
        const int site_col = static_cast<int>(std::floor((site["lon_deg"].get<double>() - g.gt[0]) / g.gt[1]));
        const int site_row = static_cast<int>(std::floor((site["lat_deg"].get<double>() - g.gt[3]) / g.gt[5]));
        REQUIRE(site_col >= 0);
        REQUIRE(site_row >= 0);
        REQUIRE(site_col + 10 < g.width);
        REQUIRE(site_row < g.height);
        CHECK(value_at(tif, 0, 0) == -9999.0);
        const double near_db = value_at(tif, site_col + 10, site_row);
        CHECK(near_db > 60.0);   // free space at 300 m and 920 MHz is 81 dB: a sane range, +-20 dB
        CHECK(near_db < 200.0);
    }

    // Per technology: the best-server power map as a GeoTIFF (QGIS) and a KMZ overlay (Google Earth).
    std::map<std::string, std::pair<double, double>> site_pos;
    for (const auto& site : summary["sites"])
        site_pos[site["id"].get<std::string>()] = {site["lat_deg"].get<double>(), site["lon_deg"].get<double>()};
    REQUIRE(summary["technologies"].size() == 4);  // 3 technologies and 1 mix (its members' maps are named
                                                    // <mix>.<profile>)
    for (const auto& t : summary["technologies"]) {
        if (!t["members"].empty()) continue;
        const std::string name = t["name"];
        const fs::path tif = out / ("coverage-" + name + ".tif");
        INFO(tif);
        const GdalInfo g = gdalinfo(tif);
        CHECK(g.epsg == 4326);
        CHECK(g.type == "Float32");
        CHECK(g.nodata == -9999.0);
        REQUIRE(g.gt.size() == 6);
        // At a chosen site's own position the map holds the received power: below the EIRP (at most 40 dBm in
        // every profile, the loss being positive) and above -130 dBm (below every profile's sensitivity).
        const auto [lat, lon] = site_pos.at(t["site_ids"][0].get<std::string>());
        const double dbm = value_at(tif, static_cast<int>((lon - g.gt[0]) / g.gt[1]), static_cast<int>((lat - g.gt[3]) / g.gt[5]));
        CHECK(dbm > -130.0);
        CHECK(dbm < 40.0);
        const std::string kmz = slurp(out / ("coverage-" + name + ".kmz"));
        CHECK(kmz.rfind("PK", 0) == 0);                        // a zip archive
        CHECK(kmz.find("doc.kml") != std::string::npos);       // KMZ: the KML document first,
        CHECK(kmz.find("legend.png") != std::string::npos);    // with the colour legend
    }
}

TEST_CASE("dxplan run is deterministic: every output file byte-identical", "[cli][run]") {
    const fs::path a = scratch_dir() / "det-a";
    const fs::path b = scratch_dir() / "det-b";
    const fs::path scenario = dxplan::test::source_dir() / "scenarios" / "default.yaml";
    REQUIRE(run_dxplan("run " + q(scenario) + " --out " + q(a)).exit_code == 0);
    REQUIRE(run_dxplan("run " + q(scenario) + " --out " + q(b)).exit_code == 0);
    std::size_t compared = 0;
    for (const auto& e : fs::recursive_directory_iterator(a)) {
        if (!e.is_regular_file()) continue;
        const fs::path rel = fs::relative(e.path(), a);
        INFO(rel.string());
        CHECK(slurp(a / rel) == slurp(b / rel));
        ++compared;
    }
    CHECK(!fs::exists(a / "report.pdf"));  // report.pdf only with --pdf (or outputs.report_pdf)
    CHECK(compared == 80);  // the .dxplan-output marker (issue 15), summary.json, 5 GeoTIFFs, results.h5 (no object times), report.html, report.md,
                            // per technology and per mix member (3 + 2) a coverage PNG, GeoTIFF and KMZ, 5 service
                            // maps (-service.tif, -cells.tif, -sinr.png, -sinr.kmz, -best-server.kmz) and 6
                            // backhaul files (GeoJSON, KML, CSVs, summary)
}

TEST_CASE("dxplan run replaces an existing output directory only when complete", "[cli][run]") {
    const fs::path out = scratch_dir() / "replace";
    fs::create_directories(out);
    std::ofstream(out / "stale.txt") << "old";
    const fs::path scenario = write_scenario("small.yaml", kSynthetic, kSite);
    // A failing run leaves the old directory untouched.
    const fs::path bad = write_scenario("small-bad.yaml", kSynthetic, kSite, "\"920\"");
    CHECK(run_dxplan("run " + q(bad) + " --out " + q(out)).exit_code == 2);
    CHECK(fs::exists(out / "stale.txt"));
    // A good run refuses a folder dxplan did not write (issue 15), and replaces it with --force.
    CHECK(run_dxplan("run " + q(scenario) + " --out " + q(out)).exit_code == 2);
    CHECK(fs::exists(out / "stale.txt"));
    Run r = run_dxplan("run " + q(scenario) + " --out " + q(out) + " --force");
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_FALSE(fs::exists(out / "stale.txt"));
    // Its own output it replaces without --force.
    r = run_dxplan("run " + q(scenario) + " --out " + q(out));
    REQUIRE(r.exit_code == 0);
    CHECK(fs::exists(out / "summary.json"));
    CHECK(leftovers(out) == std::vector<std::string>{"replace"});
}

TEST_CASE("dxplan run bad input: missing scenario file", "[cli][run]") {
    require_bad_input(scratch_dir() / "no-such-scenario.yaml", "no-such-scenario.yaml: scenario file not found");
}

TEST_CASE("dxplan run bad input: missing terrain file", "[cli][run]") {
    require_bad_input(write_scenario("missing.yaml", "files: [N36E138.hgt]", kSite),
                      "terrain.files[0] = N36E138.hgt: file not found");
}

TEST_CASE("dxplan run bad input: truncated .hgt", "[cli][run]") {
    std::ofstream(scratch_dir() / "N36E138.hgt", std::ios::binary) << std::string(1000, '\0');
    require_bad_input(write_scenario("truncated.yaml", "files: [N36E138.hgt]", kSite),
                      "N36E138.hgt: truncated or corrupt SRTM .hgt");
}

TEST_CASE("dxplan run bad input: raster with no CRS", "[cli][run]") {
    // An Arc/Info ASCII grid without a .prj file has no coordinate reference system.
    std::ofstream(scratch_dir() / "nocrs.asc") << "ncols 4\nnrows 4\nxllcorner 138.19\nyllcorner 35.99\ncellsize 0.01\n"
                                                  "1 2 3 4\n1 2 3 4\n1 2 3 4\n1 2 3 4\n";
    require_bad_input(write_scenario("nocrs.yaml", "files: [nocrs.asc]", kSite),
                      "nocrs.asc: raster has no coordinate reference system");
}

TEST_CASE("dxplan run bad input: site outside the terrain", "[cli][run]") {
    require_bad_input(write_scenario("outside.yaml", kSynthetic, "{id: a, lat_deg: 35.5, lon_deg: 138.2, mast_height_m: 20}"),
                      "sites[0] = (35.5, 138.2): outside the terrain");
}

TEST_CASE("dxplan run bad input: negative mast height", "[cli][run]") {
    require_bad_input(write_scenario("mast.yaml", kSynthetic, "{id: a, lat_deg: 36.0, lon_deg: 138.2, mast_height_m: -5}"),
                      "sites[0].mast_height_m = -5: must be in [0, 300] m");
}

TEST_CASE("dxplan run bad input: unknown YAML key", "[cli][run]") {
    require_bad_input(write_scenario("key.yaml", kSynthetic, "{id: a, lat_deg: 36.0, lon_deg: 138.2, mast_hight_m: 5}"),
                      "sites[0].mast_hight_m: unknown key");
}

TEST_CASE("dxplan run bad input: frequency written as text", "[cli][run]") {
    require_bad_input(write_scenario("freq.yaml", kSynthetic, kSite, "\"920 MHz\""),
                      "propagation.f_mhz = \"920 MHz\": must be a number in [30, 100000] MHz, not text");
}

TEST_CASE("dxplan run on the real-terrain scenario (Fuji / Kofu)", "[cli][run]") {
    if (!fs::exists(dxplan::test::terrain_dir() / "N35E138.hgt")) return dxplan::test::skip("skipped: ../shared/data/terrain is absent");
    const fs::path out = scratch_dir() / "fuji-kofu";
    const Run r = run_dxplan("run " + q(dxplan::test::source_dir() / "scenarios" / "fuji-kofu.yaml") + " --out " + q(out));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
    // 4 listed sites, 6 hilltops and 6 built-up clusters found in the data (auto_candidates)
    REQUIRE(summary["sites"].size() == 16);
    std::map<std::string, int> origins;
    for (const auto& site : summary["sites"]) ++origins[site["origin"].get<std::string>()];
    CHECK(origins["given"] == 4);
    CHECK(origins["hilltop"] == 6);
    CHECK(origins["built-up"] == 6);
    CHECK(summary["terrain"]["source"] == "N35E138.hgt");
    const GdalInfo g = gdalinfo(out / summary["sites"][0]["geotiff"].get<std::string>());
    CHECK(g.epsg == 4326);
}

TEST_CASE("dxplan run bad input: requirement out of range", "[cli][run]") {
    const fs::path p = write_scenario("req.yaml", kSynthetic, kSite);
    std::ofstream(p, std::ios::app) << "requirements:\n  coverage_target: 0.9\n  location_reliability: 1.2\n";
    require_bad_input(p, "req.yaml:13: requirements.location_reliability = 1.2: must be in [0.5, 0.999]");
}
