// `dxplan capacity`: how many terminals of one traffic profile one cell of one technology carries: offered and
// carried load, delivery ratio, mean and 99th-percentile access delay, the largest N meeting the target, and a
// curve against N (CSV and PNG). Thin (ARCHITECTURE.md 10): flags -> traffic::capacity_study -> print.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/output_set.hpp"
#include "libsim/link/link.hpp"
#include "libsim/output/chart_png.hpp"
#include "libsim/traffic/load.hpp"
#include "libsim/traffic/traffic.hpp"
#include "tools/cli_util.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

struct CapacityConfig {
    std::string tech, traffic, processing = "raw";
    std::string tech_dir = link::default_technology_dir().string();
    std::vector<std::string> sets;
    double devices = NAN;
    double snr_db = NAN;
    std::string sinr_csv;
    double downlink_offset_db = 0.0;
    std::string sweep;
    std::string csv_out, png_out;
    double target_delivery = NAN, target_p99_ms = NAN;
    traffic::LoadOptions opt;
    bool json = false;
};

std::string num(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// "FROM:TO[:log|lin[:POINTS]]"
traffic::Sweep parse_sweep(const std::string& s) {
    traffic::Sweep w;
    w.points = 50;
    std::vector<std::string> part;
    std::stringstream ss(s);
    for (std::string p; std::getline(ss, p, ':');) part.push_back(p);
    const auto bad = [&] { return InputError("--sweep-devices '" + s + "': must be FROM:TO[:log|lin[:POINTS]] with 1 <= FROM < TO <= 1e7, POINTS in [2, 100000]"); };
    if (part.size() < 2 || part.size() > 4) throw bad();
    try {
        std::size_t used = 0;
        w.from = std::stod(part[0], &used);
        if (used != part[0].size()) throw bad();
        w.to = std::stod(part[1], &used);
        if (used != part[1].size()) throw bad();
        if (part.size() > 2) {
            if (part[2] != "log" && part[2] != "lin") throw bad();
            w.log = part[2] == "log";
        }
        if (part.size() > 3) {
            w.points = std::stoi(part[3], &used);
            if (used != part[3].size()) throw bad();
        }
    } catch (const std::logic_error&) {
        throw bad();
    }
    if (!(w.from >= 1.0 && w.to > w.from && w.to <= 1e7) || w.points < 2 || w.points > 100000) throw bad();
    return w;
}

// SINR samples: one per line; a header naming a column `sinr_db` selects that column, else the first column.
std::vector<double> read_sinr_csv(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw InputError("--sinr-csv " + file + ": cannot read the file");
    std::vector<double> v;
    std::size_t column = 0;
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
        if (v.empty() && line_no == 1 && !cells.empty() && !cells[0].empty() && std::isalpha(static_cast<unsigned char>(cells[0][0]))) {
            for (std::size_t i = 0; i < cells.size(); ++i)
                if (cells[i] == "sinr_db") column = i;
            continue;
        }
        try {
            std::size_t used = 0;
            const double x = std::stod(cells.at(column), &used);
            if (!std::isfinite(x) || x < -50 || x > 80) throw std::out_of_range("");
            v.push_back(x);
        } catch (const std::exception&) {
            throw InputError(file + ":" + std::to_string(line_no) + ": sinr_db must be a number in [-50, 80] dB");
        }
    }
    if (v.empty()) throw InputError("--sinr-csv " + file + ": no SINR values (one number in [-50, 80] dB per line)");
    return v;
}

nlohmann::ordered_json to_json(const traffic::LoadResult& r) {
    const auto num_or_null = [](double x) { return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr); };
    nlohmann::ordered_json j;
    j["devices"] = r.devices;
    j["offered_load"] = r.offered_load_bps;
    j["carried_load"] = r.carried_load_bps;
    j["delivery_ratio"] = r.delivery_ratio;
    j["delay_ms"] = {{"mean", num_or_null(r.delay_mean_ms)}, {"p99", num_or_null(r.delay_p99_ms)}};
    j["meets_target"] = r.meets_target;
    for (const auto* d : {&r.uplink, &r.downlink})
        j[d == &r.uplink ? "uplink" : "downlink"] = {
            {"offered_bps", d->offered_bps}, {"carried_bps", d->carried_bps}, {"packets_per_s", d->packets_per_s},
            {"delay_ms", {{"mean", num_or_null(d->delay_mean_ms)}, {"p99", num_or_null(d->delay_p99_ms)}}},
            {"utilisation", d->utilisation}};
    return j;
}

