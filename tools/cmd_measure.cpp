// `dxplan measurements import|synthesize` and `dxplan calibrate`: drive-test data (libsim/measure) and the
// calibration of a scenario's propagation model (libsim/scenario/measure_stage.hpp). Thin: parse, call, print.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/measure/measurements.hpp"
#include "libsim/measure/synthetic.hpp"
#include "libsim/scenario/measure_stage.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/scenario/world.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

namespace fs = std::filesystem;

struct ImportConfig {
    std::string file, mapping, scenario;
};

void run_import(const ImportConfig& c) {
    const measure::MeasurementSet set =
        measure::import_measurements(c.file, c.mapping.empty() ? measure::ColumnMapping{} : measure::load_column_mapping(c.mapping));
    std::cout << c.file << ": " << set.rows_read << " rows, " << set.points.size() << " measurements ("
              << (set.points.empty() ? "" : std::string(measure::to_string(set.points.front().kind))) << "), "
              << set.excluded.size() << " excluded, " << set.duplicates.size() << " duplicates dropped\n";
    for (const auto& e : set.excluded) std::cout << "  excluded " << c.file << ":" << e.line << ", column " << e.column << ": " << e.message << "\n";
    for (const auto& d : set.duplicates) std::cout << "  duplicate " << c.file << ":" << d.line << ": " << d.message << "\n";
    if (!c.scenario.empty()) {
        const World w = load_world(load_scenario(c.scenario));
        const std::vector<std::size_t> out = measure::lines_outside(set, w.terrain);
        for (std::size_t line : out) std::cout << "  outside the terrain " << c.file << ":" << line << "\n";
        std::cout << out.size() << " points outside the terrain of " << c.scenario << "\n";
        measure::require_on_terrain(set, w.terrain);  // any: exit 2 naming the first
    }
}

struct SynthConfig {
    std::string scenario, site, out, offsets, kind = "rsrp", technology;
    double eirp_dbm = 40.0, noise_db = 4.0, slope = 0.0, min_d_m = 300.0, max_d_m = 5000.0;
    std::uint64_t seed = 1;
    std::size_t per_category = 100;
};

std::map<std::string, double> parse_offsets(const std::string& text) {
    std::map<std::string, double> m;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto eq = item.find('=');
        try {
            if (eq == std::string::npos) throw std::invalid_argument(item);
            std::size_t used = 0;
            m[item.substr(0, eq)] = std::stod(item.substr(eq + 1), &used);
            if (used != item.size() - eq - 1) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            throw InputError("--offsets " + item + ": must be CATEGORY=DB[,CATEGORY=DB...], e.g. forest=8,open=2");
        }
    }
    return m;
}

void run_synth(const SynthConfig& c) {
    const Scenario s = load_scenario(c.scenario);
    const World w = load_world(s);
    const SiteSpec* site = nullptr;
    for (const auto& x : s.sites) site = x.id == c.site ? &x : site;
    if (!site) throw InputError("--site " + c.site + ": no such site in " + c.scenario);
    measure::PredictionSetup setup;
    setup.site = site->pos;
    setup.h_tx_m = site->mast_height_m;
    setup.h_rx_m = s.propagation.h_rx_m;
    setup.model = s.propagation.model;
    setup.params.f_mhz = s.propagation.f_mhz;
    setup.eirp_dbm = c.eirp_dbm;
    measure::SyntheticSpec spec;
    spec.offset_db = parse_offsets(c.offsets);
    spec.slope_db_per_decade = c.slope;
    spec.noise_sd_db = c.noise_db;
    spec.seed = c.seed;
    spec.per_category = c.per_category;
    spec.min_d_m = c.min_d_m;
    spec.max_d_m = c.max_d_m;
    const std::size_t n = measure::write_synthetic_measurements(w.terrain, w.land_cover ? &*w.land_cover : nullptr, setup,
                                                                c.kind == "rsrp" ? measure::PowerKind::rsrp : measure::PowerKind::rssi, spec, c.out);
    std::cout << "dxplan measurements synthesize: wrote " << n << " SYNTHETIC points to " << c.out << "\n";
}

