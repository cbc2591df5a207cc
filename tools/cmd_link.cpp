// `dxplan link`: a point-to-point link report between two coordinates on a DEM for one technology: terrain
// profile, Fresnel clearance, path loss from a registered model, every budget term, margin, mode and
// throughput each way, as a table or JSON.
// Thin (ARCHITECTURE.md 10): flags -> terrain + geo + propagation + link library calls -> print.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/link/link.hpp"
#include "libsim/terrain/terrain.hpp"
#include "models/propagation/model.hpp"
#include "models/propagation/p838.hpp"
#include "tools/cli_util.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

struct LinkConfig {
    std::vector<std::string> dems;
    std::string from, to, tech;
    std::string tech_dir = link::default_technology_dir().string();
    std::vector<std::string> sets;
    double h_tx_m = 30.0;
    double h_rx_m = 1.5;
    std::string model = "p526-delta-bullington";
    double location_reliability = 0.5;
    double sigma_db = 0.0;
    double body_loss_db = 0.0;
    double interference_margin_db = 0.0;
    double rain_mm_per_h = 0.0;
    std::string polarization = "vertical";
    std::string base_pattern = "omni";
    double base_azimuth_deg = NAN;  // default: pointing at the terminal
    double base_tilt_deg = 0.0;
    bool indoor = false;
    bool allow_out_of_range = false;
    bool json = false;
};

