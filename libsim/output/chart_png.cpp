// Line chart rasteriser (see chart_png.hpp).
#include "libsim/output/chart_png.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"

namespace dxplan::output {

namespace {

// 3x5 glyphs, one row per 3 bits (MSB left): 0-9, '-', '.', 'e', '+'.
constexpr std::array<std::array<std::uint8_t, 5>, 14> kGlyph = {{
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7},
    {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}, {0, 0, 7, 0, 0}, {0, 0, 0, 0, 2},
    {0, 7, 7, 4, 7}, {0, 2, 7, 2, 0},
}};
constexpr int kScale = 2, kLeft = 70, kRight = 70, kTop = 20, kBottom = 40;

struct Canvas {
    Image img;
    void px(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
        if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
        std::uint8_t* p = img.rgba.data() + 4 * (static_cast<std::size_t>(y) * img.width + x);
        p[0] = r, p[1] = g, p[2] = b, p[3] = 255;
    }
    // Bresenham, `thick` pixels wide.
    void line(int x0, int y0, int x1, int y1, std::uint8_t r, std::uint8_t g, std::uint8_t b, int thick = 1) {
        const int dx = std::abs(x1 - x0), sx = x0 < x1 ? 1 : -1, dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        for (;;) {
            for (int t = 0; t < thick; ++t) px(x0, y0 + t, r, g, b);
            if (x0 == x1 && y0 == y1) break;
            const int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }
    void text(int x, int y, const char* s, bool right_align) {
        const int w = static_cast<int>(std::char_traits<char>::length(s)) * 4 * kScale;
        if (right_align) x -= w;
        for (; *s; ++s, x += 4 * kScale) {
            int gi = -1;
            if (*s >= '0' && *s <= '9') gi = *s - '0';
            else if (*s == '-') gi = 10;
            else if (*s == '.') gi = 11;
            else if (*s == 'e') gi = 12;
            else if (*s == '+') gi = 13;
            if (gi < 0) continue;
            for (int gy = 0; gy < 5; ++gy)
                for (int gx = 0; gx < 3; ++gx)
                    if (kGlyph[static_cast<std::size_t>(gi)][static_cast<std::size_t>(gy)] & (4 >> gx))
                        for (int k = 0; k < kScale * kScale; ++k) px(x + gx * kScale + k % kScale, y + gy * kScale + k / kScale, 0, 0, 0);
        }
    }
};

double frac(const ChartAxis& a, double v) {
    return a.log ? (std::log10(v) - std::log10(a.min)) / (std::log10(a.max) - std::log10(a.min)) : (v - a.min) / (a.max - a.min);
}

// Tick values: powers of ten on log axes, 5 even steps on linear ones.
std::vector<double> ticks(const ChartAxis& a) {
    std::vector<double> t;
    if (a.log) {
        for (double p = std::pow(10.0, std::ceil(std::log10(a.min) - 1e-9)); p <= a.max * (1 + 1e-9); p *= 10.0) t.push_back(p);
    } else {
        for (int i = 0; i <= 5; ++i) t.push_back(a.min + (a.max - a.min) * i / 5.0);
    }
    return t;
}

void label(char* buf, std::size_t n, double v) {
    if (std::abs(v) >= 1e5 || (std::abs(v) < 1e-2 && v != 0)) std::snprintf(buf, n, "%.0e", v);
    else std::snprintf(buf, n, "%g", v);
}

void check_axis(const ChartAxis& a, const char* which) {
    if (!(a.max > a.min) || (a.log && !(a.min > 0.0)))
        throw InternalError(std::string("line chart: bad ") + which + " axis range");
}

}  // namespace

Image render_line_chart(const LineChart& c) {
    check_axis(c.x_axis, "x");
    check_axis(c.left, "left");
    check_axis(c.right, "right");
    Canvas cv{Image{c.width, c.height, std::vector<std::uint8_t>(static_cast<std::size_t>(c.width) * c.height * 4, 255)}};
    const int x0 = kLeft, x1 = c.width - kRight, y0 = c.height - kBottom, y1 = kTop;
    const auto X = [&](double v) { return x0 + static_cast<int>(std::lround(frac(c.x_axis, v) * (x1 - x0))); };
    const auto Y = [&](const ChartAxis& a, double v) { return y0 - static_cast<int>(std::lround(std::clamp(frac(a, v), 0.0, 1.0) * (y0 - y1))); };
    char buf[32];
    for (double t : ticks(c.x_axis)) {  // vertical grid + labels
        cv.line(X(t), y0, X(t), y1, 225, 225, 225);
        label(buf, sizeof buf, t);
        cv.text(X(t) + static_cast<int>(std::char_traits<char>::length(buf)) * 2 * kScale, y0 + 8, buf, true);
    }
    for (double t : ticks(c.left)) {
        cv.line(x0, Y(c.left, t), x1, Y(c.left, t), 225, 225, 225);
        label(buf, sizeof buf, t);
        cv.text(x0 - 6, Y(c.left, t) - 5, buf, true);
    }
    for (double t : ticks(c.right)) {
        label(buf, sizeof buf, t);
        cv.line(x1, Y(c.right, t), x1 + 4, Y(c.right, t), 0, 0, 0);
        cv.text(x1 + 8, Y(c.right, t) - 5, buf, false);
    }
    cv.line(x0, y0, x1, y0, 0, 0, 0);
    cv.line(x0, y0, x0, y1, 0, 0, 0);
    cv.line(x1, y0, x1, y1, 0, 0, 0);
    for (const ChartSeries& s : c.series) {
        const ChartAxis& a = s.right_axis ? c.right : c.left;
        bool have = false;
        int px = 0, py = 0;
        for (std::size_t i = 0; i < c.x.size() && i < s.y.size(); ++i) {
            const double v = s.y[i];
            if (!std::isfinite(v) || (a.log && v <= 0.0)) { have = false; continue; }
            const int qx = X(c.x[i]), qy = Y(a, v);
            if (have) cv.line(px, py, qx, qy, s.r, s.g, s.b, 2);
            px = qx, py = qy, have = true;
        }
    }
    return cv.img;
}

void write_line_chart_png(const std::filesystem::path& path, const LineChart& chart) {
    const std::vector<std::uint8_t> bytes = encode_png(render_line_chart(chart));
    write_atomically(path, [&](const std::filesystem::path& tmp) {
        std::ofstream f(tmp, std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!f) throw InputError(path.string() + ": cannot write");
    });
}

}  // namespace dxplan::output
