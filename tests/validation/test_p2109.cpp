// ITU-R P.2109-2 building entry loss against ../shared/validation/p2109/validation.csv (crc-covlib).
// The probability column is in percent. Tolerance 1e-6 dB (SOURCES.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "models/propagation/p2109.hpp"
#include "tests/test_paths.hpp"
#include "tests/validation/stat_csv.hpp"
#include "tests/skip.hpp"

using namespace dxplan::prop;
using dxplan::test::num;

TEST_CASE("P.2109-2 building entry loss", "[validation][p2109]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared/validation is absent: P.2109 set not checked");
    const auto path = dxplan::test::validation_dir() / "p2109" / "validation.csv";
    const auto t = dxplan::test::read_csv_table(path);
    std::size_t checked = 0, failed = 0;
    double max_err_db = 0.0;
    for (const auto& r : t.rows) {
        REQUIRE(r.size() == 5);  // f (GHz), probability (%), building type, elevation (deg), loss (dB)
        const int type = static_cast<int>(num(r[2]));
        REQUIRE((type == 1 || type == 2));
        const double loss_db = p2109_building_entry_loss(num(r[0]), num(r[1]),
                                                         type == 1 ? P2109Building::traditional
                                                                   : P2109Building::thermally_efficient,
                                                         num(r[3]))
                                   .loss_db;
        const double err_db = std::abs(loss_db - num(r[4]));
        max_err_db = std::max(max_err_db, err_db);
        if (err_db > 1e-6) {  // 1e-6 dB
            if (++failed <= 5) FAIL_CHECK("row " << checked << ": " << loss_db << " dB vs " << r[4] << " dB");
        }
        ++checked;
    }
    std::cout << "P.2109-2: " << checked << " rows checked at 1e-6 dB, max error " << max_err_db << " dB\n";
    REQUIRE(failed == 0);
    REQUIRE(checked == t.rows.size());
    REQUIRE(checked == dxplan::test::count_data_lines(path));
    REQUIRE(checked > 0);
}
