// Unit tests of the statistical / empirical models with hand calculations shown (validation against
// published data sets is in tests/validation).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/model.hpp"
#include "models/propagation/p676.hpp"
#include "models/propagation/p833.hpp"
#include "models/propagation/tr38901.hpp"
#include "models/propagation/two_ray.hpp"
#include "models/propagation/weissberger.hpp"

using namespace dxplan::prop;

namespace {
bool has(const std::vector<std::string>& w, const std::string& s) { return std::find(w.begin(), w.end(), s) != w.end(); }
}  // namespace

TEST_CASE("two-ray: Fresnel coefficients at near-normal incidence", "[two-ray]") {
    // psi ~ 90 deg, lossless ground eps_r = 4:
    //   Gamma_h = (1 - sqrt(4)) / (1 + sqrt(4)) = -1/3,  Gamma_v = (4 - sqrt(4)) / (4 + sqrt(4)) = +1/3
    TwoRayInput in{900.0, 0.001, 10.0, 10.0, Polarization::horizontal, 4.0, 0.0};
    CHECK(two_ray_loss(in).gamma_magnitude == Approx(1.0 / 3.0).margin(1e-6));
    CHECK(std::abs(two_ray_loss(in).gamma_phase_deg) == Approx(180.0).margin(1e-3));
    in.polarization = Polarization::vertical;
    CHECK(two_ray_loss(in).gamma_magnitude == Approx(1.0 / 3.0).margin(1e-6));
    CHECK(two_ray_loss(in).gamma_phase_deg == Approx(0.0).margin(1e-3));
}

TEST_CASE("two-ray: far field tends to the d^4 law over a perfectly reflecting ground", "[two-ray]") {
    // f = 900 MHz (lambda = 0.33310 m), ht = 30 m, hr = 1.5 m, d = 20 km, Gamma_h ~ -1 (eps_r = 1e6):
    //   path difference r2 - r1 ~ 2 ht hr / d = 90 / 20000 = 0.0045 m, phase k (r2 - r1) = 0.08488 rad,
    //   |1/r1 - exp(-j phi)/r2| ~ 2 sin(phi/2) / d  ->  L = -20 log(lambda / (4 pi d) * 0.08488) = 138.98 dB
    //   d^4 law: 40 log 20000 - 20 log 30 - 20 log 1.5 = 172.04 - 29.54 - 3.52 = 138.977 dB
    TwoRayInput in{900.0, 20000.0, 30.0, 1.5, Polarization::horizontal, 1e6, 0.0};
    const TwoRayResult r = two_ray_loss(in);
    CHECK(r.loss_far_field_db == Approx(138.977).margin(0.001));  // 0.001 dB
    CHECK(r.loss_db == Approx(138.980).margin(0.005));            // 0.005 dB
    // crossover 4 pi ht hr / lambda = 4 pi 45 / 0.333103 = 1697.63 m
    CHECK(r.d_crossover_m == Approx(1697.63).margin(0.01));
    CHECK(r.warnings.empty());
    in.d_m = 500.0;  // inside the crossover distance: the d^4 form is flagged
    CHECK(has(two_ray_loss(in).warnings, "inside_crossover_distance_far_field_form_invalid"));
    in.h_rx_m = 0.0;
    CHECK_THROWS_AS(two_ray_loss(in), dxplan::InputError);
}

TEST_CASE("P.833 woodland excess loss", "[p833]") {
    // f = 900 MHz: A_m = 0.18 * 900^0.752 = 0.18 * 166.57 = 29.98 dB (eq. (2))
    // gamma = 0.2 dB/m, d = 50 m: A = 29.98 * (1 - exp(-50 * 0.2 / 29.98)) = 29.98 * 0.28362 = 8.503 dB (eq. (1))
    P833WoodlandInput in{900.0, 50.0, 0.2, std::nullopt};
    const P833Result r = p833_woodland_loss(in);
    CHECK(r.a_max_db == Approx(29.982).margin(0.001));
    CHECK(r.loss_db == Approx(8.503).margin(0.001));
    // very short path: A ~ gamma d; very deep woodland: A -> A_m
    in.d_vegetation_m = 0.5;
    CHECK(p833_woodland_loss(in).loss_db == Approx(0.1).margin(0.001));
    in.d_vegetation_m = 5000.0;
    CHECK(p833_woodland_loss(in).loss_db == Approx(29.982).margin(0.001));
    in.a_max_db = 20.0;  // a measured A_m overrides eq. (2)
    CHECK(p833_woodland_loss(in).loss_db == Approx(20.0).margin(1e-9));
    in.f_mhz = 10.0;
    CHECK(has(p833_woodland_loss(in).warnings, "frequency_out_of_range"));
    in.gamma_db_per_m = 0.0;
    CHECK_THROWS_AS(p833_woodland_loss(in), dxplan::InputError);
}

TEST_CASE("Weissberger foliage loss", "[weissberger]") {
    // f = 2 GHz: f^0.284 = 1.21757
    // d = 10 m (<= 14 m): L = 0.45 * 1.21757 * 10 = 5.479 dB
    // d = 100 m: L = 1.33 * 1.21757 * 100^0.588 = 1.33 * 1.21757 * 14.997 = 24.285 dB
    CHECK(weissberger_loss(2.0, 10.0).loss_db == Approx(5.479).margin(0.001));
    CHECK(weissberger_loss(2.0, 100.0).loss_db == Approx(24.285).margin(0.001));
    CHECK(weissberger_loss(2.0, 0.0).loss_db == 0.0);
    CHECK(has(weissberger_loss(2.0, 500.0).warnings, "foliage_depth_out_of_range"));
    CHECK(has(weissberger_loss(0.1, 10.0).warnings, "frequency_out_of_range"));
    CHECK_THROWS_AS(weissberger_loss(2.0, -1.0), dxplan::InputError);
}

