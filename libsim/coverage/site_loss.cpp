#include "libsim/coverage/site_loss.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include <omp.h>

#include "libsim/core/error.hpp"
#include "libsim/core/numbers.hpp"
#include "libsim/core/memory.hpp"
#include "libsim/core/units.hpp"
#include "libsim/coverage/dem_line.hpp"
#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/itm_radial.hpp"
#include "models/propagation/itm.hpp"
#include "models/propagation/itm_batch.hpp"

namespace dxplan::coverage {

namespace {

inline constexpr float kNaN = kNaN_f;  // libsim/core/numbers.hpp
inline constexpr int kBaseRadials = 64;   // radials evaluated down to the site (level-of-detail floor)
inline constexpr double kMinPath_m = 1.0;  // a pixel at the site itself is evaluated at this distance
// fast mode (measured on N35E138, README "Performance"): 2 radials per pixel of arc on the outer ring when the grid
// is finer than the DEM, 4 when it is as coarse (the pixel-to-radial offset dominates the difference to exact; on
// a 1" grid 4 instead of 2 moves p95 |diff| only from 1.8 to 1.7 dB), delta_h tabulated every ~500 m. Within two strides of
// the site delta_h is computed per pixel. The tables are computed on every 2^s-th radial, about 200 m apart on
// the outer ring, and shared with the neighbours (on a 1" grid every 16th radial, 8 pixels; 100 m apart instead:
// median |diff| 0.097 instead of 0.110 dB for 4 % more time; on a 3" grid 50 m: 0.24 instead of 0.30 dB).
inline constexpr double kRadialsPerPixel = 2.0;         // grid finer than the DEM
inline constexpr double kRadialsPerPixelCoarse = 4.0;   // grid as coarse as the DEM (cheap there)
inline constexpr double kDeltaHStride_m = 500.0;
inline constexpr double kDeltaHTableSpacing_m = 200.0;

enum class Kernel { itm, profile_model, distance_model };

struct Context {
    const SiteLossSpec& spec;
    const prop::ModelInfo& model;
    Kernel kernel;
    prop::ItmParams itm_params;
    prop::ItmPrepared itm;  // itm_prepare(itm_params, the spec's variability)
    SiteFrame frame;
    DemSampler dem;
    double spacing_m;  // profile spacing: min(DEM native spacing, pixel size)
    double dem_spacing_m;
};

std::uint32_t warning_bits(const prop::LossResult& r) { return r.warnings.empty() ? 0u : kAnyWarning; }

// One model evaluation on a profile (profile models other than ITM, see per_pixel()) or a distance (distance
// models). Never throws: a path the model rejects is NaN with kModelError.
float evaluate(const Context& c, ProfileView profile, double d_m, double h_rx_m, std::uint32_t& warn) {
    try {
        prop::LossQuery q = c.spec.params;
        q.h_tx_m = c.spec.h_tx_m;
        q.h_rx_m = h_rx_m;
        q.lat_deg = c.frame.site().lat_deg;  // P.1812 / P.452 path location: the site
        q.lon_deg = c.frame.site().lon_deg;
        q.d_m = d_m;
        q.profile = profile;
        const prop::LossResult r = c.model.compute(q);
        warn = warning_bits(r);
        return static_cast<float>(r.loss_db);
    } catch (const Error&) {
        warn = kModelError;
        return kNaN;
    }
}

// Visits the pixels of one grid row: visit(col, lat_deg, lon_deg, x_m, y_m), (x_m, y_m) the pixel centre east and
// north of the site in the site frame's local metres.
template <class Visit>
void for_each_in_row(const SiteFrame& frame, const GeoGrid& grid, int row, Visit&& visit) {
    const double lat_deg = grid.north_deg - row * grid.dlat_deg;
    double ky = 0.0, kx = 0.0;
    frame.metres_per_rad(lat_deg, ky, kx);
    const double y_m = ky * deg_to_rad(lat_deg - frame.site().lat_deg);
    for (int col = 0; col < grid.cols; ++col) {
        const double lon_deg = grid.west_deg + col * grid.dlon_deg;
        visit(col, lat_deg, lon_deg, kx * deg_to_rad(lon_deg - frame.site().lon_deg), y_m);
    }
}

// exact mode (and distance models in both modes): one evaluation per pixel.
void per_pixel(const Context& c, const GeoGrid& grid, SiteLoss& out) {
    const double radius_m = c.spec.radius_m;
    const bool keep = c.spec.keep_warnings;
    std::size_t calls = 0;
#pragma omp parallel reduction(+ : calls)
    {
        std::vector<double> z;
        // ITM: the geometry of each pixel of the row (itm_analyze_profile), then part (b) for the whole row at once
        // (itm_p2p_batch; a pixel's value does not depend on the others of the row).
        prop::ItmGeometryBuffer geometries;
        std::vector<std::size_t> geometry_pixel;
        std::vector<double> batch_loss_db;
        std::vector<std::uint32_t> batch_warnings;
#pragma omp for schedule(dynamic, 1)
        for (int row = 0; row < grid.rows; ++row) {
            if (cancel_requested(c.spec.cancel)) continue;  // (the rest of the loop is skipped; thrown after it)
            geometries.clear();
            geometry_pixel.clear();
            // for_each_in_row's latitude of the row, reduced once for the midpoints
            const SiteFrame::Reduced row_reduced = SiteFrame::reduced_latitude(grid.north_deg - row * grid.dlat_deg);
            for_each_in_row(c.frame, grid, row, [&](int col, double lat_deg, double lon_deg, double x_m, double y_m) {
                const double d_m = std::sqrt(x_m * x_m + y_m * y_m);
                if (d_m > radius_m) return;
                const std::size_t idx = static_cast<std::size_t>(row) * grid.cols + col;
                std::uint32_t warn = 0;
                float loss = kNaN;
                const double dp_m = std::max(d_m, kMinPath_m);
                const double h_rx_m = receiver_height_m(c.spec.rx_clutter, c.spec.h_rx_m, {lat_deg, lon_deg});
                if (c.kernel == Kernel::distance_model) {
                    loss = evaluate(c, {}, dp_m, h_rx_m, warn);
                    ++calls;
                } else {
                    // The reference path: the geodesic to the pixel, its length from the site frame (within 1e-5) and
                    // its midpoint for the quadratic in grid coordinates (see grid.hpp).
                    const LatLon mid = c.frame.midpoint({lat_deg, lon_deg}, row_reduced);
                    const int n = std::max(1, static_cast<int>(std::ceil(dp_m / c.spacing_m)));
                    z.resize(static_cast<std::size_t>(n) + 1);
                    if (c.dem.line(c.frame.site(), mid, {lat_deg, lon_deg}, n, z.data())) {
                        ++calls;
                        if (c.kernel == Kernel::itm) {
                            try {
                                geometries.push_back(prop::itm_analyze_profile(ProfileView(dp_m / n, z), c.spec.h_tx_m,
                                                                               h_rx_m, c.itm_params.n0));
                                geometry_pixel.push_back(idx);
                                return;  // written below with the row's batch
                            } catch (const Error&) {
                                warn = kModelError;
                            }
                        } else {
                            loss = evaluate(c, ProfileView(dp_m / n, z), dp_m, h_rx_m, warn);
                        }
                    }
                }
                out.loss_db.values[idx] = loss;
                if (keep) out.warnings[idx] = warn;
            });
            if (geometry_pixel.empty()) continue;
            batch_loss_db.resize(geometry_pixel.size());
            batch_warnings.resize(geometry_pixel.size());
            prop::itm_p2p_batch(c.itm, geometries.view(), batch_loss_db, batch_warnings);
            for (std::size_t k = 0; k < geometry_pixel.size(); ++k) {
                out.loss_db.values[geometry_pixel[k]] = static_cast<float>(batch_loss_db[k]);
                if (keep) out.warnings[geometry_pixel[k]] = batch_warnings[k];
            }
        }
    }
    out.model_calls = calls;
}

// Level-of-detail layout of the radials (see site_loss.hpp).
struct RadialLayout {
    int radials = 0;    // N = base * 2^levels, base in [kBaseRadials, 2 kBaseRadials)
    int levels = 0;     // L
    int samples = 0;    // K + 1 samples per radial, index 0 at the site
    double dtheta_rad = 0.0;
    double radius_m = 0.0;
    double spacing_m = 0.0;

