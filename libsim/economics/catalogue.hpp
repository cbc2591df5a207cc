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
};

struct Catalogue {
    std::string version;
    std::vector<CatalogueItem> items;
    std::map<std::string, std::vector<std::string>> kits;  // kit name -> item ids

    // Throws InputError naming the id when absent.
    [[nodiscard]] const CatalogueItem& item(std::string_view id) const;
    CatalogueItem& item(std::string_view id);
};

// Loads and validates the catalogue (unknown keys, missing fields, negative prices, low > high, an item
// without a source, a kit naming an unknown item: InputError "FILE:LINE: field: problem").
Catalogue load_catalogue(const std::filesystem::path& path);

// The default catalogue shipped in models/economics/.
std::filesystem::path default_catalogue_path();

// The kit of a technology profile, by prefix: local5g-*, halow-*, wifi*, lorawan-*. InputError otherwise.
std::string kit_for_technology(std::string_view technology);

// How many of each unit a deployment needs.
struct Quantities {
    double sites = 0.0;
    double networks = 1.0;
    double devices = 0.0;
    double km = 0.0;
    double hops = 0.0;
};

// The bill of materials of one kit for these quantities (one CostItem per catalogue item).
std::vector<CostItem> bill_of_materials(const Catalogue& catalogue, std::string_view kit, const Quantities& q);

// The main price of an item (capex when it has one, else opex), which low/high bound.
double main_price_jpy(const CatalogueItem& item);
void set_main_price_jpy(CatalogueItem& item, double price_jpy);

}  // namespace dxplan::econ
