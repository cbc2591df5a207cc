// The "Many terminals" report section: every figure of the struct appears in the HTML, Markdown and JSON with the
// section's rounding; infinite delays are shown as ∞ / null; an empty section renders nothing.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "libsim/output/report_traffic.hpp"

using namespace dxplan::output;

namespace {

ManyTerminalsSection sample() {
    ManyTerminalsSection s;
    TechnologyLoad t;
    t.technology = "local5g-n79-100mhz";
    t.traffic = "household busy hour";
    t.cells = 3;
    t.busiest_cell_terminals = 57.8;
    t.delivery_ratio = 0.99991;
    t.delay_p99_ms = 8.65;
    t.headroom_terminals = 200.2;
    t.curve = {{1, 1, 8.4}, {10, 1, 8.5}, {1000, 0.5, INFINITY}};
    s.technologies.push_back(t);
    s.edge_traffic = "camera-1080p-h265";
    s.edge.push_back({"halow-jp-4mhz", "raw", 2000.0, 10, false, 0.1144, INFINITY, 0});
    s.edge.push_back({"halow-jp-4mhz", "edge", 4.264, 10, true, 1.0, 7.56, 539});
    return s;
}

}  // namespace

TEST_CASE("many terminals section: figures in HTML, Markdown and JSON") {
    const ManyTerminalsSection s = sample();
    const std::string h = many_terminals_html(s, Lang::en);
    for (const char* want : {"busiest cell", "57.8", "0.9999", "8.7", "200", "2000.0", "4.3", "539", "∞", "<polyline", "edge AI"})
        CHECK(h.find(want) != std::string::npos);
    const std::string m = many_terminals_markdown(s, Lang::ja);
    CHECK(m.find("最繁セル") != std::string::npos);
    CHECK(m.find("| local5g-n79-100mhz | household busy hour | 3 | 57.8 | 0.9999 | 8.7 | 200 | はい |") != std::string::npos);
    const auto j = nlohmann::json::parse(many_terminals_json(s));
    CHECK(j["technologies"][0]["busiest_cell_terminals"].get<double>() == Approx(57.8));
    CHECK(j["technologies"][0]["curve"][2]["delay_p99_ms"].is_null());
    CHECK(j["edge"][1]["max_terminals"].get<double>() == 539);
    CHECK(j["edge"][0]["delay_p99_ms"].is_null());
    CHECK(many_terminals_html(ManyTerminalsSection{}, Lang::en).empty());
}
