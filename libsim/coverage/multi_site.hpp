// dxplan coverage: many sites, several technologies, combined into best-server, SNR/SINR and throughput maps.
//
// Per site the path loss is computed over the part of the area grid within its radius (compute_site_loss, fast or
// exact), sites in parallel (OpenMP, dynamic), and folded into per-technology accumulators in site order, so the
// result does not depend on the thread count. Only `batch` site windows are alive at a time (batch = the thread
// count), never one full raster per site, unless keep_site_loss asks for them.
//
// Antennas. A site without `antenna` is omni. With one, the coupling loss toward a pixel is the path loss plus
// the pattern attenuation below boresight, link::pattern_attenuation_db() (omni, the 3GPP TR 38.901 Table 7.3-1
// sector pattern link::sector_pattern(), or a pattern file link::load_pattern_csv()), with
//   horizontal angle = the geodesic's forward azimuth at the site toward the pixel, minus azimuth_deg; the
//     azimuth is SiteFrame's mean (mid-latitude) azimuth minus half the meridian convergence,
//     dlambda sin(phi_m) / 2 (Gauss mid-latitude formulas; against geodesic_inverse up to 60 deg latitude:
//     <= 7e-5 deg at 20 km, 4e-4 deg at 50 km, where the mean azimuth alone is off by up to 0.16 / 0.39 deg);
//   elevation = atan2((z_px + h_rx) - (z_site + h_tx), d) - d / (2 k a), k = 4/3 (the ray's drop below the
//     horizontal over a curved earth, as `dxplan link` does), z the terrain heights (bilinear) at the site and
//     the pixel centre, d the ground distance; the pattern is evaluated at that elevation with downtilt_deg
//     (electrical and mechanical tilt are treated alike: the beam is steered down by downtilt_deg).
// The boresight gain is the technology's base-station antenna gain (the budget); the pattern adds only the
// attenuation (a pattern file's own peak gain is not used). The same coupling loss serves both directions
// (reciprocity). Sectors: several SiteRadio entries at the same position with different azimuths; each is a
// cell of its own and interferes like any other site of its technology and channel.
//
// Per pixel and technology (link budgets from libsim/link, one per direction, shared by the technology's sites):
//   received power P_s = received_power_dbm(downlink budget, loss_s, pattern attenuation_s) of each site s;
//   best server = the site with the largest P_s (lowest index on ties);
//   reported power = P_best as RSSI, or for NR as RSRP = P_best - 10 log10(12 N_PRB) (power per resource element,
//     TS 38.215 §5.1.1, the carrier's power spread evenly over its 12 N_PRB subcarriers);
//   SNR = P_best - N (noise floor of the downlink budget);
//   SINR = P_best - 10 log10(N + sum of P_s over the other sites of the same technology and channel) (mW sum);
//   downlink mode and throughput at the planning SINR = SINR - fade margin - interference margin
//     (link::best_mode, link::app_throughput_mbps);
//   uplink SINR = U_best - 10 log10(N_ul + I_ul(best)), U_s = received_power_dbm(uplink budget, loss_s,
//     pattern attenuation_s) the terminal's power received at site s; uplink mode and throughput at the
//     planning SINR = uplink SINR - fade margin - interference margin.
// Uplink interference (full load, one active terminal per cell, no power control): in every other cell j of
// the server's technology and channel one terminal transmits at full power from a uniformly random pixel of the
// area j serves (its best-server pixels whose planning downlink SINR reaches the most robust mode, i.e. where a
// terminal can attach); I_ul(s) is its expected power at site s, summed over those cells:
//     I_ul(s) = sum_{j != s, same channel} (1 / |C_j|) sum_{i in C_j} 10^(U_s(i) / 10)   [mW]
// with the term 0 where pixel i is beyond site s's radius. The means run over the lattice of every k-th row
// and column of the area grid, k = ceil(sqrt(pixels / 2^18)) (k = 1, every pixel, up to 262,144 pixels), so
// the memory kept for the second pass is a float per lattice pixel of each site's window, only for sites with
// a co-channel neighbour. I_ul is per site (the interference is at the base station), computed after the
// downlink pass, summed in a fixed order: deterministic for any thread count. The terminals transmit on the
// same resources as the server's own (co-channel, full overlap, 100 % load). The budgets' interference margins
// are still subtracted in both directions (allowance for interference not modelled, e.g. other systems).
// A pixel is covered by a technology when its downlink mode exists (planning SINR >= the most robust mode's SNR)
// and its uplink mode exists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/site_loss.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::coverage {

