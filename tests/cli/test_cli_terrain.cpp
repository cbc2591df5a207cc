// `dxplan terrain info|profile`: runs the built binary on the shared SRTM tiles and on bad input, checking
// exit codes (0 ok, 2 bad input) and that errors are one line on stderr naming the problem.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

namespace {

using Run = dxplan::test::CliRun;
using dxplan::test::run_dxplan;
using dxplan::test::slurp;

namespace fs = std::filesystem;

fs::path scratch_dir() {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_test_cli_terrain_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}


std::string tile(const char* name) { return "'" + (dxplan::test::terrain_dir() / name).string() + "'"; }

bool have_tiles() {
    if (fs::exists(dxplan::test::terrain_dir() / "N35E138.hgt")) return true;
    dxplan::test::skip("../shared/data/terrain is absent");
    return false;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("dxplan terrain info summarises a tile, as text and JSON", "[cli][terrain]") {
    if (!have_tiles()) return;
    const Run r = run_dxplan("terrain info --dem " + tile("N22W160.hgt"));
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("1201 rows x 1201 cols") != std::string::npos);
    CHECK(r.out.find("voids: 4279 cells") != std::string::npos);

    const Run j = run_dxplan("terrain info --json --dem " + tile("N35E138.hgt"));
    REQUIRE(j.exit_code == 0);
    const auto doc = nlohmann::json::parse(j.out);
    CHECK(doc["rows"] == 1201);
    CHECK(doc["height_m"]["max"].get<double>() == Approx(3749.0));  // SOURCES.md: highest sample 3749 m
    CHECK(doc["height_m"]["min"].get<double>() == Approx(-16.0));
    CHECK(doc["voids"]["void_cells"] == 0);
}

TEST_CASE("dxplan terrain profile prints distance_m,elevation_m CSV", "[cli][terrain]") {
    if (!have_tiles()) return;
    const Run r = run_dxplan("terrain profile --dem " + tile("N35E138.hgt") +
                             " --from 35.6668,138.5688 --to 35.3608,138.7275 --spacing-m 1000");
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    std::istringstream in(r.out);
    std::string line;
    std::getline(in, line);
    CHECK(line == "distance_m,elevation_m");
    std::vector<std::pair<double, double>> rows;
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        REQUIRE(comma != std::string::npos);
        rows.emplace_back(std::stod(line.substr(0, comma)), std::stod(line.substr(comma + 1)));
    }
    REQUIRE(rows.size() >= 2);
    CHECK(rows.front().first == 0.0);
    CHECK(rows.back().first == Approx(36876.85).margin(0.01));  // Kofu station - Fuji summit, WGS84 geodesic
    CHECK(rows.size() == 38);                                     // ceil(36877 / 1000) + 1 samples
    CHECK(rows.back().second == Approx(3749.0).margin(1.0));     // Fuji summit, 1 m
}

TEST_CASE("dxplan terrain: bad input exits 2 with one line on stderr", "[cli][terrain][errors]") {
    const fs::path dir = scratch_dir();
    struct Case {
        const char* what;
        std::string args;
        std::string expect;  // text the one-line message must contain
    };
    std::vector<Case> cases = {
        {"missing file", "terrain info --dem '" + (dir / "N00E000.hgt").string() + "'", "N00E000.hgt: file not found"},
        {"no --dem", "terrain info", "--dem"},
        {"no subcommand", "terrain", "subcommand is required"},
    };
    {
        std::ofstream(dir / "cut.hgt") << std::string(5000, '\0');
        cases.push_back({"truncated .hgt", "terrain info --dem '" + (dir / "cut.hgt").string() + "'", "truncated"});
        std::ofstream(dir / "bare.asc") << "ncols 2\nnrows 2\nxllcorner 138\nyllcorner 35\ncellsize 0.1\n1 2\n3 4\n";
        cases.push_back({"raster with no CRS", "terrain info --dem '" + (dir / "bare.asc").string() + "'",
                         "no coordinate reference system"});
    }
    if (fs::exists(dxplan::test::terrain_dir() / "N35E138.hgt")) {
        cases.push_back({"point outside the terrain",
                         "terrain profile --dem " + tile("N35E138.hgt") + " --from 35.5,138.5 --to 36.5,138.5",
                         "--to 36.500000,138.500000 is outside the terrain"});
        cases.push_back({"malformed coordinate",
                         "terrain profile --dem " + tile("N35E138.hgt") + " --from '35.5;138.5' --to 35.6,138.5",
                         "expected LAT,LON"});
        cases.push_back({"negative spacing",
                         "terrain profile --dem " + tile("N35E138.hgt") + " --from 35.5,138.5 --to 35.6,138.5 --spacing-m -5",
                         "--spacing-m"});
    }
    for (const auto& c : cases) {
        const Run r = run_dxplan(c.args);
        INFO(c.what << ": dxplan " << c.args << "\nstderr: " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(lines(r.err) == 1);
        CHECK(r.err.find(c.expect) != std::string::npos);
        CHECK(r.out.empty());
    }
    fs::remove_all(dir);
}
