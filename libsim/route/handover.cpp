// Handover along a route, interruptions, outage segments, shares and reliability (steps.hpp).
#include <algorithm>
#include <cmath>
#include <limits>

#include "libsim/core/units.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/route/steps.hpp"

namespace dxplan::route {

namespace {
constexpr double kNoPower_dbm = -std::numeric_limits<double>::infinity();

int strongest(const double* p, std::size_t n_cells) {
    int best = -1;
    for (std::size_t k = 0; k < n_cells; ++k)
        if (p[k] > kNoPower_dbm && (best < 0 || p[k] > p[best])) best = static_cast<int>(k);
    return best;
}
}  // namespace

std::vector<int> handover_states(const std::vector<Sample>& samples, const std::vector<double>& p_dbm, std::size_t n_cells,
                                 const HandoverParams& h, std::vector<Handover>& handovers) {
    std::vector<int> serving(samples.size(), -1);
    int s = -1;
    int candidate = -1;       // neighbour fulfilling the entering condition since t_enter
    double t_enter_s = 0.0;
    int last_left = -1;       // the cell left by the last handover, and when
    double t_left_s = -std::numeric_limits<double>::infinity();
    const double ttt_s = h.time_to_trigger_ms / 1000.0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double* p = &p_dbm[i * n_cells];
        if (s < 0) {
            s = strongest(p, n_cells);  // initial access
            serving[i] = s;
            continue;
        }
        // Best neighbour fulfilling A3 (TS 38.331 sec. 5.5.4.4 entering condition Mn + Ofn + Ocn - Hys > Mp + Ofp +
        // Ocp + Off, here with the offsets folded into one hysteresis: Mn > Mp + hysteresis_db).
        int n = -1;
        for (std::size_t k = 0; k < n_cells; ++k) {
            if (static_cast<int>(k) == s || !(p[k] > kNoPower_dbm)) continue;
            if (p[k] > p[s] + h.hysteresis_db && (n < 0 || p[k] > p[n])) n = static_cast<int>(k);
        }
        if (n < 0) {
            candidate = -1;
        } else {
            if (n != candidate) {
                candidate = n;
                t_enter_s = samples[i].t_s;
            }
            if (samples[i].t_s - t_enter_s >= ttt_s - 1e-9) {  // the condition held for time-to-trigger
                Handover ho{samples[i].s_m, samples[i].t_s, s, n, false};
                ho.ping_pong = n == last_left && samples[i].t_s - t_left_s <= h.ping_pong_s;
                handovers.push_back(ho);
                last_left = s;
                t_left_s = samples[i].t_s;
                s = n;
                candidate = -1;
            }
        }
        serving[i] = s;
    }
    return serving;
}

void apply_interruptions(Track& t, const std::vector<Sample>& samples) {
    if (!(t.interruption_ms > 0.0)) return;  // unknown (NaN) or none
    const double t_int_s = t.interruption_ms / 1000.0;
    std::size_t i = 0;
    for (const Handover& ho : t.handovers) {
        while (i < samples.size() && samples[i].t_s < ho.t_s) ++i;
        for (std::size_t j = i; j < samples.size() && samples[j].t_s < ho.t_s + t_int_s; ++j) {
            SamplePoint& sp = t.samples[j];
            sp.p_meet = 0.0;  // no service while the handover interrupts it
            if (sp.meets) {
                sp.meets = false;
                sp.cause = Cause::handover;
            }
        }
    }
}

double p_all(const std::vector<Sample>& samples, const std::vector<SamplePoint>& points, std::size_t i0, std::size_t i1,
             double decorrelation_m) {
    double p = 1.0;
    std::size_t i = i0;
    while (i <= i1) {
        const double block_end_m = samples[i].s_m + decorrelation_m;
        double p_block = 1.0;
        for (; i <= i1 && samples[i].s_m < block_end_m; ++i) p_block = std::min(p_block, points[i].p_meet);
        p *= p_block;
    }
    return p;
}

