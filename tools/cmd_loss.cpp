// `dxplan loss`: one path loss from any registered propagation model, over a terrain profile file (terrain
// models) or a distance (distance-based models). Thin: parse flags -> LossQuery -> prop::compute_loss -> print.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/input_file.hpp"
#include "libsim/core/profile.hpp"
#include "models/propagation/model.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/scenario/world.hpp"
#include "libsim/terrain/terrain.hpp"
#include "tools/cli_util.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

struct LossConfig {
    std::string model;
    bool list = false;
    std::string profile_path;
    double f_mhz = NAN;
    double h_tx_m = NAN;
    double h_rx_m = NAN;
    double d_m = NAN;
    std::string polarization = "vertical";
    int climate = 5;
    double n0 = 301.0;
    double epsilon = 15.0;
    double sigma_s_per_m = 0.005;
    int mdvar = 12;
    double time_pct = 50.0;
    double location_pct = 50.0;
    double situation_pct = 50.0;
    double lat_deg = 36.0;
    std::string condition = "auto";
    double building_height_m = 5.0;
    double street_width_m = 20.0;
    bool allow_out_of_range = false;
    bool json = false;
};

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Parses one number; throws InputError naming the place on anything else (NaN and inf are rejected too).
double parse_number(const std::string& text, const std::string& where) {
    const std::string t = trim(text);
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size())
        throw InputError(where + ": '" + t + "' is not a number");
    if (!std::isfinite(v)) throw InputError(where + ": '" + t + "' is not a finite number");
    return v;
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(trim(cell));
    return cells;
}

// A profile file: heights and, optionally, clutter heights per point (CSV column clutter_m, used by P.1812).
struct ProfileFile {
    Profile profile;
    std::vector<double> clutter_m;
};

// CSV with a header naming distance_m and elevation_m (optional clutter_m); distances uniform, starting at 0.
ProfileFile read_csv_profile(const std::vector<std::string>& lines, const std::string& path) {
    const auto header = split_csv(lines[0]);
    int i_d = -1;
    int i_z = -1;
    int i_c = -1;
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (header[c] == "distance_m") i_d = static_cast<int>(c);
        if (header[c] == "elevation_m") i_z = static_cast<int>(c);
        if (header[c] == "clutter_m") i_c = static_cast<int>(c);
    }
    if (i_d < 0 || i_z < 0)
        throw InputError(path + ":1: missing column '" + std::string(i_d < 0 ? "distance_m" : "elevation_m") +
                         "' (the header must be distance_m,elevation_m)");
    std::vector<double> d_m;
    ProfileFile f;
    Profile& p = f.profile;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string where = path + ":" + std::to_string(i + 1);
        const auto cells = split_csv(lines[i]);
        const auto need = static_cast<std::size_t>(std::max({i_d, i_z, i_c}));
        if (cells.size() <= need) throw InputError(where + ": expected a value in every column of the header");
        d_m.push_back(parse_number(cells[i_d], where + ": distance_m"));
        p.z_m.push_back(parse_number(cells[i_z], where + ": elevation_m"));
        if (i_c >= 0) f.clutter_m.push_back(parse_number(cells[i_c], where + ": clutter_m"));
    }
    if (p.z_m.size() < 2)
        throw InputError(path + ": the profile has " + std::to_string(p.z_m.size()) + " point(s); at least 2 are needed");
    if (d_m[0] != 0.0) throw InputError(path + ":2: the first distance_m must be 0 (the transmitter)");
    // The spacing from the whole length (the best estimate when distances are printed rounded); every
    // distance must then sit on the uniform grid within 1 mm, the precision `dxplan terrain profile` prints.
    p.spacing_m = d_m.back() / static_cast<double>(d_m.size() - 1);
    if (!(d_m[1] > d_m[0])) throw InputError(path + ":3: distance_m must increase");
    for (std::size_t i = 1; i < d_m.size(); ++i) {
        const double expected_m = p.spacing_m * static_cast<double>(i);
        if (std::abs(d_m[i] - expected_m) > 1e-3 + 1e-9 * expected_m)
            throw InputError(path + ":" + std::to_string(i + 2) + ": non-uniform spacing: distance_m = " +
                             std::to_string(d_m[i]) + ", expected " + std::to_string(expected_m) +
                             " (profiles must be uniformly spaced)");
    }
    return f;
}

