// dxplan backhaul: is a point-to-point hop feasible over the terrain, and why not.
//
// For a radio hop between two masts (assess_hop / assess_link):
//  1. Clearance: terrain (libsim/geo profile) plus clutter heights from the land cover, against the straight
//     ray between the antennas with the earth's bulge d1 d2 / (2 k a) (geo::earth_bulge_m) at two k-factors:
//     at k_median (4/3) a fraction f1_fraction_median (0.6) of the first Fresnel zone radius
//     (geo::fresnel_radius_m) must be clear, at k_worst (2/3) a fraction f1_fraction_worst (0: grazing).
//     The point that intrudes most into either requirement is reported (distance from A, ground and clutter
//     heights, metres of intrusion, which check). A hop failing either check is rejected.
//  2. Path loss = free space (P.525) + diffraction by the Deygout construction (P.526-16 sec. 4.5.2, ground +
//     clutter profile, k_median; about 0 dB when 0.6 F1 is clear) + gaseous absorption (P.676 Annex 1,
//     standard atmosphere; decisive at 60 GHz).
//  3. Fade margin = receive level - receiver threshold of the top modulation; <= 0 dB rejects the hop.
//  4. Availability = 100 - (rain outage + multipath outage) % of an average year (P.530-18 sec. 2.4.1 rain with
//     P.838-3; P.530-16 sec. 2.3.1 multipath, 2.3.4 worst month -> year), for the region's R0.01 and dN1.
//     Below the target, the hop is rejected with the margin that would be needed.
// An access_radio hop (Local 5G, HaLow used as backhaul) has the same path loss (2.), then its access profile's
// link budget (libsim/link evaluate_link, both directions, the hop's antennas as overrides) with the
// technology's fade margin as an extra loss: feasible when both directions close at some mode; its capacity is
// the downlink application throughput of the mode reached (SNR -> mode -> throughput). No clearance rule
// rejects it (diffraction is in the path loss) and no P.530 availability is computed for it (warning).
// A fibre link is always feasible; its length is the straight line times the technology's detour factor.
// Pure functions; thread safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "libsim/core/profile.hpp"
#include "libsim/network/backhaul_technology.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan::net {

// The path of a hop: ground profile from A (index 0) to B, clutter height above ground at each sample (empty:
// none), antenna heights above ground at both ends.
struct HopPath {
    ProfileView ground;
    std::span<const double> clutter_m;
    double h_a_m = 0.0;
    double h_b_m = 0.0;
};

// The profile point that comes closest to (or intrudes into) a required clearance.
struct Obstruction {
    double d_m = 0.0;          // from end A
    double ground_m = 0.0;     // terrain height amsl
    double clutter_m = 0.0;    // clutter above ground
    double clearance_m = 0.0;  // ray height - (ground + clutter + bulge); < 0: line of sight blocked
    double required_m = 0.0;   // f1_fraction x F1 radius there
    double intrusion_m = 0.0;  // required - clearance; > 0: the check fails
    double k_factor = 0.0;     // the check's k
    double f1_fraction = 0.0;  // the check's required fraction of F1
};

// The worst point of one clearance check over interior points (first and last excluded). A path of fewer than
// three points has no interior point: intrusion -infinity.
[[nodiscard]] Obstruction worst_obstruction(const HopPath& path, double f_ghz, double k_factor, double f1_fraction);

struct HopAssessment {
    bool feasible = true;
    std::string reason;             // why not, one line; empty when feasible
    double length_m = 0.0;          // path length (fibre: route length, along the roads or with the detour factor)
    std::vector<LatLon> route;      // fibre along the roads: the route from A to B (empty: straight)
    double clearance_f1 = 0.0;      // smallest clearance / F1 at k_median (the 0.6 criterion)
    double min_clearance_m = 0.0;   // smallest clearance at k_median
    Obstruction worst;              // the point intruding most into either check (or closest to doing so)
    double fspl_db = 0.0;
    double diffraction_db = 0.0;
    double gas_db = 0.0;
    double path_loss_db = 0.0;
    double rx_level_dbm = 0.0;
    double fade_margin_db = 0.0;      // access_radio: planning SNR margin over the most robust mode, worse direction
    double required_margin_db = 0.0;  // margin giving the target availability (when computed)
    double availability_pct = 100.0;  // access_radio: NaN (not assessed; its fade margin is held instead)
    double capacity_mbps = 0.0;       // access_radio: downlink application throughput from the link budget
    double uplink_mbps = 0.0;         // access_radio: uplink application throughput
    double rain_outage_pct = 0.0;
    double multipath_outage_pct = 0.0;
    std::vector<std::string> warnings;
};

// A radio or access_radio hop over a given path (synthetic or extracted). InputError for a fibre technology.
// latitude_deg: for the P.530 worst-month to year conversion.
[[nodiscard]] HopAssessment assess_hop(const HopPath& path, const BackhaulTechnology& tech, const DesignCriteria& criteria,
                                       double latitude_deg);

struct HopEnd {
    LatLon pos;
    double mast_height_m = 0.0;
};

// Ground heights and clutter heights (land cover; nullptr = none) at the criteria's profile spacing between
// two points. InputError when a point is outside the terrain.
struct ExtractedPath {
    Profile ground;
    std::vector<double> clutter_m;
};
[[nodiscard]] ExtractedPath extract_path(const Terrain& terrain, const LandCover* land_cover, LatLon a, LatLon b,
                                         double spacing_m);

// A link of any technology between two masts over the terrain.
[[nodiscard]] HopAssessment assess_link(const Terrain& terrain, const LandCover* land_cover, const HopEnd& a,
                                        const HopEnd& b, const BackhaulTechnology& tech, const DesignCriteria& criteria);

}  // namespace dxplan::net
