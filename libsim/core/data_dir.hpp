// Where dxplan finds its data tables (models/technology, models/economics, models/landcover) and the default
// scenario: $DXPLAN_DATA_DIR when set, else the source tree this binary was built from. Only data_dir.cpp knows
// the source path, so no other object file depends on where the checkout lies (ccache hits across checkouts).
#pragma once

#include <filesystem>

namespace dxplan {

std::filesystem::path data_dir();

}  // namespace dxplan
