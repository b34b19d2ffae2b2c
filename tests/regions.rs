//! `--method ward --contiguous` end to end on the demo file: every region is spatially connected
//! (a flood fill over the grid), apart from the joins between separate pieces of land that
//! metrics.json reports; bad option combinations are refused with one line.

mod common;

use common::{assert_one_line_error, bin, demo_file, labels_by_cell, metrics, run_ok};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// `(row, col) -> cluster` from labels.csv, signed for the neighbour arithmetic.
fn labels(dir: &Path) -> HashMap<(i64, i64), usize> {
    labels_by_cell(dir)
        .into_iter()
        .map(|((r, c), k)| ((r as i64, c as i64), k))
        .collect()
}

/// The grid neighbours of a cell that are labelled (the demo grid is global: columns wrap).
fn neighbours(cell: (i64, i64), eight: bool, n_cols: i64) -> Vec<(i64, i64)> {
    let mut steps = vec![(0, 1), (0, -1), (1, 0), (-1, 0)];
    if eight {
        steps.extend([(1, 1), (1, -1), (-1, 1), (-1, -1)]);
    }
    steps
        .into_iter()
        .map(|(dr, dc)| (cell.0 + dr, (cell.1 + dc).rem_euclid(n_cols)))
        .collect()
}

/// Connected parts of the cells `keep` selects, each as its set of cells.
fn parts(
    cells: &HashMap<(i64, i64), usize>,
    keep: impl Fn((i64, i64), (i64, i64)) -> bool,
    eight: bool,
) -> Vec<Vec<(i64, i64)>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut starts: Vec<&(i64, i64)> = cells.keys().collect();
    starts.sort();
    for &start in starts {
        if !seen.insert(start) {
            continue;
        }
        let mut part = vec![start];
        let mut stack = vec![start];
        while let Some(p) = stack.pop() {
            for q in neighbours(p, eight, 360) {
                if cells.contains_key(&q) && keep(p, q) && seen.insert(q) {
                    part.push(q);
                    stack.push(q);
                }
            }
        }
        out.push(part);
    }
    out
}

/// Every region is connected within each piece of land: the flood fill of (region, piece)
/// finds one part per pair. A region spans several pieces only through the joins of pieces,
/// which metrics.json reports.
fn check_regions(dir: &Path, k: usize, eight: bool) {
    let cells = labels(dir);
    let pieces = parts(&cells, |_, _| true, eight);
    let piece_of: HashMap<(i64, i64), usize> = pieces
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.iter().map(move |&c| (c, i)))
        .collect();
    let regions = parts(&cells, |p, q| cells[&p] == cells[&q], eight);
    let pairs: HashSet<(usize, usize)> = cells.iter().map(|(c, &l)| (l, piece_of[c])).collect();
    assert_eq!(
        regions.len(),
        pairs.len(),
        "a region falls apart inside a piece of land"
    );
    let used: HashSet<usize> = cells.values().copied().collect();
    assert_eq!(used.len(), k);
    let m = metrics(dir);
    let diag = &m["method_diagnostics"];
    assert_eq!(diag["components"].as_f64(), Some(pieces.len() as f64));
    if pieces.len() > 1 {
        let notes = m["scale_notes"].to_string();
        assert!(notes.contains(&format!("{} separate pieces", pieces.len())), "{notes}");
    }
    let linkage = std::fs::read_to_string(dir.join("linkage.csv")).unwrap();
    assert_eq!(linkage.lines().count(), cells.len(), "header + n - 1 merges");
}

#[test]
fn demo_regions_are_connected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r30");
    let demo = demo_file().to_str().unwrap();
    run_ok(
        &[
            "run",
            demo,
            "--method",
            "ward",
            "--contiguous",
            "--k",
            "30",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        2,
    );
    check_regions(&out, 30, false);
    let out8 = dir.path().join("r80");
    run_ok(
        &[
            "run",
            demo,
            "--method",
            "ward",
            "--contiguous",
            "--neighbours",
            "8",
            "--k",
            "80",
            "--no-figures",
            "--out",
            out8.to_str().unwrap(),
            "-q",
        ],
        2,
    );
    check_regions(&out8, 80, true);
}

#[test]
fn contiguous_options_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let o = out.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "unused.nc", "--out", o];
        args.extend_from_slice(extra);
        bin().args(&args).output().unwrap()
    };
    assert_one_line_error(&run(&["--contiguous"]), "--contiguous");
    assert_one_line_error(&run(&["--method", "gmm", "--contiguous"]), "only with --method ward");
    assert_one_line_error(
        &run(&["--method", "ward", "--contiguous", "--neighbours", "6"]),
        "expected 4 or 8",
    );
    assert_one_line_error(
        &run(&["--method", "ward", "--neighbours", "8"]),
        "only with --contiguous",
    );
    assert_one_line_error(&run(&["--method", "ward", "--cut-height", "3"]), "--cut-height");
    assert_one_line_error(
        &run(&["--method", "ward", "--contiguous", "--k", "30", "--cut-height", "3"]),
        "either --k or --cut-height",
    );
    assert_one_line_error(
        &run(&["--method", "ward", "--contiguous", "--cut-height=-1"]),
        "expected a finite number",
    );
    assert_one_line_error(
        &run(&["--method", "kmeans", "--min-region-cells", "5"]),
        "--min-region-cells",
    );
    assert_one_line_error(
        &run(&["--method", "ward", "--contiguous", "--min-region-cells", "0"]),
        "at least 1",
    );
    assert!(!out.exists());
}

