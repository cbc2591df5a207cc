// TR 38.901 with the condition from the terrain profile (registry `tr38901-umi-terrain`, `tr38901-rma-terrain`).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/propagation/model.hpp"
#include "models/propagation/tr38901.hpp"

using namespace dxplan::prop;

TEST_CASE("tr38901-umi-terrain: LOS formula over a clear profile, NLOS behind a ridge, frequency range in the registry") {
    const ModelInfo& m = find_model("tr38901-umi-terrain");
    CHECK(m.needs_profile);
    CHECK(m.f_min_mhz == 500.0);
    CHECK(m.f_max_mhz == 100000.0);
    CHECK(find_model("itm").f_max_mhz == 20000.0);
    CHECK(frequency_range_text(find_model("itm")) == "20-20000 MHz");
    // 500 m over 51 points at 10 m: flat at 100 m, 10 m mast, 1.5 m receiver.
    std::vector<double> z(51, 100.0);
    LossQuery q;
    q.f_mhz = 28000.0;
    q.h_tx_m = 10.0;
    q.h_rx_m = 1.5;
    q.profile = dxplan::ProfileView(10.0, z);
    q.d_m = 500.0;
    const LossResult clear = compute_loss(m, q);
    CHECK(clear.mode == "los");
    // TR 38.901 Table 7.4.1-1 UMi LOS below the breakpoint (d'BP = 4 x 9 x 0.5 x 28e9 / 3e8 = 1680 m):
    // PL1 = 32.4 + 21 log10(d3D) + 20 log10(fc), d3D = sqrt(500^2 + 8.5^2) = 500.072 m: 32.4 + 56.68 + 28.94 = 118.02 dB
    const double d3d = std::sqrt(500.0 * 500.0 + 8.5 * 8.5);
    CHECK(clear.loss_db == Approx(32.4 + 21.0 * std::log10(d3d) + 20.0 * std::log10(28.0)).margin(1e-9));
    // A 12 m ridge at 250 m: the antenna-to-antenna line is at 100 + 1.5 + 8.5 x 250 / 500 = 105.75 m there.
    z[25] = 112.0;
    const LossResult blocked = compute_loss(m, q);
    CHECK(blocked.mode == "nlos");
    CHECK(blocked.loss_db > clear.loss_db + 10.0);  // PL'_NLOS = 35.3 log d3D + 22.4 + 21.3 log fc = 148.5 dB
    // Just below the line (105.7 m with the earth bulge 250 x 250 / (2 x 8.495e6) = 3.7 mm): still clear.
    z[25] = 105.7;
    CHECK(compute_loss(m, q).mode == "los");
}
