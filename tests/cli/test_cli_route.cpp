// dxplan route: a run over the valley route (files, summary.json routes[]), and bad input: one line on stderr
// naming the file or field and the valid range, exit 2, nothing written.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"
#include "tests/test_paths.hpp"

using dxplan::test::run_dxplan;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("dxplan_cli_route_" + std::to_string(::getpid())) / name;
    fs::create_directories(p.parent_path());
    return p;
}

fs::path source(const std::string& rel) { return fs::path(DXPLAN_SOURCE_DIR) / rel; }

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

fs::path line_file(const std::string& name, const std::string& coordinates, const std::string& type = "LineString") {
    const fs::path p = scratch(name);
    std::ofstream(p) << R"({"type":"Feature","properties":{},"geometry":{"type":")" << type << R"(","coordinates":)"
                     << coordinates << "}}";
    return p;
}

// Exit 2, exactly one line on stderr containing every `parts`, and no output directory.
void bad(const std::string& args, const fs::path& out, std::initializer_list<std::string> parts) {
    const auto r = run_dxplan(args);
    INFO(args << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    for (const std::string& p : parts) CHECK(r.err.find(p) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    for (const auto& e : fs::directory_iterator(out.parent_path()))
        CHECK(e.path().filename().string().find(out.filename().string() + ".partial") == std::string::npos);
}

}  // namespace

TEST_CASE("dxplan route --help shows the examples", "[cli][route]") {
    const auto r = run_dxplan("route --help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("--route") != std::string::npos);
    CHECK(r.out.find("--hysteresis-db") != std::string::npos);
    CHECK(r.out.find("Examples") != std::string::npos);
}

TEST_CASE("dxplan route drives the valley route: files and summary.json routes[]", "[cli][route]") {
    const fs::path out = scratch("valley");
    const auto r = run_dxplan("route " + q(source("scenarios/valley-route.yaml")) + " --route " +
                              q(source("scenarios/valley-route.geojson")) + " --tech local5g-n79-100mhz --out " + q(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(std::ifstream(out / "summary.json"));
    REQUIRE(j.at("routes").size() == 1);
    const auto& route = j.at("routes")[0];
    CHECK(route.at("id") == "valley-route");
    CHECK(route.at("length_m").get<double>() > 9000.0);
    CHECK(route.at("tracks").size() == 4);  // one technology x the scenario's four conditions
    for (const auto& f : route.at("files")) CHECK(fs::file_size(out / f.get<std::string>()) > 100);
    // The route's own files only: no report, no loss rasters.
    CHECK_FALSE(fs::exists(out / "report.html"));
    CHECK_FALSE(fs::exists(out / "results.h5"));
    // The route passes the four junctions of the hamlets' branches (intersections: roads).
    CHECK(route.at("tracks")[0].at("intersections").size() == 4);
}

TEST_CASE("dxplan route bad input: exit 2, one line, nothing written", "[cli][route]") {
    const std::string scen = q(source("scenarios/valley-route.yaml"));
    const fs::path out = scratch("bad-out");
    const fs::path ok = source("scenarios/valley-route.geojson");
    bad("route " + scen + " --route " + q(line_file("poly.geojson", "[[[138.2,36.0],[138.21,36.0],[138.21,36.01],[138.2,36.0]]]", "Polygon")) +
            " --out " + q(out),
        out, {"poly.geojson", "must be a LineString or MultiLineString"});
    bad("route " + scen + " --route " + q(line_file("zero.geojson", "[[138.2,36.0],[138.2,36.0]]")) + " --out " + q(out), out,
        {"zero.geojson", "zero length"});
    bad("route " + scen + " --route " + q(ok) + " --speed-kmh 0 --out " + q(out), out, {"--speed-kmh = 0", "(0, 300] km/h"});
    bad("route " + scen + " --route " + q(ok) + " --hysteresis-db=-1 --out " + q(out), out, {"--hysteresis-db = -1", "[0, 30] dB"});
    bad("route " + scen + " --route " + q(ok) + " --tech nosuch --out " + q(out), out, {"--tech nosuch", "valid: "});
    // Found after the planning (the route's samples): outside the terrain, driven back over itself.
    bad("route " + scen + " --route " + q(line_file("far.geojson", "[[138.2,36.0],[138.2,36.3]]")) +
            " --tech lorawan-as923-jp --out " + q(out),
        out, {"far.geojson", "leaves the terrain", "inside the scenario's terrain"});
    bad("route " + scen + " --route " + q(line_file("back.geojson", "[[138.2,36.0],[138.2,36.01],[138.2,36.0]]")) +
            " --tech lorawan-as923-jp --out " + q(out),
        out, {"back.geojson", "overlaps itself"});
    // In a scenario's routes: the file, line and field.
    const fs::path yaml = scratch("bad-speed.yaml");
    {
        std::ifstream in(source("scenarios/valley-route.yaml"));
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string from = "- {from_m: 4000, speed_kmh: 30}";
        text.replace(text.find(from), from.size(), "- {from_m: 4000, speed_kmh: 0}");
        const std::string file = "file: valley-route.geojson";
        text.replace(text.find(file), file.size(), "file: " + ok.string());
        const std::string roads = "roads: synthetic-valley-roads.geojson";
        text.replace(text.find(roads), roads.size(), "roads: " + source("scenarios/synthetic-valley-roads.geojson").string());
        std::ofstream(yaml) << text;
    }
    bad("run " + q(yaml) + " --out " + q(out), out, {"bad-speed.yaml:", "routes[0].speed_kmh[1].speed_kmh", "(0, 300] km/h"});
}
