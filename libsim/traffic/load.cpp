// Load models: dispatch, shared closed forms (ALOHA, Bianchi's fixed point, M/D/1), NR frame delay, and the
// search for the largest number of terminals meeting a target. The models themselves: *_load.cpp.
#include "libsim/traffic/load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "libsim/core/error.hpp"
#include "libsim/traffic/load_internal.hpp"

namespace dxplan::traffic {

namespace detail {

std::string num(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::vector<Group> groups(const CellRadio& cell) {
    std::vector<Group> g;
    const double share = 1.0 / static_cast<double>(cell.sinr_db.size());
    for (double s : cell.sinr_db) g.push_back({s, share});
    return g;
}

void check_common(const Profile& traffic, const CellRadio& cell, double devices) {
    if (!(devices > 0.0) || !std::isfinite(devices) || devices > 1e7)
        throw InputError("devices = " + num(devices) + ": must be a number of terminals in [1, 1e7]");
    if (cell.sinr_db.empty()) throw InputError("cell SINR: at least one SINR sample is needed (--snr-db or --sinr-csv)");
    for (double s : cell.sinr_db)
        if (!std::isfinite(s) || s < -50.0 || s > 80.0)
            throw InputError("cell SINR " + num(s) + " dB: must be in [-50, 80] dB");
    if (traffic.flows.empty()) throw InputError("traffic profile '" + traffic.name + "': flows: must not be empty");
    for (std::size_t i = 0; i < traffic.flows.size(); ++i)
        validate_flow(traffic.flows[i], "traffic profile '" + traffic.name + "' flows[" + std::to_string(i) + "]");
}

double weighted_quantile(std::vector<std::pair<double, double>> vw, double q) {
    std::sort(vw.begin(), vw.end());
    double total = 0.0;
    for (const auto& [v, w] : vw) total += w;
    if (!(total > 0.0)) return 0.0;
    double acc = 0.0;
    for (const auto& [v, w] : vw) {
        acc += w;
        if (acc >= q * total * (1.0 - 1e-12)) return v;
    }
    return vw.back().first;
}

link::Budget budget(const link::Technology& tech, link::Direction d) {
    link::BudgetOptions o;
    o.outdoor = false;
    return link::make_budget(tech, d, o);
}

const link::Mode* mode_at(const link::Budget& b, double sinr_db) { return link::best_mode(b, sinr_db); }

void finish(LoadResult& r, const LoadOptions& o) {
    r.offered_load_bps = r.uplink.offered_bps + r.downlink.offered_bps;
    r.carried_load_bps = r.uplink.carried_bps + r.downlink.carried_bps;
    r.delivery_ratio = r.offered_load_bps > 0.0 ? std::min(1.0, r.carried_load_bps / r.offered_load_bps) : 1.0;
    const double pu = r.uplink.packets_per_s, pd = r.downlink.packets_per_s;
    r.delay_mean_ms = (pu + pd) > 0.0 ? (pu * (pu > 0 ? r.uplink.delay_mean_ms : 0.0) +
                                         pd * (pd > 0 ? r.downlink.delay_mean_ms : 0.0)) / (pu + pd)
                                      : 0.0;
    r.delay_p99_ms = std::max(pu > 0.0 ? r.uplink.delay_p99_ms : 0.0, pd > 0.0 ? r.downlink.delay_p99_ms : 0.0);
    r.meets_target = r.delivery_ratio >= o.target.delivery_ratio && r.delay_p99_ms <= o.target.delay_p99_ms;
}

}  // namespace detail

using namespace detail;

double aloha_pure_success(double g, double c) {
    return std::exp(-2.0 * g) * (1.0 + c * 2.0 * g);  // Abramson 1970: P(no other start in 2T) = e^{-2G}; + P(exactly one) x c
}

double aloha_pure_throughput(double g, double c) { return g * aloha_pure_success(g, c); }  // S = G e^{-2G}

int lora_max_payload_bytes(int sf) {
    // LoRaMac-node RegionAS923.h MaxPayloadOfDatarateDwell0AS923 = {51, 51, 115, 115, 242, 242} for DR0..DR5 (SF12..SF7)
    switch (sf) {
        case 12: case 11: return 51;
        case 10: case 9: return 115;
        case 8: case 7: return 242;
        default: return 0;
    }
}

double bianchi_tau(double p, int w, int m) {
    // Bianchi 2000 eq. (7): tau = 2 (1 - 2p) / ((1 - 2p)(W + 1) + p W (1 - (2p)^m))
    const double wd = w, a = 1.0 - 2.0 * p;
    return 2.0 * a / (a * (wd + 1.0) + p * wd * (1.0 - std::pow(2.0 * p, m)));
}

DcfSaturation bianchi_saturation(const DcfParams& q, int n, bool rts_cts) {
    if (n < 1) throw InputError("stations = " + std::to_string(n) + ": must be >= 1");
    DcfSaturation s;
    // Fixed point of eq. (7) and eq. (9) p = 1 - (1 - tau)^(n-1): f(p) = 1 - (1 - tau(p))^(n-1) - p decreases.
    double lo = 0.0, hi = 1.0 - 1e-12;
    for (int it = 0; it < 200 && n > 1; ++it) {
        const double mid = 0.5 * (lo + hi);
        const double f = 1.0 - std::pow(1.0 - bianchi_tau(mid, q.cw_min, q.max_stage), n - 1) - mid;
        (f > 0.0 ? lo : hi) = mid;
    }
    s.p = n > 1 ? 0.5 * (lo + hi) : 0.0;
    s.tau = bianchi_tau(s.p, q.cw_min, q.max_stage);
    const double nd = n;
    s.p_tr = 1.0 - std::pow(1.0 - s.tau, nd);                                    // eq. (10)
    s.p_s = nd * s.tau * std::pow(1.0 - s.tau, nd - 1.0) / s.p_tr;               // eq. (11)
    const double d = q.prop_delay_us;
    if (!rts_cts) {
        s.ts_us = q.header_us + q.payload_us + q.sifs_us + d + q.ack_us + q.difs_us + d;  // eq. (17)
        s.tc_us = q.header_us + q.payload_us + q.difs_us + d;                            // eq. (18), E[P*] = E[P]
    } else {
        s.ts_us = q.rts_us + q.sifs_us + d + q.cts_us + q.sifs_us + d + q.header_us + q.payload_us + q.sifs_us + d +
                  q.ack_us + q.difs_us + d;                                               // eq. (20)
        s.tc_us = q.rts_us + q.difs_us + d;                                               // eq. (21)
    }
    // eq. (13): S = P_s P_tr E[P] / ((1 - P_tr) sigma + P_tr P_s T_s + P_tr (1 - P_s) T_c)
    s.throughput = s.p_s * s.p_tr * q.payload_us /
                   ((1.0 - s.p_tr) * q.slot_us + s.p_tr * s.p_s * s.ts_us + s.p_tr * (1.0 - s.p_s) * s.tc_us);
    return s;
}

double md1_mean_wait_s(double lambda, double d) {
    const double rho = lambda * d;
    if (rho >= 1.0) return std::numeric_limits<double>::infinity();
    return rho * d / (2.0 * (1.0 - rho));  // Pollaczek-Khinchine, deterministic service: W = lambda d^2 / (2 (1 - rho))
}

namespace {

// The positive root x = gamma d of rho (e^x - 1) = x (Lundberg's equation for M/D/1), rho in (0, 1).
double lundberg_x(double rho) {
    // f(x) = rho (e^x - 1) - x is convex with f(0) = 0, f'(0) = rho - 1 < 0: Newton from a point right of the
    // root decreases monotonically onto it.
    double x = 1.0;
    while (rho * (std::exp(x) - 1.0) - x <= 0.0) x *= 2.0;
    for (int it = 0; it < 100; ++it) {
        const double e = std::exp(x);
        const double step = (rho * (e - 1.0) - x) / (rho * e - 1.0);
        x -= step;
        if (std::abs(step) <= 1e-14 * x) break;
    }
    return x;
}

}  // namespace

double md1_wait_quantile_s(double lambda, double d, double tail) {
    const double rho = lambda * d;
    if (rho >= 1.0) return std::numeric_limits<double>::infinity();
    if (rho <= tail) return 0.0;  // P(W > 0) = rho
    const double x = lundberg_x(rho), gamma = x / d;
    const double c = (1.0 - rho) / (rho * std::exp(x) - 1.0);  // Cramer-Lundberg constant (1 - rho) / (lambda M'(gamma) - 1)
    return std::max(0.0, std::log(c / tail) / gamma);
}

double md1_wait_quantile_bound_s(double lambda, double d, double tail) {
    const double rho = lambda * d;
    if (rho >= 1.0) return std::numeric_limits<double>::infinity();
    if (rho <= tail) return 0.0;
    return std::log(1.0 / tail) / (lundberg_x(rho) / d);  // Lundberg's inequality P(W > t) <= e^{-gamma t}
}

namespace {

bool slot_is(char c, link::Direction d) {
    return d == link::Direction::uplink ? c == 'U' : (c == 'D' || c == 'S');
}

// First absolute slot index >= from whose type carries direction d.
long next_slot(const std::string& pattern, long from, link::Direction d) {
    const long len = static_cast<long>(pattern.size());
    for (long s = from; s < from + 2 * len + 2; ++s)
        if (slot_is(pattern[static_cast<std::size_t>(s % len)], d)) return s;
    throw InputError("TDD pattern '" + pattern + "': has no " + std::string(link::to_string(d)) + " slot");
}

}  // namespace

std::pair<double, double> nr_frame_delay_ms(const std::string& pattern, double scs_khz, link::Direction d,
                                            bool configured_grant) {
    if (pattern.empty() || pattern.find_first_not_of("DSU") != std::string::npos)
        throw InputError("TDD pattern '" + pattern + "': must be a string of D, S and U slots");
    const double slot_ms = 15.0 / scs_khz;  // TS 38.211 §4.3.2: slot = 1 ms / 2^mu, 2^mu = SCS / 15 kHz
    const double period_ms = slot_ms * static_cast<double>(pattern.size());
    constexpr int kSamples = 2000;
    std::vector<double> delay_ms(kSamples);
    for (int i = 0; i < kSamples; ++i) {
        const double t = (i + 0.5) / kSamples * period_ms;
        const long first = static_cast<long>(std::ceil(t / slot_ms - 1e-9));
        long done = 0;  // slot index at whose start the packet is delivered
        if (d == link::Direction::downlink) {
            done = next_slot(pattern, first + 1, d) + 2;        // schedule 1 slot, send, UE decodes 1 slot
        } else if (configured_grant) {
            done = next_slot(pattern, first, d) + 2;            // PUSCH in the next U slot, gNB decodes 1 slot
        } else {
            const long sr = next_slot(pattern, first, d);       // SR on PUCCH in the next U slot
            const long grant = next_slot(pattern, sr + 2, link::Direction::downlink);  // gNB 1 slot, DCI 0_1
            done = next_slot(pattern, grant + 1, d) + 2;        // PUSCH k2 >= 1 slot later, decode 1 slot
        }
        delay_ms[static_cast<std::size_t>(i)] = static_cast<double>(done) * slot_ms - t;
    }
    double mean = 0.0;
    for (double v : delay_ms) mean += v;
    std::sort(delay_ms.begin(), delay_ms.end());
    return {mean / kSamples, delay_ms[static_cast<std::size_t>(0.99 * kSamples)]};
}

namespace {

void check_devices(double devices) {
    if (!(devices > 0.0) || !std::isfinite(devices) || devices > 1e7)
        throw InputError("devices = " + num(devices) + ": must be a number of terminals in [1, 1e7]");
}

void check_options(const link::Technology& tech, const LoadOptions& o) {
    if (!(o.target.delivery_ratio >= 0.0 && o.target.delivery_ratio <= 1.0))
        throw InputError("target delivery_ratio = " + num(o.target.delivery_ratio) + ": must be in [0, 1]");
    if (!(o.target.delay_p99_ms > 0.0)) throw InputError("target delay_p99_ms = " + num(o.target.delay_p99_ms) + ": must be > 0 ms");
    if (tech.family == link::Family::sigfox)
        throw InputError("technology '" + tech.name + "' (family sigfox): no load model; models exist for lora, wifi, halow, nr and cellular-iot");
}

int mode_index(const link::Budget& b, double sinr_db) {
    const link::Mode* m = mode_at(b, sinr_db);
    return m ? static_cast<int>(m - b.modes.data()) : -1;
}

}  // namespace

LoadModel::LoadModel(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, const LoadOptions& o) {
    check_common(traffic, cell, 1.0);
    check_options(tech, o);
    auto p = std::make_shared<Prepared>();
    p->tech = tech;
    p->traffic = traffic;
    p->cell = cell;
    p->o = o;
    p->gs = groups(cell);
    p->ul = budget(tech, link::Direction::uplink);
    p->dl = budget(tech, link::Direction::downlink);
    for (const Group& g : p->gs) {
        p->ul_mode.push_back(mode_index(p->ul, g.sinr_db));
        p->dl_mode.push_back(mode_index(p->dl, g.sinr_db + cell.downlink_offset_db));
    }
    if (tech.family == link::Family::lora) lora_prepare(*p);
    if (tech.family == link::Family::nr) nr_prepare(*p);
    if (tech.family == link::Family::wifi || tech.family == link::Family::halow) dcf_check_payloads(tech, traffic);
    p_ = std::move(p);
}

LoadResult LoadModel::at(double devices) const {
    check_devices(devices);
    switch (p_->tech.family) {
        case link::Family::lora: return lora_load(*p_, devices);
        case link::Family::wifi:
        case link::Family::halow: return dcf_load(*p_, devices);
        case link::Family::nr: return nr_load(*p_, devices);
        case link::Family::cellular_iot: return ciot_load(*p_, devices);
        case link::Family::sigfox: break;
    }
    throw InternalError("LoadModel::at: family without a model");
}

double LoadModel::max_devices(double n_max) const {
    const auto ok = [&](double n) { return at(n).meets_target; };
    if (!ok(1.0)) return 0.0;
    double lo = 1.0, hi = 2.0;  // ok(lo) holds
    while (hi <= n_max && ok(hi)) {
        lo = hi;
        hi *= 2.0;
    }
    if (hi > n_max) {
        if (ok(n_max)) return n_max;
        hi = n_max;
    }
    while (hi - lo > 1.0) {  // integers: ok(lo), !ok(hi)
        const double mid = std::floor(0.5 * (lo + hi));
        (ok(mid) ? lo : hi) = mid;
    }
    return lo;
}

LoadResult evaluate_load(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double devices,
                         const LoadOptions& o) {
    check_devices(devices);
    return LoadModel(tech, traffic, cell, o).at(devices);
}

void check_payloads(const link::Technology& tech, const Profile& traffic, const CellRadio& cell) {
    if (tech.family == link::Family::lora) lora_check_payloads(tech, traffic, cell);
    if (tech.family == link::Family::wifi || tech.family == link::Family::halow) dcf_check_payloads(tech, traffic);
}

double max_devices_for_target(const link::Technology& tech, const Profile& traffic, const CellRadio& cell,
                              const LoadOptions& o, double n_max) {
    return LoadModel(tech, traffic, cell, o).max_devices(n_max);
}

std::vector<double> sweep_points(const Sweep& s) {
    if (!(s.from >= 1.0 && s.to > s.from && s.to <= 1e7))
        throw InputError("sweep of devices " + num(s.from) + ":" + num(s.to) + ": must satisfy 1 <= FROM < TO <= 1e7");
    if (s.points < 2 || s.points > 100000)
        throw InputError("sweep points = " + std::to_string(s.points) + ": must be in [2, 100000]");
    std::vector<double> v;
    for (int i = 0; i < s.points; ++i) {
        const double f = static_cast<double>(i) / (s.points - 1);
        v.push_back(s.log ? s.from * std::pow(s.to / s.from, f) : s.from + (s.to - s.from) * f);
    }
    v.back() = s.to;
    return v;
}

CapacityStudy capacity_study(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double devices,
                             const LoadOptions& o, const Sweep* sweep) {
    const LoadModel model(tech, traffic, cell, o);
    CapacityStudy c;
    c.at_devices = model.at(devices);
    c.max_devices = model.max_devices();
    if (sweep)
        for (double n : sweep_points(*sweep)) c.curve.push_back(model.at(n));
    return c;
}

}  // namespace dxplan::traffic
