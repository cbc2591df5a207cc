// dxplan core: the kinds of demand a plan serves, one enum for every layer (scenario `demand[].kind`,
// requirements per kind, cost kits' devices per kind, summary.json keys).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dxplan {

enum class DemandKind { household, facility, iot, camera };

inline constexpr std::array<DemandKind, 4> kDemandKinds = {DemandKind::household, DemandKind::facility, DemandKind::iot,
                                                           DemandKind::camera};

[[nodiscard]] constexpr std::size_t index_of(DemandKind k) { return static_cast<std::size_t>(k); }

// "household", "facility", "iot", "camera" (the scenario's and summary.json's names).
[[nodiscard]] constexpr std::string_view to_string(DemandKind k) {
    switch (k) {
        case DemandKind::household: return "household";
        case DemandKind::facility: return "facility";
        case DemandKind::iot: return "iot";
        case DemandKind::camera: return "camera";
    }
    return "?";
}

[[nodiscard]] inline std::optional<DemandKind> parse_demand_kind(std::string_view s) {
    for (DemandKind k : kDemandKinds)
        if (to_string(k) == s) return k;
    return std::nullopt;
}

// "household, facility, iot, camera": the valid values, for error messages.
[[nodiscard]] inline std::string demand_kind_names() {
    std::string out;
    for (DemandKind k : kDemandKinds) out += (out.empty() ? "" : ", ") + std::string(to_string(k));
    return out;
}

}  // namespace dxplan
