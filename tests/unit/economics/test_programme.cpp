// Programme rules of ../shared/reference/programme.md applied to the costs, values by hand:
//  - ②-1 先進無線システム活用タイプ (demonstration): 10-100 M JPY per project, fixed-price (定額) contract, equipment
//    purchase in principle not covered (lease or subscribe);
//  - ③ rentals and cloud fees booked at once in the first year, up to 5 years (OPEX as paid shows them in year 0);
//  - the roll-out after a demonstration: present value of leasing against buying;
//  - a sensor payload above a technology's frame limit fails the payload requirement of that kind, once.
#include <catch2/catch.hpp>

#include <numeric>
#include <vector>

#include "libsim/economics/catalogue.hpp"
#include "libsim/economics/comparison.hpp"
#include "libsim/economics/economics.hpp"

using namespace dxplan;
using namespace dxplan::econ;

namespace {

// A two-item catalogue: a base station bought for 15,000,000 JPY, and its lease at 22.8 % a year
// (1.9 % a month x 12) = 3,420,000 JPY/yr (models/economics/catalogue.yaml, l5g-gnb-outdoor-lease).
Catalogue gnb_catalogue() {
    Catalogue c;
    CatalogueItem buy;
    buy.id = "gnb";
    buy.capex_jpy = 15'000'000.0;
    CatalogueItem lease;
    lease.id = "gnb-lease";
    lease.acquisition = Acquisition::lease;
    lease.opex_jpy_per_year = 3'420'000.0;
    lease.lease_of = "gnb";
    c.items = {buy, lease};
    return c;
}

EconomicParams demonstration(int horizon_years) {
    EconomicParams p;
    p.horizon_years = horizon_years;
    p.discount_rate = 0.0;
    p.rules.demonstration = true;
    p.rules.subsidy_rate = 0.5;  // ③'s rate: a demonstration ignores it (定額)
    return p;
}

}  // namespace

TEST_CASE("a demonstration leases its kit and is paid the whole eligible cost (定額)", "[economics][programme]") {
    const Catalogue c = gnb_catalogue();
    const std::vector<CostItem> bought{{"gnb", "radio", Acquisition::purchase, 2.0, 15'000'000.0, 0.0, true}};
    const std::vector<CostItem> leased = leased_bill(c, bought);
    REQUIRE(leased.size() == 1);
    CHECK(leased[0].id == "gnb-lease");
    CHECK(leased[0].acquisition == Acquisition::lease);
    CHECK(leased[0].quantity == 2.0);
    CHECK(leased[0].category == "radio");

    // 2 leased base stations x 3,420,000 JPY/yr, 5 years booked up front in year 0 = 34,200,000 JPY, all
    // eligible; 定額: the subsidy is the whole of it (not 1/2), inside the 10-100 M JPY scale.
    const CostSummary s = evaluate_costs(leased, demonstration(5));
    CHECK(s.eligible_jpy == Approx(34'200'000.0).margin(1e-6));
    CHECK(s.subsidy_jpy == Approx(34'200'000.0).margin(1e-6));
    CHECK_FALSE(s.subsidy_capped);
    CHECK(s.programme_flag.empty());
    CHECK(s.municipality_npv_jpy == Approx(0.0).margin(1e-6));

    // Bought instead: a demonstration does not fund purchases (eligible 0), and 0 < 10 M JPY is flagged.
    const CostSummary b = evaluate_costs(bought, demonstration(5));
    CHECK(b.eligible_jpy == 0.0);
    CHECK(b.programme_flag.find("below the 10 M JPY scale") != std::string::npos);
}

TEST_CASE("a demonstration above 100 M JPY is capped and flagged naming the rule", "[economics][programme]") {
    // 6 leased base stations: 6 x 3,420,000 x 5 = 102,600,000 JPY eligible > 100,000,000 JPY (②-1 upper bound):
    // the fixed amount is 100,000,000 JPY and the 2,600,000 JPY rest falls to the municipality.
    const std::vector<CostItem> leased{{"gnb-lease", "radio", Acquisition::lease, 6.0, 0.0, 3'420'000.0, true}};
    const CostSummary s = evaluate_costs(leased, demonstration(5));
    CHECK(s.eligible_jpy == Approx(102'600'000.0).margin(1e-6));
    CHECK(s.subsidy_jpy == Approx(100'000'000.0).margin(1e-6));
    CHECK(s.subsidy_capped);
    CHECK(s.municipality_npv_jpy == Approx(2'600'000.0).margin(1e-6));
    CHECK(s.programme_flag.find("above the 100 M JPY cap") != std::string::npos);
    CHECK(s.programme_flag.find("②-1") != std::string::npos);
}

