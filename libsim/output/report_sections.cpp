// Comparison report: the section list, and report.html / report.md written from it. Each section is one
// function that appends its blocks to a Doc; the writers number the sections that wrote something.
#include "libsim/output/report_parts.hpp"
#include "libsim/output/report_requirements.hpp"

#include <sstream>

#include "libsim/core/atomic_file.hpp"

namespace dxplan::output {

using namespace detail;

namespace {

void area_section(const ComparisonReport& r, Lang l, Doc& d) {
    if (r.run) d.table(area_table(r, l));
}

void comparison_section(const ComparisonReport& r, Lang l, Doc& d) {
    d.raw(diagnosis_text(r, l, true), diagnosis_text(r, l, false));  // unreachable targets first, the ranking rule
    d.raw(recommendation_statement(r, l, true), recommendation_statement(r, l, false));
    d.table(comparison_table(r, l), "comparison");
    if (r.monte_carlo) {
        const std::string s = mc_statement(r, l);
        d.raw("<p class=\"statement\">" + esc(s) + "</p>\n", "**" + s + "**\n\n");
    }
    if (r.budget_jpy > 0.0) {
        d.h3(budget_title(r, l), "budget");
        d.raw("<p class=\"note\">" + esc(T(l, "budget.note")) + "</p>\n", T(l, "budget.note") + "\n\n");
        d.table(budget_table(r, l));
    }
}

// Load per cell and edge AI (report_traffic.cpp), filled by the pipeline's traffic stage.
void many_terminals_section(const ComparisonReport& r, Lang l, Doc& d) {
    if (r.many_terminals.technologies.empty()) return;
    d.raw(many_terminals_html(r.many_terminals, l), many_terminals_markdown(r.many_terminals, l));
}

// HTML: the map drawn over the coverage image; Markdown: the images written next to report.md.
void maps_section(const ComparisonReport& r, Lang l, Doc& d) {
    d.raw("<div class=\"maps\">\n", "");
    for (const auto& t : r.technologies) {
        const std::string sites = t.chosen_sites.empty() ? "" : ": " + chosen_sites_text(t, l);
        std::string md = "**" + t.eval.name + "** – " + T(l, "sites") + " " + std::to_string(t.eval.sites) + sites + "\n\n";
        if (!t.map.png.empty()) md += "![" + t.eval.name + "](" + t.map.png.filename().string() + ")\n\n";
        if (!t.map.sinr_png.empty())
            md += "![" + t.eval.name + " SINR](" + t.map.sinr_png.filename().string() + ")\n" + T(l, "map.sinr") + "\n\n";
        d.raw("<figure><figcaption><b>" + esc(t.eval.name) + "</b> &ndash; " + esc(T(l, "sites")) + " " +
                  std::to_string(t.eval.sites) + esc(sites) + "</figcaption>\n" + map_svg(r, t, l) + "</figure>\n" +
                  sinr_figure(t, l),
              md);
    }
    d.raw("</div>\n", "");
    d.h3(T(l, "backhaul"));
    d.table(backhaul_table(r, l));
}

void equipment_section(const ComparisonReport& r, Lang l, Doc& d) {
    for (std::size_t i = 0; i < r.technologies.size(); ++i) {
        d.h3(r.technologies[i].eval.name);
        d.table(equipment_table(r, i, l));
    }
}

void costs_section(const ComparisonReport& r, Lang l, Doc& d) {
    d.raw(cashflow_chart(r, l), "");
    d.table(cashflow_table(r, l));
}

// HTML: the chart; Markdown: its numbers.
void effectiveness_section(const ComparisonReport& r, Lang l, Doc& d) {
    Table eff;
    eff.head = {T(l, "technology"), T(l, "cost_per_household_jpy"), T(l, "municipality_per_household_jpy")};
    for (const HBarRow& row : per_household_rows(r))
        eff.rows.push_back({{row.label, ""}, {fmt(row.values[0], 0), ""}, {fmt(row.values[1], 0), ""}});
    d.raw(hbar_chart(per_household_rows(r), {{T(l, "cost_per_household_jpy"), "#4e79a7"},
                                             {T(l, "municipality_per_household_jpy"), "#f28e2b"}},
                     T(l, "chart.per_household"), l),
          md_table(eff));
}

void sensitivity_section(const ComparisonReport& r, Lang l, Doc& d) {
    for (std::size_t i = 0; i < r.tornado.size(); ++i)
        d.raw(tornado_chart(r, r.tornado[i], i, l) + "<details><summary>" + esc(r.tornado[i].name) + "</summary>\n" +
                  html_table(tornado_table(r, i, l)) + "</details>\n",
              "### " + r.tornado[i].name + "\n\n" + md_table(tornado_table(r, i, l)));
}

void montecarlo_section(const ComparisonReport& r, Lang l, Doc& d) {
    if (!r.monte_carlo) return;
    const auto& m = *r.monte_carlo;
    std::vector<HBarRow> rows;
    for (const auto& t : m.technologies) rows.push_back({t.name, {t.cheapest_share}});
    d.raw("<p>" + esc(T(l, "mc.draws")) + " " + std::to_string(m.draws) + ", " + esc(T(l, "mc.seed")) + " " +
              std::to_string(m.seed) + ", " + esc(T(l, "mc.distribution")) + " " +
              (m.distribution == econ::PriceDistribution::uniform ? "uniform" : "triangular") + ", " +
              esc(T(l, "mc.sigma")) + " " + fmt(m.shadow_sigma_db, 2) + "</p>\n" + histogram_chart(m, l) +
              hbar_chart(rows, {{T(l, "mc.cheapest_share"), "#4e79a7"}}, T(l, "chart.ranking"), l, 1.0, true),
          "");
    d.table(mc_table(r, l));
}

void assumptions_section(const ComparisonReport& r, Lang l, Doc& d) {
    d.table(assumptions_table(r, l));
    std::string notes_md;
    for (const auto& k : r.note_keys) notes_md += "- " + T(l, k) + "\n";
    d.raw(notes_html(r, l) + "<h3>" + esc(T(l, "catalogue")) + " " + esc(r.catalogue_version) +
              "</h3>\n<p class=\"note\">" + esc(T(l, "status.note")) + "</p>\n",
          notes_md + "\n" + T(l, "status.note") + "\n\n");
    d.table(catalogue_table(r, l));
}

void provenance_section(const ComparisonReport& r, Lang l, Doc& d) {
    const Table t = provenance_table(r, l);
    std::string md = md_table(t);
    for (const std::string tag : {"&lt;code&gt;", "&lt;/code&gt;"})  // (md_esc escaped the cells' code tags)
        for (auto p = md.find(tag); p != std::string::npos; p = md.find(tag)) md.replace(p, tag.size(), "`");
    d.raw(html_table(t), md);
}

inline constexpr const char* kCss =
    "body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',sans-serif;margin:2em;"
    "max-width:70em;color:#222}h1{font-size:1.6em}h2{border-bottom:2px solid #4e79a7;padding-bottom:.2em;"
    "margin-top:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;"
    "padding:.25em .6em;text-align:right;vertical-align:top}th{background:#eef2f7}td:first-child,"
    "th:first-child{text-align:left}.note{color:#555;font-size:.9em}.maps{display:flex;flex-wrap:wrap;gap:1.5em}"
    ".maps figure{margin:0}.statement{font-size:1.15em;font-weight:bold}svg{max-width:100%;height:auto}"
    "code{font-size:.85em;word-break:break-all}.toc ol{columns:2}"
    // Printing (report.pdf): A4, page numbers in the footer, no table or figure split across pages.
    "@page{size:A4;margin:15mm 12mm 18mm;@bottom-center{content:counter(page) \" / \" counter(pages);"
    "font-size:9pt;color:#555}}@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}"
    "table,figure,.chart{break-inside:avoid}}";

// Each section rendered once; those that wrote nothing are left out.
struct RenderedSection {
    const Section* section;
    Doc doc;
};
std::vector<RenderedSection> render_sections(const ComparisonReport& r, Lang l) {
    std::vector<RenderedSection> out;
    for (const auto& s : report_sections()) {
        RenderedSection rs{&s, {}};
        s.render(r, l, rs.doc);
        if (!rs.doc.empty()) out.push_back(std::move(rs));
    }
    return out;
}

}  // namespace

namespace detail {

// The report's sections in order. A new section: its function and one line here.
const std::vector<Section>& report_sections() {
    static const std::vector<Section> kSections = {
        {"area", "sec.area", area_section},
        {"comparison", "sec.comparison", comparison_section},
        {"many-terminals", "sec.many_terminals", many_terminals_section},
        {"maps", "sec.maps", maps_section},
        {"equipment", "sec.equipment", equipment_section},
        {"costs", "sec.costs", costs_section},
        {"effectiveness", "sec.effectiveness", effectiveness_section},
        {"sensitivity", "sec.sensitivity", sensitivity_section},
        {"montecarlo", "sec.montecarlo", montecarlo_section},
        {"measurements", "sec.measurements", measurements_section},  // report_measure.cpp
        {"outcome", "sec.outcome", outcome_section},                 // report_measure.cpp
        {"routes", "sec.routes", routes_section},  // report_route.cpp
        {"assumptions", "sec.assumptions", assumptions_section},
        {"provenance", "sec.provenance", provenance_section},
    };
    return kSections;
}

}  // namespace detail

std::string report_html(const ComparisonReport& r, Lang l) {
    std::ostringstream h;
    const std::string name = r.run ? r.run->scenario_name : std::string();
    h << "<!DOCTYPE html>\n<html lang=\"" << lang_code(l) << "\"><head><meta charset=\"utf-8\">\n<title>dxplan: "
      << esc(T(l, "title")) << (name.empty() ? "" : " &ndash; " + esc(name)) << "</title>\n<style>" << kCss
      << "</style></head><body>\n";
    h << "<h1>" << esc(T(l, "title")) << (name.empty() ? "" : ": " + esc(name)) << "</h1>\n";
    h << "<p class=\"note\">" << esc(T(l, "how_to_read")) << "</p>\n";
    const auto sections = render_sections(r, l);
    h << "<nav class=\"toc\"><h2>" << esc(T(l, "toc")) << "</h2>\n<ol>\n";
    for (const auto& s : sections)
        h << "<li><a href=\"#" << s.section->id << "\">" << esc(T(l, s.section->title_key)) << "</a></li>\n";
    h << "</ol></nav>\n";
    std::size_t n = 0;
    for (const auto& s : sections)
        h << "<h2 id=\"" << s.section->id << "\">" << ++n << ". " << esc(T(l, s.section->title_key)) << "</h2>\n"
          << s.doc.html();
    h << "</body></html>\n";
    return h.str();
}

std::string report_markdown(const ComparisonReport& r, Lang l) {
    std::ostringstream m;
    const std::string name = r.run ? r.run->scenario_name : std::string();
    m << "# " << T(l, "title") << (name.empty() ? "" : ": " + md_esc(name)) << "\n\n" << T(l, "how_to_read")
      << (l == Lang::ja ? "" : " ") << T(l, "md.charts") << "\n\n";
    const auto sections = render_sections(r, l);
    m << "## " << T(l, "toc") << "\n\n";
    std::size_t k = 0;
    for (const auto& s : sections) m << ++k << ". [" << T(l, s.section->title_key) << "](#" << s.section->id << ")\n";
    m << "\n";
    std::size_t n = 0;
    for (const auto& s : sections)
        m << "## " << ++n << ". " << T(l, s.section->title_key) << "\n\n" << s.doc.markdown();
    return m.str();
}

void write_reports(const std::filesystem::path& dir, const ComparisonReport& r, Lang lang) {
    write_text_atomically(dir / "report.html", report_html(r, lang));
    write_text_atomically(dir / "report.md", report_markdown(r, lang));
}

}  // namespace dxplan::output
