// Issue 15: dxplan never loses a user's files, never crashes on an unreadable input, and stops cleanly on
// SIGINT / SIGTERM. Each case asserts the exit code, the message and that nothing the user had was changed.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/cli/run_cli.hpp"
#include "tests/skip.hpp"
#include "tests/test_paths.hpp"

namespace {

namespace fs = std::filesystem;
using dxplan::test::run_dxplan;
using dxplan::test::slurp;

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_safety_" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Every regular file under dir (relative path -> bytes).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = slurp(e.path());
    return files;
}

// Names in dir that a stopped or failed command must not leave (staging and set-aside copies).
std::vector<std::string> leftovers(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n.find(".partial-") != std::string::npos || n.find(".old-") != std::string::npos) found.push_back(n);
    }
    return found;
}

// A small scenario on the synthetic terrain (runs in well under a second), named `name`.
fs::path small_scenario(const fs::path& dir, const std::string& name = "small") {
    fs::create_directories(dir);
    const fs::path p = dir / "scenario.yaml";
    std::ofstream(p) << "name: '" << name << "'\n"
                     << "terrain:\n  synthetic: {seed: 1}\n"
                     << "sites:\n  - {id: a, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20}\n"
                     << "fibre_pops:\n  - {id: pop, lat_deg: 36.0, lon_deg: 138.2}\n"
                     << "propagation:\n  model: free-space-knife-edge\n  f_mhz: 920\n  resolution_m: 100\n  radius_m: 1000\n";
    return p;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

TEST_CASE("run --out refuses the scenario's own folder and the current directory, with or without --force", "[cli][safety]") {
    const fs::path dir = scratch("own-folder");
    const fs::path scenario = small_scenario(dir);
    std::ofstream(dir / "notes.txt") << "the user's notes\n";
    const auto before = snapshot(dir);
    for (const std::string force : {"", " --force"}) {
        const auto r = run_dxplan("run " + q(scenario) + " --out " + q(dir) + force);
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(first_line(r.err) == "dxplan: error: --out " + dir.string() + ": contains the input " +
                                       fs::canonical(scenario).string() + "; choose an output folder of its own");
        CHECK(snapshot(dir) == before);
        CHECK(leftovers(dir.parent_path()).empty());
        // The current directory and a folder containing it (the scenario lies elsewhere).
        const fs::path other = scratch("cwd-scenario");
        const fs::path s2 = small_scenario(other);
        fs::create_directories(dir / "sub");
        for (const std::string out : {".", ".."}) {
            const auto cwd = run_dxplan("--version >/dev/null; cd " + q(dir / "sub") +
                                        " && '" + dxplan::test::dxplan_binary().string() + "' run " + q(s2) + " --out " + out + force);
            CHECK(cwd.exit_code == 2);
            CHECK(first_line(cwd.err) == "dxplan: error: --out " + out + ": is or contains the current directory; choose an output folder of its own");
        }
        fs::remove(dir / "sub");
        CHECK(snapshot(dir) == before);
    }
}

TEST_CASE("run --out replaces a folder dxplan wrote, refuses a foreign non-empty one unless --force", "[cli][safety]") {
    const fs::path dir = scratch("foreign");
    const fs::path scenario = small_scenario(dir / "in");
    const fs::path out = dir / "out";
    fs::create_directories(out);
    std::ofstream(out / "thesis.tex") << "years of work\n";
    auto r = run_dxplan("run " + q(scenario) + " --out " + q(out));
    CHECK(r.exit_code == 2);
    CHECK(first_line(r.err) == "dxplan: error: --out " + out.string() +
                                   ": exists, is not empty and was not written by dxplan (no .dxplan-output); give "
                                   "--force to replace it, or choose another folder");
    CHECK(slurp(out / "thesis.tex") == "years of work\n");
    // An empty folder is fine; the result carries the marker; a second run replaces it without --force.
    fs::remove(out / "thesis.tex");
    r = run_dxplan("run " + q(scenario) + " --out " + q(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string marker = slurp(out / ".dxplan-output");
    CHECK(marker.rfind("dxplan 0.1.0\nrun ", 0) == 0);
    r = run_dxplan("run " + q(scenario) + " --out " + q(out));
    CHECK(r.exit_code == 0);
    CHECK(slurp(out / ".dxplan-output") == marker);  // same scenario, same run hash
    // --force replaces a foreign folder (that is what it is for).
    const fs::path foreign = dir / "foreign";
    fs::create_directories(foreign);
    std::ofstream(foreign / "x.txt") << "x";
    r = run_dxplan("run " + q(scenario) + " --out " + q(foreign) + " --force");
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(foreign / "x.txt"));
    CHECK(fs::exists(foreign / "summary.json"));
    CHECK(leftovers(dir).empty());
}

TEST_CASE("coverage: an output equal to the DEM is refused, one bad output path leaves the others untouched", "[cli][safety]") {
    const fs::path dir = scratch("coverage");
    const fs::path dem = dir / "dem.tif";
    std::ofstream(dem) << "not really a DEM, but the outputs are checked first";
    const std::string flags = " --site 35.5,138.6 --tx-height-m 30 --rx-height-m 1.5 --freq-mhz 920 --radius-km 1 "
                              "--resolution-arcsec 3";
    auto r = run_dxplan("coverage --dem " + q(dem) + flags + " --out " + q(dem));
    CHECK(r.exit_code == 2);
    CHECK(first_line(r.err) == "dxplan: error: --out " + dem.string() + ": is an input of this command; choose another output path");
    CHECK(slurp(dem) == "not really a DEM, but the outputs are checked first");
    std::ofstream(dir / "loss.tif") << "the previous good map";
    r = run_dxplan("coverage --dem " + q(dem) + flags + " --out " + q(dir / "loss.tif") + " --kmz " +
                   q(dir / "missing-dir" / "x.kmz"));
    CHECK(r.exit_code == 2);
    CHECK(first_line(r.err) == "dxplan: error: --kmz " + (dir / "missing-dir" / "x.kmz").string() + ": folder " +
                                   (dir / "missing-dir").string() + " does not exist");
    CHECK(slurp(dir / "loss.tif") == "the previous good map");
    CHECK(leftovers(dir).empty());
    r = run_dxplan("coverage --dem " + q(dem) + flags + " --out " + q(dir / "a.tif") + " --threads 0");
    CHECK(r.exit_code == 2);
    CHECK(!fs::exists(dir / "a.tif"));
}

TEST_CASE("backhaul: the default output folder from the scenario's name cannot leave the current directory", "[cli][safety]") {
    const fs::path dir = scratch("backhaul-name");
    const fs::path work = dir / "a" / "b";
    fs::create_directories(work);
    const fs::path scenario = small_scenario(work, "../../escaped");
    const auto r = run_dxplan("backhaul " + q(scenario) + " --relays 0 --tech fibre 2>&1; cd " + q(work) + " && '" +
                              dxplan::test::dxplan_binary().string() + "' backhaul scenario.yaml --relays 0 --tech fibre");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(dir / "escaped-backhaul"));
    CHECK(fs::exists(work / "___.._escaped-backhaul" / "backhaul.geojson"));  // '/' -> '_', leading dots -> '_'
    CHECK(fs::exists(work / "___.._escaped-backhaul" / ".dxplan-output"));
}

TEST_CASE("an input that is a folder, a FIFO or unreadable is refused by name before GDAL reads it", "[cli][safety]") {
    const fs::path dir = scratch("unreadable");
    // A folder named like a tile, and a FIFO (GDAL would block on it): both fail also as root.
    fs::create_directories(dir / "N35E138.hgt");
    auto r = run_dxplan("terrain info --dem " + q(dir / "N35E138.hgt"));
    CHECK(r.exit_code == 2);
    CHECK(first_line(r.err) == "dxplan: error: " + (dir / "N35E138.hgt").string() + ": is a folder, not a file");
    REQUIRE(::mkfifo((dir / "N36E138.hgt").c_str(), 0644) == 0);
    r = run_dxplan("terrain info --dem " + q(dir / "N36E138.hgt"));
    CHECK(r.exit_code == 2);
    CHECK(first_line(r.err) == "dxplan: error: " + (dir / "N36E138.hgt").string() +
                                   ": is not a regular file (a device, pipe or socket)");
    // A tile of the right size (1201 x 1201 x 2 bytes, SRTM 3") without read permission: crashed in GDAL's SRTM
    // driver. Root reads it anyway (and so does dxplan then: no crash either way); as a user it is refused.
    const fs::path tile = dir / "N37E138.hgt";
    std::ofstream(tile, std::ios::binary) << std::string(1201 * 1201 * 2, '\0');
    fs::permissions(tile, fs::perms::none);
    r = run_dxplan("terrain info --dem " + q(tile));
    if (::geteuid() != 0) {
        CHECK(r.exit_code == 2);
        CHECK(first_line(r.err) == "dxplan: error: " + tile.string() + ": cannot be read: Permission denied");
    } else {
        CHECK((r.exit_code == 0 || r.exit_code == 2));  // read as root: a flat tile, or refused; never a crash
    }
    // A folder given as a demand file, at its scenario line.
    const fs::path s = dir / "demand.yaml";
    fs::create_directories(dir / "homes.csv");
    std::ofstream(s) << "name: d\nterrain:\n  synthetic: {seed: 1}\n"
                     << "sites:\n  - {id: a, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20}\n"
                     << "demand:\n  - kind: household\n    file: homes.csv\n"
                     << "propagation:\n  model: free-space-knife-edge\n  f_mhz: 920\n  resolution_m: 100\n  radius_m: 1000\n";
    r = run_dxplan("run " + q(s) + " --out " + q(dir / "out"));
    CHECK(r.exit_code == 2);
    CHECK(first_line(r.err) == "dxplan: error: " + s.string() + ":8: demand[0].file = homes.csv: " +
                                   (dir / "homes.csv").string() + ": is a folder, not a file");
    CHECK(!fs::exists(dir / "out"));
}

// Starts dxplan with args (argv, no shell), sends `sig` after `delay`, returns the exit status.
int run_and_signal(const std::vector<std::string>& args, std::chrono::milliseconds delay, int sig) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> argv;
        const std::string bin = dxplan::test::dxplan_binary().string();
        argv.push_back(const_cast<char*>(bin.c_str()));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)) ::_exit(99);
        ::execv(bin.c_str(), argv.data());
        ::_exit(98);
    }
    // The delay counts from when dxplan's signal watcher runs (a second thread in /proc/PID/task): before that,
    // the loader is still mapping libraries and the default action would apply.
    for (int i = 0; i < 2000 && std::distance(fs::directory_iterator("/proc/" + std::to_string(pid) + "/task"),
                                              fs::directory_iterator{}) < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(delay);
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

TEST_CASE("SIGINT / SIGTERM during dxplan run on Fuji/Kofu: exit 130 / 143, previous output byte-identical, no temporary left", "[cli][safety][signals]") {
    const fs::path scenario = dxplan::test::source_dir() / "scenarios" / "fuji-kofu.yaml";
    if (!fs::exists(dxplan::test::terrain_dir() / "N35E138.hgt"))
        return dxplan::test::skip("../shared/data/terrain/N35E138.hgt absent");
    const fs::path dir = scratch("signals");
    const fs::path out = dir / "fuji";
    auto r = run_dxplan("run " + q(scenario) + " --out " + q(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto before = snapshot(out);
    REQUIRE(before.count("summary.json") == 1);
    // Early (loading terrain), in the per-site loss maps, in the technology comparison.
    const std::vector<std::pair<int, int>> cases = {{100, SIGINT}, {700, SIGTERM}, {2000, SIGINT}, {4500, SIGTERM}};
    for (const auto& [ms, sig] : cases) {
        INFO("signal " << sig << " after " << ms << " ms");
        // (Not timed here: the watcher in tools/signals.cpp exits at most 0.6 s after the signal by construction.)
        const int code = run_and_signal({"run", scenario.string(), "--out", out.string()}, std::chrono::milliseconds(ms), sig);
        CHECK(code == 128 + sig);
        CHECK(snapshot(out) == before);
        CHECK(leftovers(dir).empty());
    }
}

TEST_CASE("report.md escapes user text as report.html does", "[cli][safety]") {
    const fs::path dir = scratch("markdown");
    std::ofstream(dir / "s.yaml")
        << "name: \"<script>alert(1)</script><img src=x onerror=alert(2)>\"\n"
        << "terrain:\n  synthetic: {seed: 1}\nland_cover:\n  synthetic: true\ntechnologies: [halow-jp-4mhz]\n"
        << "sites:\n  - {id: a, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20}\n"
        << "fibre_pops:\n  - {id: pop, lat_deg: 36.0, lon_deg: 138.2}\n"
        << "demand:\n  - kind: household\n    points: [{id: h1, lat_deg: 36.003, lon_deg: 138.206}]\n"
        << "propagation:\n  model: itm\n  f_mhz: 920\n  resolution_m: 100\n  radius_m: 2000\n";
    const auto r = run_dxplan("run " + q(dir / "s.yaml") + " --out " + q(dir / "out"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    for (const std::string file : {"report.md", "report.html"}) {
        const std::string text = slurp(dir / "out" / file);
        INFO(file);
        CHECK(text.find("<script>") == std::string::npos);
        CHECK(text.find("<img src=x") == std::string::npos);
        CHECK(text.find("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
    }
}
