//! Per-variable decoding given by the user (`--decode`, or `[decode.NAME]` in a config file):
//! an int16 product whose scale (1e-4) and no-data value (-999) are documented but not tagged
//! gives, with the override, the same clusters, z-scores and centres (in physical units) as the
//! float file it came from; without it, raw counts. A malformed override is one line, nothing
//! written; `inspect --decode` shows what will be applied.

mod common;
mod tiffgen;

use common::{assert_one_line_error, bin, demo_file, metrics, run_ok};
use tiffgen::{Keys, Samples, composite, demo_layers, quantize};

const VARS: [&str; 8] = [
    "NDVI",
    "DHR443",
    "DHR490",
    "DHR565",
    "DHR670",
    "DHR865",
    "DHR1020",
    "LandPercentage",
];
const SCALE: f64 = 1e-4;
const NODATA: i16 = -999;
/// The scaled variables (LandPercentage stays a float file).
const SCALED: [&str; 3] = ["NDVI", "DHR670", "DHR865"];

/// Inputs: the int16 composite and the float64 composite it decodes to exactly
/// (`stored * 1e-4`, as the reader computes it).
fn inputs(dir: &std::path::Path) -> (String, String) {
    let (shape, mut layers) = demo_layers(demo_file(), &VARS);
    for (name, values) in VARS.iter().zip(layers.iter_mut()) {
        if SCALED.contains(name) {
            for v in values.iter_mut() {
                let q = quantize(*v, SCALE, NODATA);
                *v = if q == NODATA {
                    f64::NAN
                } else {
                    f64::from(q) * SCALE + 0.0
                };
            }
        }
    }
    let int16 = composite(
        dir,
        "i",
        shape,
        &VARS,
        &layers,
        |n| {
            if SCALED.contains(&n) {
                Samples::I16 {
                    scale: SCALE,
                    nodata: NODATA,
                }
            } else {
                Samples::F64
            }
        },
        |_| Keys::wgs84(),
        1.0,
    );
    let float = composite(
        dir,
        "f",
        shape,
        &VARS,
        &layers,
        |_| Samples::F64,
        |_| Keys::wgs84(),
        1.0,
    );
    (int16, float)
}

