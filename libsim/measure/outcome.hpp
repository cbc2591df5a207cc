// dxplan measure: before/after outcome evaluation of a demonstration's measured indicators.
//
// Input: two CSV files (before, after) whose common numeric columns are the indicators, or one CSV with a
// `group` column whose values are `before` and `after`. Columns `id` and `group` are not indicators; with
// `paired`, rows are matched by `id` when both files have it, else by row order. A missing cell (empty, NA, ...)
// is reported by file, line and column and excluded (with `paired`, its pair is excluded); any other text in an
// indicator column is an InputError naming file, line and column (never coerced).
// Per indicator: Mann-Whitney U (or the Wilcoxon signed-rank test with `paired`), Hodges-Lehmann shift with its
// 1 - alpha interval, rank-biserial effect size, medians and counts; Holm's adjustment across the indicators
// (libsim/stats/rank_tests.hpp); a one-sentence summary in Japanese and English; a box/strip plot as SVG.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "libsim/stats/rank_tests.hpp"

namespace dxplan::measure {

struct OutcomeOptions {
    bool paired = false;
    stats::Alternative alternative = stats::Alternative::two_sided;
    double alpha = 0.05;  // (0, 1)
};

struct CellNote {
    std::string file;
    std::size_t line = 0;
    std::string column;
    std::string message;
};

struct IndicatorResult {
    std::string name;
    std::vector<double> before, after;  // the values used (missing cells excluded)
    std::string test;                   // "mann-whitney" | "wilcoxon-signed-rank"
    double statistic = 0.0;             // U of `after` (Mann-Whitney) or W+ of after - before (signed-rank)
    double z = 0.0;
    double p_value = 1.0;
    double p_holm = 1.0;
    std::string method;                 // "exact" | "normal"
    bool ties = false;
    stats::ShiftEstimate shift;         // after - before
    double rank_biserial = 0.0;
    double median_before = 0.0, median_after = 0.0;
    bool significant = false;           // p_holm < alpha
    std::string summary_en, summary_ja;
};

struct OutcomeResult {
    std::string before_file, after_file;
    OutcomeOptions options;
    std::vector<IndicatorResult> indicators;
    std::vector<CellNote> excluded;
};

// Throws InputError: empty file, fewer than 2 rows, no common indicator column, text in an indicator column,
// an indicator with fewer than 2 values in a group, all of an indicator's values tied, paired files of unequal
// length (by row order) or unmatched ids.
OutcomeResult evaluate_outcome(const std::filesystem::path& before, const std::filesystem::path& after,
                               const OutcomeOptions& options);
// The one-file form (a `group` column with `before` / `after`).
OutcomeResult evaluate_outcome_grouped(const std::filesystem::path& file, const OutcomeOptions& options);

// The result as JSON (for --json and summary.json).
std::string outcome_json(const OutcomeResult& r);

// A box (quartiles, median) and strip (every value) plot of one indicator, before vs after, as SVG text.
// `lang` "ja" or "en" for the labels.
std::string box_strip_svg(const IndicatorResult& ind, const std::string& lang);

}  // namespace dxplan::measure