std::string curve_csv(const std::vector<traffic::LoadResult>& curve) {
    std::ostringstream o;
    o << "devices,offered_load_bps,carried_load_bps,delivery_ratio,delay_mean_ms,delay_p99_ms,ul_utilisation,dl_utilisation,meets_target\n";
    for (const auto& r : curve)
        o << num(r.devices) << ',' << num(r.offered_load_bps) << ',' << num(r.carried_load_bps) << ',' << num(r.delivery_ratio)
          << ',' << num(r.delay_mean_ms) << ',' << num(r.delay_p99_ms) << ',' << num(r.uplink.utilisation) << ','
          << num(r.downlink.utilisation) << ',' << (r.meets_target ? 1 : 0) << '\n';
    return o.str();
}

// Delivery ratio (blue, left axis 0..1) and p99 delay (orange, right axis, log ms) against N (log).
output::LineChart curve_chart(const std::vector<traffic::LoadResult>& curve, bool log_x) {
    output::LineChart c;
    output::ChartSeries delivery{{}, 31, 119, 180, false}, p99{{}, 255, 127, 14, true};
    double lo = INFINITY, hi = 0.0;
    for (const auto& r : curve) {
        c.x.push_back(r.devices);
        delivery.y.push_back(r.delivery_ratio);
        p99.y.push_back(r.delay_p99_ms);
        if (std::isfinite(r.delay_p99_ms) && r.delay_p99_ms > 0) lo = std::min(lo, r.delay_p99_ms), hi = std::max(hi, r.delay_p99_ms);
    }
    c.x_axis = {curve.front().devices, curve.back().devices, log_x};
    c.left = {0.0, 1.0, false};
    if (!(hi > 0)) lo = 1, hi = 10;
    c.right = {std::pow(10.0, std::floor(std::log10(lo))), std::pow(10.0, std::ceil(std::log10(hi) + 1e-9)), true};
    c.series = {delivery, p99};
    return c;
}

