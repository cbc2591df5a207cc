// Rank tests (libsim/stats): textbook worked examples, hand calculations, and an independent brute-force
// computation of the permutation distribution (pairwise counting, not ranks) for tied data.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "libsim/core/error.hpp"
#include "libsim/stats/rank_tests.hpp"

using namespace dxplan;
using namespace dxplan::stats;

namespace {

// U by its definition (Mann & Whitney 1947): #(x_i > y_j) + #(x_i == y_j) / 2, by pairwise comparison.
double u_by_pairs(const std::vector<double>& x, const std::vector<double>& y) {
    double u = 0.0;
    for (double a : x)
        for (double b : y) u += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
    return u;
}

// Every split of the pooled sample into groups of sizes m and N - m (the permutation distribution of U,
// conditional on the observed values and their ties), enumerated by a bit mask. Returns U of each split.
std::vector<double> permutation_u(const std::vector<double>& pooled, int m) {
    const int n_total = static_cast<int>(pooled.size());
    std::vector<double> out;
    for (unsigned mask = 0; mask < (1u << n_total); ++mask) {
        if (__builtin_popcount(mask) != m) continue;
        std::vector<double> x, y;
        for (int i = 0; i < n_total; ++i) ((mask >> i) & 1u ? x : y).push_back(pooled[static_cast<std::size_t>(i)]);
        out.push_back(u_by_pairs(x, y));
    }
    return out;
}

}  // namespace

// Hollander & Wolfe (1973), "Nonparametric Statistical Methods", p. 29 (3rd ed. with Chicken, 2014, Example 3.1):
// Hamilton depression scale factor IV before (y, first visit) and after (x, second visit) tranquilizer, 9 patients.
// The same data are the paired example of R's stats::wilcox.test help page, whose printed output is
// "V = 40, p-value = 0.01953" (alternative = "greater").
TEST_CASE("Wilcoxon signed-rank: Hollander & Wolfe Example 3.1 (depression scale), T+ = 40, p = 0.01953") {
    const std::vector<double> x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
    const std::vector<double> y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
    // By hand: d = x - y = 0.952, -0.147, 1.022, 0.43, 0.62, 0.59, 0.49, -0.08, 0.01; ranks of |d|:
    // 0.01->1, 0.08->2, 0.147->3, 0.43->4, 0.49->5, 0.59->6, 0.62->7, 0.952->8, 1.022->9. Negative: ranks 2, 3,
    // so T- = 5 and T+ = 45 - 5 = 40. P0(T+ >= 40) = P0(T+ <= 5) = #{subsets of 1..9 with sum <= 5} / 2^9:
    // sum 0: {}, 1: {1}, 2: {2}, 3: {3},{1,2}, 4: {4},{1,3}, 5: {5},{1,4},{2,3} -> 10 / 512 = 0.01953125.
    const SignedRankResult r = signed_rank(x, y, Alternative::greater);
    CHECK(r.w_plus == 40.0);
    CHECK(r.w_minus == 5.0);
    CHECK(r.method == Method::exact);
    CHECK(r.p_value == Approx(10.0 / 512.0).epsilon(1e-12));
    CHECK(std::fabs(r.p_value - 0.01953) < 5e-6);  // R's printed value (4 significant digits)
    // Two-sided doubles it; "less" is P(T+ <= 40) = 1 - P(T+ >= 41) = 1 - P(T+ <= 4) = 1 - 7/512.
    CHECK(signed_rank(x, y, Alternative::two_sided).p_value == Approx(20.0 / 512.0).epsilon(1e-12));
    CHECK(signed_rank(x, y, Alternative::less).p_value == Approx(1.0 - 7.0 / 512.0).epsilon(1e-12));
    CHECK(r.rank_biserial == Approx((40.0 - 5.0) / 45.0));
}

