// Fuzz target: the scenario loader (libsim/scenario/scenario.cpp load_scenario), YAML from a file. Beside the
// scenario lie the files a scenario may name (so that the seed corpus's references resolve and the loader goes
// on past them): the synthetic valley's roads, a demand CSV and a demand GeoJSON.
#include <fstream>
#include <iterator>

#include "libsim/scenario/scenario.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

namespace {

void write_companions() {
    std::ifstream roads(std::filesystem::path(DXPLAN_SOURCE_DIR) / "scenarios/synthetic-valley-roads.geojson");
    const std::string text{std::istreambuf_iterator<char>(roads), std::istreambuf_iterator<char>()};
    write_input(text, "synthetic-valley-roads.geojson");
    write_input("id,lat_deg,lon_deg\nh1,36.0,138.2\n", "demand.csv");
    write_input(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",)"
                R"("coordinates":[138.2,36.0]},"properties":{"id":"p1"}}]})",
                "demand.geojson");
}

}  // namespace

void scenario(Bytes data) {
    static const bool companions = (write_companions(), true);
    (void)companions;
    const Scenario s = load_scenario(write_input(data, "scenario.yaml"));
    (void)s;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(scenario)
