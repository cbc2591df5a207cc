// `dxplan loss`: runs the built binary on NTIA's ITM vectors (../shared/validation/itm) and on bad input.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <numbers>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

namespace {

using Run = dxplan::test::CliRun;
using dxplan::test::run_dxplan;
using dxplan::test::slurp;

namespace fs = std::filesystem;


fs::path scratch_dir() {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_test_cli_loss_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

// Removes this process's scratch directory when the test binary exits.
struct ScratchCleanup {
    ~ScratchCleanup() {
        std::error_code ec;
        fs::remove_all(fs::temp_directory_path() / ("dxplan_test_cli_loss_" + std::to_string(::getpid())), ec);
    }
} const g_scratch_cleanup;


fs::path write_file(const std::string& name, const std::string& text) {
    const fs::path p = scratch_dir() / name;
    std::ofstream(p) << text;
    return p;
}

std::vector<std::string> read_lines(const fs::path& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && line != "\r") lines.push_back(line);
    return lines;
}

// The value printed after a label in an ITMDrvr output file, e.g. "Basic Transmission Loss  114.5  (dB)".
double drvr_value(const std::vector<std::string>& lines, const std::string& label) {
    for (const auto& l : lines)
        if (l.rfind(label + " ", 0) == 0) {
            std::istringstream ss(l.substr(label.size()));
            double v = 0.0;
            ss >> v;
            return v;
        }
    FAIL("label not found: " << label);
    return 0.0;
}

const std::string kItmFlags =
    " --polarization vertical --climate 5 --n0 301 --epsilon 15 --sigma 0.005 --mdvar 1"
    " --time 50 --location 50 --situation 50";

}  // namespace

TEST_CASE("dxplan loss --model itm on NTIA's cmd_examples pfl matches o_p2ptls.txt", "[cli][loss][itm]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("SKIP: ../shared/validation not found");
    const fs::path dir = dxplan::test::validation_dir() / "itm" / "cmd_examples";
    const auto expected = read_lines(dir / "o_p2ptls.txt");
    const Run r = run_dxplan("loss --model itm --profile '" + (dir / "pfl.txt").string() +
                             "' --freq-mhz 3500 --tx-height-m 15 --rx-height-m 3" + kItmFlags + " --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    // Values printed to 0.1 dB / 0.001 mrad / 1 m: half a unit of the last digit.
    CHECK(j.at("loss_db").get<double>() == Approx(drvr_value(expected, "Basic Transmission Loss")).margin(0.05));
    CHECK(j.at("mode").get<std::string>() == "line_of_sight");
    CHECK(j.at("warnings").empty());
    const auto& iv = j.at("intermediate");
    CHECK(iv.at("A_fs_db").get<double>() == Approx(drvr_value(expected, "Free Space")).margin(0.05));
    CHECK(iv.at("d_km").get<double>() == Approx(drvr_value(expected, "d__km")).margin(0.0005));
    CHECK(iv.at("theta_hzn_tx_rad").get<double>() * 1e3 == Approx(drvr_value(expected, "theta_hzn_tx")).margin(0.0005));
    CHECK(iv.at("theta_hzn_rx_rad").get<double>() * 1e3 == Approx(drvr_value(expected, "theta_hzn_rx")).margin(0.0005));
    CHECK(iv.at("d_hzn_tx_m").get<double>() == Approx(drvr_value(expected, "d_hzn_tx__meter")).margin(0.5));
    CHECK(iv.at("d_hzn_rx_m").get<double>() == Approx(drvr_value(expected, "d_hzn_rx__meter")).margin(0.5));
    CHECK(iv.at("h_e_tx_m").get<double>() == Approx(drvr_value(expected, "h_e_tx__meter")).margin(0.05));
    CHECK(iv.at("h_e_rx_m").get<double>() == Approx(drvr_value(expected, "h_e_rx__meter")).margin(0.05));
    CHECK(iv.at("N_s").get<double>() == Approx(drvr_value(expected, "N_s")).margin(0.05));
    CHECK(iv.at("delta_h_m").get<double>() == Approx(drvr_value(expected, "delta_h__meter")).margin(0.05));
    CHECK(iv.at("A_ref_db").get<double>() == Approx(drvr_value(expected, "A_ref__db")).margin(0.05));
}

TEST_CASE("dxplan loss --model itm on every p2p.csv row (pfl) and row 1 as CSV, within 0.01 dB", "[cli][loss][itm]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("SKIP: ../shared/validation not found");
    const fs::path dir = dxplan::test::validation_dir() / "itm";
    const auto rows = read_lines(dir / "p2p.csv");  // header, then h_tx,h_rx,eps,sigma,N_0,f,pol,climate,t,l,s,mdvar,A
    const auto pfls = read_lines(dir / "pfls.csv");
    REQUIRE(rows.size() >= 2);
    REQUIRE(pfls.size() == rows.size() - 1);
    std::size_t checked = 0;
    for (std::size_t k = 1; k < rows.size(); ++k) {
        std::vector<double> v;
        std::stringstream row(rows[k]);
        std::string cell;
        while (std::getline(row, cell, ',')) v.push_back(std::stod(cell));
        REQUIRE(v.size() == 13);
        std::ostringstream flags;
        flags.precision(17);
        flags << " --tx-height-m " << v[0] << " --rx-height-m " << v[1] << " --epsilon " << v[2] << " --sigma " << v[3]
              << " --n0 " << v[4] << " --freq-mhz " << v[5] << " --polarization "
              << (v[6] == 1.0 ? "vertical" : "horizontal") << " --climate " << v[7] << " --time " << v[8]
              << " --location " << v[9] << " --situation " << v[10] << " --mdvar " << v[11] << " --json";
        const double expected_db = v[12];

        // The pfl line as a file of its own (NTIA's advisory warnings, e.g. rx_horizon_distance_1 in row 2,
        // are listed but do not fail the command).
        const fs::path pfl = write_file("row.pfl", pfls[k - 1]);
        const Run a = run_dxplan("loss --model itm --profile '" + pfl.string() + "'" + flags.str());
        INFO("p2p.csv row " << k << ": " << a.err);
        REQUIRE(a.exit_code == 0);
        CHECK(nlohmann::json::parse(a.out).at("loss_db").get<double>() == Approx(expected_db).margin(0.01));  // 0.01 dB
        ++checked;
        if (k != 1) continue;

        // Row 1 again as CSV distance_m,elevation_m.
        std::vector<double> p;
        std::stringstream ss(pfls[0]);
        while (std::getline(ss, cell, ','))
            if (cell.find_first_not_of(" \r") != std::string::npos) p.push_back(std::stod(cell));
        std::ostringstream csv;
        csv.precision(17);
        csv << "distance_m,elevation_m\n";
        for (std::size_t i = 2; i < p.size(); ++i) csv << p[1] * static_cast<double>(i - 2) << "," << p[i] << "\n";
        const fs::path csv_path = write_file("row1.csv", csv.str());
        const Run b = run_dxplan("loss --model itm --profile '" + csv_path.string() + "'" + flags.str());
        INFO(b.err);
        REQUIRE(b.exit_code == 0);
        CHECK(nlohmann::json::parse(b.out).at("loss_db").get<double>() == Approx(expected_db).margin(0.01));  // 0.01 dB
    }
    REQUIRE(checked == rows.size() - 1);
}

TEST_CASE("dxplan loss: distance-based models and --list", "[cli][loss]") {
    const Run list = run_dxplan("loss --list");
    REQUIRE(list.exit_code == 0);
    CHECK(list.out.find("itm") != std::string::npos);
    CHECK(list.out.find("free-space") != std::string::npos);

    // Free space, P.525-4 eq. (4): 20 log(4 pi d / lambda) = 20 log(4 pi 1000 m x 1e9 Hz / c) = 92.4478 dB
    // (equal heights: 3D = 2D distance).
    const Run fsl = run_dxplan("loss --model free-space --distance-m 1000 --freq-mhz 1000 --tx-height-m 10 --rx-height-m 10 --json");
    INFO(fsl.err);
    REQUIRE(fsl.exit_code == 0);
    CHECK(nlohmann::json::parse(fsl.out).at("loss_db").get<double>() == Approx(20.0 * std::log10(4.0 * std::numbers::pi * 1000.0 * 1e9 / 299792458.0)).margin(1e-9));

    const Run help = run_dxplan("loss --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Examples") != std::string::npos);
}

