// dxplan CLI: each subcommand lives in its own cmd_*.cpp and is registered in main.cpp.
// Tools are thin (ARCHITECTURE.md 10): parse flags into a Config, call one library function,
// let dxplan::InputError propagate (main maps it to exit code 2 and one line on stderr).
#pragma once

#include <CLI/CLI.hpp>

namespace dxplan::cli {

// (one declaration per subcommand, e.g. void add_terrain_command(CLI::App& app);)

}  // namespace dxplan::cli
