// ITU-R P.1812-7 against the 63 reference cases of ../shared/validation/p1812 (ITU-R WP 3K reference
// implementation): each validation_results/<profile>_<k>.csv lists the inputs and every intermediate value;
// the profile (distance, height, clutter code, clutter height, radio-climatic zone) is read from
// validation_profiles/<profile>.csv. Lb and every intermediate are checked to 1e-3 (dB for losses, and the
// quantity's own unit - km, m, mrad, deg, % - for the geometry).
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
#include "models/propagation/p1812.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

namespace fs = std::filesystem;
using dxplan::prop::itur::Zone;
namespace p1812 = dxplan::prop::p1812;

namespace {

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) out.push_back(cell);
    return out;
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

struct ProfileFile {
    std::vector<double> d_km, h_m, r_m;
    std::vector<Zone> zones;
};

ProfileFile read_profile(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::string line;
    while (std::getline(in, line) && line.rfind("{Begin of Profile}", 0) != 0) {
    }
    REQUIRE(std::getline(in, line));
    const auto head = split_csv(line);
    REQUIRE(head.size() >= 2);
    REQUIRE(trim(head[0]) == "Number of Points:");
    const std::size_t n = std::stoul(head[1]);
    ProfileFile p;
    for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(std::getline(in, line));
        const auto c = split_csv(line);
        REQUIRE(c.size() >= 5);
        p.d_km.push_back(std::stod(c[0]));
        p.h_m.push_back(std::stod(c[1]));
        p.r_m.push_back(std::stod(c[3]));  // column 2 is the clutter (coverage) code, 3 its height
        p.zones.push_back(static_cast<Zone>(std::stoi(c[4])));
    }
    return p;
}

// Key "label|ref" -> value; labels and refs trimmed.
std::map<std::string, double> read_results(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::map<std::string, double> kv;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto c = split_csv(line);
        if (c.size() < 4 || trim(c[0]).empty() || trim(c[3]).empty()) continue;
        kv[trim(c[0]) + "|" + trim(c[1])] = std::stod(c[3]);
    }
    return kv;
}

double get(const std::map<std::string, double>& kv, const std::string& key) {
    const auto it = kv.find(key);
    if (it == kv.end()) FAIL("missing key '" << key << "'");
    return it->second;
}

}  // namespace

