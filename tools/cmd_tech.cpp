// `dxplan tech list|show|table`: the technology profiles of models/technology/, one profile's values with
// their sources, and a Markdown comparison of maximum allowable path loss and peak throughput.
// Thin (ARCHITECTURE.md 10): parse flags, call dxplan::link, print.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/link/link.hpp"
#include "tools/cli_util.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

struct TechConfig {
    std::string name;
    std::string dir = link::default_technology_dir().string();
    std::vector<std::string> sets;
    bool json = false;
};

// A rate in the unit that keeps it readable.
std::string rate(double mbps) {
    char buf[48];
    if (mbps >= 1.0) std::snprintf(buf, sizeof buf, "%.4g Mbit/s", mbps);
    else if (mbps >= 1e-3) std::snprintf(buf, sizeof buf, "%.4g kbit/s", mbps * 1e3);
    else std::snprintf(buf, sizeof buf, "%.4g bit/s", mbps * 1e6);
    return buf;
}

double peak(const link::Budget& b, bool app) {
    if (b.rate_model == link::RateModel::attenuated_shannon)
        return app ? link::app_throughput_mbps(b, 1e3) : link::phy_throughput_mbps(b, 1e3);
    double best = 0.0;
    for (const auto& m : b.modes) best = std::max(best, app ? m.app_rate_mbps : m.phy_rate_mbps);
    return best;
}

void run_list(const TechConfig& cfg) {
    for (const auto& n : link::list_technologies(cfg.dir)) {
        const link::Technology t = link::load_technology(n, {}, cfg.dir);
        std::printf("%-22s %-12s %9.1f MHz %8.4g MHz  %s\n", t.name.c_str(), std::string(link::to_string(t.family)).c_str(),
                    t.f_center_mhz, t.bandwidth_mhz, t.description.c_str());
    }
}

