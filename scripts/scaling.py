#!/usr/bin/env python3
"""Scaling benchmark of landclust: the synth demo at 1, 0.5, 0.25, 0.1 and 0.05 degree through
read, VAE, k-means, scores, Ward, figures and report, with the wall time and peak memory of every
stage, and a power-law fit (seconds ~ a * n^b) of how each stage grows with the cells clustered.

    python3 scripts/scaling.py --bin target/release/landclust --data /tmp/scaling \
        [--resolutions 1,0.5,0.25,0.1,0.05] [--out scaling-measured.md]

Per resolution it runs (each in its own process, so peak memory is per run):
  A: landclust run FILE --reduce vae:2 --k 6          (VAE, k-means, scores, figures, report)
  B: landclust run FILE --method ward --k 6 --no-figures
  C: landclust run FILE --k 6 --no-figures            (k-means in the standardized space)
and reads each run's timing.json (wall time and VmHWM at the end of each stage) plus the whole
process's peak RSS from /usr/bin/time when available. Writes a markdown table and the fits.
Standard library only.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time


def run(cmd, log):
    """Run cmd, return (seconds, peak RSS bytes or None)."""
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    full = ([timer, "-v"] if timer else []) + cmd
    t0 = time.time()
    p = subprocess.run(full, capture_output=True, text=True)
    secs = time.time() - t0
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + p.stdout + p.stderr)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    peak = None
    for line in p.stderr.splitlines():
        if "Maximum resident set size" in line:
            peak = int(line.split()[-1]) * 1024
    return secs, peak


def fit(ns, secs):
    """Least-squares fit of log(s) = log(a) + b log(n); returns b (None with < 2 points)."""
    pts = [(math.log(n), math.log(s)) for n, s in zip(ns, secs) if n > 0 and s > 1e-3]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return None
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/landclust")
    ap.add_argument("--data", default="/tmp/landclust-scaling")
    ap.add_argument("--resolutions", default="1,0.5,0.25,0.1,0.05")
    ap.add_argument("--runs", default="A,B,C", help="which runs: A (VAE+figures), B (Ward), C (k-means)")
    # Not docs/scaling.md by default: that page holds more than the measured table.
    ap.add_argument("--out", default="scaling-measured.md")
    a = ap.parse_args()
    os.makedirs(a.data, exist_ok=True)
    runs = {
        "A": (["--reduce", "vae:2", "--k", "6"], "VAE 2-D, k-means, scores, figures, report"),
        "B": (["--method", "ward", "--k", "6", "--no-figures"], "Ward (exact, or on micro-clusters)"),
        "C": (["--k", "6", "--no-figures"], "k-means in the standardized space"),
    }
    wanted = [r for r in a.runs.split(",") if r]
    rows = []
    for res in a.resolutions.split(","):
        nc = os.path.join(a.data, f"synth_{res}.nc")
        if not os.path.exists(nc):
            s, peak = run([a.bin, "-q", "synth", "--resolution", res, "--out", nc], nc + ".log")
            print(f"synth {res}: {s:.1f} s, peak {peak and peak / 1e6:.0f} MB", file=sys.stderr)
        for key in wanted:
            args, _ = runs[key]
            out = os.path.join(a.data, f"run{key}_{res}")
            shutil.rmtree(out, ignore_errors=True)
            secs, peak = run([a.bin, "-q", "run", nc, *args, "--out", out], out + ".log")
            timing = json.load(open(os.path.join(out, "timing.json")))
            metrics = json.load(open(os.path.join(out, "metrics.json")))
            rows.append(
                {
                    "res": res,
                    "run": key,
                    "n": timing["n_points"],
                    "total": secs,
                    "peak": peak,
                    "stages": {s["name"]: (s["seconds"], s["peak_rss_bytes"]) for s in timing["stages"]},
                    "notes": metrics.get("scale_notes", []),
                    "silhouette": metrics.get("silhouette"),
                    "se": metrics.get("silhouette_std_error"),
                }
            )
            print(f"{key} {res}: n={timing['n_points']} {secs:.1f} s peak {peak and peak / 1e6:.0f} MB", file=sys.stderr)
            shutil.rmtree(out, ignore_errors=True)
    lines = [
        "# Scaling of landclust with the number of cells",
        "",
        "Made by `python3 scripts/scaling.py --bin target/release/landclust` (this file is its output)",
        f"on {os.cpu_count()} cores; synth demo files at each resolution, land cells with every variable.",
        "Wall time of each stage in seconds (from each run's `timing.json`), peak resident memory of the",
        "whole process (`/usr/bin/time -v`).",
        "",
    ]
    for key in wanted:
        sel = [r for r in rows if r["run"] == key]
        if not sel:
            continue
        stages = []
        for r in sel:
            for s in r["stages"]:
                if s not in stages:
                    stages.append(s)
        lines += [f"## Run {key}: `landclust run FILE {' '.join(runs[key][0])}` ({runs[key][1]})", ""]
        lines.append("| resolution | cells | " + " | ".join(stages) + " | total s | peak MB | notes |")
        lines.append("|---" * (len(stages) + 5) + "|")
        for r in sel:
            cells = [f"{r['stages'][s][0]:.1f}" if s in r["stages"] else "" for s in stages]
            peak = f"{r['peak'] / 1e6:.0f}" if r["peak"] else ""
            notes = "; ".join(r["notes"])
            lines.append(f"| {r['res']} | {r['n']:,} | " + " | ".join(cells) + f" | {r['total']:.1f} | {peak} | {notes} |")
        slopes = []
        for s in stages:
            b = fit([r["n"] for r in sel if s in r["stages"]], [r["stages"][s][0] for r in sel if s in r["stages"]])
            if b is not None:
                slopes.append(f"{s} n^{b:.2f}")
        b = fit([r["n"] for r in sel], [r["total"] for r in sel])
        if b is not None:
            slopes.append(f"total n^{b:.2f}")
        lines += ["", "Fitted growth (least squares on log-log): " + ", ".join(slopes) + ".", ""]
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
