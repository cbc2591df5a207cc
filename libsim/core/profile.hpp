// dxplan core: terrain profile between a transmitter and a receiver.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace dxplan {

// Uniformly spaced ground heights from the transmitter (index 0) to the receiver (last index).
// Heights in metres above mean sea level; spacing in metres along the great-circle path.
// The profile's length is spacing_m * (z_m.size() - 1).
struct Profile {
    double spacing_m = 0.0;
    std::vector<double> z_m;

    [[nodiscard]] double length_m() const {
        return z_m.size() < 2 ? 0.0 : spacing_m * static_cast<double>(z_m.size() - 1);
    }
};

// A non-owning view of a profile: what the propagation models take, so a coverage sweep can hand them
// slices of one buffer without allocating (a model never keeps the view beyond the call).
struct ProfileView {
    double spacing_m = 0.0;
    std::span<const double> z_m;

    ProfileView() = default;
    ProfileView(double spacing, std::span<const double> heights) : spacing_m(spacing), z_m(heights) {}
    ProfileView(const Profile& p) : spacing_m(p.spacing_m), z_m(p.z_m) {}  // NOLINT: implicit on purpose

    [[nodiscard]] std::size_t size() const { return z_m.size(); }
    [[nodiscard]] double length_m() const {
        return z_m.size() < 2 ? 0.0 : spacing_m * static_cast<double>(z_m.size() - 1);
    }
};

}  // namespace dxplan
