// dxplan traffic layer (2/2): load models. For N terminals of one traffic profile in one cell of one access
// technology, given the SINR distribution of the cell's terminals, each model returns the offered and carried
// load, the delivery ratio, the mean and 99th-percentile access delay and whether a target is met.
//
// Models (each cited again on the lines that implement it):
//  - LoRaWAN AS923-JP (lora_load.cpp): pure ALOHA per spreading factor and channel, S = G e^(-2G)
//    (N. Abramson, "The ALOHA system", AFIPS 1970; the vulnerable period of 2 frames), optional capture of a
//    single interferer; time on air from Semtech AN1200.13 / SX1276 §4.1.1.7 (link::lora_time_on_air_ms);
//    ARIB STD-T108 Part 2 920.5-923.5 MHz rules (transmission <= 4 s, pause >= 50 ms, carrier sense 5 ms);
//    class A RX1 1 s after the uplink; the gateway is half-duplex and sends one downlink at a time (ACKs and
//    commands with the 50 ms pause), which caps the downlink and blanks its receiver while it transmits.
//  - 802.11 DCF for Wi-Fi and HaLow (dcf_load.cpp): G. Bianchi, "Performance analysis of the IEEE 802.11
//    distributed coordination function", IEEE JSAC 18(3), 2000 (eqs. 7, 9, 13, 15-21) for saturation; the
//    non-saturated extension scales the attempt rate by the probability q that a station has a packet,
//    q = min(1, lambda E[S]) with E[S] the mean MAC service time (the queue-occupancy extension of Malone,
//    Duffy and Leith, IEEE/ACM ToN 15(1) 2007, in its simplest M/G/1 form); RTS/CTS option; HaLow RAW splits
//    the stations into groups that contend in their own window; 920 MHz total transmission time (10 %) and
//    400 ms per transmission (ARIB STD-T108 Part 2, short carrier sense).
//  - Local 5G NR (nr_load.cpp): each terminal's rate from its SINR through the profile's MCS table (TS 38.214
//    / TS 38.306 with the TDD share); proportional-fair sharing = equal time shares at saturation, water-filled
//    so that a terminal needing less than its share keeps the rest for others; HARQ at a first-transmission
//    BLER; delay from the TDD slot pattern (scheduling request, grant, PUSCH), HARQ round trips and an M/D/1
//    queue at the cell's utilisation (Pollaczek-Khinchine mean, Cramer-Lundberg tail for the 99th percentile).
//  - LTE-M / NB-IoT (ciot_load.cpp): random access as slotted ALOHA over the PRACH preambles with
//    preambleTransMax attempts (TS 36.321 §5.1, TS 36.331 PRACH-ConfigSIB / NPRACH-ConfigSIB-NB), coverage
//    enhancement levels from the SINR with their repetitions (TS 36.211 §10.1.6 NPRACH repetitions), data as
//    in the NR model on the profile's rates.
// All functions are pure and thread safe. A fluid number of terminals is allowed (n = 2.5 is meaningful for
// curves); the SINR samples stand for equal shares of the terminals.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "libsim/link/link.hpp"
#include "libsim/traffic/traffic.hpp"

