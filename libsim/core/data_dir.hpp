// Where dxplan finds its data tables (models/technology, models/economics, models/landcover, ...) and the
// default scenario: $DXPLAN_DATA_DIR when set; else, for an installed copy, <prefix>/share/dxplan beside
// <prefix>/bin/dxplan (`cmake --install build --prefix P`); else the source tree this binary was built from.
// Only data_dir.cpp knows the source path, so no other object file depends on where the checkout lies.
#pragma once

#include <filesystem>

namespace dxplan {

std::filesystem::path data_dir();

}  // namespace dxplan
