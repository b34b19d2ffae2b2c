use super::*;

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A PID above Linux's largest (2^22), so never a live process.
const DEAD_PID: u32 = 99_999_999;

/// A finished landclust run in `dir` holding `metrics` as its metrics.json.
fn landclust_run(dir: &Path, metrics: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(OWNER_FILE), owner_text()).unwrap();
    fs::write(dir.join(MARKER), metrics).unwrap();
}

#[test]
fn dropped_stage_leaves_nothing_and_commit_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    {
        let stage = StagedDir::new(&target).unwrap();
        fs::write(stage.join("a.txt"), "x").unwrap();
    }
    assert_eq!(names(dir.path()), Vec::<String>::new());
    let stage = StagedDir::new(&target).unwrap();
    fs::write(stage.join(MARKER), "{}").unwrap();
    stage.commit().unwrap();
    assert!(target.join(MARKER).exists());
    assert!(is_landclust_folder(&target));
    let stage = StagedDir::new(&target).unwrap();
    stage.commit().unwrap();
    assert!(!target.join(MARKER).exists(), "the old run was not replaced");
    assert_eq!(names(dir.path()), ["out"], "a leftover beside the target");
    fs::write(dir.path().join("file"), "x").unwrap();
    assert!(StagedDir::new(&dir.path().join("file")).is_err());
}

#[test]
fn the_owner_file_names_version_and_command() {
    let text = owner_text();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(format!("landclust {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    assert!(lines.next().is_some_and(|l| l.starts_with("command: ")));
}

#[test]
fn staging_is_never_inside_a_target_named_through_dot_dot() {
    // `root/sub/..` is `root` itself: the staging folder must go beside it, not into it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    fs::create_dir(&root).unwrap();
    let stage = StagedDir::new(&root.join("sub").join("..")).unwrap();
    let root_abs = fs::canonicalize(&root).unwrap();
    assert!(
        !stage.path().starts_with(&root_abs),
        "staging {} inside the target",
        stage.path().display()
    );
    fs::write(stage.join(MARKER), "{}").unwrap();
    let written = stage.commit().unwrap();
    assert_eq!(written, root.join("sub").join(".."));
    assert_eq!(names(&root), [OWNER_FILE, MARKER]);
    assert_eq!(names(dir.path()), ["root"]);
}

#[test]
fn the_working_folder_and_its_ancestors_are_refused() {
    let cwd = std::env::current_dir().unwrap();
    for target in [cwd.clone(), cwd.join("."), cwd.parent().unwrap().to_path_buf()] {
        let err = StagedDir::new(&target).unwrap_err().to_string();
        assert!(err.contains("--out"), "{err}");
        assert!(err.contains("working folder"), "{err}");
    }
    let err = StagedDir::new(Path::new("/")).unwrap_err().to_string();
    assert!(err.contains("--out") && err.contains("root folder"), "{err}");
}

#[test]
fn a_foreign_folder_with_metrics_json_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other-tool");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("metrics.json"), "{}").unwrap();
    fs::write(other.join("model.pt"), "weights").unwrap();
    let err = StagedDir::new(&other).unwrap_err().to_string();
    assert!(
        err.contains("--out") && err.contains("not a landclust output folder"),
        "{err}"
    );
    assert_eq!(names(&other), ["metrics.json", "model.pt"]);
    assert_eq!(names(dir.path()), ["other-tool"], "a staging folder was made");
    // A forged marker that landclust did not write does not count either.
    fs::write(other.join(OWNER_FILE), "something else").unwrap();
    assert!(StagedDir::new(&other).is_err());
}

#[test]
fn an_empty_existing_folder_may_be_used() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("empty");
    fs::create_dir(&target).unwrap();
    let stage = StagedDir::new(&target).unwrap();
    fs::write(stage.join(MARKER), "{}").unwrap();
    stage.commit().unwrap();
    assert_eq!(names(&target), [OWNER_FILE, MARKER]);
}

#[test]
fn a_folder_that_turned_foreign_during_the_run_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let stage = StagedDir::new(&target).unwrap();
    fs::create_dir(&target).unwrap();
    fs::write(target.join("notes.txt"), "mine").unwrap();
    assert!(stage.commit().is_err());
    assert_eq!(names(&target), ["notes.txt"]);
    assert_eq!(names(dir.path()), ["out"]);
}

