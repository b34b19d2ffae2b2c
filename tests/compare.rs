//! `landclust compare`: K-Means against Ward on the demo (the transition matrix covers the
//! selected area), a run against a copy with permuted cluster ids and against the same labels
//! brought back through `export`/`import` (identity matching, ARI 1, no change), different grids
//! refused with one line and nothing written, and `--regrid majority` checked against the
//! majority computed here from both runs' labels.csv.

mod common;

use common::{assert_one_line_error, bin, demo_file, labels_by_cell as labels_csv, metrics, run_ok};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Runs shared by the tests: (temporary folder, K-Means k = 6, Ward k = 6) on the demo.
fn demo_runs() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static RUNS: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    RUNS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let (km, ward) = (dir.path().join("kmeans"), dir.path().join("ward"));
        for (method, out) in [("kmeans", &km), ("ward", &ward)] {
            run_ok(
                &[
                    "--quiet",
                    "run",
                    demo_file().to_str().unwrap(),
                    "--method",
                    method,
                    "--k",
                    "6",
                    "--no-figures",
                    "--out",
                    out.to_str().unwrap(),
                ],
                2,
            );
        }
        (dir, km, ward)
    })
}

fn compare(a: &Path, b: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["--quiet", "compare"])
        .arg(a)
        .arg(b)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn compare_ok(a: &Path, b: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let o = compare(a, b, out, extra);
    assert!(
        o.status.success(),
        "compare failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "compare.json",
        "transitions.csv",
        "change.tif",
        "change.png",
        "report.html",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap()).unwrap()
}

/// transitions.csv as (a, b) -> (cells, km2, same_type, change_code).
fn transitions(out: &Path) -> BTreeMap<(usize, usize), (u64, f64, bool, u32)> {
    let text = std::fs::read_to_string(out.join("transitions.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "a_cluster,b_cluster,cells,km2,same_type,change_code"
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                (f[0].parse().unwrap(), f[1].parse().unwrap()),
                (
                    f[2].parse().unwrap(),
                    f[3].parse().unwrap(),
                    f[4].parse().unwrap(),
                    f[5].parse().unwrap(),
                ),
            )
        })
        .collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

#[test]
fn kmeans_against_ward_covers_the_selected_area() {
    let (dir, km, ward) = demo_runs();
    let out = dir.path().join("cmp-km-ward");
    let json = compare_ok(km, ward, &out, &[]);
    let t = transitions(&out);
    let km2: f64 = t.values().map(|v| v.1).sum();
    for run in [km, ward] {
        let selected = metrics(run)["area"]["clustered_km2"].as_f64().unwrap();
        assert!(close(km2, selected, 1e-9), "{km2} vs {selected}");
    }
    assert!(close(json["totals"]["shared_km2"].as_f64().unwrap(), km2, 1e-12));
    // The cell counts are the contingency table of the two labels.csv.
    let (a, b) = (labels_csv(km), labels_csv(ward));
    assert_eq!(a.len(), b.len());
    let mut table: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for (cell, &la) in &a {
        *table.entry((la, b[cell])).or_default() += 1;
    }
    let cells: BTreeMap<(usize, usize), u64> = t.iter().map(|(k, v)| (*k, v.0)).collect();
    assert_eq!(cells, table);
    assert_eq!(json["totals"]["shared_cells"], a.len() as u64);
    assert_eq!(json["totals"]["only_a_cells"], 0);
    assert_eq!(json["totals"]["only_b_cells"], 0);
    // Six clusters each: a one-to-one matching, each pair the one same-type transition.
    let matching = json["matching"].as_array().unwrap();
    assert_eq!(matching.len(), 6);
    for m in matching {
        let key = (m["a"].as_u64().unwrap() as usize, m["b"].as_u64().unwrap() as usize);
        assert!(t[&key].2, "{key:?} should be the same type");
    }
    assert_eq!(t.values().filter(|v| v.2).count(), 6);
    // Change codes rank the other transitions by area.
    let mut changes: Vec<_> = t.values().filter(|v| !v.2).collect();
    changes.sort_by_key(|v| v.3);
    assert_eq!(
        changes.iter().map(|v| v.3).collect::<Vec<_>>(),
        (1..=changes.len() as u32).collect::<Vec<_>>()
    );
    assert!(changes.windows(2).all(|w| w[0].1 >= w[1].1));
    let changed: u64 = changes.iter().map(|v| v.0).sum();
    assert_eq!(json["totals"]["changed_cells"], changed);
    let ari = json["scores"]["ari"].as_f64().unwrap();
    assert!(ari > 0.0 && ari < 1.0, "{ari}");
    let share = json["totals"]["agreement_share"].as_f64().unwrap();
    let same: f64 = t.values().filter(|v| v.2).map(|v| v.1).sum();
    assert!(close(share, same / km2, 1e-12));
}

