// Terrain layer: DEM loading (SRTM .hgt, GeoTIFF, ASCII grid, other CRS), mosaics, crops, voids, errors,
// and the GeoTIFF writer. Reference values are read with GDAL directly, not through dxplan.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <unistd.h>
#include <vector>

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include "libsim/core/error.hpp"
#include "libsim/terrain/raster_io.hpp"
#include "libsim/terrain/terrain.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

using dxplan::GeoBox;
using dxplan::GeoGrid;
using dxplan::InputError;
using dxplan::LatLon;
namespace fs = std::filesystem;

namespace {

fs::path tile(const char* name) { return dxplan::test::terrain_dir() / name; }

bool have_tile(const char* name) {
    if (fs::exists(tile(name))) return true;
    dxplan::test::skip(tile(name).string() + " is absent (../shared not present)");
    return false;
}

// A fresh temporary directory, removed at scope exit.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& tag)
        : path(fs::temp_directory_path() / ("dxplan_" + tag + "_" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

struct Gdal {
    GDALDataset* ds = nullptr;
    explicit Gdal(const fs::path& p) {
        GDALAllRegister();
        ds = GDALDataset::Open(p.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
        REQUIRE(ds != nullptr);
    }
    ~Gdal() { GDALClose(ds); }
    double value(int row, int col) const {
        double v = 0;
        REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Read, col, row, 1, 1, &v, 1, 1, GDT_Float64, 0, 0, nullptr) == CE_None);
        return v;
    }
};

dxplan::Terrain load_one(const fs::path& p, const dxplan::TerrainOptions& o = {}) {
    const std::vector<fs::path> files{p};
    return dxplan::load_terrain(files, o);
}

// Runs a gdal_translate / gdalwarp equivalent through the GDAL C API.
void gdal_translate(const fs::path& src, const fs::path& dst, std::vector<std::string> args) {
    GDALAllRegister();
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALTranslateOptions* opts = GDALTranslateOptionsNew(argv.data(), nullptr);
    GDALDatasetH in = GDALOpen(src.c_str(), GA_ReadOnly);
    REQUIRE(in != nullptr);
    GDALDatasetH out = GDALTranslate(dst.c_str(), in, opts, nullptr);
    GDALTranslateOptionsFree(opts);
    REQUIRE(out != nullptr);
    GDALClose(out);
    GDALClose(in);
}

}  // namespace

TEST_CASE("Fuji summit reads 3749 m from N35E138.hgt", "[terrain][real]") {
    if (!have_tile("N35E138.hgt")) return;
    const auto t = load_one(tile("N35E138.hgt"));
    CHECK(t.grid().rows == 1201);
    CHECK(t.grid().cols == 1201);
    const double z_m = t.height_m({35.3608, 138.7275});
    INFO("Fuji summit height " << z_m << " m; SOURCES.md: highest sample 3749 m at 35.3608 N, 138.7275 E");
    CHECK(z_m == Approx(3749.0).margin(1.0));  // tolerance 1 m
    CHECK(t.voids().void_cells == 0);
}

TEST_CASE("heights at sample centres equal the raw samples read with GDAL", "[terrain][real]") {
    if (!have_tile("N35E138.hgt")) return;
    const auto t = load_one(tile("N35E138.hgt"));
    const Gdal raw(tile("N35E138.hgt"));
    int checked = 0;
    for (int row : {0, 1, 437, 600, 1199, 1200}) {
        for (int col : {0, 2, 873, 1200}) {
            const LatLon p{36.0 - row / 1200.0, 138.0 + col / 1200.0};
            INFO("sample row " << row << " col " << col << " at " << p.lat_deg << "," << p.lon_deg);
            CHECK(t.height_m(p) == Approx(raw.value(row, col)).margin(1e-6));  // exact sample, 1 um
            ++checked;
        }
    }
    std::cout << "terrain: " << checked << " samples compared with GDAL\n";
    // Between samples: bilinear of the four neighbours.
    const double z = t.height_m({36.0 - 600.25 / 1200.0, 138.0 + 800.5 / 1200.0});
    const double expect = 0.75 * (0.5 * raw.value(600, 800) + 0.5 * raw.value(600, 801)) +
                          0.25 * (0.5 * raw.value(601, 800) + 0.5 * raw.value(601, 801));
    CHECK(z == Approx(expect).margin(1e-4));  // 0.1 mm
}

TEST_CASE("Kauai tile: 4279 voids are filled and reported", "[terrain][real][voids]") {
    if (!have_tile("N22W160.hgt")) return;
    const auto t = load_one(tile("N22W160.hgt"));
    const auto& v = t.voids();
    INFO("void report: " << v.void_cells << " cells, " << v.regions << " regions, " << v.large_regions
                         << " large regions (" << v.large_cells << " cells)");
    CHECK(v.void_cells == 4279);  // SOURCES.md: 4,279 voids (-32768)
    CHECK(v.regions > 0);
    CHECK(v.large_cells <= v.void_cells);
    CHECK(v.large_extent.has_value() == (v.large_regions > 0));
    std::size_t left = 0;
    for (float z : t.grid().values) left += (std::isnan(z) || z < -1000.0f) ? 1 : 0;
    INFO("cells still void (NaN or < -1000 m) after filling: " << left);
    CHECK(left == 0);
    // Every filled cell lies within the tile's valid height range (-34 .. 1579 m, SOURCES.md).
    const Gdal raw(tile("N22W160.hgt"));
    std::vector<double> all(1201 * 1201);
    REQUIRE(raw.ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, 1201, 1201, all.data(), 1201, 1201, GDT_Float64, 0, 0,
                                                nullptr) == CE_None);
    std::size_t voids_seen = 0;
    for (int r = 0; r < 1201; ++r) {
        for (int c = 0; c < 1201; ++c) {
            const double rawz = all[static_cast<std::size_t>(r) * 1201 + c];
            const double z = t.grid().at(r, c);
            if (rawz == -32768) {
                ++voids_seen;
                CHECK((z >= -34 && z <= 1579));
            } else if (z != rawz) {
                FAIL("valid sample changed at row " << r << " col " << c << ": " << rawz << " -> " << z);
            }
        }
    }
    CHECK(voids_seen == 4279);
}

