// ITU-R P.676 gaseous attenuation against ../shared/validation/p676: specific attenuation gamma_o, gamma_w
// (Annex 1, line-by-line) from the ITU-R SG3 validation data for P.676-12 and -13 (via ITU-Rpy) and from
// crc-covlib; slant-path A_gas of P.676-12 Annex 2 (zenith water-vapour method with V_t) and of P.676-13
// Annex 2 (instantaneous method, Part 1 h_o coefficients).
// Tolerance 1e-6 relative (SOURCES.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/p676.hpp"
#include "tests/test_paths.hpp"
#include "tests/validation/stat_csv.hpp"
#include "tests/skip.hpp"

using namespace dxplan::prop;
using dxplan::test::num;

namespace {

double rel_err(double got, double want) { return std::abs(got - want) / std::max(std::abs(want), 1e-300); }

// Checks one gamma file; columns named by index.
std::size_t check_gamma_file(const std::string& name, int i_f, int i_p, int i_t, int i_rho, int i_go, int i_gw,
                             double& max_rel) {
    const auto path = dxplan::test::validation_dir() / "p676" / name;
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0, failed = 0;
    for (const auto& r : t.rows) {
        const P676Atmosphere atm{num(r[i_p]), num(r[i_t]), num(r[i_rho])};
        const auto g = p676_specific_attenuation(num(r[i_f]), atm);
        const double want_o = num(r[i_go]), want_w = num(r[i_gw]);
        max_rel = std::max({max_rel, rel_err(g.gamma_o_db_per_km, want_o), rel_err(g.gamma_w_db_per_km, want_w)});
        // 1e-6 relative, or half a unit in the reference's last printed digit when it is printed with fewer digits
        const double tol_o = std::max(1e-6 * std::abs(want_o), dxplan::test::half_unit_last_digit(r[i_go]));
        const double tol_w = std::max(1e-6 * std::abs(want_w), dxplan::test::half_unit_last_digit(r[i_gw]));
        if (std::abs(g.gamma_o_db_per_km - want_o) > tol_o || std::abs(g.gamma_w_db_per_km - want_w) > tol_w) {
            if (++failed <= 5)
                FAIL_CHECK(name << " row " << checked << " f = " << r[i_f] << ": gamma_o " << g.gamma_o_db_per_km
                                << " vs " << r[i_go] << ", gamma_w " << g.gamma_w_db_per_km << " vs " << r[i_gw]);
        }
        ++checked;
    }
    CHECK(failed == 0);
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked > 0);
    return checked;
}

}  // namespace

TEST_CASE("P.676 Annex 1 specific attenuation", "[validation][p676]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: P.676 sets not checked");
    double max_rel = 0.0;
    // f, P, T, rho, gamma0, gammaw, gamma
    const auto n12 = check_gamma_file("ITURP676-12_gamma.csv", 0, 1, 2, 3, 4, 5, max_rel);
    const auto n13 = check_gamma_file("ITURP676-13_gamma.csv", 0, 1, 2, 3, 4, 5, max_rel);
    // f, P, rho, T, gamma0, gammaw
    const auto ncrc = check_gamma_file("validation.csv", 0, 1, 3, 2, 4, 5, max_rel);
    std::cout << "P.676 gamma: " << n12 << " + " << n13 << " + " << ncrc
              << " rows checked at 1e-6 relative (or the reference's printed precision), max relative error " << max_rel << "\n";
}

TEST_CASE("P.676-12 Annex 2 slant-path A_gas", "[validation][p676]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent");
    const auto path = dxplan::test::validation_dir() / "p676" / "ITURP676-12_A_gas.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0;
    double max_rel = 0.0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 8);  // el, f, rho, T, P, V_t, h, A_gas
        P676SlantInput in;
        in.elevation_deg = num(r[0]);
        in.f_ghz = num(r[1]);
        in.surface = P676Atmosphere{num(r[4]), num(r[3]), num(r[2])};
        in.v_t_kg_m2 = num(r[5]);
        in.h_station_km = num(r[6]);
        const double a_db = p676_slant_path_attenuation(in).a_gas_db;
        max_rel = std::max(max_rel, rel_err(a_db, num(r[7])));
        INFO("row " << checked << " f = " << r[1] << " GHz el = " << r[0]);
        CHECK(a_db == Approx(num(r[7])).epsilon(1e-6));  // 1e-6 relative
        ++checked;
    }
    std::cout << "P.676-12 A_gas: " << checked << " rows checked at 1e-6 relative, max relative error " << max_rel
              << "\n";
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked > 0);
}

