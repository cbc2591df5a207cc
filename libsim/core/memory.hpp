// Large working arrays (rasters, per-pixel buffers) on transparent huge pages.
//
// The kernel backs memory at first touch, one fault per 4 KiB page; on the virtual machines dxplan is benchmarked
// on a fault costs ~15 us, so first touching a 26 MB buffer took 110 ms. Advised as huge pages (THP "madvise"
// mode, Debian's default) it takes one fault per 2 MiB: 2 ms. The advice must come before the first touch:
// reserve, advise, then fill. Only advice: where THP is off nothing changes, and values never do.
#pragma once

#include <cstddef>
#include <vector>

namespace dxplan {

// For a process that allocates and frees large arrays in phases (load a DEM, then solve): large blocks come from
// the heap and freed memory stays mapped, so a later phase reuses pages already backed instead of faulting in
// (and zeroing) fresh ones. Call once at the start of main() (tools, benchmarks). glibc mallopt().
void keep_freed_memory();

// Advises huge pages for the pages of [p, p + bytes); a no-op below 2 MiB or where madvise() refuses.
void advise_huge_pages(const void* p, std::size_t bytes);

// v.reserve(n), advised as huge pages before anything is written.
template <class T>
void reserve_huge(std::vector<T>& v, std::size_t n) {
    v.reserve(n);
    advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace dxplan
