//! Output-folder safety through the binary: `--out` never destroys a folder that is not
//! landclust's, reruns replace a run whole, and leftovers of interrupted runs do not pile up.
//! docs/guarantees.md states what these check.

use std::path::Path;
use std::process::Output;

mod common;
use common::{bin, demo_file};

/// A small, fast `run` of the demo file into `out` (from `cwd` when given).
fn quick_run(out: &str, k: &str, cwd: Option<&Path>, extra: &[&str]) -> Output {
    let mut cmd = bin();
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    cmd.env("RAYON_NUM_THREADS", "2")
        .args(["run", demo_file().to_str().unwrap()])
        .args(["--region=-20,40,-10,40", "--k", k, "--n-init", "1"])
        .args(["--no-figures", "--out", out])
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A refused `--out`: non-zero exit, one stderr line naming `--out` and `needle`.
fn assert_refused(o: &Output, needle: &str) {
    let text = stderr(o);
    assert!(!o.status.success(), "expected a refusal, got success");
    assert_eq!(text.trim_end().lines().count(), 1, "want one line: {text}");
    assert!(text.contains("--out") && text.contains(needle), "{text}");
}

fn k_of(dir: &Path) -> u64 {
    let text = std::fs::read_to_string(dir.join("metrics.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["k"].as_u64().unwrap()
}

#[test]
fn out_dot_and_its_ancestors_are_refused_and_the_working_folder_kept() {
    // Empty, holding a metrics.json, holding other files: none may be replaced by `--out .`.
    let root = tempfile::tempdir().unwrap();
    let cases: &[&[&str]] = &[&[], &["metrics.json"], &["metrics.json", "notes.txt"]];
    for (i, files) in cases.iter().enumerate() {
        let cwd = root.path().join(format!("cwd{i}"));
        std::fs::create_dir(&cwd).unwrap();
        for f in *files {
            std::fs::write(cwd.join(f), "mine").unwrap();
        }
        for out in [".", "./", "sub/..", ".."] {
            let o = quick_run(out, "3", Some(&cwd), &[]);
            assert_refused(&o, "working folder");
            let mut want: Vec<String> = files.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(names(&cwd), want, "--out {out} touched the working folder");
        }
    }
    assert_eq!(names(root.path()), ["cwd0", "cwd1", "cwd2"]);
}

#[test]
fn a_foreign_folder_with_metrics_json_is_refused_and_untouched() {
    let root = tempfile::tempdir().unwrap();
    let other = root.path().join("other-tool");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("metrics.json"), "{\"loss\": 0.1}").unwrap();
    std::fs::write(other.join("model.pt"), "weights").unwrap();
    let o = quick_run(other.to_str().unwrap(), "3", None, &[]);
    assert_refused(&o, "not a landclust output folder");
    assert_eq!(names(&other), ["metrics.json", "model.pt"]);
    assert_eq!(std::fs::read_to_string(other.join("model.pt")).unwrap(), "weights");
    assert_eq!(names(root.path()), ["other-tool"]);
}

#[test]
fn a_rerun_replaces_a_landclust_folder_and_an_empty_folder_is_used() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for k in ["3", "4"] {
        let o = quick_run(out.to_str().unwrap(), k, None, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(k_of(&out).to_string(), k);
        let marker = std::fs::read_to_string(out.join(".landclust")).unwrap();
        assert!(marker.starts_with("landclust "), "{marker}");
        assert!(marker.contains("run"), "{marker}");
        assert_eq!(names(root.path()), ["out"], "a leftover beside the target");
    }
}

#[test]
fn stale_leftovers_of_dead_processes_are_removed_by_the_next_run() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    // A PID above Linux's largest: the process that left these is certainly gone.
    let partial = root.path().join(".out.partial-99999999");
    std::fs::create_dir(&partial).unwrap();
    std::fs::write(partial.join("labels.csv"), "half-written").unwrap();
    let o = quick_run(out.to_str().unwrap(), "3", None, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(root.path()), ["out"]);
}

#[test]
fn an_old_run_stranded_aside_by_a_kill_is_put_back_when_the_next_run_fails() {
    // A kill between "old run renamed aside" and "new run renamed in" leaves the old run
    // whole as .out.old-PID; the next run into `out` restores it, even if that run fails.
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let o = quick_run(out.to_str().unwrap(), "3", None, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let aside = root.path().join(".out.old-99999999");
    std::fs::rename(&out, &aside).unwrap();
    let o = quick_run(out.to_str().unwrap(), "4", None, &["--vars", "NDVI,DHR666"]);
    assert!(!o.status.success());
    assert_eq!(k_of(&out), 3);
    assert_eq!(names(root.path()), ["out"]);
}

#[test]
fn a_failing_run_removes_the_parent_folders_it_created() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("a").join("b").join("out");
    let o = quick_run(out.to_str().unwrap(), "3", None, &["--vars", "NDVI,DHR666"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("DHR666"), "{}", stderr(&o));
    assert_eq!(names(root.path()), Vec::<String>::new());
}

#[cfg(target_os = "linux")]
#[test]
fn sigterm_and_sigint_remove_the_staging_folder() {
    use std::time::{Duration, Instant};
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("new").join("out");
        // Figures and the full grid: long enough to be caught while staging.
        let mut child = bin()
            .env("RAYON_NUM_THREADS", "1")
            .args(["run", demo_file().to_str().unwrap(), "--k", "8", "--n-init", "10"])
            .arg("--out")
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let parent = root.path().join("new");
        let start = Instant::now();
        let staged = loop {
            let found = parent.is_dir() && names(&parent).iter().any(|n| n.starts_with(".out.partial-"));
            if found || start.elapsed() > Duration::from_secs(60) {
                break found;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        assert!(staged, "the run ended before its staging folder was seen");
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert_eq!(names(root.path()), Vec::<String>::new(), "SIG{signal} left files");
    }
}
