// dxplan batch and dxplan run --set, end to end: a 24-variant sweep of the default scenario gives the same
// /summary table run whole, with 2 MPI ranks, and interrupted then resumed; failed variants, foreign output
// directories and another sweep's store.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "libsim/batch/store.hpp"
#include "tests/cli/run_cli.hpp"
#include "tests/skip.hpp"
#include "tests/test_paths.hpp"

namespace fs = std::filesystem;
using dxplan::test::run_dxplan;

namespace {

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& tag) : path(fs::temp_directory_path() / ("dxplan_cli_batch_" + tag + "_" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// The default scenario and its roads beside a sweep of 24 variants: 4 terrain seeds x 3 discount rates x 2
// horizons, with the per-site GeoTIFFs, results.h5 and reports off and a 3 km radius (to keep the test short).
fs::path make_sweep(const fs::path& dir, const std::string& extra = "") {
    for (const char* f : {"default.yaml", "synthetic-valley-roads.geojson"})
        fs::copy_file(dxplan::test::source_dir() / "scenarios" / f, dir / f, fs::copy_options::overwrite_existing);
    std::ofstream(dir / "sweep.yaml") << "base: default.yaml\n"
                                         "set: [outputs.loss_geotiff=false, outputs.results_h5=false, outputs.report_html=false,\n"
                                         "      propagation.radius_m=3000]\n"
                                         "parameters:\n"
                                         "  - {field: terrain.synthetic.seed, range: {from: 1, to: 4, step: 1}}\n"
                                         "  - {field: economics.discount_rate, values: [0.02, 0.04, 0.06]}\n"
                                         "  - {field: economics.horizon_years, values: [10, 15]}\n"
                                      << extra;
    return dir / "sweep.yaml";
}

// What must not depend on how the batch ran: the /summary table and every variant's record.
std::string table_of(const fs::path& out) {
    const dxplan::batch::Store s = dxplan::batch::read_store(out / "batch.h5");
    std::string all = dxplan::batch::summary_csv(s);
    for (const auto& v : s.variants) all += v.id + v.status + v.resolved_yaml + v.summary_json;
    return all;
}

}  // namespace

TEST_CASE("dxplan run --set: overrides validated as in the file, the resolved scenario written", "[cli][batch][set]") {
    TempDir d("set");
    const auto r = run_dxplan("run --set economics.discount_rate=0.07 --set outputs.loss_geotiff=false --out " + q(d.path / "o"));
    REQUIRE(r.exit_code == 0);
    const std::string resolved = dxplan::test::slurp(d.path / "o" / "scenario.resolved.yaml");
    CHECK(resolved.find("discount_rate: 0.07") != std::string::npos);
    CHECK(resolved.find("loss_geotiff: false") != std::string::npos);
    // Out of range, a field that does not exist, and a malformed --set: exit 2, one line naming the --set.
    const auto bad = run_dxplan("run --set economics.discount_rate=-1 --out " + q(d.path / "b"));
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("default.yaml (--set economics.discount_rate=-1): economics.discount_rate = -1: must be in") != std::string::npos);
    CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
    const auto unknown = run_dxplan("run --set economics.discountrate=0.1 --out " + q(d.path / "b"));
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("(--set economics.discountrate=0.1): economics.discountrate: unknown key") != std::string::npos);
    CHECK(run_dxplan("run --set economics --out " + q(d.path / "b")).err.find("--set economics: must be path.to.field=VALUE") != std::string::npos);
    CHECK(!fs::exists(d.path / "b"));
}

