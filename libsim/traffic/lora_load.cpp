// LoRaWAN AS923-JP load: pure ALOHA per spreading factor and channel with the Japanese 920 MHz rules, class A
// downlink and the gateway's half-duplex downlink (see load.hpp for the references).
//
// Steps: (1) each SINR group's data rate: the fastest SF whose required SNR the group's SINR meets;
// (2) per SF, the offered load per channel G = N_SF lambda ToA / channels (terminals hop uniformly over the
// channels, SFs are orthogonal); (3) success e^(-2G) (capture optional); (4) each terminal's own limits:
// ARIB STD-T108 Part 2 (920.5-923.5 MHz) transmission <= 4 s, pause >= 50 ms after each transmission, carrier
// sense 5 ms; (5) the gateway: one downlink at a time (ACKs of confirmed uplinks in RX1, commands), each
// followed by the 50 ms pause; while it transmits it cannot receive (half duplex, SX1301 class gateways);
// (6) delays: uplink = carrier sense + time on air (no queue: ALOHA); class A downlink = wait for the next
// uplink + RX1 delay (1 s, LoRaWAN RECEIVE_DELAY1) + time on air.
// Not modelled: inter-SF interference (SFs taken as orthogonal), the gateway's 8 demodulator paths, retries
// of confirmed uplinks, LBT deferral between end devices (they rarely hear each other).
#include <algorithm>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/traffic/load_internal.hpp"

