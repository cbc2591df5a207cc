// dxplan route layer: service along a driving route (Level-4 driverless vehicles, programme item 2-3).
//
// A route (GeoJSON LineString / MultiLineString, or a GPX track) is sampled every spacing_m along the WGS84
// geodesic between its vertices (libsim/geo). At every sample and for every technology of the network (the
// cells the `dxplan run` comparison chose, with their path-loss windows on the run's area grid):
//   path loss L_s to cell s = the cell's loss window at the sample, bilinear between pixel centres (so at a
//     pixel centre it is exactly the service maps' value), plus
//     - the antenna pattern attenuation of a sector cell (coverage::antenna_attenuation_db, the service maps'),
//     - the vehicle antenna height when it differs from the maps' receiver height, and the snow depth: the
//       run's propagation model over the geodesic profile cell -> sample, L(h_tx - snow, h_veh - snow) -
//       L(h_tx, h_map) added to the window's loss (snow raises the ground of the whole profile; the masts and
//       the vehicle's antenna keep their absolute heights: the road is cleared, the fields beside it are not),
//     - foliage: ITU-R P.833-10 sec. 2.1 eq. (1)-(2) woodland loss (one terminal in woodland) with d = the
//       land-cover forest contiguous from the vehicle toward the cell, at most (canopy height - antenna height) /
//       tan(elevation of the cell's antenna) and FoliageParams::max_depth_m; gamma in leaf, bare (x bare_factor),
//       bare with wet snow on the branches (x wet_snow_factor),
//     - rain: ITU-R P.838-3 gamma_R (vertical polarization, horizontal path) x the whole path length,
//     - the in-vehicle penetration loss (0 for a roof antenna);
//   received power, SNR, DL SINR, UL SINR, modes and throughput from those losses with the coverage layer's
//     per-point formulas (coverage/point_service.hpp: the same code the service maps use);
//   serving cell from the handover state machine (handover.hpp), not simply the strongest.
// The requirement (requirement.hpp) is checked per sample; failing runs become outage segments with a cause;
// reliability turns the median SINR margin into a probability with the budget's log-normal sigma.
//
// Everything is a pure function of its inputs; samples are independent and computed in parallel (OpenMP) into
// their own slots, so the result does not depend on the thread count.
#pragma once

#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "libsim/coverage/multi_site.hpp"
#include "libsim/link/link.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::route {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------------------
// Geometry

struct RouteGeometry {
    std::vector<std::vector<LatLon>> parts;  // driven in order; a gap between parts is not driven
    std::vector<LatLon> intersections;       // points given in the file (GeoJSON Point features)
};

// Reads a GeoJSON file (LineString / MultiLineString features form the route in file order; Point features are
// intersections) or a GPX file (its tracks, then its routes; waypoints are intersections), EPSG:4326.
// Throws InputError naming the file: unreadable, no line, any other geometry type ("must be a LineString or
// MultiLineString"), a part with fewer than 2 distinct points.
RouteGeometry read_route_file(const std::filesystem::path& file);

// Route vertices where a road meets the route: a road end (or a vertex of a road that otherwise stays away
// from the route) within tolerance_m of a route vertex, the route's own first and last vertex excepted;
// deduplicated within 2 tolerance_m.
std::vector<LatLon> intersections_from_roads(const RouteGeometry& route, const std::vector<std::vector<LatLon>>& roads,
                                             double tolerance_m = 10.0);

// A speed from route distance from_m on (the first entry must start at 0).
struct SpeedSegment {
    double from_m = 0.0;
    double speed_kmh = 40.0;
};

struct Sample {
    LatLon pos;
    double s_m = 0.0;      // distance along the route (parts concatenated)
    double t_s = 0.0;      // driving time from the start
    double speed_mps = 0.0;
    double step_m = 0.0;   // length this sample stands for (half the gaps to its neighbours; sums to the length)
    int part = 0;
};

// Samples every spacing_m along each part (the geodesic between consecutive vertices; a part's first vertex is
// its first sample and its last vertex its last). Throws InputError (naming `where`) for spacing_m <= 0,
// a speed <= 0, a zero-length route, or a self-overlapping route (more than 50 m of the route within
// spacing_m / 2 + 0.5 m of another stretch of itself at least 4 spacings away along it: a route driven back
// over itself; crossings are allowed).
std::vector<Sample> sample_route(const RouteGeometry& route, double spacing_m, const std::vector<SpeedSegment>& speeds,
                                 const std::string& where);

