// dxplan measure: synthetic drive-test measurements for examples and tests (never presented as measured).
//
// Points are drawn uniformly over an annulus around the site (deterministic from `seed`: SplitMix64 and
// Box-Muller, no std distributions, so every platform gives the same file), each point's received power is
//   EIRP + rx gain - (model loss + offset_db[category] + slope_db_per_decade log10(d / 1 km) + N(0, noise_sd_db))
// with the model over the terrain profile as compare_with_model() predicts it. Points are kept until each
// category has `per_category` of them (categories with no land in the annulus get none).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "libsim/measure/predict.hpp"

namespace dxplan::measure {

struct SyntheticSpec {
    std::map<std::string, double> offset_db;  // per clutter category; others 0
    double slope_db_per_decade = 0.0;
    double noise_sd_db = 4.0;
    std::uint64_t seed = 1;
    std::size_t per_category = 100;
    std::size_t max_points = 100000;  // stop after this many points in total
    double min_d_m = 300.0, max_d_m = 5000.0;
};

// Writes a CSV (lat_deg,lon_deg,height_m,rsrp_dbm|rssi_dbm,f_mhz,time) atomically; returns the number of rows.
std::size_t write_synthetic_measurements(const Terrain& terrain, const LandCover* land_cover, const PredictionSetup& setup,
                                         PowerKind kind, const SyntheticSpec& spec, const std::filesystem::path& csv);

}  // namespace dxplan::measure
