// `dxplan batch SWEEP.yaml --out DIR`: a sweep of scenario variants into one HDF5 store (libsim/batch). Thin
// (ARCHITECTURE.md 10): parse flags, call run_batch, draw progress, print the totals.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "libsim/batch/batch.hpp"
#include "libsim/batch/mpi_distribution.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

namespace fs = std::filesystem;

struct BatchFlags {
    std::string sweep;
    std::string out;
    unsigned jobs = 0;
    unsigned threads = 0;
    bool keep = false;
    std::string lang = "en";
    std::string progress = "auto";
};

// Progress on stderr: a bar with rate and ETA on a terminal, or one JSON object per line for schedulers.
void show_progress(const batch::BatchProgress& p, bool json) {
    const std::size_t left = p.total - p.skipped - p.done;
    const double rate = p.elapsed_s > 0 ? static_cast<double>(p.done) / p.elapsed_s : 0.0;
    const double eta_s = rate > 0 ? static_cast<double>(left) / rate : 0.0;
    if (json) {
        std::fprintf(stderr,
                     "{\"total\": %zu, \"skipped\": %zu, \"done\": %zu, \"failed\": %zu, \"elapsed_s\": %.1f, "
                     "\"eta_s\": %.1f, \"variant\": \"%s\"}\n",
                     p.total, p.skipped, p.done, p.failed, p.elapsed_s, eta_s, p.last_id.c_str());
        return;
    }
    constexpr int kWidth = 30;
    const std::size_t finished = p.skipped + p.done;
    const int fill = p.total ? static_cast<int>(kWidth * finished / p.total) : kWidth;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu variants, %zu failed, %.2f/s, ETA %.0f s  ",
                 std::string(fill, '#').c_str(), std::string(kWidth - fill, '.').c_str(), finished, p.total, p.failed,
                 rate, eta_s);
    if (left == 0) std::fputc('\n', stderr);
    std::fflush(stderr);
}

}  // namespace

void add_batch_command(CLI::App& app) {
    auto f = std::make_shared<BatchFlags>();
    CLI::App* cmd = app.add_subcommand("batch", "Run a sweep of scenario variants into one HDF5 results store");
    cmd->footer(
        "A sweep file names a base scenario and the fields to vary (lists, ranges, crossed or zipped, or a CSV\n"
        "table of variants; schema in docs/batch.md). Each variant runs as `dxplan run BASE --set ...`; its id is\n"
        "a hash of the resolved scenario. Results go into DIR/batch.h5 (/summary: one row per variant and\n"
        "technology, readable with h5py/pandas; /variants/<id>: resolved scenario and summary.json) and\n"
        "DIR/summary.csv, updated after every variant: an interrupted batch resumes where it stopped (run the\n"
        "same command again). A failed variant is recorded with its message and the batch goes on.\n"
        "Exit codes: 0 every variant ok, 3 some variants failed, 2 bad input, 1 internal failure.\n"
        "Under mpirun the ranks share the variants: mpirun -np 4 dxplan batch sweep.yaml --out DIR.\n\n"
        "Examples:\n"
        "  dxplan batch scenarios/examples/sweep-default.yaml --out out/sweep\n"
        "  dxplan batch sweep.yaml --out out/sweep --jobs 1 --threads 2 --progress json\n"
        "  mpirun -np 2 dxplan batch sweep.yaml --out out/sweep");
    cmd->add_option("sweep", f->sweep, "sweep file (YAML)")->required();
    cmd->add_option("--out", f->out, "output directory: new, empty, or this sweep's earlier output (resumed)")->required();
    cmd->add_option("--jobs", f->jobs, "variants at once (default: one per core)")->check(CLI::Range(1u, 1024u));
    cmd->add_option("--threads", f->threads, "threads per variant (default: cores / jobs)")->check(CLI::Range(1u, 1024u));
    cmd->add_flag("--keep-outputs", f->keep, "keep each variant's run directory as DIR/runs/<id>");
    cmd->add_option("--lang", f->lang, "language of the variants' reports: en or ja")->check(CLI::IsMember({"en", "ja"}));
    cmd->add_option("--progress", f->progress, "auto (a bar on a terminal), bar, json (one line per variant) or none")
        ->check(CLI::IsMember({"auto", "bar", "json", "none"}));
    cmd->callback([f] {
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        std::unique_ptr<batch::Distribution> mpi = batch::mpi_distribution_if_launched();
        batch::BatchConfig cfg;
        cfg.sweep_file = f->sweep;
        cfg.out_dir = f->out;
        cfg.executable = fs::read_symlink("/proc/self/exe");
        cfg.jobs = f->jobs ? f->jobs : (mpi ? 1u : cores);
        cfg.threads = f->threads ? f->threads : std::max(1u, cores / cfg.jobs);
        cfg.keep_outputs = f->keep;
        cfg.lang = f->lang;
        cfg.distribution = mpi.get();
        const bool rank0 = !mpi || mpi->rank() == 0;
        const std::string mode = f->progress == "auto" ? (::isatty(STDERR_FILENO) ? "bar" : "none") : f->progress;
        if (rank0 && mode != "none") cfg.progress = [json = mode == "json"](const batch::BatchProgress& p) { show_progress(p, json); };
        const batch::BatchResult r = batch::run_batch(cfg);
        if (!rank0) return;
        std::cout << "dxplan batch: " << r.total << " variants (" << r.skipped << " already done, " << r.ran
                  << " run here, " << r.failed << " failed) -> " << r.store.string() << "\n";
        if (r.failed > 0) throw CLI::RuntimeError(3);
    });
}

}  // namespace dxplan::cli