// ---------------------------------------------------------------------------------------------------------
// The network the vehicle drives through

struct Cell {
    coverage::SiteRadio radio;  // position, mast height, antenna (sector) and channel
    GeoGrid loss_db;            // path loss window (NaN outside the site's radius), georeferenced
    double ul_interference_dbm = -std::numeric_limits<double>::infinity();  // I_ul at the cell (service maps)
};

struct NetworkTechnology {
    std::string label;                  // the technology, "<mix>.<profile>" for a mix member
    link::Technology tech;
    link::BudgetOptions budget;         // as the service maps (location reliability, sigma, margins)
    std::vector<Cell> cells;            // in the service maps' cell order
    double latency_ms = kNoValue;       // the technology's end-to-end latency (economics family defaults)
};

struct PropagationContext {
    const Terrain* terrain = nullptr;
    const LandCover* land_cover = nullptr;  // foliage conditions need it (no land cover: no woodland)
    std::string model = "itm";              // the run's model (height and snow corrections)
    prop::LossQuery params;                 // its parameters (f_mhz set per technology)
    double map_h_rx_m = 1.5;                // the receiver height of the loss windows
};

// ---------------------------------------------------------------------------------------------------------
// Route options

struct HandoverParams {
    double hysteresis_db = 3.0;       // A3 offset (TS 38.331 sec. 5.5.4.4: Mn > Ms + Off)
    double time_to_trigger_ms = 160;  // TS 38.331 timeToTrigger (one of its values: 0 .. 5120 ms)
    double ping_pong_s = 1.0;         // back to the previous cell within this time: ping-pong (TR 36.839 MTS = 1 s)
};

struct Requirement {
    int cameras = 4;                  // uplink video streams
    double camera_mbps = 4.0;         // per stream
    double telemetry_mbps = 0.2;
    double control_ul_mbps = 0.1;
    double edge_ul_mbps = kNoValue;   // edge-processed profile: this uplink rate replaces cameras x bit rate
    double dl_control_mbps = 0.5;     // remote-monitoring control, downlink
    double latency_ms = 100.0;        // bound on the user-plane round trip
    [[nodiscard]] double ul_mbps() const {
        return (edge_ul_mbps == edge_ul_mbps ? edge_ul_mbps : cameras * camera_mbps) + telemetry_mbps + control_ul_mbps;
    }
};

struct Condition {
    std::string name;
    bool foliage_in_leaf = true;
    bool wet_snow_on_foliage = false;
    double snow_depth_m = 0.0;
    double rain_mm_per_h = 0.0;
};

struct FoliageParams {
    double gamma_leaf_db_per_m = 0.3;  // specific attenuation in leaf (P.833-10 Fig. 2 order of magnitude; docs/routes.md)
    double bare_factor = 0.7;          // gamma out of leaf / in leaf (docs/routes.md)
    double wet_snow_factor = 1.5;      // gamma with wet snow on bare branches / bare (docs/routes.md)
    double max_depth_m = 200.0;        // woodland looked at toward the cell, at most
    double step_m = 10.0;              // land-cover step along that line
};

struct RouteOptions {
    double spacing_m = 5.0;
    double vehicle_antenna_h_m = 1.5;
    double penetration_loss_db = 0.0;  // in-vehicle antenna: TR 38.901 sec. 7.4.3.2 car penetration mu = 9 dB
    std::vector<SpeedSegment> speeds = {{0.0, 40.0}};
    HandoverParams handover;
    Requirement requirement;
    double time_sigma_db = 0.0;        // time variability added to the budget's location sigma (root sum square)
    double decorrelation_m = 50.0;     // shadowing decorrelation distance (TR 38.901 Table 7.5-6 RMa: 37 / 120 m)
    double intersection_radius_m = 50.0;
    FoliageParams foliage;
    std::vector<Condition> conditions = {{"summer", true, false, 0.0, 0.0}};
    double sun_beamwidth_deg = 2.0;    // backhaul antennas' half-power beamwidth (0.6 m dish at 18 GHz: 70 lambda / D = 1.9 deg)
    int sun_year = 2026;               // calendar year of the sun-transit count (UTC)
};

