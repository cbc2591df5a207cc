// dxplan batch layer: the results store, DIR/batch.h5 (layout: docs/batch.md). Written whole from memory after
// each completed variant into a temporary file beside it and renamed over it, so an interrupted batch leaves a
// readable store holding only complete variants. Every variant's record is covered by a SHA-256 kept in the
// file: a truncated or altered store is reported, never silently reused.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace dxplan::batch {

struct VariantRecord {
    std::size_t index = 0;
    std::string id;
    std::vector<std::pair<std::string, std::string>> params;  // field, value (YAML text)
    std::string status;         // "ok" or "failed"
    std::string message;        // the error of a failed variant
    std::string resolved_yaml;  // the scenario as run
    std::string summary_json;   // the run's summary.json ("" when failed)
};

struct Store {
    std::string sweep_file;
    std::string sweep_sha256;
    std::vector<std::string> fields;      // the swept fields, in order (the /summary table's parameter columns)
    std::vector<VariantRecord> variants;  // sorted by index
};

// One row of the flat /summary table: a variant and one technology (or mix) of its comparison.
struct SummaryRow {
    std::size_t variant_index = 0;
    std::string variant_id;
    std::string status;
    std::vector<std::string> params;  // one per Store::fields
    std::string technology;           // "" for a failed variant or a run without technologies
    std::vector<double> values;       // one per summary_columns()
};

// The numeric columns of /summary, each a field of summary.json's technologies[] (NaN when absent), plus
// "recommended" (1 when the technology is the run's recommendation) and "fails" (number of failed requirements).
[[nodiscard]] const std::vector<std::string>& summary_columns();
[[nodiscard]] std::vector<SummaryRow> summary_rows(const Store& store);

// Reads a store. Throws InputError naming the file when it is not a dxplan batch store, is truncated or
// corrupted, or its records do not match their checksum.
[[nodiscard]] Store read_store(const std::filesystem::path& file);
void write_store(const std::filesystem::path& file, const Store& store);

// summary.csv: the /summary table as CSV (header line, then one line per row).
[[nodiscard]] std::string summary_csv(const Store& store);

}  // namespace dxplan::batch