struct SiteAntenna {
    double azimuth_deg = 0.0;   // boresight, clockwise from true north, [0, 360)
    double downtilt_deg = 0.0;  // below the horizontal (negative: uptilt), [-90, 90]
    link::AntennaPattern pattern = link::sector_pattern();
};

struct SiteRadio {
    std::string id;
    LatLon pos;
    double h_tx_m = 30.0;
    int technology = 0;  // index into MultiSiteSpec::technologies
    int channel = 0;     // sites of the same technology and channel interfere
    std::optional<SiteAntenna> antenna;  // none: omni
};

struct MultiSiteSpec {
    std::vector<SiteRadio> sites;
    std::vector<link::Technology> technologies;
    link::BudgetOptions budget;  // location reliability, shadow sigma (fade margin), margins
    GeoGrid grid;                // the area grid (geometry only)
    double radius_m = 10'000.0;  // per-site computation radius
    double h_rx_m = 1.5;
    std::string model = "itm";
    prop::LossQuery params;      // model parameters (f_mhz is each technology's centre frequency)
    Mode mode = Mode::fast;
    bool keep_site_loss = false; // keep every site's loss window (memory grows with the site count)
};

inline constexpr std::int16_t kNone = -1;

struct TechnologyMaps {
    std::string technology;
    bool rsrp = false;                     // rx_power_dbm holds RSRP (NR) rather than RSSI
    GeoGrid rx_power_dbm;                  // NaN where no site reaches
    std::vector<std::int16_t> best_server; // site index, kNone
    GeoGrid snr_db;
    GeoGrid sinr_db;                       // downlink
    GeoGrid ul_sinr_db;                    // at the best server, with the uplink interference I_ul
    std::vector<std::int16_t> dl_mode;     // index into the downlink budget's modes, kNone: no service
    std::vector<std::int16_t> ul_mode;
    GeoGrid dl_throughput_mbps;            // application layer
    GeoGrid ul_throughput_mbps;
    link::Budget downlink;
    link::Budget uplink;

    [[nodiscard]] bool covered(std::size_t i) const { return dl_mode[i] != kNone && ul_mode[i] != kNone; }
};

struct SiteWindow {  // one site's loss over its part of the area grid
    int row0 = 0;
    int col0 = 0;
    GeoGrid loss_db;
};

struct CoverageMaps {
    std::vector<TechnologyMaps> technologies;  // in MultiSiteSpec::technologies order
    std::vector<SiteWindow> site_loss;         // when keep_site_loss (path loss, without the antenna pattern)
    std::vector<double> ul_interference_dbm;   // I_ul per site (MultiSiteSpec::sites order); -inf: none
    std::size_t model_calls = 0;
};

// Throws InputError for a site outside the terrain, a bad technology index or channel, an antenna azimuth or
// downtilt out of range, or bad model parameters.
CoverageMaps compute_coverage(const Terrain& terrain, const MultiSiteSpec& spec);

// The same combination from path-loss windows computed elsewhere (e.g. by the `dxplan run` pipeline, which keeps
// every candidate's loss): site_loss[s] is spec.sites[s]'s window (row0/col0 on spec.grid; nullptr or empty: the
// site reaches no pixel); several sites may share one window (the sectors of one mast). spec.radius_m, model,
// params, mode and keep_site_loss are not used; model_calls stays 0. Throws InputError as compute_coverage
// does, or when a window does not fit the grid.
CoverageMaps combine_coverage(const Terrain& terrain, const MultiSiteSpec& spec, std::span<const SiteWindow* const> site_loss);

// The part of `grid` within radius_m of the site (its geometry only; rows == 0: none).
[[nodiscard]] SiteWindow site_window(const GeoGrid& grid, LatLon site, double radius_m);

// Pattern attenuation below boresight (dB) of the site's antenna toward a receiver h_rx_m above the ground at p,
// as described above (0 for an omni site); frame = SiteFrame(site.pos), z_tx_m = ground at the site + h_tx_m.
[[nodiscard]] double antenna_attenuation_db(const Terrain& terrain, const SiteRadio& site, const SiteFrame& frame,
                                            double z_tx_m, double h_rx_m, LatLon p);

}  // namespace dxplan::coverage