TEST_CASE("dxplan loss: bad input exits 2 with one clear line", "[cli][loss]") {
    const std::string good_csv = "distance_m,elevation_m\n0,100\n100,110\n200,105\n300,120\n";
    const std::string h = " --tx-height-m 10 --rx-height-m 2";
    struct Case {
        std::string what;
        std::string file;  // profile content ("" = use good_csv)
        std::string args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"missing column", "distance_m,height\n0,1\n100,2\n", "--freq-mhz 900" + h, "missing column 'elevation_m'"},
        {"non-uniform spacing", "distance_m,elevation_m\n0,100\n100,110\n250,105\n300,120\n", "--freq-mhz 900" + h,
         "non-uniform spacing"},
        {"one point", "distance_m,elevation_m\n0,100\n", "--freq-mhz 900" + h, "at least 2 are needed"},
        {"NaN height", "distance_m,elevation_m\n0,100\n100,nan\n200,105\n", "--freq-mhz 900" + h, "not a finite number"},
        {"NaN height in a pfl file", "3 100 1 nan 3 4\n", "--freq-mhz 900" + h, "not a finite number"},
        {"pfl count mismatch", "5 100 1 2 3 4\n", "--freq-mhz 900" + h, "expected n_intervals + 1"},
        {"frequency 0", "", "--freq-mhz 0" + h, "frequency must be a positive number"},
        {"30 GHz for ITM", "", "--freq-mhz 30000" + h, "not defined above 20 GHz"},
        {"unknown model", "", "--freq-mhz 900" + h + " --model nosuch", "unknown propagation model 'nosuch'"},
        {"bad polarization", "", "--freq-mhz 900" + h + " --polarization diagonal", "--polarization"},
        {"bad climate", "", "--freq-mhz 900" + h + " --climate 9", "climate = 9"},
    };
    for (const auto& c : cases) {
        const fs::path f = write_file("bad.csv", c.file.empty() ? good_csv : c.file);
        const bool has_model = c.args.find("--model") != std::string::npos;
        const Run r = run_dxplan("loss " + std::string(has_model ? "" : "--model itm ") + "--profile '" + f.string() +
                                 "' " + c.args);
        INFO(c.what << ": stderr = " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
    }

    // A terrain model without a profile.
    const Run no_profile = run_dxplan("loss --model itm --freq-mhz 900" + h);
    CHECK(no_profile.exit_code == 2);
    CHECK(no_profile.err.find("--profile FILE is required") != std::string::npos);

    // --allow-out-of-range turns the 30 GHz error into a warning.
    const fs::path f = write_file("good.csv", good_csv);
    const Run warn = run_dxplan("loss --model itm --profile '" + f.string() + "' --freq-mhz 30000" + h +
                                " --allow-out-of-range --json");
    INFO(warn.err);
    REQUIRE(warn.exit_code == 0);
    const auto w = nlohmann::json::parse(warn.out).at("warnings");
    CHECK(std::find(w.begin(), w.end(), "frequency_out_of_range") != w.end());
}
