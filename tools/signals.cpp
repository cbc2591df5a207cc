#include "tools/signals.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "libsim/core/output_set.hpp"

namespace dxplan::cli {

namespace {

std::atomic<bool> g_finished{false};

// SIGINT and SIGTERM, except one the parent left ignored (a shell's background job ignores SIGINT): kept ignored.
sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM}) {
        struct sigaction old {};
        if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaddset(&set, sig);
    }
    return set;
}

[[noreturn]] void watch(const sigset_t* set_ptr) {
    const sigset_t& set = *set_ptr;
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    cancel_token().request(sig);
    // The library stops at its next poll (between stages, per row of a coverage grid); give it 0.6 s.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(600);
    while (std::chrono::steady_clock::now() < deadline) {
        if (g_finished.load()) {
            for (;;) ::pause();  // main is returning with its own exit code
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    cleanup_registry().remove_all_now();
    std::fprintf(stderr, "\ndxplan: interrupted by signal %d; partial outputs removed, earlier outputs untouched\n", sig);
    std::fflush(stderr);
    ::_exit(128 + sig);
}

}  // namespace

CancelToken& cancel_token() {
    static CancelToken token;
    return token;
}

void command_finished() noexcept { g_finished.store(true); }

void install_signal_watch() {
    static const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started from now on
    std::thread(watch, &set).detach();
}

}  // namespace dxplan::cli