// ITM's pfl layout: n_intervals spacing_m z0 z1 ... zn, separated by spaces, newlines or commas.
Profile read_pfl_profile(const std::vector<std::string>& lines, const std::string& path) {
    std::vector<std::string> tokens;
    for (const auto& line : lines) {
        std::string t = line;
        for (char& ch : t)
            if (ch == ',') ch = ' ';
        std::istringstream ss(t);
        std::string tok;
        while (ss >> tok) tokens.push_back(tok);
    }
    if (tokens.size() < 2) throw InputError(path + ": a pfl file starts with n_intervals and spacing_m");
    const double n = parse_number(tokens[0], path + ": n_intervals");
    Profile p;
    p.spacing_m = parse_number(tokens[1], path + ": spacing_m");
    for (std::size_t i = 2; i < tokens.size(); ++i)
        p.z_m.push_back(parse_number(tokens[i], path + ": height " + std::to_string(i - 2)));
    if (p.z_m.size() < 2)
        throw InputError(path + ": the profile has " + std::to_string(p.z_m.size()) + " point(s); at least 2 are needed");
    if (n != static_cast<double>(p.z_m.size() - 1))
        throw InputError(path + ": n_intervals = " + tokens[0] + " but " + std::to_string(p.z_m.size()) +
                         " heights follow (expected n_intervals + 1)");
    if (!(p.spacing_m > 0.0)) throw InputError(path + ": spacing_m must be > 0");
    return p;
}

ProfileFile read_profile(const std::string& path) {
    // A regular, readable file of bounded size (not /dev/urandom, a FIFO or a folder), before reading it.
    constexpr std::uintmax_t kMaxProfileBytes = 256u << 20;  // ~10 million samples as text
    if (check_input_file(path, "--profile") > kMaxProfileBytes)
        throw InputError("--profile " + path + ": larger than 256 MiB; profiles of more than about 10 million samples are refused");
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot open the profile file");
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line))
        if (!trim(line).empty()) lines.push_back(line);
    if (lines.empty()) throw InputError(path + ": the profile file is empty");
    // A pfl file starts with a number (n_intervals); a CSV starts with its header.
    const std::string first = trim(lines[0].substr(0, lines[0].find_first_of(", \t")));
    char* end = nullptr;
    std::strtod(first.c_str(), &end);
    const bool has_header = first.empty() || end != first.c_str() + first.size();
    return has_header ? read_csv_profile(lines, path) : ProfileFile{read_pfl_profile(lines, path), {}};
}

void print_list() {
    for (const auto& m : prop::all_models())
        std::cout << std::left << std::setw(24) << m.name << (m.needs_profile ? "profile   " : "distance  ")
                  << m.description << "\n";
}

// The query's model parameters from the flags (everything but the path itself).
prop::LossQuery query_from(const LossConfig& c) {
    if (std::isnan(c.f_mhz)) throw InputError("--freq-mhz is required");
    if (std::isnan(c.h_tx_m) || std::isnan(c.h_rx_m)) throw InputError("--tx-height-m and --rx-height-m are required");
    prop::LossQuery q;
    q.f_mhz = c.f_mhz;
    q.h_tx_m = c.h_tx_m;
    q.h_rx_m = c.h_rx_m;
    q.polarization = c.polarization == "horizontal" ? prop::Polarization::horizontal : prop::Polarization::vertical;
    q.climate = c.climate;
    q.n0 = c.n0;
    q.epsilon = c.epsilon;
    q.sigma_s_per_m = c.sigma_s_per_m;
    q.mdvar = c.mdvar;
    q.time_pct = c.time_pct;
    q.location_pct = c.location_pct;
    q.situation_pct = c.situation_pct;
    q.lat_deg = c.lat_deg;
    q.condition = c.condition == "los" ? prop::Condition::los
                                       : (c.condition == "nlos" ? prop::Condition::nlos : prop::Condition::automatic);
    q.building_height_m = c.building_height_m;
    q.street_width_m = c.street_width_m;
    // Inputs outside a model's validity range ("*_out_of_range" warnings) are errors unless allowed; a model's
    // advisory flags (ITM's "path_distance_too_small_2", ...) stay warnings either way (registry.cpp).
    q.enforce_ranges = !c.allow_out_of_range;
    return q;
}

void compute_and_print(const prop::ModelInfo& model, const prop::LossQuery& q, const LossConfig& c) {
    const prop::LossResult r = compute_loss_cli(model, q);
    if (!std::isfinite(r.loss_db))
        throw InputError("model " + c.model + ": no finite loss for these inputs (distance " + std::to_string(q.d_m) +
                         " m); check --distance-m / --profile and the heights");
    if (c.json) {
        nlohmann::ordered_json j;
        j["model"] = std::string(model.name);
        j["loss_db"] = r.loss_db;
        j["mode"] = r.mode;
        j["warnings"] = r.warnings;
        j["intermediate"] = nlohmann::ordered_json::object();
        for (const auto& [name, value] : r.intermediate) j["intermediate"][name] = value;
        j["d_m"] = q.d_m;
        j["f_mhz"] = q.f_mhz;
        std::cout << j.dump() << "\n";
        return;
    }
    std::cout << std::fixed << std::setprecision(2);
    std::cout << "model            " << model.name << "\n"
              << "loss_db          " << r.loss_db << "\n"
              << "mode             " << r.mode << "\n"
              << "distance_m       " << q.d_m << "\n"
              << "warnings         ";
    for (std::size_t i = 0; i < r.warnings.size(); ++i) std::cout << (i ? ", " : "") << r.warnings[i];
    std::cout << (r.warnings.empty() ? "none\n" : "\n");
    std::cout << std::setprecision(6);
    for (const auto& [name, value] : r.intermediate) std::cout << "  " << std::left << std::setw(17) << name << value << "\n";
}

