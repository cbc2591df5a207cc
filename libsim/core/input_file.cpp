#include "libsim/core/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libsim/core/error.hpp"

namespace dxplan {

std::uintmax_t check_input_file(const std::filesystem::path& path, const std::string& who) {
    const std::string name = (who.empty() ? std::string() : who + ": ") + path.string();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw InputError(name + (errno == ENOENT ? std::string(": file not found") : ": cannot be read: " + std::string(std::strerror(errno))));
    if (S_ISDIR(st.st_mode)) throw InputError(name + ": is a folder, not a file");
    if (!S_ISREG(st.st_mode)) throw InputError(name + ": is not a regular file (a device, pipe or socket)");
    // Open and read one byte: permission bits, ACLs and I/O errors as the reader will meet them (also as root,
    // where the bits alone do not stop a read). O_NONBLOCK: never wait on a file swapped for a FIFO meanwhile.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw InputError(name + ": cannot be read: " + std::strerror(errno));
    char byte = 0;
    const ssize_t got = ::read(fd, &byte, 1);
    const int err = errno;
    ::close(fd);
    if (got < 0) throw InputError(name + ": cannot be read: " + std::strerror(err));
    if (got == 0 || st.st_size == 0) throw InputError(name + ": is empty");
    return static_cast<std::uintmax_t>(st.st_size);
}

}  // namespace dxplan
