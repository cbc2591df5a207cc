// `dxplan batch` (see batch.hpp).
#include "libsim/batch/batch.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "libsim/batch/store.hpp"
#include "libsim/batch/sweep.hpp"
#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"

extern char** environ;

namespace dxplan::batch {

namespace {

namespace fs = std::filesystem;

fs::path store_path(const fs::path& dir) { return dir / "batch.h5"; }
fs::path part_path(const fs::path& dir, int rank) { return dir / ("batch.rank" + std::to_string(rank) + ".h5"); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The store of this sweep in DIR: the existing one (same sweep), or a new empty one. Refuses a DIR holding
// anything else, so a batch never mixes with or overwrites foreign files.
Store open_store(const fs::path& dir, const Sweep& sweep) {
    Store empty{sweep.file.string(), sweep.sha256, {}, {}};
    for (const auto& p : sweep.parameters) empty.fields.push_back(p.field);
    std::error_code ec;
    if (!fs::exists(dir, ec)) return empty;
    if (!fs::is_directory(dir, ec)) throw InputError("--out " + dir.string() + ": exists and is not a directory");
    if (!fs::exists(store_path(dir), ec)) {
        if (!fs::is_empty(dir, ec))
            throw InputError("--out " + dir.string() + ": not empty and holds no batch.h5: give a new or empty directory "
                             "(a batch only resumes in its own directory)");
        return empty;
    }
    Store s = read_store(store_path(dir));
    if (s.sweep_sha256 != sweep.sha256)
        throw InputError(store_path(dir).string() + ": store of another sweep (" + s.sweep_file +
                         ", or the sweep or its base scenario changed since): give another --out");
    return s;
}

void put_record(Store& s, VariantRecord r) {
    auto it = std::find_if(s.variants.begin(), s.variants.end(), [&](const VariantRecord& v) { return v.id == r.id; });
    if (it != s.variants.end()) *it = std::move(r);
    else s.variants.push_back(std::move(r));
    std::sort(s.variants.begin(), s.variants.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
}

void save(const fs::path& file, const fs::path& dir, const Store& s, bool with_csv) {
    write_store(file, s);
    if (with_csv) write_text_atomically(dir / "summary.csv", summary_csv(s));
}

// Rank 0: every rank's part store into the main store, then the parts removed.
void merge_parts(const fs::path& dir, Store& s) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string n = e.path().filename().string();
        if (n.rfind("batch.rank", 0) != 0 || e.path().extension() != ".h5") continue;
        const Store part = read_store(e.path());
        if (part.sweep_sha256 != s.sweep_sha256) throw InputError(e.path().string() + ": part store of another sweep");
        for (const auto& r : part.variants) put_record(s, r);
    }
    save(store_path(dir), dir, s, true);
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string n = e.path().filename().string();
        if (n.rfind("batch.rank", 0) == 0 && e.path().extension() == ".h5") fs::remove(e.path(), ec);
    }
}

// ---- one variant as a child process ----

struct Child {
    pid_t pid = -1;
    const Variant* variant = nullptr;
    fs::path work;  // its --out
    fs::path log;   // its stdout and stderr
};

Child spawn_variant(const BatchConfig& cfg, const Sweep& sweep, const Variant& v, const fs::path& work_root) {
    Child c{-1, &v, work_root / v.id, work_root / (v.id + ".log")};
    std::vector<std::string> args = {cfg.executable.string(), "run", sweep.base.string(), "--out", c.work.string(),
                                     "--lang", cfg.lang};
    for (const auto& o : v.overrides) args.insert(args.end(), {"--set", o});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s = {"OMP_NUM_THREADS=" + std::to_string(std::max(1u, cfg.threads))};
    for (char** e = environ; *e != nullptr; ++e)
        if (std::strncmp(*e, "OMP_NUM_THREADS=", 16) != 0) env_s.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, c.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    const int rc = posix_spawn(&c.pid, cfg.executable.c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw InputError(cfg.executable.string() + ": cannot start a variant: " + std::strerror(rc));
    return c;
}

// The record of a finished child: its summary.json, or its last error line.
VariantRecord finish_variant(const BatchConfig& cfg, const Child& c, int status, const fs::path& runs) {
    VariantRecord r{c.variant->index, c.variant->id, c.variant->params, "ok", "", c.variant->resolved_yaml, ""};
    std::error_code ec;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::is_regular_file(c.work / "summary.json", ec)) {
        r.summary_json = slurp(c.work / "summary.json");
    } else {
        r.status = "failed";
        std::istringstream log(slurp(c.log));
        for (std::string line; std::getline(log, line);)
            if (!line.empty() && line.find("dxplan run: wrote") == std::string::npos) r.message = line;
        if (r.message.empty())
            r.message = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                            : "exit code " + std::to_string(WEXITSTATUS(status));
    }
    if (cfg.keep_outputs && r.status == "ok") {
        fs::create_directories(runs, ec);
        fs::remove_all(runs / c.variant->id, ec);
        fs::rename(c.work, runs / c.variant->id, ec);
    }
    fs::remove_all(c.work, ec);
    fs::remove(c.log, ec);
    return r;
}

// A local counter standing in for the ranks' shared one.
class LocalCounter : public Distribution {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    std::size_t next() override { return next_++; }
    void barrier() override {}

private:
    std::size_t next_ = 0;
};

}  // namespace

