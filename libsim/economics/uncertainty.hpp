// dxplan uncertainty: how far the comparison's figures move with the assumptions behind them.
//
//  - Tornado (one at a time): each key assumption is set to the low and then the high end of its range while
//    every other stays at its base value: the price of every catalogue item a technology uses (the item's
//    low_jpy/high_jpy), the discount rate, the horizon, the subsidy rate, and the propagation margin (a
//    uniform shift of every demand point's link margin by -/+ margin_db). Effect on NPV, on cost per covered
//    household and on the municipality's cost per household after subsidy, per technology.
//  - Monte Carlo: every draw samples each catalogue item's price (triangular with the base price as mode,
//    or uniform, within [low, high]) once, shared by all technologies (common random numbers), and a
//    propagation shift per technology, normal with sd shadow_sigma_db; a demand point stays covered when its
//    margin >= the shift. Reported: the distribution of cost per household and how often each technology is
//    the cheapest per household ("Local 5G is cheapest per household in 83 % of draws").
//
// Determinism (ARCHITECTURE.md 7): every random number is a counter-based hash (SplitMix64) of
// (seed, draw index, variable index), never a shared generator, so results are identical whatever the
// thread count and the order the draws run in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libsim/economics/catalogue.hpp"
#include "libsim/economics/economics.hpp"

namespace dxplan::econ {

// One technology's deployment, as far as the uncertainty needs it.
struct UncertainTechnology {
    std::string name;
    std::vector<CostItem> bill;             // lines whose id is a catalogue item are varied, others fixed
    std::vector<double> demand_margin_db;   // per household demand point: link margin at the target
                                            // reliability (>= 0 covered); empty: households_covered fixed
    double households_covered = 0.0;        // used when demand_margin_db is empty
};

struct Range {
    double low = 0.0;
    double high = 0.0;
};

enum class PriceDistribution { triangular, uniform };

struct UncertaintySpec {
    Range discount_rate{0.01, 0.06};
    Range horizon_years{7.0, 15.0};         // rounded to whole years
    Range subsidy_rate{0.0, 0.5};
    double margin_db = 3.0;                 // tornado: propagation margin -/+ this, dB (>= 0)
    double shadow_sigma_db = 3.0;           // Monte Carlo: sd of the propagation shift, dB (>= 0)
    PriceDistribution distribution = PriceDistribution::triangular;
    std::size_t draws = 1000;               // [1, 1e6]
    std::uint64_t seed = 1;
    unsigned threads = 1;                   // >= 1; the result does not depend on it
};

struct Outcome {
    double npv_jpy = 0.0;
    double per_household_jpy = 0.0;               // +inf when nobody is covered
    double municipality_per_household_jpy = 0.0;  // after subsidy; +inf when nobody is covered
};

struct TornadoBar {
    std::string parameter;   // "price:<item id>", "discount_rate", "horizon_years", "subsidy_rate", "margin_db"
    double low_value = 0.0;  // the parameter's value at each end (JPY for prices, dB for the margin shift)
    double high_value = 0.0;
    Outcome low;
    Outcome high;
    // Largest effect on the per-household figures (before or after subsidy), JPY: what bars are sorted by.
    [[nodiscard]] double swing_jpy() const;
};

struct TechnologyTornado {
    std::string name;
    Outcome base;
    std::vector<TornadoBar> bars;  // by swing, largest first; ties by parameter name
};

// Base values come from `params`; ranges from `spec` and the catalogue. InputError on a bad range
// (low > high, values outside what evaluate_costs accepts).
std::vector<TechnologyTornado> tornado(std::span<const UncertainTechnology> techs, const Catalogue& catalogue,
                                       const EconomicParams& params, const UncertaintySpec& spec);

struct McTechnology {
    std::string name;
    std::vector<double> per_household_jpy;  // per draw (+inf when nobody is covered)
    std::vector<double> npv_jpy;            // per draw
    double p5_jpy = 0.0;                    // percentiles of per_household_jpy (nearest rank)
    double p50_jpy = 0.0;
    double p95_jpy = 0.0;
    double cheapest_share = 0.0;            // share of draws in which it is the cheapest per household
};

struct MonteCarloResult {
    std::size_t draws = 0;
    std::uint64_t seed = 0;
    PriceDistribution distribution = PriceDistribution::triangular;
    double shadow_sigma_db = 0.0;
    std::vector<McTechnology> technologies;  // input order
    std::vector<int> cheapest;               // per draw: index of the cheapest technology, -1 if none covers
};

MonteCarloResult monte_carlo(std::span<const UncertainTechnology> techs, const Catalogue& catalogue,
                             const EconomicParams& params, const UncertaintySpec& spec);

// The counter-based random numbers, exposed for tests: uniform in [0, 1) and standard normal.
double uniform01(std::uint64_t seed, std::uint64_t draw, std::uint64_t variable);
double standard_normal(std::uint64_t seed, std::uint64_t draw, std::uint64_t variable);

}  // namespace dxplan::econ
