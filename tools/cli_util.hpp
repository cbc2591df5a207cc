// Small parsing helpers shared by the dxplan subcommands (one place for each convention).
#pragma once

#include <string>

#include <CLI/CLI.hpp>
#include <vector>

#include "libsim/link/link.hpp"
#include "libsim/terrain/terrain.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::cli {

// A CLI11 check: the value is a finite number in [lo, hi] (CLI::Range lets NaN through: every comparison with
// NaN is false). Message: "must be a finite number in [lo, hi] UNIT".
CLI::Validator finite_range(double lo, double hi, const std::string& unit = "");

// "LAT,LON" in decimal degrees; InputError naming the flag and the valid ranges otherwise.
LatLon parse_latlon(const std::string& text, const std::string& flag);

// InputError "FLAG LAT,LON is outside the terrain (lat .. , lon ..)" when the point is not on the terrain.
void require_inside(const Terrain& terrain, LatLon p, const std::string& flag);

// The --set FIELD=VALUE flags of a technology profile; InputError naming the flag and the form otherwise.
link::Overrides parse_sets(const std::vector<std::string>& sets);

// prop::compute_loss, where an input outside the model's validity range (q.enforce_ranges) is an error that
// says --allow-out-of-range computes anyway: the one out-of-range policy of `loss`, `p2p` and `link`.
prop::LossResult compute_loss_cli(const prop::ModelInfo& model, const prop::LossQuery& q);

}  // namespace dxplan::cli
