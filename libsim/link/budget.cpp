// Link budget arithmetic: noise, fade margin, SINR, rates, mode choice, budgets and point-to-point links.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "libsim/link/link.hpp"
#include "models/propagation/normal.hpp"

namespace dxplan::link {

namespace {
std::string fmt1(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}
// An input value as given, for error messages.
std::string fmtg(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}
}  // namespace

double noise_floor_dbm(double bandwidth_hz, double noise_figure_db) {
    if (!(bandwidth_hz > 0.0)) throw InputError("noise bandwidth " + fmtg(bandwidth_hz) + " Hz: must be > 0 Hz");
    return kKT0_dbm_per_hz + 10.0 * std::log10(bandwidth_hz) + noise_figure_db;  // N = kT0 B F
}

double fade_margin_db(double location_reliability, double sigma_db) {
    if (!(location_reliability > 0.0 && location_reliability < 1.0))
        throw InputError("location_reliability " + fmtg(location_reliability) + ": must be in (0, 1)");
    if (!(sigma_db >= 0.0)) throw InputError("shadow sigma_db " + fmtg(sigma_db) + ": must be >= 0 dB");
    // Log-normal shadowing: M = z(p) sigma with z(p) = Phi^-1(p) = Q^-1(1 - p) (P.1057-7 approximation).
    return prop::inverse_normal_ccdf(1.0 - location_reliability) * sigma_db;
}

double sinr_db(double signal_dbm, double noise_dbm, std::span<const double> interferer_dbm) {
    double n_mw = dbm_to_mw(noise_dbm);
    for (double i : interferer_dbm) n_mw += dbm_to_mw(i);
    return signal_dbm - mw_to_dbm(n_mw);
}

double lora_time_on_air_ms(int sf, double bandwidth_khz, int phy_payload_bytes, int coding_rate, int preamble_symbols,
                           bool explicit_header, bool crc) {
    const double t_sym_ms = std::ldexp(1.0, sf) / bandwidth_khz;       // SX1276 §4.1.1.6: T_s = 2^SF / BW
    const int de = t_sym_ms >= 16.0 ? 1 : 0;                           // low data rate optimisation (T_s >= 16 ms)
    const int ih = explicit_header ? 0 : 1;
    const double num = 8.0 * phy_payload_bytes - 4.0 * sf + 28.0 + 16.0 * (crc ? 1 : 0) - 20.0 * ih;
    const double n_payload = 8.0 + std::max(std::ceil(num / (4.0 * (sf - 2 * de))) * (coding_rate + 4), 0.0);  // §4.1.1.7
    return (preamble_symbols + 4.25) * t_sym_ms + n_payload * t_sym_ms;                                        // T_preamble + T_payload
}

double lora_bit_rate_bps(int sf, double bandwidth_khz, int coding_rate) {
    return sf * bandwidth_khz * 1e3 / std::ldexp(1.0, sf) * 4.0 / (4.0 + coding_rate);  // SX1276 §4.1.1.1: Rb = SF BW/2^SF CR
}

double nr_rate_mbps(double layers, double spectral_efficiency, int n_prb, double scs_khz, double overhead) {
    const double mu = std::log2(scs_khz / 15.0);
    const double t_s = 1e-3 / (14.0 * std::exp2(mu));  // TS 38.306 §4.1.2: average OFDM symbol duration
    return 1e-6 * layers * spectral_efficiency * n_prb * 12.0 / t_s * (1.0 - overhead);  // TS 38.306 §4.1.2 (f = 1)
}

std::pair<double, double> tdd_fractions(std::string_view pattern, int special_dl, int special_gap, int special_ul) {
    if (pattern.empty()) throw InputError("TDD pattern is empty: use slot letters D, S, U");
    if (special_dl + special_gap + special_ul != 14) throw InputError("special slot symbols must add up to 14");
    double dl = 0.0, ul = 0.0;
    for (char ch : pattern) {
        if (ch == 'D') dl += 14.0;
        else if (ch == 'U') ul += 14.0;
        else if (ch == 'S') { dl += special_dl; ul += special_ul; }
        else throw InputError("TDD pattern '" + std::string(pattern) + "': only slot letters D, S, U are valid");
    }
    const double total = 14.0 * static_cast<double>(pattern.size());
    return {dl / total, ul / total};
}

double attenuated_shannon_se(const ShannonParams& p, double snr_db) {
    if (snr_db < p.snr_min_db) return 0.0;                                     // TR 36.942 Annex A: Thr = 0, SINR < SINR_MIN
    if (snr_db > p.snr_max_db) return p.se_max_bps_per_hz;                     // Thr = Thr_MAX, SINR > SINR_MAX
    return std::min(p.alpha * std::log2(1.0 + db_to_ratio(snr_db)), p.se_max_bps_per_hz);  // Thr = alpha S(SINR)
}

Budget make_budget(const Technology& tech, Direction d, const BudgetOptions& o) {
    check_regulatory(tech, o.outdoor);
    if (!(o.body_loss_db >= 0.0)) throw InputError("body_loss_db " + fmtg(o.body_loss_db) + ": must be >= 0 dB");
    if (!(o.interference_margin_db >= 0.0))
        throw InputError("interference_margin_db " + fmtg(o.interference_margin_db) + ": must be >= 0 dB");
    const Station& tx = tech.transmitter(d);
    const Station& rx = tech.receiver(d);
    const DirectionSpec& spec = tech.spec(d);
    Budget b;
    b.direction = d;
    b.tx_power_dbm = tx.tx_power_dbm;
    b.tx_gain_dbi = tx.antenna_gain_dbi;
    b.tx_cable_loss_db = tx.cable_loss_db;
    b.eirp_dbm = tx.tx_power_dbm + tx.antenna_gain_dbi - tx.cable_loss_db;
    b.rx_gain_dbi = rx.antenna_gain_dbi;
    b.rx_cable_loss_db = rx.cable_loss_db;
    b.body_loss_db = o.body_loss_db;
    b.interference_margin_db = o.interference_margin_db;
    b.fade_margin_db = fade_margin_db(o.location_reliability, o.shadow_sigma_db);
    b.noise_bandwidth_hz = tech.noise_bandwidth_mhz * 1e6;
    b.noise_figure_db = rx.noise_figure_db;
    b.noise_floor_dbm = noise_floor_dbm(b.noise_bandwidth_hz, rx.noise_figure_db);
    b.rate_model = tech.rate_model;
    b.layers = spec.layers;
    const double duty = tech.reg.max_duty_cycle.present() && tech.family != Family::lora ? tech.reg.max_duty_cycle.value : 1.0;
    b.app_efficiency = spec.app_efficiency * duty;
    if (b.rate_model == RateModel::attenuated_shannon) {
        b.shannon = spec.shannon;
        b.min_snr_db = spec.shannon.snr_min_db;
        b.shannon_rate_scale_mbps = (tech.family == Family::nr
                                         ? nr_rate_mbps(1.0, 1.0, tech.nr.n_prb, tech.nr.scs_khz, spec.overhead)
                                         : tech.bandwidth_mhz) *
                                    spec.time_fraction;
    } else {
        b.modes = spec.modes;
        b.min_snr_db = b.modes.front().snr_db;
        b.best_upto.resize(b.modes.size());
        int best = 0;
        for (std::size_t i = 0; i < b.modes.size(); ++i) {
            if (b.modes[i].phy_rate_mbps > b.modes[static_cast<std::size_t>(best)].phy_rate_mbps) best = static_cast<int>(i);
            b.best_upto[i] = best;
        }
    }
    b.sensitivity_dbm = b.noise_floor_dbm + b.min_snr_db;
    b.mapl_db = b.eirp_dbm + b.rx_gain_dbi - b.rx_cable_loss_db - b.body_loss_db - b.fade_margin_db -
                b.interference_margin_db - b.sensitivity_dbm;
    return b;
}

const Mode* best_mode(const Budget& b, double sinr) {
    const auto it = std::upper_bound(b.modes.begin(), b.modes.end(), sinr,
                                     [](double s, const Mode& m) { return s < m.snr_db; });
    if (it == b.modes.begin()) return nullptr;
    return &b.modes[static_cast<std::size_t>(b.best_upto[static_cast<std::size_t>(it - b.modes.begin() - 1)])];
}

double phy_throughput_mbps(const Budget& b, double sinr) {
    if (b.rate_model == RateModel::attenuated_shannon) {
        // The best number of layers L: L layers share the power (SNR - 10 log10 L each).
        double best = 0.0;
        for (int layers = 1; layers <= b.layers; ++layers)
            best = std::max(best, layers * attenuated_shannon_se(b.shannon, sinr - ratio_to_db(layers)));
        return best * b.shannon_rate_scale_mbps;
    }
    const Mode* m = best_mode(b, sinr);
    return m ? m->phy_rate_mbps : 0.0;
}

double app_throughput_mbps(const Budget& b, double sinr) {
    if (b.rate_model == RateModel::attenuated_shannon) return phy_throughput_mbps(b, sinr) * b.app_efficiency;
    const Mode* m = best_mode(b, sinr);
    return m ? m->app_rate_mbps : 0.0;
}

std::string_view to_string(LimitedBy l) {
    switch (l) {
        case LimitedBy::none: return "none";
        case LimitedBy::path_loss: return "path_loss";
        case LimitedBy::extra_loss: return "extra_loss";
        case LimitedBy::antenna_pattern: return "antenna_pattern";
        case LimitedBy::fade_margin: return "fade_margin";
        case LimitedBy::interference: return "interference";
    }
    return "?";
}

namespace {

DirectionResult evaluate_direction(const Technology& tech, Direction d, const LinkConditions& c, const BudgetOptions& o) {
    DirectionResult r;
    r.budget = make_budget(tech, d, o);
    const Budget& b = r.budget;
    r.path_loss_db = c.path_loss_db;
    r.pattern_atten_db = c.base_pattern_atten_db + c.terminal_pattern_atten_db;
    r.extra_losses_db = c.extra_losses_db;
    for (const auto& [name, loss_db] : c.extra_losses_db) r.extra_loss_db += loss_db;
    r.rx_power_dbm = received_power_dbm(b, c.path_loss_db + r.pattern_atten_db, r.extra_loss_db);
    const auto& interferers = d == Direction::downlink ? c.dl_interferer_dbm : c.ul_interferer_dbm;
    if (!interferers.empty()) {
        double i_mw = 0.0;
        for (double i : interferers) i_mw += dbm_to_mw(i);
        r.interference_dbm = mw_to_dbm(i_mw);
    }
    r.snr_db = r.rx_power_dbm - b.noise_floor_dbm;
    r.sinr_db = sinr_db(r.rx_power_dbm, b.noise_floor_dbm, interferers);
    r.planning_sinr_db = r.sinr_db - b.fade_margin_db - b.interference_margin_db;
    r.margin_db = r.planning_sinr_db - b.min_snr_db;
    if (const Mode* m = best_mode(b, r.planning_sinr_db)) {
        r.mode_index = static_cast<int>(m - b.modes.data());
        r.mode_margin_db = r.planning_sinr_db - m->snr_db;
    }
    r.phy_throughput_mbps = phy_throughput_mbps(b, r.planning_sinr_db);
    r.app_throughput_mbps = app_throughput_mbps(b, r.planning_sinr_db);
    if (r.ok()) return r;

    // Which term ran out: without margins and interference the path alone fails -> path loss; with the
    // planning margins but no interferers it fails -> fade margin; otherwise the interferers did it.
    const std::string need = "needs SINR " + fmt1(b.min_snr_db) + " dB" +
                             (b.modes.empty() ? "" : " (" + b.modes.front().name + ")");
    if (r.snr_db < b.min_snr_db) {
        const double short_db = b.min_snr_db - r.snr_db;
        if (r.extra_loss_db > 0.0 && r.extra_loss_db >= short_db) {
            r.limited_by = LimitedBy::extra_loss;
            const auto worst = std::max_element(c.extra_losses_db.begin(), c.extra_losses_db.end(),
                                                [](const auto& x, const auto& y) { return x.second < y.second; });
            r.reason = "extra loss: " + worst->first + " " + fmt1(worst->second) + " dB (all extra losses " +
                       fmt1(r.extra_loss_db) + " dB) leaves SNR " + fmt1(r.snr_db) + " dB; " + need;
        } else if (r.pattern_atten_db > 0.0 && r.extra_loss_db + r.pattern_atten_db >= short_db) {
            r.limited_by = LimitedBy::antenna_pattern;
            r.reason = "antenna pattern: " + fmt1(r.pattern_atten_db) + " dB off boresight leaves SNR " + fmt1(r.snr_db) +
                       " dB; " + need;
        } else {
            r.limited_by = LimitedBy::path_loss;
            r.reason = "path loss: " + fmt1(c.path_loss_db) + " dB leaves SNR " + fmt1(r.snr_db) + " dB; " + need +
                       " (short by " + fmt1(short_db) + " dB)";
        }
    } else if (r.snr_db - b.fade_margin_db - b.interference_margin_db < b.min_snr_db) {
        r.limited_by = LimitedBy::fade_margin;
        r.reason = "fade margin: median SNR " + fmt1(r.snr_db) + " dB " + need + " but the fade margin " +
                   fmt1(b.fade_margin_db) + " dB and interference allowance " + fmt1(b.interference_margin_db) +
                   " dB leave " + fmt1(r.margin_db) + " dB";
    } else {
        r.limited_by = LimitedBy::interference;
        r.reason = "interference: SINR " + fmt1(r.sinr_db) + " dB (interference " + fmt1(r.interference_dbm) +
                   " dBm vs noise " + fmt1(b.noise_floor_dbm) + " dBm) " + need;
    }
    return r;
}

}  // namespace

LinkResult evaluate_link(const Technology& tech, const LinkConditions& c, const BudgetOptions& o) {
    if (!std::isfinite(c.path_loss_db)) throw InputError("path loss must be a finite number of dB");
    LinkResult r;
    r.downlink = evaluate_direction(tech, Direction::downlink, c, o);
    r.uplink = evaluate_direction(tech, Direction::uplink, c, o);
    return r;
}

std::string LinkResult::reason() const {
    std::string s;
    if (!downlink.ok()) s = "downlink " + downlink.reason;
    if (!uplink.ok()) s += (s.empty() ? "" : "; ") + std::string("uplink ") + uplink.reason;
    return s;
}

std::vector<std::pair<std::string, double>> budget_terms(const DirectionResult& r) {
    const Budget& b = r.budget;
    std::vector<std::pair<std::string, double>> t = {
        {"tx_power_dbm", b.tx_power_dbm},
        {"tx_antenna_gain_dbi", b.tx_gain_dbi},
        {"tx_cable_loss_db", b.tx_cable_loss_db},
        {"eirp_dbm", b.eirp_dbm},
        {"path_loss_db", r.path_loss_db},
        {"antenna_pattern_atten_db", r.pattern_atten_db},
    };
    for (const auto& [name, loss_db] : r.extra_losses_db) t.emplace_back(name + "_loss_db", loss_db);
    const std::vector<std::pair<std::string, double>> rest = {
        {"rx_antenna_gain_dbi", b.rx_gain_dbi},
        {"rx_cable_loss_db", b.rx_cable_loss_db},
        {"body_loss_db", b.body_loss_db},
        {"rx_power_dbm", r.rx_power_dbm},
        {"noise_bandwidth_hz", b.noise_bandwidth_hz},
        {"noise_figure_db", b.noise_figure_db},
        {"noise_floor_dbm", b.noise_floor_dbm},
        {"interference_dbm", r.interference_dbm},
        {"snr_db", r.snr_db},
        {"sinr_db", r.sinr_db},
        {"fade_margin_db", b.fade_margin_db},
        {"interference_margin_db", b.interference_margin_db},
        {"planning_sinr_db", r.planning_sinr_db},
        {"required_snr_db", b.min_snr_db},
        {"sensitivity_dbm", b.sensitivity_dbm},
        {"mapl_db", b.mapl_db},
        {"margin_db", r.margin_db},
        {"mode_margin_db", r.mode_margin_db},
        {"phy_throughput_mbps", r.phy_throughput_mbps},
        {"app_throughput_mbps", r.app_throughput_mbps},
    };
    t.insert(t.end(), rest.begin(), rest.end());
    return t;
}

}  // namespace dxplan::link
