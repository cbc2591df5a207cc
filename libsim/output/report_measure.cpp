// The "Measurements" and "Outcome evaluation" report sections (see report_measure.hpp).
#include "libsim/output/report_measure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/text.hpp"
#include "libsim/output/report.hpp"
#include "libsim/output/report_parts.hpp"

namespace dxplan::output {

namespace {

using ordered_json = nlohmann::ordered_json;

std::string L(Lang l, const char* en, const char* ja) { return l == Lang::ja ? ja : en; }

std::string f(double v, int digits = 1) {
    if (!std::isfinite(v)) return "-";
    char b[48];
    std::snprintf(b, sizeof b, "%.*f", digits, v);
    return b;
}

double r3(double v) { return std::isfinite(v) ? std::round(v * 1000.0) / 1000.0 : 0.0; }

struct Row {
    std::string label;
    measure::ErrorStats before, in_sample, cv;
};

std::vector<Row> error_rows(const MeasurementsReport& m, Lang l) {
    std::vector<Row> rows;
    rows.push_back({L(l, "all points", "全地点"), m.before.all, m.after_in_sample.all, m.after_cv.all});
    for (const auto& [cat, s] : m.before.by_category)
        rows.push_back({L(l, "clutter: ", "土地被覆: ") + cat, s, m.after_in_sample.by_category.at(cat), m.after_cv.by_category.at(cat)});
    for (std::size_t i = 0; i < m.before.by_band.size(); ++i)
        rows.push_back({L(l, "distance ", "距離 ") + m.before.by_band[i].first, m.before.by_band[i].second,
                        m.after_in_sample.by_band[i].second, m.after_cv.by_band[i].second});
    return rows;
}

std::vector<std::string> error_head(Lang l) {
    return {L(l, "group", "区分"), "n", L(l, "mean error before, dB", "補正前 平均誤差 dB"), L(l, "RMSE before, dB", "補正前 RMSE dB"),
            L(l, "SD before, dB", "補正前 標準偏差 dB"), L(l, "RMSE after (in sample), dB", "補正後 RMSE（学習データ）dB"),
            L(l, "mean error after (cross-validated), dB", "補正後 平均誤差（交差検証）dB"),
            L(l, "RMSE after (cross-validated), dB", "補正後 RMSE（交差検証）dB")};
}

std::vector<std::string> error_cells(const Row& r) {
    return {r.label, std::to_string(r.before.n), f(r.before.mean_db), f(r.before.rmse_db), f(r.before.sd_db),
            f(r.in_sample.rmse_db), f(r.cv.mean_db), f(r.cv.rmse_db)};
}

std::string html_table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
    std::ostringstream o;
    o << "<table><tr>";
    for (const auto& h : head) o << "<th>" << xml_escape(h) << "</th>";
    o << "</tr>\n";
    for (const auto& r : rows) {
        o << "<tr>";
        for (std::size_t i = 0; i < r.size(); ++i) o << (i ? "<td>" : "<td style=\"text-align:left\">") << xml_escape(r[i]) << "</td>";
        o << "</tr>\n";
    }
    o << "</table>\n";
    return o.str();
}

std::string md_table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
    std::ostringstream o;
    o << "|";
    for (const auto& h : head) o << " " << h << " |";
    o << "\n|";
    for (std::size_t i = 0; i < head.size(); ++i) o << (i ? "---:|" : "---|");
    o << "\n";
    for (const auto& r : rows) {
        o << "|";
        for (const auto& c : r) o << " " << c << " |";
        o << "\n";
    }
    return o.str() + "\n";
}

