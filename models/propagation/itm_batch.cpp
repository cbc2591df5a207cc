// ITM part (b) over structure-of-arrays batches: one kernel, written once over a vector width, compiled for
// AVX-512 (eight lanes per __m512d) and for AVX2 + FMA (four lanes per __m256d) and chosen at run time, and the
// scalar itm_p2p_from_geometry() loop elsewhere. Each function of the kernel is the lane-wise form of the itm.cpp
// function of the same name and cites the same equations; references: itm.hpp. The arithmetic is written in
// itm.cpp's order, without FMA contraction (-ffp-contract=off, models/propagation/CMakeLists.txt), so lanes differ
// from the scalar code only by the rounding of libmvec's log/exp/log10/cbrt/sin/cos/pow against libm's.
// A branch of itm.cpp is a blend here; an expensive branch is computed only when a lane of the group takes it, and
// a lane's value never depends on whether its neighbours made the branch run.
//
// How the two widths share one kernel: the lane-wise primitives (broadcast, compare, blend, libmvec calls, ...)
// are overloads on the vector type, defined in `#pragma GCC target` regions (Avx2, Avx512 in itm_batch_x86.cpp). The kernel
// (Kernel<Simd>) is a class template outside those regions whose functions are all always_inline: it is compiled
// only inlined into the entry functions avx2_lanes() / avx512_lanes(), which carry the target, so no AVX-512
// instruction reaches the AVX2 path and no code of the kernel runs outside its target.
// This file: the scalar lanes, the checks and the one choice of kernel (run_kernel(), from libsim/core/simd.hpp);
// the x86 kernels are in itm_batch_x86.cpp, compiled only for x86-64 without -DDXPLAN_PORTABLE=ON.
#include "models/propagation/itm_batch.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/numbers.hpp"
#include "libsim/core/simd.hpp"
#include "models/propagation/itm_batch_x86.hpp"

namespace dxplan::prop {

namespace {


ItmTerrainGeometry lane_geometry(const ItmGeometryBatch& in, std::size_t i) {
    ItmTerrainGeometry g;
    g.d_m = in.d_m[i];
    g.h_m = {in.h_tx_m[i], in.h_rx_m[i]};
    g.theta_hzn = {in.theta_hzn_tx[i], in.theta_hzn_rx[i]};
    g.d_hzn_m = {in.d_hzn_tx_m[i], in.d_hzn_rx_m[i]};
    g.h_e_m = {in.h_e_tx_m[i], in.h_e_rx_m[i]};
    g.delta_h_m = in.delta_h_m[i];
    g.N_s = in.n_s[i];
    g.gamma_e_per_m = in.gamma_e_per_m[i];
    return g;
}

// Every lane with the scalar model.
void scalar_lanes(const ItmPrepared& k, const ItmGeometryBatch& in, std::span<double> loss_db,
                  std::span<std::uint32_t> warnings) {
    for (std::size_t i = 0; i < loss_db.size(); ++i) {
        try {
            const ItmResult r = itm_p2p_from_geometry(lane_geometry(in, i), k);
            loss_db[i] = r.loss_db;
            warnings[i] = r.warnings;
        } catch (const InputError&) {
            loss_db[i] = kNaN;
            warnings[i] = itm_batch_error;
        }
    }
}

// ITM step 1 from the mean path height h_sys (itm_analyze_profile()), for the lanes from i on.
void scalar_refractivity(const double* h_m, std::size_t i, std::size_t n, double n0, double* n_s, double* gamma) {
    for (; i < n; ++i) {
        n_s[i] = (h_m[i] == 0.0) ? n0 : n0 * std::exp(-h_m[i] / 9460.0);  // [TN101 eq. 4.3]
        gamma[i] = 157e-9 * (1.0 - 0.04665 * std::exp(n_s[i] / 179.3));   // [TN101 eq. 4.4]
    }
}

// The one place that runs a kernel (checked by the caller: supported here).
void run_kernel(ItmBatchKernel kernel, const ItmPrepared& prepared, const ItmGeometryBatch& in,
                std::span<double> loss_db, std::span<std::uint32_t> warnings) {
    switch (kernel) {
#if defined(DXPLAN_X86_KERNELS) && defined(__x86_64__)
        case SimdKernel::avx512: detail::avx512_lanes(prepared, in, loss_db, warnings); return;
        case SimdKernel::avx2: detail::avx2_lanes(prepared, in, loss_db, warnings); return;
#endif
        default: scalar_lanes(prepared, in, loss_db, warnings); return;
    }
}

// The lanes [0, returned) of itm_refractivity_batch() with the vector kernel, none for scalar.
std::size_t vector_refractivity([[maybe_unused]] const double* h_m, [[maybe_unused]] std::size_t n,
                                [[maybe_unused]] double n0, [[maybe_unused]] double* n_s,
                                [[maybe_unused]] double* gamma) {
    switch (simd_kernel()) {
#if defined(DXPLAN_X86_KERNELS) && defined(__x86_64__)
        case SimdKernel::avx512: return detail::avx512_refractivity(h_m, n, n0, n_s, gamma);
        case SimdKernel::avx2: return detail::avx2_refractivity(h_m, n, n0, n_s, gamma);
#endif
        default: return 0;
    }
}

}  // namespace

void ItmGeometryBuffer::clear() {
    for (std::vector<double>& f : fields_) f.clear();
}

void ItmGeometryBuffer::push_back(const ItmTerrainGeometry& g) {
    const std::array<double, 12> v = {g.d_m,        g.h_m[0],        g.h_m[1],        g.h_e_m[0],
                                      g.h_e_m[1],   g.d_hzn_m[0],    g.d_hzn_m[1],    g.theta_hzn[0],
                                      g.theta_hzn[1], g.delta_h_m,   g.N_s,           g.gamma_e_per_m};
    for (std::size_t j = 0; j < v.size(); ++j) fields_[j].push_back(v[j]);
}

ItmGeometryBatch ItmGeometryBuffer::view() const {
    const auto& f = fields_;
    return {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]};
}