TEST_CASE("TR 38.901 LOS probability and shadowing sigma", "[tr38901]") {
    // Table 7.4.2-1 RMa: exp(-(1010 - 10)/1000) = exp(-1) = 0.367879
    CHECK(tr38901_los_probability(Tr38901Scenario::rma, 1010.0, 1.5) == Approx(0.367879).margin(1e-6));
    // UMi: 18/100 + exp(-100/36) (1 - 18/100) = 0.18 + 0.062177 * 0.82 = 0.230985
    CHECK(tr38901_los_probability(Tr38901Scenario::umi_street_canyon, 100.0, 1.5) == Approx(0.230985).margin(1e-6));
    // UMa, hUT <= 13 m: 18/100 + exp(-100/63) (0.82) = 0.18 + 0.204476 * 0.82 = 0.347670
    CHECK(tr38901_los_probability(Tr38901Scenario::uma, 100.0, 1.5) == Approx(0.347670).margin(1e-6));
    CHECK(tr38901_los_probability(Tr38901Scenario::uma, 10.0, 1.5) == 1.0);
    Tr38901Input in;
    in.scenario = Tr38901Scenario::rma;
    in.f_ghz = 4.7;
    in.h_bs_m = 35.0;
    in.d_2d_m = 1000.0;
    in.los = false;
    const auto r = tr38901_loss(in);
    CHECK(r.sigma_sf_db == 8.0);
    CHECK(r.loss_db == std::max(r.loss_los_db, r.loss_nlos_prime_db));
    // dBP = 2 pi hBS hUT fc / c = 2 pi * 35 * 1.5 * 4.7e9 / 299792458 = 5171.4 m
    CHECK(r.d_bp_m == Approx(5171.4).margin(0.1));
    in.f_ghz = 40.0;  // RMa is specified up to 30 GHz
    CHECK(has(tr38901_loss(in).warnings, "frequency_out_of_range"));
}

TEST_CASE("registry: distance-based statistical models", "[registry]") {
    LossQuery q;
    q.f_mhz = 4700.0;
    q.d_m = 1000.0;
    q.h_tx_m = 35.0;
    q.h_rx_m = 1.5;
    const ModelInfo& rma = find_model("tr38901-rma");
    CHECK_FALSE(rma.needs_profile);
    q.condition = Condition::automatic;
    const LossResult automatic = compute_loss(rma, q);
    q.condition = Condition::nlos;
    const LossResult nlos = compute_loss(rma, q);
    q.condition = Condition::los;
    const LossResult los = compute_loss(rma, q);
    CHECK(automatic.loss_db == nlos.loss_db);  // automatic = NLOS formula = max(LOS, NLOS')
    CHECK(nlos.loss_db >= los.loss_db);
    CHECK(automatic.mode == "nlos");
    const auto sigma = std::find_if(nlos.intermediate.begin(), nlos.intermediate.end(),
                                    [](const auto& kv) { return kv.first == "sigma_sf_db"; });
    REQUIRE(sigma != nlos.intermediate.end());
    CHECK(sigma->second == 8.0);
    for (const char* name : {"tr38901-uma", "tr38901-umi", "hata-urban-large", "hata-urban-small", "hata-suburban",
                             "hata-open", "cost231-hata", "two-ray"}) {
        INFO(name);
        const ModelInfo& m = find_model(name);
        CHECK_FALSE(m.needs_profile);
        CHECK(std::isfinite(compute_loss(m, q).loss_db));
    }
    // Out-of-range inputs warn, and become errors with enforce_ranges.
    q.f_mhz = 900.0;
    q.h_tx_m = 30.0;
    q.d_m = 2000.0;
    q.enforce_ranges = false;
    CHECK(compute_loss(find_model("hata-urban-small"), q).warnings.empty());
    q.f_mhz = 4700.0;
    CHECK(has(compute_loss(find_model("hata-urban-small"), q).warnings, "frequency_out_of_range"));
    q.enforce_ranges = true;
    CHECK_THROWS_AS(compute_loss(find_model("hata-urban-small"), q), dxplan::InputError);
}

TEST_CASE("P.676 terrestrial path and input checks", "[p676]") {
    // Annex 1 sec. 2.1: A = gamma r0; standard atmosphere (1013.25 hPa, 288.15 K, 7.5 g/m3) at 60 GHz is
    // dominated by oxygen (about 15 dB/km), so 2 km cost about 30 dB.
    const P676Atmosphere std_atm{};
    const double gamma = p676_specific_attenuation(60.0, std_atm).gamma_db_per_km;
    CHECK(p676_terrestrial_attenuation_db(60.0, 2.0, std_atm) == Approx(2.0 * gamma).epsilon(1e-15));
    CHECK(gamma == Approx(14.78).margin(0.2));
    CHECK_THROWS_AS(p676_specific_attenuation(-1.0, std_atm), dxplan::InputError);
    CHECK(has(p676_specific_attenuation(0.5, std_atm).warnings, "frequency_out_of_range"));
}
