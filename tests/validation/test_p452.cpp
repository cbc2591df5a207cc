// ITU-R P.452-18 and P.452-17 against the reference vectors in ../shared/validation/p452 (see SOURCES.md):
//   p452/profiles + p452/results: 595 cases on 17 profiles (P.452-18, eeveetza/p452, approved by WP 3M);
//   p452/v17/validation_examples: 280 cases on 8 profiles (P.452-17, crc-covlib).
// Each results row is one case; its "profile" column names the profile file. DeltaN and N0, which the
// reference reads from the P.452 digital maps at the path centre, are taken from the row (-18 lists them
// among its outputs, -17 among its inputs).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "libsim/core/error.hpp"
#include "models/propagation/model.hpp"
#include "models/propagation/p452.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

namespace {

namespace fs = std::filesystem;
namespace p452 = dxplan::prop::p452;

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
        while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\r')) cell.pop_back();
        while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
        out.push_back(cell);
    }
    return out;
}

struct Table {
    std::map<std::string, std::size_t> col;  // header name -> index
    std::vector<std::vector<std::string>> rows;
    [[nodiscard]] double num(std::size_t r, const std::string& name) const { return std::stod(rows[r].at(col.at(name))); }
    [[nodiscard]] const std::string& str(std::size_t r, const std::string& name) const { return rows[r].at(col.at(name)); }
};

Table read_table(const fs::path& file) {
    std::ifstream is(file);
    REQUIRE(is.good());
    Table t;
    std::string line;
    std::getline(is, line);
    const auto head = split_csv(line);
    for (std::size_t i = 0; i < head.size(); ++i) t.col[head[i]] = i;
    while (std::getline(is, line))
        if (line.find_first_not_of(" \r,") != std::string::npos) t.rows.push_back(split_csv(line));
    return t;
}

struct ProfileData {
    std::vector<double> d_km, h_m, clutter_m;
    std::vector<p452::Zone> zone;
};

// Columns: d (km), h (m), [clutter height (m)], zone letter (A1 coastal land, A2 inland, B sea), zone code.
ProfileData read_profile(const fs::path& file, bool has_clutter) {
    const Table t = read_table(file);
    ProfileData p;
    const std::size_t zcol = has_clutter ? 3 : 2;
    for (const auto& row : t.rows) {
        p.d_km.push_back(std::stod(row.at(0)));
        p.h_m.push_back(std::stod(row.at(1)));
        if (has_clutter) p.clutter_m.push_back(std::stod(row.at(2)));
        const std::string& z = row.at(zcol);
        p.zone.push_back(z == "B" ? p452::Zone::sea : z == "A1" ? p452::Zone::coastal_land : p452::Zone::inland);
    }
    return p;
}

std::vector<fs::path> csv_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".csv") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

struct MaxError {
    double max_abs = 0.0;
    void add(double e) { max_abs = std::max(max_abs, std::abs(e)); }
};

}  // namespace

