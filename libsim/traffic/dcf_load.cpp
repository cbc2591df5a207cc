// 802.11 DCF load for Wi-Fi and Wi-Fi HaLow (see load.hpp for the references).
//
// Steps: (1) MAC/PHY timing of the family (slot, SIFS, DIFS, preamble, ACK, RTS/CTS); (2) each SINR group's
// PHY rate from the profile's mode table, frame airtimes averaged over the terminals' packets; (3) the
// non-saturated Bianchi fixed point: tau = q tau_Bianchi(p), p = 1 - (1 - tau)^(n-1), q = min(1, lambda E[S])
// with E[S] the mean MAC service time (backoff slots as seen by a tagged station, collisions, success) and a
// retry limit dropping p^(R+1) of the packets; RAW groups contend among n/K stations in 1/K of the time;
// (4) the access point's downlink takes its airtime share before the stations contend; (5) ARIB STD-T108
// total transmission time (duty) and 400 ms per transmission at 920 MHz; (6) delay of a station's queue as
// M/M/1 with service E[S] (sojourn exponential, p99 = ln(100) mean; conservative for periodic traffic), plus
// the wait for the station's RAW slot.
// Timing sources: IEEE Std 802.11-2020 OFDM PHY characteristics (aSlotTime 9 us, aSIFSTime 16 us, CWmin 15,
// CWmax 1023; DIFS = SIFS + 2 slots, §10.3.2.3.7), VHT preamble 40 us (L-STF 8, L-LTF 8, L-SIG 4, VHT-SIG-A 8,
// VHT-STF 4, VHT-LTF 4, VHT-SIG-B 4, §21.3.4), ACK/CTS 44 us and RTS 52 us at the 6 Mbit/s basic rate
// (20 us preamble + ceil((16 + 8 bytes x 8 + 6) / 24) 4-us symbols, §17.3.2); S1G (HaLow) PHY characteristics
// (aSlotTime 52 us, aSIFSTime 160 us, clause 23), 1 MHz S1G_1M preamble 560 us (STF 4 + LTF1 4 + SIG 6 symbols
// of 40 us), >= 2 MHz S1G_SHORT 240 us (2 + 2 + 2 symbols), NDP ACK / NDP CTS as long as the preamble.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/traffic/load_internal.hpp"

