#include "libsim/core/simd.hpp"

#include <array>
#include <atomic>
#include <cstddef>

namespace dxplan {

namespace {

// The widest kernel allowed (ScopedSimdLimit); the only mutable state of the dispatch.
std::atomic<int> g_limit{static_cast<int>(SimdKernel::avx512)};

std::array<bool, 3> detect() {
#if defined(DXPLAN_X86_KERNELS) && defined(__x86_64__)
    __builtin_cpu_init();
    return {true, __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"),
            __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw")};
#else
    return {true, false, false};  // portable build or not x86-64: only the portable loops are compiled
#endif
}

}  // namespace

std::string_view simd_kernel_name(SimdKernel kernel) {
    switch (kernel) {
        case SimdKernel::avx512: return "avx512";
        case SimdKernel::avx2: return "avx2";
        case SimdKernel::scalar: break;
    }
    return "scalar";
}

bool simd_kernel_supported(SimdKernel kernel) {
    static const std::array<bool, 3> supported = detect();
    const auto i = static_cast<std::size_t>(kernel);
    return i < supported.size() && supported[i];
}

SimdKernel simd_kernel() {
    const int limit = g_limit.load(std::memory_order_relaxed);
    for (int k = limit; k > 0; --k)
        if (simd_kernel_supported(static_cast<SimdKernel>(k))) return static_cast<SimdKernel>(k);
    return SimdKernel::scalar;
}

ScopedSimdLimit::ScopedSimdLimit(SimdKernel limit)
    : previous_(static_cast<SimdKernel>(g_limit.exchange(static_cast<int>(limit)))) {}

ScopedSimdLimit::~ScopedSimdLimit() { g_limit.store(static_cast<int>(previous_)); }

}  // namespace dxplan