void run_loss(const LossConfig& c) {
    if (c.list) {
        print_list();
        return;
    }
    if (c.model.empty()) throw InputError("--model is required (see `dxplan loss --list`)");
    const prop::ModelInfo& model = prop::find_model(c.model);
    prop::LossQuery q = query_from(c);
    ProfileFile file;
    if (model.needs_profile) {
        if (c.profile_path.empty())
            throw InputError("model " + c.model + " is a terrain model: --profile FILE is required");
        file = read_profile(c.profile_path);
        q.profile = file.profile;
        q.clutter_m = file.clutter_m;
        q.d_m = file.profile.length_m();
    } else {
        if (std::isnan(c.d_m)) throw InputError("model " + c.model + " needs --distance-m");
        q.d_m = c.d_m;
    }
    compute_and_print(model, q, c);
}

// `dxplan p2p`: the same computation over the profile between two coordinates on a terrain (a scenario's,
// or DEM files), extracted along the WGS84 geodesic at the DEM's native spacing unless told otherwise.
struct P2PConfig : LossConfig {
    std::string scenario;
    std::vector<std::string> dems;
    std::string from;
    std::string to;
    double spacing_m = 0.0;
};

void run_p2p(const P2PConfig& c) {
    if (c.model.empty()) throw InputError("--model is required (see `dxplan loss --list`)");
    const prop::ModelInfo& model = prop::find_model(c.model);
    prop::LossQuery q = query_from(c);
    const LatLon from = parse_latlon(c.from, "--from");
    const LatLon to = parse_latlon(c.to, "--to");
    if (!(c.spacing_m >= 0.0)) throw InputError("--spacing-m: must be >= 0 m (0: the DEM's native spacing)");
    if (c.scenario.empty() == c.dems.empty()) throw InputError("give either --scenario FILE or --dem FILE (not both)");
    Terrain terrain;
    if (!c.scenario.empty()) {
        terrain = load_world(load_scenario(c.scenario)).terrain;
    } else {
        const std::vector<std::filesystem::path> files(c.dems.begin(), c.dems.end());
        terrain = load_terrain(files);
    }
    require_inside(terrain, from, "--from");
    require_inside(terrain, to, "--to");
    const Profile profile = extract_profile(terrain, from, to, c.spacing_m);
    if (profile.z_m.size() < 2) throw InputError("--from and --to are the same point");
    const GeodesicInverse g = geodesic_inverse(from, to);
    const LatLon mid = geodesic_direct(from, g.az1_deg, g.d_m / 2.0);  // path centre for the ITU-R models
    q.lat_deg = mid.lat_deg;
    q.profile = profile;  // distance-based models use only the ground distance
    q.d_m = profile.length_m();
    compute_and_print(model, q, c);
}

// The model options shared by `loss` and `p2p`.
void add_model_options(CLI::App* cmd, LossConfig& cfg) {
    cmd->add_option("--model", cfg.model, "Model name from the registry (see `dxplan loss --list`), e.g. itm");
    cmd->add_option("--freq-mhz", cfg.f_mhz, "Frequency, MHz");
    cmd->add_option("--tx-height-m", cfg.h_tx_m, "Transmitter antenna height above ground, m");
    cmd->add_option("--rx-height-m", cfg.h_rx_m, "Receiver antenna height above ground, m");
    cmd->add_option("--polarization", cfg.polarization, "vertical or horizontal (default vertical)")
        ->check(CLI::IsMember({"vertical", "horizontal"}));
    cmd->add_option("--climate", cfg.climate, "ITM radio climate 1..7 (default 5, continental temperate)");
    cmd->add_option("--n0", cfg.n0, "Surface refractivity N_0, N-units (default 301)");
    cmd->add_option("--epsilon", cfg.epsilon, "Relative permittivity of ground (default 15)");
    cmd->add_option("--sigma", cfg.sigma_s_per_m, "Ground conductivity, S/m (default 0.005)");
    cmd->add_option("--mdvar", cfg.mdvar, "ITM variability mode 0-3 (+10, +20) (default 12)");
    cmd->add_option("--time", cfg.time_pct, "Time percentage (0, 100) (default 50)");
    cmd->add_option("--location", cfg.location_pct, "Location percentage (0, 100) (default 50)");
    cmd->add_option("--situation", cfg.situation_pct, "Situation percentage (0, 100) (default 50)");
    cmd->add_option("--condition", cfg.condition, "los, nlos or auto for statistical models (default auto)")
        ->check(CLI::IsMember({"los", "nlos", "auto"}));
    cmd->add_option("--building-height-m", cfg.building_height_m, "Average building height (TR 38.901 RMa), m");
    cmd->add_option("--street-width-m", cfg.street_width_m, "Average street width (TR 38.901 RMa), m");
    cmd->add_flag("--allow-out-of-range", cfg.allow_out_of_range,
                  "Compute outside the model's validity range and report a warning instead of failing");
    cmd->add_flag("--json", cfg.json, "Print one JSON object (loss_db, mode, warnings, intermediate)");
}

}  // namespace