namespace dxplan::traffic::detail {

namespace {

constexpr double kMacOverheadBytes = 26.0 + 4.0 + 8.0;  // QoS data header + FCS + LLC/SNAP (IEEE 802.11-2020 §9.3.2.1)
constexpr double kMaxMsduBytes = 2304.0;                // IEEE 802.11-2020 §9.2.4.7 (MSDU without A-MSDU)

struct MacTiming {
    double slot_us, sifs_us, difs_us, preamble_us, ack_us, rts_us, cts_us;
    int w, m;
};

MacTiming timing(const link::Technology& t, double basic_rate_mbps) {
    if (t.family == link::Family::halow) {
        const double pre = t.bandwidth_mhz < 1.5 ? 560.0 : 240.0;
        return {52.0, 160.0, 160.0 + 2 * 52.0, pre, pre, pre + (20.0 * 8.0 + 22.0) / basic_rate_mbps, pre, 16, 6};
    }
    return {9.0, 16.0, 34.0, 40.0, 44.0, 52.0, 44.0, 16, 6};
}

double frame_us(const MacTiming& mt, double payload_bytes, double rate_mbps) {
    return mt.preamble_us + (payload_bytes + kIpUdpBytes + kMacOverheadBytes) * 8.0 / rate_mbps;
}

struct Fixed {
    double p = 0.0, tau = 0.0, q = 0.0, es_us = 0.0;
};

// Mean MAC service time at collision probability p, others attempting with tau each (n - 1 others).
double service_us(double p, double tau, double n, double ts, double tc, const MacTiming& mt, int retry) {
    const double others = std::max(0.0, n - 1.0);
    const double p_tr = 1.0 - std::pow(1.0 - tau, others);
    const double p_s = p_tr > 0.0 ? others * tau * std::pow(1.0 - tau, others - 1.0) / p_tr : 0.0;
    const double slot = (1.0 - p_tr) * mt.slot_us + p_tr * p_s * ts + p_tr * (1.0 - p_s) * tc;
    double backoff_slots = 0.0, attempts = 0.0, pi = 1.0;
    for (int i = 0; i <= retry; ++i, pi *= p) {
        backoff_slots += pi * (std::ldexp(mt.w, std::min(i, mt.m)) - 1.0) / 2.0;  // uniform in [0, W_i - 1]
        attempts += pi;
    }
    const double success = 1.0 - pi;  // pi = p^(R+1)
    return backoff_slots * slot + (attempts - success) * tc + success * ts;
}

Fixed fixed_point(double n, double lambda, double ts, double tc, const MacTiming& mt, int retry) {
    const auto at = [&](double p) {
        Fixed f;
        f.p = p;
        const double ts_ = bianchi_tau(p, mt.w, mt.m);
        double q = 1.0;
        for (int it = 0; it < 60; ++it) {  // q depends on E[S], which depends on tau = q tau_sat
            const double es = service_us(p, q * ts_, n, ts, tc, mt, retry);
            const double q_new = std::min(1.0, lambda * es * 1e-6);
            f.es_us = es;
            if (std::abs(q_new - q) < 1e-10) break;
            q = q_new;
        }
        f.q = q;
        f.tau = q * ts_;
        return f;
    };
    if (n <= 1.0) return at(0.0);
    // f(p) = 1 - (1 - tau(p))^(n-1) - p: f(0) >= 0 > f(1). Illinois (modified regula falsi): bracketing like
    // bisection, superlinear like the secant.
    const auto f = [&](double p) { return 1.0 - std::pow(1.0 - at(p).tau, n - 1.0) - p; };
    double a = 0.0, b = 1.0 - 1e-9, fa = f(a), fb = f(b);
    if (fa <= 0.0) return at(0.0);
    int side = 0;
    for (int it = 0; it < 200 && b - a > 1e-12; ++it) {
        const double c = (a * fb - b * fa) / (fb - fa), fc = f(c);
        if (fc == 0.0) return at(c);
        if ((fc > 0.0) == (fa > 0.0)) {
            a = c, fa = fc;
            if (side == -1) fb *= 0.5;
            side = -1;
        } else {
            b = c, fb = fc;
            if (side == 1) fa *= 0.5;
            side = 1;
        }
    }
    return at(0.5 * (a + b));
}

}  // namespace

void dcf_check_payloads(const link::Technology& tech, const Profile& traffic) {
    for (std::size_t i = 0; i < traffic.flows.size(); ++i)
        if (traffic.flows[i].payload_bytes + kIpUdpBytes > kMaxMsduBytes)
            throw InputError("traffic '" + traffic.name + "' flows[" + std::to_string(i) + "].payload_bytes = " +
                             num(traffic.flows[i].payload_bytes) + ": an 802.11 MSDU (" + tech.name + ") carries at most " +
                             num(kMaxMsduBytes - kIpUdpBytes) + " bytes of UDP payload: valid range [1, " +
                             num(kMaxMsduBytes - kIpUdpBytes) + "] bytes");
}

LoadResult dcf_load(const Prepared& pr, double n) {
    const link::Technology& tech = pr.tech;
    const Profile& traffic = pr.traffic;
    const LoadOptions& o = pr.o;
    if (o.raw_groups < 1 || o.raw_groups > 64)
        throw InputError("raw groups = " + std::to_string(o.raw_groups) + ": must be in [1, 64]");
    const std::vector<Group>& gs = pr.gs;
    const link::Budget& ul = pr.ul;
    const MacTiming mt = timing(tech, ul.modes.empty() ? 1.0 : ul.modes.front().phy_rate_mbps);
    LoadResult r;
    r.model = "802.11 DCF: Bianchi (2000) fixed point, non-saturated (q = lambda E[S]), M/M/1 station queue";
    r.devices = n;
    const double duty = tech.reg.max_duty_cycle.present() ? tech.reg.max_duty_cycle.value : 1.0;

    // (2) packet-weighted airtimes of the covered terminals' uplink and the AP's downlink.
    double covered = 0.0, up_pk = 0.0, dl_pk = 0.0, up_frame = 0.0, dl_frame = 0.0;
    for (std::size_t gi = 0; gi < gs.size(); ++gi) {
        const Group& g = gs[gi];
        const link::Mode* mu = pr.mode(link::Direction::uplink, gi);
        const link::Mode* md = pr.mode(link::Direction::downlink, gi);
        if (!mu || !md) continue;
        covered += g.share;
        for (const Flow& f : traffic.flows) {
            const bool up = f.direction == FlowDirection::uplink;
            const double t = frame_us(mt, f.payload_bytes, (up ? mu : md)->phy_rate_mbps);
            if (tech.reg.max_tx_time_ms.present() && t > tech.reg.max_tx_time_ms.value * 1000.0)
                throw InputError("traffic '" + traffic.name + "' flow '" + f.name + "': frame of " + num(t / 1000.0) +
                                 " ms exceeds " + tech.reg.max_tx_time_ms.rule);
            (up ? up_pk : dl_pk) += g.share * f.packets_per_s();
            (up ? up_frame : dl_frame) += g.share * f.packets_per_s() * t;
        }
    }
    if (covered < 1.0) r.warnings.push_back("some SINR samples are below the most robust mode: those terminals are not served");
    up_frame = up_pk > 0.0 ? up_frame / up_pk : 0.0;
    dl_frame = dl_pk > 0.0 ? dl_frame / dl_pk : 0.0;
    const double lambda_sta = covered > 0.0 ? up_pk / covered : 0.0;  // packets/s of one served station
    const double n_sta = n * covered;

    // (4) the AP: downlink airtime (frame + SIFS + ACK + DIFS + mean initial backoff), capped by the duty rule.
    const double t_dl_us = dl_frame + mt.sifs_us + mt.ack_us + mt.difs_us + (mt.w - 1) / 2.0 * mt.slot_us;
    const double dl_busy = n * dl_pk * t_dl_us * 1e-6;
    const double dl_duty_use = n * dl_pk * dl_frame * 1e-6;
    const double dl_carried = std::min({1.0, dl_busy > 0.0 ? 1.0 / dl_busy : 1.0, dl_duty_use > 0.0 ? duty / dl_duty_use : 1.0});
    const double free_time = std::max(1e-6, 1.0 - std::min(1.0, dl_busy * dl_carried));

    // (3) the stations: times stretched by the AP's share; RAW: n/K stations, lambda K within their window.
    const double k = o.raw_groups;
    const double ts = (o.rts_cts ? mt.rts_us + mt.sifs_us + mt.cts_us + mt.sifs_us : 0.0) + up_frame + mt.sifs_us + mt.ack_us + mt.difs_us;
    const double tc = o.rts_cts ? mt.rts_us + mt.difs_us : up_frame + mt.difs_us;
    Fixed fp;
    if (n_sta > 0.0 && lambda_sta > 0.0) {
        fp = fixed_point(n_sta / k, lambda_sta * k / free_time, ts, tc, mt, o.dcf_retry_limit);
        fp.es_us /= free_time;
    }
    const double es_s = fp.es_us * 1e-6 * (k > 1 ? k : 1.0);  // a RAW group owns 1/K of the time
    const double drop = std::pow(fp.p, o.dcf_retry_limit + 1);
    const double sta_rate = lambda_sta > 0.0 ? std::min(lambda_sta, es_s > 0.0 ? 1.0 / es_s : lambda_sta) : 0.0;
    const double sta_duty_use = lambda_sta * up_frame * 1e-6;
    const double sta_duty = sta_duty_use > duty ? duty / sta_duty_use : 1.0;

    // Loads and delays.
    for (const Flow& f : traffic.flows) {
        DirectionLoad& d = f.direction == FlowDirection::uplink ? r.uplink : r.downlink;
        d.offered_bps += n * f.bit_rate_bps();
        d.packets_per_s += n * f.packets_per_s();
        const double served = f.direction == FlowDirection::uplink
                                  ? (lambda_sta > 0.0 ? sta_rate / lambda_sta : 0.0) * (1.0 - drop) * sta_duty
                                  : dl_carried;
        d.carried_bps += n * covered * f.bit_rate_bps() * served;
    }
    const double raw_wait_mean_ms = (1.0 - 1.0 / k) * o.raw_period_ms / 2.0, raw_wait_p99_ms = (1.0 - 1.0 / k) * o.raw_period_ms * 0.99;
    const double rho = lambda_sta * es_s;
    const double inf = std::numeric_limits<double>::infinity();
    const double sojourn_ms = rho < 1.0 ? es_s * 1e3 / (1.0 - rho) : inf;
    r.uplink.delay_mean_ms = sojourn_ms + raw_wait_mean_ms;
    r.uplink.delay_p99_ms = sojourn_ms * std::log(100.0) + raw_wait_p99_ms;
    const double es_dl_ms = t_dl_us / 1000.0 / free_time;
    const double rho_dl = dl_busy;
    r.downlink.delay_mean_ms = rho_dl < 1.0 ? es_dl_ms / (1.0 - rho_dl) : inf;
    r.downlink.delay_p99_ms = r.downlink.delay_mean_ms * std::log(100.0);
    r.uplink.utilisation = rho;
    r.downlink.utilisation = dl_busy;
    r.intermediates = {{"tau", fp.tau}, {"collision_p", fp.p}, {"queue_nonempty_q", fp.q}, {"service_time_ms", es_s * 1e3},
                       {"Ts_us", ts}, {"Tc_us", tc}, {"retry_drop", drop}, {"station_duty_factor", sta_duty},
                       {"ap_downlink_busy", dl_busy}, {"duty_limit", duty}};
    finish(r, o);
    return r;
}

}  // namespace dxplan::traffic::detail