TEST_CASE("P.1812-7 reference cases: Lb and every intermediate", "[validation][p1812]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: P.1812 cases not checked");
    const fs::path dir = dxplan::test::validation_dir() / "p1812";
    std::vector<fs::path> cases;
    for (const auto& e : fs::directory_iterator(dir / "validation_results"))
        if (e.path().extension() == ".csv" && e.path().stem() != "combined_results") cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());

    std::size_t checked_cases = 0;
    std::size_t checked_values = 0;
    double max_err = 0.0;
    for (const auto& rp : cases) {
        const std::string stem = rp.stem().string();
        const std::string profile_name = stem.substr(0, stem.rfind('_'));
        INFO("case " << stem);
        const ProfileFile prof = read_profile(dir / "validation_profiles" / (profile_name + ".csv"));
        const auto kv = read_results(rp);

        p1812::Input in;
        in.d_km = prof.d_km;
        in.h_m = prof.h_m;
        in.clutter_m = prof.r_m;
        in.zones = prof.zones;
        in.f_ghz = get(kv, "f (GHz)|");
        in.p_pct = get(kv, "p (%)|");
        in.pl_pct = get(kv, "pL (%)|");
        in.sigma_l_db = get(kv, "sigmaL (dB)|");
        in.lat_t_deg = get(kv, "phi_t (deg)|");
        in.lat_r_deg = get(kv, "phi_r (deg)|");
        in.lon_t_deg = get(kv, "lam_t (deg)|");
        in.lon_r_deg = get(kv, "lam_r (deg)|");
        in.h_tg_m = get(kv, "htg (m)|");
        in.h_rg_m = get(kv, "hrg (m)|");
        in.pol = get(kv, "pol|") == 1.0 ? dxplan::prop::Polarization::horizontal : dxplan::prop::Polarization::vertical;
        in.delta_n = get(kv, "DN|");
        in.n0 = get(kv, "N0|");
        in.dct_km = get(kv, "dct (km)|");
        in.dcr_km = get(kv, "dcr (km)|");
        in.ptx_kw = get(kv, "Ptx (kW)|");
        const p1812::Result r = p1812::predict(in);

        const std::vector<std::pair<std::string, double>> expected_vs_got = {
            {"d (km)|", r.d_km},
            {"dlt (km)|Eq (78)", r.dlt_km},
            {"dlr (km)|Eq (81a)", r.dlr_km},
            {"th_t (mrad)|Eqs (76-78)", r.theta_t_mrad},
            {"th_r (mrad)|Eqs (79-81)", r.theta_r_mrad},
            {"th (mrad)|Eq (82)", r.theta_mrad},
            {"hts (m)|", r.hts_m},
            {"hrs (m)|", r.hrs_m},
            {"htc (m)|Table 5", r.htc_m},
            {"hrc (m)|Table 5", r.hrc_m},
            {"w|Table 5", r.omega},
            {"dtm (km)|Sec 3.6", r.dtm_km},
            {"dlm (km)|Sec 3.6", r.dlm_km},
            {"phi (deg)|Eq (4)", r.phi_path_deg},
            {"b0 (%)|Eq (5)", r.beta0_pct},
            {"ae (km)|Eq (7a)", r.ae_km},
            {"hst (m)|Eq (85)", r.hst_raw_m},
            {"hsr (m)|Eq (86)", r.hsr_raw_m},
            {"hst (m)|Eq (90a)", r.hst_m},
            {"hsr (m)|Eq (90b)", r.hsr_m},
            {"hstd (m)|Eq (89)", r.hstd_m},
            {"hsrd (m)|Eq (89)", r.hsrd_m},
            {"htc' (m)|Eq (37a)", r.htc_m - r.hstd_m},
            {"hrc' (m)|Eq (37b)", r.hrc_m - r.hsrd_m},
            {"hte (m)|Eq (92a)", r.hte_m},
            {"hre (m)|Eq (92b)", r.hre_m},
            {"hm (m)|Eq (93)", r.hm_m},
            {"Fi|Eq (40)", r.fi},
            {"Fj|Eq (57)", r.fj},
            {"Fk|Eq (58)", r.fk},
            {"Lbfs|Eq (8)", r.lbfs_db},
            {"Lb0p|Eq (10)", r.lb0p_db},
            {"Lb0b|Eq (11)", r.lb0b_db},
            {"Lbulla (dB)|Eq (21)", r.lbulla_db},
            {"Lbulls (dB)|Eq (21)", r.lbulls_db},
            {"Ldsph (dB)|Eq (27)", r.ldsph_db},
            {"Ld50 (dB)|Eq (39)", r.ld50_db},
            {"Ldb (dB)|Eq (39)", r.ldb_db},
            {"Ldp (dB)|Eq (41)", r.ldp_db},
            {"Lbd50 (dB)|Eq (42)", r.lbd50_db},
            {"Lbd (dB)|Eq (43)", r.lbd_db},
            {"Lminb0p (dB)|Eq (59)", r.lminb0p_db},
            {"Lba (dB)|Eq (46)", r.lba_db},
            {"Lminbap (dB)|Eq (60)", r.lminbap_db},
            {"Lbda (dB)|Eq (61)", r.lbda_db},
            {"Lbam (dB)|Eq (62)", r.lbam_db},
            {"Lbs (dB)|Eq (44)", r.lbs_db},
            {"Lbc (dB)|Eq (63)", r.lbc_db},
            {"Lb (dB)|Eq (69)", r.lb_db},
            {"Ep (dBuV/m)|Eq (70)", r.ep_dbuv_m},
            {"Ep (dBuV/m) w.r.t. Ptx|", r.ep_ptx_dbuv_m},
        };
        bool all_ok = true;
        for (const auto& [key, got] : expected_vs_got) {
            const double want = get(kv, key);
            INFO(key << ": expected " << want << ", got " << got);
            max_err = std::max(max_err, std::abs(got - want));
            const bool ok = std::abs(got - want) <= 1e-3;  // 1e-3 dB (or km, m, mrad, deg, %)
            CHECK(ok);
            all_ok = all_ok && ok;
            ++checked_values;
        }
        if (all_ok) ++checked_cases;
    }
    std::cout << "P.1812-7: " << checked_cases << " of " << cases.size() << " cases pass (" << checked_values
              << " values checked, tolerance 1e-3 dB, largest deviation " << max_err << ")\n";
    REQUIRE(cases.size() == 63);
    REQUIRE(checked_cases == 63);
}

