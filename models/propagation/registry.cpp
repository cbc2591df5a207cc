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
    ModelInfo{"free-space", "ITU-R P.525 free-space basic transmission loss (3D distance)", false, &adapt_free_space},
    ModelInfo{"p452", "ITU-R P.452-18 interference prediction, clear air (all-inland uniform profile)", true, &adapt_p452},
    ModelInfo{"p452-17", "ITU-R P.452-17 interference prediction, clear air (all-inland uniform profile)", true, &adapt_p452_17},
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
    return model.compute(q);
}

}  // namespace dxplan::prop
