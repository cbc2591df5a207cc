// dxplan report vocabulary in English and Japanese (the terms of MIC's 地域社会DX推進パッケージ事業:
// ネットワーク構成, 機器構成, 導入費用, 運用費用, 費用対効果, 正味現在価値, 補助率, 補助対象経費, 世帯, 通信技術の比較,
// 感度分析, 前提条件, 出典; ../shared/reference/programme.md "Vocabulary for the Japanese report").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dxplan::output {

enum class Lang { en, ja };

// "en" or "ja"; anything else is an InputError naming `field` (e.g. "--lang").
Lang parse_lang(std::string_view code, std::string_view field = "--lang");
std::string_view lang_code(Lang lang);

// The phrase for `key` in `lang`. An unknown key is a programming error: it throws std::out_of_range.
std::string_view tr(Lang lang, std::string_view key);

// Every key of the table (for tests: each has both languages).
std::vector<std::string_view> report_keys();

}  // namespace dxplan::output
