// dxplan link layer: technology profiles, antennas, regulatory checks and link budgets.
//
// A technology profile (models/technology/NAME.yaml, schema in models/technology/README.md) is loaded into a
// plain `Technology`: every number it holds carries a source and a status (see `provenance`). From a
// Technology and the per-link options, make_budget() precomputes one `Budget` per direction, so that the
// per-pixel work of the coverage solver is a subtraction and a table lookup:
//
//     Budget b = make_budget(tech, Direction::downlink, options);        // once per site
//     double rx_dbm  = received_power_dbm(b, path_loss_db);              // per pixel
//     double snr_db  = rx_dbm - b.noise_floor_dbm - b.fade_margin_db;    // (or sinr_db() with interferers)
//     const Mode* m  = best_mode(b, snr_db);                             // nullptr: no service
//
// evaluate_link() does the same for one point-to-point link and returns every term, the margin, the mode
// and the throughput each way, and, when the link fails, which term ran out.
//
// References (cited again on the lines that use them):
//  - noise floor: kT0 (-173.975 dBm/Hz, T0 = 290 K, i.e. the usual -174) + 10 log10(B) + NF;
//  - fade margin: z(p) * sigma with z the inverse standard normal (log-normal shadowing);
//  - 3GPP TR 38.901 V17 Table 7.3-1 antenna element pattern;
//  - 3GPP TS 38.306 §4.1.2 NR peak-rate formula; TS 38.214 Tables 5.1.3.1-1/-2 MCS tables;
//  - 3GPP TR 36.942 Annex A attenuated Shannon bound;
//  - Semtech SX1276 datasheet §4.1.1.7 / AN1200.13 LoRa time on air.
// All functions are pure and thread safe; bad input throws dxplan::InputError naming file, field and range.
#pragma once

#include "libsim/core/demand_kind.hpp"
#include <array>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dxplan::link {

inline constexpr double kNoLimit = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------------------
// Technology profiles

enum class Status { verified, derived, quoted_not_rechecked, unsourced_estimate };
std::string_view to_string(Status s);  // "verified", "derived", "quoted-not-rechecked", "unsourced-estimate"

// Where one value of a profile came from. `field` is the dotted path in the YAML ("base.tx_power_dbm",
// "downlink.modes[].snr_db" for a table column); `source` is the full citation.
struct Provenance {
    std::string field;
    std::string value;
    std::string source;
    Status status = Status::unsourced_estimate;
    std::string note;
};

enum class Family { nr, wifi, halow, lora, sigfox, cellular_iot };
std::string_view to_string(Family f);  // "nr", "wifi", "halow", "lora", "sigfox", "cellular-iot"

enum class Direction { downlink, uplink };  // downlink: base (gNB / AP / gateway) -> terminal
std::string_view to_string(Direction d);

enum class RateModel { mcs_table, attenuated_shannon };

// A regulatory limit: NaN when the rule set has none. `rule` names the rule, e.g.
// "ARIB STD-T108 Part 2 (Radio Equipment Regulations Art. 49-14)".
struct Limit {
    double value = kNoLimit;
    std::string rule;
    [[nodiscard]] bool present() const { return value == value; }
};

struct Regulatory {
    double band_low_mhz = 0.0;   // the band the channel must lie in
    double band_high_mhz = 0.0;
    std::string band_rule;
    bool outdoor_allowed = true;
    std::string outdoor_rule;
    Limit outdoor_low_mhz;       // if present, outdoor use only within [outdoor_low, outdoor_high]
    Limit outdoor_high_mhz;
    Limit max_eirp_dbm;
    Limit max_psd_dbm_per_mhz;   // EIRP spectral density
    Limit max_tx_power_dbm;      // antenna (conducted) power
    Limit carrier_sense_ms;      // listen-before-talk sensing time
    Limit max_tx_time_ms;        // longest single transmission
    Limit min_pause_ms;          // pause after a transmission
    Limit max_duty_cycle;        // fraction of time transmitting (total-transmission-time limit)
    Limit lbt_threshold_dbm;     // carrier-sense busy level (informational)
};

struct Station {
    double tx_power_dbm = 0.0;     // at the antenna connector
    double antenna_gain_dbi = 0.0; // boresight
    double cable_loss_db = 0.0;    // feeder + connectors, each way
    double noise_figure_db = 0.0;
};

