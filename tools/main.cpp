// dxplan: rural wireless network planning for Japan. Entry point and exit-code policy:
//   0 success; 2 bad input (one line on stderr naming the problem); 1 internal failure.
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/memory.hpp"
#include "tools/commands.hpp"

int main(int argc, char** argv) {
    dxplan::keep_freed_memory();  // reuse the DEM loader's freed buffers in the solver (libsim/core/memory.hpp)
    CLI::App app{
        "dxplan - plan rural wireless networks (Local 5G, Wi-Fi HaLow, Wi-Fi 6E/7, LPWA) over real terrain.\n"
        "Run `dxplan SUBCOMMAND --help` for the options of each subcommand.",
        "dxplan"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "dxplan 0.1.0");
    // subcommands: one line each
    dxplan::cli::add_loss_command(app);
    dxplan::cli::add_p2p_command(app);
    dxplan::cli::add_coverage_command(app);
    dxplan::cli::add_terrain_command(app);
    dxplan::cli::add_tech_command(app);
    dxplan::cli::add_link_command(app);
    dxplan::cli::add_run_command(app);
    dxplan::cli::add_route_command(app);
    dxplan::cli::add_backhaul_command(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "dxplan: error: " << e.what() << " (see --help)\n";
        return 2;
    } catch (const dxplan::InputError& e) {
        std::cerr << "dxplan: error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "dxplan: internal error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
