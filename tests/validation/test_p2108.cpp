// ITU-R P.2108-1 clutter loss against ../shared/validation/p2108 (NTIA p2108-test-data), sec. 3.1, 3.2, 3.3,
// including the error cases (rtn != 0). Tolerance 0.05 dB (SOURCES.md; references given to 0.1 dB).
// Error codes: out-of-range frequency (32, 48, 64) and terrestrial distance (49) are validity limits, which
// dxplan reports as warnings; non-physical inputs (33 h, 34 w_s, 35 R, 50/66 p, 65 theta) throw InputError.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/p2108.hpp"
#include "tests/test_paths.hpp"
#include "tests/validation/stat_csv.hpp"
#include "tests/skip.hpp"

using namespace dxplan::prop;
using dxplan::test::num;

namespace {
bool has(const std::vector<std::string>& w, const std::string& s) { return std::find(w.begin(), w.end(), s) != w.end(); }
}  // namespace

TEST_CASE("P.2108 sec. 3.1 height-gain terminal correction", "[validation][p2108]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: P.2108 sets not checked");
    const auto path = dxplan::test::validation_dir() / "p2108" / "HeightGainTerminalCorrectionModelTestData.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 7);  // f_ghz, h_m, w_s_m, R_m, clutter_type, rtn, A_h_db
        P2108HeightGainInput in;
        in.f_ghz = num(r[0]);
        in.h_m = num(r[1]);
        in.w_s_m = num(r[2]);
        in.r_m = num(r[3]);
        in.clutter = static_cast<P2108Clutter>(static_cast<int>(num(r[4])));
        const int rtn = static_cast<int>(num(r[5]));
        INFO("row " << checked << " rtn " << rtn);
        if (rtn == 0) {
            const auto res = p2108_height_gain_correction(in);
            CHECK(res.warnings.empty());
            CHECK(res.loss_db == Approx(num(r[6])).margin(0.05));  // 0.05 dB
        } else if (rtn == 32) {
            CHECK(has(p2108_height_gain_correction(in).warnings, "frequency_out_of_range"));
        } else {
            REQUIRE((rtn == 33 || rtn == 34 || rtn == 35));
            CHECK_THROWS_AS(p2108_height_gain_correction(in), dxplan::InputError);
        }
        ++checked;
    }
    std::cout << "P.2108 height-gain: " << checked << " rows checked (0.05 dB, error cases)\n";
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked == 23);  // the NTIA file's data rows (SOURCES.md says 22)
}

TEST_CASE("P.2108 sec. 3.2 terrestrial statistical clutter loss", "[validation][p2108]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent");
    const auto path = dxplan::test::validation_dir() / "p2108" / "TerrestrialStatisticalModelTestData.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 5);  // f_ghz, d_km, p, rtn, L_ctt_db
        const int rtn = static_cast<int>(num(r[3]));
        INFO("row " << checked << " rtn " << rtn);
        if (rtn == 0) {
            const auto res = p2108_terrestrial_clutter_loss(num(r[0]), num(r[1]), num(r[2]));
            CHECK(res.warnings.empty());
            CHECK(res.loss_db == Approx(num(r[4])).margin(0.05));  // 0.05 dB
        } else if (rtn == 48) {
            CHECK(has(p2108_terrestrial_clutter_loss(num(r[0]), num(r[1]), num(r[2])).warnings, "frequency_out_of_range"));
        } else if (rtn == 49) {
            CHECK(has(p2108_terrestrial_clutter_loss(num(r[0]), num(r[1]), num(r[2])).warnings, "distance_out_of_range"));
        } else {
            REQUIRE(rtn == 50);
            CHECK_THROWS_AS(p2108_terrestrial_clutter_loss(num(r[0]), num(r[1]), num(r[2])), dxplan::InputError);
        }
        ++checked;
    }
    std::cout << "P.2108 terrestrial: " << checked << " rows checked (0.05 dB, error cases)\n";
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked == 12);  // the NTIA file's data rows
}

TEST_CASE("P.2108 sec. 3.3 aeronautical statistical clutter loss", "[validation][p2108]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent");
    const auto path = dxplan::test::validation_dir() / "p2108" / "AeronauticalStatisticalModelTestData.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 5);  // f_ghz, theta_deg, p, rtn, L_ces_db
        const int rtn = static_cast<int>(num(r[3]));
        INFO("row " << checked << " rtn " << rtn);
        if (rtn == 0) {
            const auto res = p2108_aeronautical_clutter_loss(num(r[0]), num(r[1]), num(r[2]));
            CHECK(res.warnings.empty());
            CHECK(res.loss_db == Approx(num(r[4])).margin(0.05));  // 0.05 dB
        } else if (rtn == 64) {
            CHECK(has(p2108_aeronautical_clutter_loss(num(r[0]), num(r[1]), num(r[2])).warnings, "frequency_out_of_range"));
        } else {
            REQUIRE((rtn == 65 || rtn == 66));
            CHECK_THROWS_AS(p2108_aeronautical_clutter_loss(num(r[0]), num(r[1]), num(r[2])), dxplan::InputError);
        }
        ++checked;
    }
    std::cout << "P.2108 aeronautical: " << checked << " rows checked (0.05 dB, error cases)\n";
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked == 13);  // the NTIA file's data rows
}
