#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/profile.hpp"
#include "libsim/core/units.hpp"

using namespace dxplan;

TEST_CASE("atomic write leaves nothing when the writer fails", "[core]") {
    const auto dir = std::filesystem::temp_directory_path() / "dxplan_test_core";
    std::filesystem::create_directories(dir);
    const auto target = dir / "out.txt";
    std::filesystem::remove(target);
    REQUIRE_THROWS_AS(write_atomically(target,
                                       [](const std::filesystem::path& tmp) {
                                           std::ofstream(tmp) << "half";
                                           throw std::runtime_error("interrupted");
                                       }),
                      std::runtime_error);
    CHECK_FALSE(std::filesystem::exists(target));
    for (const auto& e : std::filesystem::directory_iterator(dir)) FAIL("left behind: " << e.path());
    write_text_atomically(target, "done");
    std::ifstream in(target);
    std::string s;
    in >> s;
    CHECK(s == "done");
    std::filesystem::remove_all(dir);
}

TEST_CASE("profile length and units", "[core]") {
    Profile p{30.0, {1, 2, 3, 4}};
    CHECK(p.length_m() == 90.0);
    CHECK(ProfileView(p).length_m() == 90.0);
    CHECK(wavelength_m(299.792458) == Approx(1.0).epsilon(1e-12));
    CHECK(mw_to_dbm(1000.0) == Approx(30.0));
}
