// Scenario loading and validation (schema and examples: scenarios/README.md).
#include "libsim/scenario/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "libsim/core/error.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/core/input_file.hpp"
#include "libsim/link/link.hpp"
#include "libsim/traffic/traffic.hpp"
#include "models/propagation/model.hpp"

namespace dxplan {


const char* to_string(Terminal t) {
    switch (t) {
        case Terminal::indoor: return "indoor";
        case Terminal::outdoor: return "outdoor";
        case Terminal::outdoor_cpe: return "outdoor_cpe";
    }
    return "?";
}

const char* to_string(Season s) { return s == Season::in_leaf ? "in_leaf" : "bare"; }

const char* to_string(BuildingType b) { return b == BuildingType::traditional ? "traditional" : "thermally_efficient"; }

namespace {

namespace fs = std::filesystem;

std::string fmt_number(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

// Reads YAML nodes of one file and turns every problem into "FILE:LINE: path = value: message".
class Reader {
public:
    explicit Reader(const fs::path& file) : file_(file.string()), dir_(fs::absolute(file).parent_path()) {}

    [[nodiscard]] std::string where(const YAML::Node& n) const {
        for (const auto& [node, text] : overridden_)  // a node given with --set has no line in the file
            if (node.is(n)) return file_ + " (--set " + text + ")";
        const YAML::Mark m = n.Mark();
        return m.line >= 0 ? file_ + ":" + std::to_string(m.line + 1) : file_;
    }

    // A node an override put in place (and every node inside it), with the override's text, for where().
    void add_overridden(const YAML::Node& n, const std::string& text) {
        overridden_.emplace_back(n, text);
        if (n.IsMap())
            for (const auto& kv : n) add_overridden(kv.first, text), add_overridden(kv.second, text);
        else if (n.IsSequence())
            for (const auto& e : n) add_overridden(e, text);
    }

    [[noreturn]] void fail(const YAML::Node& n, const std::string& path, const std::string& msg) const {
        throw InputError(where(n) + ": " + path + shown(n) + ": " + msg);
    }

    // The node must be a map whose keys are all in `allowed` (unknown keys are errors: typos must not pass).
    void keys(const YAML::Node& n, const std::string& path, std::initializer_list<std::string_view> allowed) const {
        if (!n.IsMap()) fail(n, path, "must be a map with keys " + join(allowed));
        std::set<std::string> seen;
        for (const auto& kv : n) {
            const std::string k = kv.first.Scalar();
            bool ok = false;
            for (auto a : allowed) ok = ok || a == k;
            const std::string kp = path.empty() ? k : path + "." + k;
            // (a key an override added has no place in the file: its value names the override)
            const YAML::Node& at = kv.first.Mark().line < 0 ? kv.second : kv.first;
            if (!ok) throw InputError(where(at) + ": " + kp + ": unknown key (valid keys: " + join(allowed) + ")");
            if (!ok) throw InputError(where(at) + ": " + kp + ": unknown key (valid keys: " + join(allowed) + ")");
            if (!seen.insert(k).second) throw InputError(where(kv.first) + ": " + kp + ": key given twice");
        }
    }

    [[nodiscard]] YAML::Node required(const YAML::Node& map, const std::string& path, const std::string& key) const {
        YAML::Node v = map[key];
        if (!v) throw InputError(where(map) + ": " + path + ": missing required key '" + key + "'");
        return v;
    }

    // A number in [lo, hi] ([lo, hi) when hi_open).
    [[nodiscard]] double number(const YAML::Node& n, const std::string& path, double lo, double hi,
                                const std::string& unit, bool hi_open = false) const {
        const std::string range = "[" + fmt_number(lo) + ", " + fmt_number(hi) + (hi_open ? ")" : "]") +
                                  (unit.empty() ? "" : " " + unit);
        if (!n.IsScalar() || n.Tag() == "!") fail(n, path, "must be a number in " + range + ", not text");
        const std::string& s = n.Scalar();
        double v = 0.0;
        const char* end = s.data() + s.size();
        const char* begin = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
        const auto [ptr, ec] = std::from_chars(begin, end, v);
        if (ec != std::errc() || ptr != end || !std::isfinite(v)) fail(n, path, "must be a number in " + range + ", not text");
        if (v < lo || v > hi || (hi_open && v == hi)) fail(n, path, "must be in " + range);
        return v;
    }

    [[nodiscard]] std::int64_t integer(const YAML::Node& n, const std::string& path, std::int64_t lo,
                                       std::int64_t hi) const {
        const std::string range = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
        if (!n.IsScalar() || n.Tag() == "!") fail(n, path, "must be " + range + ", not text");
        const std::string& s = n.Scalar();
        std::int64_t v = 0;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || ptr != s.data() + s.size()) fail(n, path, "must be " + range);
        if (v < lo || v > hi) fail(n, path, "must be " + range);
        return v;
    }

    [[nodiscard]] bool boolean(const YAML::Node& n, const std::string& path) const {
        if (n.IsScalar() && n.Tag() != "!") {
            if (n.Scalar() == "true") return true;
            if (n.Scalar() == "false") return false;
        }
        fail(n, path, "must be true or false");
    }

    [[nodiscard]] std::string text(const YAML::Node& n, const std::string& path) const {
        if (!n.IsScalar() || n.Scalar().empty()) fail(n, path, "must be a non-empty text");
        return n.Scalar();
    }

    // An identifier: letters, digits, '-', '_', '.'.
    [[nodiscard]] std::string name(const YAML::Node& n, const std::string& path) const {
        std::string s = text(n, path);
        for (char c : s)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
                fail(n, path, "must be a name of letters, digits, '-', '_' or '.'");
        return s;
    }

    [[nodiscard]] std::string choice(const YAML::Node& n, const std::string& path,
                                     std::initializer_list<std::string_view> valid) const {
        const std::string s = text(n, path);
        for (auto v : valid)
            if (v == s) return s;
        fail(n, path, "must be one of " + join(valid));
    }

    [[nodiscard]] DemandKind demand_kind(const YAML::Node& n, const std::string& path) const {
        const std::string s = text(n, path);
        if (const auto k = parse_demand_kind(s)) return *k;
        fail(n, path, "must be one of " + demand_kind_names());
    }

    // A file path relative to the scenario file; it must exist.
    [[nodiscard]] fs::path existing_file(const YAML::Node& n, const std::string& path) const {
        const fs::path p = dir_ / text(n, path);
        std::error_code ec;
        if (!fs::exists(p, ec)) fail(n, path, "file not found (" + p.lexically_normal().string() + ")");
        try {
            check_input_file(p, "");  // a folder, a FIFO, an unreadable file: named at its line, before any reader
        } catch (const InputError& e) {
            fail(n, path, e.what());
        }
        return p.lexically_normal();
    }

    void sequence(const YAML::Node& n, const std::string& path, bool non_empty) const {
        if (!n.IsSequence() || (non_empty && n.size() == 0))
            fail(n, path, non_empty ? "must be a non-empty list" : "must be a list");
    }

    [[nodiscard]] LatLon latlon(const YAML::Node& map, const std::string& path) const {
        return {number(required(map, path, "lat_deg"), path + ".lat_deg", -90.0, 90.0, "deg"),
                number(required(map, path, "lon_deg"), path + ".lon_deg", -180.0, 180.0, "deg")};
    }

private:
    static std::string join(std::initializer_list<std::string_view> names) {
        std::string s;
        for (auto n : names) s += (s.empty() ? "" : ", ") + std::string(n);
        return s;
    }

    static std::string shown(const YAML::Node& n) {
        if (!n.IsDefined() || n.IsNull()) return "";
        if (n.IsScalar()) return n.Tag() == "!" ? " = \"" + n.Scalar() + "\"" : " = " + n.Scalar();
        return n.IsMap() ? " = {...}" : " = [...]";
    }

    std::string file_;
    fs::path dir_;
    std::vector<std::pair<YAML::Node, std::string>> overridden_;
};

// One override "a.b.0.c=VALUE" applied to the document: the parts are map keys or sequence indices (an index may
// be the sequence's length, to append); missing maps on the way are created. VALUE is parsed as YAML.
void apply_override(YAML::Node root, const std::string& text, Reader& r) {
    const auto eq = text.find('=');
    const std::string path = text.substr(0, eq);
    if (eq == std::string::npos || path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
        throw InputError("--set " + text + ": must be path.to.field=VALUE (e.g. economics.discount_rate=0.03)");
    YAML::Node value;
    try {
        value = YAML::Load(text.substr(eq + 1));
    } catch (const YAML::Exception& e) {
        throw InputError("--set " + text + ": VALUE is not valid YAML: " + e.msg);
    }
    std::vector<std::string> parts;
    for (std::size_t b = 0, e; b <= path.size(); b = e + 1) {
        e = std::min(path.find('.', b), path.size());
        parts.push_back(path.substr(b, e - b));
    }
    YAML::Node node = root;
    std::string prefix = "the document";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& k = parts[i];
        const bool last = i + 1 == parts.size();
        if (i > 0) prefix = i == 1 ? parts[0] : prefix + "." + parts[i - 1];
        if (node.IsSequence()) {
            const bool digits = !k.empty() && k.find_first_not_of("0123456789") == std::string::npos;
            const std::size_t n = node.size();
            if (!digits || k.size() > 9 || std::stoul(k) > n)
                throw InputError("--set " + text + ": '" + k + "' must be an index 0.." + std::to_string(n) + " into " +
                                 prefix);
            const std::size_t j = std::stoul(k);
            if (j == n) node.push_back(last ? value : YAML::Node(YAML::NodeType::Map));
            else if (last) node[j] = value;
            node.reset(node[j]);
        } else {
            if (node.IsDefined() && !node.IsNull() && !node.IsMap())
                throw InputError("--set " + text + ": " + prefix + " is not a map");
            if (last) node[k] = value;
            else if (!node[k]) node[k] = YAML::Node(YAML::NodeType::Map);
            node.reset(node[k]);
        }
    }
    r.add_overridden(node, text);
}

std::string idx(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

GeoBox read_aoi(const Reader& r, const YAML::Node& n) {
    const std::string p = "area_of_interest";
    r.keys(n, p, {"south_deg", "west_deg", "north_deg", "east_deg"});
    GeoBox b;
    b.south_deg = r.number(r.required(n, p, "south_deg"), p + ".south_deg", -90.0, 90.0, "deg");
    b.west_deg = r.number(r.required(n, p, "west_deg"), p + ".west_deg", -180.0, 180.0, "deg");
    b.north_deg = r.number(r.required(n, p, "north_deg"), p + ".north_deg", -90.0, 90.0, "deg");
    b.east_deg = r.number(r.required(n, p, "east_deg"), p + ".east_deg", -180.0, 180.0, "deg");
    if (b.north_deg <= b.south_deg)
        r.fail(n["north_deg"], p + ".north_deg", "must be greater than south_deg (" + fmt_number(b.south_deg) + ")");
    if (b.east_deg <= b.west_deg)
        r.fail(n["east_deg"], p + ".east_deg", "must be greater than west_deg (" + fmt_number(b.west_deg) + ")");
    return b;
}

TerrainSpec read_terrain(const Reader& r, const YAML::Node& n) {
    const std::string p = "terrain";
    r.keys(n, p, {"synthetic", "files", "margin_m", "void_fill_max_cells"});
    TerrainSpec t;
    t.where = r.where(n);
    if (n["synthetic"] && n["files"]) r.fail(n, p, "give either 'synthetic' or 'files', not both");
    if (const auto s = n["synthetic"]) {
        r.keys(s, p + ".synthetic", {"seed"});
        t.synthetic_seed = static_cast<std::uint64_t>(
            r.integer(r.required(s, p + ".synthetic", "seed"), p + ".synthetic.seed", 0, 4294967295LL));
    } else if (const auto f = n["files"]) {
        r.sequence(f, p + ".files", true);
        for (std::size_t i = 0; i < f.size(); ++i) t.files.push_back(r.existing_file(f[i], idx(p + ".files", i)));
    } else {
        r.fail(n, p, "must have 'synthetic: {seed: N}' or 'files: [...]'");
    }
    if (const auto m = n["margin_m"]) t.margin_m = r.number(m, p + ".margin_m", 0.0, 100000.0, "m");
    if (const auto v = n["void_fill_max_cells"])
        t.void_fill_max_cells = static_cast<std::size_t>(r.integer(v, p + ".void_fill_max_cells", 0, 100000000));
    return t;
}

LandCoverSpec read_land_cover(const Reader& r, const YAML::Node& n, const TerrainSpec& terrain) {
    const std::string p = "land_cover";
    r.keys(n, p, {"synthetic", "file", "mapping"});
    LandCoverSpec lc;
    lc.where = r.where(n);
    if (const auto s = n["synthetic"]) lc.synthetic = r.boolean(s, p + ".synthetic");
    if (lc.synthetic && n["file"]) r.fail(n, p, "give either 'synthetic: true' or 'file', not both");
    if (lc.synthetic && !terrain.synthetic_seed)
        r.fail(n["synthetic"], p + ".synthetic", "needs synthetic terrain (terrain.synthetic)");
    if (const auto f = n["file"]) lc.file = r.existing_file(f, p + ".file");
    if (const auto m = n["mapping"]) {
        if (lc.file.empty()) r.fail(m, p + ".mapping", "is only valid with 'file'");
        lc.mapping = r.existing_file(m, p + ".mapping");
    }
    if (!lc.present()) r.fail(n, p, "must have 'synthetic: true' or 'file'");
    return lc;
}

// A profile the run cannot cost is refused here, before any work: its `cost_kit:` must exist and name items of
// the cost catalogue (models/economics/catalogue.yaml).
void check_cost_kit(const Reader& r, const YAML::Node& e, const std::string& path, const std::string& profile,
                    const econ::Catalogue& catalogue) {
    link::Technology tech;
    try {
        tech = link::load_technology(profile);
    } catch (const InputError& ex) {
        r.fail(e, path, ex.what());
    }
    if (!tech.cost_kit.present)
        r.fail(e, path, "technology '" + profile + "' (" + tech.file.string() +
                            ") has no cost_kit: it cannot be costed (models/technology/README.md, cost_kit)");
    std::vector<std::string> ids = tech.cost_kit.items;
    for (const auto& d : tech.cost_kit.devices) ids.insert(ids.end(), d.begin(), d.end());
    for (const auto& id : ids)
        if (std::none_of(catalogue.items.begin(), catalogue.items.end(), [&](const auto& it) { return it.id == id; }))
            r.fail(e, path, "technology '" + profile + "' cost_kit: item '" + id + "' is not in the cost catalogue (" +
                                econ::default_catalogue_path().string() + ")");
}

std::vector<TechnologySpec> read_technologies(const Reader& r, const YAML::Node& n, const std::string& p = "technologies") {
    const econ::Catalogue catalogue = econ::load_catalogue(econ::default_catalogue_path());
    r.sequence(n, p, false);
    std::vector<TechnologySpec> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string ep = idx(p, i);
        TechnologySpec t;
        t.where = r.where(e);
        t.path = ep;
        if (e.IsScalar()) {
            t.profile = r.name(e, ep);
        } else {
            r.keys(e, ep, {"profile", "overrides", "serves", "model", "radius_km"});
            t.profile = r.name(r.required(e, ep, "profile"), ep + ".profile");
            if (const auto m = e["model"]) {
                t.model = r.text(m, ep + ".model");
                t.model_where = r.where(m);
                try {
                    (void)prop::find_model(t.model);
                } catch (const InputError& err) {
                    r.fail(m, ep + ".model", err.what());
                }
            }
            if (const auto rk = e["radius_km"]) t.radius_m = 1000.0 * r.number(rk, ep + ".radius_km", 0.05, 100.0, "km");
            if (const auto sv = e["serves"]) {
                r.sequence(sv, ep + ".serves", true);
                for (std::size_t k = 0; k < sv.size(); ++k) {
                    const DemandKind kind = r.demand_kind(sv[k], idx(ep + ".serves", k));
                    if (std::find(t.serves.begin(), t.serves.end(), kind) != t.serves.end())
                        r.fail(sv[k], idx(ep + ".serves", k), "lists kind '" + std::string(to_string(kind)) + "' twice");
                    t.serves.push_back(kind);
                }
            }
            if (const auto o = e["overrides"]) {
                if (!o.IsMap()) r.fail(o, ep + ".overrides", "must be a map of field: value");
                for (const auto& kv : o) {
                    const std::string field = kv.first.Scalar();
                    const std::string fp = ep + ".overrides." + field;
                    if (!kv.second.IsScalar()) r.fail(kv.second, fp, "must be a single value");
                    if (!t.overrides.emplace(field, OverrideValue{kv.second.Scalar(), kv.second.Tag() == "!",
                                                                  r.where(kv.second)}).second)
                        throw InputError(r.where(kv.first) + ": " + fp + ": key given twice");
                }
            }
        }
        for (const auto& prev : out)
            if (prev.profile == t.profile) r.fail(e, ep, "lists technology '" + t.profile + "' twice");
        check_cost_kit(r, e, ep, t.profile, catalogue);
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<MixSpec> read_mixes(const Reader& r, const YAML::Node& n, const std::vector<TechnologySpec>& techs) {
    const std::string p = "mixes";
    r.sequence(n, p, true);
    std::vector<MixSpec> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string ep = idx(p, i);
        r.keys(e, ep, {"name", "members"});
        MixSpec m;
        m.where = r.where(e);
        const YAML::Node name = r.required(e, ep, "name");
        m.name = r.text(name, ep + ".name");
        const bool id_like = !m.name.empty() && std::all_of(m.name.begin(), m.name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        });
        if (!id_like) r.fail(name, ep + ".name", "must be letters, digits, '-' or '_' (it names output files)");
        for (const auto& t : techs)
            if (t.profile == m.name) r.fail(name, ep + ".name", "is also a technology profile's name");
        for (const auto& prev : out)
            if (prev.name == m.name) r.fail(name, ep + ".name", "names two mixes");
        const YAML::Node members = r.required(e, ep, "members");
        m.members = read_technologies(r, members, ep + ".members");
        if (m.members.size() < 2) r.fail(members, ep + ".members", "must list at least two technologies");
        std::vector<DemandKind> kinds;
        for (std::size_t k = 0; k < m.members.size(); ++k) {
            const std::string mp = idx(ep + ".members", k);
            if (m.members[k].serves.empty())
                r.fail(members[k], mp, "needs `serves`: the demand kinds this member covers in the mix");
            for (const auto& kind : m.members[k].serves) {
                if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end())
                    r.fail(members[k], mp + ".serves", "kind '" + std::string(to_string(kind)) + "' is served by two members");
                kinds.push_back(kind);
            }
        }
        out.push_back(std::move(m));
    }
    return out;
}

// sites[i].sectors: [{azimuth_deg, downtilt_deg, pattern}], at most 12.
std::vector<SectorSpec> read_sectors(const Reader& r, const YAML::Node& n, const std::string& p) {
    r.sequence(n, p, true);
    if (n.size() > 12) r.fail(n, p, "must have at most 12 sectors");
    std::vector<SectorSpec> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string ep = idx(p, i);
        r.keys(e, ep, {"azimuth_deg", "downtilt_deg", "pattern"});
        SectorSpec s;
        s.where = r.where(e);
        s.azimuth_deg = r.number(r.required(e, ep, "azimuth_deg"), ep + ".azimuth_deg", 0.0, 360.0, "deg", true);
        if (const auto t = e["downtilt_deg"]) s.downtilt_deg = r.number(t, ep + ".downtilt_deg", -90.0, 90.0, "deg");
        if (const auto f = e["pattern"]) {
            s.pattern = r.existing_file(f, ep + ".pattern");
            try {
                (void)link::load_pattern_csv(s.pattern);
            } catch (const InputError& err) {
                r.fail(f, ep + ".pattern", err.what());
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<SiteSpec> read_sites(const Reader& r, const YAML::Node& n, const std::vector<TechnologySpec>& techs) {
    const std::string p = "sites";
    r.sequence(n, p, true);
    std::vector<SiteSpec> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string ep = idx(p, i);
        r.keys(e, ep, {"id", "lat_deg", "lon_deg", "mast_height_m", "technology", "sectors"});
        SiteSpec s;
        s.where = r.where(e);
        s.id = r.name(r.required(e, ep, "id"), ep + ".id");
        s.pos = r.latlon(e, ep);
        s.mast_height_m = r.number(r.required(e, ep, "mast_height_m"), ep + ".mast_height_m", 0.0, 300.0, "m");
        if (const auto t = e["technology"]) {
            s.technology = r.name(t, ep + ".technology");
            bool listed = false;
            for (const auto& tech : techs) listed = listed || tech.profile == *s.technology;
            if (!listed) r.fail(t, ep + ".technology", "must be one of the scenario's technologies");
        }
        if (const auto sec = e["sectors"]) s.sectors = read_sectors(r, sec, ep + ".sectors");
        for (const auto& prev : out)
            if (prev.id == s.id) r.fail(e["id"], ep + ".id", "must be unique (also used at " + prev.where + ")");
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<DemandSpec> read_demand(const Reader& r, const YAML::Node& n, bool have_land_cover) {
    const std::string p = "demand";
    r.sequence(n, p, false);
    std::vector<DemandSpec> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string ep = idx(p, i);
        r.keys(e, ep, {"kind", "file", "points", "generate", "terminal", "cpe_gain_db"});
        DemandSpec d;
        d.where = r.where(e);
        d.kind = r.demand_kind(r.required(e, ep, "kind"), ep + ".kind");
        if (const auto t = e["terminal"]) {
            const std::string v = r.choice(t, ep + ".terminal", {"indoor", "outdoor", "outdoor_cpe"});
            d.terminal = v == "indoor" ? Terminal::indoor : v == "outdoor" ? Terminal::outdoor : Terminal::outdoor_cpe;
        }
        if (const auto g = e["cpe_gain_db"]) {
            if (d.terminal_or_default() != Terminal::outdoor_cpe) r.fail(g, ep + ".cpe_gain_db", "needs terminal: outdoor_cpe");
            d.cpe_gain_db = r.number(g, ep + ".cpe_gain_db", 0.0, 30.0, "dB");
        }
        const int sources = (e["file"] ? 1 : 0) + (e["points"] ? 1 : 0) + (e["generate"] ? 1 : 0);
        if (sources != 1) r.fail(e, ep, "must have exactly one of 'file', 'points' or 'generate'");
        if (const auto f = e["file"]) {
            d.file = r.existing_file(f, ep + ".file");
            const std::string ext = d.file.extension().string();
            if (ext != ".csv" && ext != ".geojson" && ext != ".json")
                r.fail(f, ep + ".file", "must be a .csv (id,lat_deg,lon_deg) or .geojson file");
        } else if (const auto pts = e["points"]) {
            r.sequence(pts, ep + ".points", true);
            for (std::size_t j = 0; j < pts.size(); ++j) {
                const std::string pp = idx(ep + ".points", j);
                r.keys(pts[j], pp, {"id", "lat_deg", "lon_deg"});
                d.points.push_back({r.name(r.required(pts[j], pp, "id"), pp + ".id"), r.latlon(pts[j], pp)});
            }
        } else {
            const YAML::Node g = e["generate"];
            const std::string gp = ep + ".generate";
            r.keys(g, gp, {"density_per_km2", "seed", "land_cover_classes"});
            if (!have_land_cover) r.fail(g, gp, "needs a land_cover section to find built-up cells");
            d.density_per_km2 =
                r.number(r.required(g, gp, "density_per_km2"), gp + ".density_per_km2", 0.001, 100000.0, "per km2");
            d.seed = static_cast<std::uint64_t>(r.integer(r.required(g, gp, "seed"), gp + ".seed", 0, 4294967295LL));
            if (const auto c = g["land_cover_classes"]) {
                r.sequence(c, gp + ".land_cover_classes", true);
                for (std::size_t j = 0; j < c.size(); ++j)
                    d.land_cover_classes.push_back(r.choice(c[j], idx(gp + ".land_cover_classes", j),
                                                            {"water", "open", "cropland", "forest", "suburban", "urban"}));
            } else {
                d.land_cover_classes = {"urban", "suburban"};
            }
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<FibrePopSpec> read_pops(const Reader& r, const YAML::Node& n) {
    const std::string p = "fibre_pops";
    r.sequence(n, p, false);
    std::vector<FibrePopSpec> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const std::string ep = idx(p, i);
        r.keys(n[i], ep, {"id", "lat_deg", "lon_deg"});
        out.push_back({r.name(r.required(n[i], ep, "id"), ep + ".id"), r.latlon(n[i], ep), r.where(n[i])});
    }
    return out;
}

// `enabled` of a loss section written as `key: true|false` or `key: {enabled: ..., ...}` (other keys read by the
// caller); absent: `dflt`.
bool loss_switch(const Reader& r, const YAML::Node& n, const std::string& path, std::initializer_list<std::string_view> keys,
                 bool dflt) {
    if (!n) return dflt;
    if (n.IsScalar()) return r.boolean(n, path);
    r.keys(n, path, keys);
    return n["enabled"] ? r.boolean(n["enabled"], path + ".enabled") : true;
}

ExcessLossSpec read_excess_losses(const Reader& r, const YAML::Node& n) {
    const std::string p = "propagation";
    ExcessLossSpec e;
    e.where = r.where(n);
    e.clutter = loss_switch(r, n["clutter"], p + ".clutter", {"enabled"}, true);
    const YAML::Node veg = n["vegetation"];
    e.vegetation = loss_switch(r, veg, p + ".vegetation", {"enabled", "season"}, true);
    if (veg && veg.IsMap() && veg["season"])
        e.season = r.choice(veg["season"], p + ".vegetation.season", {"in_leaf", "bare"}) == "bare" ? Season::bare : Season::in_leaf;
    const YAML::Node bel = n["building_entry"];
    e.building_entry = loss_switch(r, bel, p + ".building_entry", {"enabled", "building", "probability_pct"}, true);
    if (bel && bel.IsMap()) {
        if (bel["building"])
            e.building = r.choice(bel["building"], p + ".building_entry.building", {"traditional", "thermally_efficient"}) ==
                                 "traditional"
                             ? BuildingType::traditional
                             : BuildingType::thermally_efficient;
        if (bel["probability_pct"])
            e.building_entry_probability_pct = r.number(bel["probability_pct"], p + ".building_entry.probability_pct", 1.0, 99.0, "%");
    }
    const YAML::Node rain = n["rain"];
    e.rain = loss_switch(r, rain, p + ".rain", {"enabled", "rate_mm_h", "time_pct"}, true);
    if (rain && rain.IsMap()) {
        if (rain["rate_mm_h"]) e.rain_rate_mm_h = r.number(rain["rate_mm_h"], p + ".rain.rate_mm_h", 0.0, 300.0, "mm/h");
        if (rain["time_pct"]) e.rain_time_pct = r.number(rain["time_pct"], p + ".rain.time_pct", 0.001, 1.0, "%");
    }
    e.gas = loss_switch(r, n["gas"], p + ".gas", {"enabled"}, true);
    return e;
}

// `routes:` (docs/routes.md): driving routes evaluated by `dxplan run` (libsim/route).
route::RouteOptions read_route_options(const Reader& r, const YAML::Node& n, const std::string& p) {
    route::RouteOptions o;
    if (const auto v = n["spacing_m"]) o.spacing_m = r.number(v, p + ".spacing_m", 0.5, 1000.0, "m");
    if (const auto v = n["vehicle"]) {
        r.keys(v, p + ".vehicle", {"antenna_height_m", "penetration_loss_db"});
        if (const auto x = v["antenna_height_m"]) o.vehicle_antenna_h_m = r.number(x, p + ".vehicle.antenna_height_m", 0.5, 10.0, "m");
        if (const auto x = v["penetration_loss_db"]) o.penetration_loss_db = r.number(x, p + ".vehicle.penetration_loss_db", 0.0, 40.0, "dB");
    }
    if (const auto v = n["speed_kmh"]) {
        if (v.IsScalar()) {
            o.speeds = {{0.0, r.number(v, p + ".speed_kmh", 0.0, 300.0, "km/h")}};
            if (!(o.speeds[0].speed_kmh > 0.0)) r.fail(v, p + ".speed_kmh", "must be in (0, 300] km/h");
        } else {
            r.sequence(v, p + ".speed_kmh", true);
            o.speeds.clear();
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string ep = idx(p + ".speed_kmh", i);
                r.keys(v[i], ep, {"from_m", "speed_kmh"});
                const double from = r.number(r.required(v[i], ep, "from_m"), ep + ".from_m", 0.0, 1e7, "m");
                const YAML::Node sv = r.required(v[i], ep, "speed_kmh");
                const double kmh = r.number(sv, ep + ".speed_kmh", 0.0, 300.0, "km/h");
                if (!(kmh > 0.0)) r.fail(sv, ep + ".speed_kmh", "must be in (0, 300] km/h");
                o.speeds.push_back({from, kmh});
            }
        }
    }
    if (const auto v = n["handover"]) {
        const std::string hp = p + ".handover";
        r.keys(v, hp, {"hysteresis_db", "time_to_trigger_ms", "ping_pong_s"});
        if (const auto x = v["hysteresis_db"]) o.handover.hysteresis_db = r.number(x, hp + ".hysteresis_db", 0.0, 30.0, "dB");
        if (const auto x = v["time_to_trigger_ms"]) o.handover.time_to_trigger_ms = r.number(x, hp + ".time_to_trigger_ms", 0.0, 5120.0, "ms");
        if (const auto x = v["ping_pong_s"]) o.handover.ping_pong_s = r.number(x, hp + ".ping_pong_s", 0.0, 60.0, "s");
    }
    if (const auto v = n["requirement"]) {
        const std::string q = p + ".requirement";
        r.keys(v, q, {"cameras", "camera_mbps", "telemetry_mbps", "control_ul_mbps", "edge_ul_mbps", "dl_control_mbps", "latency_ms"});
        route::Requirement& req = o.requirement;
        if (const auto x = v["cameras"]) req.cameras = static_cast<int>(r.integer(x, q + ".cameras", 0, 64));
        if (const auto x = v["camera_mbps"]) req.camera_mbps = r.number(x, q + ".camera_mbps", 0.0, 1000.0, "Mbit/s");
        if (const auto x = v["telemetry_mbps"]) req.telemetry_mbps = r.number(x, q + ".telemetry_mbps", 0.0, 1000.0, "Mbit/s");
        if (const auto x = v["control_ul_mbps"]) req.control_ul_mbps = r.number(x, q + ".control_ul_mbps", 0.0, 1000.0, "Mbit/s");
        if (const auto x = v["edge_ul_mbps"]) req.edge_ul_mbps = r.number(x, q + ".edge_ul_mbps", 0.0, 1000.0, "Mbit/s");
        if (const auto x = v["dl_control_mbps"]) req.dl_control_mbps = r.number(x, q + ".dl_control_mbps", 0.0, 1000.0, "Mbit/s");
        if (const auto x = v["latency_ms"]) req.latency_ms = r.number(x, q + ".latency_ms", 1.0, 100000.0, "ms");
    }
    if (const auto v = n["time_sigma_db"]) o.time_sigma_db = r.number(v, p + ".time_sigma_db", 0.0, 30.0, "dB");
    if (const auto v = n["decorrelation_m"]) o.decorrelation_m = r.number(v, p + ".decorrelation_m", 1.0, 10000.0, "m");
    if (const auto v = n["intersection_radius_m"]) o.intersection_radius_m = r.number(v, p + ".intersection_radius_m", 1.0, 5000.0, "m");
    if (const auto v = n["foliage"]) {
        const std::string fp = p + ".foliage";
        r.keys(v, fp, {"gamma_leaf_db_per_m", "bare_factor", "wet_snow_factor"});
        if (const auto x = v["gamma_leaf_db_per_m"]) o.foliage.gamma_leaf_db_per_m = r.number(x, fp + ".gamma_leaf_db_per_m", 0.0, 10.0, "dB/m");
        if (const auto x = v["bare_factor"]) o.foliage.bare_factor = r.number(x, fp + ".bare_factor", 0.0, 1.0, "");
        if (const auto x = v["wet_snow_factor"]) o.foliage.wet_snow_factor = r.number(x, fp + ".wet_snow_factor", 1.0, 10.0, "");
    }
    if (const auto v = n["sun"]) {
        r.keys(v, p + ".sun", {"beamwidth_deg", "year"});
        if (const auto x = v["beamwidth_deg"]) o.sun_beamwidth_deg = r.number(x, p + ".sun.beamwidth_deg", 0.1, 30.0, "deg");
        if (const auto x = v["year"]) o.sun_year = static_cast<int>(r.integer(x, p + ".sun.year", 1901, 2099));
    }
    if (const auto v = n["conditions"]) {
        r.sequence(v, p + ".conditions", true);
        o.conditions.clear();
        for (std::size_t i = 0; i < v.size(); ++i) {
            const std::string cp = idx(p + ".conditions", i);
            r.keys(v[i], cp, {"name", "foliage", "wet_snow_on_foliage", "snow_depth_m", "rain_mm_per_h"});
            route::Condition c;
            c.name = r.name(r.required(v[i], cp, "name"), cp + ".name");
            if (const auto x = v[i]["foliage"]) c.foliage_in_leaf = r.choice(x, cp + ".foliage", {"leaf", "bare"}) == "leaf";
            if (const auto x = v[i]["wet_snow_on_foliage"]) c.wet_snow_on_foliage = r.boolean(x, cp + ".wet_snow_on_foliage");
            if (const auto x = v[i]["snow_depth_m"]) c.snow_depth_m = r.number(x, cp + ".snow_depth_m", 0.0, 5.0, "m");
            if (const auto x = v[i]["rain_mm_per_h"]) c.rain_mm_per_h = r.number(x, cp + ".rain_mm_per_h", 0.0, 300.0, "mm/h");
            o.conditions.push_back(std::move(c));
        }
    }
    return o;
}

std::vector<RouteEntrySpec> read_routes(const Reader& r, const YAML::Node& n) {
    const std::string p = "routes";
    r.sequence(n, p, false);
    std::vector<RouteEntrySpec> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const std::string ep = idx(p, i);
        const YAML::Node e = n[i];
        r.keys(e, ep, {"id", "file", "intersections", "roads", "spacing_m", "vehicle", "speed_kmh", "handover", "requirement",
                       "time_sigma_db", "decorrelation_m", "intersection_radius_m", "foliage", "conditions", "sun"});
        RouteEntrySpec rs;
        rs.where = r.where(e);
        rs.route.id = r.name(r.required(e, ep, "id"), ep + ".id");
        rs.route.file = r.existing_file(r.required(e, ep, "file"), ep + ".file");
        rs.route.options = read_route_options(r, e, ep);
        if (const auto x = e["intersections"]) {
            if (x.IsScalar()) {
                if (r.choice(x, ep + ".intersections", {"roads", "file"}) == "roads") rs.intersections_from_roads = true;
            } else {
                r.sequence(x, ep + ".intersections", false);
                for (std::size_t k = 0; k < x.size(); ++k) {
                    r.keys(x[k], idx(ep + ".intersections", k), {"lat_deg", "lon_deg"});
                    rs.route.geometry.intersections.push_back(r.latlon(x[k], idx(ep + ".intersections", k)));
                }
            }
        }
        if (const auto x = e["roads"]) rs.roads = r.existing_file(x, ep + ".roads");
        try {
            const route::RouteGeometry g = route::read_route_file(rs.route.file);
            rs.route.geometry.parts = g.parts;
            for (LatLon q : g.intersections) rs.route.geometry.intersections.push_back(q);
            route::validate_options(rs.route.options, rs.where + ": " + ep);
        } catch (const InputError& err) {
            throw InputError(rs.where + ": " + ep + ".file: " + err.what());
        }
        out.push_back(std::move(rs));
    }
    return out;
}

PropagationSpec read_propagation(const Reader& r, const YAML::Node& n) {
    const std::string p = "propagation";
    r.keys(n, p, {"model", "f_mhz", "h_rx_m", "resolution_m", "radius_m", "rx_height_from_clutter", "clutter", "vegetation",
                  "building_entry", "rain", "gas", "calibration"});
    PropagationSpec s;
    s.where = r.where(n);
    if (const auto m = n["model"]) {
        s.model = r.text(m, p + ".model");
        try {
            (void)prop::find_model(s.model);
        } catch (const InputError& e) {
            r.fail(m, p + ".model", e.what());
        }
    }
    s.f_mhz = r.number(r.required(n, p, "f_mhz"), p + ".f_mhz", 30.0, 100000.0, "MHz");
    if (const auto h = n["h_rx_m"]) s.h_rx_m = r.number(h, p + ".h_rx_m", 0.5, 100.0, "m");
    if (const auto res = n["resolution_m"]) s.resolution_m = r.number(res, p + ".resolution_m", 1.0, 1000.0, "m");
    if (const auto rad = n["radius_m"]) s.radius_m = r.number(rad, p + ".radius_m", 100.0, 100000.0, "m");
    if (s.resolution_m > 0.0 && s.radius_m < s.resolution_m)
        r.fail(n["radius_m"] ? n["radius_m"] : n["resolution_m"], p + ".radius_m",
               "must be at least resolution_m (" + std::to_string(static_cast<int>(s.resolution_m)) + " m)");
    if (s.resolution_m > 0.0 && s.radius_m / s.resolution_m > 5000.0)
        r.fail(n["radius_m"], p + ".radius_m", "must be at most 5000 x resolution_m (grid too large)");
    if (const auto v = n["rx_height_from_clutter"]) s.rx_height_from_clutter = r.boolean(v, p + ".rx_height_from_clutter");
    s.losses = read_excess_losses(r, n);
    if (const auto c = n["calibration"]) {  // a calibration of another model is refused (names the file and line)
        s.calibration_file = r.existing_file(c, p + ".calibration");
        s.calibration = measure::load_calibration(s.calibration_file, s.model);
    }
    return s;
}

MeasurementsSpec read_measurements(const Reader& r, const YAML::Node& n) {
    const std::string p = "measurements";
    r.keys(n, p, {"file", "mapping", "sites", "technology", "eirp_dbm", "rx_gain_db", "ridge_lambda", "k_folds"});
    MeasurementsSpec s;
    s.where = r.where(n);
    s.file = r.existing_file(r.required(n, p, "file"), p + ".file");
    if (const auto m = n["mapping"]) s.mapping = r.existing_file(m, p + ".mapping");
    const YAML::Node sites = r.required(n, p, "sites");
    r.sequence(sites, p + ".sites", true);
    for (std::size_t i = 0; i < sites.size(); ++i) s.sites.push_back(r.name(sites[i], p + ".sites[" + std::to_string(i) + "]"));
    if (const auto t = n["technology"]) s.technology = r.text(t, p + ".technology");
    if (const auto e = n["eirp_dbm"]) s.eirp_dbm = r.number(e, p + ".eirp_dbm", -50.0, 90.0, "dBm");
    if (const auto g = n["rx_gain_db"]) s.rx_gain_db = r.number(g, p + ".rx_gain_db", -50.0, 50.0, "dB");
    if (s.technology.empty() == !s.eirp_dbm.has_value())
        r.fail(n, p, "give exactly one of technology (EIRP from its profile) or eirp_dbm");
    if (const auto l = n["ridge_lambda"]) s.ridge_lambda = r.number(l, p + ".ridge_lambda", 0.0, 1e6, "");
    if (const auto k = n["k_folds"]) s.k_folds = static_cast<int>(r.integer(k, p + ".k_folds", 2, 100));
    return s;
}

EvaluationSpec read_evaluation(const Reader& r, const YAML::Node& n) {
    const std::string p = "evaluation";
    r.keys(n, p, {"before", "after", "paired", "alternative", "alpha"});
    EvaluationSpec s;
    s.where = r.where(n);
    s.before = r.existing_file(r.required(n, p, "before"), p + ".before");
    s.after = r.existing_file(r.required(n, p, "after"), p + ".after");
    if (const auto v = n["paired"]) s.paired = r.boolean(v, p + ".paired");
    if (const auto a = n["alternative"]) s.alternative = r.choice(a, p + ".alternative", {"two-sided", "less", "greater"});
    if (const auto a = n["alpha"]) s.alpha = r.number(a, p + ".alpha", 1e-6, 0.5, "");
    return s;
}

EconomicsSpec read_economics(const Reader& r, const YAML::Node& n) {
    const std::string p = "economics";
    r.keys(n, p, {"horizon_years", "discount_rate", "subsidy_rate", "subsidy_cap_jpy", "opex_escalation_rate",
                  "budget_jpy", "demonstration", "rentals_booked_up_front", "rental_eligible_years", "prices"});
    EconomicsSpec e;
    if (const auto v = n["horizon_years"]) e.horizon_years = static_cast<int>(r.integer(v, p + ".horizon_years", 1, 50));
    if (const auto v = n["discount_rate"]) e.discount_rate = r.number(v, p + ".discount_rate", 0.0, 0.5, "per year");
    if (const auto v = n["subsidy_rate"]) e.subsidy_rate = r.number(v, p + ".subsidy_rate", 0.0, 1.0, "");
    if (const auto v = n["subsidy_cap_jpy"]) e.subsidy_cap_jpy = r.number(v, p + ".subsidy_cap_jpy", 0.0, 1e12, "JPY");
    if (const auto v = n["opex_escalation_rate"])
        e.opex_escalation_rate = r.number(v, p + ".opex_escalation_rate", -0.2, 0.5, "per year");
    if (const auto v = n["budget_jpy"]) e.budget_jpy = r.number(v, p + ".budget_jpy", 0.0, 1e12, "JPY");
    if (const auto v = n["demonstration"]) e.demonstration = r.boolean(v, p + ".demonstration");
    if (e.demonstration && e.subsidy_cap_jpy > econ::kDemonstrationCapJpy)
        r.fail(n["subsidy_cap_jpy"], p + ".subsidy_cap_jpy",
               "must be in [0, 1e8] JPY for a demonstration (programme ②-1 先進無線システム活用タイプ: 10-100 M JPY per "
               "project, programme.md)");
    if (const auto v = n["rentals_booked_up_front"]) e.rentals_booked_up_front = r.boolean(v, p + ".rentals_booked_up_front");
    if (const auto v = n["rental_eligible_years"]) {
        // ../shared/reference/programme.md, ③: rental of communication equipment and cloud fees are eligible for up
        // to 5 years, and only when booked at once in the first year.
        e.rental_eligible_years = static_cast<int>(r.integer(v, p + ".rental_eligible_years", 0, 50));
        if (e.rental_eligible_years > 5)
            r.fail(v, p + ".rental_eligible_years",
                   "must be in [0, 5] (programme rule ③: rentals and cloud fees are eligible for at most 5 years)");
        if (e.rental_eligible_years > e.horizon_years)
            r.fail(v, p + ".rental_eligible_years",
                   "must not exceed economics.horizon_years = " + std::to_string(e.horizon_years));
    }
    if (const auto pr = n["prices"]) {
        if (!pr.IsMap() || pr.size() == 0) r.fail(pr, p + ".prices", "must be a map ITEM_ID: {capex_jpy, opex_jpy_per_year}");
        for (const auto& kv : pr) {
            PriceOverride o;
            o.id = kv.first.Scalar();
            const std::string ip = p + ".prices." + o.id;
            o.where = r.where(kv.second);
            if (!kv.second.IsMap()) r.fail(kv.second, ip, "must be a map {capex_jpy, opex_jpy_per_year}");
            r.keys(kv.second, ip, {"capex_jpy", "opex_jpy_per_year"});
            if (const auto v = kv.second["capex_jpy"]) o.capex_jpy = r.number(v, ip + ".capex_jpy", 0.0, 1e12, "JPY");
            if (const auto v = kv.second["opex_jpy_per_year"])
                o.opex_jpy_per_year = r.number(v, ip + ".opex_jpy_per_year", 0.0, 1e12, "JPY");
            if (!o.capex_jpy && !o.opex_jpy_per_year) r.fail(kv.second, ip, "needs capex_jpy or opex_jpy_per_year");
            e.prices.push_back(std::move(o));
        }
    }
    return e;
}

// requirements.by_kind.<kind>.traffic (a profile of models/traffic) and .processing (raw | edge; edge needs a
// profile with `edge:` flows, default profile for cameras: camera-1080p-h265).
void read_kind_traffic(const Reader& r, const YAML::Node& e, const std::string& kp, KindRequirementsSpec& k) {
    if (const auto v = e["processing"]) {
        k.processing = v.as<std::string>();
        if (k.processing != "raw" && k.processing != "edge") r.fail(v, kp + ".processing", "must be raw or edge");
    }
    if (const auto v = e["traffic"]) k.traffic = v.as<std::string>();
    if (k.traffic.empty() && !k.processing.empty()) k.traffic = "camera-1080p-h265";
    if (k.traffic.empty()) return;
    traffic::Profile p;
    try {
        p = traffic::load_profile(k.traffic);
    } catch (const InputError& x) {
        r.fail(e["traffic"] ? e["traffic"] : e, kp + ".traffic", x.what());
    }
    if (k.processing == "edge" && p.edge_flows.empty())
        r.fail(e["processing"], kp + ".processing", "edge needs a traffic profile with edge flows ('" + k.traffic + "' has none)");
}

// requirements.by_kind: {<kind>: {dl_mbps, ul_mbps, ...}}; a key that is not a demand kind is an error naming
// the valid kinds.
void read_by_kind(const Reader& r, const YAML::Node& n, RequirementsSpec& q) {
    const std::string p = "requirements.by_kind";
    if (!n.IsMap()) r.fail(n, p, "must be a map of demand kinds (" + demand_kind_names() + ")");
    for (const auto& kv : n) {
        const std::string name = kv.first.as<std::string>();
        const auto kind = parse_demand_kind(name);
        if (!kind) r.fail(kv.first, p, "is not a demand kind: must be one of " + demand_kind_names());
        const std::string kp = p + "." + name;
        const YAML::Node e = kv.second;
        r.keys(e, kp, {"dl_mbps", "ul_mbps", "busy_hour_activity", "edge_mbps", "latency_ms", "reports_per_day",
                       "payload_bytes", "battery_years", "traffic", "processing"});
        KindRequirementsSpec k;
        k.where = r.where(e);
        const auto num = [&](const char* key, double lo, double hi, const char* unit, std::optional<double>& out) {
            if (const auto v = e[key]) out = r.number(v, kp + "." + key, lo, hi, unit);
        };
        num("dl_mbps", 0.0, 10000.0, "Mbit/s", k.dl_mbps);
        num("ul_mbps", 0.0, 10000.0, "Mbit/s", k.ul_mbps);
        num("busy_hour_activity", 0.001, 1.0, "", k.busy_hour_activity);
        num("edge_mbps", 0.0, 10000.0, "Mbit/s", k.edge_mbps);
        num("latency_ms", 0.0, 100000.0, "ms", k.latency_ms);
        num("reports_per_day", 0.0, 86400.0, "", k.reports_per_day);
        num("payload_bytes", 0.0, 100000.0, "bytes", k.payload_bytes);
        num("battery_years", 0.0, 50.0, "years", k.battery_years);
        read_kind_traffic(r, e, kp, k);
        q.by_kind[index_of(*kind)] = std::move(k);
    }
}

RequirementsSpec read_requirements(const Reader& r, const YAML::Node& n) {
    const std::string p = "requirements";
    r.keys(n, p, {"coverage_target", "location_reliability", "min_mbps_per_household", "busy_hour_activity",
                  "min_edge_mbps", "max_latency_ms", "device_battery_years", "outdoor", "by_kind"});
    RequirementsSpec q;
    q.where = r.where(n);
    if (const auto v = n["coverage_target"]) q.coverage_target = r.number(v, p + ".coverage_target", 0.0, 1.0, "");
    if (const auto v = n["location_reliability"])
        q.location_reliability = r.number(v, p + ".location_reliability", 0.5, 0.999, "");
    if (const auto v = n["min_mbps_per_household"])
        q.min_mbps_per_household = r.number(v, p + ".min_mbps_per_household", 0.0, 10000.0, "Mbit/s");
    if (const auto v = n["busy_hour_activity"])
        q.busy_hour_activity = r.number(v, p + ".busy_hour_activity", 0.001, 1.0, "");
    if (const auto v = n["min_edge_mbps"]) q.min_edge_mbps = r.number(v, p + ".min_edge_mbps", 0.0, 10000.0, "Mbit/s");
    if (const auto v = n["max_latency_ms"]) q.max_latency_ms = r.number(v, p + ".max_latency_ms", 0.0, 100000.0, "ms");
    if (const auto v = n["device_battery_years"])
        q.device_battery_years = r.number(v, p + ".device_battery_years", 0.0, 50.0, "years");
    if (const auto v = n["outdoor"]) q.outdoor = r.boolean(v, p + ".outdoor");
    if (const auto b = n["by_kind"]) read_by_kind(r, b, q);
    return q;
}

AutoCandidatesSpec read_auto_candidates(const Reader& r, const YAML::Node& n, bool have_land_cover) {
    const std::string p = "auto_candidates";
    r.keys(n, p, {"hilltops", "built_up", "mast_height_m", "min_separation_m"});
    AutoCandidatesSpec a;
    a.where = r.where(n);
    if (const auto v = n["hilltops"]) a.hilltops = static_cast<int>(r.integer(v, p + ".hilltops", 0, 100));
    if (const auto v = n["built_up"]) {
        a.built_up = static_cast<int>(r.integer(v, p + ".built_up", 0, 100));
        if (a.built_up > 0 && !have_land_cover) r.fail(v, p + ".built_up", "needs a land_cover section");
    }
    if (const auto v = n["mast_height_m"]) a.mast_height_m = r.number(v, p + ".mast_height_m", 0.0, 300.0, "m");
    if (const auto v = n["min_separation_m"])
        a.min_separation_m = r.number(v, p + ".min_separation_m", 0.0, 50000.0, "m");
    return a;
}

BackhaulSpec read_backhaul(const Reader& r, const YAML::Node& n) {
    const std::string p = "backhaul";
    r.keys(n, p, {"roads", "max_drop_m", "technologies"});
    BackhaulSpec b;
    b.where = r.where(n);
    if (const auto v = n["roads"]) b.roads = r.existing_file(v, p + ".roads");
    if (const auto v = n["max_drop_m"]) b.max_drop_m = r.number(v, p + ".max_drop_m", 0.0, 100000.0, "m");
    if (const auto t = n["technologies"]) {
        r.sequence(t, p + ".technologies", true);
        for (std::size_t i = 0; i < t.size(); ++i) b.technologies.push_back(r.name(t[i], idx(p + ".technologies", i)));
    }
    return b;
}

OutputsSpec read_outputs(const Reader& r, const YAML::Node& n) {
    const std::string p = "outputs";
    r.keys(n, p, {"loss_geotiff", "results_h5", "report_html", "report_pdf"});
    OutputsSpec o;
    if (const auto v = n["loss_geotiff"]) o.loss_geotiff = r.boolean(v, p + ".loss_geotiff");
    if (const auto v = n["results_h5"]) o.results_h5 = r.boolean(v, p + ".results_h5");
    if (const auto v = n["report_html"]) o.report_html = r.boolean(v, p + ".report_html");
    if (const auto v = n["report_pdf"]) o.report_pdf = r.boolean(v, p + ".report_pdf");
    return o;
}

// Loads one technology entry's profile with its overrides (what the comparison stage will do), so an unknown
// profile or a bad override is found when the scenario loads, at its own line: a profile that fails without
// overrides blames the entry; otherwise the first override that fails alone blames its line.
void check_technology(const Reader& r, const YAML::Node& e, const std::string& ep, const TechnologySpec& t) {
    link::Overrides all;
    for (const auto& [k, v] : t.overrides) all.emplace_back(k, v.text);
    try {
        (void)link::load_technology(t.profile, all);
        return;
    } catch (const InputError& whole) {
        try {
            (void)link::load_technology(t.profile, {});
        } catch (const InputError& e0) {
            r.fail(e.IsScalar() ? e : e["profile"], e.IsScalar() ? ep : ep + ".profile", e0.what());
        }
        for (const auto& [k, v] : t.overrides) {
            try {
                (void)link::load_technology(t.profile, {{k, v.text}});
            } catch (const InputError& one) {
                throw InputError(v.where + ": " + ep + ".overrides." + k + " = " + v.text + ": " + one.what());
            }
        }
        throw InputError(t.where + ": " + ep + ".overrides: " + whole.what());
    }
}

void check_technologies(const Reader& r, const YAML::Node& root, const Scenario& s) {
    for (std::size_t i = 0; i < s.technologies.size(); ++i)
        check_technology(r, root["technologies"][i], idx("technologies", i), s.technologies[i]);
    for (std::size_t m = 0; m < s.mixes.size(); ++m)
        for (std::size_t k = 0; k < s.mixes[m].members.size(); ++k)
            check_technology(r, root["mixes"][m]["members"][k], idx(idx("mixes", m) + ".members", k), s.mixes[m].members[k]);
}

// What reaches the propagation model, tried once at load time over a flat 1 km profile (the model's own range
// checks: ITM refuses f above 20 GHz and heights below 0.5 m), so a value the model refuses is named at its
// scenario line before any terrain work.
void check_model_inputs(const Reader& r, const YAML::Node& root, const Scenario& s) {
    const prop::ModelInfo& model = prop::find_model(s.propagation.model);
    static const std::vector<double> flat(101, 100.0);
    prop::LossQuery q;
    q.f_mhz = s.propagation.f_mhz;
    q.h_rx_m = s.propagation.h_rx_m;
    q.h_tx_m = 30.0;
    q.d_m = 1000.0;
    // The coverage solver runs a model with a radial sweep (ITM) through its own kernel, which holds ITM's ranges (libsim/coverage/site_loss.cpp:
    // f in [20, 20000] MHz, heights in [0.5, 3000] m); other models there turn out-of-range inputs into warnings.
    q.enforce_ranges = model.radial_sweep == prop::RadialSweep::itm;
    if (model.needs_profile) q.profile = ProfileView(10.0, flat);
    const auto fails = [&](const prop::LossQuery& query) -> std::string {
        try {
            (void)prop::compute_loss(model, query);
        } catch (const InputError& e) {
            return e.what();
        }
        return {};
    };
    const YAML::Node pn = root["propagation"];
    if (const std::string e = fails(q); !e.empty())
        r.fail(pn["f_mhz"], "propagation.f_mhz", "the model " + s.propagation.model + " refuses it: " + e);
    for (std::size_t i = 0; i < s.sites.size(); ++i) {
        q.h_tx_m = s.sites[i].mast_height_m;
        if (const std::string e = fails(q); !e.empty())
            r.fail(root["sites"][i]["mast_height_m"], idx("sites", i) + ".mast_height_m",
                   "the model " + s.propagation.model + " refuses it: " + e);
    }
}

}  // namespace

namespace {

// A technology's propagation model and radius: the entry's, else the profile's `coverage:`, else the scenario's
// `propagation`. A model not valid at the technology's centre frequency is refused, naming the technology, the
// model, its valid range and the models that are valid there.
void resolve_technology_coverage(TechnologySpec& t, const PropagationSpec& prop) {
    link::Overrides ov;
    for (const auto& [k, v] : t.overrides) ov.emplace_back(k, v.text);
    link::Technology tech;
    try {  // the profile with the entry's overrides (the comparison loads it again the same way)
        tech = link::load_technology(t.profile, ov);
    } catch (const InputError& e) {
        throw InputError(t.where + ": " + t.path + ": " + e.what());
    }
    t.resolved_model = !t.model.empty() ? t.model : !tech.coverage_model.empty() ? tech.coverage_model : prop.model;
    t.resolved_from = !t.model.empty() ? "scenario entry" : !tech.coverage_model.empty() ? "technology profile" : "propagation.model";
    t.resolved_radius_m = t.radius_m ? *t.radius_m
                          : tech.coverage_radius_km > 0.0 ? 1000.0 * tech.coverage_radius_km
                                                          : prop.radius_m;
    const prop::ModelInfo& m = prop::find_model(t.resolved_model);
    const double f = tech.f_center_mhz;
    if (f >= m.f_min_mhz && f <= m.f_max_mhz) return;
    std::string valid;
    for (const prop::ModelInfo& o : prop::all_models())
        if (f >= o.f_min_mhz && f <= o.f_max_mhz) valid += (valid.empty() ? "" : ", ") + std::string(o.name);
    const std::string field = !t.model.empty() ? t.path + ".model" : t.path + " (" + t.resolved_from + ")";
    throw InputError((!t.model_where.empty() ? t.model_where : t.where) + ": " + field + " = " + t.resolved_model +
                     ": technology " + t.profile + " at " + fmt_number(f) + " MHz is outside model " + t.resolved_model +
                     "'s valid range " + prop::frequency_range_text(m) + "; valid models there: " + valid);
}

}  // namespace

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides) {
    std::error_code ec;
    if (!fs::exists(file, ec)) throw InputError(file.string() + ": scenario file not found");
    check_input_file(file, "scenario");
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::ParserException& e) {
        throw InputError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
    } catch (const YAML::BadFile&) {
        throw InputError(file.string() + ": cannot read scenario file");
    }
    Reader r(file);
    for (const std::string& o : overrides) apply_override(root, o, r);
    r.keys(root, "", {"name", "area_of_interest", "terrain", "land_cover", "sites", "demand", "fibre_pops",
                      "technologies", "mixes", "propagation", "economics", "requirements", "auto_candidates", "outputs",
                      "backhaul", "measurements", "evaluation", "routes"});
    Scenario s;
    s.file = file;
    YAML::Emitter resolved;
    resolved << root;
    s.resolved_yaml = std::string(resolved.c_str()) + "\n";
    s.name = r.text(r.required(root, "scenario", "name"), "name");
    if (const auto a = root["area_of_interest"]) {
        s.area_of_interest = read_aoi(r, a);
        s.area_where = r.where(a);
    }
    s.terrain = read_terrain(r, r.required(root, "scenario", "terrain"));
    if (const auto lc = root["land_cover"]) s.land_cover = read_land_cover(r, lc, s.terrain);
    if (const auto t = root["technologies"]) s.technologies = read_technologies(r, t);
    if (const auto m = root["mixes"]) s.mixes = read_mixes(r, m, s.technologies);
    s.sites = read_sites(r, r.required(root, "scenario", "sites"), s.technologies);
    if (const auto d = root["demand"]) s.demand = read_demand(r, d, s.land_cover.present());
    if (const auto f = root["fibre_pops"]) s.fibre_pops = read_pops(r, f);
    s.propagation = read_propagation(r, r.required(root, "scenario", "propagation"));
    if (s.propagation.rx_height_from_clutter && !s.land_cover.present())
        r.fail(root["propagation"]["rx_height_from_clutter"], "propagation.rx_height_from_clutter", "needs a land_cover section");
    if (const auto e = root["economics"]) s.economics = read_economics(r, e);
    if (const auto q = root["requirements"]) s.requirements = read_requirements(r, q);
    if (const auto a = root["auto_candidates"]) s.auto_candidates = read_auto_candidates(r, a, s.land_cover.present());
    if (const auto o = root["outputs"]) s.outputs = read_outputs(r, o);
    if (const auto b = root["backhaul"]) s.backhaul = read_backhaul(r, b);
    if (!s.land_cover.present()) {  // the land-cover losses need land cover; asked for explicitly, an error
        const YAML::Node pn = root["propagation"];
        for (const char* key : {"clutter", "vegetation"}) {
            const YAML::Node k = pn[key];
            if (k && (k.IsMap() || k.Scalar() == "true"))
                r.fail(k, std::string("propagation.") + key, "needs a land_cover section (the loss comes from the receiver's class)");
        }
        s.propagation.losses.clutter = s.propagation.losses.vegetation = false;
    }
    // (the economics reader checks rental_eligible_years against the programme's 5 years and the horizon)
    check_model_inputs(r, root, s);   // before any terrain work (issue 15)
    check_technologies(r, root, s);   // each override blamed at its own line, before the profiles are resolved
    for (TechnologySpec& t : s.technologies) resolve_technology_coverage(t, s.propagation);
    for (MixSpec& m : s.mixes)
        for (TechnologySpec& t : m.members) resolve_technology_coverage(t, s.propagation);
    for (const TechnologySpec& t : s.technologies)
        if (s.propagation.resolution_m > 0.0 && t.resolved_radius_m / s.propagation.resolution_m > 5000.0)
            throw InputError(t.where + ": " + t.path + ".radius_km: must be at most 5000 x propagation.resolution_m (grid too large)");
    if (const auto m = root["measurements"]) s.measurements = read_measurements(r, m);
    if (const auto e = root["evaluation"]) s.evaluation = read_evaluation(r, e);
    if (const auto rt = root["routes"]) s.routes = read_routes(r, rt);
    return s;
}

double max_radius_m(const Scenario& s) {
    double r_m = s.propagation.radius_m;
    for (const TechnologySpec& t : s.technologies) r_m = std::max(r_m, t.resolved_radius_m);
    for (const MixSpec& m : s.mixes)
        for (const TechnologySpec& t : m.members) r_m = std::max(r_m, t.resolved_radius_m);
    return r_m;
}

std::vector<std::filesystem::path> scenario_input_files(const Scenario& s) {
    std::vector<std::filesystem::path> files = {s.file};
    files.insert(files.end(), s.terrain.files.begin(), s.terrain.files.end());
    files.push_back(s.land_cover.file);
    files.push_back(s.land_cover.mapping);
    for (const auto& d : s.demand) files.push_back(d.file);
    for (const auto& site : s.sites)
        for (const auto& sector : site.sectors) files.push_back(sector.pattern);
    files.push_back(s.backhaul.roads);
    std::erase_if(files, [](const std::filesystem::path& p) { return p.empty(); });
    return files;
}

}  // namespace dxplan
