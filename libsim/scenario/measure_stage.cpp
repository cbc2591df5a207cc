// Measured data in a run and in `dxplan calibrate` (see measure_stage.hpp).
#include "libsim/scenario/measure_stage.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <unistd.h>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/link/link.hpp"
#include "libsim/measure/measurements.hpp"
#include "libsim/measure/outcome.hpp"
#include "libsim/measure/predict.hpp"
#include "libsim/output/sha256.hpp"

namespace dxplan {

namespace fs = std::filesystem;

namespace {

std::string category_at(const LandCover* lc, LatLon p) {
    if (!lc || !lc->contains(p)) return "unknown";
    const ClutterClass* c = lc->clutter_at(p);
    return c ? std::string(to_string(c->category)) : "unknown";
}

// Great-circle distance (spherical, mean radius 6371.0088 km): within 0.5 % of the geodesic, i.e. < 0.02 dB
// in a correction of a few dB per decade; a geodesic per pixel would cost ~1 us x millions of cells.
double haversine_m(LatLon a, LatLon b) {
    const double k = M_PI / 180.0;
    const double dlat = (b.lat_deg - a.lat_deg) * k, dlon = (b.lon_deg - a.lon_deg) * k;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat_deg * k) * std::cos(b.lat_deg * k) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * 6371008.8 * std::asin(std::min(1.0, std::sqrt(h)));
}

struct Sources {
    double eirp_dbm = 0.0, rsrp_re_offset_db = 0.0, rx_gain_db = 0.0;
};

// EIRP and receive gain from a technology profile (downlink budget) or given.
Sources power_sources(const std::string& technology, std::optional<double> eirp_dbm, double rx_gain_db) {
    Sources s;
    if (!technology.empty()) {
        const link::Technology tech = link::load_technology(technology);
        const link::Budget b = link::make_budget(tech, link::Direction::downlink);
        s.eirp_dbm = b.eirp_dbm;
        s.rx_gain_db = b.rx_gain_dbi - b.rx_cable_loss_db - b.body_loss_db;
        if (tech.family == link::Family::nr && tech.nr.n_prb > 0)
            s.rsrp_re_offset_db = 10.0 * std::log10(12.0 * tech.nr.n_prb);  // RSRP: power of one of 12 N_PRB subcarriers
        return s;
    }
    if (!eirp_dbm) throw InputError("give --tech NAME (EIRP from its profile) or --eirp-dbm");
    s.eirp_dbm = *eirp_dbm;
    s.rx_gain_db = rx_gain_db;
    return s;
}

const SiteSpec& find_site(const Scenario& s, const std::string& id, const std::string& flag) {
    for (const SiteSpec& site : s.sites)
        if (site.id == id) return site;
    std::string ids;
    for (const SiteSpec& site : s.sites) ids += (ids.empty() ? "" : ", ") + site.id;
    throw InputError(flag + " " + id + ": no such site in " + s.file.string() + " (sites: " + ids + ")");
}

struct Inputs {
    std::string model;
    std::vector<std::string> sites;
    Sources power;
    double ridge_lambda = 1.0;
    int k_folds = 5;
};

// Each point compared with the least-loss site of `sites` (its best server).
std::vector<measure::PointComparison> compare_all(const Scenario& s, const World& w, const measure::MeasurementSet& set,
                                                  const Inputs& in) {
    std::vector<measure::PointComparison> best;
    const LandCover* lc = w.land_cover ? &*w.land_cover : nullptr;
    for (const std::string& id : in.sites) {
        const SiteSpec& site = find_site(s, id, "sites");
        measure::PredictionSetup setup;
        setup.site = site.pos;
        setup.h_tx_m = site.mast_height_m;
        setup.h_rx_m = s.propagation.h_rx_m;
        setup.model = in.model;
        setup.params.f_mhz = s.propagation.f_mhz;
        setup.eirp_dbm = in.power.eirp_dbm;
        setup.rsrp_re_offset_db = in.power.rsrp_re_offset_db;
        setup.rx_gain_db = in.power.rx_gain_db;
        std::vector<measure::PointComparison> c = measure::compare_with_model(w.terrain, lc, set, setup);
        if (best.empty()) best = std::move(c);
        else
            for (std::size_t i = 0; i < c.size(); ++i)
                if (c[i].predicted_loss_db < best[i].predicted_loss_db) best[i] = c[i];
    }
    return best;
}

// The report data: residuals before, after (in sample) and after (k-fold, each point corrected by the fit that
// did not see its block).
output::MeasurementsReport analyse(const Scenario& s, const World& w, const measure::MeasurementSet& set, const Inputs& in) {
    output::MeasurementsReport r;
    r.file = set.file.filename().string();
    r.model = in.model;
    r.sites = in.sites;
    r.excluded_rows = set.excluded.size();
    r.duplicate_rows = set.duplicates.size();
    r.points = compare_all(s, w, set, in);
    const std::vector<measure::CalibrationPoint> pts = measure::calibration_points(r.points);
    r.fitted = measure::fit_calibration(pts, {in.ridge_lambda, in.k_folds});
    r.fitted.model = in.model;
    r.fitted.f_mhz = s.propagation.f_mhz;
    r.fitted.measurements = r.file;
    r.fitted.measurements_sha256 = output::sha256_file_hex(set.file);
    for (const auto& id : in.sites) r.fitted.site += (r.fitted.site.empty() ? "" : ",") + id;
    std::vector<double> before, in_sample;
    for (const auto& p : r.points) {
        before.push_back(p.residual_db);
        in_sample.push_back(p.residual_db - measure::correction_db(r.fitted, p.d_m, p.category));
    }
    r.residual_cv_db = measure::cross_validated_residuals(pts, {in.ridge_lambda, in.k_folds});
    r.before = measure::summarize(r.points, before);
    r.after_in_sample = measure::summarize(r.points, in_sample);
    r.after_cv = measure::summarize(r.points, r.residual_cv_db);
    return r;
}

measure::MeasurementSet read_set(const fs::path& file, const fs::path& mapping, const Terrain& terrain) {
    measure::MeasurementSet set = measure::import_measurements(file, mapping.empty() ? measure::ColumnMapping{} : measure::load_column_mapping(mapping));
    measure::require_on_terrain(set, terrain);
    return set;
}

std::string residuals_csv(const output::MeasurementsReport& r) {
    std::ostringstream o;
    o.precision(10);
    o << "line,lat_deg,lon_deg,d_m,category,measured_loss_db,predicted_loss_db,residual_db,residual_cv_db\n";
    for (std::size_t i = 0; i < r.points.size(); ++i) {
        const auto& p = r.points[i];
        o << p.line << "," << p.pos.lat_deg << "," << p.pos.lon_deg << "," << p.d_m << "," << p.category << ","
          << p.measured_loss_db << "," << p.predicted_loss_db << "," << p.residual_db << "," << r.residual_cv_db[i] << "\n";
    }
    return o.str();
}

// Outputs never destroy inputs or foreign files: --out must be new, empty, or a previous `dxplan calibrate` output
// (it holds calibration.yaml), and must not contain the scenario or the measurement file.
void check_out_dir(const CalibrateConfig& cfg) {
    std::error_code ec;
    if (!fs::exists(cfg.out_dir, ec)) return;
    if (!fs::is_directory(cfg.out_dir, ec)) throw InputError("--out " + cfg.out_dir.string() + ": exists and is not a directory");
    const fs::path out = fs::weakly_canonical(cfg.out_dir, ec);
    for (const fs::path& input : {cfg.scenario, cfg.measurements, cfg.mapping}) {
        if (input.empty()) continue;
        const std::string in = fs::weakly_canonical(input, ec).string(), o = out.string() + "/";
        if (in.rfind(o, 0) == 0) throw InputError("--out " + cfg.out_dir.string() + ": contains the input " + input.string() + " (it would be replaced)");
    }
    if (!fs::is_empty(cfg.out_dir, ec) && !fs::exists(cfg.out_dir / "calibration.yaml", ec))
        throw InputError("--out " + cfg.out_dir.string() + ": exists, is not empty and is not a dxplan calibrate output (no calibration.yaml)");
}

}  // namespace

