// Internal to libsim/output: the pieces the comparison report is built from, shared by its translation units.
//   report_text.cpp     numbers and text (one rounding for tables and summary.json), tables (HTML and Markdown),
//                       names and failure phrases
//   report_svg.cpp      SVG primitives; report_charts.cpp the charts; report_map.cpp the maps
//   report_tables.cpp   the tables and statements built from a ComparisonReport
//   report_doc.cpp      Doc: a section's blocks, written as HTML (the one HTML writer) and as Markdown
//   report_sections.cpp the section list: report_html, report_markdown, write_reports
//   report_summary.cpp  the comparison part of summary.json
// A new section: a function `void my_section(const ComparisonReport&, Lang, Doc&)` in its own file, declared
// below, and one line in the section list (report_sections.cpp). A section that adds nothing to the Doc is left
// out (and not numbered).
#pragma once

#include <cmath>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libsim/output/report.hpp"

namespace dxplan::output::detail {

// ---- numbers and text (report_text.cpp) ------------------------------------------------------------------
// One rounding for summary.json and the tables: JPY to 1 JPY, shares to 0.001 (shown as % with 1 decimal),
// km², Mbit/s, km and dB to 0.01, years and ms to 0.1.
double round_to(double v, int digits);
// Text of a number with `digits` decimals and thousands separators; "&ndash;" when not finite.
std::string fmt(double v, int digits, bool group = true);
std::string jpy(double v);
std::string pct(double fraction);
std::string esc(std::string_view s);
std::string md_esc(std::string_view s);
// Markdown cells carry no markup: HTML entities back into text.
std::string plain(std::string s);
std::string T(Lang l, std::string_view key);
// Width of text as drawn: 1 per ASCII character, 2 per other character (kana, kanji and full-width forms are
// drawn about twice as wide as Latin letters in the report's fonts).
std::size_t display_width(std::string_view s);
// `s` cut at a character boundary (never inside a UTF-8 sequence) so that it and a trailing "…" fit in
// `max_width` (display_width); unchanged when it fits.
std::string shorten(std::string_view s, std::size_t max_width);

std::string acquisition_key(econ::Acquisition a);
const econ::CatalogueItem* find_item(const ComparisonReport& r, std::string_view id);
std::string item_name(const ComparisonReport& r, std::string_view id, Lang l);
std::string parameter_name(const ComparisonReport& r, std::string_view p, Lang l);
std::string parameter_value(std::string_view p, double v);
std::vector<std::string> fail_names(const econ::TechnologyEvaluation& e);
std::string fail_reason(const econ::Failure& f, Lang l);
std::string fails_text(const econ::TechnologyEvaluation& e, Lang l);
// A technology's failures; a mix's name the member and the demand kinds it serves, in both languages.
std::string fails_text(const TechnologyReport& t, Lang l);
std::vector<econ::TechnologyEvaluation> evaluations(const ComparisonReport& r);
// Rank as in rank_by_cost_per_household (1 = recommended: meets every requirement, then cheapest).
std::vector<std::size_t> ranks(const ComparisonReport& r);

// Tables shared by HTML and Markdown: rows of cells, each cell its text (HTML-escaped) and optionally its
// summary.json key (HTML: data-k="...").
struct Cell {
    std::string text;
    std::string key;  // JSON path in summary.json, or empty
};
struct Table {
    std::vector<std::string> head;
    std::vector<std::vector<Cell>> rows;
};
std::string html_table(const Table& t, const char* cls = "");
std::string md_table(const Table& t);
Cell txt(const std::string& s);
std::string tk(std::size_t i, const std::string& field);

// ---- SVG primitives and charts (report_svg.cpp, report_charts.cpp) ---------------------------------------
const char* colour(std::size_t i);
double nice_step(double max_v, int ticks);
std::string mjpy(double v);
std::string mjpy_unit(Lang l);
std::string svg_open(int w, int h, const std::string& label);
std::string text(double x, double y, const std::string& s, const char* anchor = "start", int size = 12);
std::string rect(double x, double y, double w, double h, const char* fill, double opacity = 1.0);
std::string line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1.0);

// Horizontal bars: rows of (label, values per series), each series its own colour; x axis in M JPY.
struct HBarRow {
    std::string label;
    std::vector<double> values;
};
std::string hbar_chart(const std::vector<HBarRow>& rows, const std::vector<std::pair<std::string, const char*>>& series,
                       const std::string& title, Lang l, double max_fixed = 0.0, bool percent = false);
