#!/usr/bin/env python3
"""Writes the SYNTHETIC before/after indicator files of scenarios/measured-valley.yaml (not real data).

A made-up remote-care demonstration: weekly figures of a village clinic for 20 weeks before and 16 weeks
after a video-consultation link. Deterministic: Python's random.Random(SEED) (Mersenne Twister; the same
sequence on every CPython 3), Poisson draws by Knuth's multiplication method, so a re-run rewrites the same
bytes:  python3 scenarios/data/make_outcome_data.py
"""
import math
import os
import random

SEED = 2026
HERE = os.path.dirname(os.path.abspath(__file__))


def poisson(rng, mean):
    """Knuth's method: count uniform products until below exp(-mean)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def write(name, weeks, consult_mean, travel_mean, missed_mean, rng, missing_week=None):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write("# SYNTHETIC data (scenarios/data/make_outcome_data.py, seed %d): not measured\n" % SEED)
        f.write("id,consultations_per_week,travel_minutes_per_consultation,missed_appointments_per_week\n")
        for w in range(1, weeks + 1):
            consult = poisson(rng, consult_mean)
            travel = round(rng.gauss(travel_mean, 0.2 * travel_mean), 1)
            missed = "" if w == missing_week else str(poisson(rng, missed_mean))
            f.write("w%02d,%d,%.1f,%s\n" % (w, consult, travel, missed))


def main():
    rng = random.Random(SEED)
    write("outcome-before.csv", 20, 12.0, 95.0, 3.0, rng)
    write("outcome-after.csv", 16, 17.0, 40.0, 2.5, rng, missing_week=9)  # one week not recorded


if __name__ == "__main__":
    main()
