// Rank tests: see rank_tests.hpp for the references and conventions.
#include "libsim/stats/rank_tests.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

#include "libsim/core/error.hpp"

namespace dxplan::stats {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void require_finite(std::span<const double> v, const char* what) {
    if (v.empty()) throw InputError(std::string(what) + ": no values");
    for (double x : v)
        if (!std::isfinite(x)) throw InputError(std::string(what) + ": a value is not a finite number");
}

// Sum of (t^3 - t) over the tie groups (Conover eq. (5.1.3); Hollander-Wolfe-Chicken sec. 3.1 and 4.1).
double tie_sum(const std::vector<int>& tie_sizes) {
    double s = 0.0;
    for (int t : tie_sizes) s += static_cast<double>(t) * t * t - t;
    return s;
}

// P(S <= s) and P(S >= s) from a pmf over 0..size-1 (s may be a half-integer: then it rounds inwards).
double cdf_le(const std::vector<double>& pmf, double s) {
    double acc = 0.0;
    for (std::size_t k = 0; k < pmf.size() && static_cast<double>(k) <= s + 1e-9; ++k) acc += pmf[k];
    return std::min(1.0, acc);
}
double cdf_ge(const std::vector<double>& pmf, double s) {
    double acc = 0.0;
    for (std::size_t k = pmf.size(); k-- > 0 && static_cast<double>(k) >= s - 1e-9;) acc += pmf[k];
    return std::min(1.0, acc);
}

double exact_p(const std::vector<double>& pmf, double s, Alternative alt) {
    switch (alt) {
        case Alternative::greater: return cdf_ge(pmf, s);
        case Alternative::less: return cdf_le(pmf, s);
        case Alternative::two_sided: break;
    }
    return std::min(1.0, 2.0 * std::min(cdf_le(pmf, s), cdf_ge(pmf, s)));
}

// Normal approximation with a continuity correction of 1/2 toward the mean (Hollander-Wolfe-Chicken
// eq. (3.8)/(4.9) standardisation); returns {z, p}.
std::pair<double, double> normal_p(double s, double mean, double var, Alternative alt) {
    const double sd = std::sqrt(var);
    switch (alt) {
        case Alternative::greater: {
            const double z = (s - mean - 0.5) / sd;
            return {z, 1.0 - normal_cdf(z)};
        }
        case Alternative::less: {
            const double z = (s - mean + 0.5) / sd;
            return {z, normal_cdf(z)};
        }
        case Alternative::two_sided: break;
    }
    const double dev = s - mean;
    const double corr = dev > 0.0 ? 0.5 : (dev < 0.0 ? -0.5 : 0.0);
    const double z = (dev - corr) / sd;
    return {z, std::min(1.0, 2.0 * std::min(normal_cdf(z), 1.0 - normal_cdf(z)))};
}

// The order-statistic index k (1-based) of the two-sided 1 - alpha interval [v_(k), v_(M - k + 1)] of a
// Hodges-Lehmann estimator: exact, the largest k with P(S <= k - 1) <= alpha / 2 (Hollander-Wolfe-Chicken
// eq. (4.41), (3.27)); normal, the integer nearest M / 2 - z_(alpha/2) sqrt(var) (their large-sample form).
int ci_index(const std::vector<double>* pmf, double m_total, double var, double alpha) {
    if (pmf) {
        int k = 0;
        double acc = 0.0;
        for (std::size_t j = 0; j < pmf->size(); ++j) {
            acc += (*pmf)[j];  // acc = P(S <= j)
            if (acc > alpha / 2.0 + 1e-12) break;
            k = static_cast<int>(j) + 1;
        }
        return k;
    }
    return static_cast<int>(std::lround(m_total / 2.0 - normal_quantile(1.0 - alpha / 2.0) * std::sqrt(var)));
}

ShiftEstimate shift_from(std::vector<double> values, int k, double alpha) {
    std::sort(values.begin(), values.end());
    ShiftEstimate s;
    s.estimate = median(values);
    s.ci_level = 1.0 - alpha;
    const auto m = static_cast<int>(values.size());
    if (k < 1 || k > m) {
        s.ci_low = -kInf;
        s.ci_high = kInf;
    } else {
        s.ci_low = values[static_cast<std::size_t>(k - 1)];
        s.ci_high = values[static_cast<std::size_t>(m - k)];
    }
    return s;
}

void require_alpha(double alpha) {
    if (!(alpha > 0.0 && alpha < 1.0)) throw InputError("--alpha: must be in (0, 1)");
}

}  // namespace

Alternative parse_alternative(std::string_view text) {
    if (text == "two-sided") return Alternative::two_sided;
    if (text == "less") return Alternative::less;
    if (text == "greater") return Alternative::greater;
    throw InputError("--alternative " + std::string(text) + ": must be two-sided, less or greater");
}

std::string_view to_string(Alternative a) {
    switch (a) {
        case Alternative::less: return "less";
        case Alternative::greater: return "greater";
        case Alternative::two_sided: break;
    }
    return "two-sided";
}

