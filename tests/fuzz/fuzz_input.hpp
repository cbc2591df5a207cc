// dxplan fuzzing: the harness shared by the libFuzzer targets (tests/fuzz/fuzz_*.cpp) and the regression test
// that replays every input they found (test_fuzz_regressions.cpp). README "Sanitizers and fuzzing".
//
// Each target is a function `void NAME(std::span<const std::uint8_t>)` that feeds the bytes to one reader of
// the library the way a user's file reaches it (a file on disk: the readers take paths). A reader may accept
// the input or throw InputError; anything else escaping (InternalError, std::out_of_range, yaml-cpp's or
// nlohmann's own exceptions, bad_alloc) is a finding, as is any sanitizer report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace dxplan::fuzz {

using Bytes = std::span<const std::uint8_t>;

// Writes `data` to the file `name` in this process's private scratch folder (on /dev/shm when present,
// removed at exit) and returns its path. The same name is overwritten on every call.
std::filesystem::path write_input(Bytes data, std::string_view name);
std::filesystem::path write_input(std::string_view text, std::string_view name);

// One fuzz target: its name (= its corpus folder tests/fuzz/corpus/NAME, its regression folder
// tests/fuzz/regressions/NAME) and the function that reads one input.
struct Target {
    const char* name;
    void (*run)(Bytes);
};

// The libFuzzer entry's body: runs `target` on `data`; an InputError is the expected outcome of bad input;
// any other exception is printed and aborts (libFuzzer then saves the input as a crash).
int run_one(void (*target)(Bytes), const std::uint8_t* data, std::size_t size);

// The targets (defined in fuzz_*.cpp).
void scenario(Bytes data);
void profile(Bytes data);
void demand(Bytes data);
void technology(Bytes data);
void catalogue(Bytes data);
void roads(Bytes data);
void raster(Bytes data);

}  // namespace dxplan::fuzz

// Defines libFuzzer's entry for one target, unless compiled into the regression test.
#ifdef DXPLAN_FUZZ_ENTRY
#define DXPLAN_FUZZ_TARGET(fn)                                                                  \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {          \
        return ::dxplan::fuzz::run_one(&::dxplan::fuzz::fn, data, size);                          \
    }
#else
#define DXPLAN_FUZZ_TARGET(fn)
#endif
