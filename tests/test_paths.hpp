// Where tests find the shared reference data (../shared next to the checkout) and the project's own data.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace dxplan::test {

// The whole file as bytes (empty when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::filesystem::path source_dir() { return DXPLAN_SOURCE_DIR; }
inline std::filesystem::path shared_dir() { return std::filesystem::path(DXPLAN_SOURCE_DIR) / ".." / "shared"; }
inline bool have_shared() { return std::filesystem::exists(shared_dir() / "validation" / "SOURCES.md"); }
inline std::filesystem::path validation_dir() { return shared_dir() / "validation"; }
inline std::filesystem::path terrain_dir() { return shared_dir() / "data" / "terrain"; }
inline std::filesystem::path dxplan_binary() { return DXPLAN_BINARY; }

}  // namespace dxplan::test
