#include "libsim/network/link_feasibility.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "libsim/core/units.hpp"
#include "libsim/core/error.hpp"
#include "libsim/geo/geo.hpp"
#include "models/propagation/free_space.hpp"
#include "models/propagation/p526.hpp"
#include "models/propagation/p530.hpp"
#include "models/propagation/p676.hpp"

namespace dxplan::net {

namespace {


std::string fmt(const char* f, double a) {
    char b[64];
    std::snprintf(b, sizeof b, f, a);
    return b;
}

std::string describe_obstruction(const Obstruction& o) {
    std::string s = "obstructed at " + fmt("%.2f", o.d_m / 1000.0) + " km from A: terrain " + fmt("%.0f", o.ground_m) + " m";
    if (o.clutter_m > 0.0) s += " + clutter " + fmt("%.0f", o.clutter_m) + " m";
    s += " intrudes " + fmt("%.1f", o.intrusion_m) + " m into the required clearance (" + fmt("%.1f", o.f1_fraction) +
         " F1 = " + fmt("%.1f", o.required_m) + " m at k = " + fmt("%.2f", o.k_factor) + ")";
    if (o.clearance_m < 0.0) s += "; line of sight blocked by " + fmt("%.1f", -o.clearance_m) + " m";
    return s;
}

prop::P530HopInput p530_input(const HopPath& path, const BackhaulTechnology& tech, const DesignCriteria& c,
                              double latitude_deg, double fade_margin_db) {
    prop::P530HopInput in;
    in.rain.f_ghz = tech.f_ghz;
    in.rain.d_km = path.ground.length_m() / 1000.0;
    in.rain.r001_mm_per_h = c.r001_mm_per_h;
    in.rain.tau_deg = tech.polarization_tilt_deg;
    in.multipath.h_e_m = path.ground.z_m.front() + path.h_a_m;
    in.multipath.h_r_m = path.ground.z_m.back() + path.h_b_m;
    in.multipath.dn1 = c.dn1_n_per_km;
    in.multipath.s_a_m = c.terrain_roughness_m;
    in.multipath.method = prop::P530MultipathMethod::detailed;
    in.multipath.latitude_deg = latitude_deg;
    in.fade_margin_db = fade_margin_db;
    return in;
}

// An access technology's link budget over the hop's path loss, the fade margin held as an extra loss.
HopAssessment finish_access_radio(HopAssessment r, const BackhaulTechnology& tech) {
    if (!tech.access) throw InputError("assess_hop: " + tech.name + ": access profile not loaded");
    link::LinkConditions lc;
    lc.path_loss_db = r.path_loss_db;
    lc.extra_losses_db = {{"fade margin", tech.fade_margin_db}};
    const link::LinkResult lr = link::evaluate_link(*tech.access, lc);
    r.rx_level_dbm = lr.downlink.rx_power_dbm + lr.downlink.extra_loss_db;  // median level: the held margin is no loss
    r.fade_margin_db = std::min(lr.downlink.margin_db, lr.uplink.margin_db);
    r.capacity_mbps = lr.downlink.app_throughput_mbps;
    r.uplink_mbps = lr.uplink.app_throughput_mbps;
    r.availability_pct = std::numeric_limits<double>::quiet_NaN();
    r.warnings.push_back(tech.name + ": availability not computed (P.530 not applied to an access-radio hop); fade margin " +
                         fmt("%.1f", tech.fade_margin_db) + " dB held");
    if (!lr.ok() || !(r.capacity_mbps > 0.0)) {
        r.feasible = false;
        r.reason = "link budget of " + tech.access_profile + " does not close with a " + fmt("%.1f", tech.fade_margin_db) +
                   " dB fade margin (path loss " + fmt("%.1f", r.path_loss_db) + " dB): " + lr.reason();
    }
    return r;
}

}  // namespace

Obstruction worst_obstruction(const HopPath& path, double f_ghz, double k_factor, double f1_fraction) {
    Obstruction w;
    w.intrusion_m = -std::numeric_limits<double>::infinity();
    w.k_factor = k_factor;
    w.f1_fraction = f1_fraction;
    const auto& z = path.ground.z_m;
    const std::size_t n = z.size();
    if (n < 3) return w;
    if (!path.clutter_m.empty() && path.clutter_m.size() != n)
        throw InputError("hop path: clutter_m has " + std::to_string(path.clutter_m.size()) + " samples, ground " + std::to_string(n));
    const double d_m = path.ground.length_m();
    const double ha = z.front() + path.h_a_m, hb = z.back() + path.h_b_m;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double d1 = path.ground.spacing_m * static_cast<double>(i), d2 = d_m - d1;
        const double clutter = path.clutter_m.empty() ? 0.0 : path.clutter_m[i];
        const double ray = ha + (hb - ha) * d1 / d_m;
        const double clearance = ray - (z[i] + clutter + earth_bulge_m(d1, d2, k_factor));
        const double required = f1_fraction * fresnel_radius_m(d1, d2, f_ghz * 1000.0);
        if (required - clearance > w.intrusion_m)
            w = {d1, z[i], clutter, clearance, required, required - clearance, k_factor, f1_fraction};
    }
    return w;
}