// Histogram of residuals before (grey) and after the cross-validated correction (blue), 2 dB bins.
std::string histogram_svg(const MeasurementsReport& m, Lang l) {
    std::vector<double> before;
    for (const auto& p : m.points) before.push_back(p.residual_db);
    double lo = 0.0, hi = 0.0;
    for (const std::vector<double>* v : std::initializer_list<const std::vector<double>*>{&before, &m.residual_cv_db})
        for (double x : *v) lo = std::min(lo, x), hi = std::max(hi, x);
    const double bin = 2.0;
    lo = std::floor(lo / bin) * bin, hi = std::ceil(hi / bin) * bin + bin;
    const auto nb = static_cast<std::size_t>((hi - lo) / bin);
    std::vector<int> hb(nb, 0), ha(nb, 0);
    for (double x : before) ++hb[std::min(nb - 1, static_cast<std::size_t>((x - lo) / bin))];
    for (double x : m.residual_cv_db) ++ha[std::min(nb - 1, static_cast<std::size_t>((x - lo) / bin))];
    const int peak = std::max(*std::max_element(hb.begin(), hb.end()), *std::max_element(ha.begin(), ha.end()));
    const double w = 520, h = 240, x0 = 40, y0 = 200, pw = 460, ph = 170;
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" font-size=\"11\" role=\"img\" aria-label=\""
      << xml_escape(L(l, "residual histogram", "残差のヒストグラム")) << "\">\n";
    const double bw = pw / static_cast<double>(nb);
    for (std::size_t i = 0; i < nb; ++i) {
        const double xb = x0 + bw * static_cast<double>(i);
        const double hb_px = ph * hb[i] / peak, ha_px = ph * ha[i] / peak;
        o << "<rect x=\"" << xb << "\" y=\"" << y0 - hb_px << "\" width=\"" << bw * 0.48 << "\" height=\"" << hb_px << "\" fill=\"#999\"/>";
        o << "<rect x=\"" << xb + bw * 0.5 << "\" y=\"" << y0 - ha_px << "\" width=\"" << bw * 0.48 << "\" height=\"" << ha_px
          << "\" fill=\"#1f77b4\"/>\n";
    }
    for (double t = lo; t <= hi; t += std::max(bin, std::round((hi - lo) / 8.0 / bin) * bin))
        o << "<text x=\"" << x0 + pw * (t - lo) / (hi - lo) << "\" y=\"" << y0 + 14 << "\" text-anchor=\"middle\">" << f(t, 0) << "</text>";
    o << "<line x1=\"" << x0 << "\" y1=\"" << y0 << "\" x2=\"" << x0 + pw << "\" y2=\"" << y0 << "\" stroke=\"#444\"/>\n";
    o << "<text x=\"" << x0 + pw / 2 << "\" y=\"" << h - 6 << "\" text-anchor=\"middle\">"
      << xml_escape(L(l, "residual = measured - predicted loss, dB (grey: model, blue: calibrated, cross-validated)",
                      "残差 = 実測損失 − 予測損失 dB（灰: モデル、青: 補正後・交差検証）"))
      << "</text>\n</svg>\n";
    return o.str();
}

// Predicted vs measured loss, with the 1:1 line.
std::string scatter_svg(const MeasurementsReport& m, Lang l) {
    double lo = 1e9, hi = -1e9;
    for (const auto& p : m.points)
        lo = std::min({lo, p.measured_loss_db, p.predicted_loss_db}), hi = std::max({hi, p.measured_loss_db, p.predicted_loss_db});
    lo = std::floor(lo / 10.0) * 10.0, hi = std::ceil(hi / 10.0) * 10.0;
    if (hi <= lo) hi = lo + 10.0;
    const double s = 260, x0 = 50, y0 = 280;
    auto X = [&](double v) { return x0 + s * (v - lo) / (hi - lo); };
    auto Y = [&](double v) { return y0 - s * (v - lo) / (hi - lo); };
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"340\" height=\"320\" font-size=\"11\" role=\"img\" aria-label=\""
      << xml_escape(L(l, "predicted vs measured", "予測と実測")) << "\">\n";
    o << "<rect x=\"" << x0 << "\" y=\"" << y0 - s << "\" width=\"" << s << "\" height=\"" << s << "\" fill=\"none\" stroke=\"#444\"/>\n";
    o << "<line x1=\"" << X(lo) << "\" y1=\"" << Y(lo) << "\" x2=\"" << X(hi) << "\" y2=\"" << Y(hi) << "\" stroke=\"#d62728\"/>\n";
    for (const auto& p : m.points)
        o << "<circle cx=\"" << X(p.predicted_loss_db) << "\" cy=\"" << Y(p.measured_loss_db) << "\" r=\"1.8\" fill=\"#1f77b4\" fill-opacity=\"0.6\"/>";
    o << "\n<text x=\"" << x0 << "\" y=\"" << y0 + 14 << "\">" << f(lo, 0) << "</text><text x=\"" << x0 + s << "\" y=\"" << y0 + 14
      << "\" text-anchor=\"end\">" << f(hi, 0) << "</text>";
    o << "<text x=\"" << x0 + s / 2 << "\" y=\"" << y0 + 28 << "\" text-anchor=\"middle\">"
      << xml_escape(L(l, "predicted loss, dB", "予測損失 dB")) << "</text>";
    o << "<text x=\"14\" y=\"" << y0 - s / 2 << "\" transform=\"rotate(-90 14 " << y0 - s / 2 << ")\" text-anchor=\"middle\">"
      << xml_escape(L(l, "measured loss, dB", "実測損失 dB")) << "</text>\n</svg>\n";
    return o.str();
}

