#include "libsim/terrain/raster_io.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/terrain/gdal_source.hpp"

namespace dxplan {

void write_geotiff_f32(const std::filesystem::path& path, const GeoGrid& grid, float nodata) {
    if (grid.rows < 1 || grid.cols < 1 || grid.values.size() != static_cast<std::size_t>(grid.rows) * grid.cols ||
        !(grid.dlat_deg > 0) || !(grid.dlon_deg > 0)) {
        throw InputError(path.string() + ": cannot write GeoTIFF: grid is empty or inconsistent");
    }
    detail::ensure_gdal_registered();
    write_atomically(path, [&](const std::filesystem::path& tmp) {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        struct Pop {
            ~Pop() { CPLPopErrorHandler(); }
        } pop;
        const auto fail = [&](const char* what) {
            return InputError(path.string() + ": cannot write GeoTIFF (" + what + "): " + CPLGetLastErrorMsg());
        };
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
        if (driver == nullptr) throw InternalError("GDAL has no GTiff driver");
        const char* create_opts[] = {"COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=YES", nullptr};
        std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(
            driver->Create(tmp.c_str(), grid.cols, grid.rows, 1, GDT_Float32, const_cast<char**>(create_opts)),
            [](GDALDataset* d) { GDALClose(d); });
        if (!ds) throw fail("create");
        double gt[6] = {grid.west_deg - grid.dlon_deg / 2, grid.dlon_deg, 0.0,
                        grid.north_deg + grid.dlat_deg / 2, 0.0, -grid.dlat_deg};
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        if (ds->SetGeoTransform(gt) != CE_None || ds->SetSpatialRef(&wgs84) != CE_None) throw fail("georeferencing");
        GDALRasterBand* band = ds->GetRasterBand(1);
        if (band->SetNoDataValue(nodata) != CE_None) throw fail("nodata");
        std::vector<float> row(static_cast<std::size_t>(grid.cols));
        for (int r = 0; r < grid.rows; ++r) {
            for (int c = 0; c < grid.cols; ++c) {
                const float v = grid.at(r, c);
                row[static_cast<std::size_t>(c)] = std::isnan(v) ? nodata : v;
            }
            if (band->RasterIO(GF_Write, 0, r, grid.cols, 1, row.data(), grid.cols, 1, GDT_Float32, 0, 0, nullptr) !=
                CE_None) {
                throw fail("write");
            }
        }
        // Closing flushes the file; a failure here must not be renamed into place.
        CPLErrorReset();
        ds.reset();
        if (CPLGetLastErrorType() >= CE_Failure) throw fail("close");
    });
}

}  // namespace dxplan
