// dxplan core: the one dispatch point of the vectorised kernels (ITM part (b) in batches, ITM terrain analysis,
// DEM line sampling). Every kernel has a portable C++ loop (scalar or auto-vectorised: any CPU, any compiler) and,
// on x86-64 builds without -DDXPLAN_PORTABLE=ON, hand-written AVX2 / AVX-512 variants in their own translation units
// (*_x86.cpp, compiled only there). Callers ask simd_kernel() which one to run; nothing else tests the CPU.
//
// Results: the terrain and DEM kernels give the bits of their portable loops (same IEEE operations in the same
// order, no FMA contraction); the ITM batch kernels differ in the last bits (libmvec, see itm_batch.hpp).
#pragma once

#include <string_view>

namespace dxplan {

// The kernel families, narrowest first. avx2 means AVX2 + FMA, avx512 means AVX-512 F/DQ/VL/BW.
enum class SimdKernel : int { scalar = 0, avx2 = 1, avx512 = 2 };

std::string_view simd_kernel_name(SimdKernel kernel);  // "scalar", "avx2", "avx512"

// True when `kernel` is compiled in (x86-64, not DXPLAN_PORTABLE) and this CPU runs it; scalar always.
bool simd_kernel_supported(SimdKernel kernel);

// The kernel to run: the widest supported one, no wider than the limit below.
SimdKernel simd_kernel();

// Forces kernels no wider than `limit` process-wide while it lives (tests and benchmarks compare the portable
// loops with the vector kernels: ScopedSimdLimit scalar_only(SimdKernel::scalar);). Not for concurrent use:
// construct it before the threads start. The limit is restored on destruction.
class ScopedSimdLimit {
public:
    explicit ScopedSimdLimit(SimdKernel limit);
    ~ScopedSimdLimit();
    ScopedSimdLimit(const ScopedSimdLimit&) = delete;
    ScopedSimdLimit& operator=(const ScopedSimdLimit&) = delete;

private:
    SimdKernel previous_;
};

}  // namespace dxplan