TEST_CASE("dxplan batch: 24 variants whole, on 2 MPI ranks, and interrupted then resumed give the same table", "[cli][batch][slow]") {
    TempDir d("whole");
    const fs::path sweep = make_sweep(d.path);
    const auto whole = run_dxplan("batch " + q(sweep) + " --out " + q(d.path / "whole") + " --jobs 2 --threads 1");
    INFO(whole.err);
    REQUIRE(whole.exit_code == 0);
    CHECK(whole.out.find("24 variants (0 already done, 24 run here, 0 failed)") != std::string::npos);
    const std::string reference = table_of(d.path / "whole");
    const dxplan::batch::Store s = dxplan::batch::read_store(d.path / "whole" / "batch.h5");
    REQUIRE(s.variants.size() == 24);
    // Every variant ran with its own values: the resolved scenarios differ and each names its parameters.
    for (const auto& v : s.variants) {
        CHECK(v.status == "ok");
        CHECK(v.resolved_yaml.find("discount_rate: " + v.params[1].second) != std::string::npos);
    }
    CHECK(fs::exists(d.path / "whole" / "summary.csv"));
    CHECK(!fs::exists(d.path / "whole" / ".work-0"));

    // The sections below run in order on the same first run (blocks, not Catch2 SECTIONs, which would re-run it).
    {  // run again: everything is skipped, nothing recomputed, the store unchanged
        const auto again = run_dxplan("batch " + q(sweep) + " --out " + q(d.path / "whole"));
        CHECK(again.exit_code == 0);
        CHECK(again.out.find("24 variants (24 already done, 0 run here, 0 failed)") != std::string::npos);
        CHECK(table_of(d.path / "whole") == reference);
    }
    {  // interrupted (the whole process group killed) after a few variants, then resumed
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
        const std::string bin = dxplan::test::dxplan_binary().string(), out = (d.path / "cut").string(), sw = sweep.string();
        const char* argv[] = {bin.c_str(), "batch", sw.c_str(), "--out", out.c_str(), "--jobs", "2", "--threads", "1", nullptr};
        pid_t pid = -1;
        REQUIRE(posix_spawn(&pid, bin.c_str(), nullptr, &attr, const_cast<char* const*>(argv), environ) == 0);
        std::size_t seen = 0;
        for (int i = 0; i < 1200 && seen < 4; ++i) {  // until the store holds 4 variants (at most 4 min)
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            try {
                seen = dxplan::batch::read_store(d.path / "cut" / "batch.h5").variants.size();
            } catch (const std::exception&) {
            }
        }
        ::kill(-pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        const std::size_t kept = dxplan::batch::read_store(d.path / "cut" / "batch.h5").variants.size();
        REQUIRE(kept >= 4);
        REQUIRE(kept < 24);
        // Resumed with another split of the cores (one variant at a time, two threads): the same results.
        const auto resumed = run_dxplan("batch " + q(sweep) + " --out " + q(d.path / "cut") + " --jobs 1 --threads 2");
        REQUIRE(resumed.exit_code == 0);
        CHECK(resumed.out.find("24 variants (" + std::to_string(kept) + " already done, " + std::to_string(24 - kept) + " run here") != std::string::npos);
        CHECK(table_of(d.path / "cut") == reference);
    }
#ifdef DXPLAN_TEST_MPIEXEC
    {  // 2 MPI ranks
        const std::string cmd = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '" DXPLAN_TEST_MPIEXEC
                                "' -np 2 --oversubscribe '" + dxplan::test::dxplan_binary().string() + "' batch " + q(sweep) +
                                " --out " + q(d.path / "mpi") + " > " + q(d.path / "mpi.log") + " 2>&1";
        const int rc = std::system(cmd.c_str());
        INFO(dxplan::test::slurp(d.path / "mpi.log"));
        REQUIRE(WIFEXITED(rc));
        REQUIRE(WEXITSTATUS(rc) == 0);
        CHECK(table_of(d.path / "mpi") == reference);
        CHECK(!fs::exists(d.path / "mpi" / "batch.rank1.h5"));  // merged into batch.h5 and removed
    }
#endif
    {  // the example plot script reads /summary with h5py (Debian's python3, not a virtualenv's)
        const std::string cmd = "/usr/bin/python3 '" + (dxplan::test::source_dir() / "scenarios" / "examples" / "plot_batch.py").string() +
                                "' " + q(d.path / "whole" / "batch.h5") + " --x economics.discount_rate --out " + q(d.path / "plot.png") +
                                " > " + q(d.path / "plot.log") + " 2>&1";
        const int rc = std::system(cmd.c_str());
        INFO(dxplan::test::slurp(d.path / "plot.log"));
        CHECK(rc == 0);
        const std::string png = dxplan::test::slurp(d.path / "plot.png");
        CHECK(png.size() > 10000);
        CHECK(png.substr(1, 3) == "PNG");
        CHECK(dxplan::test::slurp(d.path / "plot.log").find("wrote") != std::string::npos);
    }
}

TEST_CASE("dxplan batch: failed variants recorded, foreign directories and other sweeps' stores refused", "[cli][batch][errors]") {
    TempDir d("errors");
    for (const char* f : {"default.yaml", "synthetic-valley-roads.geojson"})
        fs::copy_file(dxplan::test::source_dir() / "scenarios" / f, d.path / f);
    std::ofstream(d.path / "fail.yaml") << "base: default.yaml\n"
                                           "set: [outputs.loss_geotiff=false, outputs.results_h5=false, outputs.report_html=false]\n"
                                           "parameters:\n  - {field: economics.discount_rate, values: [0.03, -2]}\n";
    // One variant refused (a negative discount rate): recorded as failed with its message, exit 3.
    const auto r = run_dxplan("batch " + q(d.path / "fail.yaml") + " --out " + q(d.path / "out"));
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("2 variants (0 already done, 2 run here, 1 failed)") != std::string::npos);
    const auto s = dxplan::batch::read_store(d.path / "out" / "batch.h5");
    REQUIRE(s.variants.size() == 2);
    CHECK(s.variants[0].status == "ok");
    CHECK(s.variants[1].status == "failed");
    CHECK(s.variants[1].message.find("economics.discount_rate = -2: must be in") != std::string::npos);
    CHECK(dxplan::test::slurp(d.path / "out" / "summary.csv").find(",failed,-2,") != std::string::npos);

    // Another sweep into the same --out: refused, the store untouched.
    const std::string before = dxplan::test::slurp(d.path / "out" / "batch.h5");
    std::ofstream(d.path / "other.yaml") << "base: default.yaml\nparameters:\n  - {field: economics.discount_rate, values: [0.05]}\n";
    const auto other = run_dxplan("batch " + q(d.path / "other.yaml") + " --out " + q(d.path / "out"));
    CHECK(other.exit_code == 2);
    CHECK(other.err.find("batch.h5: store of another sweep") != std::string::npos);
    CHECK(dxplan::test::slurp(d.path / "out" / "batch.h5") == before);

    // A non-empty directory that is not a batch's: refused, nothing in it touched.
    fs::create_directories(d.path / "mine");
    std::ofstream(d.path / "mine" / "notes.txt") << "keep me";
    const auto foreign = run_dxplan("batch " + q(d.path / "fail.yaml") + " --out " + q(d.path / "mine"));
    CHECK(foreign.exit_code == 2);
    CHECK(foreign.err.find("not empty and holds no batch.h5") != std::string::npos);
    CHECK(dxplan::test::slurp(d.path / "mine" / "notes.txt") == "keep me");
    CHECK(std::distance(fs::directory_iterator(d.path / "mine"), fs::directory_iterator()) == 1);

    // A corrupted store is reported, never reused.
    std::ofstream(d.path / "out" / "batch.h5", std::ios::trunc) << before.substr(0, 100);
    const auto corrupt = run_dxplan("batch " + q(d.path / "fail.yaml") + " --out " + q(d.path / "out"));
    CHECK(corrupt.exit_code == 2);
    CHECK(corrupt.err.find("not a readable dxplan batch store") != std::string::npos);
}