bool itm_batch_kernel_supported(ItmBatchKernel kernel) { return simd_kernel_supported(kernel); }

ItmBatchKernel itm_batch_kernel() { return simd_kernel(); }

std::string_view itm_batch_kernel_name(ItmBatchKernel kernel) { return simd_kernel_name(kernel); }

void itm_p2p_batch(ItmBatchKernel kernel, const ItmPrepared& prepared, const ItmGeometryBatch& in,
                   std::span<double> loss_db, std::span<std::uint32_t> warnings) {
    const std::size_t n = loss_db.size();
    for (const std::size_t size : {in.d_m.size(), in.h_tx_m.size(), in.h_rx_m.size(), in.h_e_tx_m.size(),
                                   in.h_e_rx_m.size(), in.d_hzn_tx_m.size(), in.d_hzn_rx_m.size(),
                                   in.theta_hzn_tx.size(), in.theta_hzn_rx.size(), in.delta_h_m.size(), in.n_s.size(),
                                   in.gamma_e_per_m.size(), warnings.size()})
        if (size != n)
            throw InternalError("itm_p2p_batch: every input span and warnings must have loss_db's length " +
                                std::to_string(n) + ", one has " + std::to_string(size));
    if (!itm_batch_kernel_supported(kernel))
        throw InternalError("itm_p2p_batch: kernel " + std::string(itm_batch_kernel_name(kernel)) +
                            " is not supported by this build or CPU");
    run_kernel(kernel, prepared, in, loss_db, warnings);
}

void itm_p2p_batch(const ItmPrepared& prepared, const ItmGeometryBatch& in, std::span<double> loss_db,
                   std::span<std::uint32_t> warnings) {
    itm_p2p_batch(itm_batch_kernel(), prepared, in, loss_db, warnings);
}

void itm_refractivity_batch(std::span<const double> h_sys_m, double n0, std::span<double> n_s,
                            std::span<double> gamma_e_per_m) {
    if (n_s.size() != h_sys_m.size() || gamma_e_per_m.size() != h_sys_m.size())
        throw InternalError("itm_refractivity_batch: " + std::to_string(h_sys_m.size()) + " heights but " +
                            std::to_string(n_s.size()) + " / " + std::to_string(gamma_e_per_m.size()) + " outputs");
    const std::size_t n = h_sys_m.size();
    const std::size_t from = vector_refractivity(h_sys_m.data(), n, n0, n_s.data(), gamma_e_per_m.data());
    scalar_refractivity(h_sys_m.data(), from, n, n0, n_s.data(), gamma_e_per_m.data());
}

}  // namespace dxplan::prop
