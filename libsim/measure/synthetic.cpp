// Synthetic drive-test measurements (see synthetic.hpp).
#include "libsim/measure/synthetic.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/geo/geo.hpp"

namespace dxplan::measure {

namespace {

// SplitMix64 (S. Vigna): a counter-based generator, the same sequence everywhere.
struct SplitMix {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
    double normal() { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * M_PI * uniform()); }  // Box-Muller
};

std::string category_of(const LandCover* lc, LatLon p) {
    if (!lc || !lc->contains(p)) return "unknown";
    const ClutterClass* c = lc->clutter_at(p);
    return c ? std::string(to_string(c->category)) : "unknown";
}

}  // namespace

std::size_t write_synthetic_measurements(const Terrain& terrain, const LandCover* land_cover, const PredictionSetup& setup,
                                         PowerKind kind, const SyntheticSpec& spec, const std::filesystem::path& csv) {
    if (!(spec.noise_sd_db >= 0.0) || !(spec.min_d_m > 0.0) || !(spec.max_d_m > spec.min_d_m))
        throw InputError("synthetic measurements: need noise_sd_db >= 0 and 0 < min_d_m < max_d_m");
    const prop::ModelInfo& model = prop::find_model(setup.model);
    SplitMix rng{spec.seed};
    std::map<std::string, std::size_t> count;
    std::ostringstream o;
    o.precision(10);
    o << "# SYNTHETIC drive test (not measured): model " << setup.model << " + per-category offsets + slope "
      << spec.slope_db_per_decade << " dB/decade + Gaussian noise sd " << spec.noise_sd_db << " dB, seed " << spec.seed << "\n";
    o << "lat_deg,lon_deg,height_m," << (kind == PowerKind::rsrp ? "rsrp_dbm" : "rssi_dbm") << ",f_mhz,time\n";
    std::size_t rows = 0;
    std::vector<double> z_m;
    for (std::size_t tries = 0; tries < spec.max_points * 20 && rows < spec.max_points; ++tries) {
        const double az = 360.0 * rng.uniform();
        const double d = std::sqrt(spec.min_d_m * spec.min_d_m +
                                   rng.uniform() * (spec.max_d_m * spec.max_d_m - spec.min_d_m * spec.min_d_m));  // uniform in area
        const double noise = rng.normal();
        const LatLon p = geodesic_direct(setup.site, az, d);
        if (!terrain.contains(p)) continue;
        const std::string cat = category_of(land_cover, p);
        if (count[cat] >= spec.per_category) {
            bool all_full = true;
            for (const auto& [k, n] : count) all_full = all_full && n >= spec.per_category;
            if (all_full && tries > 1000) break;
            continue;
        }
        prop::LossQuery q = setup.params;
        q.h_tx_m = setup.h_tx_m;
        q.h_rx_m = setup.h_rx_m;
        const double spacing_m = extract_profile_into(terrain, setup.site, p, 0.0, z_m);
        q.profile = ProfileView(spacing_m, z_m);
        q.d_m = geodesic_inverse(setup.site, p).d_m;
        q.lat_deg = 0.5 * (setup.site.lat_deg + p.lat_deg);
        q.lon_deg = 0.5 * (setup.site.lon_deg + p.lon_deg);
        const double loss = prop::compute_loss(model, q).loss_db;
        const auto off = spec.offset_db.find(cat);
        const double truth = loss + (off == spec.offset_db.end() ? 0.0 : off->second) +
                             spec.slope_db_per_decade * std::log10(q.d_m / 1000.0) + spec.noise_sd_db * noise;
        const double eirp = kind == PowerKind::rsrp ? setup.eirp_dbm - setup.rsrp_re_offset_db : setup.eirp_dbm;
        const double power = eirp + setup.rx_gain_db - truth;
        char t[48];
        std::snprintf(t, sizeof t, "2026-06-%02zuT%02zu:%02zu:%02zu", 1 + rows / 86400, (rows / 3600) % 24, (rows / 60) % 60,
                      rows % 60);  // one point a second
        o << p.lat_deg << "," << p.lon_deg << "," << setup.h_rx_m << "," << std::round(power * 100.0) / 100.0 << ","
          << q.f_mhz << "," << t << "\n";
        ++count[cat];
        ++rows;
    }
    write_text_atomically(csv, o.str());
    return rows;
}

}  // namespace dxplan::measure