BatchResult run_batch(const BatchConfig& cfg) {
    const Sweep sweep = load_sweep(cfg.sweep_file);
    const Expansion x = expand_sweep(sweep);
    LocalCounter local;
    Distribution& dist = cfg.distribution ? *cfg.distribution : local;
    const bool multi = dist.size() > 1;

    // Rank 0 opens (or creates) the store and folds in the parts of an interrupted distributed run; then every
    // rank reads the same store, so all agree on what is pending.
    Store store;
    if (dist.rank() == 0) {
        store = open_store(cfg.out_dir, sweep);
        fs::create_directories(cfg.out_dir);
        merge_parts(cfg.out_dir, store);
    }
    dist.barrier();
    if (dist.rank() != 0) store = read_store(store_path(cfg.out_dir));

    BatchResult res{store_path(cfg.out_dir), x.variants.size(), 0, 0, 0};
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < x.variants.size(); ++i) {
        const auto it = std::find_if(store.variants.begin(), store.variants.end(),
                                     [&](const VariantRecord& r) { return r.id == x.variants[i].id && r.status == "ok"; });
        if (it == store.variants.end()) pending.push_back(i);
    }
    res.skipped = x.variants.size() - pending.size();

    const fs::path work_root = cfg.out_dir / (".work-" + std::to_string(dist.rank()));
    std::error_code ec;
    fs::remove_all(work_root, ec);  // an interrupted run's unfinished variants (this rank's own folder)
    fs::create_directories(work_root);
    Store mine = multi ? Store{store.sweep_file, store.sweep_sha256, store.fields, {}} : store;
    const fs::path my_store = multi ? part_path(cfg.out_dir, dist.rank()) : store_path(cfg.out_dir);
    BatchProgress prog{x.variants.size(), res.skipped, 0, 0, 0.0, ""};
    const auto t0 = std::chrono::steady_clock::now();
    const auto record = [&](VariantRecord r) {
        prog.failed += r.status == "ok" ? 0 : 1;
        prog.last_id = r.id;
        ++prog.done;
        put_record(mine, std::move(r));
        save(my_store, cfg.out_dir, mine, !multi);
        prog.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (cfg.progress) cfg.progress(prog);
    };

    // Up to `jobs` children at a time; each free slot takes the next pending variant.
    std::map<pid_t, Child> running;
    bool exhausted = false;
    const unsigned jobs = std::max(1u, cfg.jobs);
    while (true) {
        while (!exhausted && running.size() < jobs) {
            const std::size_t k = dist.next();
            if (k >= pending.size()) {
                exhausted = true;
                break;
            }
            const Variant& v = x.variants[pending[k]];
            if (!x.errors[pending[k]].empty()) {  // refused when loading: recorded without running
                record({v.index, v.id, v.params, "failed", x.errors[pending[k]], v.resolved_yaml, ""});
                continue;
            }
            Child c = spawn_variant(cfg, sweep, v, work_root);
            running.emplace(c.pid, c);
        }
        if (running.empty()) break;
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) break;
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        record(finish_variant(cfg, it->second, status, cfg.out_dir / "runs"));
        running.erase(it);
    }
    fs::remove_all(work_root, ec);

    dist.barrier();
    if (dist.rank() == 0) {
        Store all = read_store(store_path(cfg.out_dir));
        if (multi) merge_parts(cfg.out_dir, all);
        else save(store_path(cfg.out_dir), cfg.out_dir, all, true);
        for (const auto& r : all.variants) res.failed += r.status == "ok" ? 0 : 1;
        res.ran = all.variants.size() - std::min(all.variants.size(), res.skipped);  // by every rank
    } else {
        res.ran = prog.done;
    }
    return res;
}

}  // namespace dxplan::batch
