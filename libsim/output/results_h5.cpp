// results.h5 writer (HDF5 C++ API, kept inside this file). Layout: results.hpp and scenarios/README.md.
#include <H5Cpp.h>

#include "libsim/output/h5_internal.hpp"

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/output/results.hpp"
#include "libsim/core/version.hpp"

namespace dxplan::output {

namespace {

using h5::attr;
using h5::group;
using h5::no_times;




void write_floats(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const float* data) {
    h5::write_array(g, name, dims, data, H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT);
}

// The excess losses included in a site's demand_loss_db, per demand point (pipeline: excess_loss.hpp).
void write_demand_terms(H5::Group& g, const SiteResult& s) {
    const std::pair<const char*, const std::vector<float>*> terms[] = {
        {"demand_clutter_db", &s.demand_clutter_db},           {"demand_vegetation_db", &s.demand_vegetation_db},
        {"demand_building_entry_db", &s.demand_building_entry_db}, {"demand_rain_db", &s.demand_rain_db},
        {"demand_gas_db", &s.demand_gas_db}};
    for (const auto& [name, v] : terms)
        if (v->size() == s.demand_loss_db.size() && !v->empty()) write_floats(g, name, {static_cast<hsize_t>(v->size())}, v->data());
}

void write_doubles(H5::Group& g, const std::string& name, const std::vector<double>& v) {
    h5::write_array(g, name, {v.size()}, v.data(), H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE);
}

void write_strings(H5::Group& g, const std::string& name, const std::vector<std::string>& v) {
    std::vector<const char*> ptrs;
    for (const auto& s : v) ptrs.push_back(s.c_str());
    const hsize_t n = v.size();
    const H5::DataSpace space(1, &n);
    const H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    H5::DataSet ds = g.createDataSet(name, type, space, no_times());
    if (n > 0) ds.write(ptrs.data(), type);
}

}  // namespace

void write_results_h5(const std::filesystem::path& file, const RunResults& r) {
    write_atomically(file, [&](const std::filesystem::path& tmp) {
        try {
            H5::Exception::dontPrint();
            H5::H5File f(tmp.string(), H5F_ACC_TRUNC);
            H5::Group root = f.openGroup("/");
            attr(root, "dxplan_version", std::string(kVersion));
            attr(root, "scenario_name", r.scenario_name);
            attr(root, "model", r.model);
            attr(root, "f_mhz", r.f_mhz);
            attr(root, "h_rx_m", r.h_rx_m);
            attr(root, "radius_m", r.radius_m);
            attr(root, "resolution_m", r.resolution_m);
            attr(root, "crs", "EPSG:4326");

            H5::Group demand = group(root, "demand");
            std::vector<std::string> ids, kinds;
            std::vector<double> lat, lon, indoor, gain;
            for (const auto& d : r.demand) {
                ids.push_back(d.id);
                kinds.emplace_back(to_string(d.kind));
                lat.push_back(d.pos.lat_deg);
                lon.push_back(d.pos.lon_deg);
                indoor.push_back(d.indoor ? 1.0 : 0.0);
                gain.push_back(d.terminal_gain_db);
            }
            write_strings(demand, "id", ids);
            write_strings(demand, "kind", kinds);
            write_doubles(demand, "lat_deg", lat);
            write_doubles(demand, "lon_deg", lon);
            write_doubles(demand, "indoor", indoor);                // 1: building entry loss on its links
            write_doubles(demand, "terminal_gain_db", gain);        // an outdoor CPE's gain

            H5::Group sites = group(root, "sites");
            for (const auto& s : r.sites) {
                H5::Group g = group(sites, s.id);
                attr(g, "lat_deg", s.pos.lat_deg);
                attr(g, "lon_deg", s.pos.lon_deg);
                attr(g, "ground_m", s.ground_m);
                attr(g, "mast_height_m", s.mast_height_m);
                attr(g, "technology", s.technology.value_or(""));
                const GeoGrid& l = s.loss_db;
                write_floats(g, "loss_db", {static_cast<hsize_t>(l.rows), static_cast<hsize_t>(l.cols)}, l.values.data());
                H5::DataSet ds = g.openDataSet("loss_db");
                attr(ds, "units", "dB");
                attr(ds, "nodata", "NaN (outside radius_m)");
                attr(ds, "north_deg", l.north_deg);  // centre of row 0
                attr(ds, "west_deg", l.west_deg);    // centre of column 0
                attr(ds, "dlat_deg", l.dlat_deg);
                attr(ds, "dlon_deg", l.dlon_deg);
                write_floats(g, "demand_loss_db", {static_cast<hsize_t>(s.demand_loss_db.size())},
                             s.demand_loss_db.data());
                write_demand_terms(g, s);
            }
            if (!r.technology_losses.empty()) {
                // Each technology's own run (its frequency, model, radius): per site the demand-point losses.
                H5::Group tl = group(root, "technology_losses");
                for (const auto& t : r.technology_losses) {
                    std::ostringstream name;
                    name << t.model << "_" << t.f_mhz << "mhz_" << t.radius_m << "m";
                    H5::Group g = group(tl, name.str());
                    attr(g, "f_mhz", t.f_mhz);
                    attr(g, "model", t.model);
                    attr(g, "radius_m", t.radius_m);
                    std::string techs;
                    for (const auto& n : t.technologies) techs += (techs.empty() ? "" : ",") + n;
                    attr(g, "technologies", techs);
                    for (const auto& site : t.sites) {
                        if (site.demand_loss_db.empty()) continue;
                        H5::Group sg = group(g, site.id);
                        write_floats(sg, "demand_loss_db", {static_cast<hsize_t>(site.demand_loss_db.size())},
                                     site.demand_loss_db.data());
                        write_demand_terms(sg, site);
                    }
                }
            }
            if (!r.service_maps.empty()) {
                H5::Group cov = group(root, "coverage");
                for (const auto& sm : r.service_maps) write_coverage_group(cov, sm.label, sm.maps, sm.stats);
            }
            if (!r.backhaul.empty()) {
                H5::Group backhaul = group(root, "backhaul");
                for (const auto& plan : r.backhaul) {
                    H5::Group g = group(backhaul, plan.technology);
                    std::vector<double> a_lat, a_lon, b_lat, b_lon;
                    for (std::size_t i = 0; i < plan.a.size(); ++i) {
                        a_lat.push_back(plan.a[i].lat_deg), a_lon.push_back(plan.a[i].lon_deg);
                        b_lat.push_back(plan.b[i].lat_deg), b_lon.push_back(plan.b[i].lon_deg);
                    }
                    write_doubles(g, "a_lat_deg", a_lat);
                    write_doubles(g, "a_lon_deg", a_lon);
                    write_doubles(g, "b_lat_deg", b_lat);
                    write_doubles(g, "b_lon_deg", b_lon);
                    write_strings(g, "link_technology", plan.link_technology);
                    attr(g, "capex_jpy", plan.capex_jpy);
                    attr(g, "opex_jpy_per_year", plan.opex_jpy_per_year);
                    attr(g, "fibre_km", plan.fibre_km);
                    attr(g, "solver", plan.solver);
                }
            }
            f.close();
        } catch (const H5::Exception& e) {
            throw InternalError(file.string() + ": HDF5 write failed: " + e.getDetailMsg());
        }
    });
}

}  // namespace dxplan::output
