#include "libsim/output/report_requirements.hpp"

#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

namespace dxplan::output {

namespace {

using nlohmann::ordered_json;

ordered_json num(double v, int digits) {
    if (!std::isfinite(v)) return nullptr;
    const double s = std::pow(10.0, digits);
    return std::round(v * s) / s;
}

std::string pct(double f) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(1) << 100.0 * f;
    return os.str();
}

double share(std::size_t n, std::size_t total) { return total > 0 ? static_cast<double>(n) / static_cast<double>(total) : 0.0; }

// The best any option comes for one kind: the most points some placement of its candidate sites could serve at
// the requirement (econ::KindService::reachable).
struct KindDiagnosis {
    DemandKind kind = DemandKind::household;
    std::size_t total = 0;
    const econ::KindService* best = nullptr;
    std::string option;  // the option (or mix member's option) it belongs to
};

std::vector<KindDiagnosis> diagnose(const ComparisonReport& r) {
    std::vector<KindDiagnosis> out;
    for (DemandKind kind : kDemandKinds) {
        KindDiagnosis d;
        d.kind = kind;
        for (const auto& t : r.technologies)
            for (const auto& k : t.eval.kinds) {
                if (k.kind != kind) continue;
                d.total = std::max(d.total, k.total);
                if (!d.best || k.reachable > d.best->reachable) d.best = &k, d.option = t.eval.name;
            }
        if (d.best) out.push_back(d);
    }
    return out;
}

}  // namespace

std::string requirement_fields_json(const econ::TechnologyEvaluation& e) {
    ordered_json o;
    o["shortfall"] = num(e.shortfall, 4);
    o["carries"] = e.carries;
    ordered_json kinds = ordered_json::array();
    for (const auto& k : e.kinds)
        kinds.push_back({{"kind", to_string(k.kind)},
                         {"points", k.total},
                         {"in_reach", k.in_reach},
                         {"reachable", k.reachable},
                         {"in_signal", k.in_signal},
                         {"served", k.served},
                         {"in_signal_not_served", k.in_signal - std::min(k.in_signal, k.served)},
                         {"served_fraction", num(share(k.served, k.total), 3)},
                         {"device", k.device},
                         {"carries", k.carries},
                         {"capacity_mbps_per_user", num(k.capacity_mbps_per_user, 3)},
                         {"throughput_median_mbps", num(k.throughput_median_mbps, 3)},
                         {"throughput_p5_mbps", num(k.throughput_p5_mbps, 3)},
                         {"ul_median_mbps", num(k.ul_median_mbps, 3)},
                         {"latency_ms", num(k.latency_ms, 1)},
                         {"ul_capacity_mbps_per_user", num(k.ul_capacity_mbps_per_user, 3)},
                         {"delivery_ratio", num(k.delivery_ratio, 3)},
                         {"delay_p99_ms", num(k.delay_p99_ms, 1)},
                         {"headroom_terminals_per_cell", num(k.headroom_terminals, 0)},
                         {"battery_years", num(k.battery_years, 1)},
                         {"gained_at_plus_3db", k.gained_at_plus_3db},
                         {"lost_at_minus_3db", k.lost_at_minus_3db}});
    o["by_kind"] = kinds;
    ordered_json fails = ordered_json::array();
    for (const auto& f : e.fails)
        fails.push_back({{"requirement", econ::to_string(f.requirement)},
                         {"kind", f.kind ? ordered_json(std::string(to_string(*f.kind))) : ordered_json(nullptr)},
                         {"member", f.member.empty() ? ordered_json(nullptr) : ordered_json(f.member)},
                         {"value", num(f.value, 4)},
                         {"limit", num(f.limit, 4)},
                         {"shortfall", num(f.shortfall, 4)},
                         {"reason", f.reason}});
    o["failures"] = fails;
    return o.dump();
}

std::string diagnosis_json(const ComparisonReport& r) {
    ordered_json out = ordered_json::array();
    const double target = r.requirements.coverage_target_fraction;
    for (const KindDiagnosis& d : diagnose(r)) {
        const econ::KindService& b = *d.best;
        const double best = share(b.reachable, d.total);
        out.push_back({{"kind", to_string(d.kind)},
                       {"points", d.total},
                       {"target_fraction", num(target, 3)},
                       {"target_reachable", !(best < target)},
                       {"best_reachable", {{"option", d.option}, {"count", b.reachable}, {"fraction", num(best, 3)}}},
                       {"outside_every_site", b.total - b.in_reach},
                       {"in_reach_not_servable", b.in_reach - b.reachable}});
    }
    return out.dump();
}

std::string diagnosis_text(const ComparisonReport& r, Lang l, bool html) {
    std::string out;
    const double target = r.requirements.coverage_target_fraction;
    const auto line = [&](const std::string& s) { out += html ? "<p class=\"statement\">" + s + "</p>\n" : "**" + s + "**\n\n"; };
    for (const KindDiagnosis& d : diagnose(r)) {
        const econ::KindService& b = *d.best;
        const double best = share(b.reachable, d.total);
        if (!(best < target)) continue;
        const std::string kind(to_string(d.kind)), n = std::to_string(d.total);
        const std::string out_n = std::to_string(b.total - b.in_reach), shadow = std::to_string(b.in_reach - b.reachable);
        if (l == Lang::ja)
            line("目標未達（配置によらず）: " + kind + " は候補地点のどの配置でも最大 " + pct(best) + " %（" +
                 std::to_string(b.reachable) + " / " + n + "、" + d.option + "）で、目標 " + pct(target) + " % に届きません。" +
                 out_n + " 地点はどの候補地点の計算半径の外、" + shadow + " 地点は半径内でも地形の影または要件の速度に届きません。");
        else
            line("Target unreachable by any placement: for " + kind + " at most " + pct(best) + " % (" +
                 std::to_string(b.reachable) + " of " + n + ", " + d.option + ") can be served, below the " + pct(target) +
                 " % target: " + out_n + " points lie outside every candidate site's reach and " + shadow +
                 " are within reach but in terrain shadow or below the kind's rate.");
    }
    // The +-3 dB propagation-margin case: say why it changes nothing when it does not.
    for (const auto& t : r.technologies)
        for (const auto& k : t.eval.kinds) {
            if (k.kind != DemandKind::household || !t.mix_members.empty()) continue;
            if (k.gained_at_plus_3db > 0 || k.lost_at_minus_3db > 0 || k.served == 0) continue;
            const std::string s =
                l == Lang::ja ? t.eval.name + ": 伝搬マージン ±3 dB でも世帯数と費用は変わりません。提供中の世帯はすべて 3 dB 超の余裕があり、残りは候補地点の到達範囲外か、要件の速度まで 3 dB 超不足しています。"
                              : t.eval.name + ": the +-3 dB propagation margin changes neither households nor cost: every "
                                              "household served keeps more than 3 dB, and the others lie beyond every "
                                              "site's reach or fall more than 3 dB short of the kind's rate.";
            out += html ? "<p class=\"note\">" + s + "</p>\n" : s + "\n\n";
        }
    const std::string rule = l == Lang::ja
                                 ? "順位の決め方: 全需要種別を扱えて要件の速度を運べる案を先に、要件をすべて満たす案、次に不足の合計が小さい案、最後に世帯あたり費用が小さい案の順。"
                                 : "Ranking: options serving every demand kind and able to carry each kind's rate first; "
                                   "then those meeting every requirement; then the smallest total shortfall; then the "
                                   "lowest cost per served household.";
    out += html ? "<p class=\"note\">" + rule + "</p>\n" : rule + "\n\n";
    return out;
}

}  // namespace dxplan::output