void print_stats(const char* label, const measure::ErrorStats& s) {
    std::cout << "  " << std::left << std::setw(28) << label << std::right << std::fixed << std::setprecision(2) << "ME " << std::setw(7)
              << s.mean_db << "  RMSE " << std::setw(6) << s.rmse_db << "  SD " << std::setw(6) << s.sd_db << "  (n " << s.n << ")\n";
}

}  // namespace

void add_measurements_command(CLI::App& app) {
    CLI::App* cmd = app.add_subcommand("measurements", "Drive-test / walk-test measurements: import and check, or synthesize");
    cmd->require_subcommand(1);
    auto ic = std::make_shared<ImportConfig>();
    CLI::App* imp = cmd->add_subcommand("import", "Read a measurement CSV or GeoJSON and report excluded, duplicate and off-terrain rows");
    imp->footer(
        "Columns: lat_deg, lon_deg, [height_m], rsrp_dbm or rssi_dbm, [snr_db], [f_mhz], [technology], [time];\n"
        "a device's own names through --mapping (YAML: columns: {lat_deg: Latitude, rsrp_dbm: RSRP}).\n\n"
        "Examples:\n"
        "  dxplan measurements import scenarios/data/drive-test-synthetic.csv --scenario scenarios/measured-valley.yaml\n"
        "  dxplan measurements import log.csv --mapping models/measure/mapping-example.yaml");
    imp->add_option("file", ic->file, "CSV or GeoJSON (.geojson/.json)")->required();
    imp->add_option("--mapping", ic->mapping, "column mapping YAML");
    imp->add_option("--scenario", ic->scenario, "check the points against this scenario's terrain (exit 2 if outside)");
    imp->callback([ic] { run_import(*ic); });

    auto sc = std::make_shared<SynthConfig>();
    CLI::App* syn = cmd->add_subcommand("synthesize", "Write SYNTHETIC measurements: the scenario's model + offsets + noise (seeded)");
    syn->footer(
        "For examples and tests only: the file says SYNTHETIC in its first line. docs/measurements.md.\n\n"
        "Example:\n"
        "  dxplan measurements synthesize scenarios/measured-valley.yaml --site village --offsets forest=8,cropland=-2 \\\n"
        "      --noise-db 4 --seed 17 --per-category 60 --out scenarios/data/drive-test-synthetic.csv");
    syn->add_option("scenario", sc->scenario, "scenario file")->required();
    syn->add_option("--site", sc->site, "transmitting site id")->required();
    syn->add_option("--out", sc->out, "CSV to write")->required();
    syn->add_option("--offsets", sc->offsets, "CATEGORY=DB,... added to the model's loss");
    syn->add_option("--slope-db-per-decade", sc->slope, "added slope per decade of distance (1 km reference)");
    syn->add_option("--noise-db", sc->noise_db, "Gaussian noise SD, dB")->capture_default_str();
    syn->add_option("--seed", sc->seed, "random seed")->capture_default_str();
    syn->add_option("--per-category", sc->per_category, "points per clutter category")->capture_default_str();
    syn->add_option("--eirp-dbm", sc->eirp_dbm, "transmitter EIRP, dBm")->capture_default_str();
    syn->add_option("--kind", sc->kind, "rsrp or rssi")->check(CLI::IsMember({"rsrp", "rssi"}))->capture_default_str();
    syn->add_option("--min-distance-m", sc->min_d_m, "nearest point to the site, m")->capture_default_str();
    syn->add_option("--max-distance-m", sc->max_d_m, "farthest point, m")->capture_default_str();
    syn->callback([sc] { run_synth(*sc); });
}

