#include "models/propagation/hata.hpp"

#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/adapters.hpp"

namespace dxplan::prop {

namespace {

void check_inputs(const HataInput& in, const char* who) {
    require_positive(who, "frequency f_mhz", in.f_mhz, "MHz");
    require_positive(who, "distance d_km", in.d_km, "km");
    require_positive(who, "base antenna height h_b_m", in.h_b_m, "m");
    require_positive(who, "mobile antenna height h_m_m", in.h_m_m, "m");
}

void warn_common(const HataInput& in, std::vector<std::string>& w) {
    if (in.h_b_m < 30.0 || in.h_b_m > 200.0) w.emplace_back("tx_height_out_of_range");
    if (in.h_m_m < 1.0 || in.h_m_m > 10.0) w.emplace_back("rx_height_out_of_range");
    if (in.d_km < 1.0 || in.d_km > 20.0) w.emplace_back("distance_out_of_range");
}

// Mobile antenna height correction a(hm).
double a_hm_db(double f_mhz, double hm_m, HataCity city) {
    const double lf = std::log10(f_mhz);
    if (city == HataCity::small_medium)
        return (1.1 * lf - 0.7) * hm_m - (1.56 * lf - 0.8);  // Hata (1980) a(hm), medium-small city
    if (f_mhz <= 300.0)  // Hata gives f <= 200 MHz and f >= 400 MHz; the gap is split at 300 MHz
        return 8.29 * std::pow(std::log10(1.54 * hm_m), 2.0) - 1.1;  // Hata (1980) a(hm), large city, f <= 200 MHz
    return 3.2 * std::pow(std::log10(11.75 * hm_m), 2.0) - 4.97;     // Hata (1980) a(hm), large city, f >= 400 MHz
}

}  // namespace

HataResult okumura_hata_loss(const HataInput& in) {
    check_inputs(in, "okumura-hata");
    HataResult r;
    if (in.f_mhz < 150.0 || in.f_mhz > 1500.0) r.warnings.emplace_back("frequency_out_of_range");
    warn_common(in, r.warnings);
    const double lf = std::log10(in.f_mhz);
    const double lhb = std::log10(in.h_b_m);
    r.a_hm_db = a_hm_db(in.f_mhz, in.h_m_m, in.city);
    r.loss_urban_db = 69.55 + 26.16 * lf - 13.82 * lhb - r.a_hm_db +
                      (44.9 - 6.55 * lhb) * std::log10(in.d_km);  // Hata (1980) Lp, urban area
    switch (in.environment) {
        case HataEnvironment::urban: r.correction_db = 0.0; break;
        case HataEnvironment::suburban:
            r.correction_db = 2.0 * std::pow(std::log10(in.f_mhz / 28.0), 2.0) + 5.4;  // Hata (1980) Lps, suburban area
            break;
        case HataEnvironment::open:
            r.correction_db = 4.78 * lf * lf - 18.33 * lf + 40.94;  // Hata (1980) Lpo, open area
            break;
    }
    r.loss_db = r.loss_urban_db - r.correction_db;
    return r;
}

HataResult cost231_hata_loss(const HataInput& in) {
    check_inputs(in, "cost231-hata");
    if (in.environment != HataEnvironment::urban)
        throw InputError("cost231-hata: environment must be urban (COST-231 Hata defines no suburban/open correction)");
    HataResult r;
    if (in.f_mhz < 1500.0 || in.f_mhz > 2000.0) r.warnings.emplace_back("frequency_out_of_range");
    warn_common(in, r.warnings);
    const double lf = std::log10(in.f_mhz);
    const double lhb = std::log10(in.h_b_m);
    r.a_hm_db = a_hm_db(in.f_mhz, in.h_m_m, in.city);
    const double c_m_db = in.city == HataCity::large ? 3.0 : 0.0;  // COST 231 sec. 4.4.1: C_m
    r.loss_urban_db = 46.3 + 33.9 * lf - 13.82 * lhb - r.a_hm_db +
                      (44.9 - 6.55 * lhb) * std::log10(in.d_km);  // COST 231 sec. 4.4.1, without C_m
    r.correction_db = c_m_db;
    r.loss_db = r.loss_urban_db + c_m_db;
    return r;
}

namespace {

LossResult to_loss_result(const HataResult& h, const char* mode) {
    LossResult r;
    r.loss_db = h.loss_db;
    r.mode = mode;
    r.warnings = h.warnings;
    r.intermediate = {{"a_hm_db", h.a_hm_db}, {"loss_urban_db", h.loss_urban_db}, {"correction_db", h.correction_db}};
    return r;
}

HataInput hata_input(const LossQuery& q, HataEnvironment env, HataCity city) {
    HataInput in;
    in.f_mhz = q.f_mhz;
    in.d_km = q.d_m / 1000.0;  // Hata's d is the ground distance
    in.h_b_m = q.h_tx_m;
    in.h_m_m = q.h_rx_m;
    in.environment = env;
    in.city = city;
    return in;
}

}  // namespace

LossResult adapt_hata_urban_large(const LossQuery& q) {
    return to_loss_result(okumura_hata_loss(hata_input(q, HataEnvironment::urban, HataCity::large)), "urban_large_city");
}
LossResult adapt_hata_urban_small(const LossQuery& q) {
    return to_loss_result(okumura_hata_loss(hata_input(q, HataEnvironment::urban, HataCity::small_medium)),
                          "urban_small_medium_city");
}
LossResult adapt_hata_suburban(const LossQuery& q) {
    return to_loss_result(okumura_hata_loss(hata_input(q, HataEnvironment::suburban, HataCity::small_medium)),
                          "suburban");
}
LossResult adapt_hata_open(const LossQuery& q) {
    return to_loss_result(okumura_hata_loss(hata_input(q, HataEnvironment::open, HataCity::small_medium)), "open");
}
LossResult adapt_cost231_hata(const LossQuery& q) {
    return to_loss_result(cost231_hata_loss(hata_input(q, HataEnvironment::urban, HataCity::small_medium)),
                          "medium_city");
}

}  // namespace dxplan::prop
