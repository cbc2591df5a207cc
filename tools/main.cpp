// dxplan: rural wireless network planning for Japan. Entry point and exit-code policy:
//   0 success; 2 bad input (one line on stderr naming the problem); 1 internal failure.
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "libsim/core/data_dir.hpp"
#include "libsim/core/error.hpp"
#include "libsim/core/memory.hpp"
#include "libsim/core/version.hpp"
#include "libsim/core/cancel.hpp"
#include "tools/commands.hpp"
#include "tools/signals.hpp"

namespace {

int run_command(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::Success&) {  // --data-dir printed
        return 0;
    } catch (const CLI::RuntimeError& e) {  // a subcommand's own exit code (e.g. dxplan batch: 3, some variants failed)
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        std::cerr << "dxplan: error: " << e.what() << " (see --help)\n";
        return 2;
    } catch (const dxplan::Cancelled& e) {  // SIGINT/SIGTERM (tools/signals.hpp): 128 + the signal number
        std::cerr << "\ndxplan: interrupted by signal " << e.signal()
                  << "; partial outputs removed, earlier outputs untouched\n";
        return 128 + e.signal();
    } catch (const dxplan::InputError& e) {
        std::cerr << "dxplan: error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "dxplan: internal error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    dxplan::cli::install_signal_watch();  // first: before OpenMP or GDAL start threads (tools/signals.hpp)
    dxplan::keep_freed_memory();  // reuse the DEM loader's freed buffers in the solver (libsim/core/memory.hpp)
    CLI::App app{
        "dxplan - plan rural wireless networks (Local 5G, Wi-Fi HaLow, Wi-Fi 6E/7, LPWA) over real terrain.\n"
        "Run `dxplan SUBCOMMAND --help` for the options of each subcommand.",
        "dxplan"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "dxplan " + std::string(dxplan::kVersion));
    app.add_flag_callback(
        "--data-dir",
        [] {
            std::cout << dxplan::data_dir().string() << "\n";
            throw CLI::Success();
        },
        "print where the technology profiles, catalogue and scenarios are read from ($DXPLAN_DATA_DIR, an "
        "installed share/dxplan, or the source tree) and exit");
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
    dxplan::cli::add_capacity_command(app);
    dxplan::cli::add_batch_command(app);
    dxplan::cli::add_evaluate_command(app);
    dxplan::cli::add_measurements_command(app);
    dxplan::cli::add_calibrate_command(app);

    const int code = run_command(app, argc, argv);
    dxplan::cli::command_finished();
    return code;
}
