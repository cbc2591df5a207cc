// dxplan coverage: statistics of combined coverage maps: covered area, share of the area of interest, covered
// demand points by kind, per technology and per site. "Covered" is TechnologyMaps::covered(): downlink and uplink
// modes exist at the planning SINR/SNR, i.e. after the fade margin of the target location reliability
// (MultiSiteSpec::budget: location_reliability, shadow_sigma_db).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libsim/coverage/multi_site.hpp"

namespace dxplan::coverage {

struct DemandPoint {
    std::string id;
    LatLon pos;
    std::string kind;  // "household", "facility", "iot", ...
};

struct DemandCount {
    std::string kind;
    std::size_t total = 0;    // points of this kind inside the grid
    std::size_t covered = 0;
};

struct SiteStats {
    std::string id;
    double best_server_km2 = 0.0;  // area where the site is the best server (covered or not)
    double covered_km2 = 0.0;      // ... and covered
    std::size_t demand_best_server = 0;  // demand points where the site is the best server (covered or not)
    std::size_t demand_covered = 0;      // ... and covered
};

struct TechnologyStats {
    std::string technology;
    double aoi_km2 = 0.0;
    double covered_km2 = 0.0;
    double covered_share = 0.0;  // covered / aoi
    std::vector<DemandCount> demand;  // by kind, in first-seen order
    std::vector<SiteStats> sites;     // the technology's sites, in MultiSiteSpec::sites order
};

// aoi_mask: one byte per grid pixel, nonzero inside the area of interest; empty: the whole grid. A demand point
// counts at the pixel containing it; points outside the grid or the mask are not counted.
std::vector<TechnologyStats> coverage_statistics(const CoverageMaps& maps, const MultiSiteSpec& spec,
                                                 std::span<const DemandPoint> demand,
                                                 std::span<const std::uint8_t> aoi_mask = {});

// Area of the pixels of row `row`, km^2 (WGS84, mid-latitude radii).
double pixel_area_km2(const GeoGrid& grid, int row);

}  // namespace dxplan::coverage