// A flag's value as given, for error messages.
std::string fmt_number(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

link::AntennaPattern pattern_from(const std::string& spec) {
    if (spec == "omni") return link::omni_pattern();
    if (spec == "sector") return link::sector_pattern();
    return link::load_pattern_csv(spec);
}

void run_link(const LinkConfig& c) {
    const link::Technology tech = link::load_technology(c.tech, parse_sets(c.sets), c.tech_dir);
    const LatLon a = parse_latlon(c.from, "--from"), b = parse_latlon(c.to, "--to");
    for (const auto& [flag, h_m] : {std::pair{"--tx-height-m", c.h_tx_m}, std::pair{"--rx-height-m", c.h_rx_m}})
        if (!(h_m >= 0.0 && h_m <= 1000.0))
            throw InputError(std::string(flag) + " " + fmt_number(h_m) + ": must be in [0, 1000] m");
    if (!(c.rain_mm_per_h >= 0.0 && c.rain_mm_per_h <= 300.0))
        throw InputError("--rain-mm-per-h " + fmt_number(c.rain_mm_per_h) + ": must be in [0, 300] mm/h");
    if (c.polarization != "vertical" && c.polarization != "horizontal")
        throw InputError("--polarization '" + c.polarization + "': must be vertical or horizontal");

    TerrainOptions topt;
    topt.aoi = GeoBox{std::min(a.lat_deg, b.lat_deg), std::min(a.lon_deg, b.lon_deg), std::max(a.lat_deg, b.lat_deg),
                      std::max(a.lon_deg, b.lon_deg)};
    topt.margin_m = 500.0;
    const std::vector<std::filesystem::path> files(c.dems.begin(), c.dems.end());
    const Terrain terrain = load_terrain(files, topt);
    const GeodesicInverse g = geodesic_inverse(a, b);
    if (!(g.d_m > 0.0)) throw InputError("--from and --to are the same point");
    const Profile profile = extract_profile(terrain, a, b);
    const Clearance clr = los_clearance(profile, c.h_tx_m, c.h_rx_m, tech.f_center_mhz);

    const prop::ModelInfo& model = prop::find_model(c.model);
    prop::LossQuery q;
    q.f_mhz = tech.f_center_mhz;
    q.h_tx_m = c.h_tx_m;
    q.h_rx_m = c.h_rx_m;
    q.d_m = model.needs_profile ? profile.length_m() : g.d_m;
    q.profile = profile;
    q.polarization = c.polarization == "vertical" ? prop::Polarization::vertical : prop::Polarization::horizontal;
    q.lat_deg = (a.lat_deg + b.lat_deg) / 2.0;
    // The same out-of-range policy as `dxplan loss`: outside the model's validity range is an error unless allowed.
    q.enforce_ranges = !c.allow_out_of_range;
    const prop::LossResult loss = compute_loss_cli(model, q);

    // Geometry for the antenna patterns: elevation of the terminal seen from the base (and back), with the
    // earth's curvature for k = 4/3 (the ray drops d^2 / (2 k a) below the horizontal).
    const double z_a_m = profile.z_m.front() + c.h_tx_m, z_b_m = profile.z_m.back() + c.h_rx_m;
    const double drop_rad = g.d_m / (2.0 * kEffectiveEarthFactorStandard * kEarthRadiusMean_m);
    const double el_ab_deg = rad_to_deg(std::atan2(z_b_m - z_a_m, g.d_m) - drop_rad);
    const double az_off_deg = std::isnan(c.base_azimuth_deg) ? 0.0 : g.az1_deg - c.base_azimuth_deg;

    link::LinkConditions lc;
    lc.path_loss_db = loss.loss_db;
    lc.base_pattern_atten_db = link::pattern_attenuation_db(pattern_from(c.base_pattern), az_off_deg, el_ab_deg, c.base_tilt_deg);
    double rain_db_per_km = 0.0;
    if (c.rain_mm_per_h > 0.0) {
        // P.838-3 specific attenuation over the whole path length (no P.530 path reduction: conservative).
        const auto r = prop::p838_specific_attenuation(tech.f_center_mhz / 1000.0, c.rain_mm_per_h, std::abs(el_ab_deg),
                                                       c.polarization == "vertical" ? 90.0 : 0.0);
        rain_db_per_km = r.gamma_r_db_per_km;
        lc.extra_losses_db.emplace_back("rain", rain_db_per_km * g.d_m / 1000.0);
    }
    const link::BudgetOptions opt{.outdoor = !c.indoor, .location_reliability = c.location_reliability,
                                  .shadow_sigma_db = c.sigma_db, .body_loss_db = c.body_loss_db,
                                  .interference_margin_db = c.interference_margin_db};
    const link::LinkResult r = link::evaluate_link(tech, lc, opt);

    const auto mode_name = [](const link::DirectionResult& d) -> std::string {
        if (d.mode()) return d.mode()->name;
        return d.budget.rate_model == link::RateModel::attenuated_shannon && d.ok() ? "(attenuated Shannon)" : "none";
    };
    if (c.json) {
        nlohmann::ordered_json j;
        j["technology"] = tech.name;
        j["f_center_mhz"] = tech.f_center_mhz;
        j["base"] = {{"lat_deg", a.lat_deg}, {"lon_deg", a.lon_deg}, {"ground_m", profile.z_m.front()}, {"antenna_height_m", c.h_tx_m}};
        j["terminal"] = {{"lat_deg", b.lat_deg}, {"lon_deg", b.lon_deg}, {"ground_m", profile.z_m.back()}, {"antenna_height_m", c.h_rx_m}};
        j["distance_m"] = g.d_m;
        j["azimuth_deg"] = g.az1_deg;
        j["elevation_deg"] = el_ab_deg;
        j["profile"] = {{"points", profile.z_m.size()}, {"spacing_m", profile.spacing_m}};
        j["clearance"] = {{"line_of_sight", clr.line_of_sight}, {"min_clearance_m", clr.min_clearance_m},
                          {"min_clearance_d_m", clr.min_clearance_d_m}, {"min_f1_fraction", clr.min_f1_fraction},
                          {"min_f1_fraction_d_m", clr.min_f1_fraction_d_m}};
        nlohmann::ordered_json jm = {{"name", model.name}, {"loss_db", loss.loss_db}, {"mode", loss.mode}, {"warnings", loss.warnings}};
        for (const auto& [k, v] : loss.intermediate) jm["intermediate"][k] = v;
        j["model"] = jm;
        if (c.rain_mm_per_h > 0.0) j["rain"] = {{"rate_mm_per_h", c.rain_mm_per_h}, {"gamma_db_per_km", rain_db_per_km}};
        for (const auto* d : {&r.downlink, &r.uplink}) {
            nlohmann::ordered_json jd;
            for (const auto& [k, v] : link::budget_terms(*d)) jd[k] = std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
            jd["mode"] = mode_name(*d);
            jd["ok"] = d->ok();
            jd["limited_by"] = link::to_string(d->limited_by);
            jd["reason"] = d->reason;
            j[std::string(link::to_string(d->budget.direction))] = jd;
        }
        j["ok"] = r.ok();
        j["reason"] = r.reason();
        j["notes"] = tech.notes;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::printf("link %s (%.6g MHz)\n", tech.name.c_str(), tech.f_center_mhz);
    std::printf("base     %.6f,%.6f  ground %.1f m  antenna %.1f m\n", a.lat_deg, a.lon_deg, profile.z_m.front(), c.h_tx_m);
    std::printf("terminal %.6f,%.6f  ground %.1f m  antenna %.1f m\n", b.lat_deg, b.lon_deg, profile.z_m.back(), c.h_rx_m);
    std::printf("distance %.1f m, azimuth %.2f deg, elevation %.2f deg; profile %zu points at %.1f m\n", g.d_m, g.az1_deg,
                el_ab_deg, profile.z_m.size(), profile.spacing_m);
    std::printf("clearance: %s, min %.1f m at %.0f m; min F1 fraction %.2f at %.0f m (0.6 = usual criterion)\n",
                clr.line_of_sight ? "line of sight" : "obstructed", clr.min_clearance_m, clr.min_clearance_d_m,
                clr.min_f1_fraction, clr.min_f1_fraction_d_m);
    std::printf("model %s: %.1f dB (%s)", std::string(model.name).c_str(), loss.loss_db, loss.mode.c_str());
    for (const auto& w : loss.warnings) std::printf(" [warning: %s]", w.c_str());
    std::printf("\n\n%-28s %14s %14s\n", "term", "downlink", "uplink");
    const auto dl = link::budget_terms(r.downlink), ul = link::budget_terms(r.uplink);
    for (std::size_t i = 0; i < dl.size(); ++i)
        std::printf("%-28s %14.2f %14.2f\n", dl[i].first.c_str(), dl[i].second, ul[i].second);
    std::printf("%-28s %14s %14s\n", "mode", mode_name(r.downlink).c_str(), mode_name(r.uplink).c_str());
    std::printf("%-28s %14s %14s\n", "limited_by", std::string(link::to_string(r.downlink.limited_by)).c_str(),
                std::string(link::to_string(r.uplink.limited_by)).c_str());
    for (const auto& n : tech.notes) std::printf("note: %s\n", n.c_str());
    std::printf("\n%s\n", r.ok() ? "link closes both ways" : ("link fails: " + r.reason()).c_str());
}

}  // namespace

void add_link_command(CLI::App& app) {
    auto cfg = std::make_shared<LinkConfig>();
    CLI::App* cmd = app.add_subcommand("link", "Point-to-point link report between two coordinates for one technology");
    cmd->add_option("--dem", cfg->dems, "DEM raster(s) (SRTM .hgt, GeoTIFF, ...), repeatable")->required();
    cmd->add_option("--from", cfg->from, "Base station (gNB / AP / gateway) LAT,LON")->required();
    cmd->add_option("--to", cfg->to, "Terminal LAT,LON")->required();
    cmd->add_option("--tech", cfg->tech, "Technology profile, e.g. halow-jp-1mhz (see `dxplan tech list`)")->required();
    cmd->add_option("--tx-height-m", cfg->h_tx_m, "Base antenna height above ground, m")->capture_default_str();
    cmd->add_option("--rx-height-m", cfg->h_rx_m, "Terminal antenna height above ground, m")->capture_default_str();
    cmd->add_option("--model", cfg->model, "Propagation model (see `dxplan loss --list`)")->capture_default_str();
    cmd->add_option("--set", cfg->sets, "Override a profile field, FIELD=VALUE (repeatable)");
    cmd->add_option("--location-reliability", cfg->location_reliability, "Target location reliability for the fade margin, (0, 1)")->capture_default_str();
    cmd->add_option("--sigma-db", cfg->sigma_db, "Shadowing / model variability sigma, dB")->capture_default_str();
    cmd->add_option("--body-loss-db", cfg->body_loss_db, "Body loss at the terminal, dB")->capture_default_str()->check(finite_range(0.0, 60.0, "dB"));
    cmd->add_option("--interference-margin-db", cfg->interference_margin_db, "Interference allowance, dB")->capture_default_str();
    cmd->add_option("--rain-mm-per-h", cfg->rain_mm_per_h, "Rain rate over the whole path (ITU-R P.838-3), mm/h")->capture_default_str();
    cmd->add_option("--polarization", cfg->polarization, "vertical or horizontal")->capture_default_str();
    cmd->add_option("--base-pattern", cfg->base_pattern, "Base antenna: omni, sector (TR 38.901 65 deg) or a pattern CSV file")->capture_default_str();
    cmd->add_option("--base-azimuth-deg", cfg->base_azimuth_deg, "Base antenna boresight azimuth (default: toward the terminal)")->check(finite_range(-360.0, 360.0, "deg"));
    cmd->add_option("--base-tilt-deg", cfg->base_tilt_deg, "Base antenna electrical downtilt, deg")->capture_default_str()->check(finite_range(-90.0, 90.0, "deg"));
    cmd->add_flag("--allow-out-of-range", cfg->allow_out_of_range,
                  "Compute outside the model's validity range and report a warning instead of failing");
    cmd->add_flag("--indoor", cfg->indoor, "Indoor use (allows indoor-only bands such as 6 GHz LPI, W52/W53)");
    cmd->add_flag("--json", cfg->json, "Print JSON");
    cmd->add_option("--tech-dir", cfg->tech_dir, "Folder of technology profiles")->capture_default_str();
    cmd->callback([cfg] { run_link(*cfg); });
}

}  // namespace dxplan::cli