TEST_CASE("fill_voids on a small grid: regions, large regions and their extent", "[terrain][voids]") {
    GeoGrid g;
    g.rows = 10;
    g.cols = 10;
    g.north_deg = 36.0;
    g.west_deg = 138.0;
    g.dlat_deg = g.dlon_deg = 0.001;
    g.values.resize(100);
    for (int r = 0; r < 10; ++r)
        for (int c = 0; c < 10; ++c) g.values[r * 10 + c] = static_cast<float>(100 + 10 * c);  // ramp west -> east
    const float nan = std::numeric_limits<float>::quiet_NaN();
    g.values[1 * 10 + 1] = nan;  // one single-cell void
    for (int r = 4; r < 7; ++r)
        for (int c = 5; c < 8; ++c) g.values[r * 10 + c] = nan;  // one 9-cell void
    const auto rep = dxplan::fill_voids(g, 4, "test grid");
    CHECK(rep.void_cells == 10);
    CHECK(rep.regions == 2);
    CHECK(rep.large_regions == 1);
    CHECK(rep.large_cells == 9);
    REQUIRE(rep.large_extent.has_value());
    CHECK(rep.large_extent->north_deg == Approx(36.0 - 4 * 0.001 + 0.0005));
    CHECK(rep.large_extent->south_deg == Approx(36.0 - 6 * 0.001 - 0.0005));
    CHECK(rep.large_extent->west_deg == Approx(138.0 + 5 * 0.001 - 0.0005));
    CHECK(rep.large_extent->east_deg == Approx(138.0 + 7 * 0.001 + 0.0005));
    for (int r = 0; r < 10; ++r) {
        for (int c = 0; c < 10; ++c) {
            const float z = g.values[r * 10 + c];
            INFO("row " << r << " col " << c);
            REQUIRE_FALSE(std::isnan(z));
            CHECK((z >= 100 && z <= 190));
        }
    }
    // On a ramp the symmetric neighbours of the single void average to the ramp value.
    CHECK(g.values[11] == Approx(110.0).margin(1e-3));

    GeoGrid empty = g;
    std::fill(empty.values.begin(), empty.values.end(), nan);
    CHECK_THROWS_WITH(dxplan::fill_voids(empty, 4, "all-void.tif"), Catch::Contains("all-void.tif") && Catch::Contains("no valid height"));
}