void apply_calibration(const measure::Calibration& c, LatLon site, const LandCover* land_cover, GeoGrid& g,
                       const std::vector<output::DemandPoint>& demand, std::vector<float>& demand_loss_db) {
    for (int row = 0; row < g.rows; ++row)
        for (int col = 0; col < g.cols; ++col) {
            float& v = g.values[static_cast<std::size_t>(row) * static_cast<std::size_t>(g.cols) + static_cast<std::size_t>(col)];
            if (!std::isfinite(v)) continue;
            const LatLon p{g.north_deg - row * g.dlat_deg, g.west_deg + col * g.dlon_deg};  // cell centre
            v += static_cast<float>(measure::correction_db(c, haversine_m(site, p), category_at(land_cover, p)));
        }
    for (std::size_t i = 0; i < demand.size() && i < demand_loss_db.size(); ++i)
        if (std::isfinite(demand_loss_db[i]))
            demand_loss_db[i] += static_cast<float>(
                measure::correction_db(c, haversine_m(site, demand[i].pos), category_at(land_cover, demand[i].pos)));
}

std::shared_ptr<const output::MeasureSections> measure_sections(const Scenario& s, const World& w) {
    if (!s.measurements.present() && !s.evaluation.present() && !s.propagation.calibration) return nullptr;
    auto out = std::make_shared<output::MeasureSections>();
    if (s.propagation.calibration) {
        out->applied = s.propagation.calibration;
        out->applied_file = s.propagation.calibration_file.filename().string();
    }
    if (s.measurements.present()) {
        const MeasurementsSpec& m = s.measurements;
        const Inputs in{s.propagation.model, m.sites, power_sources(m.technology, m.eirp_dbm, m.rx_gain_db), m.ridge_lambda, m.k_folds};
        out->measurements = analyse(s, w, read_set(m.file, m.mapping, w.terrain), in);
    }
    if (s.evaluation.present()) {
        measure::OutcomeOptions o;
        o.paired = s.evaluation.paired;
        o.alternative = stats::parse_alternative(s.evaluation.alternative);
        o.alpha = s.evaluation.alpha;
        out->outcome = measure::evaluate_outcome(s.evaluation.before, s.evaluation.after, o);
    }
    return out;
}

