// The explicit list of propagation models (PROJ's pj_list.h style). Add a model here and nowhere else.
#include <array>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/model.hpp"
#include "models/propagation/adapters.hpp"

namespace dxplan::prop {

namespace {
constexpr std::array kModels = {
    ModelInfo{"free-space", "ITU-R P.525 free-space basic transmission loss (3D distance)", false, &adapt_free_space, 1.0, 1000000.0},
    ModelInfo{"tr38901-rma", "3GPP TR 38.901 RMa path loss (median; condition automatic = NLOS = max(LOS, NLOS'))", false, &adapt_tr38901_rma, 500.0, 30000.0},
    ModelInfo{"tr38901-uma", "3GPP TR 38.901 UMa path loss (median; condition automatic = NLOS = max(LOS, NLOS'))", false, &adapt_tr38901_uma, 500.0, 100000.0},
    ModelInfo{"tr38901-umi", "3GPP TR 38.901 UMi-Street Canyon path loss (median; automatic = NLOS = max(LOS, NLOS'))", false, &adapt_tr38901_umi, 500.0, 100000.0},
    ModelInfo{"hata-urban-large", "Okumura-Hata urban, large city, 150-1500 MHz", false, &adapt_hata_urban_large, 150.0, 1500.0},
    ModelInfo{"hata-urban-small", "Okumura-Hata urban, small/medium city, 150-1500 MHz", false, &adapt_hata_urban_small, 150.0, 1500.0},
    ModelInfo{"hata-suburban", "Okumura-Hata suburban (small/medium-city a(hm)), 150-1500 MHz", false, &adapt_hata_suburban, 150.0, 1500.0},
    ModelInfo{"hata-open", "Okumura-Hata open area (small/medium-city a(hm)), 150-1500 MHz", false, &adapt_hata_open, 150.0, 1500.0},
    ModelInfo{"cost231-hata", "COST-231 Hata, medium city / suburban centre (C_m = 0 dB), 1500-2000 MHz", false, &adapt_cost231_hata, 1500.0, 2000.0},
    ModelInfo{"two-ray", "flat-earth two-ray ground reflection (ground epsilon/sigma, polarization)", false, &adapt_two_ray, 1.0, 1000000.0},
    ModelInfo{"free-space-knife-edge", "free space + ITU-R P.526-16 J(v) of the dominant knife edge (k = 4/3)", true, &adapt_free_space_knife_edge, 30.0, 100000.0},
    ModelInfo{"p526-bullington", "free space + ITU-R P.526-16 Bullington diffraction over the profile (k = 4/3)", true, &adapt_p526_bullington, 30.0, 100000.0},
    ModelInfo{"p526-delta-bullington", "free space + ITU-R P.526-16 delta-Bullington diffraction, land path (k = 4/3)", true, &adapt_p526_delta_bullington, 30.0, 100000.0},
    ModelInfo{"p526-deygout", "free space + ITU-R P.526-16 Deygout diffraction, up to three edges (k = 4/3)", true, &adapt_p526_deygout, 30.0, 100000.0},
    ModelInfo{"p1812", "ITU-R P.1812-7 point-to-area, 30 MHz-6 GHz (inland zones, dN = 45, N0 = 325 defaults)", true, &adapt_p1812, 30.0, 6000.0},
    ModelInfo{"itm", "ITM (Longley-Rice) v1.2.2 point-to-point over a terrain profile, NTIA/ITS v1.5, 20 MHz-20 GHz", true, &adapt_itm, 20.0, 20000.0, RadialSweep::itm},
    ModelInfo{"p452", "ITU-R P.452-18 interference prediction, clear air (all-inland uniform profile)", true, &adapt_p452, 100.0, 50000.0},
    ModelInfo{"tr38901-umi-terrain", "3GPP TR 38.901 UMi-Street Canyon, LOS or NLOS formula decided by the terrain profile (k = 4/3)", true, &adapt_tr38901_umi_terrain, 500.0, 100000.0},
    ModelInfo{"tr38901-rma-terrain", "3GPP TR 38.901 RMa, LOS or NLOS formula decided by the terrain profile (k = 4/3)", true, &adapt_tr38901_rma_terrain, 500.0, 30000.0},
    ModelInfo{"p452-17", "ITU-R P.452-17 interference prediction, clear air (all-inland uniform profile)", true, &adapt_p452_17, 100.0, 50000.0},
};
}  // namespace

std::span<const ModelInfo> all_models() { return kModels; }

const ModelInfo& find_model(std::string_view name) {
    for (const auto& m : kModels)
        if (m.name == name) return m;
    std::string valid;
    for (const auto& m : kModels) valid += (valid.empty() ? "" : ", ") + std::string(m.name);
    throw InputError("unknown propagation model '" + std::string(name) + "': valid models are " + valid);
}

std::string frequency_range_text(const ModelInfo& model) {
    const auto num = [](double v) {
        std::string t = std::to_string(v);
        t.erase(t.find_last_not_of('0') + 1);
        if (t.back() == '.') t.pop_back();
        return t;
    };
    return num(model.f_min_mhz) + "-" + num(model.f_max_mhz) + " MHz";
}

LossResult compute_loss(const ModelInfo& model, const LossQuery& q) {
    const std::string who = "model " + std::string(model.name) + ": ";
    if (!std::isfinite(q.f_mhz) || q.f_mhz <= 0.0)
        throw InputError(who + "frequency must be a positive number of MHz");
    if (!std::isfinite(q.h_tx_m) || !std::isfinite(q.h_rx_m))
        throw InputError(who + "antenna heights must be finite numbers of metres");
    if (model.needs_profile) {
        if (q.profile.size() < 2)
            throw InputError(who + "needs a terrain profile of at least 2 points");
        if (!(q.profile.spacing_m > 0.0) || !std::isfinite(q.profile.spacing_m))
            throw InputError(who + "profile spacing must be a positive number of metres");
        for (double z : q.profile.z_m)
            if (!std::isfinite(z)) throw InputError(who + "profile contains a non-finite height");
    } else if (!std::isfinite(q.d_m) || q.d_m <= 0.0) {
        throw InputError(who + "distance must be a positive number of metres");
    }
    LossResult r = model.compute(q);
    // Models that flag out-of-validity inputs ("*_out_of_range") only as warnings: errors when asked to.
    if (q.enforce_ranges)
        for (const auto& w : r.warnings)
            if (w.ends_with("_out_of_range")) throw InputError(who + "input outside the model's validity range: " + w);
    return r;
}

}  // namespace dxplan::prop
