// dxplan cost catalogue: unit prices kept as data (models/economics/catalogue.yaml), each with its source,
// status and date, and the "kits" a technology deployment is made of. Loaded and validated here; yaml-cpp
// stays in the .cpp.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "libsim/economics/economics.hpp"

namespace dxplan::econ {

enum class Per { site, network, device, km, hop };

struct CatalogueItem {
    std::string id;
    std::string name_en;
    std::string name_ja;
    Per per = Per::site;
    Acquisition acquisition = Acquisition::purchase;
    double capex_jpy = 0.0;            // one-off price per unit
    double opex_jpy_per_year = 0.0;    // recurring price per unit
    double low_jpy = 0.0;              // range of the item's main price (capex, or opex when capex is 0)
    double high_jpy = 0.0;
    std::string source;
    std::string status;                // verified | derived | assumption
    std::string date;
    bool eligible = true;              // counts toward the subsidy's eligible cost (catalogue.yaml `eligible`)
    std::string lease_of;              // a lease item: the purchase item it replaces in a demonstration
};

struct Catalogue {
    std::string version;
    std::vector<CatalogueItem> items;

    // Throws InputError naming the id when absent.
    [[nodiscard]] const CatalogueItem& item(std::string_view id) const;
    CatalogueItem& item(std::string_view id);
};

// Loads and validates the catalogue (unknown keys, missing fields, negative prices, low > high, an item
// without a source, a kit naming an unknown item: InputError "FILE:LINE: field: problem").
Catalogue load_catalogue(const std::filesystem::path& path);

// The default catalogue shipped in models/economics/.
std::filesystem::path default_catalogue_path();


// How many of each unit a deployment needs.
struct Quantities {
    double sites = 0.0;
    double networks = 1.0;
    double devices = 0.0;
    double km = 0.0;
    double hops = 0.0;
};

// The bill of materials of catalogue items `ids` (a technology's cost kit, link::CostKit) for these quantities:
// one CostItem per item, counted by the item's `per`, in `category`, eligible as the item says. InputError
// naming the id when one is not in the catalogue.
std::vector<CostItem> bill_of_materials(const Catalogue& catalogue, const std::vector<std::string>& ids,
                                        const Quantities& q, std::string_view category);

// A demonstration's bill (②-1: equipment purchase in principle not covered, lease or subscribe; programme.md):
// each purchase line whose item has a lease counterpart (an item with `lease_of: <id>`) replaced by that lease
// item at the same quantity and category; lines without one are kept (and stay ineligible as purchases).
std::vector<CostItem> leased_bill(const Catalogue& catalogue, const std::vector<CostItem>& bill);

// The main price of an item (capex when it has one, else opex), which low/high bound.
double main_price_jpy(const CatalogueItem& item);
void set_main_price_jpy(CatalogueItem& item, double price_jpy);

}  // namespace dxplan::econ
