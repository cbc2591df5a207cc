// Fuzz target: the demand readers of libsim/scenario/world.cpp (CSV id,lat_deg,lon_deg and GeoJSON Point
// features), through resolve_demand() for a scenario whose one demand entry names the file. The first byte
// chooses the format (even: CSV, odd: GeoJSON); the rest is the file. The terrain is a flat 3 x 3 grid over
// Japan, so points inside it are accepted and points outside give the "outside the terrain" error.
#include "libsim/scenario/world.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

namespace {

World flat_world() {
    GeoGrid g;
    g.rows = 3;
    g.cols = 3;
    g.north_deg = 46.0;
    g.west_deg = 128.0;
    g.dlat_deg = 8.0;
    g.dlon_deg = 9.0;
    g.values.assign(9, 100.0f);
    return World{Terrain(std::move(g)), std::nullopt, {}};
}

}  // namespace

void demand(Bytes data) {
    if (data.empty()) return;
    static const World world = flat_world();
    Scenario s;
    DemandSpec d;
    d.file = write_input(data.subspan(1), data[0] % 2 == 0 ? "demand.csv" : "demand.geojson");
    d.where = "fuzz.yaml:1";
    s.demand.push_back(d);
    const auto points = resolve_demand(s, world);
    (void)points;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(demand)