void run_show(const TechConfig& cfg) {
    const link::Technology t = link::load_technology(cfg.name, parse_sets(cfg.sets), cfg.dir);
    const link::BudgetOptions opt{.outdoor = t.reg.outdoor_allowed};
    const link::Budget dl = link::make_budget(t, link::Direction::downlink, opt);
    const link::Budget ul = link::make_budget(t, link::Direction::uplink, opt);
    if (cfg.json) {
        nlohmann::ordered_json j;
        j["name"] = t.name;
        j["family"] = link::to_string(t.family);
        j["description"] = t.description;
        j["file"] = t.file.string();
        j["f_center_mhz"] = t.f_center_mhz;
        j["bandwidth_mhz"] = t.bandwidth_mhz;
        j["noise_bandwidth_mhz"] = t.noise_bandwidth_mhz;
        for (const auto* b : {&dl, &ul}) {
            auto& jd = j[std::string(link::to_string(b->direction))];
            jd["eirp_dbm"] = b->eirp_dbm;
            jd["noise_floor_dbm"] = b->noise_floor_dbm;
            jd["sensitivity_dbm"] = b->sensitivity_dbm;
            jd["mapl_db"] = b->mapl_db;
            jd["peak_phy_mbps"] = peak(*b, false);
            jd["peak_app_mbps"] = peak(*b, true);
            for (const auto& m : b->modes)
                jd["modes"].push_back({{"name", m.name}, {"snr_db", m.snr_db}, {"phy_rate_mbps", m.phy_rate_mbps},
                                       {"app_rate_mbps", m.app_rate_mbps}, {"time_on_air_ms", m.time_on_air_ms}});
        }
        for (const auto& p : t.provenance)
            j["provenance"].push_back({{"field", p.field}, {"value", p.value}, {"status", link::to_string(p.status)},
                                       {"source", p.source}, {"note", p.note}});
        j["notes"] = t.notes;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::printf("%s (%s): %s\nfile: %s\nchannel %.6g MHz, bandwidth %.6g MHz, noise bandwidth %.6g MHz\n", t.name.c_str(),
                std::string(link::to_string(t.family)).c_str(), t.description.c_str(), t.file.string().c_str(), t.f_center_mhz,
                t.bandwidth_mhz, t.noise_bandwidth_mhz);
    for (const auto* b : {&dl, &ul}) {
        std::printf("\n%s: EIRP %.1f dBm, noise floor %.1f dBm, sensitivity %.1f dBm, MAPL %.1f dB, peak %s PHY / %s application\n",
                    std::string(link::to_string(b->direction)).c_str(), b->eirp_dbm, b->noise_floor_dbm, b->sensitivity_dbm,
                    b->mapl_db, rate(peak(*b, false)).c_str(), rate(peak(*b, true)).c_str());
        std::printf("  %-10s %9s %16s %16s\n", "mode", "SNR dB", "PHY", "application");
        for (const auto& m : b->modes)
            std::printf("  %-10s %9.2f %16s %16s\n", m.name.c_str(), m.snr_db, rate(m.phy_rate_mbps).c_str(), rate(m.app_rate_mbps).c_str());
    }
    for (const auto& n : t.notes) std::printf("note: %s\n", n.c_str());
    std::printf("\n%-40s %-12s %-22s %s\n", "field", "value", "status", "source");
    for (const auto& p : t.provenance)
        std::printf("%-40s %-12s %-22s %s%s\n", p.field.c_str(), p.value.c_str(), std::string(link::to_string(p.status)).c_str(),
                    p.source.c_str(), p.note.empty() ? "" : (" [" + p.note + "]").c_str());
}

void run_table(const TechConfig& cfg) {
    std::printf("| profile | channel | outdoor | EIRP base / terminal (dBm) | MAPL DL / UL (dB) | peak PHY DL / UL | peak application DL / UL | values V/D/K/U |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    for (const auto& n : link::list_technologies(cfg.dir)) {
        const link::Technology t = link::load_technology(n, {}, cfg.dir);
        const link::BudgetOptions opt{.outdoor = t.reg.outdoor_allowed};
        const link::Budget dl = link::make_budget(t, link::Direction::downlink, opt);
        const link::Budget ul = link::make_budget(t, link::Direction::uplink, opt);
        int count[4] = {0, 0, 0, 0};  // provenance statuses: verified, derived, quoted-not-rechecked, unsourced-estimate
        for (const auto& p : t.provenance) ++count[static_cast<int>(p.status)];
        std::printf("| %s | %.6g MHz / %.4g MHz | %s | %.1f / %.1f | %.1f / %.1f | %s / %s | %s / %s | %d/%d/%d/%d |\n", t.name.c_str(),
                    t.f_center_mhz, t.bandwidth_mhz, t.reg.outdoor_allowed ? "yes" : "no", dl.eirp_dbm, ul.eirp_dbm, dl.mapl_db,
                    ul.mapl_db, rate(peak(dl, false)).c_str(), rate(peak(ul, false)).c_str(), rate(peak(dl, true)).c_str(),
                    rate(peak(ul, true)).c_str(), count[0], count[1], count[2], count[3]);
    }
}

}  // namespace

void add_tech_command(CLI::App& app) {
    auto cfg = std::make_shared<TechConfig>();
    CLI::App* tech = app.add_subcommand("tech", "Technology profiles (models/technology/*.yaml): list, show, compare");
    tech->require_subcommand(1);

    CLI::App* list = tech->add_subcommand("list", "List the technology profiles");
    list->add_option("--tech-dir", cfg->dir, "Folder of profile YAML files")->capture_default_str();
    list->callback([cfg] { run_list(*cfg); });

    CLI::App* show = tech->add_subcommand("show", "Show one profile: derived budget, modes and every value with its source");
    show->add_option("name", cfg->name, "Profile name, e.g. halow-jp-1mhz")->required();
    show->add_option("--set", cfg->sets, "Override a field, FIELD=VALUE (repeatable), e.g. --set base.tx_power_dbm=20");
    show->add_flag("--json", cfg->json, "Print JSON");
    show->add_option("--tech-dir", cfg->dir, "Folder of profile YAML files")->capture_default_str();
    show->callback([cfg] { run_show(*cfg); });

    CLI::App* table = tech->add_subcommand(
        "table", "Markdown table: maximum allowable path loss and peak throughput per profile (default parameters: "
                 "boresight antennas, no fade/body/interference margins, outdoor where the rules allow it), and how many "
                 "of its values are verified / derived / quoted-not-rechecked / unsourced-estimate");
    table->add_option("--tech-dir", cfg->dir, "Folder of profile YAML files")->capture_default_str();
    table->callback([cfg] { run_table(*cfg); });
}

}  // namespace dxplan::cli