// Hollander & Wolfe (1973), p. 69 (3rd ed. Example 4.1): permeability constants of the human chorioamnion,
// at term (x, 10 values) and at 12-26 weeks' gestation (y, 5 values). R's stats::wilcox.test help page
// prints "W = 35, p-value = 0.1272" for wilcox.test(x, y, alternative = "greater").
TEST_CASE("Mann-Whitney: Hollander & Wolfe Example 4.1 (placental permeability), U = 35, p = 0.1272") {
    const std::vector<double> x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    const std::vector<double> y = {1.15, 0.88, 0.90, 0.74, 1.21};
    // By hand, x values above each y: 1.15 -> 6 (1.89 1.45 1.38 1.91 1.64 1.46), 0.88 -> 7 (those and 1.04),
    // 0.90 -> 7, 0.74 -> 9 (all but 0.73), 1.21 -> 6: U = 35.
    const MannWhitneyResult r = mann_whitney(x, y, Alternative::greater);
    CHECK(r.u_x == 35.0);
    CHECK(r.u_y == 15.0);
    CHECK(r.method == Method::exact);
    CHECK(std::fabs(r.p_value - 0.1272) < 5e-5);  // R's printed value
    // Independent: the share of the C(15, 5) = 3003 splits of the pooled values with U >= 35.
    std::vector<double> pooled = x;
    pooled.insert(pooled.end(), y.begin(), y.end());
    const std::vector<double> us = permutation_u(pooled, 10);
    REQUIRE(us.size() == 3003);
    const double ge = static_cast<double>(std::count_if(us.begin(), us.end(), [](double u) { return u >= 35.0; }));
    CHECK(r.p_value == Approx(ge / 3003.0).epsilon(1e-12));
    CHECK(r.rank_biserial == Approx((35.0 - 15.0) / 50.0));
    CHECK(r.median_x == Approx((1.38 + 1.45) / 2.0));
    CHECK(r.median_y == Approx(0.90));
}

TEST_CASE("Mann-Whitney null distribution: m = n = 2 by hand, and it sums to 1") {
    // The 6 arrangements of xxyy: U = 0 (xxyy), 1 (xyxy), 2 (xyyx, yxxy), 3 (yxyx), 4 (yyxx).
    const std::vector<double> pmf = mann_whitney_null_pmf(2, 2);
    REQUIRE(pmf.size() == 5);
    CHECK(pmf[0] == Approx(1.0 / 6));
    CHECK(pmf[1] == Approx(1.0 / 6));
    CHECK(pmf[2] == Approx(2.0 / 6));
    CHECK(pmf[3] == Approx(1.0 / 6));
    CHECK(pmf[4] == Approx(1.0 / 6));
    const std::vector<double> big = mann_whitney_null_pmf(49, 49);
    CHECK(std::accumulate(big.begin(), big.end(), 0.0) == Approx(1.0).epsilon(1e-12));
    CHECK(big.front() == Approx(big.back()).epsilon(1e-9));  // symmetric
}

