// dxplan report section "Many terminals": per technology of the scenario, the load of its busiest cell at the
// busy hour (delivery ratio, p99 delay, headroom in terminals per cell), curves of delivery and p99 delay against
// the number of terminals per cell, and the edge-AI comparison (a camera per terminal sending raw video or only
// the edge inference output): uplink load, requirement met and terminals per cell, side by side.
// Rendered from a plain struct filled by the pipeline (libsim/scenario/traffic_stage.*): HTML (inline SVG),
// Markdown and the summary.json part ("many_terminals").
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "libsim/output/report_i18n.hpp"

namespace dxplan::output {

struct TerminalCurvePoint {
    double terminals = 0.0;
    double delivery_ratio = 1.0;
    double delay_p99_ms = 0.0;  // +inf: unstable queue
};

// One technology's cells under the scenario's demand.
struct TechnologyLoad {
    std::string technology;
    std::string traffic;                   // the profile the figures are for ("household busy hour", ...)
    std::size_t cells = 0;                 // cells serving demand
    double busiest_cell_terminals = 0.0;   // active terminals of the busiest cell in the busy hour
    double delivery_ratio = 1.0;           // worst cell
    double delay_p99_ms = 0.0;             // worst cell (+inf: unstable)
    double headroom_terminals = 0.0;       // smallest over cells: max terminals meeting the target - actual
    bool meets_target = true;
    std::vector<TerminalCurvePoint> curve; // the technology's served SINR mix, N terminals per cell
};

// Raw video versus edge inference for one technology, N cameras per cell.
struct EdgeComparisonRow {
    std::string technology;
    std::string processing;                // "raw" or "edge"
    double uplink_kbps_per_terminal = 0.0;
    double cameras = 0.0;                  // cameras per cell evaluated
    bool meets_target = false;
    double delivery_ratio = 0.0;
    double delay_p99_ms = 0.0;
    double max_terminals = 0.0;            // cameras per cell meeting the target (smallest over cells)
    // With the scenario's cameras (demand kind camera served by the technology); NaN without:
    double cameras_total = NAN;            // cameras in signal of the technology's cells
    double uplink_mbps_busiest_cell = NAN; // the busiest cell's camera uplink load, Mbit/s
    double edge_computers_npv_jpy = NAN;   // NPV of one edge computer per camera (0 for raw)
    double npv_jpy = NAN;                  // the network's NPV with this processing (edge computers in or out)
};

struct ManyTerminalsSection {
    std::vector<TechnologyLoad> technologies;
    std::string edge_traffic;              // the camera profile used for the edge rows
    std::vector<EdgeComparisonRow> edge;
    std::vector<std::string> notes;        // model statements shown under the section
};

// The section's body (the report's section list adds the numbered heading, report_sections.cpp); "" when empty.
std::string many_terminals_html(const ManyTerminalsSection& s, Lang l);
std::string many_terminals_markdown(const ManyTerminalsSection& s, Lang l);
std::string many_terminals_json(const ManyTerminalsSection& s);  // a JSON object

}  // namespace dxplan::output
