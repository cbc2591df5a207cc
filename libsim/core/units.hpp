// dxplan core: physical constants and unit conversions. Names carry their units (ARCHITECTURE.md 1).
#pragma once

#include <cmath>
#include <numbers>

namespace dxplan {

inline constexpr double kSpeedOfLight_m_per_s = 299'792'458.0;   // exact (SI)
inline constexpr double kKT0_dbm_per_hz = -173.975;              // kT0: 10 log10(k T0 / 1 mW), T0 = 290 K
inline constexpr double kWgs84A_m = 6'378'137.0;                 // WGS84 semi-major axis
inline constexpr double kWgs84F = 1.0 / 298.257223563;           // WGS84 flattening
inline constexpr double kEarthRadiusMean_m = 6'371'000.0;        // mean radius, used where a model says "a"
inline constexpr double kPi = std::numbers::pi;

inline constexpr double deg_to_rad(double deg) { return deg * kPi / 180.0; }
inline constexpr double rad_to_deg(double rad) { return rad * 180.0 / kPi; }

inline double dbm_to_mw(double p_dbm) { return std::pow(10.0, p_dbm / 10.0); }
inline double mw_to_dbm(double p_mw) { return 10.0 * std::log10(p_mw); }
inline double db_to_ratio(double x_db) { return std::pow(10.0, x_db / 10.0); }
inline double ratio_to_db(double x) { return 10.0 * std::log10(x); }

// Wavelength from frequency.
inline double wavelength_m(double f_mhz) { return kSpeedOfLight_m_per_s / (f_mhz * 1e6); }

}  // namespace dxplan
