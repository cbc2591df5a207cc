// ITU-R P.838-3 rain coefficients and specific attenuation against ../shared/validation/p838
// (ITU-Rpy test data from the ITU-R SG3 validation spreadsheets). Tolerance 1e-6 relative (SOURCES.md).
#include <catch2/catch.hpp>

#include <iostream>

#include "models/propagation/p838.hpp"
#include "tests/test_paths.hpp"
#include "tests/validation/stat_csv.hpp"
#include "tests/skip.hpp"

using namespace dxplan::prop;
using dxplan::test::num;

TEST_CASE("P.838-3 k, alpha and gamma_R", "[validation][p838]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: P.838 set not checked");
    const auto path = dxplan::test::validation_dir() / "p838" / "ITURP838-3_rain_specific_attenuation.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 7);  // el, f, R, tau, k, alpha, gamma_r
        const P838Result g = p838_specific_attenuation(num(r[1]), num(r[2]), num(r[0]), num(r[3]));
        INFO("el = " << r[0] << " f = " << r[1] << " GHz R = " << r[2] << " mm/h tau = " << r[3]);
        CHECK(g.coefficients.k == Approx(num(r[4])).epsilon(1e-6));      // 1e-6 relative
        CHECK(g.coefficients.alpha == Approx(num(r[5])).epsilon(1e-6));  // 1e-6 relative
        CHECK(g.gamma_r_db_per_km == Approx(num(r[6])).epsilon(1e-6));   // 1e-6 relative
        ++checked;
    }
    std::cout << "P.838-3: " << checked << " rows checked (k, alpha, gamma_R at 1e-6 relative)\n";
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked > 0);
}
