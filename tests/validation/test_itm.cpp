// ITM (Longley-Rice) v1.2.2 against NTIA/ITS's published test vectors (../shared/validation/itm, SOURCES.md):
// p2p.csv + pfls.csv, area.csv, and every output number of the ITMDrvr examples in cmd_examples/.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "libsim/core/error.hpp"
#include "models/propagation/itm.hpp"
#include "models/propagation/normal.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

namespace {

using dxplan::Profile;
namespace fs = std::filesystem;
using namespace dxplan::prop;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, sep))
        if (!trim(cell).empty()) out.push_back(trim(cell));
    return out;
}

std::vector<std::string> read_lines(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line))
        if (!trim(line).empty()) lines.push_back(line);
    return lines;
}

// A CSV file with a header: one map column name -> value per data row.
std::vector<std::map<std::string, double>> read_csv(const fs::path& path) {
    const auto lines = read_lines(path);
    REQUIRE(lines.size() >= 2);
    const auto header = split(lines[0], ',');
    std::vector<std::map<std::string, double>> rows;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto cells = split(lines[i], ',');
        REQUIRE(cells.size() == header.size());
        std::map<std::string, double> row;
        for (std::size_t c = 0; c < cells.size(); ++c) row[header[c]] = std::stod(cells[c]);
        rows.push_back(row);
    }
    return rows;
}

// ITM's pfl layout: n_intervals, spacing_m, z0 ... zn.
Profile parse_pfl(const std::string& text) {
    std::string t = text;
    for (char& ch : t)
        if (ch == ',') ch = ' ';
    std::istringstream ss(t);
    std::vector<double> v;
    double x = 0.0;
    while (ss >> x) v.push_back(x);
    REQUIRE(v.size() >= 4);
    Profile p;
    p.spacing_m = v[1];
    p.z_m.assign(v.begin() + 2, v.end());
    REQUIRE(p.z_m.size() == static_cast<std::size_t>(v[0]) + 1);
    return p;
}

ItmParams params_from(const std::map<std::string, double>& r) {
    ItmParams p;
    p.f_mhz = r.at("f__mhz");
    p.polarization = r.at("pol") == 1.0 ? Polarization::vertical : Polarization::horizontal;
    p.climate = static_cast<int>(r.at("climate"));
    p.n0 = r.at("N_0");
    p.epsilon = r.at("epsilon");
    p.sigma_s_per_m = r.at("sigma");
    p.mdvar = static_cast<int>(r.at("mdvar"));
    return p;
}

// Tolerance of a number printed with d decimals: half a unit of its last digit.
double printed_tolerance(const std::string& token) {
    const auto dot = token.find('.');
    const int decimals = dot == std::string::npos ? 0 : static_cast<int>(token.size() - dot - 1);
    return 0.5 * std::pow(10.0, -decimals) + 1e-9;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("ITM point-to-point: NTIA p2p.csv with pfls.csv within 0.01 dB", "[validation][itm]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("SKIP: ../shared/validation not found");
    const auto dir = dxplan::test::validation_dir() / "itm";
    const auto rows = read_csv(dir / "p2p.csv");
    const auto pfls = read_lines(dir / "pfls.csv");
    REQUIRE(pfls.size() == rows.size());  // line k of pfls.csv is the profile of row k
    std::size_t checked = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto& r = rows[k];
        const Profile pfl = parse_pfl(pfls[k]);
        const ItmResult res = itm_p2p(pfl, r.at("h_tx__meter"), r.at("h_rx__meter"), params_from(r),
                                      {r.at("time"), r.at("location"), r.at("situation")});
        INFO("p2p.csv row " << k + 1);
        CHECK(res.loss_db == Approx(r.at("A__db")).margin(0.01));  // tolerance 0.01 dB
        ++checked;
    }
    std::cout << "ITM p2p.csv: " << checked << " rows checked (tolerance 0.01 dB)\n";
    REQUIRE(checked == read_lines(dir / "p2p.csv").size() - 1);
    REQUIRE(checked == 5);
}

TEST_CASE("ITM area mode: NTIA area.csv within 0.05 dB", "[validation][itm]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("SKIP: ../shared/validation not found");
    const auto path = dxplan::test::validation_dir() / "itm" / "area.csv";
    const auto rows = read_csv(path);
    std::size_t checked = 0;
    for (const auto& r : rows) {
        ItmAreaInput in;
        in.h_tx_m = r.at("h_tx__meter");
        in.h_rx_m = r.at("h_rx__meter");
        in.tx_siting = static_cast<ItmSiting>(static_cast<int>(r.at("tx_siting_criteria")));
        in.rx_siting = static_cast<ItmSiting>(static_cast<int>(r.at("rx_siting_criteria")));
        in.d_km = r.at("d__km");
        in.delta_h_m = r.at("delta_h__meter");
        const ItmResult res = itm_area(in, params_from(r), {r.at("time"), r.at("location"), r.at("situation")});
        INFO("area.csv row " << checked + 1);
        CHECK(res.loss_db == Approx(r.at("A__db")).margin(0.05));  // tolerance 0.05 dB (values given to 0.1 dB)
        ++checked;
    }
    std::cout << "ITM area.csv: " << checked << " rows checked (tolerance 0.05 dB)\n";
    REQUIRE(checked == read_lines(path).size() - 1);
    REQUIRE(checked == 5);
}

