// dxplan report: one section per driving route (libsim/route): a summary table per technology and condition
// (share of length and time meeting the requirement, reliability, handovers, outages, intersections) and the
// route's plots (route-<id>-<technology>.svg, written next to the report).
#pragma once

#include <string>
#include <vector>

#include "libsim/output/report_i18n.hpp"
#include "libsim/route/route.hpp"

namespace dxplan::output {

// The routes' section body (empty string without routes); the heading is the section list's (report_sections.cpp).
std::string route_sections_html(const std::vector<route::RouteResult>& routes, Lang lang);
std::string route_sections_markdown(const std::vector<route::RouteResult>& routes, Lang lang);

}  // namespace dxplan::output
