// dxplan terrain: the one place rasters are opened with GDAL (plus the writer in raster_io.cpp).
#include "libsim/terrain/gdal_source.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include "libsim/core/error.hpp"
#include "libsim/core/input_file.hpp"
#include "libsim/core/memory.hpp"

namespace dxplan::detail {

namespace {

inline constexpr float kSrtmVoid = -32768.0f;
inline constexpr std::uintmax_t kHgt3Bytes = 1201ull * 1201ull * 2ull;  // SRTM3, 3 arc-seconds
inline constexpr std::uintmax_t kHgt1Bytes = 3601ull * 3601ull * 2ull;  // SRTM1, 1 arc-second

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// GDAL reports errors through a process-wide handler that prints to stderr; the library never prints
// (ARCHITECTURE.md 4), so errors are silenced for the scope and read back with CPLGetLastErrorMsg().
class QuietGdal {
public:
    QuietGdal() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~QuietGdal() { CPLPopErrorHandler(); }
    QuietGdal(const QuietGdal&) = delete;
    QuietGdal& operator=(const QuietGdal&) = delete;
    static std::string last() {
        std::string msg = CPLGetLastErrorMsg();
        std::replace(msg.begin(), msg.end(), '\n', ' ');
        return msg.empty() ? std::string("unknown GDAL error") : msg;
    }
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool is_virtual(const std::filesystem::path& p) { return p.string().rfind("/vsi", 0) == 0; }

}  // namespace

void ensure_gdal_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

struct GdalSource::Impl {
    DatasetPtr source;
    DatasetPtr warped;  // EPSG:4326 view of `source` when it is in another CRS
    double nodata = 0.0;
    bool has_nodata = false;
    [[nodiscard]] GDALDataset* view() const { return warped ? warped.get() : source.get(); }
};

namespace {

// A corrupt header can carry a NaN or infinite geotransform, or one that puts the raster off the globe: every
// later computation on the grid would be meaningless (a NaN origin was cast to int; found by fuzzing,
// tests/fuzz/regressions/raster/). The edges may overshoot the poles or the antimeridian by one cell
// (global rasters whose cell edges sit there), longitudes run to 360 for 0..360 rasters.
void check_on_globe(const std::string& name, const double* gt, int rows, int cols) {
    const double north = gt[3], south = gt[3] + gt[5] * rows, west = gt[0], east = gt[0] + gt[1] * cols;
    const double slack_lat = -gt[5], slack_lon = gt[1];
    for (int i = 0; i < 6; ++i)
        if (!std::isfinite(gt[i])) throw InputError(name + ": the raster's geotransform is not finite (a corrupt header)");
    if (south < -90.0 - slack_lat || north > 90.0 + slack_lat || west < -180.0 - slack_lon || east > 360.0 + slack_lon)
        throw InputError(name + ": the raster's extent (lat " + std::to_string(south) + " to " + std::to_string(north) +
                         ", lon " + std::to_string(west) + " to " + std::to_string(east) +
                         " deg) lies off the globe: must be within lat [-90, 90], lon [-180, 360] deg");
}

}  // namespace

GdalSource::GdalSource(GdalSource&&) noexcept = default;
GdalSource& GdalSource::operator=(GdalSource&&) noexcept = default;
GdalSource::~GdalSource() = default;

GdalSource::GdalSource(const std::filesystem::path& file, Resampling resampling)
    : impl_(std::make_unique<Impl>()), path_(file) {
    ensure_gdal_registered();
    const std::string name = file.string();
    if (!is_virtual(file)) {
        std::error_code ec;
        check_input_file(file, "");  // exists, regular, readable: GDAL's SRTM driver crashes on an unreadable .hgt
        if (lower(file.extension().string()) == ".hgt") {
            // GDAL identifies .hgt by size and may misread a cut file, so check it here.
            const std::uintmax_t bytes = std::filesystem::file_size(file, ec);
            if (ec || (bytes != kHgt3Bytes && bytes != kHgt1Bytes)) {
                throw InputError(name + ": truncated or corrupt SRTM .hgt: " + std::to_string(bytes) +
                                 " bytes, expected " + std::to_string(kHgt3Bytes) + " (3\") or " +
                                 std::to_string(kHgt1Bytes) + " (1\")");
            }
        }
    }
    QuietGdal quiet;
    impl_->source.reset(GDALDataset::Open(name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!impl_->source) throw InputError(name + ": cannot read as a raster: " + QuietGdal::last());
    if (impl_->source->GetRasterCount() < 1) throw InputError(name + ": raster has no band");
    const OGRSpatialReference* srs = impl_->source->GetSpatialRef();
    if (srs == nullptr || srs->IsEmpty()) {
        throw InputError(name +
                         ": raster has no coordinate reference system (add a .prj, or set one with "
                         "gdal_translate -a_srs EPSG:4326)");
    }
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char* same_opts[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                               "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
    if (!srs->IsSame(&wgs84, same_opts)) {
        // Warp to EPSG:4326 in memory (a VRT); GDAL picks a spacing close to the source's.
        std::vector<std::string> args = {"-of", "VRT", "-t_srs", "EPSG:4326", "-r",
                                         resampling == Resampling::bilinear ? "bilinear" : "near",
                                         "-dstnodata", resampling == Resampling::bilinear ? "-32768" : "0"};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(argv.data(), nullptr);
        GDALDatasetH src = GDALDataset::ToHandle(impl_->source.get());
        int usage_error = 0;
        GDALDatasetH out = GDALWarp("", nullptr, 1, &src, opts, &usage_error);
        GDALWarpAppOptionsFree(opts);
        if (out == nullptr) throw InputError(name + ": cannot warp to EPSG:4326: " + QuietGdal::last());
        impl_->warped.reset(GDALDataset::FromHandle(out));
    }
    GDALDataset* ds = impl_->view();
    double gt[6];
    if (ds->GetGeoTransform(gt) != CE_None) throw InputError(name + ": raster has no geotransform");
    if (gt[2] != 0.0 || gt[4] != 0.0 || gt[1] <= 0.0 || gt[5] >= 0.0) {
        throw InputError(name + ": rotated or south-up rasters are not supported (warp it with gdalwarp first)");
    }
    GDALRasterBand* band = ds->GetRasterBand(1);
    int has_nodata = 0;
    impl_->nodata = band->GetNoDataValue(&has_nodata);
    impl_->has_nodata = has_nodata != 0;

    layout_.rows = ds->GetRasterYSize();
    layout_.cols = ds->GetRasterXSize();
    layout_.dlon_deg = gt[1];
    layout_.dlat_deg = -gt[5];
    layout_.west_deg = gt[0] + gt[1] / 2;   // centre of column 0 ("pixel is area")
    layout_.north_deg = gt[3] + gt[5] / 2;  // centre of row 0
    check_on_globe(name, gt, layout_.rows, layout_.cols);
}

GeoGrid GdalSource::read(int row0, int col0, int rows, int cols) const {
    GeoGrid out = layout_.window(row0, col0, rows, cols);
    if (rows <= 0 || cols <= 0) return out;
    reserve_huge(out.values, static_cast<std::size_t>(rows) * cols);
    out.values.resize(static_cast<std::size_t>(rows) * cols);
    QuietGdal quiet;
    GDALRasterBand* band = impl_->view()->GetRasterBand(1);
    if (band->RasterIO(GF_Read, col0, row0, cols, rows, out.values.data(), cols, rows, GDT_Float32, 0, 0,
                       nullptr) != CE_None) {
        throw InputError(path_.string() + ": read failed: " + QuietGdal::last());
    }
    const auto nodata = static_cast<float>(impl_->nodata);
    for (float& v : out.values) {
        if (v == kSrtmVoid || (impl_->has_nodata && v == nodata) || std::isnan(v)) {
            v = std::numeric_limits<float>::quiet_NaN();
        }
    }
    return out;
}

}  // namespace dxplan::detail