namespace dxplan::traffic::detail {

namespace {

constexpr double kRx1DelayMs = 1000.0;   // LoRaWAN 1.0.4 §3.3.1 RECEIVE_DELAY1 = 1 s
constexpr double kAckPhyBytes = 12.0;    // empty confirmed downlink: MHDR 1 + FHDR 7 + MIC 4 (no FPort)

double toa_ms(const link::Technology& t, int sf, double phy_bytes) {
    return link::lora_time_on_air_ms(sf, t.lora.bandwidth_khz, static_cast<int>(std::ceil(phy_bytes)), t.lora.coding_rate,
                                     t.lora.preamble_symbols, t.lora.explicit_header, t.lora.crc);
}

double pause_ms(const link::Technology& t) { return t.reg.min_pause_ms.present() ? t.reg.min_pause_ms.value : 0.0; }
double sense_ms(const link::Technology& t) { return t.reg.carrier_sense_ms.present() ? t.reg.carrier_sense_ms.value : 0.0; }

// SF of each group (0: out of coverage).
std::vector<int> group_sf(const link::Technology& tech, const std::vector<Group>& gs) {
    const link::Budget ul = budget(tech, link::Direction::uplink);
    std::vector<int> sf;
    for (const Group& g : gs) {
        const link::Mode* m = mode_at(ul, g.sinr_db);
        sf.push_back(m ? m->sf : 0);
    }
    return sf;
}

}  // namespace

void lora_check_payloads(const link::Technology& tech, const Profile& traffic, const CellRadio& cell) {
    const std::vector<int> sfs = group_sf(tech, groups(cell));
    for (std::size_t i = 0; i < traffic.flows.size(); ++i) {
        const Flow& f = traffic.flows[i];
        for (int sf : sfs) {
            if (sf == 0) continue;
            const int max_b = lora_max_payload_bytes(sf);
            if (f.payload_bytes > max_b)
                throw InputError("traffic '" + traffic.name + "' flows[" + std::to_string(i) + "].payload_bytes = " +
                                 num(f.payload_bytes) + ": LoRaWAN AS923 SF" + std::to_string(sf) + " carries at most " +
                                 std::to_string(max_b) + " bytes (LoRaMac-node RegionAS923.h, dwell time 0): valid range [1, " +
                                 std::to_string(max_b) + "] bytes");
            const double t_ms = toa_ms(tech, sf, f.payload_bytes + tech.lora.mac_overhead_bytes);
            if (tech.reg.max_tx_time_ms.present() && t_ms > tech.reg.max_tx_time_ms.value)
                throw InputError("traffic '" + traffic.name + "' flows[" + std::to_string(i) + "].payload_bytes = " +
                                 num(f.payload_bytes) + ": time on air " + num(t_ms) + " ms at SF" + std::to_string(sf) +
                                 " exceeds " + tech.reg.max_tx_time_ms.rule);
        }
    }
}

void lora_prepare(Prepared& p) {
    const LoadOptions& o = p.o;
    if (o.lora_channels < 1 || o.lora_channels > 64)
        throw InputError("lora channels = " + std::to_string(o.lora_channels) + ": must be in [1, 64]");
    if (!(o.lora_capture_probability >= 0.0 && o.lora_capture_probability <= 1.0))
        throw InputError("lora capture probability = " + num(o.lora_capture_probability) + ": must be in [0, 1]");
    lora_check_payloads(p.tech, p.traffic, p.cell);
    p.sf = group_sf(p.tech, p.gs);
    const double mac_b = p.tech.lora.mac_overhead_bytes;
    for (std::size_t k = 0; k < p.gs.size(); ++k) {
        std::vector<double> up, down;
        for (const Flow& f : p.traffic.flows) {
            const bool is_up = f.direction == FlowDirection::uplink;
            up.push_back(p.sf[k] ? toa_ms(p.tech, p.sf[k], f.payload_bytes + mac_b) / 1000.0 : 0.0);
            const double dl_bytes = is_up ? (f.confirmed ? kAckPhyBytes : 0.0) : f.payload_bytes + mac_b;
            down.push_back(p.sf[k] && dl_bytes > 0.0 ? toa_ms(p.tech, p.sf[k], dl_bytes) / 1000.0 : 0.0);
        }
        p.toa_s.push_back(up);
        p.dl_toa_s.push_back(down);
    }
}

LoadResult lora_load(const Prepared& p, double n) {
    const Profile& traffic = p.traffic;
    const LoadOptions& o = p.o;
    const std::vector<Group>& gs = p.gs;
    const std::vector<int>& sfs = p.sf;
    const double pause_s = pause_ms(p.tech) / 1000.0, cs = sense_ms(p.tech);
    const std::size_t nf = traffic.flows.size();
    LoadResult r;
    r.model = "LoRaWAN: pure ALOHA per SF and channel (S = G e^-2G), ARIB STD-T108 4 s / 50 ms, class A, half-duplex gateway";
    r.devices = n;

    // (2)-(3) offered load per SF (index SF 0..12) and channel; (4) a terminal's own airtime + pause share;
    // (5) the gateway's downlinks (ACKs and commands) at each terminal's SF in RX1.
    double g_sf[13] = {};
    std::vector<double> own_use(gs.size(), 0.0);
    double gw_busy = 0.0, gw_tx = 0.0, up_rate_terminal = 0.0;
    for (const Flow& f : traffic.flows)
        if (f.direction == FlowDirection::uplink) up_rate_terminal += f.packets_per_s();
    for (std::size_t k = 0; k < gs.size(); ++k) {
        if (sfs[k] == 0) continue;
        for (std::size_t i = 0; i < nf; ++i) {
            const Flow& f = traffic.flows[i];
            const double rate = n * gs[k].share * f.packets_per_s();
            if (f.direction == FlowDirection::uplink) {
                g_sf[sfs[k]] += rate * p.toa_s[k][i] / o.lora_channels;
                own_use[k] += f.packets_per_s() * (p.toa_s[k][i] + pause_s);
            }
            if (p.dl_toa_s[k][i] > 0.0) {
                gw_busy += rate * (p.dl_toa_s[k][i] + pause_s);
                gw_tx += rate * p.dl_toa_s[k][i];
            }
        }
    }
    const double dl_fraction = gw_busy > 1.0 ? 1.0 / gw_busy : 1.0;  // one downlink at a time
    const double rx_blank = std::min(1.0, gw_tx * dl_fraction);        // half duplex

    // Carried load and delays per group.
    std::vector<std::pair<double, double>> ul_delay, dl_delay;
    double ul_mean_num = 0.0, dl_mean_num = 0.0, dl_pk = 0.0, ul_pk_delivered = 0.0;
    bool uncovered = false;
    for (std::size_t k = 0; k < gs.size(); ++k) {
        const double nk = n * gs[k].share;
        const double ps = sfs[k] ? aloha_pure_success(g_sf[sfs[k]], o.lora_capture_probability) * (1.0 - rx_blank) : 0.0;
        const double own = own_use[k] > 1.0 ? 1.0 / own_use[k] : 1.0;
        uncovered = uncovered || sfs[k] == 0;
        for (std::size_t i = 0; i < nf; ++i) {
            const Flow& f = traffic.flows[i];
            const double pk = nk * f.packets_per_s();
            DirectionLoad& d = f.direction == FlowDirection::uplink ? r.uplink : r.downlink;
            d.offered_bps += pk * f.payload_bytes * 8.0;
            d.packets_per_s += pk;
            if (sfs[k] == 0) continue;
            if (f.direction == FlowDirection::uplink) {
                const double delay = cs + p.toa_s[k][i] * 1e3;
                d.carried_bps += pk * f.payload_bytes * 8.0 * ps * own;
                ul_delay.emplace_back(delay, pk * ps * own);
                ul_mean_num += delay * pk * ps * own;
                ul_pk_delivered += pk * ps * own;
            } else if (up_rate_terminal > 0.0) {
                // Class A: the command waits for the terminal's next uplink (mean T/2, p99 0.99 T), then RX1.
                const double t_up_ms = 1000.0 / up_rate_terminal, toa = p.dl_toa_s[k][i] * 1e3;
                const double delivered = pk * dl_fraction * ps;
                d.carried_bps += delivered * f.payload_bytes * 8.0;
                dl_delay.emplace_back(0.99 * t_up_ms + kRx1DelayMs + toa, delivered);
                dl_mean_num += (0.5 * t_up_ms + kRx1DelayMs + toa) * delivered;
                dl_pk += delivered;
            }
        }
    }
    if (uncovered) r.warnings.push_back("some SINR samples are below SF12's requirement: those terminals are not served");
    if (r.downlink.packets_per_s > 0.0 && up_rate_terminal <= 0.0)
        r.warnings.push_back("class A: downlink commands need an uplink to open the receive windows; none is offered");
    r.uplink.delay_mean_ms = ul_pk_delivered > 0.0 ? ul_mean_num / ul_pk_delivered : 0.0;
    r.uplink.delay_p99_ms = weighted_quantile(ul_delay, 0.99);
    r.downlink.delay_mean_ms = dl_pk > 0.0 ? dl_mean_num / dl_pk : 0.0;
    r.downlink.delay_p99_ms = dl_pk > 0.0 ? weighted_quantile(dl_delay, 0.99) : (r.downlink.packets_per_s > 0 ? INFINITY : 0.0);
    double g_max = 0.0;
    for (int sf = 7; sf <= 12; ++sf) {
        if (std::find(sfs.begin(), sfs.end(), sf) == sfs.end()) continue;
        r.intermediates.emplace_back("G_per_channel_SF" + std::to_string(sf), g_sf[sf]);
        r.intermediates.emplace_back("success_SF" + std::to_string(sf), aloha_pure_success(g_sf[sf], o.lora_capture_probability));
        g_max = std::max(g_max, g_sf[sf]);
    }
    r.uplink.utilisation = g_max;
    r.downlink.utilisation = gw_busy;
    r.intermediates.emplace_back("gateway_downlink_busy", gw_busy);
    r.intermediates.emplace_back("gateway_rx_blanked", rx_blank);
    r.intermediates.emplace_back("channels", o.lora_channels);
    finish(r, o);
    return r;
}

}  // namespace dxplan::traffic::detail
