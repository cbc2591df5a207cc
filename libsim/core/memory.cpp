#include "libsim/core/memory.hpp"

#include <cstdint>

#include <malloc.h>
#include <sys/mman.h>

namespace dxplan {

void keep_freed_memory() {
    constexpr int kLarge = 1 << 30;       // blocks up to 1 GiB from the heap rather than their own mmap()
    (void)mallopt(M_MMAP_THRESHOLD, kLarge);
    (void)mallopt(M_TRIM_THRESHOLD, kLarge);  // and free memory at the heap's top kept up to 1 GiB
}

void advise_huge_pages(const void* p, std::size_t bytes) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    constexpr std::uintptr_t kPage = 4096;
    if (p == nullptr || bytes < kHuge) return;
    const auto begin = reinterpret_cast<std::uintptr_t>(p) & ~(kPage - 1);  // madvise() wants a page-aligned start
    const auto end = reinterpret_cast<std::uintptr_t>(p) + bytes;
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // advice only: failure is harmless
}

}  // namespace dxplan
