// dxplan batch layer: sweeps. A sweep file names a base scenario and the fields to vary; it expands into
// variants, each a list of overrides ("path.to.field=VALUE", as `dxplan run --set`) with a stable id: the first
// 16 hex digits of the SHA-256 of the resolved scenario text and the dxplan version, so the same variant has the
// same id in every batch and an interrupted batch can skip what is done. Schema: docs/batch.md.
//
//   base: default.yaml                 # relative to the sweep file
//   mode: cross                        # cross: every combination (default); zip: the i-th value of each
//   set: [economics.horizon_years=15]  # overrides applied to every variant (optional)
//   parameters:
//     - {field: economics.discount_rate, values: [0.02, 0.04]}
//     - {field: terrain.synthetic.seed, range: {from: 1, to: 4, step: 1}}
//   table: variants.csv                # instead of parameters: header = fields, one row per variant
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace dxplan::batch {

struct SweepParameter {
    std::string field;                // scenario path, e.g. "economics.discount_rate"
    std::vector<std::string> values;  // YAML text of each value
};

struct Sweep {
    std::filesystem::path file;
    std::filesystem::path base;       // the base scenario (absolute)
    bool zip = false;                 // false: cross product
    std::vector<std::string> fixed;   // overrides for every variant
    std::vector<SweepParameter> parameters;
    std::vector<std::vector<std::string>> table_rows;  // with a table: the values per row, in parameter order
    std::string sha256;               // of the sweep file's and the base scenario's bytes (store identity)
};

struct Variant {
    std::size_t index = 0;                                    // position in the expansion
    std::string id;                                           // 16 hex digits (see above)
    std::vector<std::pair<std::string, std::string>> params;  // field, value (YAML text)
    std::vector<std::string> overrides;                       // fixed + params, as --set strings
    std::string resolved_yaml;                                // the scenario as it will run
};

// Reads and checks a sweep file. Throws InputError naming the file, line and field.
[[nodiscard]] Sweep load_sweep(const std::filesystem::path& file);

// The variants, each validated by loading the base scenario with its overrides. A parameter whose field the
// scenario does not accept is refused (InputError naming the parameter); a variant whose values are refused is
// still returned, with `resolved_yaml` empty and `error` set, so the batch records it as failed and goes on.
struct Expansion {
    std::vector<Variant> variants;
    std::vector<std::string> errors;  // per variant: "" or the load error
};
[[nodiscard]] Expansion expand_sweep(const Sweep& sweep);

}  // namespace dxplan::batch
