#include "libsim/output/report_i18n.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "libsim/core/error.hpp"

namespace dxplan::output {

namespace {

struct Phrase {
    std::string_view key;
    std::string_view en;
    std::string_view ja;
};

// One explicit table; keys sorted by section of the report.
inline constexpr std::array kPhrases{
    Phrase{"title", "Wireless network plan and technology comparison", "無線ネットワーク計画・通信技術の比較"},
    Phrase{"scenario", "Scenario", "シナリオ"},
    Phrase{"toc", "Contents", "目次"},
    Phrase{"sec.area", "Area and demand", "対象地域と需要"},
    Phrase{"sec.comparison", "Technology comparison", "他の無線システムとの比較分析"},
    Phrase{"sec.many_terminals", "Many terminals: load per cell and edge AI", "多数端末：セルあたりの負荷とエッジAI"},
    Phrase{"sec.maps", "Network configuration (maps)", "ネットワーク構成（エリア図）"},
    Phrase{"sec.equipment", "Equipment list", "機器構成"},
    Phrase{"sec.costs", "Introduction and operating costs", "導入費用・運用費用"},
    Phrase{"sec.effectiveness", "Cost-effectiveness", "費用対効果"},
    Phrase{"sec.sensitivity", "Sensitivity analysis", "感度分析"},
    Phrase{"sec.montecarlo", "Monte Carlo analysis", "モンテカルロ分析"},
    Phrase{"sec.measurements", "Measurements", "実測データとの比較"},
    Phrase{"sec.outcome", "Outcome evaluation", "効果検証（導入前後の比較）"},
    Phrase{"sec.routes", "Driving routes", "走行ルート"},
    Phrase{"sec.assumptions", "Assumptions and sources", "前提条件と出典"},
    Phrase{"sec.provenance", "Provenance of this run", "実行条件の記録"},
    Phrase{"item", "Item", "項目"},
    Phrase{"value", "Value", "値"},
    Phrase{"terrain", "Terrain", "地形データ"},
    Phrase{"grid", "Grid", "計算メッシュ"},
    Phrase{"extent", "Extent", "範囲"},
    Phrase{"land_cover", "Land cover", "土地被覆"},
    Phrase{"lc.water", "water", "水域"},
    Phrase{"lc.open", "open land", "草地・裸地"},
    Phrase{"lc.cropland", "cropland", "農地"},
    Phrase{"lc.forest", "forest", "森林"},
    Phrase{"lc.suburban", "suburban", "郊外・集落"},
    Phrase{"lc.urban", "urban", "市街地"},
    Phrase{"kind.household", "Households", "世帯"},
    Phrase{"kind.facility", "Facilities", "施設"},
    Phrase{"kind.iot", "IoT devices", "IoT端末"},
    Phrase{"fibre_pops", "Fibre points of presence", "光回線の接続拠点"},
    Phrase{"technology", "Technology", "通信技術"},
    Phrase{"sites", "Base stations", "基地局数"},
    Phrase{"coverage_area_km2", "Coverage area (km²)", "エリア面積（km²）"},
    Phrase{"demand_covered", "Demand covered", "カバー需要数"},
    Phrase{"demand_fraction", "Share covered", "カバー率"},
    Phrase{"capex_jpy", "CAPEX (JPY)", "導入費用（円）"},
    Phrase{"opex_jpy_per_year", "OPEX (JPY/year)", "運用費用（円/年）"},
    Phrase{"npv_jpy", "NPV of costs (JPY)", "総費用（評価期間・現在価値、円）"},
    Phrase{"eligible_jpy", "Eligible cost (JPY)", "補助対象経費（円）"},
    Phrase{"subsidy_jpy", "Subsidy (JPY)", "補助金（円）"},
    Phrase{"municipality_npv_jpy", "Municipality's cost after subsidy, NPV (JPY)", "補助後の実質負担額（自己負担、現在価値、円）"},
    Phrase{"cost_per_household_jpy", "Cost per covered household (JPY)", "カバー世帯あたり費用（円）"},
    Phrase{"municipality_per_household_jpy", "After subsidy, per household (JPY)", "補助後の世帯あたり負担（円）"},
    Phrase{"per_km2_jpy", "Cost per km² (JPY)", "km²あたり費用（円）"},
    Phrase{"per_device_jpy", "Cost per connected device (JPY)", "接続端末あたり費用（円）"},
    Phrase{"per_mbps_jpy", "Cost per Mbit/s delivered (JPY)", "Mbpsあたり費用（円）"},
    Phrase{"throughput_median", "Throughput, median (Mbit/s)", "スループット中央値（Mbps）"},
    Phrase{"throughput_p5", "Throughput, 5th percentile (Mbit/s)", "スループット5パーセンタイル値（Mbps）"},
    Phrase{"capacity", "Busy-hour capacity per active household (Mbit/s)", "最繁時の利用世帯あたり容量（Mbps）"},
    Phrase{"latency_ms", "Latency judged against the requirement (ms)", "要件判定に用いた遅延（ms）"},
    Phrase{"delivery_ratio", "Delivery ratio at the busy-hour load (worst cell)", "最繁時負荷での到達率（最悪セル）"},
    Phrase{"delay_p99_ms", "99th-percentile access delay at the busy-hour load (ms, worst cell)",
           "最繁時負荷での99パーセンタイル遅延（ms、最悪セル）"},
    Phrase{"headroom_terminals", "Headroom in terminals per cell (smallest)", "セルあたり収容余力（端末数、最小）"},
    Phrase{"battery_years", "Sensor battery life (years)", "センサー電池寿命（年）"},
    Phrase{"fails", "Requirements not met", "未達の要件"},
    Phrase{"none", "none", "なし"},
    Phrase{"req.coverage", "coverage", "カバレッジ"},
    Phrase{"req.capacity", "capacity", "容量"},
    Phrase{"req.latency", "latency", "遅延"},
    Phrase{"req.battery", "device battery", "端末電池寿命"},
    Phrase{"req.regulatory", "regulatory limit", "制度上の制約"},
    Phrase{"req.payload", "message payload", "1メッセージのペイロード"},
    Phrase{"rank", "Rank (cost per household)", "順位（世帯あたり費用）"},
    Phrase{"backhaul", "Backhaul", "バックホール"},
    Phrase{"backhaul_links", "Backhaul links", "バックホール回線数"},
    Phrase{"fibre_km", "New fibre (km)", "光ファイバ新設延長（km）"},
    Phrase{"backhaul_capex_jpy", "Backhaul CAPEX (JPY)", "バックホール導入費用（円）"},
    Phrase{"backhaul_opex_jpy", "Backhaul OPEX (JPY/year)", "バックホール運用費用（円/年）"},
    Phrase{"map.legend",
           "Base stations (red triangles), backhaul links (blue lines), fibre points of presence (black squares), "
           "demand points covered (green) and not covered (grey).",
           "基地局（赤三角）、バックホール（青線）、光回線の接続拠点（黒四角）、エリア内の需要点（緑）、エリア外の需要点（灰）。"},
    Phrase{"map.power_legend", "Received power (dBm)", "受信電力（dBm）"},
    Phrase{"map.background", "Background: coverage over hillshade.", "背景はサービスエリア（受信電力）を陰影起伏図に重ねたものです。"},
    Phrase{"map.sinr", "Downlink SINR of the chosen sites on one channel, -10 dB (blue) to 30 dB (red), over hillshade.",
           "選定基地局の下りSINR（同一チャネル）、-10 dB（青）～30 dB（赤）、陰影起伏図上。"},
    Phrase{"equipment.id", "Catalogue item", "品目"},
    Phrase{"equipment.quantity", "Quantity", "数量"},
    Phrase{"equipment.unit_capex", "Unit price (JPY)", "単価（円）"},
    Phrase{"equipment.unit_opex", "Yearly cost per unit (JPY)", "年額単価（円）"},
    Phrase{"equipment.acquisition", "Acquisition", "調達形態"},
    Phrase{"acq.purchase", "purchase", "購入"},
    Phrase{"acq.lease", "lease", "リース"},
    Phrase{"acq.subscription", "subscription", "サブスクリプション"},
    Phrase{"year", "Year", "年度"},
    Phrase{"capex", "CAPEX", "導入費用"},
    Phrase{"opex", "OPEX", "運用費用"},
    Phrase{"opex_paid", "OPEX as paid (year 0: rentals prepaid)", "運用費用（支払年度、0年度は前払いリース・利用料）"},
    Phrase{"capex_purchases", "CAPEX (purchases)", "導入費用（購入）"},
    Phrase{"opex_as_paid", "OPEX as paid", "運用費用（支払ベース）"},
    Phrase{"per_year", "/year", "/年"},
    Phrase{"years", "years", "年度"},
    Phrase{"rentals", "rentals", "リース・利用料"},
    Phrase{"year_n", "year", "年度"},
    Phrase{"prepaid_in_year0", "prepaid in year 0", "は0年度に一括前払い"},
    Phrase{"demo.check", "Demonstration ②-1 scale (10-100 M JPY, 定額)", "実証②-1の規模（1千万〜1億円・定額）"},
    Phrase{"demo.within", "within the scale", "範囲内"},
    Phrase{"demo.lease_pv", "Roll-out after the demonstration: lease, PV (JPY)", "実証後の展開：リースの現在価値（円）"},
    Phrase{"demo.buy_pv", "Roll-out after the demonstration: buy, PV (JPY)", "実証後の展開：購入の現在価値（円）"},
    Phrase{"chart.cashflow", "CAPEX (solid) and OPEX (light) by year, JPY", "年度別の導入費用（濃色）と運用費用（淡色）（円）"},
    Phrase{"chart.per_household", "Cost per covered household (NPV), before and after subsidy, JPY",
           "1世帯あたり費用（総費用の現在価値）、補助前と補助後（円）"},
    Phrase{"chart.tornado", "Effect of each assumption on the cost per household, JPY (low end dark, high end light)",
           "各前提条件が世帯あたり費用に与える影響（円）（下限：濃色、上限：淡色）"},
    Phrase{"chart.histogram", "Distribution of the cost per household over the draws, JPY",
           "試行ごとの世帯あたり費用の分布（円）"},
    Phrase{"chart.ranking", "Share of draws in which each technology is the cheapest per household",
           "世帯あたり費用が最も安くなる試行の割合"},
    Phrase{"param", "Assumption", "前提条件"},
    Phrase{"low", "Low", "下限"},
    Phrase{"high", "High", "上限"},
    Phrase{"at_low", "Per household at low (JPY)", "下限時の世帯あたり費用（円）"},
    Phrase{"at_high", "Per household at high (JPY)", "上限時の世帯あたり費用（円）"},
    Phrase{"at_low_municipality", "After subsidy, at low (JPY)", "下限時の補助後負担（円）"},
    Phrase{"at_high_municipality", "After subsidy, at high (JPY)", "上限時の補助後負担（円）"},
    Phrase{"param.discount_rate", "discount rate", "割引率"},
    Phrase{"param.horizon_years", "horizon (years)", "評価期間（年）"},
    Phrase{"param.subsidy_rate", "subsidy rate", "補助率"},
    Phrase{"param.margin_db", "propagation margin (dB)", "伝搬マージン（dB）"},
    Phrase{"param.price", "price", "価格"},
    Phrase{"mc.draws", "Draws", "試行回数"},
    Phrase{"mc.seed", "Seed", "乱数シード"},
    Phrase{"mc.distribution", "Price distribution", "価格の分布"},
    Phrase{"mc.sigma", "Propagation uncertainty, sd (dB)", "伝搬の不確かさ（標準偏差、dB）"},
    Phrase{"mc.p5", "5th percentile (JPY)", "5パーセンタイル値（円）"},
    Phrase{"mc.p50", "Median (JPY)", "中央値（円）"},
    Phrase{"mc.p95", "95th percentile (JPY)", "95パーセンタイル値（円）"},
    Phrase{"mc.cheapest_share", "Cheapest in (% of draws)", "最安となる割合（%）"},
    Phrase{"mc.statement", "{tech} is the cheapest per household in {pct} % of draws.",
           "モンテカルロ試行の{pct}%で、{tech}の1世帯あたり費用が最も低くなりました。"},
    Phrase{"rec.meets_all.only", "Recommended: {tech}, the only option that meets every requirement.",
           "推奨案は{tech}です。すべての要件を満たす唯一の案です。"},
    Phrase{"rec.meets_all.cheapest",
           "Recommended: {tech}: of the {m} options that meet every requirement, it has the lowest cost per covered household.",
           "推奨案は{tech}です。すべての要件を満たす{m}案のうち、1世帯あたり費用が最も低い案です。"},
    Phrase{"rec.fewest_failures.only", "No option meets every requirement. {tech} misses the fewest ({fails}).",
           "すべての要件を満たす案はありません。未達の要件が最も少ないのは{tech}です（未達：{fails}）。"},
    Phrase{"rec.fewest_failures.cheapest",
           "No option meets every requirement. Of the {m} options that miss the fewest, {tech} ({fails}) has the lowest cost per covered household.",
           "すべての要件を満たす案はありません。未達の要件が最も少ない{m}案のうち、1世帯あたり費用が最も低いのは{tech}です（未達：{fails}）。"},
    Phrase{"rec.cost_position", "Its cost per covered household, {cost} JPY, is {position} of the {n} options.",
           "同案の1世帯あたり費用は{cost}円で、{n}案の中で{position}です。"},
    Phrase{"rec.position.lowest", "the lowest", "最も低い額"},
    Phrase{"rec.position.highest", "the highest", "最も高い額"},
    Phrase{"rec.position.kth", "number {k} from the lowest", "低い方から{k}番目"},
    Phrase{"rec.no_options", "No option to recommend: no technology serves every kind of demand.",
           "推奨できる選択肢はありません（すべての種類の需要に対応する通信技術がありません）。"},
    Phrase{"mc.but_fails", "It does not meet these requirements: ", "ただし同案は次の要件を満たしません："},
    Phrase{"econ.horizon", "Horizon (years)", "評価期間（年）"},
    Phrase{"econ.discount_rate", "Discount rate", "割引率"},
    Phrase{"econ.subsidy_rate", "Subsidy rate", "補助率"},
    Phrase{"econ.subsidy_cap", "Subsidy cap (JPY)", "補助上限額（円）"},
    Phrase{"econ.no_cap", "none", "なし"},
    Phrase{"econ.opex_escalation", "OPEX escalation per year (year t: x (1 + rate)^(t - 1))",
           "運用費の年上昇率（t年目は ×(1+率)^(t-1)）"},
    Phrase{"econ.budget", "Budget for the coverage-for-budget table (JPY, present value)",
           "予算内カバレッジ表の予算額（円、現在価値）"},
    Phrase{"sec.budget", "Coverage for a budget of {budget} JPY", "予算 {budget} 円で達成できるカバレッジ"},
    Phrase{"budget.note",
           "For each technology, the budget first pays the per-network items (core, licences); the rest buys the "
           "base stations that cover the most demand points (per-site items and fibre to the nearest point of "
           "presence, present values). Devices and the planned backhaul are not included.",
           "通信技術ごとに、予算からまずネットワーク単位の費用（コア・免許等）を差し引き、残りで需要点を最も多くカバーする"
           "基地局（局ごとの機器と最寄り接続拠点までの光ファイバ、現在価値）を選定しました。端末費用と本計画のバックホール費用は含みません。"},
    Phrase{"budget.network_jpy", "Per-network items (JPY)", "ネットワーク単位の費用（円）"},
    Phrase{"budget.sites_jpy", "Base stations (JPY)", "基地局の費用（円）"},
    Phrase{"budget.spent_jpy", "Spent (JPY)", "使用額（円）"},
    Phrase{"origin.hilltop", "hilltop", "山頂候補"},
    Phrase{"origin.built-up", "built-up area", "市街地候補"},
    Phrase{"econ.demonstration", "Demonstration project (purchases not eligible)", "実証事業（②-1・請負（定額）、物品購入費は対象外）"},
    Phrase{"econ.rentals", "Rentals booked up front, eligible years", "通信装置レンタル料・クラウドサービス利用料の初年度一括計上（上限5か年分）"},
    Phrase{"req.title", "Requirements", "要件"},
    Phrase{"req.coverage_target", "Coverage target (share of demand)", "カバレッジ目標（需要の割合）"},
    Phrase{"req.reliability", "Location reliability", "場所率"},
    Phrase{"req.mbps", "Busy-hour demand per household (Mbit/s)", "最繁時の世帯あたり需要（Mbps）"},
    Phrase{"req.activity", "Share of households active at once", "同時利用率"},
    Phrase{"req.edge", "Minimum 5th-percentile throughput (Mbit/s)", "5パーセンタイル値スループットの下限（Mbps）"},
    Phrase{"req.max_latency", "Maximum latency (ms)", "最大遅延（ms）"},
    Phrase{"req.battery_years", "Minimum device battery life (years)", "端末電池寿命の下限（年）"},
    Phrase{"req.outdoor", "Outdoor deployment", "屋外設置"},
    Phrase{"loss.clutter", "Terminal clutter loss (receiver's land-cover class)", "端末クラッタ損失（受信点の土地被覆）"},
    Phrase{"loss.vegetation", "Vegetation loss (receiver in woodland)", "植生損失（森林内の受信点）"},
    Phrase{"loss.building_entry", "Building entry loss (indoor demand points)", "建物侵入損失（屋内の需要点）"},
    Phrase{"loss.rain", "Rain attenuation (paths above 6 GHz)", "降雨減衰（6 GHz超の経路）"},
    Phrase{"loss.gas", "Atmospheric gas attenuation (paths above 6 GHz)", "大気ガス減衰（6 GHz超の経路）"},
    Phrase{"loss.tech_model", "Propagation model and radius per technology", "技術ごとの伝搬モデルと計算半径"},
    Phrase{"yes", "yes", "あり"},
    Phrase{"no", "no", "なし"},
    Phrase{"not_required", "not required", "要件なし"},
    Phrase{"catalogue", "Cost catalogue", "費用カタログ"},
    Phrase{"source", "Source", "出典"},
    Phrase{"status", "Status", "根拠の種類"},
    Phrase{"date", "Date", "時点"},
    Phrase{"status.note",
           "Status: verified (a public source states it), derived (computed from verified values), assumption (no "
           "public source: a planning estimate to replace with a quotation).",
           "根拠の種類：verified（公開資料に記載）、derived（公開値から算出）、assumption（公開資料のない想定値。今後、見積りで精査します）。"},
    Phrase{"note.frequency",
           "Path loss was computed for each technology at its own centre frequency, with the scenario's "
           "propagation model, grid and receiver height.",
           "伝搬損失は通信技術ごとの中心周波数で、シナリオの伝搬モデル・計算メッシュ・受信高により計算しました。"},
    Phrase{"note.selection",
           "Base stations are chosen among the scenario's candidate sites to cover the target share of demand points "
           "at the target location reliability at least cost (greedy set cover with local improvement, checked by "
           "an exact MIP on small instances); SINR assumes all base stations of a technology on one channel, and a "
           "base station whose removal would not lower the number of served demand points (it only interferes) is "
           "left out.",
           "基地局は、シナリオの候補地点のうち、目標の場所率で目標割合以上の需要点をカバーする組合せの中から費用が最小のものを選定しました（貪欲法と局所改善、"
           "小規模では厳密解法で確認）。SINRは同一技術の全基地局が同一チャネルを使う前提で計算し、除いてもカバーできる需要点数が"
           "減らない基地局（干渉を増やすだけの局）は選定から外しました。"},
    Phrase{"note.devices",
           "Latency and sensor battery life are planning figures per technology family (one message an hour); "
           "the shadowing sigma is 6 dB. Replace them with measured or vendor values where available.",
           "遅延と端末電池寿命は通信方式ごとの計画値（1時間に1回送信）、シャドウイングの標準偏差は6dBとしました。"
           "今後、実測値・メーカー公称値で精査します。"},
    Phrase{"prov.version", "dxplan version", "dxplanのバージョン"},
    Phrase{"prov.scenario", "Scenario file", "シナリオファイル"},
    Phrase{"prov.sha256", "SHA-256", "SHA-256"},
    Phrase{"prov.files", "Data file", "データファイル"},
    Phrase{"prov.seed", "Random seed", "乱数シード"},
    Phrase{"prov.bytes", "bytes", "バイト"},
    Phrase{"prov.propagation_model", "Propagation model", "伝搬モデル"},
    Phrase{"prov.catalogue", "Cost catalogue", "費用カタログ"},
    Phrase{"prov.shadow_sigma", "Planning shadowing sigma (dB)", "計画用シャドウイング標準偏差 (dB)"},
    Phrase{"prov.technology", "Technology profile", "技術プロファイル"},
    Phrase{"md.charts", "Charts and maps: see report.html.", "グラフとエリア図はreport.htmlをご覧ください。"},
    Phrase{"how_to_read",
           "Each technology was planned for the same area, demand and targets: its own base stations (chosen to "
           "reach the coverage target at least cost), its own backhaul and its own costs. Costs are present values "
           "over the horizon; the subsidy follows the programme's rules.",
           "通信技術ごとに同一の対象地域・需要・目標で基地局配置（目標カバレッジを最小費用で満たすよう選定）とバックホールを設計し、"
           "費用を算定しました。費用は評価期間の現在価値、補助金額は地域社会DX推進パッケージ事業の補助要件により算定しました。"},
};

}  // namespace

Lang parse_lang(std::string_view code, std::string_view field) {
    if (code == "en") return Lang::en;
    if (code == "ja") return Lang::ja;
    throw InputError(std::string(field) + " = " + std::string(code) + ": must be en or ja");
}

std::string_view lang_code(Lang lang) { return lang == Lang::ja ? "ja" : "en"; }

std::string_view tr(Lang lang, std::string_view key) {
    for (const auto& p : kPhrases)
        if (p.key == key) return lang == Lang::ja ? p.ja : p.en;
    throw std::out_of_range("report vocabulary: no phrase '" + std::string(key) + "'");
}

std::vector<std::string_view> report_keys() {
    std::vector<std::string_view> keys;
    for (const auto& p : kPhrases) keys.push_back(p.key);
    return keys;
}

}  // namespace dxplan::output
