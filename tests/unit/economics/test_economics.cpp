// Hand calculations of the cash-flow, NPV and subsidy arithmetic. Tolerance: 1e-6 JPY (exact arithmetic).
#include <catch2/catch.hpp>

#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/economics/economics.hpp"

using namespace dxplan::econ;

TEST_CASE("NPV of a purchase plus yearly maintenance", "[economics]") {
    // One base station bought for 10,000,000 JPY with 1,200,000 JPY/yr maintenance, 3 years at 5 %.
    std::vector<CostItem> items{{"gnb", "radio", Acquisition::purchase, 1.0, 10'000'000.0, 1'200'000.0, true}};
    EconomicParams p;
    p.horizon_years = 3;
    p.discount_rate = 0.05;
    const CostSummary s = evaluate_costs(items, p);
    // PV = 10,000,000 + 1,200,000/1.05 + 1,200,000/1.05^2 + 1,200,000/1.05^3
    //    = 10,000,000 + 1,142,857.142857 + 1,088,435.374150 + 1,036,605.118238 = 13,267,897.635245
    CHECK(s.npv_jpy == Approx(13'267'897.635245).margin(1e-6));
    CHECK(s.tco_jpy == Approx(13'600'000.0).margin(1e-6));
    CHECK(s.capex_jpy == Approx(10'000'000.0).margin(1e-6));
    // Subsidy 1/2 of the eligible purchase: 5,000,000; municipality pays 13,267,897.64 - 5,000,000.
    CHECK(s.eligible_jpy == Approx(10'000'000.0).margin(1e-6));
    CHECK(s.subsidy_jpy == Approx(5'000'000.0).margin(1e-6));
    CHECK(s.municipality_npv_jpy == Approx(8'267'897.635245).margin(1e-6));
    REQUIRE(s.years.size() == 4);
    CHECK(s.years[3].discount_factor == Approx(1.0 / (1.05 * 1.05 * 1.05)).margin(1e-15));
}

TEST_CASE("rentals booked up front are prepaid and eligible for at most 5 years", "[economics]") {
    // Cloud core subscription 2,000,000 JPY/yr over a 7-year horizon, no discounting.
    std::vector<CostItem> items{{"core", "core", Acquisition::subscription, 1.0, 0.0, 2'000'000.0, true}};
    EconomicParams p;
    p.horizon_years = 7;
    p.discount_rate = 0.0;
    const CostSummary s = evaluate_costs(items, p);
    // 5 years prepaid in year 0 = 10,000,000 (eligible), years 6 and 7 paid as they come (not eligible).
    CHECK(s.years[0].capex_jpy == Approx(10'000'000.0).margin(1e-6));
    CHECK(s.years[5].opex_jpy == Approx(0.0).margin(1e-6));
    CHECK(s.years[6].opex_jpy == Approx(2'000'000.0).margin(1e-6));
    CHECK(s.eligible_jpy == Approx(10'000'000.0).margin(1e-6));
    CHECK(s.subsidy_jpy == Approx(5'000'000.0).margin(1e-6));
    CHECK(s.tco_jpy == Approx(14'000'000.0).margin(1e-6));

    p.rules.rentals_booked_up_front = false;  // paid yearly: nothing eligible
    const CostSummary y = evaluate_costs(items, p);
    CHECK(y.eligible_jpy == Approx(0.0).margin(1e-6));
    CHECK(y.years[0].capex_jpy == Approx(0.0).margin(1e-6));
    CHECK(y.tco_jpy == Approx(14'000'000.0).margin(1e-6));
}

