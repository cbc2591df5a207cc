#include "libsim/coverage/itm_radial.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dxplan::coverage {

namespace {

// std::fdim for finite numbers, inlined (the libm call showed in profiles).
double positive_difference(double x, double y) { return x > y ? x - y : 0.0; }

// Step 1 of itm.hpp: gamma_e from the mean of z[p .. n-p], p = int(0.1 n).
double gamma_of(double h_sys_m, double n0, double& n_s) {
    n_s = (h_sys_m == 0.0) ? n0 : n0 * std::exp(-h_sys_m / 9460.0);  // [TN101 eq. 4.3]
    return 157e-9 * (1.0 - 0.04665 * std::exp(n_s / 179.3));          // [TN101 eq. 4.4]
}

}  // namespace

void delta_h_table(const double* z, int k_last, double x_m, double h_tx_m, double h_rx_m, double n0, int stride,
                   int k_from, std::vector<double>& table) {
    stride = std::max(1, stride);
    const int p10 = static_cast<int>(0.1 * k_last);
    double h_sys_m = 0.0;
    for (int i = p10; i <= k_last - p10; ++i) h_sys_m += z[i];
    double n_s = 0.0;
    const double half_gamma = 0.5 * gamma_of(h_sys_m / (k_last - 2 * p10 + 1), n0, n_s);
    const int j_count = k_last / stride + 1;
    table.assign(static_cast<std::size_t>(j_count), std::numeric_limits<double>::quiet_NaN());
    const int j_from = std::max(0, k_from / stride - 1);  // one entry below k_from for interpolation
    const double z_tx_m = z[0] + h_tx_m;
    double best_t = -std::numeric_limits<double>::infinity();
    double d_best_m = 0.0;
    int i_scanned = 0;
    for (int j = j_from; j < j_count; ++j) {
        const int k = j * stride;
        if (k < 2) {
            table[static_cast<std::size_t>(j)] = 0.0;  // fewer than 2 intervals
            continue;
        }
        for (int i = i_scanned + 1; i < k; ++i) {  // tx horizon of the prefix z[0..k] [TN101 eq. 6.15]
            const double d_i = i * x_m;
            const double t = (z[i] - z_tx_m) / d_i - d_i * half_gamma;
            if (t > best_t) {
                best_t = t;
                d_best_m = d_i;
            }
        }
        i_scanned = k - 1;
        const double d_m = k * x_m;
        const double los_t = (z[k] + h_rx_m - z_tx_m) / d_m - d_m * half_gamma;
        const double d_hzn_tx_m = best_t > los_t ? d_best_m : d_m;
        const double d_start_m = std::min(15.0 * h_tx_m, 0.1 * d_hzn_tx_m);  // [TR 82-100 p. 25]
        const double d_end_m = d_m - std::min(15.0 * h_rx_m, 0.1 * d_m);
        table[static_cast<std::size_t>(j)] =
            prop::itm_delta_h_m(ProfileView(x_m, {z, static_cast<std::size_t>(k) + 1}), d_start_m, d_end_m);
    }
}

void ItmRadialGeometry::reset(const double* z, int k_last, double x_m, double h_tx_m, double n0,
                              const std::vector<double>& delta_h_table, int stride) {
    z_ = z;
    k_last_ = k_last;
    x_m_ = x_m;
    h_tx_m_ = h_tx_m;
    n0_ = n0;
    const auto n = static_cast<std::size_t>(k_last) + 2;
    sum_z_.resize(n);
    sum_iz_.resize(n);
    sum_z_[0] = sum_iz_[0] = 0.0;
    for (int i = 0; i <= k_last; ++i) {
        sum_z_[i + 1] = sum_z_[i] + z[i];
        sum_iz_[i + 1] = sum_iz_[i] + i * z[i];
    }
    double n_s = 0.0;
    half_gamma_ref_ = 0.5 * gamma_per_m(k_last - 1, z[k_last], n_s);
    // Per sample, as add_obstacle() needs them (one vectorisable pass): w_i = z_i - gamma_ref d_i^2 / 2 and the
    // tx elevation angle with gamma_ref.
    w_.resize(n);
    t_tx_.resize(n);
    const double z_tx_m = z[0] + h_tx_m;
    for (int i = 1; i <= k_last; ++i) {
        const double d_i = i * x_m;
        w_[static_cast<std::size_t>(i)] = z[i] - half_gamma_ref_ * d_i * d_i;
        t_tx_[static_cast<std::size_t>(i)] = (z[i] - z_tx_m) / d_i - d_i * half_gamma_ref_;
    }
    hull_.clear();
    tx_best_ = -1;
    tx_best_t_ = -std::numeric_limits<double>::infinity();
    stride_ = std::max(1, stride);
    delta_h_ = &delta_h_table;
}

