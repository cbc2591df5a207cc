// Fuzz target: the road network reader (libsim/network/road_network.cpp load_road_network: GeoJSON through
// GDAL/OGR, then the snapping graph builder), and one node attached to the network read.
#include "libsim/network/road_network.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

void roads(Bytes data) {
    const net::RoadNetwork roads = net::load_road_network(write_input(data, "roads.geojson"), "backhaul.roads");
    const net::RoadAttachment a = net::attach_to_roads(roads, LatLon{36.0, 138.2});
    (void)a;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(roads)
