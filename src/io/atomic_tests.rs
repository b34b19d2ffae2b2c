use super::*;

#[test]
fn failed_write_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let err = write_with(&path, |w| {
        w.write_all(b"partial")?;
        Err(std::io::Error::other("boom"))
    });
    assert!(err.is_err());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    write_bytes(&path, b"ok").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"ok");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}
