// The batch's MPI distribution: under `mpirun` (OpenMPI's OMPI_COMM_WORLD_SIZE in the environment) and in a
// build with DXPLAN_MPI, a Distribution over MPI_COMM_WORLD whose next() is an atomic fetch-and-add on a
// counter held by rank 0 (MPI-3 one-sided MPI_Fetch_and_op), so ranks take variants dynamically. Otherwise
// nullptr (one process). MPI is initialised by the first call and finalised when the object is destroyed.
#pragma once

#include <memory>

#include "libsim/batch/batch.hpp"

namespace dxplan::batch {

[[nodiscard]] std::unique_ptr<Distribution> mpi_distribution_if_launched();

// Whether this build can distribute over MPI.
[[nodiscard]] bool mpi_available();

}  // namespace dxplan::batch
