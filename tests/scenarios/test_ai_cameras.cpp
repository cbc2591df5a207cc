// scenarios/ai-cameras.yaml end to end (issue 14 item 4): cameras with edge AI and paddy sensors on the synthetic
// valley. The report's "Many terminals" section (summary.json many_terminals.edge) shows, per technology serving
// the cameras, raw video and edge inference side by side; the figures are checked against hand computations from
// the camera profile (models/traffic/camera-1080p-h265.yaml), the catalogue (models/economics/catalogue.yaml
// edge-ai-computer) and the scenario's economics.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "libsim/scenario/pipeline.hpp"
#include "tests/test_paths.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

// By hand, from the files named in the header:
//  raw:  the H.265 video stream, bit_rate_kbps 2000 (payload bits; headers are the load model's business);
//  edge: detections 200 B every 1 s = 1600 bit/s, plus the event snapshot, a 100 000-byte frame at
//        0.00333 frames/s = 100 000 x 8 x 0.00333 = 2664 bit/s; together 4264 bit/s = 4.264 kbit/s.
constexpr double kRawKbps = 2000.0;
constexpr double kEdgeKbps = (200.0 * 8.0 / 1.0 + 100000.0 * 8.0 * 0.00333) / 1000.0;  // 4.264

// One edge-ai-computer over the scenario's 10 years at 3 %: capex 80 000 JPY in year 0 plus opex 4 100 JPY/yr in
// years 1..10 discounted, sum_{t=1..10} 1.03^-t = (1 - 1.03^-10) / 0.03 = 8.530203; 80 000 + 4 100 x 8.530203
// = 114 973.83 JPY.
constexpr double kEdgeComputerNpvJpy = 80000.0 + 4100.0 * 8.530203;

}  // namespace

TEST_CASE("ai-cameras scenario: raw vs edge per technology against hand computations", "[scenarios][traffic]") {
    const fs::path out = fs::temp_directory_path() / ("dxplan_test_ai_cameras_" + std::to_string(::getpid()));
    fs::remove_all(out);
    RunConfig cfg{test::source_dir() / "scenarios" / "ai-cameras.yaml", out};
    (void)run_scenario(cfg);
    nlohmann::json j;
    std::ifstream(out / "summary.json") >> j;
    REQUIRE(j["many_terminals"].is_object());
    const auto& edge = j["many_terminals"]["edge"];
    REQUIRE(edge.size() >= 2);
    std::size_t pairs = 0;
    for (std::size_t i = 0; i + 1 < edge.size(); i += 2) {
        const auto& raw = edge[i];
        const auto& ed = edge[i + 1];
        INFO(raw["technology"].get<std::string>());
        REQUIRE(raw["technology"] == ed["technology"]);
        REQUIRE(raw["processing"] == "raw");
        REQUIRE(ed["processing"] == "edge");
        CHECK(raw["uplink_kbps_per_terminal"].get<double>() == Approx(kRawKbps).epsilon(1e-9));
        CHECK(ed["uplink_kbps_per_terminal"].get<double>() == Approx(kEdgeKbps).epsilon(1e-9));
        if (raw["cameras_total"].is_null()) continue;  // a technology without the scenario's cameras in signal
        ++pairs;
        const double cams = raw["cameras_total"].get<double>(), busiest = raw["cameras"].get<double>();
        CHECK(cams >= 1.0);
        CHECK(cams <= 6.0);  // the scenario has six cameras
        // the busiest cell's uplink: its cameras x the per-camera rate
        CHECK(raw["uplink_mbps_busiest_cell"].get<double>() == Approx(busiest * kRawKbps / 1000.0).epsilon(1e-9));
        CHECK(ed["uplink_mbps_busiest_cell"].get<double>() == Approx(busiest * kEdgeKbps / 1000.0).epsilon(1e-9));
        // edge costs one edge computer per camera more than raw, nothing else
        CHECK(raw["edge_computers_npv_jpy"].get<double>() == 0.0);
        CHECK(ed["edge_computers_npv_jpy"].get<double>() == Approx(cams * kEdgeComputerNpvJpy).epsilon(1e-6));
        CHECK(ed["npv_jpy"].get<double>() - raw["npv_jpy"].get<double>() == Approx(cams * kEdgeComputerNpvJpy).epsilon(1e-6));
        // 2 Mbit/s per camera needs 469 times the airtime of 4.264 kbit/s: edge carries at least as many cameras
        CHECK(ed["max_terminals"].get<double>() >= raw["max_terminals"].get<double>());
    }
    CHECK(pairs >= 1);  // Local 5G at least has the cameras in signal
    fs::remove_all(out);
}
