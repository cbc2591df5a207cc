// dxplan output: a coverage raster as a Google Earth KMZ: doc.kml with a GroundOverlay of the coloured raster
// (transparent nodata) and a ScreenOverlay legend (colour swatches with their values), zipped with GDAL's /vsizip/.
// OGC KML 2.2 (OGC 07-147r2): GroundOverlay/LatLonBox §11.2, ScreenOverlay §11.7; KMZ = zip whose first entry is
// the root doc.kml (Google KML reference, "KMZ files").
#pragma once

#include <filesystem>
#include <string>

#include "libsim/output/png.hpp"

namespace dxplan::output {

// Written atomically. `name` titles the overlay and the legend.
void write_kmz(const std::filesystem::path& path, const GeoGrid& values, const ColorRamp& ramp, const std::string& name);

// The legend image: one swatch per ramp stop with its value (digits drawn with a 3x5 pixel font).
Image legend_image(const ColorRamp& ramp);

}  // namespace dxplan::output
