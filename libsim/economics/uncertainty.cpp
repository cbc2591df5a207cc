#include "libsim/economics/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <thread>

#include "libsim/core/error.hpp"

namespace dxplan::econ {

namespace {

// SplitMix64 finaliser (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

void check_range(const char* field, const Range& r, double lo, double hi) {
    if (!std::isfinite(r.low) || !std::isfinite(r.high) || r.low > r.high || r.low < lo || r.high > hi)
        throw InputError(std::string("uncertainty.") + field + " = [" + std::to_string(r.low) + ", " +
                         std::to_string(r.high) + "]: must be low <= high within [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "]");
}

void check_spec(const UncertaintySpec& s) {
    check_range("discount_rate", s.discount_rate, 0.0, 0.5);
    check_range("horizon_years", s.horizon_years, 1.0, 50.0);
    check_range("subsidy_rate", s.subsidy_rate, 0.0, 1.0);
    if (!(s.margin_db >= 0.0) || !std::isfinite(s.margin_db))
        throw InputError("uncertainty.margin_db: must be finite and >= 0 dB");
    if (!(s.shadow_sigma_db >= 0.0) || !std::isfinite(s.shadow_sigma_db))
        throw InputError("uncertainty.shadow_sigma_db: must be finite and >= 0 dB");
    if (s.draws < 1 || s.draws > 1'000'000) throw InputError("uncertainty.draws: must be in [1, 1000000]");
    if (s.threads < 1) throw InputError("uncertainty.threads: must be >= 1");
}

// A technology prepared for repeated evaluation: margins sorted, catalogue items of its bill resolved.
struct Prepared {
    const UncertainTechnology* tech = nullptr;
    std::vector<double> margins_db;           // ascending
    std::vector<const CatalogueItem*> item;   // per bill line, nullptr when not in the catalogue
};

Prepared prepare(const UncertainTechnology& t, const Catalogue& c) {
    Prepared p;
    p.tech = &t;
    p.margins_db = t.demand_margin_db;
    std::sort(p.margins_db.begin(), p.margins_db.end());
    for (const auto& line : t.bill) {
        const CatalogueItem* found = nullptr;
        for (const auto& it : c.items)
            if (it.id == line.id) found = &it;
        p.item.push_back(found);
    }
    return p;
}

// Households still covered when every margin is reduced by shift_db (covered: margin - shift >= 0).
double households(const Prepared& p, double shift_db) {
    if (p.margins_db.empty()) return p.tech->households_covered;
    const auto first = std::lower_bound(p.margins_db.begin(), p.margins_db.end(), shift_db);
    return static_cast<double>(p.margins_db.end() - first);
}

// The bill with catalogue prices replaced: price(id) gives the item's main price, or NaN to keep it. The
// line's main price is scaled by price / catalogue price, so a scenario override keeps its ratio.
template <class PriceOf>
std::vector<CostItem> priced_bill(const Prepared& p, PriceOf price_of) {
    std::vector<CostItem> bill = p.tech->bill;
    for (std::size_t i = 0; i < bill.size(); ++i) {
        const CatalogueItem* c = p.item[i];
        if (!c) continue;
        const double price = price_of(*c);
        const double base = main_price_jpy(*c);
        if (std::isnan(price) || base <= 0.0) continue;
        const double ratio = price / base;
        if (c->capex_jpy > 0.0) bill[i].unit_capex_jpy *= ratio;
        else bill[i].unit_opex_jpy_per_year *= ratio;
    }
    return bill;
}

Outcome outcome(const std::vector<CostItem>& bill, const EconomicParams& params, double households_covered) {
    const CostSummary c = evaluate_costs(bill, params);
    Outcome o;
    o.npv_jpy = c.npv_jpy;
    o.per_household_jpy = households_covered > 0 ? c.npv_jpy / households_covered : INFINITY;
    o.municipality_per_household_jpy = households_covered > 0 ? c.municipality_npv_jpy / households_covered : INFINITY;
    return o;
}

double nearest_rank(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(k, 1, v.size()) - 1];
}

// Inverse CDF of the triangular distribution on [a, b] with mode m (clamped into [a, b]).
double triangular(double u, double a, double m, double b) {
    if (b <= a) return a;
    m = std::clamp(m, a, b);
    const double fm = (m - a) / (b - a);
    return u < fm ? a + std::sqrt(u * (b - a) * (m - a)) : b - std::sqrt((1.0 - u) * (b - a) * (b - m));
}

}  // namespace

