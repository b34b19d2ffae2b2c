//! What each cluster is, end to end on the demo with two reference maps (SurfaceClass and
//! KoppenGeiger, both named by CF flag_meanings): metrics.json `truths`, clusters.csv against
//! metrics.json and centers.csv, the names in labels.nc (`flag_meanings`) and beside labels.tif
//! (GDAL's PAM category names), `--names` and `--truth-names`, and their errors.

mod common;

use common::{assert_one_line_error, bin, demo_file, metrics, run_ok};
use std::collections::BTreeMap;
use std::path::Path;

fn run_demo(out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "--quiet",
        "run",
        demo_file().to_str().unwrap(),
        "--k",
        "6",
        "--truth",
        "SurfaceClass",
        "--truth",
        "KoppenGeiger",
        "--no-figures",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run_ok(&args, 2);
    metrics(out)
}

/// clusters.csv as one map per row, header -> value.
fn clusters_csv(out: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(out.join("clusters.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap()
}

fn flag_meanings(out: &Path) -> (Vec<i64>, Vec<String>) {
    let nc = netcdf_reader::NcFile::open(out.join("labels.nc")).unwrap();
    let var = nc.variable("cluster").unwrap();
    let values = var
        .attribute("flag_values")
        .unwrap()
        .value
        .as_f64_vec()
        .unwrap()
        .iter()
        .map(|&v| v as i64)
        .collect();
    let meanings = var.attribute("flag_meanings").unwrap().value.as_string().unwrap();
    (values, meanings.split_whitespace().map(str::to_string).collect())
}

fn categories(out: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(out.join("labels.tif.aux.xml")).unwrap();
    text.lines()
        .filter_map(|l| {
            Some(
                l.trim()
                    .strip_prefix("<Category>")?
                    .strip_suffix("</Category>")?
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn two_reference_maps_name_every_cluster_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let m = run_demo(&out, &[]);
    let truths = m["truths"].as_array().unwrap();
    assert_eq!(truths.len(), 2);
    assert_eq!(truths[0]["variable"], "SurfaceClass");
    assert_eq!(truths[1]["variable"], "KoppenGeiger");
    // The first truth stays where one-truth readers look for it.
    assert_eq!(m["truth"], truths[0]);
    assert_eq!(m["ari"], truths[0]["ari"]);
    assert_eq!(
        m["settings"]["truth"],
        serde_json::json!(["SurfaceClass", "KoppenGeiger"])
    );
    // Class names come from the file's flag_meanings.
    let class_names = |t: &serde_json::Value| -> Vec<String> {
        t["class_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    assert!(class_names(&truths[0]).contains(&"sand_desert".to_string()));
    assert!(class_names(&truths[1]).contains(&"BWh".to_string()));
    for t in truths {
        let a = &t["agreement_area_weighted"];
        assert!(f(&a["overall_accuracy"]) > 0.0 && f(&a["overall_accuracy"]) <= 1.0);
        assert!(f(&t["nmi"]) > 0.0);
    }

    let rows = clusters_csv(&out);
    let names: Vec<String> = m["cluster_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().into())
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(names.len(), 6);
    let centers = std::fs::read_to_string(out.join("centers.csv")).unwrap();
    let center_rows: Vec<Vec<String>> = centers
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let vars: Vec<String> = center_rows[0][4..].to_vec();
    for (c, row) in rows.iter().enumerate() {
        assert_eq!(row["cluster"], c.to_string());
        assert_eq!(row["cells"], m["cluster_sizes"][c].to_string());
        let km2: f64 = row["area_km2"].parse().unwrap();
        assert!((km2 - f(&m["area"]["cluster_km2"][c])).abs() <= 1e-9 * km2);
        // Without --names the proposed name is the name, and it is what metrics.json records.
        assert_eq!(row["name"], row["proposed_name"]);
        assert_eq!(row["name"], names[c]);
        // The dominant class of each truth is the largest km2 cell of its contingency row.
        for t in truths {
            let v = t["variable"].as_str().unwrap();
            let km2_row: Vec<f64> = t["contingency_km2"][c].as_array().unwrap().iter().map(f).collect();
            let total: f64 = km2_row.iter().sum();
            let (best, max) = km2_row
                .iter()
                .enumerate()
                .fold((0, f64::MIN), |b, (j, &x)| if x > b.1 { (j, x) } else { b });
            assert_eq!(row[&format!("{v}_class")], class_names(t)[best], "cluster {c} {v}");
            assert_eq!(row[&format!("{v}_value")], t["classes"][best].to_string());
            let share: f64 = row[&format!("{v}_share")].parse().unwrap();
            assert!(
                (share - max / total).abs() < 1e-12,
                "cluster {c} {v}: {share} vs {}",
                max / total
            );
        }
        // The proposed name starts from the first truth's dominant class and its share.
        let share: f64 = row["SurfaceClass_share"].parse().unwrap();
        let start = format!("SurfaceClass {} {:.0} %", row["SurfaceClass_class"], share * 100.0);
        assert!(names[c].starts_with(&start), "{} vs {start}", names[c]);
        let top: Vec<f64> = (1..=3)
            .map(|i| row[&format!("top{i}_z")].parse::<f64>().unwrap().abs())
            .collect();
        assert!(top[0] >= top[1] && top[1] >= top[2], "{top:?}");
        let word = if row["top1_z"].parse::<f64>().unwrap() >= 0.0 {
            "high"
        } else {
            "low"
        };
        assert!(
            names[c].contains(&format!("{} {word}", row["top1_variable"])),
            "{}",
            names[c]
        );
        // The centres are centers.csv's, in original units.
        for (j, v) in vars.iter().enumerate() {
            assert_eq!(row[v], center_rows[c + 1][4 + j], "cluster {c} {v}");
        }
    }

    // labels.nc and labels.tif carry the names.
    let (values, meanings) = flag_meanings(&out);
    assert_eq!(values, (0..6).collect::<Vec<_>>());
    assert_eq!(meanings.len(), 6);
    assert!(meanings[0].starts_with("SurfaceClass_"), "{meanings:?}");
    assert!(
        meanings.iter().all(|w| !w.contains('%') && !w.contains(',')),
        "{meanings:?}"
    );
    assert_eq!(categories(&out), names);
}

#[test]
fn the_users_names_and_class_names_win() {
    let dir = tempfile::tempdir().unwrap();
    let names = dir.path().join("names.toml");
    std::fs::write(&names, "[names]\n0 = \"desert\"\ncluster_3 = \"boreal forest & co\"\n").unwrap();
    let classes = dir.path().join("koppen.csv");
    std::fs::write(&classes, "code,name\n7,\"hot desert, BWh\"\n").unwrap();
    let out = dir.path().join("out");
    let koppen = format!("KoppenGeiger={}", classes.display());
    let m = run_demo(&out, &["--names", names.to_str().unwrap(), "--truth-names", &koppen]);
    let cluster_names = m["cluster_names"].as_array().unwrap();
    assert_eq!(cluster_names[0], "desert");
    assert_eq!(cluster_names[3], "boreal forest & co");
    let koppen_names = m["truths"][1]["class_names"].as_array().unwrap();
    assert!(koppen_names.contains(&serde_json::json!("hot desert, BWh")));
    // The other zones keep the file's names.
    assert!(koppen_names.contains(&serde_json::json!("Cfb")));
    let rows = clusters_csv(&out);
    assert_eq!(rows[0]["name"], "desert");
    assert_ne!(rows[0]["proposed_name"], "desert");
    assert_eq!(rows[1]["name"], rows[1]["proposed_name"]);
    let (_, meanings) = flag_meanings(&out);
    assert_eq!(meanings[0], "desert");
    assert_eq!(meanings[3], "boreal_forest_co");
    let cats = categories(&out);
    assert_eq!(cats[3], "boreal forest &amp; co");
}

#[test]
fn bad_names_files_are_one_line_naming_the_file_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let beyond = write("beyond.toml", "[names]\n9 = \"nowhere\"\n");
    let syntax = write("syntax.toml", "[names\n0 = \"x\"\n");
    let classes = write("classes.csv", "1,Af\nseven,BWh\n");
    let demo = demo_file().to_str().unwrap().to_string();
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec!["--names".into(), beyond.display().to_string()],
            "beyond.toml: names cluster 9 but the run has k = 6".into(),
        ),
        (
            vec!["--names".into(), syntax.display().to_string()],
            "syntax.toml".into(),
        ),
        (
            vec!["--truth-names".into(), format!("KoppenGeiger={}", classes.display())],
            "classes.csv: line 2".into(),
        ),
        (
            vec!["--truth-names".into(), classes.display().to_string()],
            "say which one: --truth-names VAR=FILE".into(),
        ),
        (
            vec!["--truth-names".into(), format!("NDVI={}", classes.display())],
            "NDVI is not a --truth variable".into(),
        ),
    ];
    for (i, (extra, needle)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        let output = bin()
            .args([
                "--quiet",
                "run",
                &demo,
                "--k",
                "6",
                "--truth",
                "SurfaceClass",
                "--truth",
                "KoppenGeiger",
            ])
            .args(["--no-figures", "--out", out.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        assert_one_line_error(&output, needle);
        assert!(!out.exists(), "{extra:?} left {}", out.display());
    }
}