// Every number of ITMDrvr's outputs, each within half a unit of its last printed digit (e.g. 0.05 dB for
// losses printed to 0.1 dB, 0.0005 mrad for horizon angles, 0.5 m for horizon distances).
TEST_CASE("ITM cmd_examples: every output number of NTIA's ITMDrvr examples", "[validation][itm]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("SKIP: ../shared/validation not found");
    const auto dir = dxplan::test::validation_dir() / "itm" / "cmd_examples";
    const Profile pfl = parse_pfl(read_lines(dir / "pfl.txt").at(0));
    std::size_t total = 0;
    for (const std::string name : {"p2ptls", "p2pcr", "p2pcr_tbl", "areatls", "areacr", "areacr_tbl"}) {
        // Inputs: key,value[,value...] per line.
        std::map<std::string, std::vector<double>> in;
        for (const auto& line : read_lines(dir / ("i_" + name + ".txt"))) {
            const auto cells = split(line, ',');
            REQUIRE(cells.size() >= 2);
            for (std::size_t c = 1; c < cells.size(); ++c) in[cells[0]].push_back(std::stod(cells[c]));
        }
        std::map<std::string, double> scalar;
        for (const auto& [k, v] : in) scalar[k] = v.front();
        const bool area = starts_with(name, "area");
        const bool cr = in.count("confidence") > 0;

        auto compute = [&](double d_km, double confidence, double reliability) {
            const ItmVariability var = cr ? itm_confidence_reliability(confidence, reliability)
                                          : ItmVariability{scalar.at("time"), scalar.at("location"),
                                                           scalar.at("situation")};
            if (!area) return itm_p2p(pfl, scalar.at("h_tx__meter"), scalar.at("h_rx__meter"), params_from(scalar), var);
            ItmAreaInput a;
            a.h_tx_m = scalar.at("h_tx__meter");
            a.h_rx_m = scalar.at("h_rx__meter");
            a.tx_siting = static_cast<ItmSiting>(static_cast<int>(scalar.at("tx_site_criteria")));
            a.rx_siting = static_cast<ItmSiting>(static_cast<int>(scalar.at("rx_site_criteria")));
            a.d_km = d_km;
            a.delta_h_m = scalar.at("delta_h__meter");
            return itm_area(a, params_from(scalar), var);
        };
        const double conf0 = cr ? in.at("confidence").front() : 0.0;
        const double rel0 = cr ? in.at("reliability").front() : 0.0;
        const ItmResult base = compute(area ? scalar.at("d__km") : 0.0, conf0, rel0);
        const ItmIntermediate& iv = base.intermediate;
        const std::map<std::string, double> ours = {
            {"Basic Transmission Loss", base.loss_db}, {"Free Space", iv.A_fs_db}, {"d__km", iv.d_km},
            {"theta_hzn_tx", iv.theta_hzn[0] * 1000.0}, {"theta_hzn_rx", iv.theta_hzn[1] * 1000.0},  // mrad
            {"d_hzn_tx__meter", iv.d_hzn_m[0]}, {"d_hzn_rx__meter", iv.d_hzn_m[1]},
            {"h_e_tx__meter", iv.h_e_m[0]}, {"h_e_rx__meter", iv.h_e_m[1]}, {"N_s", iv.N_s},
            {"delta_h__meter", iv.delta_h_m}, {"A_ref__db", iv.A_ref_db},
            {"Mode of Propagation", static_cast<double>(base.mode)}, {"ITM Return Code", 0.0}};

        const auto out = read_lines(dir / ("o_" + name + ".txt"));
        std::size_t checked = 0;
        bool in_results = false;
        for (std::size_t i = 0; i < out.size(); ++i) {
            const std::string& line = out[i];
            if (starts_with(line, "Results")) in_results = true;
            if (!in_results) continue;
            INFO("o_" << name << ".txt: " << line);
            if (starts_with(line, "ITM Warning Flags")) {
                std::istringstream ss(line.substr(17));
                std::string hex;
                ss >> hex;
                CHECK(std::stoul(hex, nullptr, 16) == base.warnings);  // exact bit field
                ++checked;
                continue;
            }
            if (starts_with(line, "Reliability") || starts_with(line, "Distance")) {
                // CR table: header of confidences, then one row per reliability (p2p) or distance (area).
                const auto& confs = in.at("confidence");
                std::size_t r = i + 2;
                for (; r < out.size() && std::isdigit(static_cast<unsigned char>(out[r][0])); ++r) {
                    std::istringstream ss(out[r]);
                    std::vector<std::string> tok;
                    std::string t;
                    while (ss >> t) tok.push_back(t);
                    const double key = std::stod(tok[0]);
                    std::size_t col = 1;
                    if (area) {  // distance, free space, then one loss per confidence
                        const ItmResult fsr = compute(key, confs[0], rel0);
                        CHECK(fsr.intermediate.A_fs_db == Approx(std::stod(tok[1])).margin(printed_tolerance(tok[1])));
                        ++checked;
                        col = 2;
                    }
                    REQUIRE(tok.size() == col + confs.size());
                    for (std::size_t c = 0; c < confs.size(); ++c) {
                        const ItmResult cell = area ? compute(key, confs[c], rel0) : compute(0.0, confs[c], key);
                        const std::string& want = tok[col + c];
                        CHECK(cell.loss_db == Approx(std::stod(want)).margin(printed_tolerance(want)));
                        ++checked;
                    }
                }
                i = r - 1;
                continue;
            }
            // "Label   value   (unit)" lines: the label is everything before the first run of 2+ spaces.
            const auto gap = line.find("  ");
            if (gap == std::string::npos) continue;
            const std::string label = trim(line.substr(0, gap));
            const auto it = ours.find(label);
            if (it == ours.end()) continue;
            std::istringstream ss(line.substr(gap));
            std::string value;
            ss >> value;
            CHECK(it->second == Approx(std::stod(value)).margin(printed_tolerance(value)));
            ++checked;
        }
        // Each file: warning flags, return code, then 12 intermediate lines (single results add the loss;
        // tables add their cells).
        std::cout << "ITM cmd_examples o_" << name << ".txt: " << checked << " numbers checked\n";
        REQUIRE(checked >= 14);
        total += checked;
    }
    // 15 single-result numbers x 4 files, 14 + 3x3 for the p2p CR table, 2 + 19x4 for the area CR table.
    std::cout << "ITM cmd_examples: " << total << " numbers checked in 6 files\n";
    REQUIRE(total == 4 * 15 + (14 + 9) + (2 + 19 * 4));
}

