//! Atomic output: write to a temporary sibling, then rename over the target, so readers never
//! see a half-written file and a failure leaves nothing behind.

use super::IoError;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The temporary sibling used while `path` is being written.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Write `path` through `write`, atomically: on any error the temporary file is removed.
pub fn write_with<F>(path: &Path, write: F) -> Result<(), IoError>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    let tmp = temp_path(path);
    let result = (|| {
        let file = fs::File::create(&tmp)?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.flush()?;
        out.get_ref().sync_all()
    })();
    finish(path, &tmp, result)
}

/// Write `bytes` to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    write_with(path, |w| w.write_all(bytes))
}

/// Let `produce` write a file at the temporary path (for libraries that want a path, such as
/// netCDF or PNG encoders), then rename it over `path`; on error the temporary file is removed.
pub fn write_via_temp<F, E>(path: &Path, produce: F) -> Result<(), IoError>
where
    F: FnOnce(&Path) -> Result<(), E>,
    E: std::fmt::Display,
{
    let tmp = temp_path(path);
    match produce(&tmp) {
        Ok(()) => finish(path, &tmp, Ok(())),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(IoError::format(path, e.to_string()))
        }
    }
}

fn finish(path: &Path, tmp: &Path, result: std::io::Result<()>) -> Result<(), IoError> {
    match result.and_then(|()| fs::rename(tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(tmp);
            Err(IoError::os(path, e))
        }
    }
}

#[cfg(test)]
#[path = "atomic_tests.rs"]
mod tests;
