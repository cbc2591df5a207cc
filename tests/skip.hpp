// A test that cannot check what it is for (its data in ../shared is absent) says so: it calls skip(), and ctest
// reports it *skipped*, never passed. catch_main.cpp returns kSkipReturnCode when a test case called skip() and
// no assertion failed; tests/CMakeLists.txt registers every test with SKIP_RETURN_CODE equal to it
// (ARCHITECTURE.md "A test that cannot check, says so"). catch_discover_tests runs each TEST_CASE in its own
// process, so the flag is per test.
#pragma once

#include <iostream>
#include <string>

namespace dxplan::test {

inline constexpr int kSkipReturnCode = 77;

inline bool& skipped_flag() {
    static bool skipped = false;
    return skipped;
}

// Marks the running test as skipped (use as `return test::skip("why");` before any check is made).
inline void skip(const std::string& why) {
    skipped_flag() = true;
    std::cout << "SKIPPED: " << why << "\n";
}

}  // namespace dxplan::test