double ItmRadialGeometry::height_at(double d_m) const {
    const double u = d_m / x_m_;
    const int i = std::min(static_cast<int>(u), k_last_);
    return i < k_last_ ? z_[i] + (u - i) * (z_[i + 1] - z_[i]) : z_[k_last_];
}

double ItmRadialGeometry::delta_h_m(double d_m) const {
    const std::vector<double>& table = *delta_h_;
    const double u = d_m / (x_m_ * stride_);
    const int j = std::clamp(static_cast<int>(u), 0, static_cast<int>(table.size()) - 1);
    if (j + 1 >= static_cast<int>(table.size())) return table[static_cast<std::size_t>(j)];
    const double t = u - j;
    return (1.0 - t) * table[static_cast<std::size_t>(j)] + t * table[static_cast<std::size_t>(j) + 1];
}

double ItmRadialGeometry::mean_height_m(int m, double z_end_m) const {
    const int n = m + 1;                        // profile z[0..m], z[n] = z_end
    const int p10 = static_cast<int>(0.1 * n);  // itm.hpp step 1: mean of z[p .. n-p]
    double s = 0.0, s_i = 0.0;
    sums(p10, n - p10, n, z_end_m, s, s_i);
    return s / (n - 2 * p10 + 1);
}

double ItmRadialGeometry::gamma_per_m(int m, double z_end_m, double& n_s) const {
    return gamma_of(mean_height_m(m, z_end_m), n0_, n_s);
}

void ItmRadialGeometry::add_obstacle(int i) {
    // tx horizon: running arg-max of the elevation angle [TN101 eq. 6.15]
    const double t = t_tx_[static_cast<std::size_t>(i)];
    if (t > tx_best_t_) {
        tx_best_t_ = t;
        tx_best_ = i;
    }
    // rx horizon candidates: upper convex hull (monotone chain) of w_i = z_i - gamma d_i^2 / 2 over index i.
    const auto wv = [&](int j) { return w_[static_cast<std::size_t>(j)]; };
    const double w = wv(i);
    while (hull_.size() >= 2) {
        const int a = hull_[hull_.size() - 2], b = hull_.back();
        const double cross = (b - a) * (w - wv(a)) - (wv(b) - wv(a)) * (i - a);
        if (cross < 0.0) break;  // b stays strictly above the chord a-i
        hull_.pop_back();
    }
    hull_.push_back(i);
}

void ItmRadialGeometry::sums(int i0, int i1, int n, double z_end_m, double& s, double& s_i) const {
    const int j1 = std::min(i1, n - 1);  // last index inside z[0..m]
    s = sum_z_[j1 + 1] - sum_z_[i0];
    s_i = sum_iz_[j1 + 1] - sum_iz_[i0];
    if (i1 == n) {
        s += z_end_m;
        s_i += n * z_end_m;
    }
}

prop::ItmLineFit ItmRadialGeometry::fit(int n, double z_end_m, double d_start_m, double d_end_m) const {
    // itm.hpp itm_least_squares_fit(): same index rules and trapezoid weights, sums from prefix sums.
    int i0 = std::min(n, static_cast<int>(positive_difference(d_start_m / x_m_, 0.0)));
    int i1 = std::max(0, n - static_cast<int>(positive_difference(static_cast<double>(n), d_end_m / x_m_)));
    if (i1 <= i0) {
        i0 = static_cast<int>(positive_difference(static_cast<double>(i0), 1.0));
        i1 = n - static_cast<int>(positive_difference(static_cast<double>(n), i1 + 1.0));
    }
    const auto zi = [&](int i) { return i == n ? z_end_m : z_[i]; };
    const double len = i1 - i0;
    const double centre = i1 - 0.5 * len;
    double s = 0.0, s_i = 0.0;
    sums(i0, i1, n, z_end_m, s, s_i);
    s -= 0.5 * (zi(i0) + zi(i1));
    s_i -= 0.5 * (i0 * zi(i0) + i1 * zi(i1));
    const double sum_k = s_i - centre * s;
    const double mean = s / len;
    const double slope = sum_k * 12.0 / ((len * len + 2.0) * len);
    return {mean - slope * centre, mean + slope * (n - centre)};
}

