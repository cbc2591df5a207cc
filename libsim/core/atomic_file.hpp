// dxplan core: "nothing half-written" (ARCHITECTURE.md 8).
// Write to `<final>.partial-<pid>`, then rename over the final name only when the writer succeeded.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace dxplan {

// Calls write(tmp_path); if it returns normally the temporary file is renamed to final_path, otherwise
// (exception) the temporary file is removed and the exception propagates. Same directory, so the rename is atomic.
void write_atomically(const std::filesystem::path& final_path,
                      const std::function<void(const std::filesystem::path& tmp_path)>& write);

// Writes a whole text file atomically.
void write_text_atomically(const std::filesystem::path& final_path, const std::string& text);

}  // namespace dxplan
