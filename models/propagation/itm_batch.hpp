// ITM point-to-point part (b) (itm_p2p_from_geometry(geometry, prepared), itm.hpp) over many geometries at once:
// structure-of-arrays inputs, evaluated eight at a time by an AVX-512 kernel when the CPU has AVX-512F/DQ/VL/BW,
// else four at a time by the same kernel compiled for AVX2+FMA, both with glibc's libmvec for the transcendental
// functions, else by the scalar itm_p2p_from_geometry() lane by lane (itm_batch_kernel(): simd_kernel(),
// libsim/core/simd.hpp; x86 kernels only on x86-64 builds without -DDXPLAN_PORTABLE=ON).
// References and equations: itm.hpp / itm.cpp (the kernel cites the same ones on each line).
//
// Accuracy: lane i equals itm_p2p_from_geometry() on geometry i within the rounding of libmvec (<= 4 ulp per call)
// against glibc's scalar libm; tests/unit/propagation/test_itm_batch.cpp checks |batch - scalar| <= 1e-6 dB with
// each kernel (largest seen: AVX2 6e-11 dB, AVX-512 8e-11 dB) and identical warnings on real and synthetic
// profiles. Losses are returned in double, so that this holds beyond float's resolution (1.5e-5 dB at 150 dB); the
// coverage solver stores them as float. A lane whose branch decision sits exactly on a threshold (e.g. d == d_sML)
// could take the other branch than the scalar code after such a rounding difference; never seen in the tests.
// Determinism: a lane's result depends only on its own geometry and `prepared`, never on its neighbours, its
// position in the batch or the batch size (partial groups are padded, not sent to the scalar code), so the same
// path gives the same bits in every batch with a given kernel. The kernels differ from each other in the last
// bits (libmvec's AVX2 and AVX-512 functions round differently): a machine of another kind gives other low bits
// unless the kernel is chosen explicitly. Pure and thread safe; no allocation.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "libsim/core/simd.hpp"
#include "models/propagation/itm.hpp"

namespace dxplan::prop {

// Warning bit of a lane the model rejects, where itm_p2p_from_geometry() throws InputError: a structural height
// outside its range (validate_heights), N_s outside [150, 400] N-units or a_e = 1/gamma_e outside
// [4000, 13333] km (reference attenuation). Such a lane has loss NaN and exactly this bit. Not an NTIA bit (those
// end at 0x4000); the same value as dxplan::coverage::kModelError.
inline constexpr std::uint32_t itm_batch_error = 0x80000000;

// The fields of ItmTerrainGeometry, one span per field, all of the same length (lane i = element i).
struct ItmGeometryBatch {
    std::span<const double> d_m;
    std::span<const double> h_tx_m, h_rx_m;      // h_m[0], h_m[1]
    std::span<const double> h_e_tx_m, h_e_rx_m;  // h_e_m[0], h_e_m[1]
    std::span<const double> d_hzn_tx_m, d_hzn_rx_m;
    std::span<const double> theta_hzn_tx, theta_hzn_rx;  // rad
    std::span<const double> delta_h_m;
    std::span<const double> n_s;  // N_s, N-units
    std::span<const double> gamma_e_per_m;
};

// Storage for an ItmGeometryBatch, filled geometry by geometry; clear() keeps the capacity (one per thread, reused).
class ItmGeometryBuffer {
public:
    void clear();
    void push_back(const ItmTerrainGeometry& g);
    [[nodiscard]] std::size_t size() const { return fields_[0].size(); }
    [[nodiscard]] ItmGeometryBatch view() const;  // valid until the next push_back

private:
    std::array<std::vector<double>, 12> fields_;  // in ItmGeometryBatch's order
};

// The kernels of itm_p2p_batch(): the scalar model lane by lane, four lanes per AVX2 vector, eight per AVX-512 one
// (the kernel families of libsim/core/simd.hpp).
using ItmBatchKernel = SimdKernel;
std::string_view itm_batch_kernel_name(ItmBatchKernel kernel);  // "scalar", "avx2", "avx512"

// True when this build and CPU run `kernel`: avx2 needs AVX2 and FMA, avx512 AVX-512F/DQ/VL/BW; scalar always.
bool itm_batch_kernel_supported(ItmBatchKernel kernel);

// The kernel itm_p2p_batch() uses: simd_kernel(), the widest supported one (within a ScopedSimdLimit).
ItmBatchKernel itm_batch_kernel();

// loss_db[i] = itm_p2p_from_geometry(geometry i, prepared).loss_db and warnings[i] its warning bits (or NaN and
// itm_batch_error, see above), with itm_batch_kernel(). Throws InternalError when a span's length differs from
// loss_db's.
void itm_p2p_batch(const ItmPrepared& prepared, const ItmGeometryBatch& in, std::span<double> loss_db,
                   std::span<std::uint32_t> warnings);

// The same with a given kernel (the same bits on machines of different kinds, tests); throws InternalError when
// this build or CPU does not support it.
void itm_p2p_batch(ItmBatchKernel kernel, const ItmPrepared& prepared, const ItmGeometryBatch& in,
                   std::span<double> loss_db, std::span<std::uint32_t> warnings);

// ITM step 1 for many mean path heights h_sys (itm_analyze_profile(): N_s [TN101 eq. 4.3] and gamma_e [eq. 4.4]):
// n_s[i] and gamma_e_per_m[i], within libmvec's exp rounding (<= 4 ulp) of the scalar formulas. Throws
// InternalError when the lengths differ. The same kernels as itm_p2p_batch(), the remainder lanes scalar.
void itm_refractivity_batch(std::span<const double> h_sys_m, double n0, std::span<double> n_s,
                            std::span<double> gamma_e_per_m);

}  // namespace dxplan::prop
