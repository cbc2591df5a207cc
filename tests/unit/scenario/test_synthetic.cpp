// The synthetic valley (libsim/terrain/synthetic.hpp): bit-identical per seed, and the layout it promises.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "libsim/terrain/synthetic.hpp"

using namespace dxplan;

namespace {

const ClutterTable& table() {
    static const ClutterTable t = load_clutter_table(default_clutter_table_path());
    return t;
}

ClutterCategory category_at(const SyntheticValley& v, LatLon p) {
    const ClutterClass* c = v.land_cover.clutter_at(p);
    REQUIRE(c != nullptr);
    return c->category;
}

}  // namespace

TEST_CASE("synthetic valley: same seed, bit-identical heights and classes", "[synthetic]") {
    const SyntheticValley a = make_synthetic_valley(1, table());
    const SyntheticValley b = make_synthetic_valley(1, table());
    const auto& ha = a.terrain.grid().values;
    const auto& hb = b.terrain.grid().values;
    REQUIRE(ha.size() == hb.size());
    CHECK(std::memcmp(ha.data(), hb.data(), ha.size() * sizeof(float)) == 0);
    CHECK(a.land_cover.classes() == b.land_cover.classes());

    const SyntheticValley c = make_synthetic_valley(2, table());
    CHECK(c.terrain.grid().values != ha);        // the seed changes the fine relief
    CHECK(c.town_hall.lat_deg == a.town_hall.lat_deg);  // but not the layout
    CHECK(c.town_hall.lon_deg == a.town_hall.lon_deg);
}

TEST_CASE("synthetic valley: grid, heights and layout", "[synthetic]") {
    const SyntheticValley v = make_synthetic_valley(1, table());
    const GeoGrid& g = v.terrain.grid();
    CHECK(g.rows == 397);
    CHECK(g.cols == 505);
    CHECK(g.dlat_deg == Approx(1.0 / 3600.0));
    CHECK(v.terrain.native_spacing_m() == Approx(30.8).margin(0.1));  // 1" N-S at 36 N, +-0.1 m
    const GeoBox b = g.bounds();
    CHECK((b.south_deg + b.north_deg) / 2 == Approx(36.0).margin(1e-9));
    CHECK((b.west_deg + b.east_deg) / 2 == Approx(138.2).margin(1e-9));
    const GeoGrid& lc = v.land_cover.layout();
    CHECK((lc.rows == g.rows && lc.cols == g.cols && lc.north_deg == g.north_deg && lc.west_deg == g.west_deg));

    const auto [lo, hi] = std::minmax_element(g.values.begin(), g.values.end());
    CHECK(*lo >= 630.0f);   // valley floor 640 m at the south edge
    CHECK(*hi >= 1300.0f);  // ridges
    CHECK(*hi <= 1800.0f);

    // The village (town hall) lies on the valley floor, below every hamlet, on built-up land.
    const double village_m = v.terrain.height_m(v.town_hall);
    CHECK(village_m < 760.0);
    CHECK(category_at(v, v.town_hall) == ClutterCategory::suburban);
    REQUIRE(v.places.size() == 5);
    CHECK(v.places[0].kind == "village");
    for (std::size_t i = 1; i < v.places.size(); ++i) {
        INFO(v.places[i].id);
        CHECK(v.places[i].kind == "hamlet");
        CHECK(v.terrain.height_m(v.places[i].pos) > village_m - 80.0);  // minami's junction lies 50 m lower
        CHECK(category_at(v, v.places[i].pos) == ClutterCategory::suburban);
    }

    // Land cover: mostly forest, with river, paddies, built-up and grass above the tree line.
    std::vector<std::size_t> n(6, 0);
    for (std::uint8_t c : v.land_cover.classes()) ++n[static_cast<std::size_t>(table().find(c)->category)];
    const double total = static_cast<double>(v.land_cover.classes().size());
    CHECK(n[static_cast<std::size_t>(ClutterCategory::forest)] / total > 0.5);
    CHECK(n[static_cast<std::size_t>(ClutterCategory::water)] > 0);
    CHECK(n[static_cast<std::size_t>(ClutterCategory::cropland)] / total > 0.05);
    CHECK(n[static_cast<std::size_t>(ClutterCategory::suburban)] > 0);
    CHECK(n[static_cast<std::size_t>(ClutterCategory::open)] > 0);

    // Roads: the valley road from the south edge to the north edge, then one branch through each hamlet.
    REQUIRE(v.roads.size() == 5);
    CHECK(v.roads[0].front().lat_deg < b.south_deg + 0.01);
    CHECK(v.roads[0].back().lat_deg > b.north_deg - 0.01);
    for (std::size_t i = 1; i < v.roads.size(); ++i) {
        const LatLon h = v.places[i].pos;
        const bool through = std::any_of(v.roads[i].begin(), v.roads[i].end(), [&](LatLon p) {
            return std::abs(p.lat_deg - h.lat_deg) < 1e-9 && std::abs(p.lon_deg - h.lon_deg) < 1e-9;
        });
        CHECK(through);
    }
}
