// dxplan output: a small line chart as PNG (no font dependency): x axis linear or log10, a left and a right
// y axis (each linear or log10), numeric tick labels drawn with 3x5 digit glyphs, series as coloured polylines.
// Non-finite points leave a gap. Written atomically (encode_png in png.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "libsim/output/png.hpp"

namespace dxplan::output {

struct ChartSeries {
    std::vector<double> y;          // one per x
    std::uint8_t r = 0, g = 0, b = 0;
    bool right_axis = false;
};

struct ChartAxis {
    double min = 0.0, max = 1.0;    // log axes: both > 0
    bool log = false;
};

struct LineChart {
    std::vector<double> x;
    ChartAxis x_axis, left, right;
    std::vector<ChartSeries> series;
    int width = 800, height = 480;
};

Image render_line_chart(const LineChart& chart);
void write_line_chart_png(const std::filesystem::path& path, const LineChart& chart);

}  // namespace dxplan::output
