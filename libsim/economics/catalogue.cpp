#include "libsim/economics/catalogue.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <yaml-cpp/yaml.h>

#include "libsim/core/error.hpp"
#include "libsim/core/data_dir.hpp"

namespace dxplan::econ {

namespace {

std::string where(const std::filesystem::path& file, const YAML::Node& n) {
    return file.string() + ":" + std::to_string(n.Mark().line + 1);
}

void only_keys(const std::filesystem::path& file, const YAML::Node& n, std::initializer_list<const char*> keys,
               const std::string& ctx) {
    for (const auto& kv : n) {
        const auto k = kv.first.as<std::string>();
        if (std::none_of(keys.begin(), keys.end(), [&](const char* x) { return k == x; })) {
            std::string valid;
            for (const char* x : keys) valid += (valid.empty() ? "" : ", ") + std::string(x);
            throw InputError(where(file, kv.first) + ": " + ctx + k + ": unknown key (valid: " + valid + ")");
        }
    }
}

std::string text(const std::filesystem::path& file, const YAML::Node& parent, const char* key, const std::string& ctx) {
    const YAML::Node n = parent[key];
    if (!n || !n.IsScalar() || n.as<std::string>().empty())
        throw InputError(where(file, parent) + ": " + ctx + key + ": required text is missing");
    return n.as<std::string>();
}

double price(const std::filesystem::path& file, const YAML::Node& parent, const char* key, const std::string& ctx,
             bool required) {
    const YAML::Node n = parent[key];
    if (!n) {
        if (required) throw InputError(where(file, parent) + ": " + ctx + key + ": required number is missing");
        return 0.0;
    }
    double v = 0.0;
    try {
        v = n.as<double>();
    } catch (const YAML::Exception&) {
        throw InputError(where(file, n) + ": " + ctx + key + " = '" + n.as<std::string>() +
                         "': must be a number of JPY >= 0");
    }
    if (!std::isfinite(v) || v < 0.0)
        throw InputError(where(file, n) + ": " + ctx + key + " = " + n.as<std::string>() + ": must be >= 0 JPY");
    return v;
}

}  // namespace

double main_price_jpy(const CatalogueItem& it) { return it.capex_jpy > 0.0 ? it.capex_jpy : it.opex_jpy_per_year; }

void set_main_price_jpy(CatalogueItem& it, double v) {
    (it.capex_jpy > 0.0 ? it.capex_jpy : it.opex_jpy_per_year) = v;
}

const CatalogueItem& Catalogue::item(std::string_view id) const {
    for (const auto& it : items)
        if (it.id == id) return it;
    throw InputError("cost catalogue: no item '" + std::string(id) + "'");
}

CatalogueItem& Catalogue::item(std::string_view id) {
    return const_cast<CatalogueItem&>(static_cast<const Catalogue&>(*this).item(id));
}

std::filesystem::path default_catalogue_path() {
    return data_dir() / "models" / "economics" / "catalogue.yaml";
}

namespace {

// The catalogue from its parsed YAML (a mapping); yaml-cpp throws on a node of the wrong shape.
Catalogue parse_catalogue(const std::filesystem::path& file, const YAML::Node& root) {
    only_keys(file, root, {"version", "currency", "items"}, "");
    Catalogue c;
    c.version = text(file, root, "version", "");
    if (text(file, root, "currency", "") != "JPY")
        throw InputError(where(file, root["currency"]) + ": currency: must be JPY");
    if (!root["items"] || !root["items"].IsSequence())
        throw InputError(where(file, root) + ": items: required list is missing");
    std::set<std::string> ids;
    for (const auto& n : root["items"]) {
        const std::string ctx = "items[" + std::to_string(c.items.size()) + "].";
        only_keys(file, n,
                  {"id", "name_en", "name_ja", "per", "acquisition", "capex_jpy", "opex_jpy_per_year", "low_jpy",
                   "high_jpy", "source", "status", "date", "eligible", "lease_of"},
                  ctx);
        CatalogueItem it;
        it.id = text(file, n, "id", ctx);
        if (!ids.insert(it.id).second) throw InputError(where(file, n) + ": " + ctx + "id: duplicate '" + it.id + "'");
        it.name_en = text(file, n, "name_en", ctx);
        it.name_ja = text(file, n, "name_ja", ctx);
        const std::string per = text(file, n, "per", ctx);
        if (per == "site") it.per = Per::site;
        else if (per == "network") it.per = Per::network;
        else if (per == "device") it.per = Per::device;
        else if (per == "km") it.per = Per::km;
        else if (per == "hop") it.per = Per::hop;
        else throw InputError(where(file, n["per"]) + ": " + ctx + "per = " + per + ": must be site|network|device|km|hop");
        const std::string acq = text(file, n, "acquisition", ctx);
        if (acq == "purchase") it.acquisition = Acquisition::purchase;
        else if (acq == "lease") it.acquisition = Acquisition::lease;
        else if (acq == "subscription") it.acquisition = Acquisition::subscription;
        else throw InputError(where(file, n["acquisition"]) + ": " + ctx + "acquisition = " + acq +
                              ": must be purchase|lease|subscription");
        it.capex_jpy = price(file, n, "capex_jpy", ctx, true);
        it.opex_jpy_per_year = price(file, n, "opex_jpy_per_year", ctx, true);
        it.low_jpy = price(file, n, "low_jpy", ctx, false);
        it.high_jpy = price(file, n, "high_jpy", ctx, false);
        if (!n["low_jpy"]) it.low_jpy = main_price_jpy(it);
        if (!n["high_jpy"]) it.high_jpy = main_price_jpy(it);
        if (it.low_jpy > main_price_jpy(it) || it.high_jpy < main_price_jpy(it))
            throw InputError(where(file, n) + ": " + ctx + "low_jpy/high_jpy: must bracket the price " +
                             std::to_string(main_price_jpy(it)));
        it.source = text(file, n, "source", ctx);
        it.status = text(file, n, "status", ctx);
        if (it.status != "verified" && it.status != "derived" && it.status != "assumption")
            throw InputError(where(file, n["status"]) + ": " + ctx + "status = " + it.status +
                             ": must be verified|derived|assumption");
        it.date = text(file, n, "date", ctx);
        if (const auto e = n["eligible"]) {
            const std::string v = e.as<std::string>();
            if (v != "true" && v != "false")
                throw InputError(where(file, e) + ": " + ctx + "eligible = " + v + ": must be true|false");
            it.eligible = v == "true";
        }
        if (const auto l = n["lease_of"]) {
            it.lease_of = l.as<std::string>();
            if (it.acquisition != Acquisition::lease)
                throw InputError(where(file, l) + ": " + ctx + "lease_of: only a lease item (acquisition: lease) replaces a purchase");
        }
        c.items.push_back(std::move(it));
    }
    for (const auto& it : c.items)
        if (!it.lease_of.empty() && !ids.count(it.lease_of))
            throw InputError(file.string() + ": item '" + it.id + "': lease_of = " + it.lease_of +
                             ": no such item in the catalogue");
    return c;
}

}  // namespace

Catalogue load_catalogue(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) throw InputError(file.string() + ": cost catalogue not found");
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::Exception& e) {
        throw InputError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
    }
    if (!root.IsMap())
        throw InputError(file.string() + ":1: a cost catalogue is a mapping of version, currency and items");
    // A node of the wrong shape further down (an item or a kit that is a scalar, a key that is a list) makes
    // yaml-cpp throw: that is bad input too, reported at its line (found by fuzzing, tests/fuzz/regressions/).
    try {
        return parse_catalogue(file, root);
    } catch (const YAML::Exception& e) {
        const std::string line = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.line + 1);
        throw InputError(file.string() + line + ": " + e.msg + " (layout: models/economics/catalogue.yaml)");
    }
}

