#include "libsim/core/output_set.hpp"
#include "libsim/core/version.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <system_error>

#include "libsim/core/error.hpp"

namespace dxplan {

namespace fs = std::filesystem;

namespace {

// The path made absolute and canonical as far as it exists (symlinks and ".." resolved), for comparisons.
fs::path canonical_as_far_as_possible(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) abs = p;
    fs::path c = fs::weakly_canonical(abs, ec);
    return ec ? abs.lexically_normal() : c;
}

// True when `inner` is `outer` or lies under it (both canonical).
bool is_within(const fs::path& inner, const fs::path& outer) {
    auto o = outer.begin(), i = inner.begin();
    for (; o != outer.end(); ++o, ++i) {
        if (o->empty()) continue;  // trailing separator
        if (i == inner.end() || *i != *o) return false;
    }
    return true;
}

std::string staging_suffix() { return ".partial-" + std::to_string(::getpid()); }

// True when dir holds a marker file that dxplan wrote (first line "dxplan VERSION").
bool written_by_dxplan(const fs::path& dir) {
    std::ifstream in(dir / kOutputMarker);
    std::string first;
    return in && std::getline(in, first) && first.rfind("dxplan ", 0) == 0;
}

bool is_empty_directory(const fs::path& dir) {
    std::error_code ec;
    return fs::is_empty(dir, ec) && !ec;
}

}  // namespace

void CleanupRegistry::add(const fs::path& p) {
    std::lock_guard lock(mutex_);
    paths_.push_back(p);
}

void CleanupRegistry::remove(const fs::path& p) {
    std::lock_guard lock(mutex_);
    paths_.erase(std::remove(paths_.begin(), paths_.end(), p), paths_.end());
}

void CleanupRegistry::remove_all_now() noexcept {
    std::lock_guard lock(mutex_);
    for (int pass = 0; pass < 3; ++pass) {  // a writer still running may add a file after a pass
        for (const fs::path& p : paths_) {
            std::error_code ec;
            fs::remove_all(p, ec);
        }
        if (pass < 2) ::usleep(20000);
    }
}

CleanupRegistry& cleanup_registry() {
    static CleanupRegistry registry;
    return registry;
}

std::string safe_file_name(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        out += ok ? c : '_';
        if (out.size() == 100) break;
    }
    for (char& c : out) {  // leading dots: no hidden files, never "." or ".."
        if (c != '.') break;
        c = '_';
    }
    return out.empty() ? std::string("unnamed") : out;
}

std::string fnv1a_hex(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64-bit offset basis (Fowler, Noll, Vo; IETF draft-eastlake-fnv)
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;  // FNV 64-bit prime
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

OutputSet::OutputSet(std::vector<fs::path> inputs) {
    for (const auto& p : inputs)
        if (!p.empty()) inputs_.push_back(canonical_as_far_as_possible(p));
}

OutputSet::~OutputSet() {
    if (published_) return;
    for (const Entry& e : entries_) {
        std::error_code ec;
        fs::remove_all(e.staged, ec);
        cleanup_registry().remove(e.staged);
    }
}

void OutputSet::check_against_inputs(const fs::path& out, const std::string& flag, bool directory) const {
    const fs::path c = canonical_as_far_as_possible(out);
    const std::string who = flag + " " + out.string();
    for (const fs::path& in : inputs_) {
        if (in == c) throw InputError(who + ": is an input of this command; choose another output path");
        if (directory && is_within(in, c))
            throw InputError(who + ": contains the input " + in.string() + "; choose an output folder of its own");
    }
    std::error_code ec;
    const fs::path cwd = canonical_as_far_as_possible(fs::current_path(ec));
    if (!ec && is_within(cwd, c))
        throw InputError(who + ": is or contains the current directory; choose an output folder of its own");
    for (const Entry& e : entries_)
        if (is_within(c, canonical_as_far_as_possible(e.target)) || is_within(canonical_as_far_as_possible(e.target), c))
            throw InputError(who + ": overlaps another output of this command (" + e.target.string() + ")");
}

fs::path OutputSet::add_directory(const fs::path& dir, const std::string& flag, bool force) {
    if (dir.empty()) throw InputError(flag + ": the output folder is empty");
    check_against_inputs(dir, flag, true);
    const std::string who = flag + " " + dir.string();
    std::error_code ec;
    const auto st = fs::symlink_status(dir, ec);
    if (fs::exists(st)) {
        if (!fs::is_directory(fs::status(dir, ec))) throw InputError(who + ": exists and is not a folder; choose another output folder");
        if (!is_empty_directory(dir) && !written_by_dxplan(dir) && !force)
            throw InputError(who + ": exists, is not empty and was not written by dxplan (no " + std::string(kOutputMarker) +
                             "); give --force to replace it, or choose another folder");
    }
    const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);
    if (ec) throw InputError(who + ": cannot create its parent folder: " + ec.message());
    fs::path staged = dir;
    staged += staging_suffix();
    fs::remove_all(staged, ec);
    if (!fs::create_directory(staged, ec) || ec)
        throw InputError(who + ": cannot write beside it (" + staged.string() + "): " +
                         (ec ? ec.message() : std::string("already exists")));
    cleanup_registry().add(staged);
    entries_.push_back({dir, staged, true});
    return staged;
}