std::string cashflow_chart(const ComparisonReport& r, Lang l);
std::string tornado_chart(const ComparisonReport& r, const econ::TechnologyTornado& t, std::size_t ti, Lang l);
std::string histogram_chart(const econ::MonteCarloResult& m, Lang l);

// ---- maps (report_map.cpp) -------------------------------------------------------------------------------
std::string map_svg(const ComparisonReport& r, const TechnologyReport& t, Lang l);
// The service maps' SINR image of a technology as a figure (embedded), or nothing.
std::string sinr_figure(const TechnologyReport& t, Lang l);

// ---- tables and statements (report_tables.cpp) -----------------------------------------------------------
struct RecommendationClaim {
    econ::RecommendationReason reason = econ::RecommendationReason::no_options;
    std::size_t index = 0;              // the recommended option (with a recommendation)
    std::size_t same_failures = 0;      // complete options with as many failed requirements (itself included)
    std::size_t cost_rank = 0;          // 1 + options with a lower cost per covered household (rounded to 1 JPY)
    std::size_t options_with_cost = 0;  // options with a cost per covered household
};
RecommendationClaim recommendation_claim(const ComparisonReport& r);
// The verdict in one sentence, the recommended option's name marked (HTML: <strong data-k=
// "recommendation.name"> for the report-vs-summary check; Markdown: bold).
std::string recommendation_statement(const ComparisonReport& r, Lang l, bool html);
std::string mc_statement(const ComparisonReport& r, Lang l);
std::string budget_title(const ComparisonReport& r, Lang l);
std::string chosen_sites_text(const TechnologyReport& t, Lang l);
Table area_table(const ComparisonReport& r, Lang l);
Table comparison_table(const ComparisonReport& r, Lang l);
// The technology's cells under the traffic models at the busy hour (issue 14), worst over the kinds it serves:
// smallest delivery ratio, largest 99th-percentile access delay, smallest headroom in terminals per cell (NaN:
// no kind with a load model).
struct LoadFigures {
    double delivery_ratio = NAN;
    double delay_p99_ms = NAN;
    double headroom_terminals_per_cell = NAN;
};
LoadFigures load_figures(const econ::TechnologyEvaluation& e);
Table equipment_table(const ComparisonReport& r, std::size_t i, Lang l);
Table cashflow_table(const ComparisonReport& r, Lang l);
Table budget_table(const ComparisonReport& r, Lang l);
Table backhaul_table(const ComparisonReport& r, Lang l);
Table tornado_table(const ComparisonReport& r, std::size_t ti, Lang l);
Table mc_table(const ComparisonReport& r, Lang l);
Table assumptions_table(const ComparisonReport& r, Lang l);
Table catalogue_table(const ComparisonReport& r, Lang l);
Table provenance_table(const ComparisonReport& r, Lang l);
std::vector<HBarRow> per_household_rows(const ComparisonReport& r);
std::string notes_html(const ComparisonReport& r, Lang l);

// ---- Doc: what a section writes (report_doc.cpp) ---------------------------------------------------------
// A section appends blocks; the HTML writer and the Markdown writer each render every block. `raw` is for
// content that differs between the two (figures: HTML draws, Markdown links the image or shows a table).
class Doc {
public:
    void h3(const std::string& title, const std::string& id = "");
    void table(const Table& t, const char* cls = "");
    void raw(std::string html, std::string markdown);
    bool empty() const { return blocks_.empty(); }
    std::string html() const;
    std::string markdown() const;

private:
    std::vector<std::pair<std::string, std::string>> blocks_;  // (HTML, Markdown)
};

// ---- sections (report_sections.cpp and one file per added section) ----------------------------------------
struct Section {
    std::string_view id;         // HTML anchor
    std::string_view title_key;  // report_i18n key of the numbered heading
    void (*render)(const ComparisonReport& r, Lang l, Doc& d);
};
const std::vector<Section>& report_sections();
void routes_section(const ComparisonReport& r, Lang l, Doc& d);  // report_route.cpp

// report_measure.cpp: "Measurements" and "Outcome evaluation" (empty unless the run has measured data).
void measurements_section(const ComparisonReport& r, Lang l, Doc& d);
void outcome_section(const ComparisonReport& r, Lang l, Doc& d);

}  // namespace dxplan::output::detail