TEST_CASE("Signed-rank null distribution: n = 3 by hand") {
    // Subsets of {1,2,3}: sums 0,1,2,3,3,4,5,6 -> P(0..6) = 1,1,1,2,1,1,1 / 8.
    const std::vector<double> pmf = signed_rank_null_pmf(3);
    const std::vector<double> want = {1, 1, 1, 2, 1, 1, 1};
    REQUIRE(pmf.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(pmf[i] == Approx(want[i] / 8.0));
}

// Independent computation with ties: the permutation distribution of U (pairwise counts over every split) has
// mean m n / 2 and exactly the tie-corrected variance the library uses; and the library's normal p-value is
// close to the exact permutation p-value.
TEST_CASE("Mann-Whitney with ties: tie-corrected variance equals the permutation variance, p close to exact") {
    const std::vector<double> x = {3, 4, 4, 5, 5, 5, 6, 7, 7, 8};
    const std::vector<double> y = {1, 2, 2, 3, 4, 4, 5, 5, 6, 6};
    const MannWhitneyResult r = mann_whitney(x, y, Alternative::greater);
    CHECK(r.ties);
    CHECK(r.method == Method::normal);
    CHECK(r.u_x == u_by_pairs(x, y));
    std::vector<double> pooled = x;
    pooled.insert(pooled.end(), y.begin(), y.end());
    const std::vector<double> us = permutation_u(pooled, 10);
    REQUIRE(us.size() == 184756);  // C(20, 10)
    const double n = static_cast<double>(us.size());
    const double mean = std::accumulate(us.begin(), us.end(), 0.0) / n;
    double var = 0.0;
    for (double u : us) var += (u - mean) * (u - mean);
    var /= n;
    CHECK(mean == Approx(50.0).epsilon(1e-12));
    CHECK(r.variance == Approx(var).epsilon(1e-9));
    const double p_perm = static_cast<double>(std::count_if(us.begin(), us.end(), [&](double u) { return u >= r.u_x; })) / n;
    // Tolerance: 0.005 absolute, the normal approximation's usual accuracy at n = 10 + 10 (Conover sec. 5.1).
    CHECK(std::fabs(r.p_value - p_perm) < 0.005);
}

TEST_CASE("Signed-rank with ties and zeros: midranks, zeros dropped, variance reduced by sum(t^3 - t)/48") {
    const std::vector<double> before = {10, 12, 9, 14, 11, 13, 10, 8};
    const std::vector<double> after = {12, 12, 11, 17, 10, 16, 13, 10};
    // d = 2, 0, 2, 3, -1, 3, 3, 2; zero dropped -> n = 7; |d| sorted: 1 (rank 1), 2,2,2 (ranks 2-4 -> 3),
    // 3,3,3 (ranks 5-7 -> 6). W- = 1, W+ = 3*3 + 3*6 = 27. Variance 7*8*15/24 - (24 + 24)/48 = 35 - 1 = 34.
    const SignedRankResult r = signed_rank(after, before, Alternative::greater);
    CHECK(r.n_nonzero == 7);
    CHECK(r.w_plus == 27.0);
    CHECK(r.w_minus == 1.0);
    CHECK(r.variance == Approx(34.0));
    CHECK(r.method == Method::normal);
    // z = (27 - 14 - 0.5) / sqrt(34) = 2.1437...; p = 1 - Phi(z).
    CHECK(r.z == Approx(12.5 / std::sqrt(34.0)));
    CHECK(r.p_value == Approx(0.5 * std::erfc(12.5 / std::sqrt(34.0) / std::sqrt(2.0))));
}

// Exact and normal p-values where both apply (no ties): m = n = 20 and signed-rank n = 30, over a range of
// statistics. Tolerance 0.003 absolute (the continuity-corrected normal approximation at these sizes).
TEST_CASE("Exact and normal p-values agree within 0.003 where both apply") {
    const int m = 20, n = 20;
    const std::vector<double> pmf = mann_whitney_null_pmf(m, n);
    const double mean = m * n / 2.0, sd = std::sqrt(m * n * (m + n + 1) / 12.0);
    double worst = 0.0;
    for (int u = 100; u <= 200; u += 5) {
        double exact = 0.0;
        for (int k = u; k <= m * n; ++k) exact += pmf[static_cast<std::size_t>(k)];
        const double normal = 1.0 - normal_cdf((u - mean - 0.5) / sd);
        worst = std::max(worst, std::fabs(exact - normal));
    }
    CHECK(worst < 0.003);
    const int nw = 30;
    const std::vector<double> pw = signed_rank_null_pmf(nw);
    const double mw = nw * (nw + 1) / 4.0, sw = std::sqrt(nw * (nw + 1) * (2 * nw + 1) / 24.0);
    double worst_w = 0.0;
    for (int w = 120; w <= 340; w += 10) {
        double exact = 0.0;
        for (std::size_t k = static_cast<std::size_t>(w); k < pw.size(); ++k) exact += pw[k];
        worst_w = std::max(worst_w, std::fabs(exact - (1.0 - normal_cdf((w - mw - 0.5) / sw))));
    }
    CHECK(worst_w < 0.003);
}

TEST_CASE("Hodges-Lehmann shift and interval: small hand cases") {
    // x = {1, 2, 3}, y = {0}: differences 1, 2, 3 -> estimate 2. n_x n_y = 3: P(U <= 0) = 1/4 > 0.025, so the
    // 95 % interval is unbounded.
    const MannWhitneyResult r = mann_whitney(std::vector<double>{1, 2, 3}, std::vector<double>{0}, Alternative::two_sided);
    CHECK(r.shift.estimate == 2.0);
    CHECK(std::isinf(r.shift.ci_low));
    // m = n = 6, y = 0..5 and x = y + 10: every difference is in [5, 15]; estimate 10. #(U = u) for 6, 6 is the
    // number of partitions of u into at most 6 parts of at most 6: 1, 1, 2, 3, 5, 7, 11 for u = 0..6, of
    // C(12, 6) = 924. P(U <= 5) = 19 / 924 = 0.0206 <= 0.025 < P(U <= 6) = 30 / 924, so k = 6 and the interval
    // is [D_(6), D_(31)] of the 36 sorted differences (HWC eq. (4.41)).
    std::vector<double> y6 = {0, 1, 2, 3, 4, 5}, x6;
    for (double v : y6) x6.push_back(v + 10.0);
    const MannWhitneyResult s = mann_whitney(x6, y6, Alternative::two_sided);
    CHECK(s.shift.estimate == 10.0);
    std::vector<double> d;
    for (double a : x6)
        for (double b : y6) d.push_back(a - b);
    std::sort(d.begin(), d.end());
    CHECK(s.shift.ci_low == d[5]);
    CHECK(s.shift.ci_high == d[30]);
    const std::vector<double> pmf = mann_whitney_null_pmf(6, 6);
    CHECK(pmf[0] + pmf[1] + pmf[2] + pmf[3] + pmf[4] + pmf[5] == Approx(19.0 / 924.0));
}

TEST_CASE("Holm adjustment and midranks by hand") {
    // p = .01 .04 .03 .005 -> sorted .005 .01 .03 .04 times 4 3 2 1 = .02 .03 .06 .04 -> running max .02 .03 .06 .06
    const std::vector<double> adj = holm_adjust(std::vector<double>{0.01, 0.04, 0.03, 0.005});
    CHECK(adj[0] == Approx(0.03));
    CHECK(adj[1] == Approx(0.06));
    CHECK(adj[2] == Approx(0.06));
    CHECK(adj[3] == Approx(0.02));
    std::vector<int> ties;
    const std::vector<double> r = midranks(std::vector<double>{5, 1, 5, 3, 5}, &ties);
    CHECK(r == std::vector<double>{4, 1, 4, 2, 4});
    CHECK(ties == std::vector<int>{3});
}

TEST_CASE("Bad input: all values tied, empty sample, unequal pairs") {
    CHECK_THROWS_AS(mann_whitney(std::vector<double>{2, 2}, std::vector<double>{2, 2, 2}, Alternative::two_sided), InputError);
    CHECK_THROWS_AS(signed_rank(std::vector<double>{1, 2}, std::vector<double>{1, 2}, Alternative::two_sided), InputError);
    CHECK_THROWS_AS(mann_whitney(std::vector<double>{}, std::vector<double>{1}, Alternative::two_sided), InputError);
    CHECK_THROWS_AS(signed_rank(std::vector<double>{1, 2}, std::vector<double>{1}, Alternative::two_sided), InputError);
    CHECK_THROWS_AS(parse_alternative("bigger"), InputError);
}

TEST_CASE("normal_quantile inverts normal_cdf") {
    for (double p : {1e-6, 0.01, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999})
        CHECK(normal_cdf(normal_quantile(p)) == Approx(p).epsilon(1e-10));
    CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-12));  // z_0.025, standard tables
}
