// Fuzz target: the terrain profile reader of `dxplan loss --profile` (CSV distance_m,elevation_m[,clutter_m]
// or ITM pfl), then ITM over the profile read. The reader lives in tools/cmd_loss.cpp (an unnamed namespace,
// for now), so this file compiles that translation unit into itself; when the reader moves into a library,
// call the library function here instead.
#include "tools/cmd_loss.cpp"  // NOLINT(bugprone-suspicious-include): reaches read_profile()
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

void profile(Bytes data) {
    const cli::ProfileFile file = cli::read_profile(write_input(data, "profile.txt").string());
    // The profile as `dxplan loss --model itm --freq-mhz 920 --tx-height-m 30 --rx-height-m 1.5` uses it.
    prop::LossQuery q;
    q.f_mhz = 920.0;
    q.h_tx_m = 30.0;
    q.h_rx_m = 1.5;
    q.profile = file.profile;
    q.clutter_m = file.clutter_m;
    q.d_m = file.profile.length_m();
    q.enforce_ranges = true;
    const prop::LossResult r = prop::compute_loss(prop::find_model("itm"), q);
    (void)r;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(profile)
