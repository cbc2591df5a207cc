// 3GPP TR 38.901 Table 7.4.1-1 path loss against ../shared/validation/tr38901 (numbers from ns-3's test suite,
// f = 5 GHz, hUT = 1.5 m, RMa h = 5 m, W = 20 m, UMa/UMi hE = 1 m). Tolerance 0.01 dB (SOURCES.md).
#include <catch2/catch.hpp>

#include <iostream>
#include <string>

#include "models/propagation/tr38901.hpp"
#include "tests/test_paths.hpp"
#include "tests/validation/stat_csv.hpp"
#include "tests/skip.hpp"

using namespace dxplan::prop;

TEST_CASE("TR 38.901 path loss, ns-3 vectors", "[validation][tr38901]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: TR 38.901 vectors not checked");
    const auto path = dxplan::test::validation_dir() / "tr38901" / "three-gpp-pathloss-test-vectors.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 7);
        const std::string& sc = r[0];
        Tr38901Input in;
        in.scenario = sc == "RMa"                ? Tr38901Scenario::rma
                      : sc == "UMa"              ? Tr38901Scenario::uma
                      : sc == "UMi-StreetCanyon" ? Tr38901Scenario::umi_street_canyon
                                                 : Tr38901Scenario::inh_office_mixed;
        if (sc != "RMa" && sc != "UMa" && sc != "UMi-StreetCanyon") REQUIRE(sc == "InH-OfficeMixed");
        in.h_bs_m = dxplan::test::num(r[1]);
        in.h_ut_m = dxplan::test::num(r[2]);
        in.f_ghz = dxplan::test::num(r[3]);
        in.d_2d_m = dxplan::test::num(r[4]);
        REQUIRE((r[5] == "LOS" || r[5] == "NLOS"));
        in.los = r[5] == "LOS";
        const double expected_db = dxplan::test::num(r[6]);
        INFO(sc << " " << r[5] << " d2D = " << in.d_2d_m << " m");
        CHECK(tr38901_loss(in).loss_db == Approx(expected_db).margin(0.01));  // 0.01 dB
        ++checked;
    }
    std::cout << "TR 38.901: " << checked << " rows checked at 0.01 dB\n";
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked == 32);
}