double uniform01(std::uint64_t seed, std::uint64_t draw, std::uint64_t variable) {
    const std::uint64_t key = splitmix64(splitmix64(seed) ^ splitmix64(draw + 0x632BE59BD9B4E019ULL));
    return static_cast<double>(splitmix64(key ^ splitmix64(variable)) >> 11) * 0x1.0p-53;  // 53-bit mantissa
}

double standard_normal(std::uint64_t seed, std::uint64_t draw, std::uint64_t variable) {
    // Box-Muller (Box and Muller 1958) from two uniforms keyed by (variable, 2^32 + variable).
    const double u1 = 1.0 - uniform01(seed, draw, variable);  // (0, 1]
    const double u2 = uniform01(seed, draw, variable + (1ULL << 32));
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double TornadoBar::swing_jpy() const {
    auto d = [](double a, double b) { return std::isfinite(a) && std::isfinite(b) ? std::abs(a - b) : 0.0; };
    return std::max(d(low.per_household_jpy, high.per_household_jpy),
                    d(low.municipality_per_household_jpy, high.municipality_per_household_jpy));
}

std::vector<TechnologyTornado> tornado(std::span<const UncertainTechnology> techs, const Catalogue& catalogue,
                                       const EconomicParams& params, const UncertaintySpec& spec) {
    check_spec(spec);
    auto keep = [](const CatalogueItem&) { return std::nan(""); };
    std::vector<TechnologyTornado> out;
    for (const auto& t : techs) {
        const Prepared p = prepare(t, catalogue);
        const double hh = households(p, 0.0);
        const std::vector<CostItem> base_bill = priced_bill(p, keep);
        TechnologyTornado tt;
        tt.name = t.name;
        tt.base = outcome(base_bill, params, hh);

        auto bar = [&](std::string name, double lo, double hi, auto&& eval) {
            TornadoBar b;
            b.parameter = std::move(name);
            b.low_value = lo;
            b.high_value = hi;
            b.low = eval(lo);
            b.high = eval(hi);
            tt.bars.push_back(std::move(b));
        };
        std::set<std::string> seen;
        for (std::size_t i = 0; i < t.bill.size(); ++i) {
            const CatalogueItem* c = p.item[i];
            if (!c || !seen.insert(c->id).second) continue;
            bar("price:" + c->id, c->low_jpy, c->high_jpy, [&](double v) {
                return outcome(priced_bill(p, [&](const CatalogueItem& x) { return x.id == c->id ? v : std::nan(""); }),
                               params, hh);
            });
        }
        bar("discount_rate", spec.discount_rate.low, spec.discount_rate.high, [&](double v) {
            EconomicParams q = params;
            q.discount_rate = v;
            return outcome(base_bill, q, hh);
        });
        bar("horizon_years", std::round(spec.horizon_years.low), std::round(spec.horizon_years.high), [&](double v) {
            EconomicParams q = params;
            q.horizon_years = static_cast<int>(v);
            return outcome(base_bill, q, hh);
        });
        bar("subsidy_rate", spec.subsidy_rate.low, spec.subsidy_rate.high, [&](double v) {
            EconomicParams q = params;
            q.rules.subsidy_rate = v;
            return outcome(base_bill, q, hh);
        });
        // Low end: propagation better than planned (margins grow by margin_db); high end: worse.
        bar("margin_db", -spec.margin_db, spec.margin_db,
            [&](double shift) { return outcome(base_bill, params, households(p, shift)); });

        std::stable_sort(tt.bars.begin(), tt.bars.end(), [](const TornadoBar& a, const TornadoBar& b) {
            const double sa = a.swing_jpy(), sb = b.swing_jpy();
            return sa != sb ? sa > sb : a.parameter < b.parameter;
        });
        out.push_back(std::move(tt));
    }
    return out;
}

MonteCarloResult monte_carlo(std::span<const UncertainTechnology> techs, const Catalogue& catalogue,
                             const EconomicParams& params, const UncertaintySpec& spec) {
    check_spec(spec);
    evaluate_costs({}, params);  // validates params once, before any thread starts

    std::vector<Prepared> prepared;
    for (const auto& t : techs) prepared.push_back(prepare(t, catalogue));
    // Variable index of each catalogue item used anywhere: its position in the sorted id list, so a price is
    // the same in every technology of a draw and does not depend on the order of the bills.
    std::map<std::string, std::uint64_t> var;
    for (const auto& p : prepared)
        for (const CatalogueItem* c : p.item)
            if (c) var.emplace(c->id, 0);
    std::uint64_t n = 0;
    for (auto& [id, v] : var) v = n++;
    const std::uint64_t first_shift_var = n;

    const std::size_t T = techs.size();
    const std::size_t D = spec.draws;
    std::vector<double> per_hh(D * T), npv(D * T);

    auto run_draw = [&](std::size_t d) {
        auto price_of = [&](const CatalogueItem& c) {
            const double u = uniform01(spec.seed, d, var.at(c.id));
            return spec.distribution == PriceDistribution::uniform ? c.low_jpy + u * (c.high_jpy - c.low_jpy)
                                                                   : triangular(u, c.low_jpy, main_price_jpy(c), c.high_jpy);
        };
        for (std::size_t t = 0; t < T; ++t) {
            const double shift_db = spec.shadow_sigma_db * standard_normal(spec.seed, d, first_shift_var + t);
            const Outcome o = outcome(priced_bill(prepared[t], price_of), params, households(prepared[t], shift_db));
            per_hh[d * T + t] = o.per_household_jpy;
            npv[d * T + t] = o.npv_jpy;
        }
    };
    // Contiguous chunks of draws per thread; each draw writes only its own slots.
    const unsigned nthreads = static_cast<unsigned>(std::min<std::size_t>(spec.threads, D));
    if (nthreads <= 1) {
        for (std::size_t d = 0; d < D; ++d) run_draw(d);
    } else {
        std::vector<std::jthread> pool;
        for (unsigned k = 0; k < nthreads; ++k)
            pool.emplace_back([&, k] {
                for (std::size_t d = D * k / nthreads; d < D * (k + 1) / nthreads; ++d) run_draw(d);
            });
    }

    MonteCarloResult r;
    r.draws = D;
    r.seed = spec.seed;
    r.distribution = spec.distribution;
    r.shadow_sigma_db = spec.shadow_sigma_db;
    r.technologies.resize(T);
    r.cheapest.assign(D, -1);
    std::vector<std::size_t> wins(T, 0);
    for (std::size_t d = 0; d < D; ++d) {
        double best = INFINITY;
        for (std::size_t t = 0; t < T; ++t)
            if (per_hh[d * T + t] < best) {  // ties: lowest index
                best = per_hh[d * T + t];
                r.cheapest[d] = static_cast<int>(t);
            }
        if (r.cheapest[d] >= 0) ++wins[static_cast<std::size_t>(r.cheapest[d])];
    }
    for (std::size_t t = 0; t < T; ++t) {
        auto& m = r.technologies[t];
        m.name = techs[t].name;
        for (std::size_t d = 0; d < D; ++d) {
            m.per_household_jpy.push_back(per_hh[d * T + t]);
            m.npv_jpy.push_back(npv[d * T + t]);
        }
        m.p5_jpy = nearest_rank(m.per_household_jpy, 0.05);
        m.p50_jpy = nearest_rank(m.per_household_jpy, 0.50);
        m.p95_jpy = nearest_rank(m.per_household_jpy, 0.95);
        m.cheapest_share = static_cast<double>(wins[t]) / static_cast<double>(D);
    }
    return r;
}

}  // namespace dxplan::econ
