// Local 5G NR and LTE-M / NB-IoT load: a shared scheduled data channel (see load.hpp for the references).
//
// Data channel (both): (1) each SINR group's full-carrier rate from the profile's mode table (TS 38.214 MCS,
// TS 38.306 rate with the TDD share and overhead; LTE-M / NB-IoT: the profile's per-coverage-level rates,
// repetitions included), times (1 - BLER) for HARQ; (2) each terminal needs the time share
// d = bits/s / rate; proportional fair with equal channel statistics gives every backlogged terminal the same
// time share, so at overload the shares are water-filled: min(d, theta) with sum n min(d, theta) = 1
// (F. Kelly, "Charging and rate control for elastic traffic", Eur. Trans. Telecom. 8, 1997; the equal-time
// property of PF: Jalali, Padovani, Pankaj, VTC 2000); (3) queueing for the channel as M/D/1 at utilisation
// rho = sum n d with the mean occupancy rho / Lambda as service time (Pollaczek-Khinchine mean, Cramer-Lundberg
// 99th percentile): M/D/1 is stated as the approximation (Poisson arrivals; periodic reports queue less).
// NR delay adds the TDD frame (SR, grant, PUSCH: nr_frame_delay_ms) and HARQ round trips of one TDD period.
// LTE-M / NB-IoT add random access per report (a terminal idle between reports longer than an RRC inactivity
// time of 10 s): slotted ALOHA over the preambles of each PRACH occasion, e^(-G) per attempt, preambleTransMax
// attempts with G including retries (fixed point), coverage level CE-max attempts repeated 32 times.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/traffic/load_internal.hpp"