// Map of residuals: each point at its position, red where the model is optimistic (residual > 0), blue where
// pessimistic; the colour saturates at +-15 dB.
std::string residual_map_svg(const MeasurementsReport& m, Lang l) {
    double s = 90, n = -90, w = 180, e = -180;
    for (const auto& p : m.points)
        s = std::min(s, p.pos.lat_deg), n = std::max(n, p.pos.lat_deg), w = std::min(w, p.pos.lon_deg), e = std::max(e, p.pos.lon_deg);
    const double coslat = std::cos((s + n) / 2.0 * M_PI / 180.0);
    const double span = std::max({(n - s), (e - w) * coslat, 1e-6});
    const double px = 300, x0 = 20, y0 = 20;
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"340\" height=\"360\" font-size=\"11\" role=\"img\" aria-label=\""
      << xml_escape(L(l, "residual map", "残差の地図")) << "\">\n<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << px
      << "\" height=\"" << px << "\" fill=\"#f4f4f4\"/>\n";
    for (const auto& p : m.points) {
        const double t = std::clamp(p.residual_db / 15.0, -1.0, 1.0);
        const int red = t > 0 ? 255 : static_cast<int>(255 * (1 + t)), blue = t < 0 ? 255 : static_cast<int>(255 * (1 - t));
        const int green = static_cast<int>(255 * (1 - std::fabs(t)));
        o << "<circle cx=\"" << x0 + px * (p.pos.lon_deg - w) * coslat / span << "\" cy=\"" << y0 + px * (n - p.pos.lat_deg) / span
          << "\" r=\"2.5\" fill=\"rgb(" << red << "," << green << "," << blue << ")\" stroke=\"#555\" stroke-width=\"0.2\"/>";
    }
    o << "\n<text x=\"" << x0 << "\" y=\"" << y0 + px + 16 << "\">"
      << xml_escape(L(l, "red: measured loss above the model (to +15 dB); blue: below (to -15 dB)",
                      "赤: 実測損失がモデルより大（+15 dB まで）、青: 小（−15 dB まで）"))
      << "</text>\n<text x=\"" << x0 << "\" y=\"" << y0 + px + 30 << "\">" << f(s, 4) << "-" << f(n, 4) << " N, " << f(w, 4) << "-"
      << f(e, 4) << " E</text>\n</svg>\n";
    return o.str();
}

std::string correction_text(const measure::Calibration& c, Lang l) {
    std::ostringstream o;
    o << L(l, "Fitted correction (added to the model's loss): slope ", "推定した補正（モデルの損失に加算）: 距離勾配 ")
      << f(c.slope_db_per_decade, 2) << L(l, " dB per decade of distance; offsets ", " dB/桁、オフセット ");
    bool first = true;
    for (const auto& [cat, v] : c.offset_db) o << (first ? "" : ", ") << cat << " " << f(v, 2) << " dB", first = false;
    o << L(l, "; ridge lambda ", "。リッジ係数 ") << f(c.ridge_lambda, 2) << ", " << c.k_folds
      << L(l, "-fold cross-validation; residual SD after correction ", " 分割交差検証、補正後の残差標準偏差 ") << f(c.noise_sd_db, 2) << " dB.";
    return o.str();
}

