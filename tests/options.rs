//! One definition of a run's options: the same run given as flags or as a `--config` file
//! writes the same metrics.json, a bad value reads the same from either, and every command's
//! `--help` documents every option it accepts.

use clap::CommandFactory;
use std::path::Path;
use std::process::Output;

mod common;
use common::{bin, demo_file};

fn landclust(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// metrics.json without what differs between two runs of the same settings: timings and paths.
fn comparable(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !matches!(k.as_str(), "seconds" | "input" | "out") && !k.ends_with("_seconds"))
                .map(|(k, v)| (k, comparable(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(comparable).collect()),
        other => other,
    }
}

fn metrics(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap()
}

fn assert_ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn flags_and_config_file_make_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_file().to_str().unwrap();
    let by_flags = dir.path().join("flags");
    let o = landclust(&[
        "-q",
        "run",
        demo,
        "--vars",
        "NDVI, DHR670,DHR865",
        "--reduce",
        "pca:2",
        "--k",
        "4",
        "--k-max",
        "8",
        "--n-init",
        "2",
        "--seed",
        "7",
        "--region",
        " africa",
        "--max-memory",
        "2GB",
        "--silhouette-exact-max",
        "1000",
        "--silhouette-sample",
        "400",
        "--k-rule",
        "bic",
        "--gmm-covariance",
        "diag",
        "--deep-arch",
        "16,8",
        "--dcss-memberships",
        "student-t",
        "--no-figures",
        "--out",
        by_flags.to_str().unwrap(),
    ]);
    assert_ok(&o);
    let by_file = dir.path().join("file");
    let config = dir.path().join("run.toml");
    // `_` and `-` spell the same key; `k` and `max-memory` may be numbers.
    std::fs::write(
        &config,
        format!(
            "input = {demo:?}\nout = {out:?}\nvars = [\"NDVI\", \" DHR670\", \"DHR865\"]\nreduce = \"pca:2\"\n\
             k = 4\nk_max = 8\nn-init = 2\nseed = 7\nregion = \"africa\"\nmax_memory = 2000000000\n\
             silhouette-exact-max = 1000\nsilhouette_sample = 400\nk-rule = \"bic\"\n\
             gmm_covariance = \"diag\"\ndeep-arch = \"16, 8\"\ndcss_memberships = \"student-t\"\n\
             figures = false\n",
            out = by_file.to_str().unwrap()
        ),
    )
    .unwrap();
    assert_ok(&landclust(&["-q", "run", "--config", config.to_str().unwrap()]));
    let (a, b) = (metrics(&by_flags), metrics(&by_file));
    let settings = &a["settings"];
    assert_eq!(settings["region"], "africa");
    assert_eq!(settings["max_memory"], 2_000_000_000u64);
    assert_eq!(settings["k_rule"], "bic");
    assert_eq!(settings["gmm_covariance"], "diag");
    assert_eq!(settings["deep"]["architecture"], "16,8");
    assert_eq!(settings["vars"], serde_json::json!(["NDVI", "DHR670", "DHR865"]));
    assert_eq!(comparable(a.clone()), comparable(b));
    // Flags win over the file: the same file with --k 3 is another run.
    let over = dir.path().join("over");
    assert_ok(&landclust(&[
        "-q",
        "run",
        "--config",
        config.to_str().unwrap(),
        "--k",
        "3",
        "--out",
        over.to_str().unwrap(),
    ]));
    let c = metrics(&over);
    assert_eq!((c["k"].as_u64(), c["settings"]["seed"].as_u64()), (Some(3), Some(7)));
    assert!(
        !over.join("report.html").exists(),
        "figures = false of the file was kept"
    );
}

/// The one stderr line of a failed command, without the program's prefix.
fn error_line(o: &Output) -> String {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "expected a failure");
    assert_eq!(stderr.trim_end().lines().count(), 1, "want one line, got: {stderr}");
    stderr.trim_end().trim_start_matches("landclust: error: ").to_string()
}

#[test]
fn a_bad_value_reads_the_same_from_flags_and_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_file().to_str().unwrap();
    let out = dir.path().join("out");
    let cases = [
        ("k", "x", "option --k: 'x': expected a positive integer or auto"),
        ("region", "1,2,3", "option --region: '1,2,3': expected 4 numbers"),
        ("max-memory", "12XB", "option --max-memory: '12XB': unknown unit"),
        ("reduce", "pca:0", "option --reduce: 'pca:0': expected none, pca:N"),
        ("method", "dbscan", "option --method: 'dbscan'"),
        ("k-rule", "best", "option --k-rule: 'best': expected gap, bic or aic"),
        (
            "gmm-covariance",
            "tied",
            "option --gmm-covariance: 'tied': expected full or diag",
        ),
        ("deep-arch", "16,x", "option --deep-arch: '16,x'"),
    ];
    for (i, (key, value, start)) in cases.into_iter().enumerate() {
        let flag = format!("--{key}");
        let from_flag = error_line(&landclust(&["run", demo, &flag, value, "--out", out.to_str().unwrap()]));
        assert!(from_flag.starts_with(start), "{key}: {from_flag}");
        let config = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&config, format!("{} = {value:?}\n", key.replace('-', "_"))).unwrap();
        let from_file = error_line(&landclust(&[
            "run",
            demo,
            "--config",
            config.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]));
        assert_eq!(from_flag, from_file, "{key}");
        assert!(!out.exists());
    }
    // A key that is no option is refused in one line naming it (and the file).
    let config = dir.path().join("unknown.toml");
    std::fs::write(&config, "k = 3\nclusters = 4\n").unwrap();
    let line = error_line(&landclust(&["run", demo, "--config", config.to_str().unwrap()]));
    assert!(
        line.starts_with("option clusters: unknown option (expected one of: input, vars"),
        "{line}"
    );
    // A number clap cannot parse is one line too, named as the file names it.
    let line = error_line(&landclust(&["run", demo, "--k-max", "many"]));
    assert_eq!(line, "option --k-max: 'many': invalid digit found in string");
    std::fs::write(&config, "k-max = \"many\"\n").unwrap();
    let line = error_line(&landclust(&["run", demo, "--config", config.to_str().unwrap()]));
    assert!(
        line.starts_with("option --k-max: invalid type: string \"many\""),
        "{line}"
    );
}

