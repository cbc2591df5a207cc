// dxplan core: the one exception family thrown at library boundaries.
//
// Errors and warnings are separate channels (ARCHITECTURE.md "Must hold" 4):
//  - bad input (a file, field or flag a user can fix) throws InputError; tools map it to exit code 2;
//  - a broken invariant inside dxplan throws InternalError; tools map it to exit code 1;
//  - an input that is legal but outside a model's validity range is NOT an error: the model sets a
//    warning flag in its result (see each model's Warning enum), unless the caller asked to enforce ranges.
// The library never prints, exits or aborts.
#pragma once

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace dxplan {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Something the user can fix. The message is one line naming the file/field/flag and the valid range,
// e.g. "scenario.yaml:12: sites[2].mast_height_m = -5: must be in [0, 300] m".
class InputError : public Error {
public:
    using Error::Error;
};

// A bug or an environment failure (out of memory, disk full) the user cannot fix by changing input.
class InternalError : public Error {
public:
    using Error::Error;
};

// Throws InputError "WHO: NAME = VALUE UNIT: must be a finite number > 0 UNIT" unless 0 < value < inf.
inline void require_positive(const std::string& who, const char* name, double value, const char* unit) {
    if (value > 0.0 && std::isfinite(value)) return;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    throw InputError(who + ": " + name + " = " + buf + " " + unit + ": must be a finite number > 0 " + unit);
}

}  // namespace dxplan
