// dxplan fuzzing: scratch files and the exception policy (see fuzz_input.hpp).
#include "tests/fuzz/fuzz_input.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>
#include <typeinfo>
#include <unistd.h>

#include "libsim/core/error.hpp"

namespace dxplan::fuzz {

namespace {

// The scratch folder, one per process (two fuzzers or a fuzzer and the tests may run at once), removed at exit.
struct Scratch {
    std::filesystem::path dir;
    Scratch() {
        std::error_code ec;
        const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                               ? std::filesystem::path("/dev/shm")
                                               : std::filesystem::temp_directory_path();
        dir = base / ("dxplan-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

const std::filesystem::path& scratch_dir() {
    static const Scratch scratch;
    return scratch.dir;
}

}  // namespace

std::filesystem::path write_input(Bytes data, std::string_view name) {
    const std::filesystem::path path = scratch_dir() / std::string(name);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) {
        std::fprintf(stderr, "fuzz: cannot write the scratch file %s\n", path.c_str());
        std::abort();
    }
    return path;
}

std::filesystem::path write_input(std::string_view text, std::string_view name) {
    return write_input(Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), name);
}

int run_one(void (*target)(Bytes), const std::uint8_t* data, std::size_t size) {
    try {
        target(Bytes(data, size));
    } catch (const InputError&) {
        // bad input, reported the way a user sees it: the expected outcome
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz: an exception other than InputError escaped: %s: %s\n", typeid(e).name(), e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "fuzz: a non-std exception escaped\n");
        std::abort();
    }
    return 0;
}

}  // namespace dxplan::fuzz
