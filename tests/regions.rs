//! `--method ward --contiguous` end to end on the demo file: every region is spatially connected
//! (a flood fill over the grid), apart from the joins between separate pieces of land that
//! metrics.json reports; bad option combinations are refused with one line.

mod common;

use common::{assert_one_line_error, bin, demo_file, metrics, run_ok};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// `(row, col) -> cluster` from labels.csv.
fn labels(dir: &Path) -> HashMap<(i64, i64), usize> {
    let text = std::fs::read_to_string(dir.join("labels.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (r, c, k) = (at("row"), at("col"), at("cluster"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            ((f[r].parse().unwrap(), f[c].parse().unwrap()), f[k].parse().unwrap())
        })
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
    assert!(!out.exists());
}
