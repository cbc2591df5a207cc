// Comparison report: Doc, the blocks a section writes, rendered as HTML (the report's one HTML writer) and as
// Markdown.
#include "libsim/output/report_parts.hpp"

namespace dxplan::output::detail {

void Doc::h3(const std::string& title, const std::string& id) {
    blocks_.emplace_back((id.empty() ? "<h3>" : "<h3 id=\"" + esc(id) + "\">") + esc(title) + "</h3>\n",
                         "### " + title + "\n\n");
}

void Doc::table(const Table& t, const char* cls) { blocks_.emplace_back(html_table(t, cls), md_table(t)); }

void Doc::raw(std::string html, std::string markdown) { blocks_.emplace_back(std::move(html), std::move(markdown)); }

std::string Doc::html() const {
    std::string s;
    for (const auto& b : blocks_) s += b.first;
    return s;
}

std::string Doc::markdown() const {
    std::string s;
    for (const auto& b : blocks_) s += b.second;
    return s;
}

}  // namespace dxplan::output::detail
