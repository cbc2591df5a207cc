// Tornado and Monte Carlo: hand calculations of the swings, determinism of the draws.
// Tolerance: 1e-6 JPY for money (exact arithmetic); statistical checks state theirs.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/economics/uncertainty.hpp"

using namespace dxplan::econ;

namespace {

Catalogue small_catalogue() {
    Catalogue c;
    c.version = "test";
    auto add = [&](std::string id, double capex, double opex, double lo, double hi) {
        CatalogueItem it;
        it.id = std::move(id);
        it.capex_jpy = capex;
        it.opex_jpy_per_year = opex;
        it.low_jpy = lo;
        it.high_jpy = hi;
        it.source = "test";
        it.status = "assumption";
        c.items.push_back(it);
    };
    add("ap", 400'000.0, 0.0, 250'000.0, 700'000.0);
    add("power", 0.0, 120'000.0, 60'000.0, 250'000.0);
    add("gnb", 15'000'000.0, 0.0, 10'000'000.0, 30'000'000.0);
    return c;
}

UncertainTechnology halow() {
    UncertainTechnology t;
    t.name = "halow";
    t.bill = {{"ap", "halow", Acquisition::purchase, 2.0, 400'000.0, 0.0, true},
              {"power", "halow", Acquisition::purchase, 2.0, 0.0, 120'000.0, true},
              {"fixed-backhaul", "backhaul", Acquisition::purchase, 1.0, 1'000'000.0, 0.0, true}};
    t.demand_margin_db = {-5.0, -1.0, 0.5, 2.0, 4.0};  // 3 covered at the planned margin
    return t;
}

UncertainTechnology local5g() {
    UncertainTechnology t;
    t.name = "local5g";
    t.bill = {{"gnb", "local5g", Acquisition::purchase, 1.0, 15'000'000.0, 0.0, true},
              {"power", "local5g", Acquisition::purchase, 1.0, 0.0, 120'000.0, true}};
    t.households_covered = 5.0;
    return t;
}

const TornadoBar& bar(const TechnologyTornado& t, const std::string& name) {
    for (const auto& b : t.bars)
        if (b.parameter == name) return b;
    FAIL("no bar " << name);
    return t.bars.front();
}

}  // namespace

TEST_CASE("tornado swings equal quantity x (high - low) x discount factors", "[uncertainty]") {
    EconomicParams p;  // 10 years at 3 %
    UncertaintySpec s;
    s.margin_db = 3.0;
    const std::vector<UncertainTechnology> techs{halow()};
    const auto tt = tornado(techs, small_catalogue(), p, s);
    REQUIRE(tt.size() == 1);
    const auto& t = tt[0];

    // Base NPV = 2 x 400,000 + 1,000,000 + 2 x 120,000 x a(10, 3 %), a = (1 - 1.03^-10) / 0.03 = 8.530202837
    double annuity = 0.0;
    for (int y = 1; y <= 10; ++y) annuity += 1.0 / std::pow(1.03, y);
    CHECK(annuity == Approx(8.530202837).margin(1e-9));
    CHECK(t.base.npv_jpy == Approx(1'800'000.0 + 240'000.0 * annuity).margin(1e-6));
    CHECK(t.base.per_household_jpy == Approx(t.base.npv_jpy / 3.0).margin(1e-6));

    // One-off item: swing = 2 x (700,000 - 250,000) x 1 (year 0) = 900,000 JPY.
    const auto& ap = bar(t, "price:ap");
    CHECK(ap.high.npv_jpy - ap.low.npv_jpy == Approx(900'000.0).margin(1e-6));
    CHECK(ap.low_value == 250'000.0);
    // Yearly item: swing = 2 x (250,000 - 60,000) x sum_{t=1..10} 1.03^-t = 380,000 x 8.530202837 = 3,241,477.08
    const auto& power = bar(t, "price:power");
    CHECK(power.high.npv_jpy - power.low.npv_jpy == Approx(380'000.0 * annuity).margin(1e-6));
    CHECK(power.high.npv_jpy - power.low.npv_jpy == Approx(3'241'477.08).margin(0.01));
    // Per household: the same swing over the 3 covered households.
    CHECK(power.swing_jpy() == Approx(380'000.0 * annuity / 3.0).margin(1e-6));

    // Propagation margin +/- 3 dB: 4 households covered when 3 dB better, 1 when 3 dB worse; NPV unchanged.
    const auto& m = bar(t, "margin_db");
    CHECK(m.low.per_household_jpy == Approx(t.base.npv_jpy / 4.0).margin(1e-6));
    CHECK(m.high.per_household_jpy == Approx(t.base.npv_jpy / 1.0).margin(1e-6));
    CHECK(m.low.npv_jpy == Approx(t.base.npv_jpy).margin(1e-6));

    // Subsidy rate 0..0.5: moves only the municipality's share, by 0.5 x eligible (1,800,000) / 3 households.
    const auto& sub = bar(t, "subsidy_rate");
    CHECK(sub.low.npv_jpy == Approx(sub.high.npv_jpy).margin(1e-6));
    CHECK(sub.low.municipality_per_household_jpy - sub.high.municipality_per_household_jpy ==
          Approx(0.5 * 1'800'000.0 / 3.0).margin(1e-6));

    // Bars sorted by swing, largest first; the fixed backhaul line has no bar.
    for (std::size_t i = 1; i < t.bars.size(); ++i) CHECK(t.bars[i - 1].swing_jpy() >= t.bars[i].swing_jpy());
    for (const auto& b : t.bars) CHECK(b.parameter != "price:fixed-backhaul");
    CHECK(t.bars.front().parameter == "margin_db");
}

TEST_CASE("Monte Carlo is deterministic: same seed same result, whatever the thread count", "[uncertainty]") {
    const std::vector<UncertainTechnology> techs{halow(), local5g()};
    const Catalogue c = small_catalogue();
    UncertaintySpec s;
    s.draws = 500;
    s.seed = 42;
    s.threads = 1;
    const MonteCarloResult a = monte_carlo(techs, c, EconomicParams{}, s);
    const MonteCarloResult b = monte_carlo(techs, c, EconomicParams{}, s);
    s.threads = 2;
    const MonteCarloResult two = monte_carlo(techs, c, EconomicParams{}, s);
    s.threads = 7;
    const MonteCarloResult seven = monte_carlo(techs, c, EconomicParams{}, s);
    REQUIRE(a.technologies.size() == 2);
    for (std::size_t t = 0; t < 2; ++t) {
        CHECK(a.technologies[t].per_household_jpy == b.technologies[t].per_household_jpy);  // bit-identical
        CHECK(a.technologies[t].per_household_jpy == two.technologies[t].per_household_jpy);
        CHECK(a.technologies[t].per_household_jpy == seven.technologies[t].per_household_jpy);
        CHECK(a.technologies[t].npv_jpy == two.technologies[t].npv_jpy);
    }
    CHECK(a.cheapest == two.cheapest);
    s.seed = 43;
    const MonteCarloResult other = monte_carlo(techs, c, EconomicParams{}, s);
    CHECK(other.technologies[0].per_household_jpy != a.technologies[0].per_household_jpy);

    // The shares of "cheapest" add up to 1 (every draw has a winner), and draws stay within the ranges:
    // local 5G's NPV lies within [10 M + 60 k x a, 30 M + 250 k x a].
    CHECK(a.technologies[0].cheapest_share + a.technologies[1].cheapest_share == Approx(1.0).margin(1e-12));
    double annuity = 0.0;
    for (int y = 1; y <= 10; ++y) annuity += 1.0 / std::pow(1.03, y);
    for (double npv : a.technologies[1].npv_jpy) {
        CHECK(npv >= 10'000'000.0 + 60'000.0 * annuity - 1e-6);
        CHECK(npv <= 30'000'000.0 + 250'000.0 * annuity + 1e-6);
    }
    CHECK(a.technologies[1].p5_jpy <= a.technologies[1].p50_jpy);
    CHECK(a.technologies[1].p50_jpy <= a.technologies[1].p95_jpy);
}

TEST_CASE("common random numbers: a technology that is always cheaper wins every draw", "[uncertainty]") {
    // Two technologies with the same bill, one covering twice the households: it wins in 100 % of draws,
    // because both see the same sampled prices in each draw.
    UncertainTechnology a = local5g(), b = local5g();
    a.name = "a";
    b.name = "b";
    b.households_covered = 10.0;
    const std::vector<UncertainTechnology> techs{a, b};
    UncertaintySpec s;
    s.draws = 200;
    const auto r = monte_carlo(techs, small_catalogue(), EconomicParams{}, s);
    CHECK(r.technologies[1].cheapest_share == 1.0);
    CHECK(r.technologies[0].cheapest_share == 0.0);
}

TEST_CASE("counter-based random numbers have the right moments", "[uncertainty]") {
    // 20,000 draws: mean of U(0,1) within 0.01 of 1/2 (sd of the mean 0.002); normal mean within 0.03 of 0
    // and variance within 0.05 of 1 (sd of the mean 0.007, of the variance 0.01).
    const int n = 20'000;
    double su = 0.0, sn = 0.0, sn2 = 0.0;
    for (int i = 0; i < n; ++i) {
        const double u = uniform01(7, static_cast<std::uint64_t>(i), 3);
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        su += u;
        const double z = standard_normal(7, static_cast<std::uint64_t>(i), 3);
        sn += z;
        sn2 += z * z;
    }
    CHECK(su / n == Approx(0.5).margin(0.01));
    CHECK(sn / n == Approx(0.0).margin(0.03));
    CHECK(sn2 / n - (sn / n) * (sn / n) == Approx(1.0).margin(0.05));
    CHECK(uniform01(7, 1, 3) == uniform01(7, 1, 3));
    CHECK(uniform01(7, 1, 3) != uniform01(7, 1, 4));
}

TEST_CASE("bad uncertainty ranges are refused", "[uncertainty]") {
    const std::vector<UncertainTechnology> techs{halow()};
    UncertaintySpec s;
    s.discount_rate = {0.06, 0.01};
    CHECK_THROWS_AS(tornado(techs, small_catalogue(), EconomicParams{}, s), dxplan::InputError);
    s = UncertaintySpec{};
    s.draws = 0;
    CHECK_THROWS_AS(monte_carlo(techs, small_catalogue(), EconomicParams{}, s), dxplan::InputError);
}