TEST_CASE("P.452-18: 595 reference cases, Lb and every component within 0.001 dB", "[validation][p452]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: P.452-18 validation skipped");
    const fs::path base = dxplan::test::validation_dir() / "p452";
    constexpr double kTolDb = 1e-3;       // dB, on Lb and each loss component
    constexpr double kTolGeom = 1.5e-6;   // reference intermediates are printed with 6 decimals (km, m, mrad, %)
    std::size_t rows_in_files = 0, checked = 0;
    std::map<std::string, MaxError> err;
    for (const auto& res_file : csv_files(base / "results")) {
        const Table t = read_table(res_file);
        rows_in_files += t.rows.size();
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            // The profile is the one named like the results file (test_result_X.csv -> test_profile_X.csv):
            // test_result_b2iseac_land_eqdist_no_clutter.csv names the sea-path profile in its "profile"
            // column, but its expected values (omega = 0, dtm = dlm = 235.1 km) are those of the land profile.
            const std::string prof_name = "test_profile_" + res_file.filename().string().substr(12);
            const ProfileData prof = read_profile(base / "profiles" / prof_name, true);
            p452::Input in;
            in.edition = p452::Edition::rev18;
            in.f_ghz = t.num(r, "f (GHz)");
            in.p_pct = t.num(r, "p (%)");
            in.d_km = prof.d_km;
            in.h_m = prof.h_m;
            in.clutter_m = prof.clutter_m;
            in.zone = prof.zone;
            in.htg_m = t.num(r, "htg (m)");
            in.hrg_m = t.num(r, "hrg (m)");
            // Path centre: the point at dtot / 2 along the great circle from the interferer (P.2001-4 Att. H).
            in.lat_centre_deg = dxplan::prop::itur::great_circle_point_lat_deg(
                t.num(r, "phit_n (deg)"), t.num(r, "phit_e (deg)"), t.num(r, "phir_n (deg)"), t.num(r, "phir_e (deg)"),
                prof.d_km.back() / 2.0);
            in.gt_dbi = t.num(r, "Gt (dBi)");
            in.gr_dbi = t.num(r, "Gr (dBi)");
            in.pol = t.num(r, "pol (1-h/2-v)") == 1.0 ? dxplan::prop::Polarization::horizontal
                                                      : dxplan::prop::Polarization::vertical;
            in.dct_km = t.num(r, "dct (km)");
            in.dcr_km = t.num(r, "dcr (km)");
            in.pressure_hpa = t.num(r, "press (hPa)");
            in.temp_c = t.num(r, "temp (deg C)");
            in.dn_n_per_km = t.num(r, "DN");
            in.n0_n = t.num(r, "N0");
            const p452::Result out = p452::basic_transmission_loss(in);
            INFO(res_file.filename().string() << " row " << r + 1 << " f=" << in.f_ghz << " GHz p=" << in.p_pct << " %");

            const std::pair<const char*, double> losses[] = {
                {"Lb", out.lb_db},       {"Lbfsg", out.lbfsg_db}, {"Lb0p", out.lb0p_db},
                {"Lb0b", out.lb0b_db},   {"Ldsph", out.ldsph_db}, {"Ld50", out.ld50_db},
                {"Ldp", out.ldp_db},     {"Lbs", out.lbs_db},     {"Lba", out.lba_db}};
            for (const auto& [name, got] : losses) {
                INFO(name);
                err[name].add(got - t.num(r, name));
                CHECK(got == Approx(t.num(r, name)).margin(kTolDb));  // 0.001 dB
            }
            const std::pair<const char*, double> geom[] = {
                {"ae", out.ae_km},          {"dtot", out.dtot_km},     {"hts", out.hts_m},
                {"hrs", out.hrs_m},         {"theta_t", out.theta_t_mrad}, {"theta_r", out.theta_r_mrad},
                {"theta", out.theta_mrad},  {"hm", out.hm_m},          {"hte", out.hte_m},
                {"hre", out.hre_m},         {"hstd", out.hstd_m},      {"hsrd", out.hsrd_m},
                {"dlt", out.dlt_km},        {"dlr", out.dlr_km},       {"dtm", out.dtm_km},
                {"dlm", out.dlm_km},        {"b0", out.b0_pct},        {"omega", out.omega}};
            for (const auto& [name, got] : geom) {
                INFO(name);
                err[name].add(got - t.num(r, name));
                CHECK(got == Approx(t.num(r, name)).margin(kTolGeom * std::max(1.0, std::abs(t.num(r, name)))));
            }
            CHECK(out.line_of_sight == (t.str(r, "path") == "Line of Sight"));
            ++checked;
        }
    }
    std::cout << "P.452-18: " << checked << " of " << rows_in_files << " cases checked (Lb and 8 components at 0.001 dB)\n";
    for (const auto& [name, e] : err) std::cout << "  max |error| " << name << " = " << e.max_abs << "\n";
    REQUIRE(checked == rows_in_files);
    REQUIRE(checked == 595);
}

