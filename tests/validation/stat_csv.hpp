// Reads the comma-separated validation tables of ../shared/validation for the statistical-model tests:
// '#' lines are comments (kept for tests that read caveats from them); the first other line holds the column
// names; a line whose first field starts with '(' holds units; every other line is a data row.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace dxplan::test {

struct CsvTable {
    std::vector<std::string> comments;
    std::vector<std::vector<std::string>> rows;
};

inline bool is_number(const std::string& s) {
    if (s.empty()) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end != s.c_str();
}

inline CsvTable read_csv_table(const std::filesystem::path& path) {
    CsvTable t;
    std::ifstream in(path);
    std::string line;
    bool header_seen = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (line[0] == '#') {
            t.comments.push_back(line);
            continue;
        }
        if (!header_seen || line[0] == '(') {  // column names or units
            header_seen = true;
            continue;
        }
        std::vector<std::string> fields;
        std::istringstream ss(line);
        std::string f;
        while (std::getline(ss, f, ',')) fields.push_back(f);
        t.rows.push_back(std::move(fields));
    }
    return t;
}

// Number of data rows in the file counted independently of the parser above: lines holding as many
// comma-separated fields as the header whose last field is a number.
inline std::size_t count_data_lines(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::size_t n = 0, header_commas = 0;
    bool header_seen = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const auto commas = static_cast<std::size_t>(std::count(line.begin(), line.end(), ','));
        if (!header_seen) {
            header_seen = true;
            header_commas = commas;
            continue;
        }
        if (commas == header_commas && is_number(line.substr(line.rfind(',') + 1))) ++n;
    }
    return n;
}

inline double num(const std::string& s) { return std::stod(s); }

// Half a unit in the last printed digit of a reference value ("5.09E-05" -> 5e-8): references printed
// with few digits cannot be checked more tightly than their own rounding.
inline double half_unit_last_digit(const std::string& s) {
    const auto e_pos = s.find_first_of("eE");
    const std::string mant = s.substr(0, e_pos);
    const int exponent = e_pos == std::string::npos ? 0 : std::stoi(s.substr(e_pos + 1));
    const auto dot = mant.find('.');
    const int decimals = dot == std::string::npos ? 0 : static_cast<int>(mant.size() - dot - 1);
    return 0.5 * std::pow(10.0, exponent - decimals);
}

}  // namespace dxplan::test