// One modulation-and-coding mode of one direction, resolved at load time.
struct Mode {
    std::string name;             // "MCS7", "SF12", "CE-max"
    double snr_db = 0.0;          // required SNR (SINR) at the receiver of this direction
    double phy_rate_mbps = 0.0;   // PHY rate in this direction (layers, overhead and time share applied)
    int layers = 1;               // MIMO layers / spatial streams of this mode
    double app_rate_mbps = 0.0;   // application-layer rate (MAC efficiency, duty/airtime rules applied)
    int sf = 0;                   // LoRa spreading factor (0 otherwise)
    double time_on_air_ms = 0.0;  // LoRa: one frame of the profile's payload (0 otherwise)
};

// TR 36.942 Annex A attenuated Shannon bound, spectral efficiency per layer in b/s/Hz.
struct ShannonParams {
    double alpha = 0.0;
    double snr_min_db = 0.0;
    double snr_max_db = 0.0;
    double se_max_bps_per_hz = 0.0;
};

struct DirectionSpec {
    std::vector<Mode> modes;          // sorted by required SNR, ascending
    int layers = 1;                   // MIMO layers / spatial streams at most; L layers split the power, so
                                      // each needs the single-layer SNR + 10 log10(L) (the mode table holds
                                      // every mode at every L = 1..layers, e.g. "MCS9 x4")
    double time_fraction = 1.0;       // TDD share (NR) or 1
    double overhead = 0.0;            // TS 38.306 OH (NR)
    double app_efficiency = 1.0;      // application throughput / PHY throughput
    bool has_shannon = false;
    ShannonParams shannon;
};

struct NrNumerology {
    double scs_khz = 0.0;
    int n_prb = 0;
    std::string tdd_mode;             // key into tdd_patterns ("sync", "quasi-sync")
    std::vector<std::pair<std::string, std::string>> tdd_patterns;  // name -> slot string, e.g. "DDDSU"
    int special_dl_symbols = 0;       // S slot split (of 14 symbols)
    int special_gap_symbols = 0;
    int special_ul_symbols = 0;
};

struct LoraParams {
    double bandwidth_khz = 125.0;
    int coding_rate = 1;              // 1..4 for 4/5..4/8
    int preamble_symbols = 8;
    bool explicit_header = true;
    bool crc = true;
    int app_payload_bytes = 0;
    int mac_overhead_bytes = 13;
};

// What a deployment of the technology buys (`cost_kit:` in the profile), as catalogue item ids
// (models/economics/catalogue.yaml prices them; the scenario checks they exist when it loads).
struct CostKit {
    bool present = false;           // the profile has a cost_kit
    bool operator_network = false;  // service bought from a mobile/LPWA operator: no sites, masts or backhaul
    std::vector<std::string> items;  // priced per site or per network (the catalogue item's `per`)
    std::array<std::vector<std::string>, kDemandKinds.size()> devices;  // per demand kind (index_of), priced per
                                                                        // served point; empty: cannot serve the kind
    [[nodiscard]] const std::vector<std::string>& devices_for(DemandKind k) const { return devices[index_of(k)]; }
};

struct Technology {
    std::string name;
    std::string description;
    std::filesystem::path file;
    Family family = Family::wifi;
    RateModel rate_model = RateModel::mcs_table;
    double f_center_mhz = 0.0;
    double bandwidth_mhz = 0.0;
    double noise_bandwidth_mhz = 0.0;  // bandwidth the receiver's noise is counted over
    Regulatory reg;
    Station base;
    Station terminal;
    DirectionSpec downlink;
    DirectionSpec uplink;
    NrNumerology nr;                   // family nr only
    LoraParams lora;                   // family lora only
    double handover_interruption_ms = kNoLimit;  // mobility.handover_interruption_ms (NaN: not in the profile)
    std::vector<Provenance> provenance;
    std::vector<std::string> notes;    // e.g. LoRa modes dropped by the transmission-time rule
    CostKit cost_kit;
    // `coverage:` (optional): the propagation model (registry name) and computation radius this technology is
    // planned with unless the scenario's entry sets its own; empty / 0: the scenario's `propagation` values.
    std::string coverage_model;
    double coverage_radius_km = 0.0;