TEST_CASE("P.452-17: 280 reference cases, Lb within 0.001 dB", "[validation][p452]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: P.452-17 validation skipped");
    const fs::path base = dxplan::test::validation_dir() / "p452" / "v17" / "validation_examples";
    constexpr double kTolDb = 1e-3;  // dB, on Lb
    std::size_t rows_in_files = 0, checked = 0;
    MaxError lb_err;
    for (const auto& res_file : csv_files(base / "results")) {
        const Table t = read_table(res_file);
        rows_in_files += t.rows.size();
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const ProfileData prof = read_profile(base / "profiles" / t.str(r, "profile"), false);
            p452::Input in;
            in.edition = p452::Edition::rev17;
            in.f_ghz = t.num(r, "f (GHz)");
            in.p_pct = t.num(r, "p (%)");
            in.d_km = prof.d_km;
            in.h_m = prof.h_m;
            in.zone = prof.zone;
            in.htg_m = t.num(r, "htg (m)");
            in.hrg_m = t.num(r, "hrg (m)");
            in.lat_centre_deg = t.num(r, "phi_path (deg)");
            in.gt_dbi = t.num(r, "Gt (dBi)");
            in.gr_dbi = t.num(r, "Gr (dBi)");
            in.pol = t.num(r, "pol (1-h/2-v)") == 1.0 ? dxplan::prop::Polarization::horizontal
                                                      : dxplan::prop::Polarization::vertical;
            in.dct_km = t.num(r, "dct (km)");
            in.dcr_km = t.num(r, "dcr (km)");
            in.dn_n_per_km = t.num(r, "DN (N-units/km)");
            in.n0_n = t.num(r, "N0 (N-units)");
            in.pressure_hpa = t.num(r, "press (hPa)");
            in.temp_c = t.num(r, "temp (deg C)");
            in.ha_t_m = t.num(r, "ha_t (m)");
            in.ha_r_m = t.num(r, "ha_r (m)");
            in.dk_t_km = t.num(r, "dk_t (km)");
            in.dk_r_km = t.num(r, "dk_r (km)");
            const p452::Result out = p452::basic_transmission_loss(in);
            INFO(res_file.filename().string() << " row " << r + 1 << " f=" << in.f_ghz << " GHz p=" << in.p_pct << " %");
            lb_err.add(out.lb_db - t.num(r, "Lb"));
            CHECK(out.lb_db == Approx(t.num(r, "Lb")).margin(kTolDb));  // 0.001 dB
            ++checked;
        }
    }
    std::cout << "P.452-17: " << checked << " of " << rows_in_files << " cases checked (Lb at 0.001 dB), max |error| "
              << lb_err.max_abs << " dB\n";
    REQUIRE(checked == rows_in_files);
    REQUIRE(checked == 280);
}

TEST_CASE("P.452 registry adapters, validity warnings and input errors", "[validation][p452]") {
    using dxplan::prop::LossQuery;
    const std::vector<double> z_m(501, 0.0);  // 5 km flat profile, 10 m spacing
    LossQuery q;
    q.f_mhz = 2000.0;
    q.h_tx_m = 10.0;
    q.h_rx_m = 10.0;
    q.profile = dxplan::ProfileView(10.0, z_m);
    q.time_pct = 10.0;
    q.lat_deg = 51.0;
    for (const char* name : {"p452", "p452-17"}) {
        INFO(name);
        const auto& model = dxplan::prop::find_model(name);
        const auto r = dxplan::prop::compute_loss(model, q);
        // Same answer as the typed call with the adapter's documented defaults.
        std::vector<double> d_km(z_m.size());
        for (std::size_t i = 0; i < d_km.size(); ++i) d_km[i] = 0.01 * static_cast<double>(i);
        p452::Input in;
        in.edition = std::string(name) == "p452" ? p452::Edition::rev18 : p452::Edition::rev17;
        in.f_ghz = 2.0;
        in.p_pct = 10.0;
        in.d_km = d_km;
        in.h_m = z_m;
        in.htg_m = in.hrg_m = 10.0;
        in.lat_centre_deg = 51.0;
        in.dn_n_per_km = 45.0;
        in.n0_n = 325.0;
        CHECK(r.loss_db == Approx(p452::basic_transmission_loss(in).lb_db).margin(1e-9));  // dB, identical path
        CHECK(r.mode == "line_of_sight");
        CHECK(r.warnings.empty());

        LossQuery out_of_range = q;
        out_of_range.f_mhz = 60000.0;  // 60 GHz > 50 GHz
        out_of_range.time_pct = 60.0;  // > 50 %
        const auto w = dxplan::prop::compute_loss(model, out_of_range).warnings;
        CHECK(std::find(w.begin(), w.end(), "frequency_out_of_range") != w.end());
        CHECK(std::find(w.begin(), w.end(), "time_percentage_out_of_range") != w.end());
        out_of_range.enforce_ranges = true;
        CHECK_THROWS_AS(dxplan::prop::compute_loss(model, out_of_range), dxplan::InputError);

        LossQuery too_short = q;
        const std::vector<double> three(3, 0.0);
        too_short.profile = dxplan::ProfileView(10.0, three);
        CHECK_THROWS_AS(dxplan::prop::compute_loss(model, too_short), dxplan::InputError);
    }
}