std::vector<std::vector<std::string>> outcome_rows(const measure::OutcomeResult& r) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : r.indicators) {
        char p[32], ph[32];
        std::snprintf(p, sizeof p, "%.4f", i.p_value);
        std::snprintf(ph, sizeof ph, "%.4f", i.p_holm);
        rows.push_back({i.name, i.test + " (" + i.method + ")", std::to_string(i.before.size()) + " / " + std::to_string(i.after.size()),
                        f(i.median_before, 2) + " / " + f(i.median_after, 2), p, ph,
                        f(i.shift.estimate, 2) + " [" + f(i.shift.ci_low, 2) + ", " + f(i.shift.ci_high, 2) + "]",
                        f(i.rank_biserial, 2)});
    }
    return rows;
}

std::vector<std::string> outcome_head(Lang l) {
    return {L(l, "indicator", "指標"), L(l, "test", "検定"), L(l, "n before / after", "件数 前 / 後"),
            L(l, "median before / after", "中央値 前 / 後"), "p", L(l, "p (Holm)", "p（Holm 補正）"),
            L(l, "shift (Hodges-Lehmann) [95 % CI]", "差（Hodges-Lehmann）[信頼区間]"), L(l, "rank-biserial r", "順位双列相関 r")};
}

ordered_json stats_json(const measure::ErrorStats& s) {
    return {{"n", s.n}, {"mean_error_db", r3(s.mean_db)}, {"rmse_db", r3(s.rmse_db)}, {"sd_db", r3(s.sd_db)}};
}

ordered_json summary_json(const measure::ResidualSummary& s) {
    ordered_json j;
    j["all"] = stats_json(s.all);
    for (const auto& [k, v] : s.by_category) j["by_category"][k] = stats_json(v);
    for (const auto& [k, v] : s.by_band) j["by_distance_band"][k] = stats_json(v);
    return j;
}

ordered_json calibration_json(const measure::Calibration& c) {
    ordered_json j;
    j["model"] = c.model;
    j["slope_db_per_decade"] = r3(c.slope_db_per_decade);
    j["default_offset_db"] = r3(c.default_offset_db);
    for (const auto& [k, v] : c.offset_db) j["offset_db"][k] = r3(v);
    j["ridge_lambda"] = c.ridge_lambda;
    j["k_folds"] = c.k_folds;
    j["n_points"] = c.n_points;
    j["in_sample_rmse_db"] = r3(c.in_sample_rmse_db);
    j["cv_rmse_db"] = r3(c.cv_rmse_db);
    j["noise_sd_db"] = r3(c.noise_sd_db);
    j["measurements"] = c.measurements;
    j["measurements_sha256"] = c.measurements_sha256;
    j["site"] = c.site;
    return j;
}

std::string applied_text(const MeasureSections& m, Lang l) {
    if (!m.applied) return L(l, "No calibration is applied to this run's losses.", "この実行の損失には補正を適用していません。");
    const auto& c = *m.applied;
    return L(l, "Applied to this run's losses: calibration ", "この実行の損失に適用した補正: ") + m.applied_file + " (" + c.model + ", " +
           L(l, "from ", "元データ ") + c.measurements + ", sha256 " + c.measurements_sha256.substr(0, 12) + ", " +
           L(l, "site ", "基地局 ") + c.site + ", " + std::to_string(c.n_points) + L(l, " points, cross-validated RMSE ", " 地点、交差検証 RMSE ") +
           f(c.cv_rmse_db, 2) + " dB).";
}

}  // namespace

std::string measurements_html(const MeasureSections& m, Lang l) {
    std::ostringstream h;
    if (m.measurements) {
        const auto& r = *m.measurements;
        std::string sites;
        for (const auto& x : r.sites) sites += (sites.empty() ? "" : ", ") + x;
        h << "<p>" << xml_escape(r.file + ": " + std::to_string(r.points.size()) + L(l, " points compared with ", " 地点をモデル ") + r.model +
                                 L(l, " (sites ", " と比較（基地局 ") + sites + "); " + std::to_string(r.excluded_rows) +
                                 L(l, " rows excluded (missing cells), ", " 行を欠損で除外、") + std::to_string(r.duplicate_rows) +
                                 L(l, " duplicates dropped.", " 行を重複として除外。"))
          << "</p>\n";
        std::vector<std::vector<std::string>> rows;
        for (const Row& row : error_rows(r, l)) rows.push_back(error_cells(row));
        h << html_table(error_head(l), rows) << "<p>" << xml_escape(correction_text(r.fitted, l)) << "</p>\n"
          << "<div class=\"maps\"><figure>" << histogram_svg(r, l) << "</figure><figure>" << scatter_svg(r, l) << "</figure><figure>"
          << residual_map_svg(r, l) << "</figure></div>\n";
    }
    if (m.measurements || m.applied) h << "<p class=\"note\">" << xml_escape(applied_text(m, l)) << "</p>\n";
    return h.str();
}

