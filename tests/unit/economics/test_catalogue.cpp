#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "libsim/core/error.hpp"
#include "libsim/economics/catalogue.hpp"

using namespace dxplan::econ;

TEST_CASE("the shipped catalogue loads and every price has a source, status and date", "[catalogue]") {
    const Catalogue c = load_catalogue(default_catalogue_path());
    REQUIRE(c.items.size() >= 10);
    for (const auto& it : c.items) {
        INFO(it.id);
        CHECK_FALSE(it.source.empty());
        CHECK_FALSE(it.date.empty());
        CHECK(it.low_jpy <= main_price_jpy(it));
        CHECK(it.high_jpy >= main_price_jpy(it));
    }
    // Internet access itself is not eligible (../shared/reference/programme.md ③); network equipment and the
    // solution devices are.
    CHECK_FALSE(c.item("backhaul-line").eligible);
    CHECK(c.item("l5g-gnb-outdoor").eligible);
    CHECK(c.item("lora-device").eligible);
}

TEST_CASE("bill of materials multiplies quantities by unit prices", "[catalogue]") {
    const Catalogue c = load_catalogue(default_catalogue_path());
    Quantities q;
    q.sites = 3;
    q.devices = 40;
    const auto bom = bill_of_materials(c, {"halow-ap-outdoor", "pole-new", "halow-sta", "backhaul-line"}, q, "halow");
    double capex = 0.0;
    for (const auto& b : bom) capex += b.quantity * b.unit_capex_jpy;
    const double expected = 3 * (c.item("halow-ap-outdoor").capex_jpy + c.item("pole-new").capex_jpy) +
                            40 * c.item("halow-sta").capex_jpy;
    CHECK(capex == Approx(expected).margin(1e-6));
}

TEST_CASE("catalogue errors name the file, line and field", "[catalogue]") {
    const auto dir = std::filesystem::temp_directory_path() / "dxplan_catalogue_test";
    std::filesystem::create_directories(dir);
    auto write = [&](const std::string& body) {
        std::ofstream(dir / "c.yaml") << "version: x\ncurrency: JPY\nitems:\n" << body;
        return dir / "c.yaml";
    };
    const std::string good =
        "  - id: a\n    name_en: A\n    name_ja: A\n    per: site\n    acquisition: purchase\n"
        "    capex_jpy: 10\n    opex_jpy_per_year: 0\n    source: s\n    status: assumption\n    date: d\n";
    REQUIRE_NOTHROW(load_catalogue(write(good)));
    REQUIRE_THROWS_WITH(load_catalogue(write(good + "    colour: red\n")),
                        Catch::Contains("c.yaml:14: items[0].colour: unknown key"));
    std::string bad = good;
    bad.replace(bad.find("capex_jpy: 10"), 13, "capex_jpy: ten");
    REQUIRE_THROWS_WITH(load_catalogue(write(bad)), Catch::Contains("capex_jpy = 'ten'"));
    bad = good;
    bad.replace(bad.find("capex_jpy: 10"), 13, "capex_jpy: -5");
    REQUIRE_THROWS_WITH(load_catalogue(write(bad)), Catch::Contains("must be >= 0"));
    bad = good;
    bad.replace(bad.find("    source: s\n"), 14, "");
    REQUIRE_THROWS_WITH(load_catalogue(write(bad)), Catch::Contains("source: required"));
    REQUIRE_THROWS_WITH(load_catalogue(dir / "missing.yaml"), Catch::Contains("not found"));
    std::filesystem::remove_all(dir);
}
