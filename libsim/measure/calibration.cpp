// Ridge least-squares calibration with k-fold cross-validation (see calibration.hpp). Eigen stays in this file.
#include "libsim/measure/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>

#include <Eigen/Dense>
#include <yaml-cpp/yaml.h>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"

namespace dxplan::measure {

namespace {

double log_distance(double d_m) { return std::log10(std::max(d_m, 1.0) / 1000.0); }

struct Design {
    std::vector<std::string> categories;  // column j < categories.size(): indicator of categories[j]
    [[nodiscard]] std::size_t cols() const { return categories.size() + 1; }  // + log10(d / 1 km)
};

Design make_design(const std::vector<CalibrationPoint>& points) {
    std::set<std::string> cats;
    for (const auto& p : points) cats.insert(p.category);
    return {std::vector<std::string>(cats.begin(), cats.end())};
}

// The fit on the subset `rows` of the points: coefficients beta (offsets..., slope).
Eigen::VectorXd solve_ridge(const std::vector<CalibrationPoint>& points, const std::vector<std::size_t>& rows,
                            const Design& design, double lambda) {
    const auto p = static_cast<Eigen::Index>(design.cols());
    Eigen::MatrixXd xtx = Eigen::MatrixXd::Zero(p, p);
    Eigen::VectorXd xty = Eigen::VectorXd::Zero(p);
    Eigen::VectorXd row(p);
    for (std::size_t i : rows) {
        row.setZero();
        const auto c = std::lower_bound(design.categories.begin(), design.categories.end(), points[i].category);
        row(static_cast<Eigen::Index>(c - design.categories.begin())) = 1.0;
        row(p - 1) = log_distance(points[i].d_m);
        xtx.noalias() += row * row.transpose();
        xty.noalias() += row * points[i].residual_db;
    }
    xtx.diagonal().array() += lambda;  // Hoerl & Kennard (1970) eq. (2.3): (X'X + kI)^-1 X'Y
    // A category absent from the rows has an all-zero column; with lambda = 0 keep the system solvable.
    for (Eigen::Index j = 0; j < p; ++j)
        if (xtx(j, j) == 0.0) xtx(j, j) = 1.0;
    return xtx.ldlt().solve(xty);
}

Calibration to_calibration(const Eigen::VectorXd& beta, const Design& design, const std::vector<CalibrationPoint>& points,
                           const std::vector<std::size_t>& rows) {
    Calibration c;
    std::map<std::string, std::size_t> count;
    for (std::size_t i : rows) ++count[points[i].category];
    double weighted = 0.0;
    for (std::size_t j = 0; j < design.categories.size(); ++j) {
        const std::string& cat = design.categories[j];
        if (!count.count(cat)) continue;
        c.offset_db[cat] = beta(static_cast<Eigen::Index>(j));
        weighted += beta(static_cast<Eigen::Index>(j)) * static_cast<double>(count[cat]);
    }
    c.default_offset_db = rows.empty() ? 0.0 : weighted / static_cast<double>(rows.size());
    c.slope_db_per_decade = beta(static_cast<Eigen::Index>(design.cols()) - 1);
    return c;
}

double sq_error(const Calibration& c, const CalibrationPoint& p) {
    const double e = p.residual_db - correction_db(c, p.d_m, p.category);
    return e * e;
}

void check_options(const FitOptions& o, std::size_t n, std::size_t cols) {
    if (n < cols + 1)
        throw InputError("calibration: " + std::to_string(n) + " measured points: at least " + std::to_string(cols + 1) +
                         " are needed for " + std::to_string(cols - 1) + " clutter categories and the distance slope");
    if (!(o.ridge_lambda >= 0.0 && o.ridge_lambda <= 1e6)) throw InputError("--ridge-lambda: must be in [0, 1e6]");
    if (o.k_folds < 2 || static_cast<std::size_t>(o.k_folds) > n)
        throw InputError("--folds " + std::to_string(o.k_folds) + ": must be in [2, " + std::to_string(n) + "] (the number of points)");
}

}  // namespace

double correction_db(const Calibration& c, double d_m, const std::string& category) {
    const auto it = c.offset_db.find(category);
    const double offset = it == c.offset_db.end() ? c.default_offset_db : it->second;
    const double d = c.d_max_m > 0.0 ? std::clamp(d_m, c.d_min_m, c.d_max_m) : d_m;
    return offset + c.slope_db_per_decade * log_distance(d);
}

Calibration fit_calibration(const std::vector<CalibrationPoint>& points, const FitOptions& options) {
    const Design design = make_design(points);
    const std::size_t n = points.size();
    check_options(options, n, design.cols());
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    Calibration c = to_calibration(solve_ridge(points, all, design, options.ridge_lambda), design, points, all);
    c.ridge_lambda = options.ridge_lambda;
    c.k_folds = options.k_folds;
    c.d_min_m = points.front().d_m, c.d_max_m = points.front().d_m;
    for (const auto& p : points) c.d_min_m = std::min(c.d_min_m, p.d_m), c.d_max_m = std::max(c.d_max_m, p.d_m);
    c.n_points = n;
    double rss = 0.0;
    for (const auto& p : points) rss += sq_error(c, p);
    c.in_sample_rmse_db = std::sqrt(rss / static_cast<double>(n));
    c.noise_sd_db = std::sqrt(rss / static_cast<double>(n - design.cols()));
    double cv_sse = 0.0;
    for (double e : cross_validated_residuals(points, options)) cv_sse += e * e;
    c.cv_rmse_db = std::sqrt(cv_sse / static_cast<double>(n));
    return c;
}

std::vector<double> cross_validated_residuals(const std::vector<CalibrationPoint>& points, const FitOptions& options) {
    const Design design = make_design(points);
    const std::size_t n = points.size();
    check_options(options, n, design.cols());
    // k-fold over contiguous blocks: fold f holds rows [f n / k, (f + 1) n / k).
    std::vector<double> out(n);
    const auto k = static_cast<std::size_t>(options.k_folds);
    for (std::size_t f = 0; f < k; ++f) {
        const std::size_t lo = f * n / k, hi = (f + 1) * n / k;
        std::vector<std::size_t> train;
        for (std::size_t i = 0; i < n; ++i)
            if (i < lo || i >= hi) train.push_back(i);
        const Calibration cf = to_calibration(solve_ridge(points, train, design, options.ridge_lambda), design, points, train);
        for (std::size_t i = lo; i < hi; ++i) out[i] = points[i].residual_db - correction_db(cf, points[i].d_m, points[i].category);
    }
    return out;
}

void save_calibration(const Calibration& c, const std::filesystem::path& yaml) {
    std::ostringstream o;
    o << std::setprecision(10);
    o << "# dxplan propagation calibration: correction_db = offset_db[clutter category] + slope_db_per_decade *\n"
         "# log10(d / 1 km), added to the model's basic transmission loss (docs/measurements.md).\n";
    o << "model: " << c.model << "\n";
    o << "f_mhz: " << c.f_mhz << "\n";
    o << "slope_db_per_decade: " << c.slope_db_per_decade << "\n";
    o << "d_min_m: " << c.d_min_m << "\nd_max_m: " << c.d_max_m << "   # the slope is not extrapolated beyond the measured distances\n";
    o << "default_offset_db: " << c.default_offset_db << "\n";
    o << "offset_db:\n";
    for (const auto& [cat, v] : c.offset_db) o << "  " << cat << ": " << v << "\n";
    o << "fit:\n  ridge_lambda: " << c.ridge_lambda << "\n  k_folds: " << c.k_folds << "\n  n_points: " << c.n_points
      << "\n  in_sample_rmse_db: " << c.in_sample_rmse_db << "\n  cv_rmse_db: " << c.cv_rmse_db
      << "\n  noise_sd_db: " << c.noise_sd_db << "\n";
    o << "provenance:\n  measurements: \"" << c.measurements << "\"\n  measurements_sha256: " << c.measurements_sha256
      << "\n  site: \"" << c.site << "\"\n  created_by: " << c.created_by << "\n";
    write_text_atomically(yaml, o.str());
}

namespace {

double yaml_number(const YAML::Node& n, const std::filesystem::path& file, const std::string& field) {
    if (!n || !n.IsScalar()) throw InputError(file.string() + ": " + field + ": missing (a number is required)");
    try {
        const double v = n.as<double>();
        if (std::isfinite(v)) return v;
    } catch (const YAML::Exception&) {
    }
    throw InputError(file.string() + ":" + std::to_string(n.Mark().line + 1) + ": " + field + " = " + n.Scalar() +
                     ": must be a finite number");
}

}  // namespace

Calibration load_calibration(const std::filesystem::path& yaml, const std::string& expected_model) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(yaml.string());
    } catch (const YAML::BadFile&) {
        throw InputError(yaml.string() + ": cannot be read (missing file or no permission)");
    } catch (const YAML::Exception& e) {
        throw InputError(yaml.string() + ": " + e.what());
    }
    if (!root.IsMap() || !root["model"]) throw InputError(yaml.string() + ": model: missing (not a dxplan calibration file)");
    Calibration c;
    c.model = root["model"].as<std::string>();
    if (!expected_model.empty() && c.model != expected_model)
        throw InputError(yaml.string() + ":" + std::to_string(root["model"].Mark().line + 1) + ": model = " + c.model +
                         ": this calibration is for another model (the scenario uses " + expected_model + ")");
    c.f_mhz = yaml_number(root["f_mhz"], yaml, "f_mhz");
    c.slope_db_per_decade = yaml_number(root["slope_db_per_decade"], yaml, "slope_db_per_decade");
    c.default_offset_db = yaml_number(root["default_offset_db"], yaml, "default_offset_db");
    if (root["d_min_m"] || root["d_max_m"]) {
        c.d_min_m = yaml_number(root["d_min_m"], yaml, "d_min_m");
        c.d_max_m = yaml_number(root["d_max_m"], yaml, "d_max_m");
        if (!(c.d_min_m >= 0.0 && c.d_max_m >= c.d_min_m))
            throw InputError(yaml.string() + ": d_min_m, d_max_m: must satisfy 0 <= d_min_m <= d_max_m");
    }
    const YAML::Node off = root["offset_db"];
    if (off && off.IsMap())
        for (const auto& kv : off) c.offset_db[kv.first.as<std::string>()] = yaml_number(kv.second, yaml, "offset_db." + kv.first.as<std::string>());
    if (const YAML::Node fit = root["fit"]) {
        c.ridge_lambda = yaml_number(fit["ridge_lambda"], yaml, "fit.ridge_lambda");
        c.k_folds = static_cast<int>(yaml_number(fit["k_folds"], yaml, "fit.k_folds"));
        c.n_points = static_cast<std::size_t>(yaml_number(fit["n_points"], yaml, "fit.n_points"));
        c.in_sample_rmse_db = yaml_number(fit["in_sample_rmse_db"], yaml, "fit.in_sample_rmse_db");
        c.cv_rmse_db = yaml_number(fit["cv_rmse_db"], yaml, "fit.cv_rmse_db");
        c.noise_sd_db = yaml_number(fit["noise_sd_db"], yaml, "fit.noise_sd_db");
    }
    if (const YAML::Node pv = root["provenance"]) {
        c.measurements = pv["measurements"] ? pv["measurements"].as<std::string>() : "";
        c.measurements_sha256 = pv["measurements_sha256"] ? pv["measurements_sha256"].as<std::string>() : "";
        c.site = pv["site"] ? pv["site"].as<std::string>() : "";
        c.created_by = pv["created_by"] ? pv["created_by"].as<std::string>() : "";
    }
    return c;
}

}  // namespace dxplan::measure
