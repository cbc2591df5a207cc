#include "models/propagation/p676.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"

namespace dxplan::prop {

namespace {

// P.676-12/-13 Annex 1 Table 1: spectroscopic data for oxygen attenuation {f0 (GHz), a1, a2, a3, a4, a5, a6}.
constexpr std::array<std::array<double, 7>, 44> kOxygenLines = {{
    {50.474214, 0.975, 9.651, 6.690, 0.0, 2.566, 6.850},
    {50.987745, 2.529, 8.653, 7.170, 0.0, 2.246, 6.800},
    {51.503360, 6.193, 7.709, 7.640, 0.0, 1.947, 6.729},
    {52.021429, 14.320, 6.819, 8.110, 0.0, 1.667, 6.640},
    {52.542418, 31.240, 5.983, 8.580, 0.0, 1.388, 6.526},
    {53.066934, 64.290, 5.201, 9.060, 0.0, 1.349, 6.206},
    {53.595775, 124.600, 4.474, 9.550, 0.0, 2.227, 5.085},
    {54.130025, 227.300, 3.800, 9.960, 0.0, 3.170, 3.750},
    {54.671180, 389.700, 3.182, 10.370, 0.0, 3.558, 2.654},
    {55.221384, 627.100, 2.618, 10.890, 0.0, 2.560, 2.952},
    {55.783815, 945.300, 2.109, 11.340, 0.0, -1.172, 6.135},
    {56.264774, 543.400, 0.014, 17.030, 0.0, 3.525, -0.978},
    {56.363399, 1331.800, 1.654, 11.890, 0.0, -2.378, 6.547},
    {56.968211, 1746.600, 1.255, 12.230, 0.0, -3.545, 6.451},
    {57.612486, 2120.100, 0.910, 12.620, 0.0, -5.416, 6.056},
    {58.323877, 2363.700, 0.621, 12.950, 0.0, -1.932, 0.436},
    {58.446588, 1442.100, 0.083, 14.910, 0.0, 6.768, -1.273},
    {59.164204, 2379.900, 0.387, 13.530, 0.0, -6.561, 2.309},
    {59.590983, 2090.700, 0.207, 14.080, 0.0, 6.957, -0.776},
    {60.306056, 2103.400, 0.207, 14.150, 0.0, -6.395, 0.699},
    {60.434778, 2438.000, 0.386, 13.390, 0.0, 6.342, -2.825},
    {61.150562, 2479.500, 0.621, 12.920, 0.0, 1.014, -0.584},
    {61.800158, 2275.900, 0.910, 12.630, 0.0, 5.014, -6.619},
    {62.411220, 1915.400, 1.255, 12.170, 0.0, 3.029, -6.759},
    {62.486253, 1503.000, 0.083, 15.130, 0.0, -4.499, 0.844},
    {62.997984, 1490.200, 1.654, 11.740, 0.0, 1.856, -6.675},
    {63.568526, 1078.000, 2.108, 11.340, 0.0, 0.658, -6.139},
    {64.127775, 728.700, 2.617, 10.880, 0.0, -3.036, -2.895},
    {64.678910, 461.300, 3.181, 10.380, 0.0, -3.968, -2.590},
    {65.224078, 274.000, 3.800, 9.960, 0.0, -3.528, -3.680},
    {65.764779, 153.000, 4.473, 9.550, 0.0, -2.548, -5.002},
    {66.302096, 80.400, 5.200, 9.060, 0.0, -1.660, -6.091},
    {66.836834, 39.800, 5.982, 8.580, 0.0, -1.680, -6.393},
    {67.369601, 18.560, 6.818, 8.110, 0.0, -1.956, -6.475},
    {67.900868, 8.172, 7.708, 7.640, 0.0, -2.216, -6.545},
    {68.431006, 3.397, 8.652, 7.170, 0.0, -2.492, -6.600},
    {68.960312, 1.334, 9.650, 6.690, 0.0, -2.773, -6.650},
    {118.750334, 940.300, 0.010, 16.640, 0.0, -0.439, 0.079},
    {368.498246, 67.400, 0.048, 16.400, 0.0, 0.000, 0.000},
    {424.763020, 637.700, 0.044, 16.400, 0.0, 0.000, 0.000},
    {487.249273, 237.400, 0.049, 16.000, 0.0, 0.000, 0.000},
    {715.392902, 98.100, 0.145, 16.000, 0.0, 0.000, 0.000},
    {773.839490, 572.300, 0.141, 16.200, 0.0, 0.000, 0.000},
    {834.145546, 183.100, 0.145, 14.700, 0.0, 0.000, 0.000},
}};

// P.676-12/-13 Annex 1 Table 2: spectroscopic data for water-vapour attenuation {f0 (GHz), b1, ..., b6}.
constexpr std::array<std::array<double, 7>, 35> kWaterVapourLines = {{
    {22.235080, 0.1079, 2.144, 26.38, 0.76, 5.087, 1.00},
    {67.803960, 0.0011, 8.732, 28.58, 0.69, 4.930, 0.82},
    {119.995940, 0.0007, 8.353, 29.48, 0.70, 4.780, 0.79},
    {183.310087, 2.273, 0.668, 29.06, 0.77, 5.022, 0.85},
    {321.225630, 0.0470, 6.179, 24.04, 0.67, 4.398, 0.54},
    {325.152888, 1.514, 1.541, 28.23, 0.64, 4.893, 0.74},
    {336.227764, 0.0010, 9.825, 26.93, 0.69, 4.740, 0.61},
    {380.197353, 11.67, 1.048, 28.11, 0.54, 5.063, 0.89},
    {390.134508, 0.0045, 7.347, 21.52, 0.63, 4.810, 0.55},
    {437.346667, 0.0632, 5.048, 18.45, 0.60, 4.230, 0.48},
    {439.150807, 0.9098, 3.595, 20.07, 0.63, 4.483, 0.52},
    {443.018343, 0.1920, 5.048, 15.55, 0.60, 5.083, 0.50},
    {448.001085, 10.41, 1.405, 25.64, 0.66, 5.028, 0.67},
    {470.888999, 0.3254, 3.597, 21.34, 0.66, 4.506, 0.65},
    {474.689092, 1.260, 2.379, 23.20, 0.65, 4.804, 0.64},
    {488.490108, 0.2529, 2.852, 25.86, 0.69, 5.201, 0.72},
    {503.568532, 0.0372, 6.731, 16.12, 0.61, 3.980, 0.43},
    {504.482692, 0.0124, 6.731, 16.12, 0.61, 4.010, 0.45},
    {547.676440, 0.9785, 0.158, 26.00, 0.70, 4.500, 1.00},
    {552.020960, 0.1840, 0.158, 26.00, 0.70, 4.500, 1.00},
    {556.935985, 497.0, 0.159, 30.86, 0.69, 4.552, 1.00},
    {620.700807, 5.015, 2.391, 24.38, 0.71, 4.856, 0.68},
    {645.766085, 0.0067, 8.633, 18.00, 0.60, 4.000, 0.50},
    {658.005280, 0.2732, 7.816, 32.10, 0.69, 4.140, 1.00},
    {752.033113, 243.4, 0.396, 30.86, 0.68, 4.352, 0.84},
    {841.051732, 0.0134, 8.177, 15.90, 0.33, 5.760, 0.45},
    {859.965698, 0.1325, 8.055, 30.60, 0.68, 4.090, 0.84},
    {899.303175, 0.0547, 7.914, 29.85, 0.68, 4.530, 0.90},
    {902.611085, 0.0386, 8.429, 28.65, 0.70, 5.100, 0.95},
    {906.205957, 0.1836, 5.110, 24.08, 0.70, 4.700, 0.53},
    {916.171582, 8.400, 1.441, 26.73, 0.70, 5.150, 0.78},
    {923.112692, 0.0079, 10.293, 29.00, 0.70, 5.000, 0.80},
    {970.315022, 9.009, 1.919, 25.50, 0.64, 4.940, 0.67},
    {987.926764, 134.6, 0.257, 29.85, 0.68, 4.550, 0.90},
    {1780.000000, 17506.0, 0.952, 196.3, 2.00, 24.15, 5.00},
}};

// P.676-12 Annex 2 Table 3: oxygen lines above 100 GHz used in the h_o fit {c_i, f_i (GHz)}.
constexpr std::array<std::array<double, 2>, 7> kTable3 = {{{0.1597, 118.750334},
                                                          {0.1066, 368.498246},
                                                          {0.1325, 424.763020},
                                                          {0.1242, 487.249273},
                                                          {0.0938, 715.392902},
                                                          {0.1448, 773.839490},
                                                          {0.1374, 834.145546}}};

// P.676-12 Annex 2 Table 4: water-vapour lines used in the h_w fit {f_i (GHz), a_i, b_i}.
constexpr std::array<std::array<double, 3>, 14> kTable4 = {{{22.23508, 1.52, 2.56},
                                                           {183.310087, 7.62, 10.2},
                                                           {325.152888, 1.56, 2.7},
                                                           {380.197353, 4.15, 5.7},
                                                           {439.150807, 0.2, 0.91},
                                                           {448.001085, 1.63, 2.46},
                                                           {474.689092, 0.76, 2.22},
                                                           {488.490108, 0.26, 2.49},
                                                           {556.935985, 7.81, 10.0},
                                                           {620.70087, 1.25, 2.35},
                                                           {752.033113, 16.2, 20.0},
                                                           {916.171582, 1.47, 2.58},
                                                           {970.315022, 1.36, 2.44},
                                                           {987.926764, 1.6, 1.86}}};

void check_atmosphere(double f_ghz, const P676Atmosphere& a) {
    if (!(f_ghz > 0.0) || !std::isfinite(f_ghz))
        throw InputError("p676: f_ghz = " + std::to_string(f_ghz) + ": must be a positive number of GHz");
    if (!(a.p_hpa >= 0.0) || !(a.t_k > 0.0) || !(a.rho_g_m3 >= 0.0) || !std::isfinite(a.p_hpa + a.t_k + a.rho_g_m3))
        throw InputError("p676: pressure (hPa) and water-vapour density (g/m3) must be >= 0 and temperature (K) > 0");
}

// N''_Oxygen(f) + N''_D(f), Annex 1 eqs. (2a), (3), (5)-(9).
double n_pp_oxygen(double f, double p, double t_k, double rho) {
    const double theta = 300.0 / t_k;        // eq. (3) note: theta = 300/T
    const double e = rho * t_k / 216.7;      // eq. (4)
    double sum = 0.0;
    for (const auto& l : kOxygenLines) {
        const double fi = l[0];
        const double si = l[1] * 1e-7 * p * theta * theta * theta * std::exp(l[2] * (1.0 - theta));  // eq. (3)
        double df = l[3] * 1e-4 * (p * std::pow(theta, 0.8 - l[4]) + 1.1 * e * theta);             // eq. (6a)
        df = std::sqrt(df * df + 2.25e-6);                                                          // eq. (6b)
        const double delta = (l[5] + l[6] * theta) * 1e-4 * (p + e) * std::pow(theta, 0.8);         // eq. (7)
        const double fi_ = f / fi * ((df - delta * (fi - f)) / ((fi - f) * (fi - f) + df * df) +
                                     (df - delta * (fi + f)) / ((fi + f) * (fi + f) + df * df));    // eq. (5)
        sum += si * fi_;                                                                            // eq. (2a)
    }
    const double d = 5.6e-4 * (p + e) * std::pow(theta, 0.8);  // eq. (9)
    const double n_d = f * p * theta * theta *
                       (6.14e-5 / (d * (1.0 + (f / d) * (f / d))) +
                        1.4e-12 * p * std::pow(theta, 1.5) / (1.0 + 1.9e-5 * std::pow(f, 1.5)));  // eq. (8)
    return sum + n_d;
}

// N''_WaterVapour(f), Annex 1 eqs. (2b), (3), (5), (6a), (6b) with delta = 0.
double n_pp_water(double f, double p, double t_k, double rho) {
    const double theta = 300.0 / t_k;
    const double e = rho * t_k / 216.7;  // eq. (4)
    double sum = 0.0;
    for (const auto& l : kWaterVapourLines) {
        const double fi = l[0];
        const double si = l[1] * 1e-1 * e * std::pow(theta, 3.5) * std::exp(l[2] * (1.0 - theta));          // eq. (3)
        double df = l[3] * 1e-4 * (p * std::pow(theta, l[4]) + l[5] * e * std::pow(theta, l[6]));          // eq. (6a)
        df = 0.535 * df + std::sqrt(0.217 * df * df + 2.1316e-12 * fi * fi / theta);                       // eq. (6b)
        const double fi_ = f / fi * (df / ((fi - f) * (fi - f) + df * df) + df / ((fi + f) * (fi + f) + df * df));  // eq. (5)
        sum += si * fi_;  // eq. (2b)
    }
    return sum;
}

double gamma_w_db_per_km(double f, double p, double t_k, double rho) {
    return 0.1820 * f * n_pp_water(f, p, t_k, rho);  // eq. (1)
}

}  // namespace

P676SpecificResult p676_specific_attenuation(double f_ghz, const P676Atmosphere& atm) {
    check_atmosphere(f_ghz, atm);
    P676SpecificResult r;
    if (f_ghz < 1.0 || f_ghz > 1000.0) r.warnings.emplace_back("frequency_out_of_range");
    r.gamma_o_db_per_km = 0.1820 * f_ghz * n_pp_oxygen(f_ghz, atm.p_hpa, atm.t_k, atm.rho_g_m3);  // eq. (1)
    r.gamma_w_db_per_km = gamma_w_db_per_km(f_ghz, atm.p_hpa, atm.t_k, atm.rho_g_m3);           // eq. (1)
    r.gamma_db_per_km = r.gamma_o_db_per_km + r.gamma_w_db_per_km;                              // eq. (1)
    return r;
}

double p676_terrestrial_attenuation_db(double f_ghz, double d_km, const P676Atmosphere& atm) {
    if (!(d_km >= 0.0) || !std::isfinite(d_km))
        throw InputError("p676: path length must be >= 0 km");
    return p676_specific_attenuation(f_ghz, atm).gamma_db_per_km * d_km;  // Annex 1 eq. (10): A = gamma r0
}

P676SlantResult p676_slant_path_attenuation(const P676SlantInput& in) {
    check_atmosphere(in.f_ghz, in.surface);
    if (!(in.elevation_deg > 0.0) || !(in.elevation_deg <= 90.0))
        throw InputError("p676: elevation_deg = " + std::to_string(in.elevation_deg) + ": must be in (0, 90] degrees");
    P676SlantResult r;
    const double f = in.f_ghz;
    if (f < 1.0 || f > 350.0) r.warnings.emplace_back("frequency_out_of_range");
    if (in.elevation_deg < 5.0) r.warnings.emplace_back("elevation_out_of_range");
    const P676SpecificResult g = p676_specific_attenuation(f, in.surface);
    const double t_k = in.surface.t_k, rho = in.surface.rho_g_m3;
    const double e = rho * t_k / 216.7;                  // Annex 1 eq. (4)
    const double rp = (in.surface.p_hpa + e) / 1013.25;  // total pressure ratio r_p, Annex 2 sec. 2.1
    const double t_c = t_k - 273.15;
    // Oxygen equivalent height h_o, P.676-12 Annex 2 sec. 2.1
    const double t1 = 5.1040 / (1.0 + 0.066 * std::pow(rp, -2.3)) *
                      std::exp(-std::pow((f - 59.7) / (2.87 + 12.4 * std::exp(-7.9 * rp)), 2.0));  // Annex 2 sec. 2.1, h_o term t1
    double t2 = 0.0;
    for (const auto& [ci, fi] : kTable3)
        t2 += ci * std::exp(2.12 * rp) / ((f - fi) * (f - fi) + 0.025 * std::exp(2.2 * rp));  // Annex 2 sec. 2.1, h_o term t2 (Table 3)
    const double t3 = 0.0114 * f / (1.0 + 0.14 * std::pow(rp, -2.6)) * (15.02 * f * f - 1353.0 * f + 5.333e4) /
                      (f * f * f - 151.3 * f * f + 9629.0 * f - 6803.0);  // Annex 2 sec. 2.1, h_o term t3
    const double a_o = 0.7832 + 0.00709 * t_c;
    r.h_o_km = 6.1 * a_o / (1.0 + 0.17 * std::pow(rp, -1.1)) * (1.0 + t1 + t2 + t3);  // Annex 2 sec. 2.1, h_o
    if (f < 70.0) r.h_o_km = std::min(r.h_o_km, 10.7 * std::pow(rp, 0.3));          // Annex 2 sec. 2.1, h_o cap for f < 70 GHz
    // Water-vapour equivalent height h_w, Annex 2 sec. 2.1
    const double a_w = 1.9298 - 0.04166 * t_c + 0.0517 * rho;  // Annex 2 sec. 2.1, h_w coefficient A
    const double b_w = 1.1674 - 0.00622 * t_c + 0.0063 * rho;  // Annex 2 sec. 2.1, h_w coefficient B
    const double sigma_w = 1.013 / (1.0 + std::exp(-8.6 * (rp - 0.57)));  // Annex 2 sec. 2.1, sigma_w
    double s = 0.0;
    for (const auto& [fi, ai, bi] : kTable4) s += ai * sigma_w / ((f - fi) * (f - fi) + bi * sigma_w);
    r.h_w_km = a_w + b_w * s;  // Annex 2 sec. 2.1, h_w (Table 4)
    r.a_o_zenith_db = g.gamma_o_db_per_km * r.h_o_km;
    if (in.v_t_kg_m2) {
        // Zenith water-vapour attenuation from the integrated content V_t, Annex 2 sec. 2.3
        const double v_t = *in.v_t_kg_m2;
        if (!(v_t > 0.0)) throw InputError("p676: v_t_kg_m2 must be positive");
        constexpr double f_ref_ghz = 20.6;
        constexpr double p_ref_hpa = 845.0;
        const double rho_ref = v_t / 2.38;                              // Annex 2 sec. 2.3, rho_v,ref
        const double t_ref_k = 14.0 * std::log(0.22 * v_t / 2.38) + 3.0 + 273.15;  // Annex 2 sec. 2.3, t_ref (degC -> K)
        const double h_km = std::clamp(in.h_station_km, 0.0, 4.0);
        double aw = 0.0176 * v_t * gamma_w_db_per_km(f, p_ref_hpa, t_ref_k, rho_ref) /
                    gamma_w_db_per_km(f_ref_ghz, p_ref_hpa, t_ref_k, rho_ref);  // Annex 2 sec. 2.3, A_w for 1-20 GHz
        if (f >= 20.0) {
            const double a = 0.2048 * std::exp(-std::pow((f - 22.43) / 3.097, 2.0)) +
                             0.2326 * std::exp(-std::pow((f - 183.5) / 4.096, 2.0)) +
                             0.2073 * std::exp(-std::pow((f - 325.0) / 3.651, 2.0)) - 0.1113;  // Annex 2 sec. 2.3, a(f)
            const double b = 8.741e4 * std::exp(-0.587 * f) + 312.2 * std::pow(f, -2.38) + 0.723;  // Annex 2 sec. 2.3, b(f)
            aw *= a * std::pow(h_km, b) + 1.0;  // Annex 2 sec. 2.3, A_w for 20-350 GHz
        }
        r.a_w_zenith_db = aw;
    } else {
        r.a_w_zenith_db = g.gamma_w_db_per_km * r.h_w_km;
    }
    r.a_gas_db = (r.a_o_zenith_db + r.a_w_zenith_db) / std::sin(deg_to_rad(in.elevation_deg));  // Annex 2 sec. 2.1, A = (A_o + A_w)/sin(theta)
    return r;
}

}  // namespace dxplan::prop
