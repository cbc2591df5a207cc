// Fuzz target: the technology profile loader (libsim/link/technology.cpp load_technology_file), YAML from a
// file, with its regulatory checks.
#include "libsim/link/link.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

void technology(Bytes data) {
    const link::Technology t = link::load_technology_file(write_input(data, "fuzz-tech.yaml"));
    (void)t;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(technology)
