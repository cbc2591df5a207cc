// dxplan core: cooperative cancellation (issue 15 item 2). The tool owns one CancelToken, a signal watcher sets
// it (SIGINT, SIGTERM) and the library polls it between stages and in its parallel loops (through the pointer
// it is given; no globals in the models). A cancelled command throws Cancelled, so every OutputSet on the way
// out removes its staging paths and nothing the user had is touched; the tool exits 128 + the signal number.
#pragma once

#include <atomic>
#include <string>

#include "libsim/core/error.hpp"

namespace dxplan {

// Thrown when the command was asked to stop; signal() is the signal number (0 when not from a signal).
class Cancelled : public Error {
public:
    explicit Cancelled(int signal) : Error("interrupted by signal " + std::to_string(signal)), signal_(signal) {}
    [[nodiscard]] int signal() const noexcept { return signal_; }

private:
    int signal_;
};

class CancelToken {
public:
    // Async-signal-safe (a lock-free atomic store).
    void request(int signal) noexcept { signal_.store(signal == 0 ? -1 : signal, std::memory_order_relaxed); }
    [[nodiscard]] bool requested() const noexcept { return signal_.load(std::memory_order_relaxed) != 0; }
    // Throws Cancelled when requested (call outside parallel regions; inside, test requested() and skip work).
    void throw_if_requested() const {
        const int s = signal_.load(std::memory_order_relaxed);
        if (s != 0) throw Cancelled(s < 0 ? 0 : s);
    }

private:
    std::atomic<int> signal_{0};
    static_assert(std::atomic<int>::is_always_lock_free);
};

// Polls an optional token: a null pointer never cancels.
inline bool cancel_requested(const CancelToken* t) noexcept { return t && t->requested(); }
inline void throw_if_cancelled(const CancelToken* t) {
    if (t) t->throw_if_requested();
}

}  // namespace dxplan
