// dxplan batch layer: `dxplan batch SWEEP.yaml --out DIR`. Expands the sweep (sweep.hpp), skips the variants
// whose results DIR/batch.h5 already holds (same id: same resolved scenario and version), runs the others as
// child processes of the dxplan executable (`dxplan run BASE --set ...`, `jobs` at a time, each with `threads`
// OpenMP threads), records each result in DIR/batch.h5 and DIR/summary.csv as it completes (store.hpp), and
// goes on when a variant fails (recorded with its message). With a Distribution of several ranks (MPI), the
// ranks take variants one at a time from a shared counter, each records into DIR/batch.rank<R>.h5, and rank 0
// merges those into DIR/batch.h5 at the end (and, on a resumed batch, at the start). The store's rows are
// ordered by the variant's position in the sweep, so the result does not depend on jobs, threads or ranks.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace dxplan::batch {

// How several processes share one batch (MPI ranks); a single process needs none.
class Distribution {
public:
    virtual ~Distribution() = default;
    [[nodiscard]] virtual int rank() const = 0;
    [[nodiscard]] virtual int size() const = 0;
    // The next position (0, 1, ...) in the shared list of pending variants, taken atomically across ranks.
    [[nodiscard]] virtual std::size_t next() = 0;
    virtual void barrier() = 0;
};

struct BatchProgress {
    std::size_t total = 0;    // variants in the sweep
    std::size_t skipped = 0;  // already in the store
    std::size_t done = 0;     // finished in this run (by this process)
    std::size_t failed = 0;
    double elapsed_s = 0.0;
    std::string last_id;      // the variant just finished
};

struct BatchConfig {
    std::filesystem::path sweep_file;
    std::filesystem::path out_dir;
    std::filesystem::path executable;  // the dxplan binary the variants run with
    unsigned jobs = 1;                 // variants at once in this process
    unsigned threads = 1;              // OpenMP threads per variant
    bool keep_outputs = false;         // keep each variant's run directory as DIR/runs/<id>
    std::string lang = "en";
    Distribution* distribution = nullptr;  // several ranks; nullptr: this process alone
    std::function<void(const BatchProgress&)> progress;  // called after each variant, from one thread
};

struct BatchResult {
    std::filesystem::path store;
    std::size_t total = 0;
    std::size_t skipped = 0;  // found complete in the store
    std::size_t ran = 0;      // run now (by every rank)
    std::size_t failed = 0;   // failed variants in the store at the end
};

// Throws InputError for a bad sweep, an --out holding something else than this sweep's store, or an unreadable
// store (nothing is changed then). Failed variants are not errors: they are counted in `failed`.
BatchResult run_batch(const BatchConfig& config);

}  // namespace dxplan::batch
