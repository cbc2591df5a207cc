// dxplan core: the one way to run a loop over OpenMP threads when its body may throw. An exception must not leave
// an OpenMP region (the program would terminate), so each iteration's exception is caught, the loop finishes, and
// the exception of the lowest index is rethrown: the same error for any thread count (deterministic).
// OpenMP is a compile option of the layers that use this (libsim/coverage, libsim/scenario, ...); a translation
// unit compiled without it runs the loop serially with the same result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>

namespace dxplan {

// body(state, i) for i = 0..n-1 over the threads (schedule(dynamic, chunk)), `state` = make_state() once per
// thread (scratch buffers, per-thread counters). A lone iteration (n == 1) runs on the calling thread outside any
// active region, so nested parallel loops inside it keep their threads. Rethrows the lowest index's exception.
template <class MakeState, class Body>
void parallel_for(std::ptrdiff_t n, int chunk, MakeState&& make_state, Body&& body) {
    std::ptrdiff_t first_at = PTRDIFF_MAX;
    std::exception_ptr first;
#pragma omp parallel if (n > 1)
    {
        auto state = make_state();
#pragma omp for schedule(dynamic, chunk)
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            try {
                body(state, i);
            } catch (...) {
#pragma omp critical(dxplan_parallel_for)
                if (i < first_at) {
                    first_at = i;
                    first = std::current_exception();
                }
            }
        }
    }
    if (first) std::rethrow_exception(first);
}

// The same without per-thread state: body(i).
template <class Body>
void parallel_for(std::ptrdiff_t n, int chunk, Body&& body) {
    parallel_for(n, chunk, [] { return 0; }, [&body](int, std::ptrdiff_t i) { body(i); });
}

}  // namespace dxplan
