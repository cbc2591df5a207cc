#include "libsim/economics/economics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "libsim/core/error.hpp"

namespace dxplan::econ {

namespace {
std::string num(double v) {  // shortest round-trip text: 0.5, 1e+12 (not 1000000000000.000000)
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

void check_range(const char* field, double v, double lo, double hi) {
    if (!std::isfinite(v) || v < lo || v > hi)
        throw InputError(std::string("economics.") + field + " = " + num(v) + ": must be in [" + num(lo) + ", " +
                         num(hi) + "]");
}
}  // namespace

double present_value_jpy(double amount_jpy, double discount_rate, int year) {
    return amount_jpy / std::pow(1.0 + discount_rate, year);
}

namespace {
double escalation(const EconomicParams& p, int year) { return std::pow(1.0 + p.opex_escalation_rate, year - 1); }
}  // namespace

double opex_pv_factor(const EconomicParams& p) {
    double f = 0.0;
    for (int t = 1; t <= p.horizon_years; ++t) f += present_value_jpy(escalation(p, t), p.discount_rate, t);
    return f;
}

namespace {
std::string mjpy(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f M JPY", v / 1e6);
    return buf;
}

// ③: rate x eligible, at most the cap. ②-1 demonstration: fixed amount (定額) = the whole eligible cost, at most
// the call's cap and never above the programme's 100 M JPY per project (programme.md, "The four supports").
void apply_subsidy(const ProgrammeRules& r, CostSummary& s) {
    double cap = r.subsidy_cap_jpy;
    if (r.demonstration) {
        cap = cap > 0.0 ? std::min(cap, kDemonstrationCapJpy) : kDemonstrationCapJpy;
        s.subsidy_jpy = s.eligible_jpy;
        if (s.eligible_jpy > kDemonstrationCapJpy)
            s.programme_flag = "eligible cost " + mjpy(s.eligible_jpy) + " above the 100 M JPY cap (" +
                               kDemonstrationRule + "): the fixed amount is capped, the rest falls to the municipality";
        else if (s.eligible_jpy < kDemonstrationMinJpy)
            s.programme_flag = "eligible cost " + mjpy(s.eligible_jpy) + " below the 10 M JPY scale (" +
                               kDemonstrationRule + ")";
    } else {
        s.subsidy_jpy = r.subsidy_rate * s.eligible_jpy;
    }
    if (cap > 0.0 && s.subsidy_jpy > cap) {
        s.subsidy_jpy = cap;
        s.subsidy_capped = true;
    }
}
}  // namespace

std::vector<double> opex_paid_by_year_jpy(const CostSummary& c) {
    std::vector<double> out;
    for (const YearCash& y : c.years) out.push_back(y.year == 0 ? c.prepaid_rental_jpy : y.opex_jpy);
    return out;
}

LeaseVsBuy lease_vs_buy(std::span<const CostItem> purchase_bill, std::span<const CostItem> lease_bill,
                        const EconomicParams& params) {
    EconomicParams p = params;
    p.rules = ProgrammeRules{};
    p.rules.subsidy_rate = 0.0;             // the municipality's own roll-out: no subsidy assumed
    p.rules.rentals_booked_up_front = false;  // lease fees paid yearly, at the end of each year
    return {evaluate_costs(purchase_bill, p).npv_jpy, evaluate_costs(lease_bill, p).npv_jpy};
}

CostSummary evaluate_costs(std::span<const CostItem> items, const EconomicParams& p) {
    check_range("horizon_years", p.horizon_years, 1, 50);
    check_range("discount_rate", p.discount_rate, 0.0, 0.5);
    check_range("subsidy_rate", p.rules.subsidy_rate, 0.0, 1.0);
    check_range("rental_eligible_years", p.rules.rental_eligible_years, 0, 50);
    check_range("subsidy_cap_jpy", p.rules.subsidy_cap_jpy, 0.0, 1e12);
    check_range("opex_escalation_rate", p.opex_escalation_rate, -0.2, 0.5);
    for (const auto& it : items) {
        if (!std::isfinite(it.quantity) || it.quantity < 0 || !std::isfinite(it.unit_capex_jpy) ||
            it.unit_capex_jpy < 0 || !std::isfinite(it.unit_opex_jpy_per_year) || it.unit_opex_jpy_per_year < 0)
            throw InputError("cost item '" + it.id + "': quantity and prices must be finite and >= 0");
    }

    const int H = p.horizon_years;
    CostSummary s;
    s.years.resize(static_cast<std::size_t>(H) + 1);
    for (int t = 0; t <= H; ++t) {
        s.years[t].year = t;
        s.years[t].discount_factor = present_value_jpy(1.0, p.discount_rate, t);
    }
    // Years of rental prepaid in year 0 when booked up front (never more than the horizon).
    const int prepaid_years = p.rules.rentals_booked_up_front ? std::min(p.rules.rental_eligible_years, H) : 0;

    for (const auto& it : items) {
        const double one_off_jpy = it.quantity * it.unit_capex_jpy;
        const double yearly_jpy = it.quantity * it.unit_opex_jpy_per_year;
        const bool rental = it.acquisition != Acquisition::purchase;
        s.opex_jpy_per_year += yearly_jpy;
        s.years[0].capex_jpy += one_off_jpy;
        const int prepaid = rental ? prepaid_years : 0;
        s.years[0].capex_jpy += prepaid * yearly_jpy;            // booked at once in the first year
        s.prepaid_rental_jpy += prepaid * yearly_jpy;
        for (int t = 1 + prepaid; t <= H; ++t) s.years[t].opex_jpy += yearly_jpy * escalation(p, t);

        if (!it.network_infrastructure) continue;
        // Eligible: purchases (one-off) unless a demonstration project excludes them; installation and
        // other one-off costs of a rented item stay eligible; rentals only for the prepaid years.
        if (!(p.rules.demonstration && !rental)) s.eligible_jpy += one_off_jpy;
        if (rental) s.eligible_jpy += prepaid * yearly_jpy;
    }

    s.prepaid_years = prepaid_years;
    apply_subsidy(p.rules, s);
    s.years[0].subsidy_jpy = s.subsidy_jpy;
    for (const auto& y : s.years) {
        s.tco_jpy += y.capex_jpy + y.opex_jpy;
        s.npv_jpy += (y.capex_jpy + y.opex_jpy) * y.discount_factor;
    }
    s.capex_jpy = s.years[0].capex_jpy;
    s.municipality_npv_jpy = s.npv_jpy - s.subsidy_jpy;  // subsidy paid in year 0: discount factor 1
    return s;
}

Effectiveness cost_effectiveness(const CostSummary& c, double households, double area_km2, double devices,
                                 double mbps) {
    auto per = [](double num, double den) { return den > 0.0 ? num / den : 0.0; };
    Effectiveness e;
    e.per_household_jpy = per(c.npv_jpy, households);
    e.per_km2_jpy = per(c.npv_jpy, area_km2);
    e.per_device_jpy = per(c.npv_jpy, devices);
    e.per_mbps_jpy = per(c.npv_jpy, mbps);
    e.municipality_per_household_jpy = per(c.municipality_npv_jpy, households);
    return e;
}

}  // namespace dxplan::econ