    [[nodiscard]] const DirectionSpec& spec(Direction d) const { return d == Direction::downlink ? downlink : uplink; }
    [[nodiscard]] const Station& transmitter(Direction d) const { return d == Direction::downlink ? base : terminal; }
    [[nodiscard]] const Station& receiver(Direction d) const { return d == Direction::downlink ? terminal : base; }
};

// Field-by-field overrides from a scenario: dotted YAML path -> value, e.g. {"base.tx_power_dbm", "20"},
// {"nr.tdd_mode", "quasi-sync"}, {"rate_model", "attenuated-shannon"}. An overridden value's provenance
// becomes source "override", status unsourced-estimate. An unknown path is an InputError.
using Overrides = std::vector<std::pair<std::string, std::string>>;

// The folder holding the profiles of this source tree (models/technology).
std::filesystem::path default_technology_dir();

// Names of the profiles in `dir` (file stems of *.yaml, sorted).
std::vector<std::string> list_technologies(const std::filesystem::path& dir = default_technology_dir());

// Loads and validates one profile file, applies overrides, resolves the mode tables and checks the
// regulatory limits (EIRP, PSD, power, band). Throws InputError naming the file, the field and the valid
// range, or the rule broken ("ARIB STD-T108 ...: EIRP 17.0 dBm > 16.0 dBm limit").
Technology load_technology_file(const std::filesystem::path& file, const Overrides& overrides = {});

// Same, by profile name in `dir`; an unknown name lists the valid ones.
Technology load_technology(std::string_view name, const Overrides& overrides = {},
                           const std::filesystem::path& dir = default_technology_dir());

// Regulatory checks for both stations: channel inside the band, EIRP / PSD / antenna power under the
// limits, and, when `outdoor`, that the band and channel allow outdoor use. Throws InputError naming the rule.
void check_regulatory(const Technology& tech, bool outdoor);

// ---------------------------------------------------------------------------------------------------------
// Small pure helpers

// Thermal noise floor: kT0 + 10 log10(B) + NF, kT0 = -173.975 dBm/Hz (T0 = 290 K; "-174").
double noise_floor_dbm(double bandwidth_hz, double noise_figure_db);

// Fade margin for a location reliability p in (0, 1) with log-normal shadowing sigma: z(p) * sigma, z the
// inverse standard normal (prop::inverse_normal_ccdf, ITU-R P.1057-7). p = 0.5 gives 0 dB. Throws InputError outside (0, 1) or for sigma < 0.
double fade_margin_db(double location_reliability, double sigma_db);

// SINR from a signal, a noise floor and interferer powers, all at the receiver (power sum of noise and
// interference).
double sinr_db(double signal_dbm, double noise_dbm, std::span<const double> interferer_dbm);

// LoRa time on air in ms (Semtech SX1276 datasheet §4.1.1.7): preamble (n + 4.25) T_sym plus
// 8 + max(ceil((8 PL - 4 SF + 28 + 16 CRC - 20 IH) / (4 (SF - 2 DE))) (CR + 4), 0) payload symbols,
// T_sym = 2^SF / BW. Low-data-rate optimisation DE on when T_sym >= 16 ms.
double lora_time_on_air_ms(int sf, double bandwidth_khz, int phy_payload_bytes, int coding_rate,
                           int preamble_symbols, bool explicit_header, bool crc);

// LoRa raw bit rate: SF * BW / 2^SF * 4 / (4 + CR), in bit/s.
double lora_bit_rate_bps(int sf, double bandwidth_khz, int coding_rate);

// NR rate, TS 38.306 §4.1.2: 1e-6 * v * Qm * R * N_PRB * 12 / T_s * (1 - OH), T_s = 1e-3 / (14 * 2^mu).
double nr_rate_mbps(double layers, double spectral_efficiency, int n_prb, double scs_khz, double overhead);

// DL and UL time shares of an NR TDD slot string ("DDDSU") with the special slot split into
// dl/gap/ul symbols out of 14.
std::pair<double, double> tdd_fractions(std::string_view pattern, int special_dl, int special_gap, int special_ul);

