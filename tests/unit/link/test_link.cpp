// dxplan::link: technology profiles, regulatory checks, antennas and link budgets. The margins below are
// computed by hand in the comments (kT0 = -173.975 dBm/Hz, the core constant, i.e. the usual "-174").
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

#include "libsim/core/error.hpp"
#include "libsim/link/link.hpp"
#include "models/propagation/p838.hpp"

using namespace dxplan;
using namespace dxplan::link;

namespace {

const Mode& only_mode(const DirectionResult& r) {
    REQUIRE(r.mode() != nullptr);
    return *r.mode();
}

// A file of this exact name (profiles must be named after their file) in a private temporary folder.
std::filesystem::path temp_file(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / ("dxplan_test_link_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto p = dir / name;
    std::ofstream(p) << text;
    return p;
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("every technology profile loads and every value carries a source and a status") {
    const auto names = list_technologies();
    REQUIRE(names.size() >= 12);
    for (const char* required : {"local5g-n79-100mhz", "local5g-n257-100mhz", "halow-jp-1mhz", "halow-jp-2mhz", "halow-jp-4mhz",
                                 "wifi6e-lpi-20mhz", "wifi6e-vlp-80mhz", "wifi7-lpi-320mhz", "wifi5-w56-80mhz",
                                 "lorawan-as923-jp", "sigfox-rc3", "nbiot", "ltem"})
        CHECK(std::find(names.begin(), names.end(), required) != names.end());
    std::size_t values = 0;
    for (const auto& n : names) {
        INFO(n);
        const Technology t = load_technology(n);
        CHECK(t.name == n);
        CHECK(!t.provenance.empty());
        for (const auto& p : t.provenance) {
            INFO(p.field);
            CHECK(!p.source.empty());
            CHECK(p.source != "override");
        }
        CHECK(!t.downlink.modes.empty());
        CHECK(!t.uplink.modes.empty());
        values += t.provenance.size();
    }
    std::cout << "technology profiles checked: " << names.size() << ", sourced values/columns: " << values << "\n";
}

TEST_CASE("a profile value without a source, an unknown key or a bad status is rejected naming the field") {
    const auto src = default_technology_dir() / "halow-jp-1mhz.yaml";
    const std::string text = read_text(src);
    {
        std::string bad = text;
        const std::string from = "cable_loss_db: {value: 0, source: ENG, status: unsourced-estimate}";
        const auto at = bad.find(from);
        REQUIRE(at != std::string::npos);
        bad.replace(at, from.size(), "cable_loss_db: {value: 0}");
        const auto p = temp_file("halow-jp-1mhz.yaml", bad);
        CHECK_THROWS_WITH(load_technology_file(p), Catch::Contains("base.cable_loss_db") && Catch::Contains("source"));
        std::filesystem::remove(p);
    }
    {
        std::string bad = text;
        bad += "antenna_height_m: {value: 10, source: ENG, status: unsourced-estimate}\n";
        const auto p = temp_file("halow-jp-1mhz.yaml", bad);
        CHECK_THROWS_WITH(load_technology_file(p), Catch::Contains("antenna_height_m") && Catch::Contains("unknown key"));
        std::filesystem::remove(p);
    }
    {
        std::string bad = text;
        const auto at = bad.find("status: verified");
        bad.replace(at, 16, "status: trust-me");
        const auto p = temp_file("halow-jp-1mhz.yaml", bad);
        CHECK_THROWS_WITH(load_technology_file(p), Catch::Contains("trust-me") && Catch::Contains("quoted-not-rechecked"));
        std::filesystem::remove(p);
    }
    CHECK_THROWS_WITH(load_technology("halow-jp-3mhz"), Catch::Contains("halow-jp-1mhz"));
    CHECK_THROWS_WITH(load_technology("halow-jp-1mhz", {{"base.height_m", "10"}}), Catch::Contains("no such field"));
    CHECK_THROWS_WITH(load_technology("halow-jp-1mhz", {{"base.tx_power_dbm", "90"}}), Catch::Contains("[-30, 80]"));
}

TEST_CASE("HaLow 1 MHz MCS0 link at the Japanese EIRP limit") {
    const Technology t = load_technology("halow-jp-1mhz");
    // AP: 13 dBm (20 mW) + 3 dBi - 0 dB cable = 16 dBm EIRP = the ARIB STD-T108 limit. STA antenna 0 dBi.
    LinkConditions c;
    c.path_loss_db = 109.0;
    const LinkResult r = evaluate_link(t, c);
    const DirectionResult& dl = r.downlink;
    CHECK(dl.budget.eirp_dbm == Approx(16.0));
    CHECK(dl.budget.eirp_dbm == Approx(t.reg.max_eirp_dbm.value));
    // Rx = 16 + 0 - 109 = -93 dBm. MCS0 needs -95 dBm, MCS1 -92 dBm: MCS0, 2 dB above its threshold.
    CHECK(dl.rx_power_dbm == Approx(-93.0));
    CHECK(only_mode(dl).name == "MCS0");
    CHECK(dl.mode_margin_db == Approx(-93.0 - -95.0));
    // Link margin over the most robust mode, MCS10 (-98 dBm): -93 - (-98) = 5 dB; MAPL = 16 + 98 = 114 dB.
    CHECK(dl.margin_db == Approx(5.0));
    CHECK(dl.budget.mapl_db == Approx(114.0));
    // Noise: -173.975 + 10 log10(1e6) + 10 dB NF = -103.975 dBm, so SNR = -93 + 103.975 = 10.975 dB.
    CHECK(dl.snr_db == Approx(10.975));
    // MCS0 PHY 0.3 Mbit/s (24 x 0.5 / 40 us); application 0.3 x 0.6 MAC efficiency x 0.10 duty cycle = 0.018.
    CHECK(dl.phy_throughput_mbps == Approx(0.3));
    CHECK(dl.app_throughput_mbps == Approx(0.3 * 0.6 * 0.10));
    // Uplink: STA 13 dBm EIRP + AP 3 dBi - 109 = -93 dBm: the same margins.
    CHECK(r.uplink.margin_db == Approx(5.0));
    CHECK(r.ok());
}

TEST_CASE("an EIRP or PSD over the Japanese limit is rejected with the rule's name") {
    // 13 dBm + 4 dBi = 17 dBm > 16 dBm.
    CHECK_THROWS_WITH(load_technology("halow-jp-1mhz", {{"base.antenna_gain_dbi", "4"}}),
                      Catch::Contains("ARIB STD-T108") && Catch::Contains("EIRP 17.0 dBm > 16.0 dBm limit"));
    // 25 mW VLP: 12 dBm + 3 dBi = 15 dBm > 14 dBm.
    CHECK_THROWS_WITH(load_technology("wifi6e-vlp-80mhz", {{"base.tx_power_dbm", "12"}}),
                      Catch::Contains("6 GHz VLP") && Catch::Contains("EIRP 15.0 dBm > 14.0 dBm limit"));
    // VLP 20 MHz: 14 dBm EIRP is 0.99 dBm/MHz; 14 dBm over 10 MHz would be 4 dBm/MHz > 1 dBm/MHz.
    CHECK_THROWS_WITH(load_technology("wifi6e-vlp-20mhz", {{"channel.bandwidth_mhz", "10"}}),
                      Catch::Contains("EIRP density 4.0 dBm/MHz > 1.0 dBm/MHz limit"));
    // 20 mW antenna power.
    CHECK_THROWS_WITH(load_technology("lorawan-as923-jp", {{"terminal.tx_power_dbm", "14"}}),
                      Catch::Contains("ARIB STD-T108") && Catch::Contains("antenna power 14.0 dBm > 13.0 dBm limit"));
    // Indoor-only bands used outdoors.
    const Technology lpi = load_technology("wifi6e-lpi-20mhz");
    CHECK_THROWS_WITH(make_budget(lpi, Direction::downlink, {.outdoor = true}), Catch::Contains("indoor use only"));
    CHECK_NOTHROW(make_budget(lpi, Direction::downlink, {.outdoor = false}));
    const Technology n79_indoor = load_technology("local5g-n79-100mhz", {{"channel.f_center_mhz", "4700"}});
    CHECK_THROWS_WITH(make_budget(n79_indoor, Direction::downlink, {.outdoor = true}), Catch::Contains("4600-4800 MHz indoor"));
    // A channel outside the band.
    CHECK_THROWS_WITH(load_technology("halow-jp-4mhz", {{"channel.f_center_mhz", "927.5"}}), Catch::Contains("outside the band"));
}

TEST_CASE("LoRa SF12 link, spreading-factor choice and time on air") {
    const Technology t = load_technology("lorawan-as923-jp");
    LinkConditions c;
    c.path_loss_db = 160.0;
    const LinkResult r = evaluate_link(t, c);
    // Uplink: device 13 dBm + 0 dBi, gateway 6 dBi: Rx = 13 + 6 - 160 = -141 dBm. Gateway SF12 -142.5 dBm,
    // SF11 -140 dBm: SF12 with 1.5 dB margin. MAPL = 13 + 6 + 142.5 = 161.5 dB.
    CHECK(r.uplink.rx_power_dbm == Approx(-141.0));
    CHECK(only_mode(r.uplink).name == "SF12");
    CHECK(only_mode(r.uplink).sf == 12);
    CHECK(r.uplink.margin_db == Approx(1.5));
    CHECK(r.uplink.budget.mapl_db == Approx(161.5));
    // Downlink: gateway 10 dBm + 6 dBi = 16 dBm EIRP; device sensitivity at SF12 = -173.975 + 10 log10(125e3)
    // + 6 dB NF - 20 dB SNR = -137.0059 dBm; Rx = 16 - 160 = -144 dBm -> fails by 6.994 dB on path loss.
    CHECK(r.downlink.budget.sensitivity_dbm == Approx(-137.00590));
    CHECK(r.downlink.margin_db == Approx(-144.0 + 137.00590));
    CHECK(r.downlink.limited_by == LimitedBy::path_loss);
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.reason(), Catch::Contains("downlink path loss"));
    // Closer in (PL 145 dB, Rx -126 dBm UL) the fastest SF whose sensitivity is met is chosen: SF7 needs -130.
    c.path_loss_db = 145.0;
    CHECK(only_mode(evaluate_link(t, c).uplink).name == "SF7");
    // Time on air, SX1276 §4.1.1.7 (8-symbol preamble, explicit header, CRC, CR 4/5, 125 kHz):
    // SF12, 11 B: T_sym 32.768 ms, LDRO on; ceil((88 - 48 + 28 + 16) / (4 (12 - 2))) = 3 -> 8 + 3*5 = 23 symbols;
    // (8 + 4.25 + 23) * 32.768 = 1155.072 ms.
    CHECK(lora_time_on_air_ms(12, 125.0, 11, 1, 8, true, true) == Approx(1155.072));
    // SF7, 11 B: T_sym 1.024 ms; ceil((88 - 28 + 28 + 16) / 28) = 4 -> 28 symbols; 40.25 * 1.024 = 41.216 ms.
    CHECK(lora_time_on_air_ms(7, 125.0, 11, 1, 8, true, true) == Approx(41.216));
    // SF12 bit rate: 12 * 125000 / 4096 * 4/5 = 292.97 bit/s.
    CHECK(lora_bit_rate_bps(12, 125.0, 1) == Approx(292.96875));
    // The profile's 11 B payload + 13 B MAC = 24 B: ceil((192 - 48 + 28 + 16) / 40) = 5 -> 33 symbols;
    // SF12 frame (12.25 + 33) * 32.768 = 1482.752 ms < 4 s (ARIB 920.5-923.5 MHz rule).
    CHECK(t.uplink.modes.front().time_on_air_ms == Approx(45.25 * 32.768));
    // Under a 400 ms rule SF11 (24 B: 823 ms) and SF12 are dropped and SF10 becomes the most robust mode.
    const Technology short_rule = load_technology("lorawan-as923-jp", {{"regulatory.max_tx_time_ms", "400"}});
    CHECK(short_rule.uplink.modes.front().name == "SF10");
    CHECK(short_rule.notes.size() == 4);
}

TEST_CASE("Local 5G n79 uplink at 23 dBm") {
    const Technology t = load_technology("local5g-n79-100mhz");
    REQUIRE(t.terminal.tx_power_dbm == 23.0);
    LinkConditions c;
    c.path_loss_db = 130.0;
    const LinkResult r = evaluate_link(t, c);
    const DirectionResult& ul = r.uplink;
    // Noise over 273 PRB x 12 x 30 kHz = 98.28 MHz with the gNB's 5 dB NF:
    // -173.975 + 79.92465 + 5 = -89.05035 dBm. MCS0 (PUSCH, srsRAN) needs -5.7998 dB -> -94.85015 dBm.
    CHECK(ul.budget.noise_floor_dbm == Approx(-89.05035));
    CHECK(ul.budget.sensitivity_dbm == Approx(-94.85015));
    // Rx = 23 dBm + 0 dBi (UE) + 15 dBi (gNB) - 130 = -92 dBm: margin = -92 + 94.85015 = 2.85015 dB.
    CHECK(ul.rx_power_dbm == Approx(-92.0));
    CHECK(ul.margin_db == Approx(2.85015));
    CHECK(ul.budget.mapl_db == Approx(23.0 + 15.0 + 94.85015));
    // SNR = -92 + 89.05035 = -2.94965 dB: MCS2 (-2.925) is just out of reach, MCS1 (-3.55) is in.
    CHECK(only_mode(ul).name == "MCS1");
    CHECK(ul.mode_margin_db == Approx(-2.94965 + 3.55));
    // MCS1 (QPSK, R 157/1024), 1 layer, TS 38.306: 1e-6 * 2 * 157/1024 * 273 * 12 * 28000 * (1 - 0.08)
    // = 25.88 Mbit/s x UL share of DDDSU (S = 10:2:2) 16/70 = 5.915 Mbit/s.
    CHECK(ul.phy_throughput_mbps == Approx(1e-6 * 2 * 157.0 / 1024 * 273 * 12 * 28000 * 0.92 * 16.0 / 70.0));
    // Downlink peak: 4 layers 256QAM MCS27 (8 x 948/1024) with OH 0.14 = 2337.3 Mbit/s x DL share 52/70.
    const double peak_dl = t.downlink.modes.back().phy_rate_mbps;
    CHECK(peak_dl == Approx(1e-6 * 4 * 8 * 948.0 / 1024 * 273 * 12 * 28000 * 0.86 * 52.0 / 70.0));
    // Quasi-synchronous DSUUU gives the uplink 3 x 14 + 2 = 44 of 70 symbols.
    const Technology qs = load_technology("local5g-n79-100mhz", {{"nr.tdd_mode", "quasi-sync"}});
    CHECK(qs.uplink.time_fraction == Approx(44.0 / 70.0));
    // The attenuated-Shannon alternative (TR 36.942 Annex A): UL alpha 0.4 at SNR -2.94965 dB.
    const Technology sh = load_technology("local5g-n79-100mhz", {{"rate_model", "attenuated-shannon"}});
    const LinkResult rs = evaluate_link(sh, c);
    const double se = 0.4 * std::log2(1.0 + std::pow(10.0, -0.294965));
    CHECK(rs.uplink.phy_throughput_mbps == Approx(se * 1e-6 * 273 * 12 * 28000 * 0.92 * 16.0 / 70.0));
    CHECK(rs.uplink.margin_db == Approx(-2.94965 + 10.0));
}

TEST_CASE("an MCL profile: a tx power or noise figure override moves the MAPL") {
    // NB-IoT MCL 164 dB is defined with the profile's own 23 dBm UE: the required SNR stays fixed, so a UE at
    // 14 dBm (-9 dB) has an uplink MAPL 9 dB lower, and a 2 dB worse eNB noise figure costs 2 dB.
    for (const char* name : {"nbiot", "ltem"}) {
        INFO(name);
        const Technology own = load_technology(name);
        const double tx_dbm = own.terminal.tx_power_dbm;
        const Technology low = load_technology(name, {{"terminal.tx_power_dbm", std::to_string(tx_dbm - 9.0)}});
        const Technology noisy =
            load_technology(name, {{"base.noise_figure_db", std::to_string(own.base.noise_figure_db + 2.0)}});
        LinkConditions c;
        c.path_loss_db = 150.0;
        const double mapl_db = evaluate_link(own, c).uplink.budget.mapl_db;
        CHECK(evaluate_link(low, c).uplink.budget.mapl_db == Approx(mapl_db - 9.0).margin(1e-9));
        CHECK(evaluate_link(noisy, c).uplink.budget.mapl_db == Approx(mapl_db - 2.0).margin(1e-9));
        CHECK(low.uplink.modes.front().snr_db == Approx(own.uplink.modes.front().snr_db).margin(1e-12));
    }
    // The profile as written: uplink MAPL = MCL 164 dB + the eNB's 15 dBi antenna (MCL counts 0 dBi antennas).
    LinkConditions c;
    c.path_loss_db = 150.0;
    CHECK(evaluate_link(load_technology("nbiot"), c).uplink.budget.mapl_db == Approx(179.0).margin(1e-9));
}

TEST_CASE("6 GHz VLP link") {
    const Technology t = load_technology("wifi6e-vlp-80mhz");
    LinkConditions c;
    c.path_loss_db = 84.5;
    const LinkResult r = evaluate_link(t, c, {.outdoor = true});
    const DirectionResult& dl = r.downlink;
    // AP 11 dBm + 3 dBi = 14 dBm EIRP (25 mW VLP limit); client 0 dBi: Rx = 14 - 84.5 = -70.5 dBm.
    CHECK(dl.budget.eirp_dbm == Approx(14.0));
    CHECK(dl.rx_power_dbm == Approx(-70.5));
    // HE 80 MHz sensitivities: MCS0 -76, MCS2 -71, MCS3 -68 dBm -> MCS2, 0.5 dB above; margin over MCS0 5.5 dB.
    CHECK(only_mode(dl).name == "MCS2");
    CHECK(dl.mode_margin_db == Approx(0.5));
    CHECK(dl.margin_db == Approx(5.5));
    CHECK(dl.budget.mapl_db == Approx(14.0 + 76.0));
    // MCS2 at 80 MHz: 980 x 1.5 / 13.6 us = 108.09 Mbit/s on one stream. Two streams split the power
    // (-3.01 dB each: -73.51 dBm < MCS1's -73) and reach only MCS0 x2 = 2 x 36.03 Mbit/s, so one stream wins.
    CHECK(dl.snr_db == Approx(-70.5 + 84.94410));  // noise -173.975 + 10 log10(80e6) + 10 = -84.9441 dBm
    CHECK(dl.phy_throughput_mbps == Approx(108.09).epsilon(1e-3));
    // 8 dB closer (Rx -62.5 dBm): MCS5 x2 (-60 + 3.01 = -56.99: no), MCS4 x2 (-64 + 3.01 = -60.99: no),
    // MCS3 x2 (-68 + 3.01 = -64.99 dBm: yes) = 2 x 144.12 = 288.2 Mbit/s beats MCS5 x1 (-60: no) and
    // MCS4 x1 (-64: yes) = 216.2 Mbit/s.
    c.path_loss_db = 76.5;
    const DirectionResult near = evaluate_link(t, c, {.outdoor = true}).downlink;
    CHECK(only_mode(near).name == "MCS3 x2");
    CHECK(near.phy_throughput_mbps == Approx(2 * 980 * 2.0 / 13.6).epsilon(1e-3));
}

TEST_CASE("28 GHz link through 50 mm/h rain loses what P.838 says") {
    const Technology t = load_technology("local5g-n257-100mhz");
    const double d_km = 0.8;
    const auto rain = prop::p838_specific_attenuation(t.f_center_mhz / 1000.0, 50.0, 0.0, 90.0);  // vertical pol.
    // P.838-3 at 28.65 GHz, vertical: k = 0.2067, alpha = 0.9229 -> 0.2067 * 50^0.9229 = 7.65 dB/km
    // (../shared/reference/technologies.md §5, 0.05 dB/km rounding tolerance).
    CHECK(rain.gamma_r_db_per_km == Approx(7.65).margin(0.05));
    LinkConditions dry;
    dry.path_loss_db = 120.0;
    LinkConditions wet = dry;
    wet.extra_losses_db = {{"rain", rain.gamma_r_db_per_km * d_km}};
    const LinkResult a = evaluate_link(t, dry), b = evaluate_link(t, wet);
    CHECK(a.downlink.margin_db - b.downlink.margin_db == Approx(rain.gamma_r_db_per_km * d_km));
    CHECK(a.uplink.margin_db - b.uplink.margin_db == Approx(rain.gamma_r_db_per_km * d_km));
    bool listed = false;
    for (const auto& [name, v] : budget_terms(b.downlink)) listed = listed || (name == "rain_loss_db" && v == rain.gamma_r_db_per_km * d_km);
    CHECK(listed);
    // 3 dB inside the downlink MAPL the dry link closes; 0.8 km of 50 mm/h rain (6.1 dB) is what breaks it.
    dry.path_loss_db = a.downlink.budget.mapl_db - 3.0;
    wet.path_loss_db = dry.path_loss_db;
    CHECK(evaluate_link(t, dry).downlink.ok());
    const DirectionResult w = evaluate_link(t, wet).downlink;
    CHECK(w.margin_db == Approx(3.0 - rain.gamma_r_db_per_km * d_km));
    CHECK(w.limited_by == LimitedBy::extra_loss);
    CHECK_THAT(w.reason, Catch::Contains("rain"));
}

TEST_CASE("fade margin, interference and the term that ran out") {
    // z(p) sigma; z(0.9) = 1.2815515655, z(0.95) = 1.6448536270, z(0.01) = -2.3263478740 (P.1057 approximation,
    // relative error ~1e-9).
    CHECK(fade_margin_db(0.5, 8.0) == Approx(0.0).margin(1e-9));
    CHECK(fade_margin_db(0.9, 1.0) == Approx(1.2815515655446004).epsilon(1e-8));
    CHECK(fade_margin_db(0.01, 1.0) == Approx(-2.3263478740408408).epsilon(1e-8));
    CHECK(fade_margin_db(0.95, 8.0) == Approx(1.6448536269514722 * 8.0).epsilon(1e-8));
    CHECK_THROWS_AS(fade_margin_db(1.0, 8.0), InputError);

    const Technology t = load_technology("halow-jp-1mhz");
    LinkConditions c;
    c.path_loss_db = 109.0;  // margin 5 dB without fade margin (see the HaLow test)
    // 90 % location reliability with sigma 6 dB: 1.28155 x 6 = 7.689 dB > 5 dB -> the fade margin ran out.
    const LinkResult f = evaluate_link(t, c, {.location_reliability = 0.9, .shadow_sigma_db = 6.0});
    CHECK(f.downlink.budget.fade_margin_db == Approx(7.68931));
    CHECK(f.downlink.margin_db == Approx(5.0 - 7.68931));
    CHECK(f.downlink.limited_by == LimitedBy::fade_margin);
    // An interferer 3 dB above the noise floor (-103.975 dBm): SINR = -93 - (-103.975 + 10 log10(1 + 10^0.3))
    // = 10.975 - 4.7643 = 6.2107 dB; MCS10 needs -98 + 103.975 = 5.975 dB -> margin 0.2357 dB, still up.
    c.dl_interferer_dbm = {-100.975};
    const LinkResult i1 = evaluate_link(t, c);
    CHECK(i1.downlink.sinr_db == Approx(10.975 - 10.0 * std::log10(1.0 + std::pow(10.0, 0.3))));
    CHECK(i1.downlink.margin_db == Approx(0.2357).margin(1e-3));
    // Two such interferers: SINR 10.975 - 10 log10(1 + 2 x 10^0.3) = 3.96 dB < 5.975 dB -> interference.
    c.dl_interferer_dbm = {-100.975, -100.975};
    const LinkResult i2 = evaluate_link(t, c);
    CHECK(i2.downlink.limited_by == LimitedBy::interference);
    CHECK_FALSE(i2.downlink.ok());
    CHECK(i2.uplink.ok());
    CHECK_THAT(i2.reason(), Catch::StartsWith("downlink interference"));
}

TEST_CASE("per-pixel budget: subtraction and lookup agree with the full evaluation") {
    const Technology t = load_technology("local5g-n79-100mhz");
    const Budget b = make_budget(t, Direction::downlink);
    for (double pl = 90.0; pl <= 140.0; pl += 0.37) {
        LinkConditions c;
        c.path_loss_db = pl;
        const DirectionResult r = evaluate_link(t, c).downlink;
        const double sinr = received_power_dbm(b, pl) - b.noise_floor_dbm - b.fade_margin_db;
        const Mode* m = best_mode(b, sinr);
        CHECK((m ? m->name : "-") == (r.mode() ? r.mode()->name : "-"));
        CHECK(phy_throughput_mbps(b, sinr) == r.phy_throughput_mbps);
    }
    // TDD DDDSU with S = 10:2:2: DL 52/70, UL 16/70.
    const auto [dl, ul] = tdd_fractions("DDDSU", 10, 2, 2);
    CHECK(dl == Approx(52.0 / 70.0));
    CHECK(ul == Approx(16.0 / 70.0));
    CHECK_THROWS_AS(tdd_fractions("DDXU", 10, 2, 2), InputError);
    // TR 36.942 Annex A DL at 10 dB: 0.6 log2(11) = 2.0757 b/s/Hz; capped at 4.4 above 22 dB; 0 below -10 dB.
    const ShannonParams p{0.6, -10.0, 22.0, 4.4};
    CHECK(attenuated_shannon_se(p, 10.0) == Approx(0.6 * std::log2(11.0)));
    CHECK(attenuated_shannon_se(p, 30.0) == 4.4);
    CHECK(attenuated_shannon_se(p, -10.5) == 0.0);
}

TEST_CASE("antenna patterns: omni, 3GPP sector with tilt, pattern file") {
    CHECK(pattern_attenuation_db(omni_pattern(), 123.0, -20.0, 6.0) == 0.0);
    const AntennaPattern s = sector_pattern(65.0, 10.0);
    CHECK(pattern_attenuation_db(s, 0.0, 0.0, 0.0) == 0.0);
    CHECK(pattern_attenuation_db(s, 32.5, 0.0, 0.0) == Approx(3.0));   // 12 (32.5/65)^2
    CHECK(pattern_attenuation_db(s, 180.0, 0.0, 0.0) == Approx(30.0)); // A_m
    CHECK(pattern_attenuation_db(s, 0.0, -6.0, 6.0) == 0.0);           // beam tilted 6 deg down
    CHECK(pattern_attenuation_db(s, 0.0, 0.0, 6.0) == Approx(12.0 * 0.36));  // 12 (6/10)^2
    CHECK(pattern_attenuation_db(s, 32.5, -1.0, 6.0) == Approx(3.0 + 12.0 * 0.25));
    CHECK(pattern_attenuation_db(s, 90.0, 30.0, 0.0) == Approx(30.0));  // capped at A_m

    const auto f = temp_file("pattern.csv",
                             "# test panel\nplane,angle_deg,gain_dbi\nazimuth,0,17\nazimuth,90,7\nazimuth,180,-8\nazimuth,270,7\n"
                             "elevation,-90,-3\nelevation,0,17\nelevation,10,14\nelevation,90,-3\n");
    const AntennaPattern p = load_pattern_csv(f);
    CHECK(p.peak_gain_dbi == 17.0);
    CHECK(pattern_attenuation_db(p, 45.0, 0.0, 0.0) == Approx(5.0));   // halfway to 10 dB at 90 deg
    CHECK(pattern_attenuation_db(p, -45.0, 0.0, 0.0) == Approx(5.0));  // wraps to 315 deg
    CHECK(pattern_attenuation_db(p, 0.0, 5.0, 0.0) == Approx(1.5));
    CHECK(pattern_attenuation_db(p, 0.0, 5.0, -5.0) == 0.0);           // uptilt 5 deg
    CHECK(pattern_attenuation_db(p, 180.0, 90.0, 0.0) == Approx(25.0)); // min(25 + 20, front-to-back 25)
    std::filesystem::remove(f);
    const auto bad = temp_file("bad.csv", "plane,angle_deg,gain_dbi\nazimuth,0,17\nzenith,5,3\n");
    CHECK_THROWS_WITH(load_pattern_csv(bad), Catch::Contains(":3:") && Catch::Contains("azimuth or elevation"));
    std::filesystem::remove(bad);
}