namespace dxplan::traffic::detail {

namespace {

constexpr double kL2Bytes = 5.0;           // PDCP 2 B (12-bit SN, TS 38.323) + RLC UM 1 B (TS 38.322) + MAC subheader 2 B (TS 38.321)
constexpr double kHarqMaxTx = 4.0;         // HARQ transmissions before the block is lost
constexpr double kRrcInactivityS = 10.0;   // a terminal reporting less often than this is idle and random-accesses

struct Channel {
    std::vector<double> rate_mbps;         // per group, 0 when out of coverage
    std::vector<double> demand;            // per group: time share one terminal needs
    std::vector<double> carried_fraction;  // per group
    double rho = 0.0;                      // offered utilisation
    double lambda = 0.0;                   // packets/s offered by all served terminals
};

// (1)-(2) rates, time shares, water-filling.
Channel share_channel(const Prepared& pr, link::Direction d, FlowDirection dir, double n, double bler) {
    const std::vector<Group>& gs = pr.gs;
    const Profile& traffic = pr.traffic;
    Channel c;
    for (std::size_t gi = 0; gi < gs.size(); ++gi) {
        const Group& g = gs[gi];
        const link::Mode* m = pr.mode(d, gi);
        const double rate = m ? m->phy_rate_mbps * (1.0 - bler) : 0.0;
        double bits = 0.0, pk = 0.0;
        for (const Flow& f : traffic.flows)
            if (f.direction == dir) {
                bits += f.packets_per_s() * (f.payload_bytes + kIpUdpBytes + kL2Bytes) * 8.0;
                pk += f.packets_per_s();
            }
        c.rate_mbps.push_back(rate);
        c.demand.push_back(rate > 0.0 ? bits / (rate * 1e6) : 0.0);
        c.rho += n * g.share * c.demand.back();
        if (rate > 0.0) c.lambda += n * g.share * pk;
    }
    double theta = std::numeric_limits<double>::infinity();
    if (c.rho > 1.0) {  // sum_k n share_k min(d_k, theta) = 1, increasing in theta: bisection
        double lo = 0.0, hi = *std::max_element(c.demand.begin(), c.demand.end());
        for (int it = 0; it < 200; ++it) {
            const double mid = 0.5 * (lo + hi);
            double used = 0.0;
            for (std::size_t k = 0; k < gs.size(); ++k) used += n * gs[k].share * std::min(c.demand[k], mid);
            (used > 1.0 ? hi : lo) = mid;
        }
        theta = lo;
    }
    for (std::size_t k = 0; k < gs.size(); ++k)
        c.carried_fraction.push_back(c.rate_mbps[k] <= 0.0 ? 0.0 : c.demand[k] > 0.0 ? std::min(1.0, theta / c.demand[k]) : 1.0);
    return c;
}

// Offered and carried bits of one direction from the channel shares.
void account(DirectionLoad& d, const Channel& c, const std::vector<Group>& gs, const Profile& traffic, FlowDirection dir,
             double n, double residual_loss) {
    for (std::size_t k = 0; k < gs.size(); ++k)
        for (const Flow& f : traffic.flows)
            if (f.direction == dir) {
                d.offered_bps += n * gs[k].share * f.bit_rate_bps();
                d.packets_per_s += n * gs[k].share * f.packets_per_s();
                d.carried_bps += n * gs[k].share * f.bit_rate_bps() * c.carried_fraction[k] * (1.0 - residual_loss);
            }
    d.utilisation = c.rho;
}

// (3) M/D/1 wait for the shared channel: mean and 99th percentile, s.
std::pair<double, double> queue_wait_s(const Channel& c) {
    if (c.lambda <= 0.0) return {0.0, 0.0};
    const double d = std::min(c.rho, 1.0) / c.lambda;
    if (c.rho >= 1.0) return {INFINITY, INFINITY};
    return {md1_mean_wait_s(c.lambda, d), md1_wait_quantile_s(c.lambda, d, 0.01)};
}

bool warn_uncovered(const Channel& c) {
    return std::any_of(c.rate_mbps.begin(), c.rate_mbps.end(), [](double r) { return r <= 0.0; });
}

// Smallest k with bler^(k+1) <= 0.01: retransmissions within the 99th percentile.
double harq_p99_retx(double bler) {
    double k = 0.0, p = bler;
    while (p > 0.01 * (1.0 + 1e-9) && k < kHarqMaxTx - 1.0) { p *= bler; k += 1.0; }
    return k;
}

std::string tdd_pattern(const link::Technology& tech) {
    for (const auto& [name, slots] : tech.nr.tdd_patterns)
        if (name == tech.nr.tdd_mode) return slots;
    throw InputError(tech.file.string() + ": nr.tdd_mode '" + tech.nr.tdd_mode + "': no such entry in nr.tdd_patterns");
}

void check_bler(const LoadOptions& o) {
    if (!(o.harq_bler >= 0.0 && o.harq_bler <= 0.5))
        throw InputError("harq bler = " + num(o.harq_bler) + ": must be in [0, 0.5]");
}

}  // namespace

void nr_prepare(Prepared& p) {
    check_bler(p.o);
    p.tdd = tdd_pattern(p.tech);
    p.frame_ul_ms = nr_frame_delay_ms(p.tdd, p.tech.nr.scs_khz, link::Direction::uplink, p.o.configured_grant);
    p.frame_dl_ms = nr_frame_delay_ms(p.tdd, p.tech.nr.scs_khz, link::Direction::downlink, p.o.configured_grant);
}

LoadResult nr_load(const Prepared& pr, double n) {
    const link::Technology& tech = pr.tech;
    const Profile& traffic = pr.traffic;
    const LoadOptions& o = pr.o;
    const std::vector<Group>& gs = pr.gs;
    const std::string& pattern = pr.tdd;
    const double slot_ms = 15.0 / tech.nr.scs_khz, period_ms = slot_ms * static_cast<double>(pattern.size());
    const double residual = std::pow(o.harq_bler, kHarqMaxTx);
    LoadResult r;
    r.model = "NR: PF (water-filled equal time) over the MCS of each SINR, TDD " + pattern + ", HARQ, M/D/1";
    r.devices = n;
    const double mean_retx = o.harq_bler / (1.0 - o.harq_bler), p99_retx = harq_p99_retx(o.harq_bler);
    for (const link::Direction dir : {link::Direction::uplink, link::Direction::downlink}) {
        const bool up = dir == link::Direction::uplink;
        const FlowDirection fd = up ? FlowDirection::uplink : FlowDirection::downlink;
        const Channel c = share_channel(pr, dir, fd, n, o.harq_bler);
        DirectionLoad& d = up ? r.uplink : r.downlink;
        account(d, c, gs, traffic, fd, n, residual);
        const auto [frame_mean, frame_p99] = up ? pr.frame_ul_ms : pr.frame_dl_ms;
        const auto [w_mean, w_p99] = queue_wait_s(c);
        d.delay_mean_ms = frame_mean + mean_retx * period_ms + w_mean * 1e3;  // HARQ RTT: one TDD period
        d.delay_p99_ms = frame_p99 + p99_retx * period_ms + w_p99 * 1e3;
        if (warn_uncovered(c) && up) r.warnings.push_back("some SINR samples are below MCS0's requirement: those terminals are not served");
        r.intermediates.emplace_back(std::string(up ? "ul" : "dl") + "_utilisation", c.rho);
        r.intermediates.emplace_back(std::string(up ? "ul" : "dl") + "_frame_delay_mean_ms", frame_mean);
        r.intermediates.emplace_back(std::string(up ? "ul" : "dl") + "_queue_wait_mean_ms", w_mean * 1e3);
    }
    r.intermediates.emplace_back("tdd_period_ms", period_ms);
    r.intermediates.emplace_back("harq_residual_loss", residual);
    finish(r, o);
    return r;
}

namespace {

struct Rach {
    double period_ms, preambles, ce_max_repetitions, rar_window_ms;
};

// Defaults by carrier width (the profiles do not carry a PRACH configuration): NB-IoT (180 kHz) NPRACH every
// 40 ms with 48 subcarriers (TS 36.331 NPRACH-ConfigSIB-NB: nprach-Periodicity ms40, nprach-NumSubcarriers n48);
// LTE-M PRACH configuration index 3 (one occasion per 10 ms frame, TS 36.211 Table 5.7.1-2) with 54 of the 64
// preambles for contention (TS 36.331 numberOfRA-Preambles n52-n56). CE-max: 32 repetitions per attempt
// (numRepetitionPerPreambleAttempt n32, assumed); RAR window 10 ms (ra-ResponseWindowSize sf10).
Rach rach_defaults(const link::Technology& tech) {
    if (tech.bandwidth_mhz < 0.5) return {40.0, 48.0, 32.0, 10.0};
    return {10.0, 54.0, 32.0, 10.0};
}

}  // namespace

LoadResult ciot_load(const Prepared& pr, double n) {
    const link::Technology& tech = pr.tech;
    const Profile& traffic = pr.traffic;
    const LoadOptions& o = pr.o;
    check_bler(o);
    if (o.rach_max_attempts < 1 || o.rach_max_attempts > 200)
        throw InputError("rach max attempts = " + std::to_string(o.rach_max_attempts) + ": must be in [1, 200]");
    const std::vector<Group>& gs = pr.gs;
    const Rach ra = rach_defaults(tech);
    const link::Budget& ul = pr.ul;
    LoadResult r;
    r.model = "LTE-M/NB-IoT: slotted-ALOHA random access with retries, CE repetitions, PF data channel, M/D/1";
    r.devices = n;

    // Random access: attempts per preamble per occasion (CE-max attempts weigh their repetitions).
    double g0 = 0.0;
    std::vector<double> reps;
    for (std::size_t gi = 0; gi < gs.size(); ++gi) {
        const Group& g = gs[gi];
        const link::Mode* m = pr.mode(link::Direction::uplink, gi);
        const double rep = (m && ul.modes.size() > 1 && m != &ul.modes.front()) ? 1.0 : ra.ce_max_repetitions;  // most robust mode (lowest SNR) = CE-max
        reps.push_back(rep);
        for (const Flow& f : traffic.flows)
            if (f.interval_s >= kRrcInactivityS) g0 += n * g.share * f.packets_per_s() * rep * ra.period_ms / 1000.0 / ra.preambles;
    }
    const int m_att = o.rach_max_attempts;
    // G = G0 sum_{k<M} (1 - e^-G)^k (retries add load): the monotone iteration from G0 converges to the smallest
    // fixed point; past G = 50 no preamble succeeds (e^-50) and the channel is taken as collapsed.
    double g = g0;
    for (int it = 0; it < 1000 && g < 50.0; ++it) {
        const double x = 1.0 - std::exp(-g);
        const double g_new = g0 * (x < 1.0 ? (1.0 - std::pow(x, m_att)) / (1.0 - x) : m_att);
        if (std::abs(g_new - g) <= 1e-12 * (1.0 + g)) { g = g_new; break; }
        g = g_new;
    }
    const double ps = std::exp(-g);                                  // slotted ALOHA per preamble
    const double ra_success = 1.0 - std::pow(1.0 - ps, m_att);
    double mean_att = 0.0, f = 1.0;
    for (int k = 0; k < m_att; ++k, f *= 1.0 - ps) mean_att += f;
    const double p99_att = std::clamp(std::ceil(std::log(0.01) / std::log1p(-ps)), 1.0, static_cast<double>(m_att));

    const double residual = std::pow(o.harq_bler, kHarqMaxTx);
    for (const link::Direction dir : {link::Direction::uplink, link::Direction::downlink}) {
        const bool up = dir == link::Direction::uplink;
        const FlowDirection fd = up ? FlowDirection::uplink : FlowDirection::downlink;
        const Channel c = share_channel(pr, dir, fd, n, o.harq_bler);
        DirectionLoad& d = up ? r.uplink : r.downlink;
        account(d, c, gs, traffic, fd, n, residual);
        const auto [w_mean, w_p99] = queue_wait_s(c);
        std::vector<std::pair<double, double>> p99s;
        double mean_num = 0.0, wsum = 0.0;
        for (std::size_t k = 0; k < gs.size(); ++k) {
            if (c.rate_mbps[k] <= 0.0) continue;
            for (const Flow& fl : traffic.flows) {
                if (fl.direction != fd) continue;
                const bool idle = fl.interval_s >= kRrcInactivityS;
                const double per_att = ra.period_ms / 2.0 + ra.rar_window_ms + reps[k];  // wait, RAR, preamble (1 ms units)
                const double tx_ms = (fl.payload_bytes + kIpUdpBytes + kL2Bytes) * 8.0 / (c.rate_mbps[k] * 1e3);
                const double w = n * gs[k].share * fl.packets_per_s();
                mean_num += w * ((idle ? mean_att * per_att : 0.0) + tx_ms);
                wsum += w;
                p99s.emplace_back((idle ? p99_att * (ra.period_ms + ra.rar_window_ms + reps[k]) : 0.0) + tx_ms, w);
            }
        }
        d.delay_mean_ms = (wsum > 0.0 ? mean_num / wsum : 0.0) + w_mean * 1e3;
        d.delay_p99_ms = weighted_quantile(p99s, 0.99) + w_p99 * 1e3;
        d.carried_bps *= ra_success;
        if (warn_uncovered(c) && up) r.warnings.push_back("some SINR samples are below the most robust coverage level: not served");
        r.intermediates.emplace_back(std::string(up ? "ul" : "dl") + "_utilisation", c.rho);
    }
    r.intermediates.emplace_back("rach_G_per_preamble", g);
    r.intermediates.emplace_back("rach_success", ra_success);
    r.intermediates.emplace_back("rach_mean_attempts", mean_att);
    finish(r, o);
    return r;
}

}  // namespace dxplan::traffic::detail
