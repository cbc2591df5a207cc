// dxplan CLI: each subcommand lives in its own cmd_*.cpp and is registered in main.cpp.
// Tools are thin (ARCHITECTURE.md 10): parse flags into a Config, call one library function,
// let dxplan::InputError propagate (main maps it to exit code 2 and one line on stderr).
#pragma once

#include <CLI/CLI.hpp>

namespace dxplan::cli {

// (one declaration per subcommand, e.g. void add_terrain_command(CLI::App& app);)
void add_loss_command(CLI::App& app);  // cmd_loss.cpp: dxplan loss
void add_p2p_command(CLI::App& app);   // cmd_loss.cpp: dxplan p2p
void add_coverage_command(CLI::App& app);  // cmd_coverage.cpp: dxplan coverage
void add_terrain_command(CLI::App& app);   // cmd_terrain.cpp: dxplan terrain info|profile
void add_tech_command(CLI::App& app);      // cmd_tech.cpp: dxplan tech list|show|table
void add_link_command(CLI::App& app);      // cmd_link.cpp: dxplan link
void add_run_command(CLI::App& app);       // cmd_run.cpp: dxplan run
void add_backhaul_command(CLI::App& app);  // cmd_backhaul.cpp: dxplan backhaul
void add_capacity_command(CLI::App& app);  // cmd_capacity.cpp: dxplan capacity
void add_batch_command(CLI::App& app);     // cmd_batch.cpp: dxplan batch
void add_evaluate_command(CLI::App& app);      // cmd_evaluate.cpp: dxplan evaluate
void add_measurements_command(CLI::App& app);  // cmd_measure.cpp: dxplan measurements import|synthesize
void add_calibrate_command(CLI::App& app);     // cmd_measure.cpp: dxplan calibrate
void add_route_command(CLI::App& app);     // cmd_route.cpp: dxplan route

}  // namespace dxplan::cli
