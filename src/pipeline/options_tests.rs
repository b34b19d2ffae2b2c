use super::*;
use crate::pipeline::config::KChoice;

fn table(text: &str) -> toml::Table {
    toml::from_str(text).unwrap()
}

#[test]
fn config_file_keys_are_flags_with_dash_or_underscore() {
    let o = RunOptions::from_table(table(
        "input = \"x.nc\"\nk = 7\nreduce = \"pca:3\"\nvars = [\"NDVI\"]\nbatch-size = 128\nward_micro = 50\n\
         figures = false\ndeep-arch = \"paper\"\nmax-memory = 4000000000",
    ))
    .unwrap();
    assert_eq!(o.k.as_deref(), Some("7"));
    assert_eq!(o.batch_size, Some(128));
    assert_eq!(o.ward_micro, Some(50));
    assert_eq!(o.deep.deep_arch.as_deref(), Some("paper"));
    let cfg = o.resolve().unwrap();
    assert_eq!(cfg.k, KChoice::Fixed(7));
    assert_eq!(cfg.reduce, Reduce::Pca(3));
    assert_eq!(cfg.vars, vec!["NDVI"]);
    assert_eq!(cfg.vae.batch_size, 128);
    assert_eq!(cfg.scale.ward_micro, 50);
    assert!(!cfg.figures);
    assert_eq!(cfg.deep.architecture, crate::cluster::deep::Architecture::Paper);
    assert_eq!(cfg.max_memory.map(MemoryLimit::bytes), Some(4_000_000_000));
}

