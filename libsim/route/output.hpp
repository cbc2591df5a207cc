// dxplan route layer: files of one evaluated route (docs/routes.md).
//   route-<id>-samples.csv      one row per sample, technology and condition
//   route-<id>.geojson          the samples as points (margin, serving cell, ... of the first condition per
//                               technology), the handover points and the outage segments as lines (QGIS)
//   route-<id>.kml              the route coloured by margin per technology (first condition) with the handover
//                               points (Google Earth)
//   route-<id>-<label>.svg      SINR (DL, UL) and throughput (DL, UL) against distance per condition, outage
//                               bands shaded by cause, handover points marked
// Every file is written atomically (libsim/core/atomic_file.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "libsim/route/route.hpp"

namespace dxplan::route {

// Writes the route's files into dir; returns their names (relative to dir).
std::vector<std::string> write_route_files(const std::filesystem::path& dir, const RouteResult& r);

// The route's entry of summary.json `routes[]` as JSON text (docs/summary-schema.md).
std::string route_summary_json(const RouteResult& r, const std::vector<std::string>& files);

// Colour of a margin (dB) on the route map: red below 0, amber 0-3 dB, green above (KML aabbggrr and "#rrggbb").
std::string margin_colour_hex(double margin_db);

}  // namespace dxplan::route