TEST_CASE("crop to AOI plus margin keeps the tile's samples", "[terrain][real]") {
    if (!have_tile("N35E138.hgt")) return;
    const auto full = load_one(tile("N35E138.hgt"));
    dxplan::TerrainOptions o;
    o.aoi = GeoBox{35.5, 138.5, 35.6, 138.6};
    o.margin_m = 2000.0;
    const auto crop = load_one(tile("N35E138.hgt"), o);
    const GeoBox c = crop.grid().centres();
    const GeoBox want = dxplan::expand_box(*o.aoi, o.margin_m);
    INFO("crop centres lat " << c.south_deg << ".." << c.north_deg << " lon " << c.west_deg << ".." << c.east_deg);
    CHECK(c.south_deg <= want.south_deg);
    CHECK(c.north_deg >= want.north_deg);
    CHECK(c.west_deg <= want.west_deg);
    CHECK(c.east_deg >= want.east_deg);
    CHECK(c.south_deg > want.south_deg - 2.0 / 1200);  // no more than one extra sample line
    CHECK(crop.grid().rows < 200);
    CHECK(want.north_deg - want.south_deg == Approx(0.1 + 2 * 2000.0 / 110950).epsilon(0.01));  // ~111 km per deg
    for (const LatLon p : {LatLon{35.55, 138.55}, LatLon{35.5, 138.5}, LatLon{35.61234, 138.48765}}) {
        CHECK(crop.height_m(p) == Approx(full.height_m(p)).margin(1e-6));
    }
    // A margin running past the tile edge is clipped to the data.
    o.aoi = GeoBox{35.95, 138.9, 36.0, 139.0};
    const auto edge = load_one(tile("N35E138.hgt"), o);
    CHECK(edge.grid().centres().north_deg == Approx(36.0));
    CHECK(edge.grid().centres().east_deg == Approx(139.0));
}

TEST_CASE("two adjacent tiles sharing an edge column mosaic into the original", "[terrain][real][mosaic]") {
    if (!have_tile("N35E138.hgt")) return;
    TempDir dir("mosaic");
    // West half: columns 0..600, east half: columns 600..1200 (column 600 is in both, like .hgt edges).
    gdal_translate(tile("N35E138.hgt"), dir.path / "west.tif", {"-of", "GTiff", "-srcwin", "0", "0", "601", "1201"});
    gdal_translate(tile("N35E138.hgt"), dir.path / "east.tif", {"-of", "GTiff", "-srcwin", "600", "0", "601", "1201"});
    const std::vector<fs::path> files{dir.path / "west.tif", dir.path / "east.tif"};
    const auto mosaic = dxplan::load_terrain(files);
    const auto full = load_one(tile("N35E138.hgt"));
    REQUIRE(mosaic.grid().rows == 1201);
    REQUIRE(mosaic.grid().cols == 1201);
    CHECK(mosaic.grid().values == full.grid().values);
    CHECK(mosaic.sources().size() == 2);
    // Crop across the seam.
    dxplan::TerrainOptions o;
    o.aoi = GeoBox{35.4, 138.45, 35.45, 138.55};
    const auto crop = dxplan::load_terrain(files, o);
    CHECK(crop.height_m({35.42, 138.5}) == Approx(full.height_m({35.42, 138.5})).margin(1e-6));
}

TEST_CASE("a raster in another CRS (UTM 54N) is warped to EPSG:4326", "[terrain][real][crs]") {
    if (!have_tile("N35E138.hgt")) return;
    TempDir dir("utm");
    GDALAllRegister();
    const fs::path utm = dir.path / "kofu_utm.tif";
    {
        // Kofu basin crop, warped to UTM zone 54N at 90 m.
        std::vector<std::string> args = {"-t_srs", "EPSG:32654", "-te_srs", "EPSG:4326", "-te", "138.45", "35.55",
                                         "138.7", "35.75", "-tr", "90", "90", "-r", "bilinear", "-of", "GTiff"};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(argv.data(), nullptr);
        GDALDatasetH in = GDALOpen(tile("N35E138.hgt").c_str(), GA_ReadOnly);
        REQUIRE(in != nullptr);
        GDALDatasetH out = GDALWarp(utm.c_str(), nullptr, 1, &in, opts, nullptr);
        GDALWarpAppOptionsFree(opts);
        REQUIRE(out != nullptr);
        GDALClose(out);
        GDALClose(in);
    }
    const auto warped = load_one(utm);
    const auto full = load_one(tile("N35E138.hgt"));
    // Flat basin floor points: two resamplings (to UTM, back to lat/lon) move heights by a few metres at most.
    for (const LatLon p : {LatLon{35.62, 138.55}, LatLon{35.65, 138.6}, LatLon{35.6, 138.52}}) {
        INFO("point " << p.lat_deg << "," << p.lon_deg);
        CHECK(warped.height_m(p) == Approx(full.height_m(p)).margin(5.0));  // tolerance 5 m
    }
}

