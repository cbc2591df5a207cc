// dxplan coverage: the path-loss raster of one site over a receiver grid, in two modes.
//
// Profiles are sampled at x = min(DEM native spacing, pixel size): on a grid finer than the DEM this is what the
// open tools do on a resampled DEM (SPLAT!/Signal-Server at 3600 ppd). It matters: on N35E138 a 10 % change of
// the spacing alone moves exact ITM by a median 0.8 dB / p95 4.7 dB at 92 m, 0.3 / 2.2 dB at 31 m.
//
// exact (the accuracy reference, what SPLAT!/Signal-Server compute): every pixel gets the model over its own
//   profile from the transmitter to the pixel centre: length d = the site frame's ground distance (grid.hpp:
//   within 1e-5 of the geodesic, 0.2 m at 20 km), n = ceil(d / x) intervals of d / n, heights bilinear at points
//   on the quadratic (in DEM grid coordinates) through the site, the frame's point at d / 2 on the pixel's
//   azimuth and the pixel centre (within a few cm of the geodesic). Nothing is shared between pixels; ITM runs
//   itm_analyze_profile() on that profile and then part (b) with the parameters prepared once (itm_prepare();
//   the same values as itm_p2p()), for the pixels of a grid row at once (itm_p2p_batch(), models/propagation/
//   itm_batch.hpp: AVX-512 or AVX2, within 1e-6 dB of itm_p2p_from_geometry()). The profile loops (sampling, mean height,
//   horizons, least-squares sums, delta_h's resampling and interdecile selection) have AVX-512 kernels that give
//   the bits of their portable loops (tests/unit/coverage: "vectorised profile kernels ...").
//
// fast (default; ITM): a radial sweep that evaluates ITM once per pixel but builds the terrain geometry
//   incrementally instead of re-reading and re-scanning a profile per pixel.
//   - Radials: N = base * 2^L azimuths, 2 radials per pixel of arc on the outer ring when the grid is finer than
//     the DEM (x = pixel size < DEM spacing), 4 when it is not. Level of detail: a pixel at distance d uses only
//     every 2^c-th radial, c = floor(log2(R/d)) (capped at L), so near the site the radials are not denser than
//     needed. Each pixel is assigned to the nearest such radial (at most 1/4, resp. 1/8, pixel of arc away).
//   - One profile read per radial, at spacing x, out to its farthest pixel.
//   - Pixels are visited outwards along their radial; a pixel at distance d sees the radial's samples
//     1..m, m = floor(d/x - 1/2), as its path and, as the receiver's ground, the radial's height at d (linear
//     between its samples) when the grid is finer than the DEM, else the pixel centre's own height (each choice
//     is the closer to exact on its kind of grid, see the measurements in site_loss.cpp). The geometry of itm_analyze_profile() (itm.hpp steps 1-4) is then:
//       1. mean path height: prefix sums (exact for that path);
//       2. tx horizon: running arg-max; rx horizon: tangent from the receiver to the upper convex hull of
//          (d_i, z_i - gamma d_i^2 / 2) (O(log n)). Approximation: the candidates are chosen with the curvature
//          gamma of the whole radial's mean height and the angles then computed with the path's own gamma
//          (they differ only where two candidates tie to within that difference; gamma moves < 0.5 %);
//       3. delta_h: itm_delta_h_m() on the radial's prefix every ~500 m (foreground of the receiver taken as
//          min(15 h_rx, 0.1 d)), on every 2^s-th radial (about 200 m apart on the outer ring), shared by its
//          neighbours and linear in d between (approximation); within 1 km of the site, per pixel over the
//          radial's samples up to the pixel with the pixel's own horizons;
//       4. least-squares fits: prefix sums of z_i and i z_i, the receiver at index m + 1 (the last interval
//          stretched to d - m x);
//     then part (b) for all the pixels of the radial at once (itm_p2p_batch(), as in exact mode).
//   So fast differs from exact by (a) the path (and on fine grids the receiver point) being on the nearest radial
//   (at most 1/4 pixel to the side at the outer ring) with samples at k x instead of the pixel's own line at
//   d / n, (b) the delta_h interpolation and (c) the horizon tie approximation. (a) dominates. The benchmark
//   measures the difference (README "Performance").
// Other models: profile models are evaluated per pixel as in exact mode (fast = exact for them).
// Distance-only models (no profile) are computed per pixel in both modes.
// Parallel: OpenMP over radials and rows (dynamic scheduling); each output value is written by one iteration
// from inputs that do not depend on scheduling, so results are bit-identical for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libsim/core/cancel.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::coverage {

enum class Mode { fast, exact };
Mode parse_mode(std::string_view text);  // "fast" | "exact"; InputError otherwise
std::string_view to_string(Mode mode);

// Warning bits stored per pixel (SiteLoss::warnings): ITM's itm_warning bits as they are; for other models
// kAnyWarning when the model reported any warning; kModelError when the model rejected the pixel's path.
inline constexpr std::uint32_t kAnyWarning = 0x10000;
inline constexpr std::uint32_t kModelError = 0x80000000;

struct SiteLossSpec {
    LatLon site;
    double h_tx_m = 30.0;        // antenna heights above local ground
    double h_rx_m = 1.5;
    // Receiver height from land cover (optional; not owned, must outlive the call): a pixel's receiver is
    // max(h_rx_m, the clutter height of the class of the land-cover cell containing its centre) above ground;
    // nodata, classes missing from the table and pixels outside the land cover keep h_rx_m. In fast mode the
    // shared delta_h tables keep h_rx_m for the receiver's foreground (min(15 h_rx, 0.1 d)).
    const LandCover* rx_clutter = nullptr;
    double radius_m = 0.0;       // pixels whose centre is farther are NaN
    std::string model = "itm";   // a registry name (models/propagation/registry.cpp)
    prop::LossQuery params;      // f_mhz and the model's parameters; distance, profile and heights are set per pixel
    Mode mode = Mode::fast;
    bool keep_warnings = false;  // fill SiteLoss::warnings
    const CancelToken* cancel = nullptr;  // (optional) polled per row / radial; a cancelled run throws Cancelled
};

// The receiver height above ground at `p` (SiteLossSpec::rx_clutter): max(h_rx_m, the clutter height of the
// land-cover class at p), or h_rx_m without land cover, outside it, on nodata or an unknown class.
[[nodiscard]] double receiver_height_m(const LandCover* rx_clutter, double h_rx_m, LatLon p);

struct SiteLoss {
    GeoGrid loss_db;                      // basic transmission loss, NaN outside the radius or the terrain
    std::vector<std::uint32_t> warnings;  // per pixel (empty unless keep_warnings)
    std::size_t pixels = 0;               // pixels with a value
    std::size_t model_calls = 0;          // model evaluations (fast: samples evaluated on radials)
    std::size_t radials = 0;              // fast mode, profile models
};

// Computes the site's loss on `grid` (its geometry only; its values are ignored), e.g. the grid of
// make_receiver_grid(). Throws InputError for bad parameters (checked once before the sweep) or a site outside
// the terrain.
SiteLoss compute_site_loss(const Terrain& terrain, const SiteLossSpec& spec, const GeoGrid& grid);

}  // namespace dxplan::coverage
