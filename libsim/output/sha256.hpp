// SHA-256 (FIPS 180-4) of bytes and of files, as lowercase hex: the provenance of a run (scenario hash,
// data file checksums). GDAL's CPLSHA256 is not part of Debian's public GDAL headers, hence this small one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace dxplan::output {

std::string sha256_hex(std::string_view bytes);

// Reads the file in blocks; InputError naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace dxplan::output
