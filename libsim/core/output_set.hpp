// dxplan core: one command's outputs, checked before any work and published all together or not at all
// (issue 15 item 1; ARCHITECTURE.md 8 "nothing half-written", "never overwrite an input").
//
// A command declares its inputs and every output path first (OutputSet), then writes each output to the staging
// path it is given (beside the target, in the same directory so the final rename is atomic), and calls publish()
// at the end. Until publish() nothing the user had is touched; if the command fails (exception, cancellation)
// the destructor removes every staging path. Rules, checked when an output is declared:
//  - an output may not equal an input file, nor (a directory output) contain one, nor equal or contain the
//    current directory - with or without --force;
//  - a directory output replaces an existing directory only if dxplan wrote it (its marker file OUTPUT_MARKER
//    names the program and the run's hash) or it is empty; any other directory needs --force;
//  - a file output must not be an existing directory, and its folder must exist.
// Staging paths are registered with the process's cleanup list (cleanup_registry()), so a signal watchdog can
// remove them if the command does not stop by itself in time.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dxplan {

inline constexpr const char* kOutputMarker = ".dxplan-output";  // in every directory dxplan publishes

// Paths that must be removed if the process is stopped before they are published (staging files and folders).
class CleanupRegistry {
public:
    void add(const std::filesystem::path& p);
    void remove(const std::filesystem::path& p);
    // Removes every registered path (best effort, repeated so a concurrent writer's late files go too).
    void remove_all_now() noexcept;

private:
    std::mutex mutex_;
    std::vector<std::filesystem::path> paths_;
};
CleanupRegistry& cleanup_registry();

// `text` (e.g. a scenario's name) reduced to a safe single file name: characters outside [A-Za-z0-9._-]
// become '_', no leading '.', at most 100 characters, never empty, "." or "..".
[[nodiscard]] std::string safe_file_name(std::string_view text);

// 64-bit FNV-1a of text, as 16 hex digits (the run hash in the marker file).
[[nodiscard]] std::string fnv1a_hex(std::string_view text);

class OutputSet {
public:
    // `inputs`: every file the command reads (existing ones are compared by canonical path).
    explicit OutputSet(std::vector<std::filesystem::path> inputs);
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    // Declares an output directory (`flag` names it in messages, e.g. "--out"); returns the empty staging
    // directory to write into. Throws InputError when the rules above refuse it.
    [[nodiscard]] std::filesystem::path add_directory(const std::filesystem::path& dir, const std::string& flag, bool force);
    // Declares an output file; returns its staging path (same folder and extension, e.g. ".x.partial-PID.tif").
    [[nodiscard]] std::filesystem::path add_file(const std::filesystem::path& file, const std::string& flag);

    // Publishes every declared output: writes the marker into each directory (`run_identity` is hashed into
    // it), moves existing targets aside, renames the staged ones into place, then removes the old ones. If a
    // rename fails, the ones already done are undone and InputError is thrown.
    void publish(std::string_view run_identity);

private:
    struct Entry {
        std::filesystem::path target, staged;
        bool directory = false;
    };
    void check_against_inputs(const std::filesystem::path& out, const std::string& flag, bool directory) const;
    std::vector<std::filesystem::path> inputs_;  // canonical
    std::vector<Entry> entries_;
    bool published_ = false;
};

}  // namespace dxplan
