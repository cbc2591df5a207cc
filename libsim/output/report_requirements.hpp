// dxplan report: the per-demand-kind requirement figures of the comparison (what each option serves of each
// kind, in signal and at the requirement, its failures by kind and member) and the diagnosis of targets that no
// placement of the candidate sites can meet. Summary.json parts as JSON text (merged by report.cpp), and the
// report's lines (docs/summary-schema.md, README "Recommendation").
#pragma once

#include <string>

#include "libsim/output/report.hpp"

namespace dxplan::output {

// {"shortfall", "carries", "by_kind": [...], "failures": [...]} of one option (technology_json adds them).
std::string requirement_fields_json(const econ::TechnologyEvaluation& e);

// [{"kind", "points", "target_fraction", "best_reachable": {...}, "target_reachable", ...}] per demand kind present.
std::string diagnosis_json(const ComparisonReport& r);

// The report's opening lines: each kind whose target no placement can meet, with the best reachable value and
// why; then the ranking rule. Markdown, or HTML paragraphs.
std::string diagnosis_text(const ComparisonReport& r, Lang l, bool html);

}  // namespace dxplan::output
