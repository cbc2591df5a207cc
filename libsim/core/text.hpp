// dxplan core: small text helpers shared by the writers (HTML report, KML).
#pragma once

#include <string>
#include <string_view>

namespace dxplan {

// Escapes &, <, > and " for XML and HTML text and attribute values.
inline std::string xml_escape(std::string_view s) {
    std::string o;
    o.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default: o += c;
        }
    }
    return o;
}

}  // namespace dxplan