fs::path OutputSet::add_file(const fs::path& file, const std::string& flag) {
    if (file.empty() || !file.has_filename()) throw InputError(flag + " '" + file.string() + "': expected a file name");
    check_against_inputs(file, flag, false);
    const std::string who = flag + " " + file.string();
    std::error_code ec;
    if (fs::is_directory(file, ec)) throw InputError(who + ": is a folder; give a file name");
    if (fs::exists(file, ec) && !fs::is_regular_file(file, ec))
        throw InputError(who + ": exists and is not a regular file");
    const fs::path parent = file.has_parent_path() ? file.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec)) throw InputError(who + ": folder " + parent.string() + " does not exist");
    if (::access(parent.c_str(), W_OK) != 0) throw InputError(who + ": folder " + parent.string() + " is not writable");
    // ".NAME.partial-PID.EXT": hidden, same folder (atomic rename), same extension (format chosen by name).
    const fs::path staged = parent / ("." + file.stem().string() + staging_suffix() + file.extension().string());
    cleanup_registry().add(staged);
    entries_.push_back({file, staged, false});
    return staged;
}

void OutputSet::publish(std::string_view run_identity) {
    const std::string old_suffix = ".old-" + std::to_string(::getpid());
    for (const Entry& e : entries_) {
        if (!e.directory) continue;
        std::ofstream marker(e.staged / kOutputMarker);
        marker << "dxplan " << kVersion << "\nrun " << fnv1a_hex(run_identity) << "\n";
        if (!(marker << std::flush)) throw InputError(e.target.string() + ": cannot write the output marker (disk full?)");
    }
    for (const Entry& e : entries_) {
        std::error_code ec;
        if (!e.directory && !fs::exists(e.staged, ec))
            throw InputError(e.target.string() + ": the output was not written (internal: staged file missing)");
    }
    // Move every existing target aside, then every staged output into place; undo on the first failure.
    std::vector<std::pair<fs::path, fs::path>> done;  // (from, to) renames done, in order
    auto undo = [&] {
        for (auto it = done.rbegin(); it != done.rend(); ++it) {
            std::error_code ec;
            fs::rename(it->second, it->first, ec);
        }
    };
    auto move = [&](const fs::path& from, const fs::path& to, const fs::path& target) {
        std::error_code ec;
        fs::rename(from, to, ec);
        if (ec) {
            undo();
            throw InputError(target.string() + ": cannot write output: " + ec.message());
        }
        done.emplace_back(from, to);
    };
    std::vector<fs::path> olds;
    for (const Entry& e : entries_) {
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(e.target, ec))) continue;
        fs::path old = e.target;
        old += old_suffix;
        fs::remove_all(old, ec);
        move(e.target, old, e.target);
        olds.push_back(old);
    }
    for (const Entry& e : entries_) move(e.staged, e.target, e.target);
    published_ = true;
    for (const Entry& e : entries_) cleanup_registry().remove(e.staged);
    for (const fs::path& old : olds) {
        std::error_code ec;
        fs::remove_all(old, ec);
    }
}

}  // namespace dxplan
