// `dxplan evaluate BEFORE.csv AFTER.csv`: before/after outcome evaluation with rank tests
// (libsim/measure/outcome.hpp). Thin: parse, call evaluate_outcome, print.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/measure/outcome.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

namespace fs = std::filesystem;

struct EvaluateConfig {
    std::vector<std::string> files;
    bool paired = false;
    std::string alternative = "two-sided";
    double alpha = 0.05;
    std::string lang = "en";
    bool json = false;
    std::string plots;
};

void print_text(const measure::OutcomeResult& r, const std::string& lang) {
    for (const auto& e : r.excluded) std::cerr << "dxplan evaluate: " << e.file << ":" << e.line << ", column " << e.column << ": " << e.message << "\n";
    for (const auto& i : r.indicators) {
        std::cout << (lang == "ja" ? i.summary_ja : i.summary_en) << "\n";
        std::cout << "  " << i.test << " (" << i.method << "): statistic " << i.statistic << ", p " << i.p_value << ", Holm p "
                  << i.p_holm << ", n " << i.before.size() << " / " << i.after.size() << ", shift " << i.shift.estimate << " ["
                  << i.shift.ci_low << ", " << i.shift.ci_high << "], rank-biserial " << i.rank_biserial << "\n";
    }
}

void run_evaluate(const EvaluateConfig& c) {
    if (c.files.empty() || c.files.size() > 2) throw InputError("give BEFORE.csv AFTER.csv, or one CSV with a group column");
    measure::OutcomeOptions o;
    o.paired = c.paired;
    o.alternative = stats::parse_alternative(c.alternative);
    o.alpha = c.alpha;
    if (!(o.alpha > 0.0 && o.alpha < 1.0)) throw InputError("--alpha: must be in (0, 1)");
    const measure::OutcomeResult r = c.files.size() == 2 ? measure::evaluate_outcome(c.files[0], c.files[1], o)
                                                         : measure::evaluate_outcome_grouped(c.files[0], o);
    if (!c.plots.empty()) {
        fs::create_directories(c.plots);
        for (const auto& i : r.indicators) write_text_atomically(fs::path(c.plots) / ("evaluate-" + i.name + ".svg"), measure::box_strip_svg(i, c.lang));
    }
    if (c.json) std::cout << measure::outcome_json(r) << "\n";
    else print_text(r, c.lang);
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
    auto cfg = std::make_shared<EvaluateConfig>();
    CLI::App* cmd = app.add_subcommand("evaluate", "Before/after outcome evaluation of measured indicators (rank tests)");
    cmd->footer(
        "Each column present in both files (except id and group) is an indicator. Per indicator: Mann-Whitney U\n"
        "(exact without ties and n < 50, else normal with tie and continuity correction), or the Wilcoxon\n"
        "signed-rank test with --paired (rows matched by an id column, else by order); Hodges-Lehmann shift\n"
        "(after - before) with its 1 - alpha interval; rank-biserial effect size; medians and counts; Holm's\n"
        "adjustment across indicators; a summary sentence in Japanese and English. Missing cells (empty, NA) are\n"
        "reported and excluded; other text in an indicator column is an error (exit 2). docs/measurements.md.\n\n"
        "Examples:\n"
        "  dxplan evaluate scenarios/data/outcome-before.csv scenarios/data/outcome-after.csv --alternative greater\n"
        "  dxplan evaluate before.csv after.csv --paired --lang ja --json\n"
        "  dxplan evaluate visits.csv --plots out/plots          # one file with group = before | after");
    cmd->add_option("files", cfg->files, "BEFORE.csv AFTER.csv, or one CSV with a group column")->required()->expected(1, 2);
    cmd->add_flag("--paired", cfg->paired, "paired data: Wilcoxon signed-rank test");
    cmd->add_option("--alternative", cfg->alternative, "two-sided, less or greater (after greater than before)")
        ->capture_default_str();
    cmd->add_option("--alpha", cfg->alpha, "significance level and 1 - confidence level, in (0, 1)")->capture_default_str();
    cmd->add_option("--lang", cfg->lang, "language of the summary: en or ja")->check(CLI::IsMember({"en", "ja"}))->capture_default_str();
    cmd->add_flag("--json", cfg->json, "print one JSON object");
    cmd->add_option("--plots", cfg->plots, "write a box/strip plot per indicator as SVG into this directory");
    cmd->callback([cfg] { run_evaluate(*cfg); });
}

}  // namespace dxplan::cli
