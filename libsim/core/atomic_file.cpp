#include "libsim/core/atomic_file.hpp"

#include <fstream>
#include <system_error>
#include <unistd.h>

#include "libsim/core/error.hpp"

namespace dxplan {

void write_atomically(const std::filesystem::path& final_path,
                      const std::function<void(const std::filesystem::path&)>& write) {
    std::filesystem::path tmp = final_path;
    tmp += ".partial-" + std::to_string(::getpid());
    try {
        write(tmp);
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove_all(tmp, ec);
        throw;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, final_path, ec);
    if (ec) {
        std::filesystem::remove_all(tmp, ec);
        throw InputError(final_path.string() + ": cannot write output: " + ec.message());
    }
}

void write_text_atomically(const std::filesystem::path& final_path, const std::string& text) {
    write_atomically(final_path, [&](const std::filesystem::path& tmp) {
        std::ofstream out(tmp, std::ios::binary);
        if (!out) throw InputError(final_path.string() + ": cannot open for writing");
        out << text;
        out.close();
        if (!out) throw InputError(final_path.string() + ": write failed (disk full?)");
    });
}

}  // namespace dxplan
