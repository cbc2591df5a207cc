// The route layer's internal steps (evaluate.cpp, handover.cpp); not part of the public interface.
#pragma once

#include <cstddef>
#include <vector>

#include "libsim/route/route.hpp"

namespace dxplan::route {

// Path loss of a loss window at p: bilinear between pixel centres (the pixel's own value within 1e-6 pixel of its centre), the
// nearest pixel where a neighbour is NaN (edge of the radius), NaN outside.
double window_loss_db(const GeoGrid& g, LatLon p);

// Serving cell per sample from the downlink powers p_dbm[sample * n_cells + cell] (-inf: none) with the A3
// rule of TS 38.331 sec. 5.5.4.4 (neighbour > serving + hysteresis), held for time-to-trigger (driving time
// between samples), then executed at that sample. The first serving cell is the strongest at the first sample;
// a sample where no cell has been served yet takes the strongest as soon as one exists (initial access). Ping-pong:
// a handover back to the cell left by the previous handover within ping_pong_s.
std::vector<int> handover_states(const std::vector<Sample>& samples, const std::vector<double>& p_dbm, std::size_t n_cells,
                                 const HandoverParams& h, std::vector<Handover>& handovers);

// Samples within the interruption time (x the speed) after each handover lose service: cause handover.
void apply_interruptions(Track& t, const std::vector<Sample>& samples);

// Service along one track (one technology, one condition): coupling_db / extra_db laid out [sample][cond][cell].
Track serve_track(const std::vector<Sample>& samples, const NetworkTechnology& net, const std::vector<double>& coupling_db,
                  const std::vector<double>& extra_db, std::size_t cond, std::size_t n_cond, const RouteOptions& o);

// The samples within the radius of an intersection: a contiguous stretch [i0, i1] around the nearest sample
// (passes = false when the route does not come within the radius).
struct IntersectionSpan {
    LatLon pos;
    std::size_t nearest = 0, i0 = 0, i1 = 0;
    bool passes = false;
};
std::vector<IntersectionSpan> intersection_spans(const RouteResult& r, double radius_m);

// Outage segments, shares of length and time, reliability of the route and of each intersection.
void summarise_track(Track& t, const RouteResult& r, const RouteOptions& o, const std::vector<IntersectionSpan>& spans);

// Probability that every decorrelation block of the samples [i0, i1] meets the requirement: blocks of
// decorrelation_m along the route are independent, the samples within one block fully correlated (the block's
// weakest sample decides it).
double p_all(const std::vector<Sample>& samples, const std::vector<SamplePoint>& points, std::size_t i0, std::size_t i1,
             double decorrelation_m);

}  // namespace dxplan::route
