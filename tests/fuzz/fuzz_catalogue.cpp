// Fuzz target: the cost catalogue loader (libsim/economics/catalogue.cpp load_catalogue), YAML from a file.
#include "libsim/economics/catalogue.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace dxplan::fuzz {

void catalogue(Bytes data) {
    const econ::Catalogue c = econ::load_catalogue(write_input(data, "catalogue.yaml"));
    (void)c;
}

}  // namespace dxplan::fuzz

DXPLAN_FUZZ_TARGET(catalogue)
