// `dxplan capacity`: run the built binary; check the JSON against closed forms, the curve files and the errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"

namespace {

using dxplan::test::run_dxplan;
namespace fs = std::filesystem;

// The one-line error contract: exit 2, nothing on stdout, a single line on stderr containing `want`.
void check_bad(const std::string& args, const std::string& want) {
    const auto r = run_dxplan(args);
    INFO(args << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(want) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("dxplan capacity --json: LoRaWAN delivery equals e^-2G from a hand time on air", "[cli][traffic]") {
    // water-level-sensor: 12 B every 600 s (+ alarms 0.1/h). SF7 at 10 dB; PHY payload 12 + 13 = 25 B:
    // payload symbols 8 + ceil((200 - 28 + 44) / 28) * 5 = 8 + 8 * 5 = 48, + 12.25 preamble: 60.25 x 1.024 ms.
    const double toa_s = 60.25 * 1.024e-3;
    const double n = 3000, channels = 2;
    const double g = n * (1.0 / 600 + 0.1 / 3600) * toa_s / channels;
    const auto r = run_dxplan("capacity --tech lorawan-as923-jp --devices 3000 --traffic water-level-sensor --snr-db 10 --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["delivery_ratio"].get<double>() == Approx(std::exp(-2 * g)).epsilon(1e-9));
    CHECK(j["offered_load"].get<double>() == Approx(n * 12 * 8 * (1.0 / 600 + 0.1 / 3600)).epsilon(1e-9));
    for (const char* k : {"carried_load", "max_devices_for_target"}) CHECK(j.contains(k));
    CHECK(j["delay_ms"]["p99"].get<double>() == Approx(5.0 + toa_s * 1e3).epsilon(1e-9));  // 5 ms carrier sense + ToA
}

TEST_CASE("dxplan capacity --sweep-devices writes CSV and PNG", "[cli][traffic]") {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_cap_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto r = run_dxplan("capacity --tech halow-jp-1mhz --devices 50 --traffic smart-meter --snr-db 10 --sweep-devices 10:10000:log:20 --csv '" +
                              (dir / "c.csv").string() + "' --png '" + (dir / "c.png").string() + "'");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(dir / "c.csv");
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) ++rows;
    CHECK(rows == 21);
    CHECK(fs::file_size(dir / "c.png") > 1000);
    fs::remove_all(dir);
}

TEST_CASE("dxplan capacity bad input: exit 2 and one line naming the flag or field and the range", "[cli][traffic]") {
    const std::string base = "capacity --tech lorawan-as923-jp --snr-db 0 ";
    check_bad(base + "--devices 0 --traffic water-level-sensor", "--devices 0: must be a number of terminals in [1, 1e7]");
    check_bad(base + "--devices -5 --traffic water-level-sensor", "--devices -5");
    check_bad(base + "--devices 10 --traffic no-such-profile", "--traffic: traffic profile 'no-such-profile': unknown; valid names:");
    const fs::path dir = fs::temp_directory_path() / ("dxplan_capbad_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "zero.yaml") << "name: zero\nflows:\n  - {kind: periodic, payload_bytes: 10, interval_s: 0}\n";
    check_bad(base + "--devices 10 --traffic '" + (dir / "zero.yaml").string() + "'", "flows[0].interval_s = 0: must be in (0, 1e+08] s");
    std::ofstream(dir / "big.yaml") << "name: big\nflows:\n  - {kind: periodic, payload_bytes: 60, interval_s: 600}\n";
    // gateway SNR thresholds = sensitivity - noise floor (-174 + 10 log10(125e3) + 6 = -117 dBm): SF12 -25.5 dB,
    // SF11 -23 dB; at -25 dB only SF12 closes: 51 bytes at most
    check_bad("capacity --tech lorawan-as923-jp --snr-db -25 --devices 10 --traffic '" + (dir / "big.yaml").string() + "'",
              "payload_bytes = 60: LoRaWAN AS923 SF12 carries at most 51 bytes");
    check_bad(base + "--devices 10 --traffic water-level-sensor --sweep-devices 10:5", "--sweep-devices '10:5': must be FROM:TO");
    fs::remove_all(dir);
}
