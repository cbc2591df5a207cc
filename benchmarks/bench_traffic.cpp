// Benchmark: a 10,000-point device sweep (10 .. 100,000 terminals, log) of the traffic load models for every
// technology family, with a fixed four-sample SINR cell and the water-level-sensor and camera profiles.
// Prints the CPU model, per technology the median wall time of 5 runs, and the total; target: under 1 s for
// all technologies on 2 cores (issue 14). The sweep is split over THREADS threads (default 2; argument 2): the
// models are pure and LoadModel::at is const, so the halves share one prepared model and the results (checksum)
// do not depend on the thread count.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "libsim/link/link.hpp"
#include "libsim/traffic/load.hpp"

namespace {

double wall_s() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// CPU time of the process (all threads): robust when other processes share the cores (as bench_coverage).
double cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace dxplan;
    const int points = argc > 1 ? std::stoi(argv[1]) : 10000;
    const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
    std::printf("CPU: %s\n", cpu_model().c_str());
    std::printf("sweep: %d points, 10..100000 terminals (log), SINR samples {-5, 0, 5, 15} dB, %d threads, median of 5 runs\n",
                points, threads);
    const traffic::Sweep sweep{10.0, 100000.0, points, true};
    const traffic::CellRadio cell{{-5.0, 0.0, 5.0, 15.0}, 0.0};
    const traffic::Profile sensor = traffic::load_profile("water-level-sensor");
    const traffic::Profile camera = traffic::with_processing(traffic::load_profile("camera-1080p-h265"), traffic::Processing::edge);
    double total_s = 0.0, total_cpu_s = 0.0;
    for (const char* name : {"lorawan-as923-jp", "halow-jp-1mhz", "wifi6e-vlp-20mhz", "local5g-n79-100mhz", "ltem", "nbiot"}) {
        const link::Technology tech = link::load_technology(name);
        const traffic::Profile& p = tech.family == link::Family::lora ? sensor : camera;
        std::vector<double> t, cpu;
        double checksum = 0.0;
        for (int run = 0; run < 5; ++run) {
            const double t0 = wall_s(), c0 = cpu_s();
            const traffic::LoadModel model(tech, p, cell);  // prepared once per run: part of the timing
            const std::vector<double> ns = traffic::sweep_points(sweep);
            std::vector<double> delivery(ns.size());
            std::vector<std::thread> pool;
            for (int th = 0; th < threads; ++th)
                pool.emplace_back([&, th] {
                    for (std::size_t i = static_cast<std::size_t>(th); i < ns.size(); i += static_cast<std::size_t>(threads))
                        delivery[i] = model.at(ns[i]).delivery_ratio;
                });
            for (auto& th : pool) th.join();
            for (double d : delivery) checksum += d;
            t.push_back(wall_s() - t0);
            cpu.push_back(cpu_s() - c0);
        }
        std::sort(t.begin(), t.end());
        std::sort(cpu.begin(), cpu.end());
        total_s += t[2];
        total_cpu_s += cpu[2];
        std::printf("%-18s %-26s wall %8.2f ms  cpu %8.2f ms  (%.2f us cpu/point, checksum %.6g)\n", name, p.name.c_str(),
                    t[2] * 1e3, cpu[2] * 1e3, cpu[2] * 1e6 / points, checksum);
    }
    std::printf("all technologies: wall %.3f s, cpu %.3f s (target < 1 s on 2 cores; wall grows with the host's load)\n", total_s, total_cpu_s);
    return 0;
}