TEST_CASE("the roll-out after a demonstration: present value of leasing against buying", "[economics][programme]") {
    // Buy one base station: 15,000,000 JPY in year 0, PV 15,000,000. Lease it: 3,420,000 JPY at the end of each
    // year 1..5 at 3 %: annuity factor sum 1/1.03^t = 0.970874 + 0.942596 + 0.915142 + 0.888487 + 0.862609
    // = 4.579707, PV = 3,420,000 x 4.579707 = 15,662,599 JPY: buying is cheaper over 5 years.
    // Over 3 years: factor 0.970874 + 0.942596 + 0.915142 = 2.828611, PV 9,673,851 JPY < 15,000,000: leasing.
    const std::vector<CostItem> buy{{"gnb", "radio", Acquisition::purchase, 1.0, 15'000'000.0, 0.0, true}};
    const std::vector<CostItem> lease{{"gnb-lease", "radio", Acquisition::lease, 1.0, 0.0, 3'420'000.0, true}};
    EconomicParams p;
    p.discount_rate = 0.03;
    p.horizon_years = 5;
    p.rules.demonstration = true;  // the demonstration's rules do not apply to the municipality's own roll-out
    const LeaseVsBuy five = lease_vs_buy(buy, lease, p);
    CHECK(five.buy_pv_jpy == Approx(15'000'000.0).margin(1e-6));
    CHECK(five.lease_pv_jpy == Approx(3'420'000.0 * 4.579707).epsilon(1e-6));
    CHECK_FALSE(five.lease_cheaper());
    p.horizon_years = 3;
    const LeaseVsBuy three = lease_vs_buy(buy, lease, p);
    CHECK(three.lease_pv_jpy == Approx(3'420'000.0 * 2.828611).epsilon(1e-6));
    CHECK(three.lease_cheaper());
}

TEST_CASE("OPEX as paid: prepaid years in year 0, and it sums with the purchases to the cash flow", "[economics][programme]") {
    // A gateway bought for 1,000,000 JPY with 100,000 JPY/yr maintenance, and a cloud subscription of
    // 300,000 JPY/yr booked up front for 5 years (③), over 7 years, no escalation:
    //   year 0: 5 x 300,000 = 1,500,000 prepaid; years 1-5: 100,000; years 6-7: 100,000 + 300,000 = 400,000.
    //   total = 1,000,000 + 1,500,000 + 5 x 100,000 + 2 x 400,000 = 3,800,000 JPY.
    const std::vector<CostItem> items{
        {"gw", "radio", Acquisition::purchase, 1.0, 1'000'000.0, 100'000.0, true},
        {"cloud", "core", Acquisition::subscription, 1.0, 0.0, 300'000.0, true},
    };
    EconomicParams p;
    p.horizon_years = 7;
    const CostSummary s = evaluate_costs(items, p);
    CHECK(s.prepaid_years == 5);
    CHECK(s.prepaid_rental_jpy == Approx(1'500'000.0).margin(1e-6));
    const std::vector<double> paid = opex_paid_by_year_jpy(s);
    const std::vector<double> expected{1'500'000.0, 100'000.0, 100'000.0, 100'000.0, 100'000.0, 100'000.0,
                                       400'000.0, 400'000.0};
    REQUIRE(paid.size() == expected.size());
    for (std::size_t t = 0; t < paid.size(); ++t) CHECK(paid[t] == Approx(expected[t]).margin(1e-6));
    const double purchases = s.years[0].capex_jpy - s.prepaid_rental_jpy;
    CHECK(purchases == Approx(1'000'000.0).margin(1e-6));
    CHECK(purchases + std::accumulate(paid.begin(), paid.end(), 0.0) == Approx(s.tco_jpy).margin(1e-6));
    CHECK(s.tco_jpy == Approx(3'800'000.0).margin(1e-6));
}

TEST_CASE("a sensor payload above the frame limit fails the payload requirement once", "[comparison][programme]") {
    // LoRaWAN AS923 at SF12 carries at most 51 bytes of application payload (LoRaMac-node RegionAS923.h,
    // MaxPayloadOfDatarateDwell0AS923 DR0 = 51): a 60-byte report does not fit.
    Requirements req;
    req.coverage_target_fraction = 0.5;
    req.kinds[index_of(DemandKind::iot)].payload_bytes = 60.0;
    TechnologyInput in;
    in.name = "lora";
    in.family = "lora";
    in.demand_total = 10;
    in.demand_covered = 10;
    KindService k;
    k.kind = DemandKind::iot;
    k.total = 10;
    k.served = 10;
    k.in_signal = 10;
    k.max_payload_bytes = 51.0;
    in.kinds = {k};
    const TechnologyEvaluation e = evaluate_technology(in, req, EconomicParams{});
    REQUIRE(e.fails.size() == 1);
    CHECK(e.fails[0].requirement == Requirement::payload);
    CHECK(e.fails[0].kind == DemandKind::iot);
    CHECK(e.fails[0].reason == "iot: payload 60 bytes > 51 bytes the technology carries in one message");
    CHECK_FALSE(e.carries);  // never recommended for the kind

    req.kinds[index_of(DemandKind::iot)].payload_bytes = 51.0;  // fits exactly
    const TechnologyEvaluation fits = evaluate_technology(in, req, EconomicParams{});
    CHECK(fits.fails.empty());
    CHECK(fits.carries);
}