TEST_CASE("P.1812-7 validity ranges warn, or throw with enforce_ranges", "[p1812]") {
    const std::vector<double> d_km = {0.0, 5.0, 10.0, 15.0, 20.0};
    const std::vector<double> h_m = {100.0, 120.0, 150.0, 110.0, 90.0};
    p1812::Input in;
    in.d_km = d_km;
    in.h_m = h_m;
    in.f_ghz = 0.9;
    in.p_pct = 10.0;
    in.h_tg_m = 30.0;
    in.h_rg_m = 10.0;
    in.phi_path_deg = 36.0;
    const auto ok = p1812::predict(in);
    CHECK(ok.warnings.empty());
    CHECK(std::isfinite(ok.lb_db));

    in.f_ghz = 8.0;
    const auto warned = p1812::predict(in);
    REQUIRE(warned.warnings.size() == 1);
    CHECK(warned.warnings[0] == "frequency_out_of_range");
    in.enforce_ranges = true;
    CHECK_THROWS_AS(p1812::predict(in), dxplan::InputError);

    in.enforce_ranges = false;
    in.f_ghz = 0.9;
    in.p_pct = 60.0;  // the method is not defined above 50 %
    CHECK_THROWS_AS(p1812::predict(in), dxplan::InputError);
    in.p_pct = 10.0;
    const std::vector<double> short_h = {100.0, 120.0};
    in.h_m = short_h;
    CHECK_THROWS_AS(p1812::predict(in), dxplan::InputError);
}

TEST_CASE("P.1812-7 through the registry (uniform profile, inland, defaults)", "[p1812]") {
    std::vector<double> z(201);
    for (std::size_t i = 0; i < z.size(); ++i) z[i] = 200.0 + 150.0 * std::sin(static_cast<double>(i) / 15.0);
    dxplan::prop::LossQuery q;
    q.f_mhz = 900.0;
    q.h_tx_m = 30.0;
    q.h_rx_m = 1.5;
    q.profile = dxplan::ProfileView(100.0, z);
    q.d_m = q.profile.length_m();
    q.time_pct = 10.0;
    q.lat_deg = 35.5;
    const auto& model = dxplan::prop::find_model("p1812");
    const auto r = dxplan::prop::compute_loss(model, q);
    CHECK(r.warnings.empty());

    // Same as calling the typed function with the documented adapter defaults.
    std::vector<double> d_km(z.size());
    for (std::size_t i = 0; i < d_km.size(); ++i) d_km[i] = 0.1 * static_cast<double>(i);
    p1812::Input in;
    in.d_km = d_km;
    in.h_m = z;
    in.f_ghz = 0.9;
    in.p_pct = 10.0;
    in.h_tg_m = 30.0;
    in.h_rg_m = 1.5;
    in.phi_path_deg = 35.5;
    CHECK(r.loss_db == Approx(p1812::predict(in).lb_db).margin(1e-9));  // identical computation

    q.f_mhz = 8000.0;
    CHECK(dxplan::prop::compute_loss(model, q).warnings == std::vector<std::string>{"frequency_out_of_range"});
    q.enforce_ranges = true;
    CHECK_THROWS_AS(dxplan::prop::compute_loss(model, q), dxplan::InputError);
    q.enforce_ranges = false;
    q.f_mhz = 900.0;
    q.time_pct = 60.0;
    CHECK_THROWS_AS(dxplan::prop::compute_loss(model, q), dxplan::InputError);
}
