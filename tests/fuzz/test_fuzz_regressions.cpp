// Every input on which a fuzz target once crashed (tests/fuzz/regressions/TARGET/FILE), replayed through the same
// reader as the fuzzer (fuzz_TARGET.cpp): each must now give a clean InputError, the outcome a user sees as one
// line on stderr and exit 2. README "Sanitizers and fuzzing".
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include "libsim/core/error.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace fs = std::filesystem;
using namespace dxplan;

namespace {

const std::vector<fuzz::Target> targets = {
    {"scenario", fuzz::scenario}, {"profile", fuzz::profile},     {"demand", fuzz::demand}, {"technology", fuzz::technology},
    {"catalogue", fuzz::catalogue}, {"roads", fuzz::roads}, {"raster", fuzz::raster}};

std::vector<std::uint8_t> read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> regressions(const char* target) {
    std::vector<fs::path> files;
    const fs::path dir = fs::path(DXPLAN_SOURCE_DIR) / "tests/fuzz/regressions" / target;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("fuzz regressions: every saved crash input now gives an InputError", "[fuzz]") {
    std::size_t replayed = 0;
    for (const auto& t : targets) {
        for (const fs::path& file : regressions(t.name)) {
            INFO(t.name << ": " << file.filename().string());
            const std::vector<std::uint8_t> bytes = read_bytes(file);
            CHECK_THROWS_AS(t.run(fuzz::Bytes(bytes.data(), bytes.size())), InputError);
            ++replayed;
        }
    }
    INFO("inputs replayed: " << replayed);
    SUCCEED();
}

TEST_CASE("fuzz harness: a valid input from each seed corpus is accepted (the readers are really reached)", "[fuzz]") {
    // One shipped file per reader, wrapped as its target expects: if the harness no longer reached the reader
    // (wrong name, wrong format byte), these would throw.
    const fs::path root = DXPLAN_SOURCE_DIR;
    auto file = [&](const fs::path& p) { return read_bytes(root / p); };
    auto run = [](void (*fn)(fuzz::Bytes), const std::vector<std::uint8_t>& b) { fn(fuzz::Bytes(b.data(), b.size())); };
    CHECK_NOTHROW(run(fuzz::technology, file("models/technology/halow-jp-1mhz.yaml")));
    CHECK_NOTHROW(run(fuzz::catalogue, file("models/economics/catalogue.yaml")));
    CHECK_NOTHROW(run(fuzz::roads, file("scenarios/synthetic-valley-roads.geojson")));
    const std::string csv = "distance_m,elevation_m\n0,100\n100,120\n200,90\n300,110\n";
    CHECK_NOTHROW(run(fuzz::profile, std::vector<std::uint8_t>(csv.begin(), csv.end())));
    const std::string demand = std::string(1, '\0') + "id,lat_deg,lon_deg\nh1,36.0,138.2\n";
    CHECK_NOTHROW(run(fuzz::demand, std::vector<std::uint8_t>(demand.begin(), demand.end())));
    // A point outside the flat test terrain (3 x 3 cells over Japan) is refused with the scenario's line.
    const std::string outside = std::string(1, '\0') + "id,lat_deg,lon_deg\nh1,10.0,138.2\n";
    CHECK_THROWS_AS(run(fuzz::demand, std::vector<std::uint8_t>(outside.begin(), outside.end())), InputError);
}
