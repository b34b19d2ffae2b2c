use super::*;

#[test]
fn dropped_stage_leaves_nothing_and_commit_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    {
        let stage = StagedDir::new(&target).unwrap();
        fs::write(stage.join("a.txt"), "x").unwrap();
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    let stage = StagedDir::new(&target).unwrap();
    fs::write(stage.join(MARKER), "{}").unwrap();
    stage.commit().unwrap();
    assert!(target.join(MARKER).exists());
    let stage = StagedDir::new(&target).unwrap();
    stage.commit().unwrap();
    assert!(!target.join(MARKER).exists());
    fs::write(dir.path().join("file"), "x").unwrap();
    assert!(StagedDir::new(&dir.path().join("file")).is_err());
}