#[test]
fn every_option_of_every_command_is_in_its_help() {
    let mut cli = landclust::cli::args::Cli::command();
    cli.build();
    let mut checked = 0;
    for sub in cli.get_subcommands_mut() {
        let name = sub.get_name().to_string();
        let help = sub.render_long_help().to_string();
        for arg in sub.get_arguments() {
            let id = arg.get_id().as_str();
            let text = arg
                .get_long_help()
                .or(arg.get_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(!text.trim().is_empty(), "`{name}` option {id} has no help");
            match arg.get_long() {
                Some(long) => assert!(help.contains(&format!("--{long}")), "`{name} --help` lacks --{long}"),
                None => {
                    let value = arg.get_value_names().and_then(|v| v.first()).map(|v| v.to_string());
                    let shown = value.unwrap_or_else(|| id.to_uppercase());
                    assert!(help.contains(&shown), "`{name} --help` lacks {shown}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} arguments walked");
    // The options of a run are its config keys too: each is documented in `run --help`.
    let run_help = cli.find_subcommand_mut("run").unwrap().render_long_help().to_string();
    for key in landclust::pipeline::options::RunOptions::keys() {
        let shown = match key.as_str() {
            "input" => "FILE".to_string(),
            "figures" => "--no-figures".to_string(),
            flag => format!("--{flag}"),
        };
        assert!(run_help.contains(&shown), "run --help lacks {shown}");
    }
}

/// A runaway value is echoed as its first 80 characters and its size, from a flag, a config
/// file (where a 20 MB value fits) and clap's own errors; the line stays short.
#[test]
fn a_huge_option_value_is_echoed_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_file().to_str().unwrap();
    let out = dir.path().join("out");
    let huge = "x".repeat(20_000_000);
    let config = dir.path().join("huge.toml");
    std::fs::write(&config, format!("reduce = \"{huge}\"\n")).unwrap();
    let from_file = error_line(&landclust(&["run", demo, "--config", config.to_str().unwrap()]));
    // One argument may hold at most 128 kB on Linux.
    let long = "y".repeat(100_000);
    let from_flag = error_line(&landclust(&[
        "run",
        demo,
        "--reduce",
        &long,
        "--out",
        out.to_str().unwrap(),
    ]));
    let from_clap = error_line(&landclust(&["run", demo, "--k-max", &long]));
    let bad_spec = error_line(&landclust(&["run", demo, "--vars", &format!("{long}]")]));
    for (line, size) in [
        (&from_file, 20_000_000),
        (&from_flag, 100_000),
        (&from_clap, 100_000),
        (&bad_spec, 100_001),
    ] {
        assert!(line.len() < 1000, "{} bytes: {}...", line.len(), &line[..200]);
        assert!(line.contains(&format!("… ({size} bytes)")), "{line}");
    }
    assert!(from_flag.starts_with("option --reduce: 'yyyy"), "{from_flag}");
    // clap's errors with usage (an argument it cannot place) are shortened as well.
    let o = landclust(&["run", demo, &long]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        stderr.len() < 2000 && stderr.contains("… (100000 bytes)"),
        "{}",
        &stderr[..200.min(stderr.len())]
    );
    assert!(!out.exists());
}

/// `--vars NDVI,NDVI,...` (200 copies) is refused in one line naming the variable; nothing is
/// written.
#[test]
fn a_variable_given_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let vars = vec!["NDVI"; 200].join(",");
    let line = error_line(&landclust(&[
        "run",
        demo_file().to_str().unwrap(),
        "--vars",
        &vars,
        "--out",
        out.to_str().unwrap(),
    ]));
    assert_eq!(
        line,
        "option --vars: NDVI is given more than once: name each variable once"
    );
    // The canonical spelling counts: ` NDVI` is NDVI.
    let line = error_line(&landclust(&[
        "elbow",
        demo_file().to_str().unwrap(),
        "--vars",
        "NDVI,DHR443, NDVI",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(line.contains("NDVI is given more than once"), "{line}");
    assert!(!out.exists());
}