std::vector<CostItem> leased_bill(const Catalogue& c, const std::vector<CostItem>& bill) {
    std::vector<CostItem> out;
    for (const CostItem& line : bill) {
        const auto lease = std::find_if(c.items.begin(), c.items.end(), [&](const CatalogueItem& it) {
            return it.lease_of == line.id && line.acquisition == Acquisition::purchase;
        });
        if (lease == c.items.end()) {
            out.push_back(line);
            continue;
        }
        out.push_back({lease->id, line.category, lease->acquisition, line.quantity, lease->capex_jpy,
                       lease->opex_jpy_per_year, lease->eligible});
    }
    return out;
}

std::vector<CostItem> bill_of_materials(const Catalogue& c, const std::vector<std::string>& ids, const Quantities& q,
                                        std::string_view category) {
    std::vector<CostItem> bom;
    for (const auto& id : ids) {
        const CatalogueItem& it = c.item(id);
        double n = 0.0;
        switch (it.per) {
            case Per::site: n = q.sites; break;
            case Per::network: n = q.networks; break;
            case Per::device: n = q.devices; break;
            case Per::km: n = q.km; break;
            case Per::hop: n = q.hops; break;
        }
        bom.push_back({it.id, std::string(category), it.acquisition, n, it.capex_jpy, it.opex_jpy_per_year, it.eligible});
    }
    return bom;
}

}  // namespace dxplan::econ
