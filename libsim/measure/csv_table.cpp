// Small CSV reader with line numbers (see csv_table.hpp).
#include "libsim/measure/csv_table.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "libsim/core/error.hpp"

namespace dxplan::measure {

namespace {

std::string trim(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return s.substr(a, b - a);
}

std::vector<std::string> split_line(const std::string& line) {
    std::vector<std::string> cells;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cur += '"', ++i;
            else if (c == '"') quoted = false;
            else cur += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    cells.push_back(trim(cur));
    return cells;
}

bool blank_or_comment(const std::string& line) {
    const std::string t = trim(line);
    return t.empty() || t[0] == '#';
}

}  // namespace

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return i;
    return std::nullopt;
}

std::string CsvTable::where(const CsvRow& row, std::size_t col) const {
    return file.string() + ":" + std::to_string(row.line) + ", column " + (col < header.size() ? header[col] : "?");
}

CsvTable read_csv_table(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string() + ": cannot be read (missing file or no permission)");
    CsvTable t;
    t.file = file;
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (blank_or_comment(line)) continue;
        std::vector<std::string> cells = split_line(line);
        if (t.header.empty()) {
            t.header = std::move(cells);
            continue;
        }
        if (cells.size() > t.header.size())
            throw InputError(file.string() + ":" + std::to_string(n) + ": " + std::to_string(cells.size()) +
                             " cells, the header has " + std::to_string(t.header.size()));
        cells.resize(t.header.size());
        t.rows.push_back({n, std::move(cells)});
    }
    if (t.header.empty()) throw InputError(file.string() + ": empty file (no header line, no rows)");
    return t;
}

bool is_missing_cell(const std::string& cell) {
    std::string l(cell);
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return l.empty() || l == "na" || l == "n/a" || l == "nan" || l == "null" || l == "-";
}

std::optional<double> cell_number(const CsvTable& t, const CsvRow& row, std::size_t col) {
    const std::string& s = row.cells[col];
    if (is_missing_cell(s)) return std::nullopt;
    double v = 0.0;
    const char* first = s.data() + (s[0] == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
        throw InputError(t.where(row, col) + ": '" + s + "' is not a number");
    return v;
}

}  // namespace dxplan::measure
