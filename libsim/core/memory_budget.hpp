// dxplan core: bounded memory (issue 15 item 3). Every allocation that grows with the input (mosaics, grids,
// profiles, demand points, Monte Carlo draws) is estimated before it is made and compared with a limit; a
// request that cannot fit is refused up front as bad input, with the estimate and what to change, instead of
// std::bad_alloc or the kernel's OOM killer minutes later.
#pragma once

#include <cstdint>
#include <string>

namespace dxplan {

// The default limit: 3/4 of the physical memory (sysconf), at least 256 MiB.
[[nodiscard]] std::uint64_t default_memory_limit_bytes();

// "1.5 GiB", "320 MiB", "12 KiB".
[[nodiscard]] std::string format_bytes(double bytes);

// Parses "--memory-limit" text: a number with an optional unit K, M, G, T (binary, e.g. "2G", "512M") or a
// plain number of bytes; InputError naming the flag otherwise (must be >= 1 MiB).
[[nodiscard]] std::uint64_t parse_memory_limit(const std::string& text, const std::string& flag);

struct MemoryBudget {
    std::uint64_t limit_bytes = 0;  // 0: default_memory_limit_bytes()
    [[nodiscard]] std::uint64_t limit() const;
    // Throws InputError "WHAT needs about N (estimate), more than the memory limit L (--memory-limit); FIX"
    // when need_bytes (a double, so products of counts cannot wrap) is above the limit.
    void require(double need_bytes, const std::string& what, const std::string& fix) const;
};

}  // namespace dxplan