HopAssessment assess_hop(const HopPath& path, const BackhaulTechnology& tech, const DesignCriteria& c, double latitude_deg) {
    if (tech.kind == BackhaulKind::fibre) throw InputError("assess_hop: " + tech.name + " is not a radio technology");
    const auto& z = path.ground.z_m;
    if (z.size() < 2 || !(path.ground.spacing_m > 0.0))
        throw InputError("assess_hop: the hop's profile needs at least 2 points and a spacing > 0 m");
    HopAssessment r;
    r.length_m = path.ground.length_m();

    // 1. Clearance at the median and the worst-case k.
    const Obstruction med = worst_obstruction(path, tech.f_ghz, c.k_median, c.f1_fraction_median);
    const Obstruction worst_k = worst_obstruction(path, tech.f_ghz, c.k_worst, c.f1_fraction_worst);
    r.worst = worst_k.intrusion_m > med.intrusion_m ? worst_k : med;
    std::vector<double> obstacle(z.begin(), z.end());  // ground + clutter (interior points)
    if (!path.clutter_m.empty())
        for (std::size_t i = 1; i + 1 < obstacle.size(); ++i) obstacle[i] += path.clutter_m[i];
    const ProfileView obstacle_view(path.ground.spacing_m, obstacle);
    const Clearance los = los_clearance(obstacle_view, path.h_a_m, path.h_b_m, tech.f_ghz * 1000.0, c.k_median);
    r.min_clearance_m = los.min_clearance_m;
    r.clearance_f1 = los.min_f1_fraction;

    // 2. Path loss: free space on the slant distance + Deygout diffraction over ground + clutter + gases.
    const double dh_m = (z.back() + path.h_b_m) - (z.front() + path.h_a_m);
    r.fspl_db = prop::free_space_loss_db(tech.f_ghz * 1000.0, std::hypot(r.length_m, dh_m));  // P.525-4 eq. (8)
    r.diffraction_db = prop::p526::deygout(obstacle_view, path.h_a_m, path.h_b_m,
                                           tech.f_ghz * 1000.0, c.k_median * kEarthRadiusMean_m).loss_db;  // P.526-16 sec. 4.5.2
    r.gas_db = prop::p676_terrestrial_attenuation_db(tech.f_ghz, r.length_m / 1000.0, prop::P676Atmosphere{});  // P.676 eq. (10)
    r.path_loss_db = r.fspl_db + r.diffraction_db + r.gas_db;
    if (tech.kind == BackhaulKind::access_radio) return finish_access_radio(std::move(r), tech);

    // 3. Receive level and flat fade margin.
    r.rx_level_dbm = tech.tx_power_dbm + 2.0 * tech.antenna_gain_dbi - tech.other_losses_db - r.path_loss_db;
    r.fade_margin_db = r.rx_level_dbm - tech.rx_threshold_dbm;

    // 4. Availability (P.530): rain + multipath outage for this margin.
    if (r.fade_margin_db > 0.0) {
        const prop::P530HopResult a = prop::p530_hop_availability(p530_input(path, tech, c, latitude_deg, r.fade_margin_db));
        r.availability_pct = a.availability_pct;
        r.rain_outage_pct = a.rain_outage_pct;
        r.multipath_outage_pct = a.multipath_outage_pct;
        r.warnings = a.warnings;
    } else {
        r.availability_pct = 0.0;
    }

    if (r.worst.intrusion_m > 0.0) {
        r.feasible = false;
        r.reason = describe_obstruction(r.worst);
    } else if (r.fade_margin_db <= 0.0) {
        r.feasible = false;
        r.reason = "receive level " + fmt("%.1f", r.rx_level_dbm) + " dBm below the threshold " +
                   fmt("%.1f", tech.rx_threshold_dbm) + " dBm (path loss " + fmt("%.1f", r.path_loss_db) + " dB)";
    } else if (r.availability_pct < c.target_availability_pct) {
        // The margin giving the target: the outage falls monotonically with the margin; bisection to 0.01 dB.
        double lo = r.fade_margin_db, hi = 300.0;
        for (int it = 0; it < 60 && hi - lo > 0.01; ++it) {
            const double mid = 0.5 * (lo + hi);
            const double av = prop::p530_hop_availability(p530_input(path, tech, c, latitude_deg, mid)).availability_pct;
            (av >= c.target_availability_pct ? hi : lo) = mid;
        }
        r.required_margin_db = hi;
        r.feasible = false;
        const bool rain = r.rain_outage_pct >= r.multipath_outage_pct;
        r.reason = "availability " + fmt("%.4f", r.availability_pct) + " % < target " + fmt("%.4g", c.target_availability_pct) +
                   " % (" + (rain ? "rain" : "multipath") + " fade margin short by " +
                   fmt("%.1f", r.required_margin_db - r.fade_margin_db) + " dB: " + fmt("%.1f", r.fade_margin_db) + " dB, " +
                   fmt("%.1f", r.required_margin_db) + " dB needed; outage rain " + fmt("%.4f", r.rain_outage_pct) +
                   " %, multipath " + fmt("%.4f", r.multipath_outage_pct) + " % of the year)";
    }
    return r;
}