TEST_CASE("ITM split: itm_p2p equals itm_p2p_from_geometry(itm_analyze_profile) on every p2p.csv row", "[itm]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("SKIP: ../shared/validation not found");
    const auto dir = dxplan::test::validation_dir() / "itm";
    const auto rows = read_csv(dir / "p2p.csv");
    const auto pfls = read_lines(dir / "pfls.csv");
    std::size_t checked = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto& r = rows[k];
        const Profile pfl = parse_pfl(pfls[k]);
        const ItmParams params = params_from(r);
        const ItmVariability tls{r.at("time"), r.at("location"), r.at("situation")};
        const ItmResult whole = itm_p2p(pfl, r.at("h_tx__meter"), r.at("h_rx__meter"), params, tls);
        const ItmTerrainGeometry g = itm_analyze_profile(pfl, r.at("h_tx__meter"), r.at("h_rx__meter"), params.n0);
        const ItmResult split = itm_p2p_from_geometry(g, params, tls);
        CHECK(whole.loss_db == split.loss_db);  // bit-identical
        CHECK(whole.warnings == split.warnings);
        CHECK(whole.mode == split.mode);
        std::cout << "p2p.csv row " << k + 1 << ": mode " << itm_mode_name(whole.mode) << ", warnings 0x" << std::hex
                  << whole.warnings << std::dec << "\n";
        ++checked;
    }
    REQUIRE(checked == rows.size());
}

TEST_CASE("ITM helpers: least-squares fit, interdecile range, warning names, inverse CCDF", "[itm]") {
    // A straight line is fitted exactly whatever the range.
    Profile line;
    line.spacing_m = 50.0;
    for (int i = 0; i <= 40; ++i) line.z_m.push_back(100.0 + 0.5 * i);
    const ItmLineFit fit = itm_least_squares_fit(line, 300.0, 1700.0);
    CHECK(fit.z_start_m == Approx(100.0).margin(1e-9));
    CHECK(fit.z_end_m == Approx(120.0).margin(1e-9));
    CHECK(itm_delta_h_m(line, 0.0, 2000.0) == Approx(0.0).margin(1e-9));  // no irregularity on a plane

    // 35 values 1..35 (k = 4): 4th largest (32) minus 4th smallest (4).
    std::vector<double> v;
    for (int i = 35; i >= 1; --i) v.push_back(i);
    CHECK(itm_interdecile_range(v) == 28.0);

    const auto names = itm_warning_names(itm_warning::tx_terminal_height | itm_warning::extreme_variabilities);
    REQUIRE(names.size() == 2);
    CHECK(names[0] == "tx_terminal_height");
    CHECK(names[1] == "extreme_variabilities");

    CHECK(itm_inverse_ccdf(0.5) == Approx(0.0).margin(1e-3));
    CHECK(itm_inverse_ccdf(0.1) == Approx(1.2816).margin(4.5e-4));  // A&S 26.2.23 error bound
    CHECK(itm_inverse_ccdf(0.9) == Approx(-1.2816).margin(4.5e-4));
}

