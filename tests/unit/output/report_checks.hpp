// Checks shared by the report tests (unit fixture and `dxplan run` output): table cells against summary.json.
#pragma once

#include <catch2/catch.hpp>

#include <iomanip>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "libsim/core/text.hpp"

namespace dxplan::test {

// The value at a path like "technologies[0].demand_covered.count".
inline const nlohmann::json& json_at(const nlohmann::json& root, const std::string& path) {
    const nlohmann::json* j = &root;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '.') ++i;
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            j = &j->at(std::stoul(path.substr(i + 1, close - i - 1)));
            i = close + 1;
        } else {
            const std::size_t end = path.find_first_of(".[", i);
            j = &j->at(path.substr(i, end == std::string::npos ? std::string::npos : end - i));
            i = end == std::string::npos ? path.size() : end;
        }
    }
    return *j;
}

// The verdict's comparison, recomputed here from summary.json alone: how many complete options miss as many
// requirements as the recommended one, and where its cost per covered household stands among all options
// (1 = lowest); the sentence shows that cost as summary.json has it and calls it lowest/highest only when it is.
inline void check_verdict_claims(const std::string& body, const nlohmann::json& summary) {
    const nlohmann::json& rec = summary.at("recommendation");
    const nlohmann::json* chosen = nullptr;
    for (const auto& t : summary.at("technologies"))
        if (t.at("name") == rec.at("name")) chosen = &t;
    REQUIRE(chosen != nullptr);
    std::size_t same = 0, options = 0, rank = 1;
    for (const auto& t : summary.at("technologies")) {
        if (t.at("complete").get<bool>() && t.at("fails").size() == chosen->at("fails").size()) ++same;
        if (t.at("cost_per_household_jpy").is_null()) continue;
        ++options;
        if (!chosen->at("cost_per_household_jpy").is_null() &&
            t.at("cost_per_household_jpy").get<double>() < chosen->at("cost_per_household_jpy").get<double>())
            ++rank;
    }
    auto claim = [&](const std::string& what) -> std::pair<std::string, std::string> {  // (data-value, shown)
        const std::regex re("<span data-claim=\"" + what + "\" data-value=\"([0-9]+)\">([^<]*)</span>");
        std::smatch m;
        if (!std::regex_search(body, m, re)) return {"", ""};
        return {m[1].str(), m[2].str()};
    };
    INFO("verdict: " << body);
    if (same > 1) CHECK(claim("same_failures").first == std::to_string(same));
    else CHECK(claim("same_failures").first.empty());
    if (options > 1) {
        const auto [k, cost] = claim("cost_rank");
        CHECK(k == std::to_string(rank));
        std::string digits;
        for (char c : cost)
            if (c != ',') digits += c;
        CHECK(digits == chosen->at("cost_per_household_jpy").dump());
        CHECK(claim("options").first == std::to_string(options));
        const bool says_lowest = body.find("is the lowest of") != std::string::npos || body.find("最も低い額") != std::string::npos;
        const bool says_highest = body.find("is the highest of") != std::string::npos || body.find("最も高い額") != std::string::npos;
        CHECK(says_lowest == (rank == 1));
        CHECK(says_highest == (rank == options && rank > 1));
    }
}

// For every `<td data-k="PATH">TEXT</td>`: TEXT (thousands separators removed; "x %" meaning a share x/100)
// must equal the summary.json value at PATH printed with the same number of decimals; and the recommendation
// sentence must state summary.json's `recommendation`. Returns the count (cells, plus one for the verdict).
inline std::size_t check_cells_against_summary(const std::string& html, const nlohmann::json& summary) {
    CHECK(dxplan::utf8_invalid_at(html) == std::string::npos);  // valid UTF-8 (RFC 3629) throughout
    static const std::regex cell(R"re(<td data-k="([^"]+)">([^<]*)</td>)re");
    std::size_t n = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator(); ++it) {
        const std::string key = (*it)[1];
        std::string text = (*it)[2];
        INFO(key << " shows '" << text << "'");
        const bool percent = text.size() > 2 && text.substr(text.size() - 2) == " %";
        if (percent) text.resize(text.size() - 2);
        std::string digits;
        for (char c : text)
            if (c != ',') digits += c;
        const auto dot = digits.find('.');
        const int decimals = dot == std::string::npos ? 0 : static_cast<int>(digits.size() - dot - 1);
        const nlohmann::json& v = json_at(summary, key);
        ++n;
        if (text == "&ndash;") {  // no value (e.g. cost per household when nobody is covered): null in the JSON
            CHECK(v.is_null());
            continue;
        }
        REQUIRE(v.is_number());
        std::ostringstream os;
        os << std::fixed << std::setprecision(decimals) << (percent ? 100.0 * v.get<double>() : v.get<double>());
        CHECK(os.str() == digits);
    }
    // The verdict at the top of the comparison: its reason and the recommended name (null when none) as in
    // summary.json, and the recommended option is the one ranked first there.
    static const std::regex verdict(R"re(<p class="statement" data-reason="([a-z_]+)">(.*)</p>)re");
    std::smatch m;
    REQUIRE(std::regex_search(html, m, verdict));
    const nlohmann::json& rec = summary.at("recommendation");
    CHECK(m[1].str() == rec.at("reason").get<std::string>());
    static const std::regex name(R"re(<strong data-k="recommendation.name">([^<]*)</strong>)re");
    std::smatch nm;
    const std::string body = m[2].str();
    if (rec.at("name").is_null()) {
        CHECK_FALSE(std::regex_search(body, nm, name));
    } else {
        REQUIRE(std::regex_search(body, nm, name));
        CHECK(nm[1].str() == rec.at("name").get<std::string>());
        std::size_t first = 0;
        for (const auto& t : summary.at("technologies"))
            if (t.at("rank") == 1) {
                ++first;
                CHECK(t.at("name") == rec.at("name"));
                CHECK(t.at("fails") == rec.at("fails"));
            }
        CHECK(first == 1);
        check_verdict_claims(body, summary);
    }
    return n + 1;
}

// Cells of the comparison table that show a number but do not name their summary.json value.
inline std::size_t numeric_comparison_cells_without_key(const std::string& html) {
    const auto start = html.find("<table class=\"comparison\">");
    const auto end = html.find("</table>", start);
    const std::string table = html.substr(start, end - start);
    static const std::regex bare(R"(<td>([-0-9,. %]+)</td>)");
    return static_cast<std::size_t>(std::distance(std::sregex_iterator(table.begin(), table.end(), bare), std::sregex_iterator()));
}

}  // namespace dxplan::test
