// ITU-R P.526-16 knife-edge loss J(v): exact (eqs. (26)-(27)) and approximation (eq. (31)), read row by row
// from ../shared/validation/p526_knife_edge_J.csv.
#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "models/propagation/p526.hpp"
#include "tests/test_paths.hpp"

namespace p526 = dxplan::prop::p526;

TEST_CASE("P.526 knife-edge J(v) table", "[validation][p526]") {
    if (!dxplan::test::have_shared()) {
        WARN("../shared/validation is absent: P.526 J(v) table not checked");
        return;
    }
    const auto path = dxplan::test::validation_dir() / "p526_knife_edge_J.csv";
    std::ifstream in(path);
    REQUIRE(in.good());
    std::string line;
    std::size_t data_rows = 0;
    std::size_t checked = 0;
    bool header_seen = false;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (!header_seen) {
            REQUIRE(line.rfind("v,J_exact_dB,J_approx_dB", 0) == 0);
            header_seen = true;
            continue;
        }
        ++data_rows;
        std::istringstream row(line);
        std::string v_s, exact_s, approx_s;
        std::getline(row, v_s, ',');
        std::getline(row, exact_s, ',');
        std::getline(row, approx_s, ',');
        const double v = std::stod(v_s);
        INFO("v = " << v);
        CHECK(p526::knife_edge_j_db(v) == Approx(std::stod(exact_s)).margin(0.01));          // 0.01 dB
        CHECK(p526::knife_edge_j_approx_db(v) == Approx(std::stod(approx_s)).margin(0.01));  // 0.01 dB
        ++checked;
    }
    std::cout << "P.526 J(v): " << checked << " rows checked (exact and approximation, 0.01 dB)\n";
    REQUIRE(data_rows > 0);
    REQUIRE(checked == data_rows);
}

TEST_CASE("P.526 Fresnel integrals reach 1/2 and are odd", "[p526]") {
    const auto big = p526::fresnel_integrals(60.0);
    CHECK(big.c == Approx(0.5).margin(0.01));
    CHECK(big.s == Approx(0.5).margin(0.01));
    const auto a = p526::fresnel_integrals(1.7);
    const auto b = p526::fresnel_integrals(-1.7);
    CHECK(a.c == -b.c);
    CHECK(a.s == -b.s);
    // Continuity where the series hands over to the continued fraction (x = 2.5).
    const auto lo = p526::fresnel_integrals(2.5 - 1e-9);
    const auto hi = p526::fresnel_integrals(2.5 + 1e-9);
    CHECK(lo.c == Approx(hi.c).margin(1e-9));
    CHECK(lo.s == Approx(hi.s).margin(1e-9));
}
