// report.pdf: the HTML report printed by headless Chromium (A4, page numbers in the footer from the report's
// own @page rules, no browser header or footer), since applications are submitted as documents.
#pragma once

#include <filesystem>
#include <string>

namespace dxplan::output {

// Debian's chromium, or the program named by DXPLAN_CHROMIUM; empty when none is installed.
std::filesystem::path find_chromium();

// Prints `html` to `pdf` with `chromium` (offline, a fresh profile under `work_dir`). Returns an empty string
// on success, else one line saying why (chromium's exit status; no PDF written).
std::string print_pdf(const std::filesystem::path& chromium, const std::filesystem::path& html,
                      const std::filesystem::path& pdf, const std::filesystem::path& work_dir);

}  // namespace dxplan::output
