// HDF5 helpers shared by the output layer's writers (results.h5, coverage.h5). Internal to libsim/output:
// HDF5 types never reach a public header (ARCHITECTURE.md 9).
#pragma once

#include <H5Cpp.h>

#include <string>
#include <vector>

#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/stats.hpp"

namespace dxplan::output::h5 {

inline void attr(H5::H5Object& obj, const std::string& name, double v) {
    obj.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace()).write(H5::PredType::NATIVE_DOUBLE, &v);
}

inline void attr(H5::H5Object& obj, const std::string& name, const std::string& v) {
    const H5::StrType type(H5::PredType::C_S1, v.empty() ? 1 : v.size());
    obj.createAttribute(name, type, H5::DataSpace()).write(type, v.c_str());
}

// Datasets without modification times, so that two identical runs give identical files.
inline H5::DSetCreatPropList no_times() {
    H5::DSetCreatPropList p;
    H5Pset_obj_track_times(p.getId(), false);
    return p;
}

// An array dataset of the given dimensions (row-major data; nothing written when empty).
inline void write_array(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const void* data,
                        const H5::PredType& file_type, const H5::PredType& mem_type) {
    const H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
    H5::DataSet ds = g.createDataSet(name, file_type, space, no_times());
    if (space.getSimpleExtentNpoints() > 0) ds.write(data, mem_type);
}

// A group without modification times (see no_times).
inline H5::Group group(H5::Group& parent, const std::string& name) {
    const hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, false);
    const hid_t id = H5Gcreate2(parent.getId(), name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (id < 0) throw H5::GroupIException("H5Gcreate2", "cannot create group " + name);
    H5::Group g(id);
    H5Gclose(id);  // H5::Group(id) took its own reference
    return g;
}

}  // namespace dxplan::output::h5

namespace dxplan::output {

// The group `name` under `parent` with one technology's combined maps and statistics (layout: coverage_h5.hpp),
// shared by coverage.h5 and results.h5.
void write_coverage_group(H5::Group& parent, const std::string& name, const coverage::TechnologyMaps& maps,
                          const coverage::TechnologyStats& stats);

}  // namespace dxplan::output
