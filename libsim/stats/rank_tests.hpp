// dxplan stats: rank tests for before/after outcome evaluation. Pure functions, no I/O, no globals.
//
// References:
//  - Mann-Whitney U / Wilcoxon rank-sum: M. Hollander, D. A. Wolfe, E. Chicken, "Nonparametric Statistical
//    Methods", 3rd ed., Wiley 2014, ch. 4 (sec. 4.1 test, 4.2 Hodges-Lehmann shift estimator, 4.3 its
//    confidence interval); W. J. Conover, "Practical Nonparametric Statistics", 3rd ed., 1999, sec. 5.1
//    (normal approximation with ties, eq. (5.1.3) variance with midranks).
//  - Wilcoxon signed-rank: Hollander, Wolfe & Chicken ch. 3 (sec. 3.1 test with zeros dropped and midranks,
//    3.2 Walsh-average estimator, 3.3 its interval).
//  - Rank-biserial correlation: D. S. Kerby, "The simple difference formula", Comprehensive Psychology 3 (2014):
//    r = favourable share - unfavourable share.
//  - Holm step-down adjustment: S. Holm, "A simple sequentially rejective multiple test procedure",
//    Scand. J. Statist. 6 (1979) 65-70.
//
// Conventions: x is the "after" sample, y the "before" one; the shift is x - y. alternative `greater` means
// x tends to be larger than y (R's wilcox.test(x, y, alternative = "greater")).
// Exact null distributions are used when there are no ties (and, signed-rank, no zero differences) and both
// samples have fewer than kExactMaxN values; otherwise the normal approximation with the tie-corrected
// variance and a continuity correction of 1/2.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dxplan::stats {

enum class Alternative { two_sided, less, greater };
Alternative parse_alternative(std::string_view text);  // "two-sided" | "less" | "greater"; InputError otherwise
std::string_view to_string(Alternative a);

inline constexpr int kExactMaxN = 50;  // exact distribution when every sample has fewer values (and no ties)

enum class Method { exact, normal };
std::string_view to_string(Method m);

// Midranks (1-based) of `v`, ties sharing the mean of their ranks; `tie_sizes` gets the size of every group of
// equal values with more than one member.
std::vector<double> midranks(std::span<const double> v, std::vector<int>* tie_sizes = nullptr);

// Median (mean of the two middle values for an even count). NaN for an empty span.
double median(std::span<const double> v);

struct ShiftEstimate {
    double estimate = 0.0;  // Hodges-Lehmann point estimate
    double ci_low = 0.0;    // confidence interval at 1 - alpha (-inf/+inf when the samples are too small)
    double ci_high = 0.0;
    double ci_level = 0.95;
};

struct MannWhitneyResult {
    int n_x = 0, n_y = 0;
    double u_x = 0.0;           // #(x_i > y_j) + #(x_i == y_j) / 2  (= R_x - n_x (n_x + 1) / 2)
    double u_y = 0.0;           // n_x n_y - u_x
    double rank_sum_x = 0.0;    // Wilcoxon's W of x (midranks in the pooled sample)
    double variance = 0.0;      // null variance of U, tie-corrected (Conover eq. (5.1.3))
    double z = 0.0;             // normal deviate (with continuity correction); 0 when exact
    double p_value = 1.0;
    Method method = Method::exact;
    bool ties = false;
    double rank_biserial = 0.0; // Kerby: (u_x - u_y) / (n_x n_y), in [-1, 1]; > 0: x tends larger
    ShiftEstimate shift;        // median of the n_x n_y differences x_i - y_j, and its interval
    double median_x = 0.0, median_y = 0.0;
};

// Throws InputError when a sample is empty or holds a non-finite value. `alpha` sets the interval's level.
MannWhitneyResult mann_whitney(std::span<const double> x, std::span<const double> y, Alternative alt, double alpha = 0.05);

struct SignedRankResult {
    int n_pairs = 0;            // pairs given
    int n_nonzero = 0;          // pairs with x_i != y_i (zeros dropped, Wilcoxon's convention)
    double w_plus = 0.0;        // sum of the midranks of |d| over d = x - y > 0
    double w_minus = 0.0;
    double variance = 0.0;      // null variance of W+, tie-corrected (HWC eq. (3.13))
    double z = 0.0;
    double p_value = 1.0;
    Method method = Method::exact;
    bool ties = false;          // tied |d| or zero differences
    double rank_biserial = 0.0; // matched-pairs: (w_plus - w_minus) / (w_plus + w_minus)
    ShiftEstimate shift;        // median of the Walsh averages (d_i + d_j) / 2, i <= j, and its interval
    double median_x = 0.0, median_y = 0.0;
};

// Paired samples of equal length. Throws InputError on unequal lengths, empty input or non-finite values.
SignedRankResult signed_rank(std::span<const double> x, std::span<const double> y, Alternative alt, double alpha = 0.05);

// Exact null distribution of U for sample sizes m, n without ties: P(U = u), u = 0..m n.
std::vector<double> mann_whitney_null_pmf(int m, int n);
// Exact null distribution of W+ for n nonzero untied differences: P(W+ = w), w = 0..n (n + 1) / 2.
std::vector<double> signed_rank_null_pmf(int n);

// Holm's step-down adjusted p-values, in the input order (each in [0, 1], monotone in the sorted order).
std::vector<double> holm_adjust(std::span<const double> p);

// Standard normal CDF and its inverse (Acklam's rational approximation refined by one Halley step).
double normal_cdf(double z);
double normal_quantile(double p);

}  // namespace dxplan::stats