struct RouteSpec {
    std::string id;
    std::filesystem::path file;
    RouteGeometry geometry;
    RouteOptions options;
};

// Checks the options; throws InputError "<where>: <field> = v: must be in [...]".
void validate_options(const RouteOptions& o, const std::string& where);

// ---------------------------------------------------------------------------------------------------------
// Results

enum class Cause { none, coverage, interference, capacity, handover, latency };
std::string_view to_string(Cause c);

struct SamplePoint {
    int serving = -1;               // cell index (NetworkTechnology::cells), -1: none reaches
    int best = -1;                  // strongest cell
    double rx_power_dbm = kNoValue; // serving cell, RSRP for NR, RSSI else
    double snr_db = kNoValue;
    double sinr_db = kNoValue;      // downlink, serving cell
    double ul_sinr_db = kNoValue;
    int dl_mode = -1;
    int ul_mode = -1;
    double dl_mbps = 0.0;
    double ul_mbps = 0.0;
    double margin_db = kNoValue;    // planning SINR minus the SINR the required rates need (min of DL, UL)
    double p_meet = 0.0;            // probability of meeting the requirement (log-normal variability)
    double extra_loss_db = 0.0;     // condition and vehicle losses toward the serving cell
    bool meets = false;
    Cause cause = Cause::none;
};

struct Handover {
    double s_m = 0.0;
    double t_s = 0.0;
    int from = -1;
    int to = -1;
    bool ping_pong = false;
};

struct Outage {
    double start_m = 0.0;
    double end_m = 0.0;
    double length_m = 0.0;
    double duration_s = 0.0;
    Cause cause = Cause::none;
};

struct IntersectionStat {
    LatLon pos;
    double s_m = 0.0;               // nearest sample
    double worst_margin_db = kNoValue;
    double worst_s_m = 0.0;
    double p_through = 0.0;         // probability the requirement holds through the radius at the vehicle's speed
    double time_through_s = 0.0;
    bool met = false;               // every sample within the radius meets it
};

struct Track {  // one technology under one condition
    std::string label;
    std::string condition;
    std::vector<SamplePoint> samples;
    std::vector<Handover> handovers;
    int ping_pongs = 0;
    double handovers_per_km = 0.0;
    double interruption_ms = kNoValue;  // per handover, from the technology profile
    std::vector<Outage> outages;
    double share_length = 0.0;         // of route length meeting the requirement
    double share_time = 0.0;            // of driving time
    double mean_p_meet = 0.0;           // expected share of samples meeting it
    double p_route = 0.0;               // whole route meets it (blocks of decorrelation_m independent)
    std::vector<IntersectionStat> intersections;
};

// Sun transits on the wireless backhaul hops that end at a cell serving the route (sun.hpp), per technology.
struct SunHop {
    LatLon a, b;
    std::string link;                 // backhaul link technology
    double minutes_a = 0.0;           // per year, the antenna at a (pointing at b)
    double minutes_b = 0.0;
    int days = 0;                     // days with an outage at either end
};
struct SunReport {
    std::string label;
    double beamwidth_deg = 0.0;
    std::vector<SunHop> hops;
    double minutes_per_year = 0.0;    // sum over the hops' ends (overlaps counted twice: an upper bound)
};

struct RouteResult {
    std::string id;
    double length_m = 0.0;
    double duration_s = 0.0;
    double ul_required_mbps = 0.0;
    double dl_required_mbps = 0.0;
    std::vector<Sample> samples;
    std::vector<LatLon> intersections;
    std::vector<std::vector<std::string>> cell_ids;  // per technology
    std::vector<Track> tracks;                        // technology-major, conditions in options order
    std::vector<SunReport> sun;                       // (route stage) per technology with wireless backhaul hops
};

// Evaluates a route over the network. Throws InputError (naming the route's file) for a sample outside the
// terrain or bad options.
RouteResult evaluate_route(const RouteSpec& route, const std::vector<NetworkTechnology>& network,
                           const PropagationContext& ctx);

}  // namespace dxplan::route