void run_capacity(const CapacityConfig& c) {
    if (!(c.devices >= 1.0 && c.devices <= 1e7))
        throw InputError("--devices " + num(c.devices) + ": must be a number of terminals in [1, 1e7]");
    if (std::isnan(c.snr_db) == c.sinr_csv.empty())
        throw InputError("--snr-db X or --sinr-csv FILE: give exactly one (the SINR of the cell's terminals)");
    if (c.processing != "raw" && c.processing != "edge") throw InputError("--processing '" + c.processing + "': must be raw or edge");
    if ((!c.csv_out.empty() || !c.png_out.empty()) && c.sweep.empty())
        throw InputError("--csv/--png: need --sweep-devices FROM:TO[:log|lin[:POINTS]] (the curve they hold)");
    // The curve's files: checked before any work (never an input), published together (libsim/core/output_set.hpp).
    OutputSet outputs({c.sinr_csv, c.traffic});
    const std::filesystem::path csv_staged = c.csv_out.empty() ? std::filesystem::path() : outputs.add_file(c.csv_out, "--csv");
    const std::filesystem::path png_staged = c.png_out.empty() ? std::filesystem::path() : outputs.add_file(c.png_out, "--png");
    const link::Technology tech = link::load_technology(c.tech, parse_sets(c.sets), c.tech_dir);
    traffic::Profile profile;
    try {
        profile = traffic::with_processing(traffic::load_profile(c.traffic), c.processing == "edge" ? traffic::Processing::edge : traffic::Processing::raw);
    } catch (const InputError& e) {
        throw InputError(std::string("--traffic: ") + e.what());
    }
    traffic::CellRadio cell;
    cell.sinr_db = c.sinr_csv.empty() ? std::vector<double>{c.snr_db} : read_sinr_csv(c.sinr_csv);
    cell.downlink_offset_db = c.downlink_offset_db;
    traffic::LoadOptions o = c.opt;
    o.target = profile.target;
    if (!std::isnan(c.target_delivery)) o.target.delivery_ratio = c.target_delivery;
    if (!std::isnan(c.target_p99_ms)) o.target.delay_p99_ms = c.target_p99_ms;
    traffic::Sweep sweep;
    if (!c.sweep.empty()) sweep = parse_sweep(c.sweep);

    const traffic::CapacityStudy s = traffic::capacity_study(tech, profile, cell, c.devices, o, c.sweep.empty() ? nullptr : &sweep);

    // Outputs: both staged, then published together.
    if (!s.curve.empty()) {
        if (!csv_staged.empty()) {
            std::ofstream csv(csv_staged, std::ios::binary);
            csv << curve_csv(s.curve);
            if (!csv.flush()) throw InputError("--csv " + c.csv_out + ": cannot write");
        }
        if (!png_staged.empty()) output::write_line_chart_png(png_staged, curve_chart(s.curve, sweep.log));
        outputs.publish(c.tech + " " + c.traffic);
    }
    const traffic::LoadResult& r = s.at_devices;
    if (c.json) {
        nlohmann::ordered_json out = {{"technology", tech.name}, {"traffic", profile.name}, {"processing", c.processing}, {"model", r.model}};
        const nlohmann::ordered_json head = to_json(r);
        for (const auto& [k, v] : head.items()) out[k] = v;
        out["max_devices_for_target"] = s.max_devices;
        out["target"] = {{"delivery_ratio", o.target.delivery_ratio}, {"delay_p99_ms", o.target.delay_p99_ms < 1e299 ? nlohmann::ordered_json(o.target.delay_p99_ms) : nlohmann::ordered_json(nullptr)}};
        out["units"] = {{"offered_load", "bit/s"}, {"carried_load", "bit/s"}, {"delay_ms", "ms"}};
        for (const auto& [k, v] : r.intermediates) out["intermediates"][k] = v;
        out["warnings"] = r.warnings;
        if (!s.curve.empty()) {
            out["curve"] = nlohmann::ordered_json::array();
            for (const auto& p : s.curve) out["curve"].push_back(to_json(p));
        }
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("capacity %s, traffic %s (%s): %s\n", tech.name.c_str(), profile.name.c_str(), c.processing.c_str(), r.model.c_str());
    std::printf("devices                 %g\n", r.devices);
    std::printf("offered load            %.6g bit/s (uplink %.6g, downlink %.6g)\n", r.offered_load_bps, r.uplink.offered_bps, r.downlink.offered_bps);
    std::printf("carried load            %.6g bit/s\n", r.carried_load_bps);
    std::printf("delivery ratio          %.6f\n", r.delivery_ratio);
    std::printf("access delay            mean %.4g ms, p99 %.4g ms\n", r.delay_mean_ms, r.delay_p99_ms);
    std::printf("target                  delivery >= %g, p99 <= %g ms: %s\n", o.target.delivery_ratio, o.target.delay_p99_ms,
                r.meets_target ? "met" : "NOT met");
    std::printf("max devices for target  %g\n", s.max_devices);
    for (const auto& [k, v] : r.intermediates) std::printf("  %-28s %.6g\n", k.c_str(), v);
    for (const auto& w : r.warnings) std::printf("warning: %s\n", w.c_str());
    if (!s.curve.empty() && c.csv_out.empty() && c.png_out.empty()) std::cout << "\n" << curve_csv(s.curve);
}

}  // namespace