/// Heights of linkage.csv, in merge order.
fn linkage_heights(dir: &Path) -> Vec<f64> {
    let text = std::fs::read_to_string(dir.join("linkage.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let h = header.iter().position(|c| *c == "height").unwrap();
    lines.map(|l| l.split(',').nth(h).unwrap().parse().unwrap()).collect()
}

/// Run contiguous Ward on the demo file into `out` with `extra` options.
fn run_regions(out: &Path, extra: &[&str]) {
    let demo = demo_file().to_str().unwrap();
    let mut args = vec!["run", demo, "--method", "ward", "--contiguous", "--no-figures", "-q"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    run_ok(&args, 2);
}

/// True when two labelings of the same cells are the same partition.
fn same_partition(a: &HashMap<(i64, i64), usize>, b: &HashMap<(i64, i64), usize>) -> bool {
    let (mut ab, mut ba) = (HashMap::new(), HashMap::new());
    a.len() == b.len()
        && a.iter().all(|(c, &x)| {
            let y = b[c];
            *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x
        })
}

#[test]
fn cut_height_gives_the_regions_of_the_matching_k() {
    let dir = tempfile::tempdir().unwrap();
    let at_k = dir.path().join("k30");
    run_regions(&at_k, &["--k", "30"]);
    let heights = linkage_heights(&at_k);
    let mut sorted = heights.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    // Between the 24th and 25th largest heights: scikit-learn's rule counts heights >= h.
    let h = (sorted[23] + sorted[24]) / 2.0;
    let k = heights.iter().filter(|&&x| x >= h).count() + 1;
    assert_eq!(k, 25);
    let at_h = dir.path().join("h");
    run_regions(&at_h, &["--cut-height", &format!("{h}")]);
    let m = metrics(&at_h);
    assert_eq!(m["k"].as_u64(), Some(k as u64), "{}", m["k"]);
    let at_k25 = dir.path().join("k25");
    run_regions(&at_k25, &["--k", &k.to_string()]);
    assert!(same_partition(&labels(&at_h), &labels(&at_k25)));
    check_regions(&at_h, k, false);
}

#[test]
fn small_regions_merge_into_a_neighbour_and_stay_connected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("min");
    run_regions(&out, &["--k", "60", "--min-region-cells", "150"]);
    let m = metrics(&out);
    let k = m["k"].as_u64().unwrap() as usize;
    assert!(k < 60, "some regions were merged (k = {k})");
    assert!(m["method_diagnostics"]["small_regions_merged"].as_f64().unwrap() >= 1.0);
    check_regions(&out, k, false);
    // A region left under the minimum touches no other region (a small island).
    let cells = labels(&out);
    let mut size: HashMap<usize, usize> = HashMap::new();
    for &l in cells.values() {
        *size.entry(l).or_default() += 1;
    }
    for (&cell, &l) in &cells {
        if size[&l] < 150 {
            for q in neighbours(cell, false, 360) {
                assert!(
                    cells.get(&q).is_none_or(|&o| o == l),
                    "region {l} of {} cells touches region {}",
                    size[&l],
                    cells[&q]
                );
            }
        }
    }
}

#[test]
fn clusters_csv_gives_each_region_its_cells_area_and_centre() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r30");
    run_regions(&out, &["--k", "30"]);
    let cells = labels(&out);
    let mut reader = csv::Reader::from_path(out.join("clusters.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 30, "one row per region");
    let mut area_sum = 0.0;
    let mut ndvi_before = f64::NEG_INFINITY;
    for (id, row) in rows.iter().enumerate() {
        assert_eq!(row[at("cluster")].parse::<usize>().unwrap(), id);
        let n: usize = row[at("cells")].parse().unwrap();
        assert_eq!(n, cells.values().filter(|&&l| l == id).count(), "cells of region {id}");
        let area: f64 = row[at("area_km2")].parse().unwrap();
        assert!(
            area > 0.0 && area < 1.25e4 * n as f64,
            "area of region {id}: {area} km2 for {n} cells"
        );
        area_sum += row[at("area_share")].parse::<f64>().unwrap();
        // Regions are numbered by ascending mean NDVI: the centre's NDVI column ascends.
        let ndvi: f64 = row[at("NDVI")].parse().unwrap();
        assert!(
            ndvi >= ndvi_before,
            "region {id}: NDVI centre {ndvi} after {ndvi_before}"
        );
        ndvi_before = ndvi;
    }
    assert!((area_sum - 1.0).abs() < 1e-9, "area shares sum to {area_sum}");
}