TEST_CASE("a JDEM file (Tokyo datum) is read and shifted to WGS84", "[terrain][crs]") {
    // A 10 x 10 JDEM (.mem) written from the layout GDAL's JDEM driver reads: a 1011-byte header (dates at
    // 11/15/19, size at 23/26, corner angles DDDMMSS at 29/36/43/50), then one text record per row.
    // Heights in 0.1 m: row r, column c holds 100 + r + 0.1 c m. Extent 35d30'-35d31' N, 138d30'-138d31' E (Tokyo).
    TempDir dir("jdem");
    const fs::path p = dir.path / "533900.mem";
    {
        std::string header(1011, ' ');
        const auto put = [&](std::size_t pos, const std::string& s) { header.replace(pos, s.size(), s); };
        put(0, "533900"), put(11, "1996"), put(15, "2000"), put(19, "2000"), put(23, "010"), put(26, "010");
        put(29, "0353000"), put(36, "1383000"), put(43, "0353100"), put(50, "1383100");
        std::ofstream out(p, std::ios::binary);
        out << header;
        for (int r = 0; r < 10; ++r) {
            char rec[80];
            int n = std::snprintf(rec, sizeof rec, "533900%03d", r + 1);
            for (int c = 0; c < 10; ++c) n += std::snprintf(rec + n, sizeof rec - n, "%05d", 1000 + 10 * r + c);
            out << rec << "\r\n";
        }
    }
    const auto t = load_one(p);
    // Tokyo -> WGS84 near 35.5 N 138.5 E moves points about +0.0032 deg in latitude, -0.0031 deg in longitude
    // (11.6" and -11.1"; GSI's approximate datum-shift formulas).
    const LatLon tokyo{35.0 + 31.0 / 60 - 5.5 / 600, 138.5 + 5.5 / 600};  // centre of row 5, column 5
    const LatLon wgs84{tokyo.lat_deg + 0.00322, tokyo.lon_deg - 0.00310};
    INFO("height at the shifted centre of row 5 col 5: " << t.height_m(wgs84) << " m");
    CHECK(t.height_m(wgs84) == Approx(105.5).margin(0.5));  // 0.5 m: the shift formula is good to about 1"
    CHECK(t.grid().centres().north_deg > 35.0 + 31.0 / 60);  // the grid moved north with the datum
}

TEST_CASE("an Arc/Info ASCII grid with a .prj loads, without one it is rejected", "[terrain][errors]") {
    TempDir dir("asc");
    const auto write_asc = [&](const fs::path& p) {
        std::ofstream out(p);
        out << "ncols 4\nnrows 3\nxllcorner 138.0\nyllcorner 35.0\ncellsize 0.01\nNODATA_value -9999\n";
        out << "10 20 30 40\n50 -9999 70 80\n90 100 110 120\n";
    };
    write_asc(dir.path / "with_crs.asc");
    {
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        srs.morphToESRI();
        char* wkt = nullptr;
        srs.exportToWkt(&wkt);
        std::ofstream(dir.path / "with_crs.prj") << wkt;
        CPLFree(wkt);
    }
    const auto t = load_one(dir.path / "with_crs.asc");
    CHECK(t.grid().rows == 3);
    CHECK(t.grid().cols == 4);
    // Row 0 centre at 35.025 N, column 0 centre at 138.005 E.
    CHECK(t.height_m({35.025, 138.005}) == Approx(10.0));
    CHECK(t.height_m({35.005, 138.035}) == Approx(120.0));
    CHECK(t.voids().void_cells == 1);
    CHECK(t.height_m({35.015, 138.015}) > 20.0);  // the nodata cell got filled from its neighbours

    write_asc(dir.path / "no_crs.asc");
    CHECK_THROWS_AS(load_one(dir.path / "no_crs.asc"), InputError);
    CHECK_THROWS_WITH(load_one(dir.path / "no_crs.asc"),
                      Catch::Contains("no_crs.asc") && Catch::Contains("no coordinate reference system"));
}

