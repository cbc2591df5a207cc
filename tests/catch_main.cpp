// Catch2's runner, returning tests/skip.hpp's kSkipReturnCode when the test case run skipped itself.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "tests/skip.hpp"

int main(int argc, char* argv[]) {
    const int failed = Catch::Session().run(argc, argv);
    if (failed == 0 && dxplan::test::skipped_flag()) return dxplan::test::kSkipReturnCode;
    return failed;
}