void add_calibrate_command(CLI::App& app) {
    auto cfg = std::make_shared<CalibrateConfig>();
    auto args = std::make_shared<std::vector<std::string>>();
    auto site = std::make_shared<std::string>();
    auto sites = std::make_shared<std::string>();
    auto eirp = std::make_shared<double>(std::numeric_limits<double>::quiet_NaN());
    auto scenario = std::make_shared<std::string>();
    auto meas = std::make_shared<std::string>();
    auto mapping = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("calibrate", "Compare a scenario's propagation model with measurements and fit a correction");
    cmd->footer(
        "Predicted loss at each measured point (the scenario's model over the terrain profile from the site;\n"
        "several --sites: the least-loss one), measured loss = EIRP + receive gain - received power (RSRP per\n"
        "resource element for NR profiles); residuals by clutter category and distance band; a correction\n"
        "offset[category] + slope log10(d / 1 km) fitted by ridge least squares with k-fold cross-validation.\n"
        "Writes DIR/calibration.yaml (use it as propagation.calibration), residuals.csv, summary.json, report.html.\n\n"
        "Example:\n"
        "  dxplan calibrate scenarios/measured-valley.yaml --measurements scenarios/data/drive-test-synthetic.csv \\\n"
        "      --site village --eirp-dbm 40 --out out/calibration");
    cmd->add_option("scenario", *scenario, "scenario file")->required();
    cmd->add_option("--measurements", *meas, "measurement CSV or GeoJSON")->required();
    cmd->add_option("--mapping", *mapping, "column mapping YAML");
    cmd->add_option("--site", *site, "transmitting site id");
    cmd->add_option("--sites", *sites, "several site ids, comma-separated (each point: the least-loss site)");
    cmd->add_option("--model", cfg->model, "propagation model (default: the scenario's)");
    cmd->add_option("--tech", cfg->technology, "technology profile giving the EIRP and receive gain");
    cmd->add_option("--eirp-dbm", *eirp, "transmitter EIRP, dBm (instead of --tech)");
    cmd->add_option("--rx-gain-db", cfg->rx_gain_db, "receive gain minus losses with --eirp-dbm, dB")->capture_default_str();
    cmd->add_option("--ridge-lambda", cfg->ridge_lambda, "ridge regularisation, [0, 1e6]")->capture_default_str();
    cmd->add_option("--folds", cfg->k_folds, "cross-validation folds")->capture_default_str();
    cmd->add_option("--out", *out, "output directory")->required();
    cmd->callback([=] {
        cfg->scenario = *scenario;
        cfg->measurements = *meas;
        cfg->mapping = *mapping;
        cfg->out_dir = *out;
        if (!site->empty() && !sites->empty()) throw InputError("give --site or --sites, not both");
        if (!site->empty()) cfg->sites = {*site};
        std::stringstream ss(*sites);
        for (std::string id; std::getline(ss, id, ',');) cfg->sites.push_back(id);
        if (!std::isnan(*eirp)) cfg->eirp_dbm = *eirp;
        if (cfg->eirp_dbm && !cfg->technology.empty()) throw InputError("give --tech or --eirp-dbm, not both");
        const CalibrateSummary s = calibrate_scenario(*cfg);
        const auto& r = s.report;
        std::cout << "dxplan calibrate: " << r.points.size() << " points, model " << r.model << "\n";
        print_stats("before calibration", r.before.all);
        print_stats("after, in sample", r.after_in_sample.all);
        print_stats("after, cross-validated", r.after_cv.all);
        std::cout << "  slope " << r.fitted.slope_db_per_decade << " dB/decade; offsets:";
        for (const auto& [cat, v] : r.fitted.offset_db) std::cout << " " << cat << " " << v;
        std::cout << " dB; residual SD " << r.fitted.noise_sd_db << " dB\nwrote " << s.calibration_file.string() << "\n";
    });
}

}  // namespace dxplan::cli
