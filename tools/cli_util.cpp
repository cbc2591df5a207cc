#include "tools/cli_util.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "libsim/core/error.hpp"

namespace dxplan::cli {

CLI::Validator finite_range(double lo, double hi, const std::string& unit) {
    char range[96];
    std::snprintf(range, sizeof range, "[%g, %g]%s%s", lo, hi, unit.empty() ? "" : " ", unit.c_str());
    const std::string desc = range;
    return CLI::Validator(
        [lo, hi, desc](std::string& text) -> std::string {
            double v = NAN;
            try {
                std::size_t used = 0;
                v = std::stod(text, &used);
                if (used != text.size()) v = NAN;
            } catch (const std::logic_error&) {
            }
            if (std::isfinite(v) && v >= lo && v <= hi) return {};
            return "'" + text + "' must be a finite number in " + desc;
        },
        "FLOAT in " + desc);
}

LatLon parse_latlon(const std::string& text, const std::string& flag) {
    const auto comma = text.find(',');
    const std::string bad = flag + " '" + text + "': expected LAT,LON in decimal degrees, e.g. 35.3608,138.7275";
    if (comma == std::string::npos) throw InputError(bad);
    LatLon p;
    try {
        std::size_t used_lat = 0, used_lon = 0;
        const std::string lat = text.substr(0, comma), lon = text.substr(comma + 1);
        p.lat_deg = std::stod(lat, &used_lat);
        p.lon_deg = std::stod(lon, &used_lon);
        if (used_lat != lat.size() || used_lon != lon.size()) throw InputError(bad);
    } catch (const std::logic_error&) {
        throw InputError(bad);
    }
    if (!(std::abs(p.lat_deg) <= 90 && std::abs(p.lon_deg) <= 180))
        throw InputError(flag + " '" + text + "': latitude must be in [-90, 90] and longitude in [-180, 180]");
    return p;
}

void require_inside(const Terrain& t, LatLon p, const std::string& flag) {
    if (t.contains(p)) return;
    const GeoBox c = t.grid().centres();
    char msg[256];
    std::snprintf(msg, sizeof msg, "%s %.6f,%.6f is outside the terrain (lat %.6f .. %.6f, lon %.6f .. %.6f)",
                  flag.c_str(), p.lat_deg, p.lon_deg, c.south_deg, c.north_deg, c.west_deg, c.east_deg);
    throw InputError(msg);
}

link::Overrides parse_sets(const std::vector<std::string>& sets) {
    link::Overrides o;
    for (const auto& s : sets) {
        const auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0) throw InputError("--set '" + s + "': expected FIELD=VALUE, e.g. base.tx_power_dbm=20");
        o.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
    return o;
}

prop::LossResult compute_loss_cli(const prop::ModelInfo& model, const prop::LossQuery& q) {
    try {
        return prop::compute_loss(model, q);
    } catch (const InputError& e) {
        if (!q.enforce_ranges) throw;
        // A validity-range error (registry.cpp's "*_out_of_range", or a model's own range check such as ITM's
        // 20 GHz) is one that goes away when ranges are not enforced; any other bad input stays as it is.
        prop::LossQuery relaxed = q;
        relaxed.enforce_ranges = false;
        try {
            (void)prop::compute_loss(model, relaxed);
        } catch (const InputError&) {
            throw e;
        }
        throw InputError(std::string(e.what()) + " (--allow-out-of-range computes anyway)");
    }
}

}  // namespace dxplan::cli
