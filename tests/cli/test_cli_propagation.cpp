// `dxplan run` bad input of the propagation settings (issue 12): a model outside a technology's frequency, a
// negative rain rate, a season that does not exist: exit 2, one line on stderr naming the file, line, field and the
// valid values, nothing written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/run_cli.hpp"

using namespace dxplan::test;
namespace fs = std::filesystem;

namespace {

fs::path scratch() {
    const fs::path d = fs::temp_directory_path() / ("dxplan_cli_prop_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// The scenario's lines; line 6 is the technologies entry, lines 13-14 the propagation switch under test.
fs::path scenario(const std::string& name, const std::string& technology, const std::string& propagation_extra,
                  const std::string& model = "itm") {
    const fs::path p = scratch() / name;
    std::ofstream(p) << "name: bad-input\n"                                                          // 1
                     << "terrain:\n  synthetic: {seed: 1}\n"                                         // 2-3
                     << "land_cover:\n  synthetic: true\n"                                           // 4-5
                     << "technologies:\n  - " << technology << "\n"                                  // 6-7
                     << "sites:\n  - {id: a, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20}\n"  // 8-9
                     << "propagation:\n  model: " << model << "\n  f_mhz: 920\n  resolution_m: 100\n"  // 10-13
                     << propagation_extra;                                                           // 14-
    return p;
}

void require_bad_input(const fs::path& file, const std::string& expect) {
    const fs::path out = scratch() / ("out-" + file.stem().string());
    const CliRun r = run_dxplan("run " + q(file) + " --out " + q(out));
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(file.string() + ":" ) != std::string::npos);
    CHECK(r.err.find(expect) != std::string::npos);
    bool leftover = false;
    for (const auto& e : fs::directory_iterator(scratch()))
        leftover = leftover || e.path().filename().string().rfind(out.filename().string(), 0) == 0;
    CHECK_FALSE(leftover);
}

}  // namespace

TEST_CASE("dxplan run bad input: a model outside the technology's frequency", "[cli][run][propagation]") {
    const fs::path f = scenario("model-freq.yaml", "{profile: local5g-n257-100mhz, model: itm}", "");
    require_bad_input(f, f.string() + ":7: technologies[0].model = itm: technology local5g-n257-100mhz at 28650 MHz is "
                                      "outside model itm's valid range 20-20000 MHz; valid models there: ");
    // The scenario's model inherited by a technology outside its range: the entry's line, the technology, the range.
    const fs::path g = scenario("model-inherited.yaml", "local5g-n79-100mhz", "", "hata-urban-large");
    require_bad_input(g, g.string() + ":7: technologies[0] (propagation.model) = hata-urban-large: technology "
                                      "local5g-n79-100mhz at 4850 MHz is outside model hata-urban-large's valid range "
                                      "150-1500 MHz; valid models there: ");
}

TEST_CASE("dxplan run bad input: a negative rain rate", "[cli][run][propagation]") {
    const fs::path f = scenario("rain.yaml", "halow-jp-4mhz", "  rain: {rate_mm_h: -5, time_pct: 0.01}\n");
    require_bad_input(f, f.string() + ":14: propagation.rain.rate_mm_h = -5: must be in [0, 300] mm/h");
}

TEST_CASE("dxplan run bad input: a season that does not exist", "[cli][run][propagation]") {
    const fs::path f = scenario("season.yaml", "halow-jp-4mhz", "  vegetation: {season: winter}\n");
    require_bad_input(f, f.string() + ":14: propagation.vegetation.season = winter: must be one of in_leaf, bare");
}

TEST_CASE("dxplan run bad input: a building type that does not exist", "[cli][run][propagation]") {
    const fs::path f = scenario("building.yaml", "halow-jp-4mhz", "  building_entry: {building: glass}\n");
    require_bad_input(f, f.string() + ":14: propagation.building_entry.building = glass: must be one of traditional, "
                                      "thermally_efficient");
}