void summarise_track(Track& t, const RouteResult& r, const RouteOptions& o, const std::vector<IntersectionSpan>& spans) {
    const std::vector<Sample>& s = r.samples;
    // Outage segments: maximal runs of failing samples with one cause, each sample standing for its step.
    double ok_m = 0.0, ok_s = 0.0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const SamplePoint& sp = t.samples[i];
        const double step_s = s[i].step_m / s[i].speed_mps;
        if (sp.meets) {
            ok_m += s[i].step_m;
            ok_s += step_s;
            continue;
        }
        const double a_m = s[i].s_m - (i > 0 && s[i - 1].part == s[i].part ? 0.5 * (s[i].s_m - s[i - 1].s_m) : 0.0);
        const bool extend = !t.outages.empty() && i > 0 && !t.samples[i - 1].meets && t.samples[i - 1].cause == sp.cause &&
                            s[i - 1].part == s[i].part;
        if (!extend) t.outages.push_back({a_m, a_m, 0.0, 0.0, sp.cause});
        Outage& out = t.outages.back();
        out.length_m += s[i].step_m;
        out.duration_s += step_s;
        out.end_m = out.start_m + out.length_m;
    }
    double total_s = 0.0, mean_p = 0.0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        total_s += s[i].step_m / s[i].speed_mps;
        mean_p += t.samples[i].p_meet * s[i].step_m;
    }
    double total_m = 0.0;
    for (const Sample& x : s) total_m += x.step_m;
    t.share_length = ok_m / total_m;
    t.share_time = ok_s / total_s;
    t.mean_p_meet = mean_p / total_m;
    t.p_route = p_all(s, t.samples, 0, s.size() - 1, o.decorrelation_m);
    const double km = r.length_m / 1000.0;
    t.handovers_per_km = km > 0.0 ? static_cast<double>(t.handovers.size()) / km : 0.0;
    for (const Handover& h : t.handovers) t.ping_pongs += h.ping_pong ? 1 : 0;

    for (const IntersectionSpan& sp : spans) {
        IntersectionStat st;
        st.pos = sp.pos;
        st.s_m = s[sp.nearest].s_m;
        if (!sp.passes) {  // the route does not pass it
            st.p_through = kNoValue;
            t.intersections.push_back(st);
            continue;
        }
        st.met = true;
        for (std::size_t i = sp.i0; i <= sp.i1; ++i) {
            const SamplePoint& p = t.samples[i];
            st.met = st.met && p.meets;
            const double m = std::isnan(p.margin_db) ? -std::numeric_limits<double>::infinity() : p.margin_db;
            if (std::isnan(st.worst_margin_db) || m < st.worst_margin_db) st.worst_margin_db = m, st.worst_s_m = s[i].s_m;
            st.time_through_s += s[i].step_m / s[i].speed_mps;
        }
        st.p_through = p_all(s, t.samples, sp.i0, sp.i1, o.decorrelation_m);
        t.intersections.push_back(st);
    }
}

std::vector<IntersectionSpan> intersection_spans(const RouteResult& r, double radius_m) {
    std::vector<IntersectionSpan> out;
    const std::vector<Sample>& s = r.samples;
    std::vector<double> d(s.size());
    for (LatLon x : r.intersections) {
        IntersectionSpan sp;
        sp.pos = x;
        double d_near = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < s.size(); ++i) {
            d[i] = geodesic_inverse(x, s[i].pos).d_m;
            if (d[i] < d_near) d_near = d[i], sp.nearest = i;
        }
        sp.passes = d_near <= radius_m;
        sp.i0 = sp.i1 = sp.nearest;
        while (sp.i0 > 0 && d[sp.i0 - 1] <= radius_m) --sp.i0;
        while (sp.i1 + 1 < s.size() && d[sp.i1 + 1] <= radius_m) ++sp.i1;
        out.push_back(sp);
    }
    return out;
}

}  // namespace dxplan::route