/// A copy of `run` whose labels.nc holds `perm[label]` for every label.
fn permuted_copy(run: &Path, to: &Path, perm: &[u32]) {
    use landclust::io::netcdf::NcFile;
    use landclust::pipeline::labels_nc::{LabelLayer, write_labels_nc};
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(run.join("metrics.json"), to.join("metrics.json")).unwrap();
    let file = NcFile::open(run.join("labels.nc")).unwrap();
    let grid = file.grid().unwrap();
    let values = file.read_variable("cluster", &grid).unwrap().values;
    let permuted: Vec<f64> = values
        .iter()
        .map(|&v| if v.is_nan() { v } else { perm[v as usize] as f64 })
        .collect();
    write_labels_nc(
        &to.join("labels.nc"),
        landclust::io::netcdf::write::NcFormat::Netcdf4,
        &grid,
        &[LabelLayer {
            name: "cluster",
            values: (&permuted).into(),
            long_name: "permuted",
            units: None,
        }],
        &[] as &[(String, String)],
    )
    .unwrap();
}

/// Identity matching (A's cluster `a` with B's `perm[a]`), ARI 1, no cell changed.
fn assert_identity(json: &serde_json::Value, out: &Path, perm: &[u32]) {
    let pairs: Vec<(u64, u64)> = json["matching"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["a"].as_u64().unwrap(), m["b"].as_u64().unwrap()))
        .collect();
    let want: Vec<(u64, u64)> = perm.iter().enumerate().map(|(a, &b)| (a as u64, b as u64)).collect();
    assert_eq!(pairs, want);
    assert_eq!(json["scores"]["ari"], 1.0);
    assert!(close(json["scores"]["nmi"].as_f64().unwrap(), 1.0, 1e-12));
    assert_eq!(json["totals"]["changed_cells"], 0);
    assert_eq!(json["totals"]["agreement_share"], 1.0);
    assert!(json["unmatched_a"].as_array().unwrap().is_empty());
    let t = transitions(out);
    assert_eq!(t.len(), perm.len());
    assert!(t.iter().all(|((a, b), v)| perm[*a] as usize == *b && v.2 && v.3 == 0));
}

#[test]
fn a_run_against_its_permuted_copy_matches_identically() {
    let (dir, km, _) = demo_runs();
    let copy = dir.path().join("kmeans-permuted");
    let perm = [3u32, 5, 0, 1, 4, 2];
    permuted_copy(km, &copy, &perm);
    let out = dir.path().join("cmp-permuted");
    let json = compare_ok(km, &copy, &out, &[]);
    assert_identity(&json, &out, &perm);
    assert_eq!(
        json["totals"]["shared_cells"],
        metrics(km)["n_points"].as_u64().unwrap()
    );
}

#[test]
fn spark_labels_imported_compare_as_a_run() {
    let (dir, km, _) = demo_runs();
    let export = dir.path().join("export");
    run_ok(
        &[
            "--quiet",
            "export",
            demo_file().to_str().unwrap(),
            "--out",
            export.to_str().unwrap(),
        ],
        2,
    );
    // The Spark job's labels: K-Means' clusters under other numbers.
    let km_labels = labels_csv(km);
    let labels = dir.path().join("spark-labels");
    std::fs::create_dir_all(&labels).unwrap();
    for (i, f) in landclust::io::parquet::dataset_files(&export)
        .unwrap()
        .iter()
        .enumerate()
    {
        let c = landclust::io::parquet::read_numeric_columns(f, &["row", "col"]).unwrap();
        let row: Vec<i32> = c[0].iter().map(|&v| v as i32).collect();
        let col: Vec<i32> = c[1].iter().map(|&v| v as i32).collect();
        let cluster: Vec<i32> = row
            .iter()
            .zip(&col)
            .map(|(&r, &c)| 40 - km_labels[&(r as usize, c as usize)] as i32)
            .collect();
        use landclust::io::parquet::{ColumnData, write_columns};
        write_columns(
            &labels.join(format!("part-{i}.parquet")),
            &[
                ("row", ColumnData::Int32(&row)),
                ("col", ColumnData::Int32(&col)),
                ("cluster", ColumnData::Int32(&cluster)),
            ],
        )
        .unwrap();
    }
    let imported = dir.path().join("imported");
    run_ok(
        &[
            "--quiet",
            "import",
            labels.to_str().unwrap(),
            export.to_str().unwrap(),
            "--no-figures",
            "--out",
            imported.to_str().unwrap(),
        ],
        2,
    );
    let out = dir.path().join("cmp-imported");
    let json = compare_ok(km, &imported, &out, &[]);
    // import renumbers by landclust's stable order, as the run did: the same numbers.
    assert_identity(&json, &out, &[0, 1, 2, 3, 4, 5]);
}