prop::ItmTerrainGeometry ItmRadialGeometry::geometry(int m, double d_m, double z_end_m, double h_rx_m,
                                                     double delta_h_m, double n_s, double gamma_e_per_m) const {
    prop::ItmTerrainGeometry g;
    const double* z = z_;
    const double x_m = x_m_;
    const double h_tx_m = h_tx_m_;
    const int n = m + 1;  // the receiver is profile index n, at d_m (in [m + 0.5, m + 1.5) x)
    g.h_m = {h_tx_m, h_rx_m};
    g.d_m = d_m;
    g.N_s = n_s;
    g.gamma_e_per_m = gamma_e_per_m;
    const double half_gamma = 0.5 * g.gamma_e_per_m;
    const double z_tx_m = z[0] + h_tx_m;
    const double z_rx_m = z_end_m + h_rx_m;

    // 2. Horizons [TN101 eq. 6.15]; candidates from the running arg-max and the hull tangent.
    g.theta_hzn = {(z_rx_m - z_tx_m) / d_m - d_m * half_gamma, (z_tx_m - z_rx_m) / d_m - d_m * half_gamma};
    g.d_hzn_m = {d_m, d_m};
    if (m >= 1 && tx_best_ >= 1) {
        const double d_i = tx_best_ * x_m;
        const double t = (z[tx_best_] - z_tx_m) / d_i - d_i * half_gamma;
        if (t > g.theta_hzn[0]) {
            g.theta_hzn[0] = t;
            g.d_hzn_m[0] = d_i;
        }
        // Tangent from the receiver to the hull: maximise (w_v - W) / (u - v); unimodal along the upper hull.
        const double u = d_m / x_m;
        const double w_rx = z_rx_m - half_gamma_ref_ * d_m * d_m;
        // slope(v) = (w_v - W) / (u - v) with u > v for every hull vertex, so slope(a) > slope(b) is compared
        // without dividing: (w_a - W)(u - b) > (w_b - W)(u - a).
        const auto steeper = [&](int a, int b) {
            return (w_[static_cast<std::size_t>(a)] - w_rx) * (u - b) > (w_[static_cast<std::size_t>(b)] - w_rx) * (u - a);
        };
        std::size_t lo = 0, hi = hull_.size() - 1;
        while (lo < hi) {
            const std::size_t mid = (lo + hi) / 2;
            if (steeper(hull_[mid + 1], hull_[mid]))
                lo = mid + 1;
            else
                hi = mid;
        }
        const double d_r = d_m - hull_[lo] * x_m;
        const double t_rx = (z[hull_[lo]] - z_rx_m) / d_r - d_r * half_gamma;
        if (t_rx > g.theta_hzn[1]) {
            g.theta_hzn[1] = t_rx;
            g.d_hzn_m[1] = d_r;
        }
    }

    // 3. Terrain irregularity [TR 82-100 p. 25]: given, or (NaN) itm_delta_h_m() over the radial's samples up to
    //    the receiver's end (index m + 1, at most k_last).
    const double d_start_m = std::min(15.0 * h_tx_m, 0.1 * g.d_hzn_m[0]);
    const double d_end_m = d_m - std::min(15.0 * h_rx_m, 0.1 * g.d_hzn_m[1]);
    if (std::isnan(delta_h_m)) {
        const int k = std::min(n, k_last_);
        const double scale = k * x_m / d_m;  // the path's distances mapped onto z[0..k]
        g.delta_h_m = prop::itm_delta_h_m(ProfileView(x_m, {z, static_cast<std::size_t>(k) + 1}), d_start_m * scale,
                                          d_end_m * scale);
    } else {
        g.delta_h_m = delta_h_m;
    }

    // 4. Effective heights [Alg §3], as itm_analyze_profile() step 4, fits from prefix sums. The fits see the
    //    receiver at index n = m + 1 (the path's last interval stretched to d_m - m x).
    const double to_index = n * x_m / d_m;
    if (g.d_hzn_m[0] + g.d_hzn_m[1] > 1.5 * d_m) {
        const prop::ItmLineFit f = fit(n, z_end_m, d_start_m * to_index, d_end_m * to_index);
        g.h_e_m = {h_tx_m + positive_difference(z[0], f.z_start_m), h_rx_m + positive_difference(z_end_m, f.z_end_m)};
        prop::itm_smooth_earth_horizons(g, d_m);
    } else {
        const prop::ItmLineFit f_tx = fit(n, z_end_m, d_start_m * to_index, 0.9 * g.d_hzn_m[0] * to_index);
        const prop::ItmLineFit f_rx = fit(n, z_end_m, (d_m - 0.9 * g.d_hzn_m[1]) * to_index, d_end_m * to_index);
        g.h_e_m = {h_tx_m + positive_difference(z[0], f_tx.z_start_m), h_rx_m + positive_difference(z_end_m, f_rx.z_end_m)};
    }
    return g;
}

}  // namespace dxplan::coverage
