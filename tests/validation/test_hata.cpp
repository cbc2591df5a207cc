// Okumura-Hata and COST-231 Hata against ../shared/validation/hata (numbers from ns-3's test suite).
// Rows that follow the standard formula: 0.1 dB against ns-3's reference (SOURCES.md). The file's header
// documents where ns-3's references are not the standard formula and gives the standard values; those rows
// are checked against the header's standard values at 0.01 dB (values given to 2 decimals).
#include <catch2/catch.hpp>

#include <iostream>
#include <regex>
#include <string>

#include "models/propagation/hata.hpp"
#include "tests/test_paths.hpp"
#include "tests/validation/stat_csv.hpp"
#include "tests/skip.hpp"

using namespace dxplan::prop;

TEST_CASE("Okumura-Hata and COST-231 Hata, ns-3 vectors and standard formula", "[validation][hata]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: Hata vectors not checked");
    const auto path = dxplan::test::validation_dir() / "hata" / "okumura-hata-test-vectors.csv";
    const auto t = dxplan::test::read_csv_table(path);
    // Standard values stated in the header's caveats.
    double std_suburban_db = 0.0, std_open_db = 0.0, std_cost231_large_db = 0.0;
    for (const auto& c : t.comments) {
        std::smatch m;
        if (std::regex_search(c, m, std::regex(R"(give ([0-9.]+) \(suburban\) and ([0-9.]+) \(open\))"))) {
            std_suburban_db = std::stod(m[1]);
            std_open_db = std::stod(m[2]);
        }
        if (std::regex_search(c, m, std::regex(R"(standard COST-231 with large-city a\(hm\) and C=3 gives ([0-9.]+))")))
            std_cost231_large_db = std::stod(m[1]);
    }
    REQUIRE(std_suburban_db > 0.0);
    REQUIRE(std_open_db > 0.0);
    REQUIRE(std_cost231_large_db > 0.0);

    std::size_t checked = 0, checked_standard = 0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 8);
        HataInput in;
        in.f_mhz = dxplan::test::num(r[0]);
        in.d_km = dxplan::test::num(r[1]);
        in.h_b_m = dxplan::test::num(r[2]);
        in.h_m_m = dxplan::test::num(r[3]);
        const std::string& env = r[4];
        in.environment = env == "urban" ? HataEnvironment::urban
                         : env == "suburban" ? HataEnvironment::suburban
                                             : HataEnvironment::open;
        in.city = r[5].rfind("large", 0) == 0 ? HataCity::large : HataCity::small_medium;
        const bool cost231 = r[6] == "COST231-Hata";
        const double ns3_db = dxplan::test::num(r[7]);
        const double loss_db = cost231 ? cost231_hata_loss(in).loss_db : okumura_hata_loss(in).loss_db;
        INFO(r[6] << " " << env << " " << r[5] << ": " << loss_db << " dB, ns-3 " << ns3_db << " dB");
        if (cost231 && in.city == HataCity::large) {
            // ns-3 omits the -4.97 dB of the large-city a(hm): standard formula from the header.
            CHECK(loss_db == Approx(std_cost231_large_db).margin(0.01));  // 0.01 dB
            CHECK(loss_db - ns3_db == Approx(4.97).margin(0.01));         // the documented missing term, 0.01 dB
            ++checked_standard;
        } else {
            CHECK(loss_db == Approx(ns3_db).margin(0.1));  // 0.1 dB
            if (in.environment == HataEnvironment::suburban) {
                CHECK(loss_db == Approx(std_suburban_db).margin(0.01));  // 0.01 dB, header's standard value
                ++checked_standard;
            }
            if (in.environment == HataEnvironment::open) {
                CHECK(loss_db == Approx(std_open_db).margin(0.01));  // 0.01 dB, header's standard value
                ++checked_standard;
            }
        }
        ++checked;
    }
    std::cout << "Hata: " << checked << " rows checked (0.1 dB vs ns-3; " << checked_standard
              << " of them against the header's standard-formula values at 0.01 dB)\n";
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked == 6);
    REQUIRE(checked_standard == 3);
}
