// coverage.h5 writer (HDF5 C++ API, kept inside this file). Layout: coverage_h5.hpp.
#include "libsim/output/coverage_h5.hpp"

#include <H5Cpp.h>

#include "libsim/output/h5_internal.hpp"

#include <string>
#include <vector>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"

namespace dxplan::output {

namespace {

using h5::attr;
using h5::no_times;




template <typename T>
void write_grid(H5::Group& g, const std::string& name, const GeoGrid& shape, const std::vector<T>& v,
                const H5::PredType& file_type, const H5::PredType& mem_type) {
    h5::write_array(g, name, {static_cast<hsize_t>(shape.rows), static_cast<hsize_t>(shape.cols)}, v.data(), file_type,
                    mem_type);
}

template <typename T>
void write_vector(H5::Group& g, const std::string& name, const std::vector<T>& v, const H5::PredType& file_type,
                  const H5::PredType& mem_type) {
    h5::write_array(g, name, {v.size()}, v.data(), file_type, mem_type);
}

}  // namespace

void write_coverage_group(H5::Group& parent, const std::string& name, const coverage::TechnologyMaps& m,
                          const coverage::TechnologyStats& st) {
    H5::Group g = h5::group(parent, name);
    const GeoGrid& grid = m.rx_power_dbm;
    attr(g, "crs", "EPSG:4326");
    attr(g, "north_deg", grid.north_deg);  // centre of pixel (0, 0)
    attr(g, "west_deg", grid.west_deg);
    attr(g, "dlat_deg", grid.dlat_deg);
    attr(g, "dlon_deg", grid.dlon_deg);
    attr(g, "rsrp", m.rsrp ? 1.0 : 0.0);
    attr(g, "aoi_km2", st.aoi_km2);
    attr(g, "covered_km2", st.covered_km2);
    attr(g, "covered_share", st.covered_share);
    const auto f32 = H5::PredType::IEEE_F32LE;
    const auto nf = H5::PredType::NATIVE_FLOAT;
    write_grid(g, "rx_power_dbm", grid, m.rx_power_dbm.values, f32, nf);
    write_grid(g, "snr_db", grid, m.snr_db.values, f32, nf);
    write_grid(g, "sinr_db", grid, m.sinr_db.values, f32, nf);
    write_grid(g, "ul_sinr_db", grid, m.ul_sinr_db.values, f32, nf);
    write_grid(g, "dl_throughput_mbps", grid, m.dl_throughput_mbps.values, f32, nf);
    write_grid(g, "ul_throughput_mbps", grid, m.ul_throughput_mbps.values, f32, nf);
    const auto i16 = H5::PredType::STD_I16LE;
    const auto ni16 = H5::PredType::NATIVE_INT16;
    write_grid(g, "best_server", grid, m.best_server, i16, ni16);
    write_grid(g, "dl_mode", grid, m.dl_mode, i16, ni16);
    write_grid(g, "ul_mode", grid, m.ul_mode, i16, ni16);
    H5::Group sites = h5::group(g, "sites");
    std::vector<const char*> ids;
    std::vector<double> best_km2, covered_km2, demand_best, demand;
    for (const coverage::SiteStats& s : st.sites) {
        ids.push_back(s.id.c_str());
        best_km2.push_back(s.best_server_km2);
        covered_km2.push_back(s.covered_km2);
        demand_best.push_back(static_cast<double>(s.demand_best_server));
        demand.push_back(static_cast<double>(s.demand_covered));
    }
    const hsize_t n = ids.size();
    const H5::StrType str(H5::PredType::C_S1, H5T_VARIABLE);
    H5::DataSet id_ds = sites.createDataSet("id", str, H5::DataSpace(1, &n), no_times());
    if (n > 0) id_ds.write(ids.data(), str);
    const auto f64 = H5::PredType::IEEE_F64LE;
    const auto nd = H5::PredType::NATIVE_DOUBLE;
    write_vector(sites, "best_server_km2", best_km2, f64, nd);
    write_vector(sites, "covered_km2", covered_km2, f64, nd);
    write_vector(sites, "demand_best_server", demand_best, f64, nd);
    write_vector(sites, "demand_covered", demand, f64, nd);
}

void write_coverage_h5(const std::filesystem::path& file, const coverage::CoverageMaps& maps,
                       std::span<const coverage::TechnologyStats> stats) {
    if (stats.size() != maps.technologies.size())
        throw InputError(file.string() + ": coverage statistics do not match the maps");
    write_atomically(file, [&](const std::filesystem::path& tmp) {
        try {
            H5::Exception::dontPrint();
            H5::H5File f(tmp.string(), H5F_ACC_TRUNC);
            H5::Group root = f.openGroup("/");
            attr(root, "crs", "EPSG:4326");
            if (!maps.technologies.empty()) {
                const GeoGrid& g = maps.technologies.front().rx_power_dbm;
                attr(root, "north_deg", g.north_deg);
                attr(root, "west_deg", g.west_deg);
                attr(root, "dlat_deg", g.dlat_deg);
                attr(root, "dlon_deg", g.dlon_deg);
            }
            H5::Group cov = h5::group(root, "coverage");
            for (std::size_t t = 0; t < maps.technologies.size(); ++t)
                write_coverage_group(cov, maps.technologies[t].technology, maps.technologies[t], stats[t]);
        } catch (const H5::Exception& e) {
            throw InputError(file.string() + ": cannot write HDF5 (" + e.getDetailMsg() + ")");
        }
    });
}

}  // namespace dxplan::output
