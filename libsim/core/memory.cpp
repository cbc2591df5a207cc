#include "libsim/core/memory.hpp"

#include <cstdint>

#include <sys/mman.h>

namespace dxplan {

void advise_huge_pages(const void* p, std::size_t bytes) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    constexpr std::uintptr_t kPage = 4096;
    if (p == nullptr || bytes < kHuge) return;
    const auto begin = reinterpret_cast<std::uintptr_t>(p) & ~(kPage - 1);  // madvise() wants a page-aligned start
    const auto end = reinterpret_cast<std::uintptr_t>(p) + bytes;
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // advice only: failure is harmless
}

}  // namespace dxplan
