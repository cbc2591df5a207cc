// `dxplan run [SCENARIO.yaml] --out DIR`: the main job (walking skeleton of the pipeline in
// libsim/scenario/pipeline.hpp). Thin (ARCHITECTURE.md 10): parse flags into a RunConfig, call run_scenario,
// draw a progress bar on stderr when stderr is a terminal.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <unistd.h>

#include "libsim/core/error.hpp"
#include "libsim/core/memory_budget.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "tools/commands.hpp"
#include "tools/signals.hpp"
#include "libsim/core/data_dir.hpp"

namespace dxplan::cli {

namespace {

namespace fs = std::filesystem;

// The default scenario: scenarios/default.yaml of the source tree this binary was built from, else of the
// current directory.
fs::path default_scenario() {
    const fs::path in_source = data_dir() / "scenarios" / "default.yaml";
    std::error_code ec;
    return fs::is_regular_file(in_source, ec) ? in_source : fs::path("scenarios") / "default.yaml";
}

// A one-line bar redrawn in place; only whole-percent changes are drawn.
class ProgressBar {
public:
    void operator()(double fraction) {
        const int pct = static_cast<int>(fraction * 100.0);
        if (pct == last_) return;
        last_ = pct;
        constexpr int kWidth = 40;
        const int fill = pct * kWidth / 100;
        std::fprintf(stderr, "\r[%s%s] %3d%%", std::string(fill, '#').c_str(), std::string(kWidth - fill, '.').c_str(), pct);
        std::fflush(stderr);
    }
    ~ProgressBar() {
        if (last_ >= 0) std::fputc('\n', stderr);
    }

private:
    int last_ = -1;
};

}  // namespace

void add_run_command(CLI::App& app) {
    auto cfg = std::make_shared<RunConfig>();
    auto scenario = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "run", "Run a scenario: coverage, per-technology sites, backhaul, costs and the comparison report");
    cmd->footer(
        "Loads the scenario (schema: scenarios/README.md), its terrain and land cover, sites and demand points;\n"
        "computes each site's path loss; then, for every technology the scenario compares: site selection,\n"
        "backhaul, bill of materials, NPV and subsidy, sensitivity and Monte Carlo. Writes into --out: one\n"
        "GeoTIFF per site, coverage-<technology>.png, backhaul-<technology>/ (GeoJSON, KML, CSV), results.h5,\n"
        "summary.json (docs/summary-schema.md), report.html and report.md; with --pdf (or outputs.report_pdf in the\n"
        "scenario) also report.pdf (A4, printed by headless Chromium, a few seconds more; DXPLAN_CHROMIUM names\n"
        "another browser binary; without one it says so).\n\n"
        "Examples:\n"
        "  dxplan run --out out/default                      # the built-in synthetic valley, runs anywhere\n"
        "  dxplan run scenarios/fuji-kofu.yaml --out out/fuji --lang ja --pdf\n"
        "  dxplan run --set economics.discount_rate=0.02 --set terrain.synthetic.seed=2 --out out/variant");
    cmd->add_option("scenario", *scenario, "scenario file (default: scenarios/default.yaml)");
    cmd->add_option("--out", *out, "output directory; written as DIR.partial-PID and renamed when complete. An "
                                   "existing DIR is replaced only if dxplan wrote it (its .dxplan-output marker) or "
                                   "with --force; never one holding an input or the current directory")
        ->required();
    cmd->add_flag("--pdf", cfg->pdf, "also print report.pdf (A4) with headless Chromium");
    cmd->add_option("--set", cfg->overrides,
                    "override a scenario field, path.to.field=VALUE (repeatable; VALUE is YAML; list items by "
                    "index, e.g. technologies.0.profile=halow-jp-2mhz); validated as in the file; the resolved "
                    "scenario is written to scenario.resolved.yaml");
    auto memory_limit = std::make_shared<std::string>();
    cmd->add_option("--memory-limit", *memory_limit,
                    "refuse up front (exit 2, with the estimate) a run needing more memory than this, e.g. 2G, 512M "
                    "(default: 3/4 of the physical memory)");
    cmd->add_flag("--force", cfg->force, "replace a non-empty --out folder that dxplan did not write");
    cmd->add_option("--lang", cfg->lang, "language of report.html and report.md: en or ja")
        ->check(CLI::IsMember({"en", "ja"}))
        ->capture_default_str();
    cmd->callback([cfg, scenario, out, memory_limit] {
        if (!memory_limit->empty()) cfg->memory.limit_bytes = parse_memory_limit(*memory_limit, "--memory-limit");
        cfg->notice = [](const std::string& line) { std::cerr << line << "\n"; };
        cfg->scenario_file = scenario->empty() ? default_scenario() : fs::path(*scenario);
        cfg->out_dir = *out;
        cfg->cancel = &cancel_token();
        auto bar = std::make_shared<ProgressBar>();
        if (::isatty(STDERR_FILENO)) cfg->progress = [bar](double f) { (*bar)(f); };
        const RunSummary s = run_scenario(*cfg);
        cfg->progress = nullptr;
        bar.reset();
        std::cout << "dxplan run: wrote " << s.files << " files to " << s.out_dir.string() << " (" << s.sites
                  << " sites, " << s.demand_points << " demand points)\n";
        if (!s.pdf_note.empty()) std::cout << "dxplan run: " << s.pdf_note << "\n";
    });
}

}  // namespace dxplan::cli
