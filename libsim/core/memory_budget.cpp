#include "libsim/core/memory_budget.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "libsim/core/error.hpp"

namespace dxplan {

std::uint64_t default_memory_limit_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page = ::sysconf(_SC_PAGE_SIZE);
    const double phys = pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 4.0 * (1ull << 30);
    return static_cast<std::uint64_t>(std::max(0.75 * phys, 256.0 * (1ull << 20)));
}

std::string format_bytes(double bytes) {
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 6) bytes /= 1024.0, ++u;
    char buf[48];
    if (!std::isfinite(bytes)) return "more than 1024 EiB";
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
    return buf;
}

std::uint64_t parse_memory_limit(const std::string& text, const std::string& flag) {
    const std::string bad = flag + " '" + text + "': expected a size such as 2G, 512M or 1073741824 (bytes), at least 1M";
    std::size_t used = 0;
    double v = 0.0;
    try {
        v = std::stod(text, &used);
    } catch (...) {
        throw InputError(bad);
    }
    double scale = 1.0;
    const std::string unit = text.substr(used);
    if (unit == "K" || unit == "k" || unit == "KiB") scale = 1024.0;
    else if (unit == "M" || unit == "m" || unit == "MiB") scale = 1024.0 * 1024.0;
    else if (unit == "G" || unit == "g" || unit == "GiB") scale = 1024.0 * 1024.0 * 1024.0;
    else if (unit == "T" || unit == "t" || unit == "TiB") scale = 1024.0 * 1024.0 * 1024.0 * 1024.0;
    else if (!unit.empty()) throw InputError(bad);
    const double bytes = v * scale;
    if (!std::isfinite(bytes) || bytes < 1024.0 * 1024.0 || bytes > 1e19) throw InputError(bad);
    return static_cast<std::uint64_t>(bytes);
}

std::uint64_t MemoryBudget::limit() const { return limit_bytes ? limit_bytes : default_memory_limit_bytes(); }

void MemoryBudget::require(double need_bytes, const std::string& what, const std::string& fix) const {
    const auto lim = static_cast<double>(limit());
    if (need_bytes <= lim) return;
    throw InputError(what + " needs about " + format_bytes(need_bytes) + " (estimate), more than the memory limit " +
                     format_bytes(lim) + " (--memory-limit); " + fix);
}

}  // namespace dxplan
