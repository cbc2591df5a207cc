// report.pdf by headless Chromium's print-to-PDF (report_pdf.hpp).
#include "libsim/output/report_pdf.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

namespace dxplan::output {

namespace fs = std::filesystem;

namespace {

std::string shell_quoted(const fs::path& p) {
    std::string s = "'";
    for (char c : p.string()) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return s + "'";
}

// Chromium stamps the PDF's Info dictionary with the time of printing (/CreationDate, /ModDate: "D:" and 14
// digits, PDF 32000-1 §7.9.4); the run is to be byte-identical for the same inputs, so both become the fixed
// 1970-01-01 00:00:00 (same length: no cross-reference offset moves). The run's own record is in summary.json.
void fix_pdf_dates(const fs::path& pdf) {
    std::string bytes;
    {
        std::ifstream in(pdf, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    for (const std::string key : {"/CreationDate (D:", "/ModDate (D:"})
        for (auto at = bytes.find(key); at != std::string::npos; at = bytes.find(key, at + 1)) {
            const std::size_t d = at + key.size();
            if (d + 14 <= bytes.size() &&
                std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(d), bytes.begin() + static_cast<std::ptrdiff_t>(d + 14),
                            [](char c) { return c >= '0' && c <= '9'; }))
                bytes.replace(d, 14, "19700101000000");
        }
    std::ofstream out(pdf, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
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
    if (rc == 0 && fs::is_regular_file(pdf) && fs::file_size(pdf) > 0) {
        fix_pdf_dates(pdf);
        return {};
    }
    fs::remove(pdf, ec);
    return "chromium exited with status " + std::to_string(rc) + " (see " + (work_dir / "chromium.log").string() + ")";
}

}  // namespace dxplan::output
