// Fuzz target: the technology profile loader (libsim/link/technology.cpp load_technology_file), YAML from a
// file, with its regulatory checks. The loader requires the profile's `name:` to equal the file name, so the
// file is named after the first `name:` line of the input (characters outside [A-Za-z0-9._-] dropped) and the
// fuzzer gets past that check to the rest of the profile.
#include <string>

#include "libsim/link/link.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

namespace {

std::string file_stem(Bytes data) {
    const std::string text(data.begin(), data.end());
    std::string stem;
    const auto at = text.rfind("\nname:", 0) == 0 ? 0 : text.find("\nname:");
    const auto start = text.compare(0, 5, "name:") == 0 ? std::string::size_type{5}
                       : at == std::string::npos   ? std::string::npos
                                                   : at + 6;
    if (start != std::string::npos)
        for (auto i = start; i < text.size() && text[i] != '\n' && stem.size() < 64; ++i) {
            const char ch = text[i];
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')
                stem += ch;
        }
    return stem.empty() ? "fuzz-tech" : stem;
}

}  // namespace

void technology(Bytes data) {
    const link::Technology t = link::load_technology_file(write_input(data, file_stem(data) + ".yaml"));
    (void)t;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(technology)
