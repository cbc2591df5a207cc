// Runs the built dxplan binary for the CLI tests and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/test_paths.hpp"

namespace dxplan::test {

struct CliRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// `args` is appended to the binary's path as shell words (quote paths yourself).
inline CliRun run_dxplan(const std::string& args) {
    static std::atomic<int> counter{0};
    const auto dir = std::filesystem::temp_directory_path() /
                     ("dxplan_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    const std::string cmd = "'" + dxplan_binary().string() + "' " + args + " >'" + (dir / "out.txt").string() +
                            "' 2>'" + (dir / "err.txt").string() + "'";
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(dir / "out.txt");
    r.err = slurp(dir / "err.txt");
    std::filesystem::remove_all(dir);
    return r;
}

}  // namespace dxplan::test