#[test]
fn leftovers_of_dead_processes_are_removed_and_live_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    landclust_run(&target, "{\"run\": \"old\"}");
    let dead_partial = dir.path().join(leftover_name("out", PARTIAL, DEAD_PID));
    let dead_old = dir.path().join(leftover_name("out", OLD, DEAD_PID));
    // PID 1 (init) is always alive.
    let live_partial = dir.path().join(leftover_name("out", PARTIAL, 1));
    // Same shape as a leftover but neither marked nor empty: not ours, never deleted.
    let stray_old = dir.path().join(leftover_name("out", OLD, DEAD_PID - 1));
    let other_target = dir.path().join(leftover_name("other", PARTIAL, DEAD_PID));
    fs::create_dir(&dead_partial).unwrap();
    fs::write(dead_partial.join("labels.csv"), "half").unwrap();
    landclust_run(&dead_old, "{}");
    fs::create_dir(&live_partial).unwrap();
    fs::create_dir(&stray_old).unwrap();
    fs::write(stray_old.join("keep.txt"), "x").unwrap();
    fs::create_dir(&other_target).unwrap();
    let stage = StagedDir::new(&target).unwrap();
    assert!(!dead_partial.exists(), "dead staging folder kept");
    assert!(!dead_old.exists(), "dead old run kept");
    if Path::new("/proc/self").exists() {
        assert!(live_partial.exists(), "a live process's staging folder removed");
    }
    assert!(stray_old.join("keep.txt").exists());
    assert!(other_target.exists(), "another target's leftover removed");
    stage.commit().unwrap();
}

#[test]
fn an_old_run_orphaned_between_the_two_renames_is_put_back() {
    // A kill after the old run was renamed aside and before the new one was renamed in.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let aside = dir.path().join(leftover_name("out", OLD, DEAD_PID));
    landclust_run(&aside, "{\"run\": \"old\"}");
    drop(StagedDir::new(&target).unwrap());
    assert_eq!(fs::read_to_string(target.join(MARKER)).unwrap(), "{\"run\": \"old\"}");
    assert_eq!(names(dir.path()), ["out"]);
}

#[test]
fn commit_leaves_no_old_run_aside() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    landclust_run(&target, "{\"run\": \"old\"}");
    let stage = StagedDir::new(&target).unwrap();
    fs::write(stage.join(MARKER), "{\"run\": \"new\"}").unwrap();
    stage.commit().unwrap();
    assert_eq!(fs::read_to_string(target.join(MARKER)).unwrap(), "{\"run\": \"new\"}");
    assert_eq!(names(dir.path()), ["out"]);
    assert!(registry().iter().all(|p| !p.staging.starts_with(dir.path())));
}

#[test]
fn a_failed_run_removes_the_parent_folders_it_created() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("a")).unwrap();
    let target = dir.path().join("a").join("b").join("c").join("out");
    {
        let stage = StagedDir::new(&target).unwrap();
        assert!(dir.path().join("a/b/c").is_dir());
        fs::write(stage.join("half.csv"), "x").unwrap();
    }
    assert_eq!(names(dir.path()), ["a"], "the existing parent must stay");
    assert_eq!(names(&dir.path().join("a")), Vec::<String>::new());
    // A committed run keeps them.
    let stage = StagedDir::new(&target).unwrap();
    stage.commit().unwrap();
    assert!(target.is_dir());
}

#[test]
fn a_signal_removes_what_the_live_stage_made() {
    // What the SIGINT/SIGTERM handler does for each registered stage, short of exiting.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new").join("out");
    let stage = StagedDir::new(&target).unwrap();
    fs::write(stage.join("half.csv"), "x").unwrap();
    {
        let live = registry();
        let pending = live.iter().find(|p| p.staging == stage.path()).unwrap();
        pending.remove();
    }
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn leftover_names_parse_back() {
    assert_eq!(parse_leftover(".out.partial-42", "out"), Some((PARTIAL, 42)));
    assert_eq!(parse_leftover(".out.old-7", "out"), Some((OLD, 7)));
    assert_eq!(parse_leftover(".out.old-", "out"), None);
    assert_eq!(parse_leftover(".out.old-7x", "out"), None);
    assert_eq!(parse_leftover(".out.old-+7", "out"), None);
    assert_eq!(parse_leftover(".outer.old-7", "out"), None);
    assert_eq!(parse_leftover("out.old-7", "out"), None);
}
