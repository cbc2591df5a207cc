// Prediction at measured points and residual statistics (see predict.hpp).
#include "libsim/measure/predict.hpp"

#include <cmath>
#include <sstream>

#include "libsim/core/error.hpp"
#include "libsim/geo/geo.hpp"

namespace dxplan::measure {

namespace {

std::string category_at(const LandCover* lc, LatLon p) {
    if (!lc || !lc->contains(p)) return "unknown";
    const ClutterClass* c = lc->clutter_at(p);
    return c ? std::string(to_string(c->category)) : "unknown";
}

[[noreturn]] void fail_at(const MeasurementSet& set, const Measurement& m, const std::string& what) {
    std::ostringstream o;
    o.precision(8);
    o << set.file.string() << ":" << m.line << ", columns lat_deg, lon_deg = (" << m.pos.lat_deg << ", " << m.pos.lon_deg
      << "): " << what;
    throw InputError(o.str());
}

double measured_loss_db(const Measurement& m, const PredictionSetup& s) {
    const double eirp = m.kind == PowerKind::rsrp ? s.eirp_dbm - s.rsrp_re_offset_db : s.eirp_dbm;
    return eirp + s.rx_gain_db - m.power_dbm;  // inverse of link::received_power_dbm
}

}  // namespace

std::vector<PointComparison> compare_with_model(const Terrain& terrain, const LandCover* land_cover,
                                                const MeasurementSet& set, const PredictionSetup& setup) {
    const prop::ModelInfo& model = prop::find_model(setup.model);
    std::vector<PointComparison> out;
    out.reserve(set.points.size());
    std::vector<double> z_m;
    for (const Measurement& m : set.points) {
        if (!terrain.contains(m.pos)) fail_at(set, m, "outside the terrain");
        PointComparison c;
        c.line = m.line;
        c.pos = m.pos;
        c.d_m = geodesic_inverse(setup.site, m.pos).d_m;
        if (c.d_m < 1.0) fail_at(set, m, "at the site itself (< 1 m): no path to predict");
        c.category = category_at(land_cover, m.pos);
        prop::LossQuery q = setup.params;
        if (m.f_mhz) q.f_mhz = *m.f_mhz;
        q.h_tx_m = setup.h_tx_m;
        q.h_rx_m = m.height_m.value_or(setup.h_rx_m);
        const double spacing_m = extract_profile_into(terrain, setup.site, m.pos, 0.0, z_m);
        q.profile = ProfileView(spacing_m, z_m);
        q.d_m = c.d_m;
        q.lat_deg = 0.5 * (setup.site.lat_deg + m.pos.lat_deg);
        q.lon_deg = 0.5 * (setup.site.lon_deg + m.pos.lon_deg);
        try {
            c.predicted_loss_db = prop::compute_loss(model, q).loss_db;
        } catch (const InputError& e) {
            fail_at(set, m, std::string("model ") + std::string(model.name) + " rejects the path: " + e.what());
        }
        c.measured_loss_db = measured_loss_db(m, setup);
        c.residual_db = c.measured_loss_db - c.predicted_loss_db;
        out.push_back(std::move(c));
    }
    return out;
}

ErrorStats error_stats(const std::vector<double>& e) {
    ErrorStats s;
    s.n = e.size();
    if (e.empty()) return s;
    double sum = 0.0, sq = 0.0;
    for (double v : e) sum += v, sq += v * v;
    const double n = static_cast<double>(e.size());
    s.mean_db = sum / n;
    s.rmse_db = std::sqrt(sq / n);
    double dev = 0.0;
    for (double v : e) dev += (v - s.mean_db) * (v - s.mean_db);
    s.sd_db = e.size() > 1 ? std::sqrt(dev / (n - 1.0)) : 0.0;
    return s;
}

ResidualSummary summarize(const std::vector<PointComparison>& points, const std::vector<double>& r) {
    static const std::vector<std::pair<std::string, double>> bands = {
        {"0-1 km", 1000.0}, {"1-2 km", 2000.0}, {"2-5 km", 5000.0}, {"5-10 km", 10000.0}, {">10 km", INFINITY}};
    ResidualSummary s;
    s.all = error_stats(r);
    std::map<std::string, std::vector<double>> cat;
    std::vector<std::vector<double>> band(bands.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        cat[points[i].category].push_back(r[i]);
        std::size_t b = 0;
        while (points[i].d_m >= bands[b].second) ++b;
        band[b].push_back(r[i]);
    }
    for (const auto& [k, v] : cat) s.by_category[k] = error_stats(v);
    for (std::size_t b = 0; b < bands.size(); ++b)
        if (!band[b].empty()) s.by_band.emplace_back(bands[b].first, error_stats(band[b]));
    return s;
}

std::vector<CalibrationPoint> calibration_points(const std::vector<PointComparison>& points) {
    std::vector<CalibrationPoint> out;
    out.reserve(points.size());
    for (const auto& p : points) out.push_back({p.residual_db, p.d_m, p.category});
    return out;
}

}  // namespace dxplan::measure
