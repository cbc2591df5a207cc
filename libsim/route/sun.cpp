// Sun position and sun-transit outages (sun.hpp).
#include "libsim/route/sun.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "libsim/core/units.hpp"

namespace dxplan::route {

namespace {
double norm360(double x) {
    x = std::fmod(x, 360.0);
    return x < 0.0 ? x + 360.0 : x;
}
double sind(double x) { return std::sin(deg_to_rad(x)); }
double cosd(double x) { return std::cos(deg_to_rad(x)); }
}  // namespace

double julian_day(int year, int month, int day, double hours_utc) {
    if (month <= 2) {  // Meeus ch. 7: January and February count as months 13 and 14 of the previous year
        year -= 1;
        month += 12;
    }
    const int a = year / 100;
    const int b = 2 - a + a / 4;
    return std::floor(365.25 * (year + 4716)) + std::floor(30.6001 * (month + 1)) + day + b - 1524.5 + hours_utc / 24.0;  // eq. (7.1)
}

SunEquatorial sun_equatorial(double jd) {
    const double t = (jd - 2451545.0) / 36525.0;                                        // eq. (25.1)
    const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;                  // eq. (25.2)
    const double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;                   // eq. (25.3)
    const double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sind(m) + (0.019993 - 0.000101 * t) * sind(2.0 * m) +
                     0.000289 * sind(3.0 * m);                                          // equation of the centre
    const double omega = 125.04 - 1934.136 * t;
    const double lambda = l0 + c - 0.00569 - 0.00478 * sind(omega);                     // apparent longitude
    const double eps0 = 23.0 + (26.0 + (21.448 - t * (46.8150 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0;  // eq. (22.2)
    const double eps = eps0 + 0.00256 * cosd(omega);                                    // eq. (25.8)
    SunEquatorial s;
    s.ra_deg = norm360(rad_to_deg(std::atan2(cosd(eps) * sind(lambda), cosd(lambda))));  // eq. (25.6)
    s.dec_deg = rad_to_deg(std::asin(sind(eps) * sind(lambda)));                          // eq. (25.7)
    return s;
}

SunHorizontal sun_position(double jd, LatLon where) {
    const SunEquatorial eq = sun_equatorial(jd);
    const double t = (jd - 2451545.0) / 36525.0;
    const double gmst = 280.46061837 + 360.98564736629 * (jd - 2451545.0) + 0.000387933 * t * t - t * t * t / 38710000.0;  // eq. (12.4)
    const double h = norm360(gmst + where.lon_deg - eq.ra_deg);  // local hour angle (longitude positive east)
    const double phi = where.lat_deg;
    SunHorizontal out;
    const double el = rad_to_deg(std::asin(sind(phi) * sind(eq.dec_deg) + cosd(phi) * cosd(eq.dec_deg) * cosd(h)));  // eq. (13.6)
    // eq. (13.5) gives the azimuth from the south; + 180 deg: from the north, clockwise.
    out.azimuth_deg = norm360(rad_to_deg(std::atan2(sind(h), cosd(h) * sind(phi) - std::tan(deg_to_rad(eq.dec_deg)) * cosd(phi))) + 180.0);
    const double r_arcmin = el > -1.0 ? 1.0 / std::tan(deg_to_rad(el + 7.31 / (el + 4.4))) : 0.0;  // Bennett, eq. (16.4)
    out.elevation_deg = el + r_arcmin / 60.0;
    return out;
}

SunOutage sun_outage(LatLon at, double azimuth_deg, double elevation_deg, double beamwidth_deg, int year, double step_minutes) {
    SunOutage o;
    const double limit_deg = 0.5 * beamwidth_deg + kSunRadius_deg;
    const double cos_limit = std::cos(deg_to_rad(limit_deg));
    // Boresight unit vector (east, north, up).
    const double bx = cosd(elevation_deg) * sind(azimuth_deg), by = cosd(elevation_deg) * cosd(azimuth_deg), bz = sind(elevation_deg);
    const double jd0 = julian_day(year, 1, 1, 0.0), jd1 = julian_day(year + 1, 1, 1, 0.0);
    const int n_days = static_cast<int>(std::lround(jd1 - jd0));
    const auto within = [&](double jd, double cos_lim) {
        const SunHorizontal s = sun_position(jd, at);
        const double sx = cosd(s.elevation_deg) * sind(s.azimuth_deg), sy = cosd(s.elevation_deg) * cosd(s.azimuth_deg),
                     sz = sind(s.elevation_deg);
        return sx * bx + sy * by + sz * bz >= cos_lim;
    };
    // Coarse pass every 10 minutes with the limit widened by the sun's largest motion in 10 minutes (15 deg/h:
    // 2.5 deg), then every step_minutes within 10 minutes of a coarse hit.
    const double cos_coarse = std::cos(deg_to_rad(std::min(180.0, limit_deg + 2.6)));
    const int n_fine = static_cast<int>(std::ceil(1440.0 / step_minutes));
    std::vector<char> seen(static_cast<std::size_t>(n_fine));
    for (int d = 0; d < n_days; ++d) {
        std::fill(seen.begin(), seen.end(), 0);
        double minutes = 0.0;
        for (double coarse = 0.0; coarse < 1440.0; coarse += 10.0) {
            if (!within(jd0 + d + coarse / 1440.0, cos_coarse)) continue;
            const int f0 = std::max(0, static_cast<int>(std::floor((coarse - 10.0) / step_minutes)));
            const int f1 = std::min(n_fine - 1, static_cast<int>(std::ceil((coarse + 10.0) / step_minutes)));
            for (int f = f0; f <= f1; ++f) {
                if (seen[static_cast<std::size_t>(f)]) continue;
                seen[static_cast<std::size_t>(f)] = 1;
                if (within(jd0 + d + f * step_minutes / 1440.0, cos_limit)) minutes += step_minutes;
            }
        }
        if (minutes > 0.0) {
            o.minutes_per_year += minutes;
            ++o.days;
            o.day_of_year.push_back(d + 1);
            o.max_minutes_per_day = std::max(o.max_minutes_per_day, minutes);
        }
    }
    return o;
}

}  // namespace dxplan::route
