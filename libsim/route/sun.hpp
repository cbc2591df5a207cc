// Solar interference on microwave backhaul hops: the sun in a receiving antenna's main beam raises its noise
// (sun transit outage). Sun position: J. Meeus, "Astronomical Algorithms", 2nd ed. (1998), ch. 25 low-accuracy
// method (the NOAA solar calculator's algorithm; about 0.01 deg), sidereal time eq. (12.4), horizontal
// coordinates eqs. (13.5)-(13.6), refraction by Bennett's formula (Meeus eq. (16.4)).
// Criterion (stated): an outage minute is one where the angular distance between the sun's centre and the
// antenna's boresight is at most half the antenna's half-power beamwidth plus the sun's apparent radius
// (0.267 deg): the solar disc touches the half-power cone. The boresight points along the hop toward the
// far end (elevation from the end heights over a 4/3 earth, given by the caller).
#pragma once

#include <vector>

#include "libsim/terrain/terrain.hpp"

namespace dxplan::route {

inline constexpr double kSunRadius_deg = 0.267;  // mean apparent radius (Meeus: 959.63" / 1 AU)

// Julian day of a UTC calendar date and time (Meeus eq. (7.1), Gregorian calendar).
double julian_day(int year, int month, int day, double hours_utc);

struct SunEquatorial {
    double ra_deg = 0.0;   // apparent right ascension
    double dec_deg = 0.0;  // apparent declination
};
SunEquatorial sun_equatorial(double julian_day);  // Meeus ch. 25, low accuracy

struct SunHorizontal {
    double azimuth_deg = 0.0;    // clockwise from north
    double elevation_deg = 0.0;  // apparent (refracted above -1 deg)
};
SunHorizontal sun_position(double julian_day, LatLon where);

struct SunOutage {
    double minutes_per_year = 0.0;
    int days = 0;                  // days with at least one outage minute
    double max_minutes_per_day = 0.0;
    std::vector<int> day_of_year;  // those days (1..365/366)
};

// Outage minutes over a calendar year (UTC, every step_minutes) for an antenna at `at` pointing at
// (azimuth_deg, elevation_deg) with half-power beamwidth beamwidth_deg, by the criterion above.
SunOutage sun_outage(LatLon at, double azimuth_deg, double elevation_deg, double beamwidth_deg, int year,
                     double step_minutes = 1.0);

}  // namespace dxplan::route
