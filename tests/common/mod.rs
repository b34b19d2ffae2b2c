//! Helpers shared by the end-to-end tests of the `landclust` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_landclust"))
}

/// The 1-degree demo file, written once for all tests of one test binary.
pub fn demo_file() -> &'static Path {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.nc");
        let out = bin().args(["synth", "--out"]).arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "synth failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, path)
    });
    path
}
