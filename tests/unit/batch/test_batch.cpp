// Batch layer: sweep expansion (stable ids, ranges, cross/zip, tables), bad sweeps, and the results store
// (round trip, /summary rows, corruption detected). The runs themselves are in tests/cli/test_cli_batch.cpp.
#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "libsim/batch/store.hpp"
#include "libsim/batch/sweep.hpp"
#include "libsim/core/error.hpp"
#include "tests/test_paths.hpp"

namespace fs = std::filesystem;
using namespace dxplan;

namespace {

struct TempDir {
    fs::path path;
    TempDir() : path(fs::temp_directory_path() / ("dxplan_batch_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++))) {
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    static int& counter() {
        static int c = 0;
        return c;
    }
};

void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }

// A sweep beside a copy of the default scenario (relative paths in it resolve from the copy's folder).
fs::path sweep_file(const TempDir& d, const std::string& body) {
    for (const char* f : {"default.yaml", "synthetic-valley-roads.geojson"})
        fs::copy_file(test::source_dir() / "scenarios" / f, d.path / f, fs::copy_options::overwrite_existing);
    write(d.path / "sweep.yaml", "base: default.yaml\n" + body);
    return d.path / "sweep.yaml";
}

std::string error_of(const fs::path& sweep) {
    try {
        (void)batch::expand_sweep(batch::load_sweep(sweep));
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("sweep: cross product, ranges and stable ids", "[batch][sweep]") {
    TempDir d;
    const auto s = batch::load_sweep(sweep_file(d,
        "parameters:\n"
        "  - {field: economics.discount_rate, values: [0.02, 0.04]}\n"
        "  - {field: economics.horizon_years, range: {from: 10, to: 20, step: 5}}\n"));
    REQUIRE(s.parameters.size() == 2);
    CHECK(s.parameters[1].values == std::vector<std::string>{"10", "15", "20"});
    const auto x = batch::expand_sweep(s);
    REQUIRE(x.variants.size() == 6);  // 2 x 3, the last parameter fastest
    CHECK(x.variants[0].params[0].second == "0.02");
    CHECK(x.variants[0].params[1].second == "10");
    CHECK(x.variants[1].params[1].second == "15");
    CHECK(x.variants[3].params[0].second == "0.04");
    CHECK(x.variants[3].overrides == std::vector<std::string>{"economics.discount_rate=0.04", "economics.horizon_years=10"});
    for (const auto& e : x.errors) CHECK(e.empty());
    // Ids: 16 hex digits, all different, and the same on a second expansion.
    const auto again = batch::expand_sweep(batch::load_sweep(d.path / "sweep.yaml"));
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK(x.variants[i].id.size() == 16);
        CHECK(x.variants[i].id == again.variants[i].id);
        for (std::size_t j = 0; j < i; ++j) CHECK(x.variants[i].id != x.variants[j].id);
        CHECK(x.variants[i].resolved_yaml.find("discount_rate: " + x.variants[i].params[0].second) != std::string::npos);
    }
}

TEST_CASE("sweep: zip mode, a count range and a CSV table", "[batch][sweep]") {
    TempDir d;
    const auto z = batch::expand_sweep(batch::load_sweep(sweep_file(d,
        "mode: zip\nparameters:\n"
        "  - {field: economics.discount_rate, range: {from: 0.01, to: 0.03, count: 3}}\n"
        "  - {field: economics.horizon_years, values: [8, 9, 10]}\n")));
    REQUIRE(z.variants.size() == 3);
    CHECK(z.variants[1].params[0].second == "0.02");
    CHECK(z.variants[1].params[1].second == "9");
    write(d.path / "table.csv", "economics.discount_rate, terrain.synthetic.seed\n0.03,1\n0.05,2\n");
    write(d.path / "sweep2.yaml", "base: default.yaml\ntable: table.csv\n");
    const auto t = batch::expand_sweep(batch::load_sweep(d.path / "sweep2.yaml"));
    REQUIRE(t.variants.size() == 2);
    CHECK(t.variants[1].overrides == std::vector<std::string>{"economics.discount_rate=0.05", "terrain.synthetic.seed=2"});
}

TEST_CASE("sweep: bad sweeps are one-line errors naming the file, field and range", "[batch][sweep][errors]") {
    TempDir d;
    // A field the scenario does not have: refused up front, naming the parameter and the scenario's message.
    const std::string e1 = error_of(sweep_file(d, "parameters:\n  - {field: economics.no_such_field, values: [1]}\n"));
    CHECK(e1.find("parameter economics.no_such_field") != std::string::npos);
    CHECK(e1.find("unknown key") != std::string::npos);
    // An empty range.
    const std::string e2 = error_of(sweep_file(d, "parameters:\n  - {field: economics.horizon_years, range: {from: 20, to: 10, step: 1}}\n"));
    CHECK(e2.find("sweep.yaml:3: parameters[0].range: is empty: from (20) > to (10)") != std::string::npos);
    // zip with lists of different lengths; an unknown key; no parameters.
    CHECK(error_of(sweep_file(d, "mode: zip\nparameters:\n  - {field: economics.horizon_years, values: [8, 9]}\n"
                                 "  - {field: economics.discount_rate, values: [0.1]}\n"))
              .find("mode zip needs lists of equal length (1 vs 2)") != std::string::npos);
    CHECK(error_of(sweep_file(d, "parameter: []\n")).find("sweep.yaml:2: parameter: unknown key") != std::string::npos);
    CHECK(error_of(sweep_file(d, "parameters: []\n")).find("parameters: must be a non-empty list") != std::string::npos);
    // A value the scenario refuses (a negative rate) is not a sweep error: that variant is recorded as failed.
    const auto x = batch::expand_sweep(batch::load_sweep(sweep_file(d, "parameters:\n  - {field: economics.discount_rate, values: [0.02, -5]}\n")));
    REQUIRE(x.variants.size() == 2);
    CHECK(x.errors[0].empty());
    CHECK(x.errors[1].find("(--set economics.discount_rate=-5): economics.discount_rate = -5") != std::string::npos);
}

TEST_CASE("store: round trip, /summary rows, and a corrupted store reported", "[batch][store]") {
    TempDir d;
    batch::Store s{"sweep.yaml", "abc", {"economics.discount_rate", "mode"}, {}};
    const std::string json = R"({"technologies": [{"name": "a", "rank": 2, "capex_jpy": 100, "fails": ["coverage"]},
                                                  {"name": "b", "rank": 1, "capex_jpy": 250, "fails": []}],
                                 "recommendation": {"name": "b"}})";
    s.variants.push_back({1, "00000000000000bb", {{"economics.discount_rate", "0.04"}, {"mode", "x y"}}, "failed", "bad", "y: 2\n", ""});
    s.variants.push_back({0, "00000000000000aa", {{"economics.discount_rate", "0.02"}, {"mode", "x"}}, "ok", "", "y: 1\n", json});
    batch::write_store(d.path / "batch.h5", s);
    const batch::Store r = batch::read_store(d.path / "batch.h5");
    REQUIRE(r.variants.size() == 2);
    CHECK(r.variants[0].id == "00000000000000aa");  // sorted by index
    CHECK(r.variants[0].summary_json == json);
    CHECK(r.variants[1].message == "bad");
    CHECK(r.fields == s.fields);
    const auto rows = batch::summary_rows(r);
    REQUIRE(rows.size() == 3);  // two technologies of variant 0, one row for the failed variant 1
    const auto col = [](const std::string& c) {
        const auto& cs = batch::summary_columns();
        return static_cast<std::size_t>(std::find(cs.begin(), cs.end(), c) - cs.begin());
    };
    CHECK(rows[0].technology == "a");
    CHECK(rows[0].values[col("capex_jpy")] == 100.0);
    CHECK(rows[0].values[col("fails")] == 1.0);
    CHECK(rows[0].values[col("recommended")] == 0.0);
    CHECK(rows[1].values[col("recommended")] == 1.0);
    CHECK(std::isnan(rows[2].values[col("capex_jpy")]));
    const std::string csv = batch::summary_csv(r);
    CHECK(csv.rfind("variant_index,variant_id,status,economics.discount_rate,mode,technology,rank,", 0) == 0);
    CHECK(csv.find("0,00000000000000aa,ok,0.02,x,b,1,1,") != std::string::npos);
    // /summary as h5py sees it: a compound table with the numeric parameter as float64 and text as text.
    {
        H5::H5File f((d.path / "batch.h5").string(), H5F_ACC_RDONLY);
        const H5::DataSet ds = f.openDataSet("summary");
        const H5::CompType t = ds.getCompType();
        CHECK(ds.getSpace().getSimpleExtentNpoints() == 3);
        CHECK(t.getMemberDataType(t.getMemberIndex("economics.discount_rate")).getClass() == H5T_FLOAT);
        CHECK(t.getMemberDataType(t.getMemberIndex("mode")).getClass() == H5T_STRING);
    }
    // A truncated file and a non-HDF5 file are reported, never reused.
    const auto bytes = test::slurp(d.path / "batch.h5");
    write(d.path / "cut.h5", bytes.substr(0, bytes.size() / 2));
    CHECK_THROWS_WITH(batch::read_store(d.path / "cut.h5"), Catch::Contains("not a readable dxplan batch store"));
    write(d.path / "text.h5", "hello");
    CHECK_THROWS_WITH(batch::read_store(d.path / "text.h5"), Catch::Contains("not a readable dxplan batch store"));
}
