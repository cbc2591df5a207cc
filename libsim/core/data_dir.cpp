#include "libsim/core/data_dir.hpp"

#include <cstdlib>
#include <system_error>

namespace dxplan {

namespace {

namespace fs = std::filesystem;

// An installed copy: <prefix>/bin/dxplan finds <prefix>/share/dxplan (cmake --install).
fs::path installed_data_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const fs::path share = exe.parent_path().parent_path() / "share" / "dxplan";
    return fs::is_directory(share / "models" / "technology", ec) ? share : fs::path();
}

}  // namespace

fs::path data_dir() {
    if (const char* env = std::getenv("DXPLAN_DATA_DIR"); env != nullptr && *env != '\0') return env;
    if (fs::path installed = installed_data_dir(); !installed.empty()) return installed;
    return DXPLAN_SOURCE_DIR;
}

}  // namespace dxplan
