// dxplan economics: CAPEX/OPEX cash flows, NPV and TCO, the MIC programme's subsidy rules, and the
// cost-effectiveness figures applicants quote (cost per covered household, per km², per device, per Mbps).
//
// Conventions (documented once, used everywhere):
//  - Money in JPY, nominal, no inflation. Year 0 is the investment year; operation runs in years 1..H.
//  - One-off costs (purchase, installation, civil works, licences) fall in year 0.
//  - Recurring costs (maintenance, power, spectrum fees, backhaul lines, leases, subscriptions) fall at the end
//    of each operating year 1..H, except rentals/subscriptions booked up front (see ProgrammeRules), which are
//    paid in year 0 for the first `rental_eligible_years` years.
//  - Recurring costs escalate at g per year (opex_escalation_rate): the cost paid at the end of operating year t
//    is the catalogue's yearly price x (1 + g)^(t - 1), so year 1 pays the catalogue price. Rentals prepaid in
//    year 0 (booked up front) are at the contract price: no escalation.
//  - Present value PV = sum_t C_t / (1 + r)^t (end-of-year discounting); NPV of a cost plan is the PV of its costs,
//    reported as a positive number of JPY (there are no revenues in a public-infrastructure plan).
//  - Subsidy = min(rate x eligible cost, cap) when a cap (the call's 補助上限額) is set.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace dxplan::econ {

// How an item is acquired: bought (one-off), or rented / subscribed (recurring).
enum class Acquisition { purchase, lease, subscription };

// One line of a bill of materials, already multiplied out: quantity x unit prices.
struct CostItem {
    std::string id;                 // catalogue id, e.g. "halow-ap"
    std::string category;           // "radio", "core", "backhaul", "civil", "device", "operation", ...
    Acquisition acquisition = Acquisition::purchase;
    double quantity = 1.0;
    double unit_capex_jpy = 0.0;            // one-off cost per unit (year 0)
    double unit_opex_jpy_per_year = 0.0;    // recurring cost per unit per operating year
    bool network_infrastructure = true;     // eligible category for the subsidy (network + inseparable devices)
};

// MIC 地域社会DX推進パッケージ事業 rules as options (see ../shared/reference/programme.md).
struct ProgrammeRules {
    // ③ 補助事業: 1/2 of eligible cost. ②-1 実証 (demonstration): fixed amount = full eligible cost (定額),
    // and equipment purchases are in principle not eligible (lease or subscribe instead).
    double subsidy_rate = 0.5;              // in [0, 1]
    bool demonstration = false;             // true: purchases excluded from the eligible cost
    bool rentals_booked_up_front = true;    // rentals/cloud fees booked at once in the first year
    int rental_eligible_years = 5;          // ... and eligible for up to this many years
    double subsidy_cap_jpy = 0.0;           // >= 0: the subsidy is at most this (補助上限額); 0: no cap
};

// ②-1 先進無線システム活用タイプ (../shared/reference/programme.md, "The four supports"): 10-100 M JPY per project,
// a fixed-price (定額) contract: the programme pays the whole eligible cost, at most the upper bound.
inline constexpr double kDemonstrationMinJpy = 10e6;
inline constexpr double kDemonstrationCapJpy = 100e6;
inline constexpr const char* kDemonstrationRule =
    "programme ②-1 (先進無線システム活用タイプ): 10-100 M JPY per project, fixed-price (定額) contract";

struct EconomicParams {
    int horizon_years = 10;          // operating years H, in [1, 50]
    double discount_rate = 0.03;     // r per year, in [0, 0.5]
    double opex_escalation_rate = 0.0;  // g per year, in [-0.2, 0.5]: year-t recurring cost x (1 + g)^(t - 1)
    ProgrammeRules rules;
};

struct YearCash {
    int year = 0;
    double capex_jpy = 0.0;     // one-off purchases (and prepaid rentals when booked up front)
    double opex_jpy = 0.0;      // recurring costs paid this year
    double subsidy_jpy = 0.0;   // subsidy received (year 0)
    double discount_factor = 1.0;  // 1 / (1 + r)^year
};

struct CostSummary {
    double capex_jpy = 0.0;                 // year-0 outlay (purchases + prepaid rentals)
    double opex_jpy_per_year = 0.0;         // recurring cost per year at catalogue prices (sum of unit opex x qty, before
                                            // escalation), prepaid rentals included: what year 1 pays when none are prepaid
    double tco_jpy = 0.0;                   // undiscounted total over year 0..H
    double npv_jpy = 0.0;                   // present value of all costs (positive)
    double eligible_jpy = 0.0;              // 補助対象経費
    double subsidy_jpy = 0.0;               // 補助金 = min(rate x eligible, cap)
    bool subsidy_capped = false;            // the cap bound the subsidy
    double prepaid_rental_jpy = 0.0;        // rentals/subscriptions booked up front: paid in year 0 (in capex_jpy)
    int prepaid_years = 0;                  // ... for operating years 1..prepaid_years
    // A demonstration (rules.demonstration): the eligible cost against the ②-1 scale; empty when inside it or
    // not a demonstration. Above the cap the fixed amount is capped and the rest falls to the municipality.
    std::string programme_flag;
    double municipality_npv_jpy = 0.0;      // npv_jpy - subsidy (received in year 0, undiscounted)
    std::vector<YearCash> years;            // year 0..H
};

// Validates params (InputError naming the field and range) and computes the cash flows.
CostSummary evaluate_costs(std::span<const CostItem> items, const EconomicParams& params);

// Recurring cost as paid, per year 0..H: year 0 the rentals prepaid for years 1..prepaid_years, then what each
// operating year pays (escalated). Sums, with the one-off purchases of year 0, to the cash flow's total (tco_jpy).
std::vector<double> opex_paid_by_year_jpy(const CostSummary& costs);

// After a demonstration (②-1 leases), the municipality's own roll-out: the present value of buying the kit (the
// purchase bill: one-offs in year 0, recurring costs yearly) against leasing it (the lease bill: lease fees at the
// end of each year 1..H, not prepaid), over the same horizon and discount rate, without subsidy.
struct LeaseVsBuy {
    double buy_pv_jpy = 0.0;
    double lease_pv_jpy = 0.0;
    [[nodiscard]] bool lease_cheaper() const { return lease_pv_jpy < buy_pv_jpy; }
};
LeaseVsBuy lease_vs_buy(std::span<const CostItem> purchase_bill, std::span<const CostItem> lease_bill,
                        const EconomicParams& params);

// Present value of a cash amount paid at the end of year t.
double present_value_jpy(double amount_jpy, double discount_rate, int year);

// Present value of 1 JPY per year of recurring cost over operating years 1..H with escalation:
// sum_{t=1..H} (1 + g)^(t - 1) / (1 + r)^t.
double opex_pv_factor(const EconomicParams& params);

// The figures applicants quote. A zero denominator (nothing covered) gives 0.
struct Effectiveness {
    double per_household_jpy = 0.0;       // npv / covered households
    double per_km2_jpy = 0.0;             // npv / covered area
    double per_device_jpy = 0.0;          // npv / connected devices
    double per_mbps_jpy = 0.0;            // npv / Mbps delivered (sum over served demand)
    double municipality_per_household_jpy = 0.0;  // after subsidy
};
Effectiveness cost_effectiveness(const CostSummary& costs, double households_covered, double area_km2,
                                 double devices_connected, double mbps_delivered);

}  // namespace dxplan::econ
