// dxplan output: combined coverage maps and their statistics as HDF5 (HDF5 types stay in the .cpp).
// Layout: root attributes crs = "EPSG:4326", north_deg / west_deg (centre of pixel (0, 0)), dlat_deg / dlon_deg;
// /coverage/<technology>/ {rx_power_dbm, snr_db, sinr_db, ul_sinr_db, dl_throughput_mbps, ul_throughput_mbps}:
// float32 rows x cols, NaN = no site in reach (throughput 0 without service); {best_server, dl_mode, ul_mode}: int16
// rows x cols, -1 = none; attributes crs, north_deg / west_deg / dlat_deg / dlon_deg (the group's own grid), rsrp
// (1: rx_power_dbm is NR RSRP, 0: RSSI), aoi_km2, covered_km2, covered_share; /coverage/<technology>/sites: id,
// best_server_km2, covered_km2, demand_best_server, demand_covered (the technology's sites, in scenario order;
// best_server is the site index of MultiSiteSpec::sites, the index into this list when the spec has one technology,
// as in `dxplan run`).
#pragma once

#include <filesystem>
#include <span>

#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/stats.hpp"

namespace dxplan::output {

// Written atomically; stats in maps.technologies order (coverage_statistics()).
void write_coverage_h5(const std::filesystem::path& file, const coverage::CoverageMaps& maps,
                       std::span<const coverage::TechnologyStats> stats);

}  // namespace dxplan::output