TEST_CASE("ITM errors: NTIA's error codes become InputError naming the parameter and range", "[itm]") {
    Profile pfl;
    pfl.spacing_m = 100.0;
    for (int i = 0; i <= 50; ++i) pfl.z_m.push_back(200.0 + 10.0 * std::sin(i * 0.3));
    ItmParams ok;
    ok.f_mhz = 900.0;
    const ItmVariability tls{50.0, 50.0, 50.0};
    REQUIRE_NOTHROW(itm_p2p(pfl, 10.0, 2.0, ok, tls));

    auto message = [&](auto&& fn) {
        try {
            fn();
        } catch (const dxplan::InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    auto with = [&](auto change) {
        ItmParams p = ok;
        change(p);
        return message([&] { itm_p2p(pfl, 10.0, 2.0, p, tls); });
    };
    CHECK_THAT(message([&] { itm_p2p(pfl, 0.2, 2.0, ok, tls); }), Catch::Contains("h_tx_m = 0.2: must be in [0.5, 3000] m"));
    CHECK_THAT(message([&] { itm_p2p(pfl, 10.0, 4000.0, ok, tls); }), Catch::Contains("h_rx_m = 4000"));
    CHECK_THAT(with([](ItmParams& p) { p.climate = 8; }), Catch::Contains("climate = 8: must be an integer in [1, 7]"));
    CHECK_THAT(with([](ItmParams& p) { p.n0 = 200.0; }), Catch::Contains("n0 = 200: must be in [250, 400]"));
    CHECK_THAT(with([](ItmParams& p) { p.f_mhz = 10.0; }), Catch::Contains("f_mhz = 10: must be in [20, 20000] MHz"));
    CHECK_THAT(with([](ItmParams& p) { p.f_mhz = 30000.0; }), Catch::Contains("not defined above 20 GHz"));
    CHECK_THAT(with([](ItmParams& p) { p.epsilon = 0.5; }), Catch::Contains("epsilon = 0.5: must be >= 1"));
    CHECK_THAT(with([](ItmParams& p) { p.sigma_s_per_m = 0.0; }), Catch::Contains("sigma_s_per_m = 0: must be > 0"));
    CHECK_THAT(with([](ItmParams& p) { p.mdvar = 5; }), Catch::Contains("mdvar = 5"));
    CHECK_THAT(message([&] { itm_p2p(pfl, 10.0, 2.0, ok, {0.0, 50.0, 50.0}); }), Catch::Contains("time_pct = 0"));
    CHECK_THAT(message([&] { itm_p2p(pfl, 10.0, 2.0, ok, {50.0, 100.0, 50.0}); }), Catch::Contains("location_pct = 100"));
    CHECK_THAT(message([&] { itm_p2p(pfl, 10.0, 2.0, ok, itm_confidence_reliability(120.0, 50.0)); }),
               Catch::Contains("confidence_pct = 120"));
    CHECK_THAT(message([&] { itm_p2p(pfl, 10.0, 2.0, ok, itm_confidence_reliability(50.0, 0.0)); }),
               Catch::Contains("reliability_pct = 0"));
    ItmAreaInput area{10.0, 2.0, ItmSiting::random, ItmSiting::random, 0.0, 10.0};
    CHECK_THAT(message([&] { itm_area(area, ok, tls); }), Catch::Contains("d_km = 0: must be > 0 km"));
    area.d_km = 10.0;
    area.delta_h_m = -1.0;
    CHECK_THAT(message([&] { itm_area(area, ok, tls); }), Catch::Contains("delta_h_m = -1"));

    // allow_out_of_range extrapolates above 20 GHz with NTIA's frequency warning; the caller flags the rest.
    ItmParams high = ok;
    high.f_mhz = 30000.0;
    high.allow_out_of_range = true;
    const ItmResult r = itm_p2p(pfl, 10.0, 2.0, high, tls);
    CHECK(std::isfinite(r.loss_db));
    CHECK((r.warnings & itm_warning::frequency) != 0);
}