TEST_CASE("demonstration projects exclude purchases and pay the full eligible rental cost", "[economics]") {
    std::vector<CostItem> items{
        {"ap", "radio", Acquisition::purchase, 4.0, 100'000.0, 0.0, true},        // 400,000 purchase: excluded
        {"ap-lease", "radio", Acquisition::lease, 2.0, 50'000.0, 60'000.0, true},  // install 100,000 + 5 x 120,000
        {"pc", "office", Acquisition::purchase, 1.0, 300'000.0, 0.0, false},      // not network: never eligible
    };
    EconomicParams p;
    p.horizon_years = 5;
    p.discount_rate = 0.0;
    p.rules.demonstration = true;
    p.rules.subsidy_rate = 1.0;  // 定額
    const CostSummary s = evaluate_costs(items, p);
    CHECK(s.eligible_jpy == Approx(100'000.0 + 600'000.0).margin(1e-6));
    CHECK(s.subsidy_jpy == Approx(700'000.0).margin(1e-6));
    CHECK(s.tco_jpy == Approx(400'000.0 + 700'000.0 + 300'000.0).margin(1e-6));
    CHECK(s.municipality_npv_jpy == Approx(700'000.0).margin(1e-6));
}

TEST_CASE("cost-effectiveness figures divide the NPV", "[economics]") {
    CostSummary c;
    c.npv_jpy = 12'000'000.0;
    c.municipality_npv_jpy = 7'000'000.0;
    const Effectiveness e = cost_effectiveness(c, 400.0, 12.0, 1000.0, 3000.0);
    CHECK(e.per_household_jpy == Approx(30'000.0).margin(1e-9));
    CHECK(e.per_km2_jpy == Approx(1'000'000.0).margin(1e-9));
    CHECK(e.per_device_jpy == Approx(12'000.0).margin(1e-9));
    CHECK(e.per_mbps_jpy == Approx(4'000.0).margin(1e-9));
    CHECK(e.municipality_per_household_jpy == Approx(17'500.0).margin(1e-9));
    CHECK(cost_effectiveness(c, 0.0, 0.0, 0.0, 0.0).per_household_jpy == 0.0);
}

TEST_CASE("economic parameters out of range name the field", "[economics]") {
    EconomicParams p;
    p.discount_rate = 0.9;
    REQUIRE_THROWS_WITH(evaluate_costs({}, p), Catch::Contains("economics.discount_rate") && Catch::Contains("[0"));
    p = {};
    p.horizon_years = 0;
    REQUIRE_THROWS_WITH(evaluate_costs({}, p), Catch::Contains("economics.horizon_years"));
    std::vector<CostItem> bad{{"x", "radio", Acquisition::purchase, -1.0, 1.0, 0.0, true}};
    REQUIRE_THROWS_AS(evaluate_costs(bad, EconomicParams{}), dxplan::InputError);
}

TEST_CASE("the subsidy cap bounds the subsidy", "[economics]") {
    // Purchase 10,000,000 JPY, 1/2 rate: 5,000,000 before the cap.
    std::vector<CostItem> items{{"gnb", "radio", Acquisition::purchase, 1.0, 10'000'000.0, 0.0, true}};
    EconomicParams p;
    p.horizon_years = 1;
    p.discount_rate = 0.0;
    p.rules.subsidy_cap_jpy = 3'000'000.0;  // cap below 5,000,000: subsidy = 3,000,000
    CostSummary s = evaluate_costs(items, p);
    CHECK(s.eligible_jpy == Approx(10'000'000.0).margin(1e-6));
    CHECK(s.subsidy_jpy == Approx(3'000'000.0).margin(1e-6));
    CHECK(s.subsidy_capped);
    CHECK(s.years[0].subsidy_jpy == Approx(3'000'000.0).margin(1e-6));
    CHECK(s.municipality_npv_jpy == Approx(7'000'000.0).margin(1e-6));
    p.rules.subsidy_cap_jpy = 8'000'000.0;  // cap above: 5,000,000, not capped
    s = evaluate_costs(items, p);
    CHECK(s.subsidy_jpy == Approx(5'000'000.0).margin(1e-6));
    CHECK_FALSE(s.subsidy_capped);
    p.rules.subsidy_cap_jpy = 0.0;  // 0: no cap
    CHECK(evaluate_costs(items, p).subsidy_jpy == Approx(5'000'000.0).margin(1e-6));
}

TEST_CASE("OPEX escalates by (1 + g)^(t - 1), prepaid rentals stay at the contract price", "[economics]") {
    // Maintenance 1,000,000 JPY/yr, 3 years, g = 10 %, r = 5 %.
    std::vector<CostItem> items{{"m", "operation", Acquisition::purchase, 1.0, 0.0, 1'000'000.0, true}};
    EconomicParams p;
    p.horizon_years = 3;
    p.discount_rate = 0.05;
    p.opex_escalation_rate = 0.10;
    const CostSummary s = evaluate_costs(items, p);
    // Paid: year 1 1,000,000; year 2 1,100,000; year 3 1,210,000 -> TCO 3,310,000.
    CHECK(s.years[1].opex_jpy == Approx(1'000'000.0).margin(1e-6));
    CHECK(s.years[2].opex_jpy == Approx(1'100'000.0).margin(1e-6));
    CHECK(s.years[3].opex_jpy == Approx(1'210'000.0).margin(1e-6));
    CHECK(s.tco_jpy == Approx(3'310'000.0).margin(1e-6));
    // PV = 1,000,000/1.05 + 1,100,000/1.1025 + 1,210,000/1.157625
    //    = 952,380.952381 + 997,732.426304 + 1,045,243.494223 = 2,995,356.872908
    CHECK(s.npv_jpy == Approx(2'995'356.872908).margin(1e-5));
    CHECK(s.opex_jpy_per_year == Approx(1'000'000.0).margin(1e-6));  // year 1, before escalation
    CHECK(opex_pv_factor(p) * 1'000'000.0 == Approx(2'995'356.872908).margin(1e-5));

    // A subscription over 7 years with 5 prepaid: year 0 pays 5 x 2,000,000 (no escalation); years 6 and 7
    // pay 2,000,000 x 1.1^5 = 3,221,020 and 2,000,000 x 1.1^6 = 3,543,122.
    std::vector<CostItem> sub{{"core", "core", Acquisition::subscription, 1.0, 0.0, 2'000'000.0, true}};
    p.horizon_years = 7;
    p.discount_rate = 0.0;
    const CostSummary q = evaluate_costs(sub, p);
    CHECK(q.years[0].capex_jpy == Approx(10'000'000.0).margin(1e-6));
    CHECK(q.years[6].opex_jpy == Approx(3'221'020.0).margin(1e-6));
    CHECK(q.years[7].opex_jpy == Approx(3'543'122.0).margin(1e-6));
    CHECK(q.eligible_jpy == Approx(10'000'000.0).margin(1e-6));

    p.opex_escalation_rate = 0.6;
    REQUIRE_THROWS_WITH(evaluate_costs(items, p), Catch::Contains("economics.opex_escalation_rate"));
    p.opex_escalation_rate = 0.0;
    p.rules.subsidy_cap_jpy = -1.0;
    REQUIRE_THROWS_WITH(evaluate_costs(items, p), Catch::Contains("economics.subsidy_cap_jpy"));
}
