// Land cover: JAXA classes at known places (values checked beforehand with gdallocationinfo -wgs84), and the
// class -> clutter table kept as data in models/landcover/.
#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

#include "libsim/core/error.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

using dxplan::ClutterCategory;
using dxplan::GeoBox;
using dxplan::InputError;
namespace fs = std::filesystem;

namespace {

fs::path jaxa() { return dxplan::test::terrain_dir() / "JAXA_HRLULC_Japan_v23.12_250m.tif"; }

}  // namespace

TEST_CASE("JAXA land cover: classes and clutter at known points around Kofu and Mt Fuji", "[landcover][real]") {
    if (!fs::exists(jaxa())) return dxplan::test::skip(jaxa().string() + " is absent (../shared not present)");
    const auto lc = dxplan::load_land_cover(jaxa(), GeoBox{35.4, 138.4, 35.8, 138.9});
    CHECK(lc.layout().dlat_deg == Approx(1.0 / 480));
    CHECK(lc.layout().rows * lc.layout().cols == static_cast<int>(lc.classes().size()));
    struct Known {
        const char* place;
        double lat_deg, lon_deg;
        int class_id;
        ClutterCategory category;
    };
    // gdallocationinfo -valonly -wgs84 JAXA_HRLULC_Japan_v23.12_250m.tif LON LAT gives the same class at the
    // point and at its 8 neighbours 0.0025 deg away for each of these.
    const Known known[] = {
        {"Lake Kawaguchi", 35.515, 138.76, 1, ClutterCategory::water},
        {"central Kofu (station)", 35.6668, 138.5688, 2, ClutterCategory::suburban},
        {"Misaka mountains forest", 35.56, 138.72, 6, ClutterCategory::forest},
    };
    for (const auto& k : known) {
        INFO(k.place << " at " << k.lat_deg << "," << k.lon_deg);
        CHECK(lc.class_at({k.lat_deg, k.lon_deg}) == k.class_id);
        const auto* c = lc.clutter_at({k.lat_deg, k.lon_deg});
        REQUIRE(c != nullptr);
        CHECK(c->category == k.category);
    }
    CHECK(lc.clutter_at({35.515, 138.76})->name == "Water bodies");
    CHECK(lc.clutter_at({35.56, 138.72})->clutter_height_m == 15.0);
    CHECK_THROWS_WITH(lc.class_at({36.5, 138.5}), Catch::Contains("outside the land cover"));
    CHECK_THROWS_WITH(dxplan::load_land_cover(jaxa(), GeoBox{50.0, 138.0, 51.0, 139.0}),
                      Catch::Contains("JAXA_HRLULC") && Catch::Contains("outside the land cover"));
}

TEST_CASE("the JAXA clutter table covers classes 1..14 with a category, height and source", "[landcover]") {
    const auto table = dxplan::load_clutter_table(dxplan::default_clutter_table_path());
    CHECK(table.classes().size() == 14);
    for (int id = 1; id <= 14; ++id) {
        INFO("class " << id);
        const auto* c = table.find(id);
        REQUIRE(c != nullptr);
        CHECK_FALSE(c->name.empty());
        CHECK_FALSE(c->height_source.empty());
        CHECK((c->clutter_height_m >= 0 && c->clutter_height_m <= 40));
    }
    CHECK(table.find(0) == nullptr);
    CHECK(table.find(15) == nullptr);
    CHECK(table.find(1)->category == ClutterCategory::water);
    CHECK(table.find(2)->category == ClutterCategory::suburban);
    CHECK(table.find(9)->category == ClutterCategory::forest);
    CHECK(dxplan::to_string(ClutterCategory::cropland) == "cropland");
}

TEST_CASE("a bad clutter table is rejected naming file, line and field", "[landcover][errors]") {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_clutter_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path p = dir / "table.csv";
    const auto write = [&](const std::string& body) {
        std::ofstream(p) << "# comment\nclass_id,jaxa_name,category,clutter_height_m,height_source\n" << body;
    };
    write("1,Water,lake,0,src\n");
    CHECK_THROWS_WITH(dxplan::load_clutter_table(p), Catch::Contains("table.csv:3") && Catch::Contains("category = 'lake'"));
    write("1,Water,water,-3,src\n");
    CHECK_THROWS_WITH(dxplan::load_clutter_table(p), Catch::Contains("table.csv:3") && Catch::Contains("clutter_height_m"));
    write("1,Water,water,0,src\n1,Again,water,0,src\n");
    CHECK_THROWS_WITH(dxplan::load_clutter_table(p), Catch::Contains("listed twice"));
    write("300,Water,water,0,src\n");
    CHECK_THROWS_WITH(dxplan::load_clutter_table(p), Catch::Contains("class_id = '300'"));
    write("1,Water,water,0,\n");
    CHECK_THROWS_WITH(dxplan::load_clutter_table(p), Catch::Contains("height_source"));
    CHECK_THROWS_WITH(dxplan::load_clutter_table(dir / "none.csv"), Catch::Contains("none.csv") && Catch::Contains("not found"));
    fs::remove_all(dir);
}
