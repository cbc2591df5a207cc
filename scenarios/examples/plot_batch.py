#!/usr/bin/python3
"""Plot a dxplan batch store: cost per covered household against a swept parameter, one line per technology
(the median over the other parameters, with their range shaded).

    python3 scenarios/examples/plot_batch.py out/sweep/batch.h5 --x economics.discount_rate --out plot.png

Reads /summary, the flat table of docs/batch.md (one row per variant and technology), with h5py and pandas-free
numpy, and draws with matplotlib (Debian: python3-h5py, python3-matplotlib).
"""
import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(col):
    return np.array([v.decode("utf-8").rstrip("\x00") if isinstance(v, bytes) else str(v) for v in col])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", help="DIR/batch.h5 written by dxplan batch")
    ap.add_argument("--x", required=True, help="the swept field on the x axis, e.g. economics.discount_rate")
    ap.add_argument("--y", default="cost_per_household_jpy", help="a numeric /summary column (default: %(default)s)")
    ap.add_argument("--out", required=True, help="PNG file to write")
    a = ap.parse_args()
    with h5py.File(a.store, "r") as f:
        t = f["summary"][()]
    names = t.dtype.names
    for c in (a.x, a.y):
        if c not in names:
            sys.exit(f"{a.store}: /summary has no column '{c}' (columns: {', '.join(names)})")
    ok = text(t["status"]) == "ok"
    tech = text(t["technology"])
    x = t[a.x].astype(float)
    y = t[a.y].astype(float)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    lines = 0
    for name in sorted(set(tech[ok])):
        rows = ok & (tech == name) & np.isfinite(y)
        xs = np.unique(x[rows])
        if len(xs) == 0:
            continue
        med = np.array([np.median(y[rows & (x == v)]) for v in xs])
        lo = np.array([np.min(y[rows & (x == v)]) for v in xs])
        hi = np.array([np.max(y[rows & (x == v)]) for v in xs])
        ax.plot(xs, med, marker="o", label=name)
        ax.fill_between(xs, lo, hi, alpha=0.15)
        lines += 1
    if lines == 0:
        sys.exit(f"{a.store}: no completed variant with a finite '{a.y}'")
    ax.set_xlabel(a.x)
    ax.set_ylabel(a.y)
    ax.set_title(f"{a.y} by {a.x} ({int(ok.sum())} rows, median and range over the other parameters)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(a.out, dpi=110)
    print(f"wrote {a.out}: {lines} technologies")


if __name__ == "__main__":
    main()
