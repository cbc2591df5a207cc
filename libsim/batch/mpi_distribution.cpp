// MPI distribution of a batch (see mpi_distribution.hpp).
#include "libsim/batch/mpi_distribution.hpp"

#include <cstdlib>

#ifdef DXPLAN_MPI
#include <mpi.h>
#endif

namespace dxplan::batch {

#ifdef DXPLAN_MPI
namespace {

class MpiDistribution : public Distribution {
public:
    MpiDistribution() {
        MPI_Init(nullptr, nullptr);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
        // Rank 0 exposes one counter; every rank adds 1 to it atomically and gets the old value.
        MPI_Win_allocate(rank_ == 0 ? sizeof(long) : 0, sizeof(long), MPI_INFO_NULL, MPI_COMM_WORLD, &base_, &win_);
        if (rank_ == 0) {
            MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win_);
            *base_ = 0;
            MPI_Win_unlock(0, win_);
        }
        MPI_Barrier(MPI_COMM_WORLD);
    }
    ~MpiDistribution() override {
        MPI_Win_free(&win_);
        MPI_Finalize();
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    std::size_t next() override {
        const long one = 1;
        long old = 0;
        MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win_);
        MPI_Fetch_and_op(&one, &old, MPI_LONG, 0, 0, MPI_SUM, win_);
        MPI_Win_unlock(0, win_);
        return static_cast<std::size_t>(old);
    }
    void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }

private:
    int rank_ = 0;
    int size_ = 1;
    long* base_ = nullptr;
    MPI_Win win_{};
};

}  // namespace

std::unique_ptr<Distribution> mpi_distribution_if_launched() {
    const char* n = std::getenv("OMPI_COMM_WORLD_SIZE");
    if (n == nullptr) return nullptr;
    return std::make_unique<MpiDistribution>();
}

bool mpi_available() { return true; }
#else
std::unique_ptr<Distribution> mpi_distribution_if_launched() { return nullptr; }
bool mpi_available() { return false; }
#endif

}  // namespace dxplan::batch