CalibrateSummary calibrate_scenario(const CalibrateConfig& cfg) {
    Scenario s = load_scenario(cfg.scenario);
    if (!cfg.model.empty()) {
        (void)prop::find_model(cfg.model);
        s.propagation.model = cfg.model;
    }
    const World w = load_world(s);
    Inputs in{s.propagation.model, cfg.sites, power_sources(cfg.technology, cfg.eirp_dbm, cfg.rx_gain_db), cfg.ridge_lambda, cfg.k_folds};
    if (in.sites.empty()) in.sites = s.measurements.sites;
    if (in.sites.empty()) throw InputError("--site ID or --sites ID,ID,... is required (the scenario has no measurements.sites)");
    check_out_dir(cfg);
    CalibrateSummary sum;
    sum.report = analyse(s, w, read_set(cfg.measurements, cfg.mapping, w.terrain), in);
    fs::path tmp = cfg.out_dir;
    tmp += ".partial-" + std::to_string(::getpid());
    try {
        fs::remove_all(tmp);
        if (!cfg.out_dir.parent_path().empty()) fs::create_directories(cfg.out_dir.parent_path());
        fs::create_directory(tmp);
        measure::save_calibration(sum.report.fitted, tmp / "calibration.yaml");
        write_text_atomically(tmp / "residuals.csv", residuals_csv(sum.report));
        output::MeasureSections sec;
        sec.measurements = sum.report;
        write_text_atomically(tmp / "summary.json", output::measure_sections_json(sec) + "\n");
        write_text_atomically(tmp / "report.html", "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>dxplan calibrate</title></head><body>\n" +
                                                       output::measure_sections_html(sec, output::Lang::en) + "</body></html>\n");
        sum.files = 4;
        fs::path old = cfg.out_dir;
        old += ".old-" + std::to_string(::getpid());
        const bool had = fs::exists(cfg.out_dir);
        if (had) fs::rename(cfg.out_dir, old);
        fs::rename(tmp, cfg.out_dir);
        if (had) fs::remove_all(old);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    sum.calibration_file = cfg.out_dir / "calibration.yaml";
    return sum;
}

}  // namespace dxplan