// TR 36.942 Annex A attenuated Shannon spectral efficiency (b/s/Hz) at an SNR: 0 below snr_min,
// alpha log2(1 + snr) between, se_max above snr_max.
double attenuated_shannon_se(const ShannonParams& p, double snr_db);

// ---------------------------------------------------------------------------------------------------------
// Antennas

// An antenna pattern as attenuation below boresight gain (dB >= 0) over azimuth (relative to boresight)
// and elevation (above the horizontal, positive up); electrical downtilt moves the beam below the horizon.
struct AntennaPattern {
    enum class Kind { omni, sector, table };
    Kind kind = Kind::omni;
    // sector: 3GPP TR 38.901 Table 7.3-1 shape
    double hpbw_h_deg = 65.0;
    double hpbw_v_deg = 65.0;
    double front_to_back_db = 30.0;  // A_m
    double sla_v_db = 30.0;          // SLA_V
    // table: attenuation samples (angle_deg ascending, attenuation_db), from a pattern file
    std::vector<std::pair<double, double>> azimuth;
    std::vector<std::pair<double, double>> elevation;
    double peak_gain_dbi = 0.0;      // table: the file's maximum gain
};

AntennaPattern omni_pattern();
AntennaPattern sector_pattern(double hpbw_h_deg = 65.0, double hpbw_v_deg = 65.0);

// Reads a pattern file. Format (CSV, '#' starts a comment line):
//     plane,angle_deg,gain_dbi
//     azimuth,0,17.0          # azimuth relative to boresight, -180..360 (wraps)
//     azimuth,90,3.5
//     elevation,-90,-5.0      # elevation above horizontal, -90..90
//     elevation,0,17.0
// Gains are absolute dBi (both planes must share the same peak, the boresight gain); the pattern stores
// attenuation below that peak, and the planes combine as in TR 38.901: A = min(A_az + A_el, A_m) with A_m
// the largest azimuth attenuation in the file (front-to-back ratio).
AntennaPattern load_pattern_csv(const std::filesystem::path& file);

// Attenuation below boresight gain toward (az_off_deg from boresight, el_deg above horizontal) with
// electrical downtilt tilt_deg (positive down). TR 38.901 Table 7.3-1:
// A_V = -min(12 ((theta - 90 - tilt)/theta_3dB)^2, SLA_V), A_H = -min(12 (phi/phi_3dB)^2, A_m),
// A = -min(-(A_V + A_H), A_m); table patterns use linear interpolation and the same combination.
double pattern_attenuation_db(const AntennaPattern& p, double az_off_deg, double el_deg, double tilt_deg);

// ---------------------------------------------------------------------------------------------------------
// Link budgets

struct BudgetOptions {
    bool outdoor = true;                 // regulatory: outdoor use of the band
    double location_reliability = 0.5;   // target location reliability for the fade margin
    double shadow_sigma_db = 0.0;        // model variability / shadowing sigma
    double body_loss_db = 0.0;           // at the terminal
    double interference_margin_db = 0.0; // planning allowance for interference not modelled explicitly
};

// Everything about one direction that does not depend on the path: the per-pixel solver's input.
struct Budget {
    Direction direction = Direction::downlink;
    double tx_power_dbm = 0.0;
    double tx_gain_dbi = 0.0;
    double tx_cable_loss_db = 0.0;
    double eirp_dbm = 0.0;
    double rx_gain_dbi = 0.0;
    double rx_cable_loss_db = 0.0;
    double body_loss_db = 0.0;
    double interference_margin_db = 0.0;
    double fade_margin_db = 0.0;
    double noise_bandwidth_hz = 0.0;
    double noise_figure_db = 0.0;
    double noise_floor_dbm = 0.0;
    double min_snr_db = 0.0;             // the most robust mode's requirement
    double sensitivity_dbm = 0.0;        // noise floor + min SNR
    double mapl_db = 0.0;                // maximum allowable path loss (boresight, no extra losses)
    RateModel rate_model = RateModel::mcs_table;
    std::vector<Mode> modes;             // ascending required SNR
    std::vector<int> best_upto;          // best_upto[i]: highest-rate mode among modes[0..i]
    // attenuated Shannon (when rate_model is attenuated_shannon)
    ShannonParams shannon;
    double shannon_rate_scale_mbps = 0.0;  // rate per (b/s/Hz) per layer, time share and overhead applied
    int layers = 1;
    double app_efficiency = 1.0;
};