#[test]
fn unknown_twice_and_mistyped_keys_are_named() {
    let e = RunOptions::from_table(table("kk = 7")).unwrap_err().to_string();
    assert!(
        e.starts_with("option kk: unknown option (expected one of: input, vars,"),
        "{e}"
    );
    assert!(!e.contains('\n'));
    for flag_only in ["no-figures = true", "config = \"a.toml\""] {
        assert!(RunOptions::from_table(table(flag_only)).is_err(), "{flag_only}");
    }
    let e = RunOptions::from_table(table("k-max = 3\nk_max = 4"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("given twice"), "{e}");
    let e = RunOptions::from_table(table("k-max = \"x\"")).unwrap_err().to_string();
    assert!(e.starts_with("option --k-max: invalid type: string \"x\""), "{e}");
    let e = RunOptions::from_table(table("k = 7.5")).unwrap_err().to_string();
    assert!(e.starts_with("option --k: "), "{e}");
}

#[test]
fn every_flag_is_a_key() {
    let keys = RunOptions::keys();
    for key in [
        "input",
        "figures",
        "k-rule",
        "gmm-covariance",
        "max-memory",
        "dcss-memberships",
        "deep-lr",
    ] {
        assert!(keys.contains(&key.to_string()), "{key}");
    }
    assert!(!keys.iter().any(|k| k == "no-figures" || k == "config"));
}

#[test]
fn flags_win_over_the_file_and_the_file_over_defaults() {
    let file = RunOptions::from_table(table(
        "input = \"a.nc\"\nk = 7\nseed = 3\nfigures = true\ngamma = 0.5\nregion = \"europe\"",
    ))
    .unwrap();
    let flags = RunOptions {
        k: Some("auto".into()),
        no_figures: true,
        deep: DeepOptions {
            tol: Some(0.01),
            ..DeepOptions::default()
        },
        ..RunOptions::default()
    };
    let cfg = file.overlay(flags).resolve().unwrap();
    assert_eq!(cfg.input, PathBuf::from("a.nc"));
    assert_eq!(cfg.k, KChoice::Auto);
    assert_eq!(cfg.seed, 3);
    assert!(!cfg.figures);
    assert_eq!(cfg.deep.gamma, Some(0.5));
    assert_eq!(cfg.deep.tol, 0.01);
    assert_eq!(cfg.region.as_ref().map(|r| r.to_string()).as_deref(), Some("europe"));
    assert_eq!(cfg.n_init, 10, "a default stays");
}

#[test]
fn bad_values_read_the_same_from_every_source() {
    let cases = [
        ("k", "x", "option --k: 'x': expected a positive integer or auto"),
        ("reduce", "pca:0", "option --reduce: 'pca:0'"),
        ("region", "1,2,3", "option --region: '1,2,3'"),
        ("max-memory", "12XB", "option --max-memory: '12XB'"),
        ("method", "dbscan", "option --method: 'dbscan'"),
        ("k-rule", "best", "option --k-rule: 'best'"),
        ("gmm-covariance", "tied", "option --gmm-covariance: 'tied'"),
        ("deep-arch", "wide", "option --deep-arch: 'wide'"),
        ("dcss-memberships", "soft", "option --dcss-memberships: 'soft'"),
        ("select", "lake", "option --select"),
    ];
    for (key, value, start) in cases {
        let from_file = RunOptions::from_table(table(&format!("input = \"a.nc\"\n{key} = \"{value}\"")))
            .unwrap()
            .resolve()
            .unwrap_err()
            .to_string();
        let json = serde_json::json!({ "input": "a.nc", key.replace('-', "_"): value });
        let from_json = RunOptions::from_json(&json.to_string())
            .unwrap()
            .resolve()
            .unwrap_err()
            .to_string();
        assert!(from_file.starts_with(start), "{key}: {from_file}");
        assert_eq!(from_file, from_json, "{key}");
    }
}

#[test]
fn numeric_ranges_are_checked() {
    for (key, value, needle) in [
        ("n-init", 0, "option --n-init: 0: must be at least 1"),
        ("ward-micro", 1, "option --ward-micro: 1: must be at least 2"),
        ("silhouette-sample", 1, "option --silhouette-sample"),
        ("vae-train-max", 0, "option --vae-train-max"),
        ("k-max", 0, "option --k-max"),
    ] {
        let e = RunOptions::from_table(table(&format!("input = \"a.nc\"\n{key} = {value}")))
            .unwrap()
            .resolve()
            .unwrap_err()
            .to_string();
        assert!(e.starts_with(needle), "{key}: {e}");
    }
    let e = RunOptions::default().resolve().unwrap_err().to_string();
    assert!(e.contains("no input file"), "{e}");
}

#[test]
fn json_nulls_are_not_given() {
    let o = RunOptions::from_json(r#"{"input": "a.nc", "region": null, "k": 4, "figures": true}"#).unwrap();
    assert_eq!(o.region, None);
    let cfg = o.resolve().unwrap();
    assert_eq!(cfg.k, KChoice::Fixed(4));
    assert!(cfg.region.is_none() && cfg.figures);
}

#[test]
fn names_are_canonical_once_parsed() {
    let o = RunOptions::from_table(table(
        "input = \"x.nc\"\nvars = [\" NDVI\", \"AOD565[ 3 ]\", \"AOD865 : mean\"]\ntruth = \" SurfaceClass \"",
    ))
    .unwrap();
    let cfg = o.resolve().unwrap();
    assert_eq!(cfg.vars, vec!["NDVI", "AOD565[3]", "AOD865:mean"]);
    assert_eq!(cfg.truth, vec!["SurfaceClass"]);
    let bad = RunOptions::from_table(table("input = \"x.nc\"\nvars = [\"NDVI[x]\"]")).unwrap();
    assert!(bad.resolve().unwrap_err().to_string().contains("NDVI[x]"));
}

#[test]
fn truth_is_one_name_or_a_list_in_a_file() {
    let one = RunOptions::from_table(table("input = \"x.nc\"\ntruth = \"SurfaceClass\"")).unwrap();
    assert_eq!(one.resolve().unwrap().truth, vec!["SurfaceClass"]);
    let many =
        RunOptions::from_table(table("input = \"x.nc\"\ntruth = [\"SurfaceClass\", \" KoppenGeiger\"]")).unwrap();
    assert_eq!(many.resolve().unwrap().truth, vec!["SurfaceClass", "KoppenGeiger"]);
    let none = RunOptions::from_table(table("input = \"x.nc\"")).unwrap();
    assert!(none.resolve().unwrap().truth.is_empty());
}