void add_p2p_command(CLI::App& app) {
    auto cfg = std::make_shared<P2PConfig>();
    CLI::App* cmd = app.add_subcommand(
        "p2p", "Path loss between two coordinates on a terrain (the profile is extracted along the geodesic)");
    cmd->footer(
        "The terrain is a scenario's (--scenario) or DEM files (--dem, repeat for a mosaic). The profile is\n"
        "sampled at the DEM's native spacing unless --spacing-m; ITU-R models take the path centre from it.\n\n"
        "Example (ITM, 920 MHz, from a 30 m mast in Kofu to a hamlet 12 km away):\n"
        "  dxplan p2p --dem N35E138.hgt --from 35.6668,138.5688 --to 35.5600,138.6400 --model itm \\\n"
        "      --freq-mhz 920 --tx-height-m 30 --rx-height-m 1.5 --json\n"
        "  dxplan p2p --scenario scenarios/default.yaml --from 36.0,138.2 --to 36.03,138.25 --model p1812 ...");
    add_model_options(cmd, *cfg);
    cmd->add_option("--scenario", cfg->scenario, "Scenario YAML whose terrain to use");
    cmd->add_option("--dem", cfg->dems, "DEM raster (SRTM .hgt, GeoTIFF, ...); repeat for a mosaic");
    cmd->add_option("--from", cfg->from, "Transmitter LAT,LON in decimal degrees")->required();
    cmd->add_option("--to", cfg->to, "Receiver LAT,LON in decimal degrees")->required();
    cmd->add_option("--spacing-m", cfg->spacing_m, "Profile spacing, m (default 0: the DEM's native spacing)");
    cmd->callback([cfg] { run_p2p(*cfg); });
}

void add_loss_command(CLI::App& app) {
    auto cfg = std::make_shared<LossConfig>();
    CLI::App* cmd = app.add_subcommand("loss", "Compute one path loss with a registered propagation model");
    cmd->footer(
        "Terrain models read a profile: a CSV with header distance_m,elevation_m (uniform spacing, first row 0;\n"
        "an optional clutter_m column gives P.1812 clutter heights)\n"
        "or an ITM pfl text file (n_intervals spacing_m z0 z1 ... zn).\n\n"
        "Examples:\n"
        "  dxplan loss --model itm --profile path.csv --freq-mhz 920 --tx-height-m 30 --rx-height-m 1.5 \\\n"
        "      --climate 5 --n0 301 --epsilon 15 --sigma 0.005 --mdvar 12 --time 50 --location 50 --situation 50 --json\n"
        "  dxplan loss --model free-space --distance-m 5000 --freq-mhz 3500 --tx-height-m 30 --rx-height-m 1.5\n"
        "  dxplan loss --list\n\n"
        "Inputs outside a model's validity range (ITM: 20 MHz-20 GHz, heights 0.5-3000 m) are errors (exit 2)\n"
        "unless --allow-out-of-range, which computes and lists the warning. For two coordinates on a DEM, see\n"
        "`dxplan p2p`.");
    cmd->add_flag("--list", cfg->list, "List the registered models and exit");
    add_model_options(cmd, *cfg);
    cmd->add_option("--profile", cfg->profile_path, "Terrain profile file (CSV distance_m,elevation_m or ITM pfl)");
    cmd->add_option("--distance-m", cfg->d_m, "Ground distance for distance-based models, m (0 < d <= 20 000 km)")->check(finite_range(1e-3, 2e7, "m"));
    cmd->add_option("--lat-deg", cfg->lat_deg, "Path centre latitude for ITU-R models, degrees (default 36)");
    cmd->callback([cfg] { run_loss(*cfg); });
}

}  // namespace dxplan::cli