TEST_CASE("bad DEM input gives one-line InputErrors naming the file", "[terrain][errors]") {
    TempDir dir("bad");
    SECTION("missing file") {
        const fs::path p = dir.path / "N99E999.hgt";
        CHECK_THROWS_AS(load_one(p), InputError);
        CHECK_THROWS_WITH(load_one(p), Catch::Contains("N99E999.hgt") && Catch::Contains("not found"));
    }
    SECTION("truncated .hgt") {
        if (!have_tile("N35E138.hgt")) return;
        const fs::path p = dir.path / "N35E138.hgt";
        {
            std::ifstream in(tile("N35E138.hgt"), std::ios::binary);
            std::vector<char> half(1'000'000);
            in.read(half.data(), static_cast<std::streamsize>(half.size()));
            std::ofstream(p, std::ios::binary).write(half.data(), static_cast<std::streamsize>(half.size()));
        }
        CHECK_THROWS_AS(load_one(p), InputError);
        CHECK_THROWS_WITH(load_one(p), Catch::Contains(p.string()) && Catch::Contains("truncated"));
    }
    SECTION("not a raster") {
        const fs::path p = dir.path / "notes.tif";
        std::ofstream(p) << "this is not a GeoTIFF\n";
        CHECK_THROWS_WITH(load_one(p), Catch::Contains("notes.tif") && Catch::Contains("cannot read as a raster"));
    }
    SECTION("AOI outside the data") {
        if (!have_tile("N35E138.hgt")) return;
        dxplan::TerrainOptions o;
        o.aoi = GeoBox{34.5, 138.5, 35.5, 138.6};
        CHECK_THROWS_WITH(load_one(tile("N35E138.hgt"), o), Catch::Contains("AOI") && Catch::Contains("outside the DEM"));
    }
    SECTION("point outside the terrain") {
        if (!have_tile("N35E138.hgt")) return;
        const auto t = load_one(tile("N35E138.hgt"));
        CHECK_FALSE(t.contains({34.99, 138.5}));
        CHECK_THROWS_AS(t.height_m({34.99, 138.5}), InputError);
        CHECK_THROWS_WITH(t.height_m({35.5, 139.2}), Catch::Contains("139.2") && Catch::Contains("outside the terrain"));
    }
    SECTION("no file at all") {
        CHECK_THROWS_AS(dxplan::load_terrain(std::vector<fs::path>{}), InputError);
    }
}

TEST_CASE("write_geotiff_f32 round trip: geotransform, EPSG:4326, nodata, values", "[terrain][geotiff]") {
    TempDir dir("gtiff");
    GeoGrid g;
    g.rows = 3;
    g.cols = 5;
    g.north_deg = 35.7;
    g.west_deg = 138.5;
    g.dlat_deg = 0.01;
    g.dlon_deg = 0.02;
    for (int i = 0; i < 15; ++i) g.values.push_back(static_cast<float>(i) * 1.5f - 3.0f);
    g.values[7] = std::numeric_limits<float>::quiet_NaN();
    const fs::path out = dir.path / "loss.tif";
    dxplan::write_geotiff_f32(out, g, -9999.0f);
    REQUIRE(fs::exists(out));
    for (const auto& e : fs::directory_iterator(dir.path)) {
        INFO("file left in the output directory: " << e.path());
        CHECK(e.path().filename() == "loss.tif");  // no temporary left behind
    }
    const Gdal back(out);
    double gt[6];
    REQUIRE(back.ds->GetGeoTransform(gt) == CE_None);
    CHECK(gt[0] == Approx(138.49));  // west edge = centre of column 0 - dlon / 2
    CHECK(gt[1] == Approx(0.02));
    CHECK(gt[2] == 0.0);
    CHECK(gt[3] == Approx(35.705));  // north edge
    CHECK(gt[4] == 0.0);
    CHECK(gt[5] == Approx(-0.01));
    const OGRSpatialReference* srs = back.ds->GetSpatialRef();
    REQUIRE(srs != nullptr);
    CHECK(std::string(srs->GetAuthorityCode(nullptr)) == "4326");
    int has_nodata = 0;
    CHECK(back.ds->GetRasterBand(1)->GetNoDataValue(&has_nodata) == -9999.0);
    CHECK(has_nodata == 1);
    CHECK(back.ds->GetRasterBand(1)->GetRasterDataType() == GDT_Float32);
    CHECK(back.value(0, 0) == Approx(-3.0));
    CHECK(back.value(2, 4) == Approx(14 * 1.5 - 3.0));
    CHECK(back.value(1, 2) == -9999.0);  // NaN written as nodata

    // The grid reads back through load_terrain at the same sample positions.
    const auto t = load_one(out);
    CHECK(t.height_m({35.7, 138.5}) == Approx(-3.0));
    CHECK(t.height_m({35.68, 138.58}) == Approx(14 * 1.5 - 3.0));

    GeoGrid bad = g;
    bad.values.pop_back();
    CHECK_THROWS_AS(dxplan::write_geotiff_f32(dir.path / "bad.tif", bad, -9999.0f), InputError);
    CHECK_FALSE(fs::exists(dir.path / "bad.tif"));
}