fn run(input: &str, out: &std::path::Path, extra: &[&str]) {
    let mut args = vec![
        "run",
        input,
        "--k",
        "5",
        "--seed",
        "3",
        "--n-init",
        "2",
        "--no-figures",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    run_ok(&args, 2);
}

fn read(path: std::path::PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn scale_and_nodata_override_gives_the_float_files_results() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (int16, float) = inputs(d);
    run(&float, &d.join("float"), &[]);
    let decode: Vec<String> = SCALED.iter().map(|n| format!("{n}:scale=1e-4,nodata=-999")).collect();
    let mut flags = Vec::new();
    for item in &decode {
        flags.extend(["--decode", item.as_str()]);
    }
    run(&int16, &d.join("flags"), &flags);
    for name in ["labels.csv", "centers.csv"] {
        assert_eq!(
            read(d.join("flags").join(name)),
            read(d.join("float").join(name)),
            "{name}"
        );
    }
    let (mf, mi) = (metrics(&d.join("float")), metrics(&d.join("flags")));
    for key in [
        "n_points",
        "silhouette",
        "calinski_harabasz",
        "pca_explained_variance_ratio",
    ] {
        assert_eq!(mf[key], mi[key], "{key}");
    }
    assert_eq!(mi["settings"]["decode"]["NDVI"]["scale"], 1e-4);
    // The same from a config file's [decode.NAME] tables.
    let config = d.join("decode.toml");
    let tables: String = SCALED
        .iter()
        .map(|n| format!("[decode.{n}]\nscale = 1e-4\nnodata = -999\n"))
        .collect();
    std::fs::write(&config, tables).unwrap();
    run(&int16, &d.join("config"), &["--config", config.to_str().unwrap()]);
    assert_eq!(read(d.join("config/centers.csv")), read(d.join("float/centers.csv")));
    // The same written into the input: NAME=FILE?scale=1e-4&nodata=-999.
    let query: String = int16
        .split(',')
        .map(|item| {
            let name = item.split('=').next().unwrap();
            if SCALED.contains(&name) {
                format!("{item}?scale=1e-4&nodata=-999")
            } else {
                item.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    run(&query, &d.join("query"), &[]);
    assert_eq!(read(d.join("query/labels.csv")), read(d.join("float/labels.csv")));
    assert_eq!(read(d.join("query/centers.csv")), read(d.join("float/centers.csv")));
    let bad = query.replacen("scale=1e-4", "scale=x", 1);
    let out = bin()
        .args(["run", &bad, "--out", d.join("never").to_str().unwrap()])
        .output()
        .unwrap();
    assert_one_line_error(&out, "scale 'x' is not a number");
    assert!(!d.join("never").exists());
    // Without the override the no-data -999 is data and the centres are raw counts.
    run(&int16, &d.join("raw"), &[]);
    assert_ne!(read(d.join("raw/centers.csv")), read(d.join("float/centers.csv")));
    assert!(metrics(&d.join("raw"))["n_points"].as_u64() > mf["n_points"].as_u64());
}

#[test]
fn inspect_shows_the_decoding_and_bad_overrides_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (int16, _) = inputs(d);
    let out = bin()
        .args(["inspect", &int16, "--decode", "NDVI:scale=1e-4,nodata=-999,units=1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("decoding of NDVI set by --decode: scale 0.0001, nodata -999, units 1"),
        "{text}"
    );
    let ndvi = text.lines().find(|l| l.trim_start().starts_with("NDVI ")).unwrap();
    assert!(
        ndvi.contains("-999") && (ndvi.contains("1.0000e-4") || ndvi.contains("0.0001")),
        "{ndvi}"
    );
    // A netCDF variable too (the demo file), with the default study variables.
    let out = bin()
        .arg("inspect")
        .arg(demo_file())
        .args(["--decode", "NDVI:valid_min=0.2"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("decoding of NDVI set by --decode: valid_min 0.2"));

    let never = d.join("never");
    for (decode, needle) in [
        (
            "NDVI:scale=abc",
            "option --decode: 'NDVI:scale=abc': scale 'abc' is not a number",
        ),
        ("NDVI", "no ':' after the variable name"),
        ("NDVI:gain=2", "unknown key 'gain'"),
        (
            "NOPE:scale=2",
            "variable NOPE: --decode names none of the input's variables",
        ),
    ] {
        let out = bin()
            .args(["run", &int16, "--decode", decode, "--out", never.to_str().unwrap()])
            .output()
            .unwrap();
        assert_one_line_error(&out, needle);
        assert!(!never.exists(), "nothing written for {decode}");
    }
    let out = bin()
        .arg("run")
        .arg(demo_file())
        .args(["--decode", "NDVJ:scale=2", "--out", never.to_str().unwrap()])
        .output()
        .unwrap();
    assert_one_line_error(&out, "did you mean NDVI");
}

#[test]
fn a_file_without_the_study_variables_says_which_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let (shape, layers) = demo_layers(demo_file(), &["DHR670", "DHR865"]);
    let input = composite(
        dir.path(),
        "x",
        shape,
        &["red", "nir"],
        &layers,
        |_| Samples::F32,
        |_| Keys::wgs84(),
        1.0,
    );
    let out = bin()
        .args(["run", &input, "--out", dir.path().join("o").to_str().unwrap()])
        .output()
        .unwrap();
    assert_one_line_error(
        &out,
        "has no NDVI; its variables: red, nir; choose some with --vars red,nir",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("it has no LandPercentage either: add --select all"),
        "{stderr}"
    );
}
