// dxplan measure: a small CSV reader that keeps line numbers, and number parsing that names file, row and column.
// RFC 4180 subset: comma-separated, optional double quotes around a cell ("" inside for a quote), '#' comment
// lines and blank lines skipped, CRLF accepted, a UTF-8 byte-order mark at the start ignored.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dxplan::measure {

struct CsvRow {
    std::size_t line = 0;            // 1-based line in the file
    std::vector<std::string> cells;  // as many as the header (short rows padded with empty cells)
};

struct CsvTable {
    std::filesystem::path file;
    std::vector<std::string> header;  // trimmed column names
    std::vector<CsvRow> rows;

    // Index of a column by exact name; nullopt when absent.
    [[nodiscard]] std::optional<std::size_t> column(const std::string& name) const;
    // "FILE:LINE, column NAME" for messages.
    [[nodiscard]] std::string where(const CsvRow& row, std::size_t col) const;
};

// Reads the file. Throws InputError "FILE: empty" (no header), "FILE:LINE: N cells, the header has M" (a row
// with more cells than the header), or for a missing file.
CsvTable read_csv_table(const std::filesystem::path& file);

// A cell that means "no value": empty, "NA", "N/A", "NaN", "null", "-" (case-insensitive).
bool is_missing_cell(const std::string& cell);

// The cell as a finite number; nullopt when it is a missing cell; InputError "FILE:LINE, column NAME: 'TEXT' is
// not a number" for any other text (never coerced).
std::optional<double> cell_number(const CsvTable& t, const CsvRow& row, std::size_t col);

}  // namespace dxplan::measure