void add_capacity_command(CLI::App& app) {
    auto cfg = std::make_shared<CapacityConfig>();
    CLI::App* cmd = app.add_subcommand("capacity", "How many terminals one cell carries: load, delivery, delay against N");
    cmd->footer(R"(
What it computes (docs/traffic.md has the models and their sources):
  N terminals of one traffic profile share one cell whose terminals have the given SINR (one value, or a
  CSV of samples each standing for an equal share of the terminals). The model is the technology family's:
    lorawan-*  pure ALOHA per SF and channel (S = G e^-2G), ARIB STD-T108 4 s / 50 ms, class A, gateway ACKs
    halow-*, wifi*  802.11 DCF (Bianchi 2000) with a non-saturated extension, RTS/CTS, HaLow RAW, 10 % duty
    local5g-*  NR proportional fair over the MCS table, TDD pattern, SR/grant, HARQ, M/D/1 queue
    ltem, nbiot  random access as slotted ALOHA with retries, CE repetitions, scheduled data channel
  offered_load / carried_load are application bit/s (both directions); delay_ms is the access delay of a
  delivered packet (mean, 99th percentile); max_devices_for_target is the largest N meeting the profile's
  target (or --target-delivery / --target-p99-ms).

Traffic profiles: models/traffic/*.yaml (water-level-sensor, smart-meter, camera-1080p-h264,
camera-1080p-h265, drone-telemetry, vehicle-monitoring) or your own YAML file (schema: models/traffic/README.md).

Examples:
  dxplan capacity --tech lorawan-as923-jp --devices 1000 --traffic water-level-sensor --snr-db 0
  dxplan capacity --tech local5g-n79-100mhz --devices 20 --traffic camera-1080p-h264 --snr-db 12 --json
  dxplan capacity --tech local5g-n79-100mhz --devices 20 --traffic camera-1080p-h264 --processing edge --snr-db 12
  dxplan capacity --tech halow-jp-1mhz --devices 50 --traffic smart-meter --sinr-csv cell.csv \
      --sweep-devices 10:10000:log --csv curve.csv --png curve.png
PNG: x = devices (log for a log sweep); blue = delivery ratio (left axis, 0-1); orange = p99 delay (right axis, ms, log).
Bad input (N <= 0, zero interval, payload above the technology's maximum, unknown profile): exit 2, one line.)");
    cmd->add_option("--tech", cfg->tech, "Technology profile (see `dxplan tech list`)")->required();
    cmd->add_option("--devices", cfg->devices, "Number of terminals in the cell, [1, 1e7]")->required();
    cmd->add_option("--traffic", cfg->traffic, "Traffic profile name (models/traffic) or a .yaml file")->required();
    cmd->add_option("--processing", cfg->processing, "raw (sensor data over the air) or edge (the profile's edge flows)")->capture_default_str();
    cmd->add_option("--snr-db", cfg->snr_db, "Uplink SINR of every terminal, dB");
    cmd->add_option("--sinr-csv", cfg->sinr_csv, "CSV of uplink SINR samples (column sinr_db, or the first column), dB");
    cmd->add_option("--downlink-offset-db", cfg->downlink_offset_db, "Downlink SINR minus uplink SINR, dB")->capture_default_str();
    cmd->add_option("--sweep-devices", cfg->sweep, "Curve against N: FROM:TO[:log|lin[:POINTS]] (default log, 50 points)");
    cmd->add_option("--csv", cfg->csv_out, "Write the curve as CSV");
    cmd->add_option("--png", cfg->png_out, "Write the curve as PNG");
    cmd->add_option("--target-delivery", cfg->target_delivery, "Delivery ratio target, [0, 1] (default: the profile's)");
    cmd->add_option("--target-p99-ms", cfg->target_p99_ms, "99th-percentile delay target, ms (default: the profile's)");
    cmd->add_option("--lora-channels", cfg->opt.lora_channels, "LoRaWAN uplink channels, [1, 64]")->capture_default_str();
    cmd->add_option("--capture-probability", cfg->opt.lora_capture_probability, "LoRa: P(frame survives one overlapping frame), [0, 1]")->capture_default_str();
    cmd->add_flag("--rts-cts", cfg->opt.rts_cts, "802.11: RTS/CTS before every data frame");
    cmd->add_option("--raw-groups", cfg->opt.raw_groups, "HaLow RAW groups, [1, 64] (1: no RAW)")->capture_default_str();
    cmd->add_option("--harq-bler", cfg->opt.harq_bler, "NR/LTE-M/NB-IoT first-transmission BLER, [0, 0.5]")->capture_default_str();
    cmd->add_flag("--configured-grant", cfg->opt.configured_grant, "NR uplink with a configured grant (no SR)");
    cmd->add_option("--rach-max-attempts", cfg->opt.rach_max_attempts, "LTE-M/NB-IoT preambleTransMax, [1, 200]")->capture_default_str();
    cmd->add_option("--set", cfg->sets, "Override a technology profile field, FIELD=VALUE (repeatable)");
    cmd->add_option("--tech-dir", cfg->tech_dir, "Folder of technology profiles")->capture_default_str();
    cmd->add_flag("--json", cfg->json, "Print JSON");
    cmd->callback([cfg] { run_capacity(*cfg); });
}

}  // namespace dxplan::cli
