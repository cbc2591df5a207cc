// dxplan coverage (internal): the ITM terrain geometry of itm_analyze_profile() (models/propagation/itm.hpp,
// steps 1-4) for receivers near one radial, updated incrementally as the sweep moves outwards. See site_loss.hpp
// for what is exact and what is approximated.
#pragma once

#include <vector>

#include "models/propagation/itm.hpp"

namespace dxplan::coverage {

// delta_h along a radial, every `stride` samples from sample k_from on (entries below are NaN): table[j] is
// itm_delta_h_m() on the prefix z[0..j*stride] with that prefix's tx horizon (chosen with the radial's curvature)
// and the receiver's foreground taken as min(15 h_rx, 0.1 d).
void delta_h_table(const double* z, int k_last, double x_m, double h_tx_m, double h_rx_m, double n0, int stride,
                   int k_from, std::vector<double>& table);

class ItmRadialGeometry {
public:
    // Starts a radial: heights z[0..k_last] at spacing x_m, transmitter at z[0]; z and the delta_h table (of this
    // radial or a neighbour, see delta_h_table()) must outlive the sweep.
    void reset(const double* z, int k_last, double x_m, double h_tx_m, double n0,
               const std::vector<double>& delta_h_table, int stride);
    // Adds sample i (1 <= i <= k_last, in increasing order) as a horizon candidate.
    void add_obstacle(int i);
    // The radial's ground height at distance d_m: linear between its samples (the last one beyond k_last).
    [[nodiscard]] double height_at(double d_m) const;
    // Terrain irregularity at path length d_m: linear in d_m between the table's values.
    [[nodiscard]] double delta_h_m(double d_m) const;
    // itm_analyze_profile()'s step 1 mean height h_sys of the path over samples 0..m and the receiver's ground
    // z_end_m (prefix sums); N_s and gamma_e follow from it (prop::itm_refractivity_batch for many paths at once).
    [[nodiscard]] double mean_height_m(int m, double z_end_m) const;
    // The geometry of the path from the transmitter over samples 1..m (all added) to a receiver h_rx_m above the
    // ground at distance d_m (> m x) and height z_end_m, with the path's N_s and gamma_e (from mean_height_m).
    // delta_h_m as given; NaN: computed with itm_delta_h_m() over z[0..m+1] with this path's horizons (exact but
    // for the end point).
    [[nodiscard]] prop::ItmTerrainGeometry geometry(int m, double d_m, double z_end_m, double h_rx_m, double delta_h_m,
                                                    double n_s, double gamma_e_per_m) const;

private:
    [[nodiscard]] double gamma_per_m(int m, double z_end_m, double& n_s) const;  // step 1, scalar
    // Least-squares fit over indices of the profile z[0..m], z[n = m+1] = z_end (itm_least_squares_fit rules).
    [[nodiscard]] prop::ItmLineFit fit(int n, double z_end_m, double d_start_m, double d_end_m) const;
    // sum z_i and sum i z_i over i0..i1 with z[n] = z_end.
    void sums(int i0, int i1, int n, double z_end_m, double& s, double& s_i) const;

    const double* z_ = nullptr;
    int k_last_ = 0;
    double x_m_ = 0.0;
    double h_tx_m_ = 0.0;
    double n0_ = 301.0;
    double half_gamma_ref_ = 0.0;  // curvature used to choose the horizon candidates
    std::vector<double> sum_z_;    // sum_z_[i] = z[0] + ... + z[i-1]
    std::vector<double> sum_iz_;   // sum_iz_[i] = 0 z[0] + ... + (i-1) z[i-1]
    std::vector<double> w_;        // w_[i] = z_i - gamma_ref (i x)^2 / 2
    std::vector<double> t_tx_;     // tx elevation angle of sample i with gamma_ref
    std::vector<int> hull_;        // upper convex hull of (i, w_i)
    int tx_best_ = -1;             // arg-max of the tx elevation angle so far
    double tx_best_t_ = 0.0;
    int stride_ = 1;
    const std::vector<double>* delta_h_ = nullptr;
};

}  // namespace dxplan::coverage
