#include "libsim/core/data_dir.hpp"

#include <cstdlib>

namespace dxplan {

std::filesystem::path data_dir() {
    if (const char* env = std::getenv("DXPLAN_DATA_DIR"); env != nullptr && *env != '\0') return env;
    return DXPLAN_SOURCE_DIR;
}

}  // namespace dxplan