    [[nodiscard]] int coarseness(int i) const {  // trailing zeros of i, capped at L
        return i == 0 ? levels : std::min(levels, std::countr_zero(static_cast<unsigned>(i)));
    }
    [[nodiscard]] int level_at(double d_m) const {  // c0(d) = floor(log2(R/d)) in [0, L]
        if (d_m <= 0.0) return levels;
        return std::clamp(std::ilogb(radius_m / d_m), 0, levels);
    }
    [[nodiscard]] int first_sample(int c) const {  // nearest sample a pixel of a radial of coarseness c can have
        if (c >= levels) return 0;
        return static_cast<int>(std::floor(radius_m / std::ldexp(1.0, c + 1) / spacing_m));
    }
};

RadialLayout make_layout(const GeoGrid& grid, double radius_m, double spacing_m, double radials_per_pixel) {
    double dy_m = 0.0, dx_m = 0.0;
    pixel_size_m(grid, dy_m, dx_m);
    const double needed = radials_per_pixel * 2.0 * kPi * radius_m / std::min(dy_m, dx_m);
    RadialLayout l;
    while (2.0 * kBaseRadials * std::ldexp(1.0, l.levels) < needed && l.levels < 20) ++l.levels;
    const int base = std::max(kBaseRadials, static_cast<int>(std::ceil(needed / std::ldexp(1.0, l.levels))));
    l.radials = base << l.levels;
    l.dtheta_rad = 2.0 * kPi / l.radials;
    l.radius_m = radius_m;
    l.spacing_m = spacing_m;
    l.samples = static_cast<int>(std::ceil(radius_m / spacing_m)) + 2;
    return l;
}

struct PixelOnRadial {
    std::uint32_t index;  // into the grid
    std::int32_t m;       // last radial sample before the pixel: floor(d / x - 1/2), >= 0
    float d_m;            // ground distance from the site
    float z_m;            // ground height at the pixel centre (NaN: the receiver is on the radial, see site_loss.hpp)
};

// fast mode, ITM: every pixel is evaluated once, on the nearest radial (see site_loss.hpp).
void radial_sweep(const Context& c, const GeoGrid& grid, SiteLoss& out) {
    // The receiver's ground: on the radial when the grid is finer than the DEM, else the pixel centre's (measured
    // at 2 radials per pixel, N35E138, 20 km: p95 |diff| 1.8 instead of 2.1 dB on a 1" grid; 4.6 instead of 6.1 dB
    // the other way round on a 3" grid).
    const bool receiver_on_radial = c.spacing_m < c.dem_spacing_m;
    const RadialLayout lay = make_layout(grid, c.spec.radius_m, c.spacing_m,
                                         receiver_on_radial ? kRadialsPerPixel : kRadialsPerPixelCoarse);
    const double x_m = lay.spacing_m;

    // 1. Each pixel of the disc: its radial (the nearest evaluated at its distance) and its place on it, bucketed
    //    by radial in two parallel passes over the same blocks of rows (no atomics): the first counts each
    //    block's pixels per radial, the counts give every (radial, block) its own slice of the bucket, the
    //    second fills the slices. Each bucket is then sorted by (m, pixel index), a unique key.
    const std::size_t n_px = static_cast<std::size_t>(grid.rows) * grid.cols;
    const int n_blocks = std::max(1, std::min(grid.rows, 4 * omp_get_max_threads()));
    // visit(idx, row, col, d_m, x_m, y_m) for the disc's pixels of a block of rows
    const auto for_each_pixel = [&](int block, auto&& visit) {
        for (int row = block * grid.rows / n_blocks; row < (block + 1) * grid.rows / n_blocks; ++row)
            for_each_in_row(c.frame, grid, row, [&](int col, double lat_deg, double lon_deg, double x_px_m, double y_m) {
                const double d_m = std::max(std::sqrt(x_px_m * x_px_m + y_m * y_m), kMinPath_m);
                if (d_m > lay.radius_m || !c.dem.contains({lat_deg, lon_deg})) return;
                visit(static_cast<std::size_t>(row) * grid.cols + col, row, col, d_m, x_px_m, y_m);
            });
    };
    // Not initialised (written by pass 1 for exactly the pixels pass 2 reads), so the pages are first touched in
    // the parallel passes rather than by a serial fill.
    auto radial_of = std::make_unique_for_overwrite<std::int32_t[]>(n_px);
    advise_huge_pages(radial_of.get(), n_px * sizeof(std::int32_t));
    const auto n_radials = static_cast<std::size_t>(lay.radials);
    std::vector<std::size_t> slot(static_cast<std::size_t>(n_blocks) * n_radials, 0);  // [block][radial]: count,
                                                                                      // then next free place
#pragma omp parallel for schedule(dynamic, 1)
    for (int b = 0; b < n_blocks; ++b) {
        std::size_t* const count = slot.data() + static_cast<std::size_t>(b) * n_radials;
        for_each_pixel(b, [&](std::size_t idx, int, int, double d_m, double x_px_m, double y_m) {
            double az = std::atan2(x_px_m, y_m);
            if (az < 0.0) az += 2.0 * kPi;
            const int step = 1 << lay.level_at(d_m);
            const int k = static_cast<int>(std::lround(az / (lay.dtheta_rad * step)));  // in [0, radials / step]
            const int r = k == lay.radials / step ? 0 : k * step;                        // 2 pi is 0
            radial_of[idx] = r;
            ++count[static_cast<std::size_t>(r)];
        });
    }
    std::vector<std::size_t> start(n_radials + 1, 0);  // bucket r is [start[r], start[r + 1])
    for (std::size_t r = 0; r < n_radials; ++r) {
        std::size_t at = start[r];
        for (std::size_t b = 0; b < static_cast<std::size_t>(n_blocks); ++b) {
            const std::size_t n = slot[b * n_radials + r];
            slot[b * n_radials + r] = at;
            at += n;
        }
        start[r + 1] = at;
    }
    auto order = std::make_unique_for_overwrite<PixelOnRadial[]>(start.back());
    advise_huge_pages(order.get(), start.back() * sizeof(PixelOnRadial));
#pragma omp parallel for schedule(dynamic, 1)
    for (int b = 0; b < n_blocks; ++b) {
        std::size_t* const fill = slot.data() + static_cast<std::size_t>(b) * n_radials;
        for_each_pixel(b, [&](std::size_t idx, int row, int col, double d_m, double, double) {
            const auto r = static_cast<std::size_t>(radial_of[idx]);
            const std::size_t at = fill[r]++;
            const float z_m = receiver_on_radial ? kNaN
                                                 : static_cast<float>(c.dem.height_m(
                                                       {grid.north_deg - row * grid.dlat_deg, grid.west_deg + col * grid.dlon_deg}));
            order[at] = {static_cast<std::uint32_t>(idx), std::max(0, static_cast<int>(std::floor(d_m / x_m - 0.5))),
                         static_cast<float>(d_m), z_m};
        });
    }
    radial_of.reset();

    // 2. delta_h tables on every share-th radial (a power of two, so a table radial is at least as coarse as the
    //    radials it serves), shared with its neighbours.
    const int share = 1 << std::clamp(static_cast<int>(std::lround(std::log2(kDeltaHTableSpacing_m /
                                                                             (lay.dtheta_rad * lay.radius_m)))),
                                      0, lay.levels);
    const int stride = std::max(1, static_cast<int>(std::lround(kDeltaHStride_m / x_m)));
    const auto table_radial = [&](int r) { return (r + share / 2) / share * share % lay.radials; };
    std::vector<std::vector<double>> tables(static_cast<std::size_t>((lay.radials + share - 1) / share));
#pragma omp parallel
    {
        std::vector<double> z(static_cast<std::size_t>(lay.samples));
#pragma omp for schedule(dynamic, 4)
        for (int t = 0; t < static_cast<int>(tables.size()); ++t) {
            if (cancel_requested(c.spec.cancel)) continue;
            const int r = t * share;
            const double az = r * lay.dtheta_rad;
            const int k_full = lay.samples - 1;
            const int k_last = c.dem.line_until_outside(c.frame.site(), c.frame.at(az, 0.5 * k_full * x_m),
                                                        c.frame.at(az, k_full * x_m), k_full, z.data());
            if (k_last < 1) continue;
            delta_h_table(z.data(), k_last, x_m, c.spec.h_tx_m, c.spec.h_rx_m, c.itm_params.n0, stride,
                          lay.first_sample(lay.coarseness(r)), tables[static_cast<std::size_t>(t)]);
        }
    }

    // 3. The sweep: one profile per radial, the geometry advanced pixel by pixel outwards.
    std::size_t calls = 0;
#pragma omp parallel reduction(+ : calls)
    {
        std::vector<double> z(static_cast<std::size_t>(lay.samples));
        ItmRadialGeometry state;
        prop::ItmGeometryBuffer geometries;  // the radial's pixels, evaluated in one itm_p2p_batch() call
        std::vector<std::uint32_t> pixels;
        std::vector<double> z_end, h_sys, n_s, gamma;  // per pixel of the radial: ground height, step 1
        std::vector<double> loss_db;
        std::vector<std::uint32_t> warnings;
#pragma omp for schedule(dynamic, 32)  // chunks of 32 neighbouring radials: fewer shared cache lines in the output
        for (int r = 0; r < lay.radials; ++r) {
            if (cancel_requested(c.spec.cancel)) continue;
            PixelOnRadial* const first = order.get() + start[static_cast<std::size_t>(r)];
            PixelOnRadial* const last = order.get() + start[static_cast<std::size_t>(r) + 1];
            if (first == last) continue;
            std::sort(first, last, [](const PixelOnRadial& a, const PixelOnRadial& b) {
                return a.m != b.m ? a.m < b.m : a.index < b.index;
            });
            const int k_needed = std::min(lay.samples - 1, (last - 1)->m + 2);
            const double az = r * lay.dtheta_rad;
            const double d_end_m = k_needed * x_m;
            const int k_last = c.dem.line_until_outside(c.frame.site(), c.frame.at(az, 0.5 * d_end_m),
                                                        c.frame.at(az, d_end_m), k_needed, z.data());
            if (k_last < 1) continue;
            const std::vector<double>& table = tables[static_cast<std::size_t>(table_radial(r) / share)];
            state.reset(z.data(), k_last, x_m, c.spec.h_tx_m, c.itm_params.n0, table, stride);
            geometries.clear();
            pixels.clear();
            // Step 1 for the radial's pixels at once: mean heights from the prefix sums, then N_s and gamma_e.
            PixelOnRadial* const end = std::find_if(first, last, [&](const PixelOnRadial& p) { return p.m >= k_last; });
            const auto n_on = static_cast<std::size_t>(end - first);  // the radial may leave the terrain before the rest
            z_end.resize(n_on);
            h_sys.resize(n_on);
            n_s.resize(n_on);
            gamma.resize(n_on);
            for (std::size_t j = 0; j < n_on; ++j) {
                const PixelOnRadial& p = first[j];
                z_end[j] = receiver_on_radial ? state.height_at(p.d_m) : p.z_m;
                h_sys[j] = state.mean_height_m(p.m, z_end[j]);
            }
            prop::itm_refractivity_batch(h_sys, c.itm_params.n0, n_s, gamma);
            int added = 0;
            for (auto p = first; p != end; ++p) {
                const auto j = static_cast<std::size_t>(p - first);
                while (added < p->m) state.add_obstacle(++added);
                ++calls;
                try {
                    const double d_m = p->d_m;
                    const double delta_h_m = (p->m < 2 * stride || table.empty())
                                                 ? std::numeric_limits<double>::quiet_NaN()
                                                 : state.delta_h_m(d_m);
                    const double h_rx_m =
                        c.spec.rx_clutter == nullptr
                            ? c.spec.h_rx_m
                            : receiver_height_m(c.spec.rx_clutter, c.spec.h_rx_m, {grid.north_deg - static_cast<int>(p->index / grid.cols) * grid.dlat_deg,
                                                   grid.west_deg + static_cast<int>(p->index % grid.cols) * grid.dlon_deg});
                    geometries.push_back(state.geometry(p->m, d_m, z_end[j], h_rx_m, delta_h_m, n_s[j], gamma[j]));
                    pixels.push_back(p->index);
                } catch (const Error&) {
                    out.loss_db.values[p->index] = kNaN;
                    if (c.spec.keep_warnings) out.warnings[p->index] = kModelError;
                }
            }
            // ITM part (b) for the radial's pixels, eight or four at a time (AVX-512 / AVX2); a rejected path is NaN, kModelError.
            static_assert(prop::itm_batch_error == kModelError);
            loss_db.resize(pixels.size());
            warnings.resize(pixels.size());
            prop::itm_p2p_batch(c.itm, geometries.view(), loss_db, warnings);
            for (std::size_t i = 0; i < pixels.size(); ++i) {
                out.loss_db.values[pixels[i]] = static_cast<float>(loss_db[i]);
                if (c.spec.keep_warnings) out.warnings[pixels[i]] = warnings[i];
            }
        }
    }
    out.model_calls = calls;
    out.radials = static_cast<std::size_t>(lay.radials);
}

}  // namespace

double receiver_height_m(const LandCover* rx_clutter, double h_rx_m, LatLon p) {
    if (rx_clutter == nullptr || !rx_clutter->contains(p)) return h_rx_m;
    const ClutterClass* k = rx_clutter->clutter_at(p);
    return k == nullptr ? h_rx_m : std::max(h_rx_m, k->clutter_height_m);
}

Mode parse_mode(std::string_view text) {
    if (text == "fast") return Mode::fast;
    if (text == "exact") return Mode::exact;
    throw InputError("coverage mode '" + std::string(text) + "': must be fast or exact");
}

std::string_view to_string(Mode mode) { return mode == Mode::fast ? "fast" : "exact"; }

SiteLoss compute_site_loss(const Terrain& terrain, const SiteLossSpec& spec, const GeoGrid& grid) {
    const prop::ModelInfo& model = prop::find_model(spec.model);
    if (!std::isfinite(spec.radius_m) || spec.radius_m <= 0.0)
        throw InputError("coverage radius = " + std::to_string(spec.radius_m) + " m: must be > 0");
    if (!terrain.contains(spec.site))
        throw InputError("coverage site " + std::to_string(spec.site.lat_deg) + "," +
                         std::to_string(spec.site.lon_deg) + " is outside the terrain");
    Kernel kernel = model.needs_profile ? Kernel::profile_model : Kernel::distance_model;
    if (model.radial_sweep == prop::RadialSweep::itm) kernel = Kernel::itm;  // a registry capability

    // Profiles are sampled at the DEM's native spacing, or at the pixel size when the grid is finer (as the open
    // tools do on a resampled 1" DEM); see site_loss.hpp.
    double dy_m = 0.0, dx_m = 0.0;
    pixel_size_m(grid, dy_m, dx_m);
    Context c{spec, model, kernel, {}, {}, SiteFrame(spec.site), DemSampler(terrain.grid()),
              std::min(terrain.native_spacing_m(), dy_m), terrain.native_spacing_m()};
    const prop::LossQuery& q = spec.params;
    c.itm_params.f_mhz = q.f_mhz;
    c.itm_params.polarization = q.polarization;
    c.itm_params.climate = q.climate;
    c.itm_params.n0 = q.n0;
    c.itm_params.epsilon = q.epsilon;
    c.itm_params.sigma_s_per_m = q.sigma_s_per_m;
    c.itm_params.mdvar = q.mdvar;
    const prop::ItmVariability itm_var{q.time_pct, q.location_pct, q.situation_pct, false};

    // Check the parameters once, on a 1 km flat path, so a bad one is an InputError, not a map of NaN.
    {
        const std::vector<double> flat(12, terrain.height_m(spec.site));
        prop::LossQuery probe = q;
        probe.h_tx_m = spec.h_tx_m;
        probe.h_rx_m = spec.h_rx_m;
        probe.d_m = 1000.0;
        if (model.needs_profile) probe.profile = ProfileView(1000.0 / 11.0, flat);
        if (kernel == Kernel::itm) {
            (void)prop::itm_p2p(probe.profile, spec.h_tx_m, spec.h_rx_m, c.itm_params, itm_var);
            c.itm = prop::itm_prepare(c.itm_params, itm_var);
        }
        else
            (void)prop::compute_loss(model, probe);
    }

    SiteLoss out;
    out.loss_db = grid;
    const std::size_t n_px = static_cast<std::size_t>(grid.rows) * grid.cols;
    reserve_huge(out.loss_db.values, n_px);
    out.loss_db.values.assign(n_px, kNaN);
    if (spec.keep_warnings) {
        reserve_huge(out.warnings, n_px);
        out.warnings.assign(n_px, 0);
    }
    if (spec.mode == Mode::exact || kernel != Kernel::itm)
        per_pixel(c, grid, out);
    else
        radial_sweep(c, grid, out);
    throw_if_cancelled(spec.cancel);
    out.pixels = static_cast<std::size_t>(
        std::count_if(out.loss_db.values.begin(), out.loss_db.values.end(), [](float v) { return !std::isnan(v); }));
    return out;
}

}  // namespace dxplan::coverage