/// A K-Means run (k = 6) on the demo at 0.5 degree.
fn half_degree_run(dir: &Path) -> PathBuf {
    let file = dir.join("demo-0.5.nc");
    run_ok(
        &[
            "--quiet",
            "synth",
            "--resolution",
            "0.5",
            "--out",
            file.to_str().unwrap(),
        ],
        2,
    );
    let out = dir.join("kmeans-0.5");
    run_ok(
        &[
            "--quiet",
            "run",
            file.to_str().unwrap(),
            "--k",
            "6",
            "--no-figures",
            "--silhouette-exact-max",
            "1000",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    out
}

#[test]
fn different_grids_are_refused_unless_regridded_by_majority() {
    let (_, km, _) = demo_runs();
    let dir = tempfile::tempdir().unwrap();
    let fine = half_degree_run(dir.path());

    let refused = dir.path().join("refused");
    let o = compare(km, &fine, &refused, &[]);
    assert_one_line_error(&o, "different grids");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("180 x 360 cells of 1 degree"), "{stderr}");
    assert!(stderr.contains("360 x 720 cells of 0.5 degree"), "{stderr}");
    assert!(stderr.contains("--regrid majority"), "{stderr}");
    assert!(!refused.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("refused"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    let bad = compare(km, &fine, &refused, &["--regrid", "mean"]);
    assert_one_line_error(&bad, "--regrid");
    assert!(!refused.exists());

    let out = dir.path().join("regridded");
    let json = compare_ok(km, &fine, &out, &["--regrid", "majority"]);
    assert_eq!(json["regrid"]["regridded"], "b");
    // The majority of each 2 x 2 block of fine cells, ties to the lower label, computed here.
    let coarse = labels_csv(km);
    let mut votes: HashMap<(usize, usize), BTreeMap<usize, u32>> = HashMap::new();
    for (&(r, c), &l) in &labels_csv(&fine) {
        *votes.entry((r / 2, c / 2)).or_default().entry(l).or_default() += 1;
    }
    let mut table: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for (cell, v) in &votes {
        let best = v.values().max().unwrap();
        let majority = v.iter().find(|(_, n)| *n == best).map(|(l, _)| *l).unwrap();
        if let Some(&a) = coarse.get(cell) {
            *table.entry((a, majority)).or_default() += 1;
        }
    }
    let t = transitions(&out);
    let cells: BTreeMap<(usize, usize), u64> = t.iter().map(|(k, v)| (*k, v.0)).collect();
    assert_eq!(cells, table);
    let only_a = coarse.keys().filter(|c| !votes.contains_key(c)).count();
    let only_b = votes.keys().filter(|c| !coarse.contains_key(c)).count();
    assert_eq!(json["totals"]["only_a_cells"], only_a as u64);
    assert_eq!(json["totals"]["only_b_cells"], only_b as u64);
    // Swapped, A is the one regridded.
    let swapped = compare_ok(&fine, km, &dir.path().join("swapped"), &["--regrid", "majority"]);
    assert_eq!(swapped["regrid"]["regridded"], "a");
    assert_eq!(swapped["totals"]["shared_cells"], json["totals"]["shared_cells"]);
}

#[test]
fn out_may_not_replace_a_compared_run() {
    let (dir, km, ward) = demo_runs();
    let before = std::fs::read(km.join("labels.nc")).unwrap();
    let o = compare(km, ward, km, &[]);
    assert_one_line_error(&o, "--out");
    assert_eq!(std::fs::read(km.join("labels.nc")).unwrap(), before);
    let o = compare(km, ward, dir.path(), &[]);
    assert_one_line_error(&o, "--out");
    // A folder that is no run.
    let empty = tempfile::tempdir().unwrap();
    let o = compare(empty.path(), ward, &dir.path().join("x"), &[]);
    assert_one_line_error(&o, "no labels.nc");
    assert!(!dir.path().join("x").exists());
}
