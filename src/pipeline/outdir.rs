//! An output folder written atomically: everything goes into a hidden sibling, which replaces
//! the target only when the run succeeds, so a failed run leaves no partial outputs.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// A folder being filled; [`StagedDir::commit`] moves it into place, dropping it cleans up.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

/// File that marks a folder as landclust's output (so it may be replaced by a new run).
pub const MARKER: &str = "metrics.json";

impl StagedDir {
    /// Prepare to write `target`; fails if `target` exists and is not a landclust output.
    pub fn new(target: &Path) -> Result<Self> {
        check_replaceable(target)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| file_error(parent, e))?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir_all(&staging).map_err(|e| file_error(&staging, e))?;
        Ok(StagedDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Path of a file inside the staging folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Replace the target by the staged folder.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() {
            fs::remove_dir_all(&self.target).map_err(|e| file_error(&self.target, e))?;
        }
        fs::rename(&self.staging, &self.target).map_err(|e| file_error(&self.target, e))?;
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

fn check_replaceable(target: &Path) -> Result<()> {
    if !target.exists() {
        return Ok(());
    }
    let replaceable = target.is_dir()
        && (target.join(MARKER).exists()
            || target.join(super::export::SIDECAR).exists()
            || fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false));
    if replaceable {
        Ok(())
    } else {
        Err(Error::Option {
            option: "--out".into(),
            message: format!(
                "{} exists and is not a landclust output folder; choose another",
                target.display()
            ),
        })
    }
}

fn file_error(path: &Path, e: std::io::Error) -> Error {
    Error::File {
        path: path.into(),
        message: e.to_string(),
    }
}

#[cfg(test)]
#[path = "outdir_tests.rs"]
mod tests;
