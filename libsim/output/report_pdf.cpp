// report.pdf by headless Chromium's print-to-PDF (report_pdf.hpp).
#include "libsim/output/report_pdf.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <system_error>

namespace dxplan::output {

namespace fs = std::filesystem;

namespace {

std::string shell_quoted(const fs::path& p) {
    std::string s = "'";
    for (char c : p.string()) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return s + "'";
}

}  // namespace

fs::path find_chromium() {
    if (const char* env = std::getenv("DXPLAN_CHROMIUM"); env && *env) return fs::exists(env) ? fs::path(env) : fs::path();
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
        if (fs::exists(p)) return p;
    return {};
}

std::string print_pdf(const fs::path& chromium, const fs::path& html, const fs::path& pdf, const fs::path& work_dir) {
    std::error_code ec;
    fs::create_directories(work_dir, ec);
    const std::string cmd = shell_quoted(chromium) +
                            " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                            " --disable-background-networking --disable-component-update --disable-sync"
                            " --no-pdf-header-footer --user-data-dir=" + shell_quoted(work_dir / "profile") +
                            " --print-to-pdf=" + shell_quoted(pdf) + " " + shell_quoted(fs::path("file://" + fs::absolute(html).string())) +
                            " >" + shell_quoted(work_dir / "chromium.log") + " 2>&1";
    const int status = std::system(cmd.c_str());
    const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc == 0 && fs::is_regular_file(pdf) && fs::file_size(pdf) > 0) return {};
    fs::remove(pdf, ec);
    return "chromium exited with status " + std::to_string(rc) + " (see " + (work_dir / "chromium.log").string() + ")";
}

}  // namespace dxplan::output
