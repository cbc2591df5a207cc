// Traffic layer tests. Expected values come from closed forms written out here, hand computations from the
// standards' formulas, and independent simulations of the protocols (fixed seeds), never from the program.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/link/link.hpp"
#include "libsim/traffic/load.hpp"
#include "libsim/traffic/traffic.hpp"

using namespace dxplan;
using namespace dxplan::traffic;

namespace {

Profile periodic(double payload_bytes, double interval_s, FlowDirection d = FlowDirection::uplink) {
    Profile p;
    p.name = "test";
    Flow f;
    f.name = "report";
    f.direction = d;
    f.payload_bytes = payload_bytes;
    f.interval_s = interval_s;
    p.flows.push_back(f);
    return p;
}

CellRadio at(std::vector<double> sinr) { return CellRadio{std::move(sinr), 0.0}; }

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Pure ALOHA (LoRaWAN)

TEST_CASE("LoRaWAN carried load follows pure ALOHA G e^-2G at several G (Abramson 1970)") {
    const link::Technology tech = link::load_technology("lorawan-as923-jp");
    // Hand time on air, Semtech AN1200.13 / SX1276 §4.1.1.7, SF7, 125 kHz, CR 4/5, preamble 8, explicit header,
    // CRC, no low-data-rate optimisation; PHY payload 10 + 13 (LoRaWAN MAC) = 23 B:
    // T_sym = 2^7 / 125 kHz = 1.024 ms; payload symbols 8 + ceil((8*23 - 4*7 + 28 + 16) / (4*7)) * (1 + 4)
    // = 8 + ceil(200 / 28) * 5 = 48; preamble 8 + 4.25 = 12.25 symbols; ToA = 60.25 * 1.024 = 61.696 ms.
    const double toa_s = 60.25 * 1.024e-3;
    const double interval_s = 100.0;
    const int channels = 2;
    LoadOptions o;
    o.lora_channels = channels;
    for (double g : {0.05, 0.25, 0.5, 1.0, 2.0}) {
        // G per channel = N lambda ToA / channels  =>  N = G channels interval / ToA
        const double n = g * channels * interval_s / toa_s;
        const LoadResult r = evaluate_load(tech, periodic(10, interval_s), at({10.0}), n, o);  // 10 dB: SF7
        INFO("G = " << g);
        CHECK(r.delivery_ratio == Approx(std::exp(-2.0 * g)).epsilon(1e-9));
        // throughput in frames per frame time and channel: S = G e^-2G
        const double s = r.carried_load_bps / (10 * 8) * toa_s / channels;
        CHECK(s == Approx(g * std::exp(-2.0 * g)).epsilon(1e-9));
    }
    // the maximum of S is 1 / (2e) at G = 0.5
    CHECK(aloha_pure_throughput(0.5) == Approx(1.0 / (2.0 * std::exp(1.0))).epsilon(1e-12));
}

TEST_CASE("pure ALOHA closed form agrees with a simulation of Poisson frames") {
    // Independent check of e^-2G: frames of unit length start at Poisson instants of rate G; a frame succeeds when
    // no other starts within 1 before or after it.
    std::mt19937_64 rng(12345);
    for (double g : {0.1, 0.5, 1.0}) {
        std::exponential_distribution<double> gap(g);
        std::vector<double> t;
        double now = 0.0;
        for (int i = 0; i < 400000; ++i) t.push_back(now += gap(rng));
        int ok = 0;
        for (std::size_t i = 1; i + 1 < t.size(); ++i) ok += (t[i] - t[i - 1] > 1.0 && t[i + 1] - t[i] > 1.0);
        const double measured = ok / static_cast<double>(t.size() - 2);
        INFO("G = " << g);
        CHECK(measured == Approx(aloha_pure_success(g)).margin(0.005));  // binomial sd < 0.001 at 4e5 frames
    }
}

TEST_CASE("LoRaWAN payload above the SF's maximum is refused naming the field and range") {
    const link::Technology tech = link::load_technology("lorawan-as923-jp");
    // -19 dB: only SF12 (threshold -20 dB at the gateway's 6 dB noise figure, see the profile) -> at most 51 B
    const link::Budget ul = link::make_budget(tech, link::Direction::uplink);
    const double sf12_db = ul.modes.front().snr_db;
    CHECK_NOTHROW(evaluate_load(tech, periodic(51, 600), at({sf12_db + 0.1}), 10));
    try {
        evaluate_load(tech, periodic(52, 600), at({sf12_db + 0.1}), 10);
        FAIL("no error");
    } catch (const InputError& e) {
        const std::string m = e.what();
        CHECK(m.find("payload_bytes = 52") != std::string::npos);
        CHECK(m.find("SF12") != std::string::npos);
        CHECK(m.find("[1, 51]") != std::string::npos);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Bianchi's DCF model

namespace {

// G. Bianchi, IEEE JSAC 18(3) 2000, Table II (FHSS PHY): 1 Mbit/s, MAC header 272 bits, PHY header 128 bits,
// payload 8184 bits, ACK 112 bits + PHY header, RTS 160 bits + PHY header, CTS 112 bits + PHY header,
// propagation delay 1 us, slot 50 us, SIFS 28 us, DIFS 128 us. Figures 6-9 use W = 32, m = 3 or 5.
DcfParams bianchi_table2(int w, int m) {
    DcfParams p;
    p.slot_us = 50;
    p.sifs_us = 28;
    p.difs_us = 128;
    p.prop_delay_us = 1;
    p.header_us = 272 + 128;
    p.payload_us = 8184;
    p.ack_us = 112 + 128;
    p.rts_us = 160 + 128;
    p.cts_us = 112 + 128;
    p.cw_min = w;
    p.max_stage = m;
    return p;
}

// Slot-by-slot simulation of n saturated stations running binary exponential backoff (the protocol, not the
// Markov model): a station transmits when its counter reaches 0; success resets to stage 0, a collision moves to
// stage min(i + 1, m); the counter is drawn uniformly in [0, 2^i W - 1] and decremented every virtual slot.
double simulate_dcf(const DcfParams& q, int n, bool rts, long slots, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<int> stage(n, 0), counter(n);
    const auto draw = [&](int i) { return static_cast<int>(std::uniform_int_distribution<long>(0, (long(q.cw_min) << i) - 1)(rng)); };
    for (int s = 0; s < n; ++s) counter[s] = draw(0);
    const double d = q.prop_delay_us;
    const double ts = rts ? q.rts_us + q.sifs_us + d + q.cts_us + q.sifs_us + d + q.header_us + q.payload_us + q.sifs_us + d + q.ack_us + q.difs_us + d
                          : q.header_us + q.payload_us + q.sifs_us + d + q.ack_us + q.difs_us + d;
    const double tc = rts ? q.rts_us + q.difs_us + d : q.header_us + q.payload_us + q.difs_us + d;
    double time = 0.0, useful = 0.0;
    std::vector<int> tx;
    for (long k = 0; k < slots; ++k) {
        tx.clear();
        for (int s = 0; s < n; ++s)
            if (counter[s] == 0) tx.push_back(s);
        for (int s = 0; s < n; ++s)
            if (counter[s] > 0) --counter[s];
        if (tx.empty()) { time += q.slot_us; continue; }
        const bool success = tx.size() == 1;
        time += success ? ts : tc;
        if (success) useful += q.payload_us;
        for (int s : tx) {
            stage[s] = success ? 0 : std::min(stage[s] + 1, q.max_stage);
            counter[s] = draw(stage[s]);
        }
    }
    return useful / time;
}

}  // namespace

TEST_CASE("Bianchi saturation throughput: one station by hand, Table II parameters") {
    // n = 1: p = 0, tau = 2 / (W + 1) (eq. 7), P_tr = tau, P_s = 1;
    // basic access T_s = H + E[P] + SIFS + delta + ACK + DIFS + delta = 400 + 8184 + 28 + 1 + 240 + 128 + 1 = 8982 us;
    // S = tau E[P] / ((1 - tau) sigma + tau T_s) (eq. 13).
    const DcfSaturation s = bianchi_saturation(bianchi_table2(32, 5), 1, false);
    const double tau = 2.0 / 33.0;
    CHECK(s.tau == Approx(tau).epsilon(1e-12));
    CHECK(s.ts_us == Approx(8982.0));
    CHECK(s.throughput == Approx(tau * 8184.0 / ((1 - tau) * 50.0 + tau * 8982.0)).epsilon(1e-12));
}

TEST_CASE("Bianchi fixed point agrees with a damped iteration on tau and with a protocol simulation") {
    for (const bool rts : {false, true})
        for (const auto& [w, m] : {std::pair{32, 3}, std::pair{32, 5}, std::pair{128, 3}})
            for (int n : {5, 10, 20, 50}) {
                const DcfParams q = bianchi_table2(w, m);
                const DcfSaturation s = bianchi_saturation(q, n, rts);
                // (a) the same two equations solved differently: iterate tau <- tau(p(tau)) with damping.
                double tau = 0.01;
                for (int it = 0; it < 20000; ++it) {
                    const double p = 1.0 - std::pow(1.0 - tau, n - 1);
                    const double a = 1.0 - 2.0 * p;
                    const double t_new = 2.0 * a / (a * (w + 1) + p * w * (1.0 - std::pow(2.0 * p, m)));
                    tau = 0.9 * tau + 0.1 * t_new;
                }
                INFO("rts " << rts << " W " << w << " m " << m << " n " << n);
                CHECK(s.tau == Approx(tau).epsilon(1e-7));
                // (b) Bianchi's Figs. 6-9 show analysis within about 1-2 % of his simulations; ours likewise.
                const double sim = simulate_dcf(q, n, rts, 400000, 7u + static_cast<unsigned>(n));
                CHECK(s.throughput == Approx(sim).epsilon(0.02));
            }
}

TEST_CASE("Wi-Fi HaLow DCF: delay grows with N and delivery falls once the channel saturates") {
    const link::Technology tech = link::load_technology("halow-jp-1mhz");
    const Profile traffic = periodic(100, 10);
    double prev_mean = 0.0, prev_p99 = 0.0, prev_delivery = 1.0;
    for (double n : {1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0}) {
        const LoadResult r = evaluate_load(tech, traffic, at({5.0, 12.0}), n);
        INFO("n " << n);
        CHECK(r.uplink.delay_mean_ms >= prev_mean);
        CHECK(r.uplink.delay_p99_ms >= prev_p99);
        CHECK(r.delivery_ratio <= prev_delivery + 1e-12);
        prev_mean = r.uplink.delay_mean_ms;
        prev_p99 = r.uplink.delay_p99_ms;
        prev_delivery = r.delivery_ratio;
    }
    CHECK(prev_delivery < 0.9);  // 3000 stations at 10 reports/s... cannot all fit 1 MHz HaLow at 10 % duty
}

// ---------------------------------------------------------------------------------------------------------
// NR

TEST_CASE("NR TDD frame delay by hand: DDDSU at 30 kHz with a configured grant") {
    // slots of 0.5 ms, U = slot 4 ([2.0, 2.5) ms). Arrival t in [0, 2]: PUSCH in slot 4, decoded by the start of
    // slot 6 (3.0 ms): delay 3 - t. t in (2, 2.5): slot 9, decoded by 5.5 ms: delay 5.5 - t.
    // mean = (int_0^2 (3 - t) dt + int_2^2.5 (5.5 - t) dt) / 2.5 = (4 + 1.625) / 2.5 = 2.25 ms.
    const auto [mean, p99] = nr_frame_delay_ms("DDDSU", 30.0, link::Direction::uplink, true);
    CHECK(mean == Approx(2.25).margin(0.002));
    // 99th percentile: the longest delays are 3 - t near t = 0 (up to 3 ms) and 5.5 - t near t = 2 (up to 3.5);
    // P(delay > x) for x in (3, 3.5) = (3.5 - x) / 2.5 = 0.01 -> x = 3.475 ms.
    CHECK(p99 == Approx(3.475).margin(0.003));
}

TEST_CASE("NR cell carried load for a two-MCS user mix against a hand computation") {
    const link::Technology tech = link::load_technology("local5g-n79-100mhz");
    // Uplink rates by hand, TS 38.306 §4.1.2: R = 1e-6 v Qm (R/1024) N_PRB 12 / T_s (1 - OH) x UL share,
    // T_s = 1e-3 / (14 2^mu), mu = 1 (30 kHz), N_PRB = 273, v = 1, OH = UL overhead of the profile,
    // UL share of DDDSU with S = 10:2:2 = (1 + 2/14) / 5.
    const double ul_share = (1.0 + 2.0 / 14.0) / 5.0;
    const double ts = 1e-3 / (14.0 * 2.0);
    const double oh = tech.uplink.overhead;
    const auto rate = [&](int qm, int r1024) { return 1e-6 * qm * (r1024 / 1024.0) * 273 * 12 / ts * (1 - oh) * ul_share; };
    // uplink table TS 38.214 Table 5.1.3.1-1: MCS4 (QPSK 308/1024, PUSCH SNR -1.05 dB) at 0 dB and MCS15 (16QAM
    // 616/1024, 10.4 dB) at 10.5 dB
    const double r_slow = rate(2, 308), r_fast = rate(4, 616);
    const link::Budget ul = link::make_budget(tech, link::Direction::uplink);
    REQUIRE(link::best_mode(ul, 0.0)->name == "MCS4");
    REQUIRE(link::best_mode(ul, 10.5)->name == "MCS15");
    CHECK(link::best_mode(ul, 0.0)->phy_rate_mbps == Approx(r_slow).epsilon(1e-9));
    LoadOptions o;
    o.harq_bler = 0.1;
    // a 0.2 Mbit/s stream of 1000-B packets per terminal: 25 packets/s, air bits per packet (1000 + 28 IP/UDP + 5 L2) x 8
    Profile p = periodic(1000, 1000.0 * 8 / 0.2e6);
    const double air_bps = 25.0 * (1000 + 28 + 5) * 8;
    const double d_slow = air_bps / (r_slow * 0.9 * 1e6), d_fast = air_bps / (r_fast * 0.9 * 1e6);  // time shares
    SECTION("under load: everything carried, utilisation = sum of time shares") {
        const double n = 20;  // 10 + 10
        const LoadResult r = evaluate_load(tech, p, at({0.0, 10.5}), n, o);
        const double rho = 10 * d_slow + 10 * d_fast;
        REQUIRE(rho < 1.0);
        CHECK(r.uplink.utilisation == Approx(rho).epsilon(1e-9));
        CHECK(r.uplink.carried_bps == Approx(n * 0.2e6 * (1 - std::pow(0.1, 4))).epsilon(1e-9));
    }
    SECTION("overload: proportional fair water-filling") {
        const double n = 160;  // 80 + 80
        REQUIRE(80 * d_fast < 1.0);
        REQUIRE(80 * d_slow + 80 * d_fast > 1.0);
        // if the fast terminals' need d_fast is below the equal share theta, they are served fully and the slow
        // ones share the rest: theta = (1 - 80 d_fast) / 80 (check d_fast <= theta), each slow terminal carries
        // theta / d_slow of its 0.2 Mbit/s.
        const double theta = (1.0 - 80 * d_fast) / 80.0;
        REQUIRE(d_fast <= theta);
        const double carried = (80 * 0.2e6 + 80 * 0.2e6 * theta / d_slow) * (1 - std::pow(0.1, 4));
        const LoadResult r = evaluate_load(tech, p, at({0.0, 10.5}), n, o);
        CHECK(r.uplink.carried_bps == Approx(carried).epsilon(1e-6));
        CHECK(std::isinf(r.uplink.delay_mean_ms));
    }
}

TEST_CASE("NR delay: mean = frame + HARQ + Pollaczek-Khinchine, p99 under the Lundberg bound, monotonic in N") {
    const link::Technology tech = link::load_technology("local5g-n79-100mhz");
    const Profile p = periodic(1000, 0.01);  // 0.8 Mbit/s per terminal
    LoadOptions o;
    o.harq_bler = 0.1;
    const auto [f_mean, f_p99] = nr_frame_delay_ms("DDDSU", 30.0, link::Direction::uplink, false);
    const double period_ms = 2.5;
    double prev_mean = 0, prev_p99 = 0;
    for (double n : {1.0, 5.0, 10.0, 20.0, 40.0, 48.0}) {
        const LoadResult r = evaluate_load(tech, p, at({10.5}), n, o);
        const double rho = r.uplink.utilisation;
        REQUIRE(rho < 1.0);
        const double lambda = n * 100.0, d = rho / lambda;
        const double w_pk_ms = 1e3 * rho * d / (2 * (1 - rho));  // W = rho D / (2 (1 - rho))
        INFO("n " << n << " rho " << rho);
        CHECK(r.uplink.delay_mean_ms == Approx(f_mean + 0.1 / 0.9 * period_ms + w_pk_ms).epsilon(1e-9));
        const double bound_ms = f_p99 + 1 * period_ms + 1e3 * std::log(100.0) / ([&] {
            double lo = 1e-12, hi = 50;  // rho (e^x - 1) = x, gamma = x / D
            for (int i = 0; i < 200; ++i) { const double mid = (lo + hi) / 2; (rho * (std::exp(mid) - 1) - mid > 0 ? hi : lo) = mid; }
            return lo / d; })();
        CHECK(r.uplink.delay_p99_ms <= bound_ms * (1 + 1e-9));
        CHECK(r.uplink.delay_mean_ms >= prev_mean);
        CHECK(r.uplink.delay_p99_ms >= prev_p99);
        prev_mean = r.uplink.delay_mean_ms;
        prev_p99 = r.uplink.delay_p99_ms;
    }
}

TEST_CASE("M/D/1: Pollaczek-Khinchine mean and Cramer-Lundberg p99 against a Lindley-recursion simulation") {
    std::mt19937_64 rng(99);
    const double d = 1.0;
    for (double rho : {0.3, 0.6, 0.85}) {
        std::exponential_distribution<double> gap(rho / d);
        double w = 0.0, sum = 0.0;
        std::vector<double> ws;
        const int n = 2000000;
        for (int i = 0; i < n; ++i) {
            ws.push_back(w);
            sum += w;
            w = std::max(0.0, w + d - gap(rng));  // Lindley: W_{k+1} = max(0, W_k + S - A)
        }
        std::nth_element(ws.begin(), ws.begin() + n * 99 / 100, ws.end());
        INFO("rho " << rho);
        CHECK(md1_mean_wait_s(rho / d, d) == Approx(sum / n).epsilon(0.03));
        CHECK(md1_wait_quantile_s(rho / d, d, 0.01) == Approx(ws[n * 99 / 100]).epsilon(0.05));
        CHECK(md1_wait_quantile_s(rho / d, d, 0.01) <= md1_wait_quantile_bound_s(rho / d, d, 0.01));
    }
}

// ---------------------------------------------------------------------------------------------------------
// LTE-M / NB-IoT, all technologies: monotonic and max devices

TEST_CASE("every technology: delay and load monotonic in N, max devices consistent with the target") {
    for (const char* name : {"lorawan-as923-jp", "halow-jp-1mhz", "wifi6e-lpi-20mhz", "local5g-n79-100mhz", "ltem", "nbiot"}) {
        const link::Technology tech = link::load_technology(name);
        const Profile p = load_profile("water-level-sensor");
        LoadOptions o;
        o.target = p.target;
        const CellRadio cell = at({-5.0, 0.0, 5.0, 15.0});
        double prev_p99 = 0, prev_delivery = 1, prev_carried = 0;
        for (double n = 1; n <= 1e6; n *= 3.0) {
            const LoadResult r = evaluate_load(tech, p, cell, n, o);
            INFO(name << " n " << n);
            CHECK(r.delay_p99_ms >= prev_p99 * (1 - 1e-12));
            CHECK(r.delivery_ratio <= prev_delivery + 1e-12);
            CHECK(r.offered_load_bps >= prev_carried);
            prev_p99 = r.delay_p99_ms;
            prev_delivery = r.delivery_ratio;
            prev_carried = r.carried_load_bps;
        }
        const double nmax = max_devices_for_target(tech, p, cell, o, 1e7);
        INFO(name << " max " << nmax);
        if (nmax >= 1 && nmax < 1e7) {
            CHECK(evaluate_load(tech, p, cell, nmax, o).meets_target);
            CHECK_FALSE(evaluate_load(tech, p, cell, nmax + 1, o).meets_target);
        }
    }
}

TEST_CASE("NB-IoT random access: slotted ALOHA success e^-G per attempt") {
    const link::Technology tech = link::load_technology("nbiot");
    // one attempt allowed: RA success = e^-G, G = N lambda T_period / preambles (NPRACH 40 ms, 48 subcarriers)
    LoadOptions o;
    o.rach_max_attempts = 1;
    const double lambda = 1.0 / 60.0;
    const link::Budget ul = link::make_budget(tech, link::Direction::uplink);
    const double sinr = ul.modes.back().snr_db + 1.0;  // normal coverage: no repetitions
    for (double g : {0.1, 0.5, 1.0}) {
        const double n = g * 48 / (lambda * 0.040);
        const LoadResult r = evaluate_load(tech, periodic(20, 60), at({sinr}), n, o);
        INFO("G " << g);
        double ra = 0;
        for (const auto& [k, v] : r.intermediates)
            if (k == "rach_success") ra = v;
        CHECK(ra == Approx(std::exp(-g)).epsilon(1e-9));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Profiles and bad input

TEST_CASE("shipped traffic profiles load, and their flows are what the files say") {
    const auto names = list_profiles();
    for (const char* want : {"water-level-sensor", "smart-meter", "camera-1080p-h264", "camera-1080p-h265", "drone-telemetry", "vehicle-monitoring"})
        CHECK(std::find(names.begin(), names.end(), want) != names.end());
    for (const auto& n : names) CHECK_NOTHROW(load_profile(n));
    const Profile cam = load_profile("camera-1080p-h264");
    CHECK(terminal_bit_rate_bps(cam, FlowDirection::uplink) == Approx(4e6));  // 4000 kbit/s stream
    const Profile edge = with_processing(cam, Processing::edge);
    // 200 B/s detections + 100 kB x 8 every 300 s (frames_per_s 0.00333)
    CHECK(terminal_bit_rate_bps(edge, FlowDirection::uplink) == Approx(200 * 8 + 100000 * 8 * 0.00333).epsilon(1e-9));
    CHECK_THROWS_AS(with_processing(load_profile("smart-meter"), Processing::edge), InputError);
}

TEST_CASE("bad traffic input: one message naming the field and the valid range") {
    const link::Technology tech = link::load_technology("local5g-n79-100mhz");
    const auto message = [](auto&& f) {
        try { f(); } catch (const InputError& e) { return std::string(e.what()); }
        return std::string("no error");
    };
    CHECK(message([&] { evaluate_load(tech, periodic(10, 60), at({5}), 0); }).find("devices = 0: must be") != std::string::npos);
    CHECK(message([&] { evaluate_load(tech, periodic(10, 60), at({5}), -3); }).find("devices = -3") != std::string::npos);
    CHECK(message([&] { evaluate_load(tech, periodic(10, 0), at({5}), 5); }).find("interval_s = 0: must be > 0 s") != std::string::npos);
    CHECK(message([&] { load_profile("no-such-profile"); }).find("unknown; valid names: camera-1080p-h264") != std::string::npos);
    const auto dir = std::filesystem::temp_directory_path() / "dxplan_test_traffic";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "zero.yaml") << "name: zero\nflows:\n  - {kind: periodic, payload_bytes: 10, interval_s: 0}\n";
    const std::string m = message([&] { load_profile_file(dir / "zero.yaml"); });
    CHECK(m.find("zero.yaml:3: flows[0].interval_s = 0: must be in (0, 1e+08] s") != std::string::npos);
    std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------------------------------------
// Cell judgement for the comparison stage

#include "libsim/traffic/cell.hpp"

TEST_CASE("judge_cell: households on an NR cell, carried load and headroom against a hand computation") {
    const link::Technology tech = link::load_technology("local5g-n79-100mhz");
    // 2 Mbit/s down, 0.2 up per active household; downlink 4 layers at 10.5 dB: the profile's best DL mode there.
    const Profile hh = household_profile(2.0, 0.2, 100.0);
    CHECK(terminal_bit_rate_bps(hh, FlowDirection::downlink) == Approx(2e6));
    CHECK(terminal_bit_rate_bps(hh, FlowDirection::uplink) == Approx(0.2e6));
    LoadOptions o;
    o.target = hh.target;
    const CellJudgement j = judge_cell(tech, hh, {10.5}, 20, o);
    // 20 households: UL needs 20 x 0.2e6 x (1400 + 33) / 1400 bits/s of the MCS15 uplink (0.9 after HARQ);
    // well under the cell, so everything is carried (up to the HARQ residual 1e-4).
    CHECK(j.offered_mbps == Approx(20 * 2.2));
    CHECK(j.carried_mbps == Approx(20 * 2.2 * (1 - 1e-4)).epsilon(1e-9));
    CHECK(j.meets_target);
    CHECK(j.headroom_terminals == Approx(j.max_terminals - 20));
    // max_terminals is where the uplink saturates first: time share per household d = bits / (R_ul x 0.9)
    const link::Budget ul = link::make_budget(tech, link::Direction::uplink);
    const double r_ul = link::best_mode(ul, 10.5)->phy_rate_mbps * 0.9e6;
    const double d = 0.2e6 * (1400.0 + 33.0) / 1400.0 / r_ul;
    CHECK(j.max_terminals <= std::floor(1.0 / d));  // beyond 1/d the uplink cannot carry 0.99
    const CellJudgement idle = judge_cell(tech, hh, {10.5}, 0, o);
    CHECK(idle.meets_target);
    CHECK(idle.carried_mbps == 0.0);
}