// ITURP676-13_A_gas.csv: ITU-Rpy test/test_itu676_13.py (from the SG3 sheet "P.676-13 A_Gas_A2_INST"),
// gaseous_attenuation_slant_path(f, el, rho, P, T, mode='approx') with P the DRY surface pressure.
TEST_CASE("P.676-13 Annex 2 instantaneous slant-path A_gas", "[validation][p676]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: ITURP676-13_A_gas.csv not checked");
    const auto path = dxplan::test::validation_dir() / "p676" / "ITURP676-13_A_gas.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0;
    double max_rel = 0.0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 6);  // f, el, rho, P, T, A_gas
        const P676Atmosphere surface{num(r[3]), num(r[4]), num(r[2])};
        const double a_db = p676_13_slant_path_attenuation(num(r[0]), num(r[1]), surface).a_gas_db;
        max_rel = std::max(max_rel, rel_err(a_db, num(r[5])));
        INFO("row " << checked << " f = " << r[0] << " GHz T = " << r[4] << " K");
        CHECK(a_db == Approx(num(r[5])).epsilon(1e-6));  // 1e-6 relative (SOURCES.md)
        ++checked;
    }
    std::cout << "P.676-13 A_gas: " << checked << " rows checked at 1e-6 relative, max relative error " << max_rel
              << "\n";
    REQUIRE(checked == 10);
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
}

TEST_CASE("P.676-13 Annex 2 slant path input checks", "[p676]") {
    const P676Atmosphere surface{1013.25, 288.15, 7.5};
    // Part 1 coefficients exist for 1-350 GHz only: outside, an InputError naming the range
    CHECK_THROWS_AS(p676_13_slant_path_attenuation(0.5, 30.0, surface), dxplan::InputError);
    CHECK_THROWS_AS(p676_13_slant_path_attenuation(351.0, 30.0, surface), dxplan::InputError);
    CHECK_THROWS_AS(p676_13_slant_path_attenuation(30.0, 0.0, surface), dxplan::InputError);
    CHECK_NOTHROW(p676_13_slant_path_attenuation(1.0, 30.0, surface));    // first tabulated row
    CHECK_NOTHROW(p676_13_slant_path_attenuation(350.0, 30.0, surface));  // last tabulated row
    // the extra 118.75 GHz row (oxygen line centre) is a node of the interpolation: 118.6 GHz lies between
    // the 118.5 and 118.75 GHz rows, with weights (118.75 - 118.6) / 0.25 = 0.6 and (118.6 - 118.5) / 0.25 = 0.4
    const double h_1185 = p676_13_slant_path_attenuation(118.5, 45.0, surface).h_o_km;
    const double h_11875 = p676_13_slant_path_attenuation(118.75, 45.0, surface).h_o_km;
    const double h_1186 = p676_13_slant_path_attenuation(118.6, 45.0, surface).h_o_km;
    CHECK(h_1186 == Approx(0.6 * h_1185 + 0.4 * h_11875).epsilon(1e-12));  // exact up to rounding
    const auto low = p676_13_slant_path_attenuation(30.0, 3.0, surface);
    CHECK(std::find(low.warnings.begin(), low.warnings.end(), "elevation_out_of_range") != low.warnings.end());
    // between two rows h_o is the linear interpolation of the coefficients, so it lies between the rows' values
    const double h_lo = p676_13_slant_path_attenuation(38.5, 45.0, surface).h_o_km;
    const double h_hi = p676_13_slant_path_attenuation(39.0, 45.0, surface).h_o_km;
    const double h_mid = p676_13_slant_path_attenuation(38.75, 45.0, surface).h_o_km;
    CHECK(h_mid == Approx(0.5 * (h_lo + h_hi)).epsilon(1e-12));  // exact midpoint, up to rounding
}