std::string_view to_string(Method m) { return m == Method::exact ? "exact" : "normal"; }

std::vector<double> midranks(std::span<const double> v, std::vector<int>* tie_sizes) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> rank(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        const double r = 0.5 * (static_cast<double>(i + 1) + static_cast<double>(j + 1));  // mean of ranks i+1..j+1
        for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
        if (tie_sizes && j > i) tie_sizes->push_back(static_cast<int>(j - i + 1));
        i = j + 1;
    }
    return rank;
}

double median(std::span<const double> v) {
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::vector<double> s(v.begin(), v.end());
    std::sort(s.begin(), s.end());
    const std::size_t n = s.size();
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

// The number of arrangements of m x's and n y's with U = u is the coefficient of q^u in the Gaussian binomial
// [m+n choose m]_q (Hollander-Wolfe-Chicken sec. 4.1, comment 4: Mann and Whitney's recursion). Built with the
// q-Pascal rule [N, k] = [N-1, k-1] + q^k [N-1, k]: additions of positive numbers only, so no cancellation.
std::vector<double> mann_whitney_null_pmf(int m, int n) {
    if (m < 1 || n < 1) throw InputError("mann_whitney_null_pmf: sample sizes must be >= 1");
    std::vector<std::vector<double>> row(1, std::vector<double>{1.0});  // N = 0: [0, 0] = 1
    for (int big_n = 1; big_n <= m + n; ++big_n) {
        const int kmax = std::min(big_n, m);
        std::vector<std::vector<double>> next(static_cast<std::size_t>(kmax) + 1);
        for (int k = 0; k <= kmax; ++k) {
            std::vector<double>& g = next[static_cast<std::size_t>(k)];
            g.assign(static_cast<std::size_t>(k) * static_cast<std::size_t>(big_n - k) + 1, 0.0);
            if (k >= 1) {
                const auto& a = row[static_cast<std::size_t>(k - 1)];
                for (std::size_t i = 0; i < a.size(); ++i) g[i] += a[i];
            }
            if (k < big_n && static_cast<std::size_t>(k) < row.size()) {
                const auto& b = row[static_cast<std::size_t>(k)];
                for (std::size_t i = 0; i < b.size(); ++i) g[i + static_cast<std::size_t>(k)] += b[i];
            }
        }
        row = std::move(next);
    }
    std::vector<double> pmf = std::move(row[static_cast<std::size_t>(m)]);
    const double total = std::accumulate(pmf.begin(), pmf.end(), 0.0);  // = C(m+n, m)
    for (double& p : pmf) p /= total;
    return pmf;
}

// Coefficients of prod_{i=1..n} (1 + q^i) / 2^n (each rank's sign equally likely under H0; HWC sec. 3.1).
std::vector<double> signed_rank_null_pmf(int n) {
    if (n < 1) throw InputError("signed_rank_null_pmf: n must be >= 1");
    std::vector<double> c(1, 1.0);
    for (int i = 1; i <= n; ++i) {
        std::vector<double> d(c.size() + static_cast<std::size_t>(i), 0.0);
        for (std::size_t k = 0; k < c.size(); ++k) {
            d[k] += 0.5 * c[k];
            d[k + static_cast<std::size_t>(i)] += 0.5 * c[k];
        }
        c = std::move(d);
    }
    return c;
}

MannWhitneyResult mann_whitney(std::span<const double> x, std::span<const double> y, Alternative alt, double alpha) {
    require_finite(x, "first sample");
    require_finite(y, "second sample");
    require_alpha(alpha);
    MannWhitneyResult r;
    r.n_x = static_cast<int>(x.size());
    r.n_y = static_cast<int>(y.size());
    const double mn = static_cast<double>(r.n_x) * r.n_y;
    const double big_n = static_cast<double>(r.n_x + r.n_y);

    std::vector<double> pooled(x.begin(), x.end());
    pooled.insert(pooled.end(), y.begin(), y.end());
    std::vector<int> ties;
    const std::vector<double> rank = midranks(pooled, &ties);
    r.rank_sum_x = std::accumulate(rank.begin(), rank.begin() + r.n_x, 0.0);
    r.u_x = r.rank_sum_x - r.n_x * (r.n_x + 1.0) / 2.0;  // HWC eq. (4.15): U = W - n(n+1)/2
    r.u_y = mn - r.u_x;
    r.ties = !ties.empty();
    const double var = mn / 12.0 * ((big_n + 1.0) - tie_sum(ties) / (big_n * (big_n - 1.0)));  // Conover (5.1.3)
    if (!(var > 0.0)) throw InputError("all values are tied: a rank test cannot tell the samples apart");
    r.variance = var;
    r.rank_biserial = (r.u_x - r.u_y) / mn;  // Kerby (2014)
    r.median_x = median(x);
    r.median_y = median(y);

    const bool exact = !r.ties && r.n_x < kExactMaxN && r.n_y < kExactMaxN;
    std::vector<double> pmf;
    if (exact) {
        pmf = mann_whitney_null_pmf(r.n_x, r.n_y);
        r.method = Method::exact;
        r.p_value = exact_p(pmf, r.u_x, alt);
    } else {
        r.method = Method::normal;
        std::tie(r.z, r.p_value) = normal_p(r.u_x, mn / 2.0, var, alt);
    }
    std::vector<double> diffs;
    diffs.reserve(x.size() * y.size());
    for (double xi : x)
        for (double yj : y) diffs.push_back(xi - yj);  // HWC eq. (4.28): the n_x n_y differences
    r.shift = shift_from(std::move(diffs), ci_index(exact ? &pmf : nullptr, mn, var, alpha), alpha);
    return r;
}

SignedRankResult signed_rank(std::span<const double> x, std::span<const double> y, Alternative alt, double alpha) {
    require_finite(x, "first sample");
    require_finite(y, "second sample");
    require_alpha(alpha);
    if (x.size() != y.size())
        throw InputError("--paired: the two samples have " + std::to_string(x.size()) + " and " +
                         std::to_string(y.size()) + " values: paired samples must have the same length");
    SignedRankResult r;
    r.n_pairs = static_cast<int>(x.size());
    std::vector<double> d_all(x.size()), d_abs, sign;
    for (std::size_t i = 0; i < x.size(); ++i) {
        d_all[i] = x[i] - y[i];
        if (d_all[i] == 0.0) continue;  // zeros dropped (Wilcoxon; HWC sec. 3.1 comment 6)
        d_abs.push_back(std::fabs(d_all[i]));
        sign.push_back(d_all[i] > 0.0 ? 1.0 : -1.0);
    }
    r.n_nonzero = static_cast<int>(d_abs.size());
    if (r.n_nonzero == 0) throw InputError("all values are tied: every pair has the same value before and after");
    std::vector<int> ties;
    const std::vector<double> rank = midranks(d_abs, &ties);
    for (std::size_t i = 0; i < rank.size(); ++i) (sign[i] > 0.0 ? r.w_plus : r.w_minus) += rank[i];
    r.ties = !ties.empty() || r.n_nonzero < r.n_pairs;
    const double n = r.n_nonzero;
    const double var = n * (n + 1.0) * (2.0 * n + 1.0) / 24.0 - tie_sum(ties) / 48.0;  // HWC eq. (3.13)
    r.variance = var;
    r.rank_biserial = (r.w_plus - r.w_minus) / (r.w_plus + r.w_minus);  // Kerby (2014), matched pairs
    r.median_x = median(x);
    r.median_y = median(y);

    const bool exact = !r.ties && r.n_nonzero < kExactMaxN;
    std::vector<double> pmf;
    if (exact) {
        pmf = signed_rank_null_pmf(r.n_nonzero);
        r.method = Method::exact;
        r.p_value = exact_p(pmf, r.w_plus, alt);
    } else {
        r.method = Method::normal;
        std::tie(r.z, r.p_value) = normal_p(r.w_plus, n * (n + 1.0) / 4.0, var, alt);
    }
    // Walsh averages over all pairs (HWC eq. (3.20)); the interval's index from the same null distribution.
    std::vector<double> walsh;
    for (std::size_t i = 0; i < d_all.size(); ++i)
        for (std::size_t j = i; j < d_all.size(); ++j) walsh.push_back(0.5 * (d_all[i] + d_all[j]));
    // Over all n_pairs differences (zeros included, as the estimator is): M = N (N + 1) / 2 Walsh averages.
    const double n_all = r.n_pairs;
    const double m_walsh = n_all * (n_all + 1.0) / 2.0;
    const double var_all = n_all * (n_all + 1.0) * (2.0 * n_all + 1.0) / 24.0 - tie_sum(ties) / 48.0;
    r.shift = shift_from(std::move(walsh), ci_index(exact ? &pmf : nullptr, m_walsh, var_all, alpha), alpha);
    return r;
}

std::vector<double> holm_adjust(std::span<const double> p) {
    const std::size_t m = p.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    std::vector<double> adj(m);
    double running = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
        const double v = std::min(1.0, static_cast<double>(m - i) * p[order[i]]);  // Holm (1979): (m - i + 1) p_(i)
        running = std::max(running, v);
        adj[order[i]] = running;
    }
    return adj;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// P. J. Acklam's rational approximation (relative error 1.15e-9), refined by one Halley step on erfc.
double normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) throw InputError("normal_quantile: p must be in (0, 1)");
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    const double p_low = 0.02425;
    double x;
    if (p < p_low) {
        const double q = std::sqrt(-2.0 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (p <= 1.0 - p_low) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        const double q = std::sqrt(-2.0 * std::log(1.0 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    const double e = normal_cdf(x) - p;  // Halley refinement
    const double u = e * std::sqrt(2.0 * M_PI) * std::exp(x * x / 2.0);
    return x - u / (1.0 + x * u / 2.0);
}

}  // namespace dxplan::stats
