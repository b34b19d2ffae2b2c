use super::*;

#[test]
fn a_rate_is_bytes_over_seconds_in_megabytes() {
    assert_eq!(rate_mb_per_s(3_000_000, 2.0), 1.5);
    assert_eq!(rate_mb_per_s(5, 0.0), 0.0);
}

#[test]
fn folder_bytes_sums_the_files_below_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.bin"), [0u8; 10]).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub").join("b.bin"), [0u8; 7]).unwrap();
    assert_eq!(folder_bytes(dir.path()), 17);
    assert_eq!(folder_bytes(&dir.path().join("missing")), 0);
}

#[test]
fn a_stage_with_a_volume_has_its_rate_and_one_without_has_none() {
    let mut log = StageLog::new(false);
    log.mark("cluster");
    log.mark_volume("write", Some(2_000_000), None);
    log.mark_volume("read", Some(1_000), Some(400));
    assert_eq!((log.stages[0].bytes, log.stages[0].mb_per_s), (None, None));
    let write = &log.stages[1];
    assert_eq!(write.bytes, Some(2_000_000));
    let expected = 2.0 / write.seconds;
    assert!(write.seconds == 0.0 || (write.mb_per_s.unwrap() - expected).abs() <= 1e-9 * expected);
    assert_eq!(log.stages[2].input_bytes, Some(400));
    let json = serde_json::to_value(&log.stages).unwrap();
    assert!(json[0].get("bytes").is_none());
    assert_eq!(json[1]["bytes"], 2_000_000);
    assert!(json[1].get("input_bytes").is_none());
}