std::string measurements_markdown(const MeasureSections& m, Lang l) {
    std::ostringstream md;
    if (m.measurements) {
        const auto& r = *m.measurements;
        md << r.file << ": " << r.points.size() << L(l, " points compared with ", " 地点をモデル ") << r.model << ".\n\n";
        std::vector<std::vector<std::string>> rows;
        for (const Row& row : error_rows(r, l)) rows.push_back(error_cells(row));
        md << md_table(error_head(l), rows) << correction_text(r.fitted, l) << "\n\n";
    }
    if (m.measurements || m.applied) md << applied_text(m, l) << "\n\n";
    return md.str();
}

std::string outcome_html(const MeasureSections& m, Lang l) {
    if (!m.outcome) return {};
    const auto& o = *m.outcome;
    std::ostringstream h;
    h << "<ul>\n";
    for (const auto& i : o.indicators) h << "<li>" << xml_escape(l == Lang::ja ? i.summary_ja : i.summary_en) << "</li>\n";
    h << "</ul>\n" << html_table(outcome_head(l), outcome_rows(o)) << "<div class=\"maps\">";
    for (const auto& i : o.indicators) h << "<figure>" << measure::box_strip_svg(i, std::string(lang_code(l))) << "</figure>";
    h << "</div>\n";
    if (!o.excluded.empty())
        h << "<p class=\"note\">" << o.excluded.size() << xml_escape(L(l, " missing cells excluded.", " 件の欠損セルを除外。")) << "</p>\n";
    return h.str();
}

std::string outcome_markdown(const MeasureSections& m, Lang l) {
    if (!m.outcome) return {};
    std::ostringstream md;
    for (const auto& i : m.outcome->indicators) md << "- " << (l == Lang::ja ? i.summary_ja : i.summary_en) << "\n";
    md << "\n" << md_table(outcome_head(l), outcome_rows(*m.outcome));
    return md.str();
}

std::string measure_sections_html(const MeasureSections& m, Lang l) {
    std::string h;
    if (m.measurements || m.applied)
        h += "<h2 id=\"measurements\">" + xml_escape(L(l, "Measurements", "実測データとの比較")) + "</h2>\n" + measurements_html(m, l);
    if (m.outcome)
        h += "<h2 id=\"outcome\">" + xml_escape(L(l, "Outcome evaluation", "効果検証（導入前後の比較）")) + "</h2>\n" + outcome_html(m, l);
    return h;
}

namespace detail {

void measurements_section(const ComparisonReport& r, Lang l, Doc& d) {
    if (!r.run || !r.run->measure) return;
    const MeasureSections& m = *r.run->measure;
    if (m.measurements || m.applied) d.raw(measurements_html(m, l), measurements_markdown(m, l));
}

void outcome_section(const ComparisonReport& r, Lang l, Doc& d) {
    if (r.run && r.run->measure && r.run->measure->outcome) d.raw(outcome_html(*r.run->measure, l), outcome_markdown(*r.run->measure, l));
}

}  // namespace detail

std::string measure_sections_json(const MeasureSections& m) {
    ordered_json j = ordered_json::object();
    if (m.measurements) {
        const auto& r = *m.measurements;
        j["measurements"] = {{"file", r.file},
                             {"model", r.model},
                             {"sites", r.sites},
                             {"points", r.points.size()},
                             {"before", summary_json(r.before)},
                             {"after_in_sample", summary_json(r.after_in_sample)},
                             {"after_cross_validated", summary_json(r.after_cv)},
                             {"fitted", calibration_json(r.fitted)}};
    }
    if (m.applied) {
        j["calibration_applied"] = calibration_json(*m.applied);
        j["calibration_applied"]["file"] = m.applied_file;
    }
    if (m.outcome) j["outcome_evaluation"] = ordered_json::parse(measure::outcome_json(*m.outcome));
    return j.dump();
}

}  // namespace dxplan::output