namespace dxplan::traffic {

// The terminals of one cell: their uplink SINR samples (dB), each standing for an equal share of them. The
// downlink uses the same samples shifted by `downlink_offset_db` (DL SINR - UL SINR).
struct CellRadio {
    std::vector<double> sinr_db;
    double downlink_offset_db = 0.0;
};

struct LoadOptions {
    Target target;
    // LoRaWAN
    int lora_channels = 2;              // uplink channels: AS923 default channels LC1/LC2 (LoRaMac-node RegionAS923.h)
    double lora_capture_probability = 0.0;  // P(a frame survives exactly one overlapping frame); 0: no capture
    // 802.11
    bool rts_cts = false;
    int raw_groups = 1;                 // HaLow restricted access window groups (1: no RAW)
    double raw_period_ms = 102.4;       // beacon interval the RAW slots repeat in (100 TU)
    int dcf_retry_limit = 6;            // retries after the first attempt (dot11ShortRetryLimit 7 attempts)
    // NR, LTE-M, NB-IoT data channel
    double harq_bler = 0.1;             // first-transmission block error rate (link adaptation target)
    bool configured_grant = false;      // NR uplink without scheduling request (configured grant type 1)
    // LTE-M / NB-IoT random access
    int rach_max_attempts = 10;         // preambleTransMax n10 (TS 36.331)
};

// One direction of one load evaluation.
struct DirectionLoad {
    double offered_bps = 0.0;           // application bits/s offered by all terminals
    double carried_bps = 0.0;           // application bits/s delivered
    double packets_per_s = 0.0;         // offered packets/s
    double delay_mean_ms = 0.0;         // of delivered packets; +inf when the queue is unstable
    double delay_p99_ms = 0.0;
    double utilisation = 0.0;           // channel / PRB / airtime share used (ALOHA: largest G per channel)
};

struct LoadResult {
    std::string model;                  // "pure ALOHA per SF and channel", ...
    double devices = 0.0;
    DirectionLoad uplink;
    DirectionLoad downlink;
    double offered_load_bps = 0.0;      // both directions
    double carried_load_bps = 0.0;
    double delivery_ratio = 1.0;        // carried / offered (1 when nothing is offered)
    double delay_mean_ms = 0.0;         // packet-weighted over both directions
    double delay_p99_ms = 0.0;          // the larger direction's 99th percentile
    bool meets_target = false;
    std::vector<std::pair<std::string, double>> intermediates;  // model terms: G per SF, tau, p, rho, ...
    std::vector<std::string> warnings;
};

namespace detail { struct Prepared; }

// The load model of one technology's family for one traffic profile, cell and options, prepared once (budgets,
// modes per SINR sample, times on air, TDD frame delays) so that at(N) is cheap for sweeps. The constructor
// validates everything but N and throws InputError as evaluate_load does.
class LoadModel {
public:
    LoadModel(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, const LoadOptions& options = {});
    [[nodiscard]] LoadResult at(double devices) const;
    // The largest integer N (>= 0) meeting the target, searched up to n_max; n_max when even that meets it.
    [[nodiscard]] double max_devices(double n_max = 1e7) const;

private:
    std::shared_ptr<const detail::Prepared> p_;
};

// The load model for the technology's family. Throws InputError for n <= 0, an empty SINR list, payloads above
// the technology's maximum (LoRa: per data rate) or options out of range, naming the field and the range.
LoadResult evaluate_load(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double devices,
                         const LoadOptions& options = {});

// The largest integer N (>= 0) meeting options.target, searched up to `n_max` (the models are monotonic in N
// by construction: more terminals never lower the load); n_max when even that meets it.
double max_devices_for_target(const link::Technology& tech, const Profile& traffic, const CellRadio& cell,
                              const LoadOptions& options = {}, double n_max = 1e7);

// A sweep of the number of terminals: `points` values from `from` to `to`, evenly spaced on a log or a linear
// scale. InputError unless 1 <= from < to <= 1e7 and 2 <= points <= 100000.
struct Sweep {
    double from = 0.0, to = 0.0;
    int points = 0;
    bool log = true;
};
std::vector<double> sweep_points(const Sweep& s);

// What `dxplan capacity` prints: the load at `devices`, the largest N meeting the target, and the curve over
// the sweep (empty without one). The one library call of the tool.
struct CapacityStudy {
    LoadResult at_devices;
    double max_devices = 0.0;
    std::vector<LoadResult> curve;
};
CapacityStudy capacity_study(const link::Technology& tech, const Profile& traffic, const CellRadio& cell, double devices,
                             const LoadOptions& options, const Sweep* sweep);

// Checks the payloads of the profile against the technology (LoRa per SF in use, 802.11 MSDU, 920 MHz
// transmission time) without evaluating the load.
void check_payloads(const link::Technology& tech, const Profile& traffic, const CellRadio& cell);

// ---------------------------------------------------------------------------------------------------------
// Closed forms and model kernels, exposed for tests and for other models.

// Pure ALOHA with Poisson offered load G (frames per frame time): success probability e^(-2G) and throughput
// S = G e^(-2G) (Abramson 1970); with capture probability c of a frame overlapped by exactly one other:
// P_s = e^(-2G) (1 + c 2G).
double aloha_pure_success(double g, double capture_probability = 0.0);
double aloha_pure_throughput(double g, double capture_probability = 0.0);

// LoRaWAN AS923 maximum application payload (FRMPayload, dwell time 0) per spreading factor 7..12
// (LoRaMac-node RegionAS923.h MaxPayloadOfDatarateDwell0AS923, DR5..DR0).
int lora_max_payload_bytes(int sf);

// 802.11 DCF timing for Bianchi's model. Times in microseconds.
struct DcfParams {
    double slot_us = 0.0;               // sigma
    double sifs_us = 0.0;
    double difs_us = 0.0;
    double prop_delay_us = 0.0;         // delta
    double header_us = 0.0;             // H = PHY + MAC header
    double payload_us = 0.0;            // E[P]
    double ack_us = 0.0;
    double rts_us = 0.0;
    double cts_us = 0.0;
    int cw_min = 32;                    // W (Bianchi's W = CWmin + 1 slots)
    int max_stage = 5;                  // m: CWmax = 2^m W
};

struct DcfSaturation {
    double tau = 0.0;                   // attempt probability per slot, eq. (7)
    double p = 0.0;                     // conditional collision probability, eq. (9)
    double p_tr = 0.0;                  // P(at least one transmission in a slot)
    double p_s = 0.0;                   // P(success | transmission)
    double ts_us = 0.0;                 // eq. (17) basic / (20) RTS-CTS
    double tc_us = 0.0;                 // eq. (18) basic / (21) RTS-CTS
    double throughput = 0.0;            // normalised S, eq. (13)
};

// Bianchi's attempt probability for a collision probability p, eq. (7).
double bianchi_tau(double p, int w, int m);
// Saturation of n stations: the fixed point of eqs. (7) and (9) by bisection on p, then eqs. (13)-(21).
DcfSaturation bianchi_saturation(const DcfParams& params, int n, bool rts_cts);

// M/D/1 queue with arrival rate lambda and service time d: mean wait (Pollaczek-Khinchine,
// W = rho d / (2 (1 - rho))) and the wait exceeded with probability `tail` (Cramer-Lundberg:
// P(W > t) ~ C e^(-gamma t), lambda (e^(gamma d) - 1) = gamma, C = (1 - rho) / (lambda d e^(gamma d) - 1);
// Asmussen, Applied Probability and Queues, 2nd ed., XIII.5). +inf when rho >= 1.
double md1_mean_wait_s(double lambda_per_s, double d_s);
double md1_wait_quantile_s(double lambda_per_s, double d_s, double tail);
// Lundberg's bound on the same quantile, ln(C_bound / tail) / gamma with C_bound = 1: never below the above.
double md1_wait_quantile_bound_s(double lambda_per_s, double d_s, double tail);

// NR access delay from the TDD frame: mean and 99th percentile (ms) over arrival instants uniform in one
// pattern period. Uplink with a scheduling request (SR in the next U slot, one slot of gNB processing, the
// grant in the next D/S slot, PUSCH k2 >= 1 slot later in a U slot, one slot to decode) or with a configured
// grant (next U slot); downlink: one slot to schedule, the next D slot, one slot for the terminal to decode.
std::pair<double, double> nr_frame_delay_ms(const std::string& pattern, double scs_khz, link::Direction d,
                                            bool configured_grant);

}  // namespace dxplan::traffic