Budget make_budget(const Technology& tech, Direction d, const BudgetOptions& options = {});

// Per pixel: received power for a path loss (and optional extra losses / antenna pattern attenuation).
inline double received_power_dbm(const Budget& b, double path_loss_db, double extra_loss_db = 0.0) {
    return b.eirp_dbm + b.rx_gain_dbi - b.rx_cable_loss_db - b.body_loss_db - path_loss_db - extra_loss_db;
}

// Per pixel: the usable mode at a planning SINR (fade and interference margins already subtracted), or
// nullptr when even the most robust mode fails. Binary search over the thresholds. An attenuated-Shannon
// budget has no modes (always nullptr): use phy/app_throughput_mbps() > 0, i.e. SINR >= min_snr_db.
const Mode* best_mode(const Budget& b, double sinr_db);

// Per pixel: PHY / application throughput in Mbit/s at a planning SINR (0 when no mode is usable).
double phy_throughput_mbps(const Budget& b, double sinr_db);
double app_throughput_mbps(const Budget& b, double sinr_db);

// One point-to-point link: the path and what it adds.
struct LinkConditions {
    double path_loss_db = 0.0;                                    // basic transmission loss (median)
    std::vector<std::pair<std::string, double>> extra_losses_db;  // named: rain, vegetation, building entry
    double base_pattern_atten_db = 0.0;      // base antenna pattern attenuation toward the terminal
    double terminal_pattern_atten_db = 0.0;  // terminal antenna pattern attenuation toward the base
    std::vector<double> dl_interferer_dbm;   // received at the terminal
    std::vector<double> ul_interferer_dbm;   // received at the base
};

// Which term ran out when a direction fails, checked in this order: without the named extra losses the
// link would close -> extra_loss; without the antenna pattern attenuation -> antenna_pattern; otherwise the
// median SNR itself is short -> path_loss; the median SNR is enough but the fade margin / interference
// allowance are not -> fade_margin; the interferers -> interference.
enum class LimitedBy { none, path_loss, extra_loss, antenna_pattern, fade_margin, interference };
std::string_view to_string(LimitedBy l);

struct DirectionResult {
    Budget budget;                     // the static terms
    double path_loss_db = 0.0;
    double pattern_atten_db = 0.0;     // base + terminal pattern attenuation
    std::vector<std::pair<std::string, double>> extra_losses_db;
    double extra_loss_db = 0.0;        // sum of the named extra losses
    double rx_power_dbm = 0.0;
    double interference_dbm = -std::numeric_limits<double>::infinity();
    double snr_db = 0.0;               // median, noise only
    double sinr_db = 0.0;              // median, noise + interference
    double planning_sinr_db = 0.0;     // sinr - fade margin - interference margin
    double margin_db = 0.0;            // planning_sinr - min_snr (>= 0: the link closes)
    int mode_index = -1;               // into budget.modes; -1: no usable mode (or attenuated Shannon)
    double mode_margin_db = 0.0;       // planning_sinr - the chosen mode's requirement
    double phy_throughput_mbps = 0.0;
    double app_throughput_mbps = 0.0;
    LimitedBy limited_by = LimitedBy::none;
    std::string reason;                // empty when the link closes

    [[nodiscard]] bool ok() const { return margin_db >= 0.0; }
    [[nodiscard]] const Mode* mode() const {
        return mode_index < 0 ? nullptr : &budget.modes[static_cast<std::size_t>(mode_index)];
    }
};

struct LinkResult {
    DirectionResult downlink;
    DirectionResult uplink;
    [[nodiscard]] bool ok() const { return downlink.ok() && uplink.ok(); }
    [[nodiscard]] std::string reason() const;  // "" or which direction and term failed
};

LinkResult evaluate_link(const Technology& tech, const LinkConditions& c, const BudgetOptions& options = {});

// The budget terms of a direction as (name, value) rows in order, for tables and JSON.
std::vector<std::pair<std::string, double>> budget_terms(const DirectionResult& r);

}  // namespace dxplan::link
