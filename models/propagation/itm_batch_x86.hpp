// ITM part (b) in batches (itm_batch.hpp), internal: the entry points of the x86 kernels, defined in
// itm_batch_x86.cpp (x86-64 builds without -DDXPLAN_PORTABLE=ON only) and called only from itm_batch.cpp after
// simd_kernel_supported() (libsim/core/simd.hpp) said this CPU runs them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "models/propagation/itm_batch.hpp"

namespace dxplan::prop::detail {

// itm_p2p_batch() over all lanes: AVX2 + FMA (4 lanes per vector) and AVX-512 F/DQ/VL/BW (8 lanes).
void avx2_lanes(const ItmPrepared& k, const ItmGeometryBatch& in, std::span<double> loss_db,
                std::span<std::uint32_t> warnings);
void avx512_lanes(const ItmPrepared& k, const ItmGeometryBatch& in, std::span<double> loss_db,
                  std::span<std::uint32_t> warnings);

// itm_refractivity_batch() over whole groups of lanes; return the first lane not done.
std::size_t avx2_refractivity(const double* h_m, std::size_t n, double n0, double* n_s, double* gamma);
std::size_t avx512_refractivity(const double* h_m, std::size_t n, double n0, double* n_s, double* gamma);

}  // namespace dxplan::prop::detail