ExtractedPath extract_path(const Terrain& terrain, const LandCover* land_cover, LatLon a, LatLon b, double spacing_m) {
    ExtractedPath p;
    p.ground = extract_profile(terrain, a, b, spacing_m);
    if (land_cover != nullptr) {
        // Clutter looked up at points interpolated linearly in lat/lon between the ends: on hops of tens of km
        // this is within metres of the geodesic, well inside one 250 m land-cover cell.
        const std::size_t n = p.ground.z_m.size();
        p.clutter_m.assign(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const double t = n < 2 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
            const LatLon q{a.lat_deg + t * (b.lat_deg - a.lat_deg), a.lon_deg + t * (b.lon_deg - a.lon_deg)};
            if (!land_cover->contains(q)) continue;
            if (const ClutterClass* cc = land_cover->clutter_at(q)) p.clutter_m[i] = cc->clutter_height_m;
        }
    }
    return p;
}

HopAssessment assess_link(const Terrain& terrain, const LandCover* land_cover, const HopEnd& a, const HopEnd& b,
                          const BackhaulTechnology& tech, const DesignCriteria& c) {
    if (tech.kind == BackhaulKind::fibre) {
        HopAssessment r;
        r.length_m = geodesic_inverse(a.pos, b.pos).d_m * tech.detour_factor;
        r.clearance_f1 = r.min_clearance_m = std::numeric_limits<double>::infinity();
        return r;
    }
    const ExtractedPath p = extract_path(terrain, land_cover, a.pos, b.pos, c.profile_spacing_m);
    return assess_hop({p.ground, p.clutter_m, a.mast_height_m, b.mast_height_m}, tech, c, 0.5 * (a.pos.lat_deg + b.pos.lat_deg));
}

}  // namespace dxplan::net
