// dxplan core: every input path checked before a third-party reader sees it (issue 15 item 4). GDAL's SRTM
// driver, given a .hgt of the right size it cannot read, crashed in VSIFSeekL; a FIFO blocks it forever; a
// folder is "file not found". check_input_file opens the file, checks it is a regular file and reads its first
// byte, so the reader is only ever handed a file it can read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace dxplan {

// Throws InputError "WHO: PATH: file not found | is a folder | is not a regular file | cannot be read: REASON |
// is empty" unless `path` is a readable, non-empty regular file (symlinks followed). `who` names the flag or
// scenario field ("--dem", "scenario.yaml:7: terrain.files[0]"). Returns the file's size in bytes.
std::uintmax_t check_input_file(const std::filesystem::path& path, const std::string& who);

}  // namespace dxplan
