// Antenna patterns: omni, the 3GPP sector (element) pattern with electrical downtilt, and pattern files.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "libsim/core/error.hpp"
#include "libsim/link/link.hpp"

namespace dxplan::link {

AntennaPattern omni_pattern() { return AntennaPattern{}; }

AntennaPattern sector_pattern(double hpbw_h_deg, double hpbw_v_deg) {
    if (!(hpbw_h_deg > 0.0 && hpbw_h_deg <= 360.0) || !(hpbw_v_deg > 0.0 && hpbw_v_deg <= 180.0))
        throw InputError("sector antenna: half-power beamwidths must be in (0, 360] deg (horizontal) and (0, 180] deg (vertical)");
    AntennaPattern p;
    p.kind = AntennaPattern::Kind::sector;
    p.hpbw_h_deg = hpbw_h_deg;
    p.hpbw_v_deg = hpbw_v_deg;
    return p;
}

namespace {

// Wraps an angle to (-180, 180].
double wrap180(double a_deg) {
    a_deg = std::fmod(a_deg, 360.0);
    if (a_deg > 180.0) a_deg -= 360.0;
    if (a_deg <= -180.0) a_deg += 360.0;
    return a_deg;
}

// Linear interpolation in a sorted (angle, value) table; `periodic` wraps over 360 degrees.
double interpolate(const std::vector<std::pair<double, double>>& t, double a_deg, bool periodic) {
    if (t.size() == 1) return t.front().second;
    if (periodic) {
        // Bring a into [first, first + 360) and interpolate across the wrap between the last and first samples.
        const double first = t.front().first;
        while (a_deg < first) a_deg += 360.0;
        while (a_deg >= first + 360.0) a_deg -= 360.0;
        if (a_deg > t.back().first) {
            const double span = first + 360.0 - t.back().first;
            const double w = (a_deg - t.back().first) / span;
            return t.back().second + w * (t.front().second - t.back().second);
        }
    } else {
        a_deg = std::clamp(a_deg, t.front().first, t.back().first);
    }
    const auto hi = std::lower_bound(t.begin(), t.end(), a_deg, [](const auto& s, double a) { return s.first < a; });
    if (hi == t.begin()) return hi->second;
    const auto lo = hi - 1;
    const double w = (a_deg - lo->first) / (hi->first - lo->first);
    return lo->second + w * (hi->second - lo->second);
}

}  // namespace

double pattern_attenuation_db(const AntennaPattern& p, double az_off_deg, double el_deg, double tilt_deg) {
    switch (p.kind) {
        case AntennaPattern::Kind::omni:
            return 0.0;
        case AntennaPattern::Kind::sector: {
            const double phi = wrap180(az_off_deg);
            const double theta_off = el_deg + tilt_deg;  // zenith angle theta - 90 - tilt = -(el + tilt)
            const double a_h = std::min(12.0 * (phi / p.hpbw_h_deg) * (phi / p.hpbw_h_deg), p.front_to_back_db);  // TR 38.901 Tab 7.3-1 A_E,H
            const double a_v = std::min(12.0 * (theta_off / p.hpbw_v_deg) * (theta_off / p.hpbw_v_deg), p.sla_v_db);  // A_E,V with tilt (TR 36.814 Tab A.2.1.1-2)
            return std::min(a_h + a_v, p.front_to_back_db);  // TR 38.901 Tab 7.3-1: A = -min(-(A_V + A_H), A_m)
        }
        case AntennaPattern::Kind::table: {
            const double a_h = interpolate(p.azimuth, az_off_deg, true);
            const double a_v = p.elevation.empty() ? 0.0 : interpolate(p.elevation, el_deg + tilt_deg, false);
            return std::min(a_h + a_v, p.front_to_back_db);  // combined as TR 38.901 Tab 7.3-1
        }
    }
    return 0.0;
}

AntennaPattern load_pattern_csv(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string() + ": cannot be read");
    AntennaPattern p;
    p.kind = AntennaPattern::Kind::table;
    std::string line;
    int line_no = 0;
    bool header = false;
    while (std::getline(in, line)) {
        ++line_no;
        const std::string where = file.string() + ":" + std::to_string(line_no) + ": ";
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        line.erase(std::remove_if(line.begin(), line.end(), [](unsigned char ch) { return std::isspace(ch); }), line.end());
        if (line.empty()) continue;
        if (!header) {
            if (line != "plane,angle_deg,gain_dbi") throw InputError(where + "the first line must be 'plane,angle_deg,gain_dbi'");
            header = true;
            continue;
        }
        std::stringstream ss(line);
        std::string plane, a, g;
        if (!std::getline(ss, plane, ',') || !std::getline(ss, a, ',') || !std::getline(ss, g, ','))
            throw InputError(where + "expected plane,angle_deg,gain_dbi");
        double angle_deg = 0.0, gain_dbi = 0.0;
        try {
            std::size_t n1 = 0, n2 = 0;
            angle_deg = std::stod(a, &n1);
            gain_dbi = std::stod(g, &n2);
            if (n1 != a.size() || n2 != g.size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw InputError(where + "angle_deg and gain_dbi must be numbers");
        }
        if (!(gain_dbi > -100.0 && gain_dbi < 60.0)) throw InputError(where + "gain_dbi must be in (-100, 60) dBi");
        if (plane == "azimuth") {
            if (!(angle_deg >= -180.0 && angle_deg <= 360.0)) throw InputError(where + "azimuth angle must be in [-180, 360] deg");
            p.azimuth.emplace_back(angle_deg, gain_dbi);
        } else if (plane == "elevation") {
            if (!(angle_deg >= -90.0 && angle_deg <= 90.0)) throw InputError(where + "elevation angle must be in [-90, 90] deg");
            p.elevation.emplace_back(angle_deg, gain_dbi);
        } else {
            throw InputError(where + "plane must be azimuth or elevation");
        }
    }
    if (p.azimuth.empty()) throw InputError(file.string() + ": needs at least one azimuth row");
    for (auto* t : {&p.azimuth, &p.elevation}) {
        std::sort(t->begin(), t->end());
        for (std::size_t i = 1; i < t->size(); ++i)
            if ((*t)[i].first == (*t)[i - 1].first)
                throw InputError(file.string() + ": duplicate angle " + std::to_string((*t)[i].first) + " deg");
    }
    const auto peak = [](const auto& t) {
        return std::max_element(t.begin(), t.end(), [](const auto& x, const auto& y) { return x.second < y.second; })->second;
    };
    p.peak_gain_dbi = peak(p.azimuth);
    if (!p.elevation.empty() && std::abs(peak(p.elevation) - p.peak_gain_dbi) > 0.5)
        throw InputError(file.string() + ": azimuth and elevation peaks differ by more than 0.5 dB (both cuts must pass through boresight)");
    const double el_peak = p.elevation.empty() ? 0.0 : peak(p.elevation);
    p.front_to_back_db = 0.0;
    for (auto& [angle, g] : p.azimuth) {
        g = p.peak_gain_dbi - g;
        p.front_to_back_db = std::max(p.front_to_back_db, g);
    }
    for (auto& [angle, g] : p.elevation) g = el_peak - g;
    if (p.front_to_back_db == 0.0) p.front_to_back_db = 1e9;  // an omni azimuth cut: elevation alone shapes it
    return p;
}

}  // namespace dxplan::link
