//! Output folders written so that no kill, failure or mistyped `--out` can lose data.
//!
//! A command fills a hidden staging folder beside the target (`.NAME.partial-PID`, in the
//! target's parent, never inside the target). On success the old run, if any, is renamed aside
//! (`.NAME.old-PID`), the staging folder is renamed in, and the old one is removed: each step is
//! one `rename(2)`, so a kill at any point leaves the old run or the new run whole, plus at most
//! one of those two leftovers, which the next run into the same target cleans up (it puts an
//! orphaned old run back first when the target is missing). SIGINT and SIGTERM remove the
//! staging folders of the process before it exits (see [`remove_staging_on_signal`]).
//!
//! A folder counts as landclust's only when it holds [`OWNER_FILE`], a file that landclust
//! alone writes; only such folders, or empty ones, are ever replaced. The working folder, its
//! ancestors, `/` and the home folder are refused outright. The guarantees are written out for
//! users in docs/guarantees.md.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// A folder being filled; [`StagedDir::commit`] moves it into place, dropping it cleans up
/// (the staging folder and any parent folders that [`StagedDir::new`] created).
#[derive(Debug)]
pub struct StagedDir {
    /// The target as the caller named it, returned by [`StagedDir::commit`].
    given: PathBuf,
    /// The target resolved (absolute, no `.` or `..`): what is renamed.
    target: PathBuf,
    staging: PathBuf,
    /// Parent folders this run created, outermost first: removed again if the run fails.
    created_parents: Vec<PathBuf>,
    committed: bool,
}

/// The metrics file every command writes. The name `MARKER` predates [`OWNER_FILE`] and is
/// kept for its callers; it no longer decides whether a folder may be replaced, since any tool
/// may write a `metrics.json`.
pub const MARKER: &str = "metrics.json";

/// The file that marks a folder as a landclust output (first line `landclust VERSION`, then
/// the command that wrote it). Hidden, so listings of results and Spark's readers skip it.
pub const OWNER_FILE: &str = ".landclust";

/// What the first line of [`OWNER_FILE`] starts with.
const OWNER_SIGNATURE: &str = "landclust ";

/// Infix of a staging folder's name: `.NAME.partial-PID`.
const PARTIAL: &str = "partial-";
/// Infix of a replaced run's name while it is being removed: `.NAME.old-PID`.
const OLD: &str = "old-";

impl StagedDir {
    /// Prepare to write `target`. Refused (one `--out` error, nothing touched) when `target`
    /// is the working folder, one of its ancestors, `/` or the home folder, or exists and is
    /// neither empty nor a landclust output folder. Leftovers of dead landclust processes for
    /// the same target are cleaned up first.
    pub fn new(given: &Path) -> Result<Self> {
        let target = resolve(given)?;
        refuse_protected(&target)?;
        let (parent, name) = split(&target)?;
        if parent.is_dir() {
            recover_leftovers(parent, &name)?;
        }
        check_replaceable(&target)?;
        let staging = parent.join(leftover_name(&name, PARTIAL, std::process::id()));
        let stage = {
            // Registered under the lock that the signal handler takes, before the staging
            // folder exists: a signal from here on removes whatever this run made.
            let mut live = registry();
            let created_parents = create_parents(parent)?;
            live.push(Pending {
                staging: staging.clone(),
                aside: None,
                created_parents: created_parents.clone(),
            });
            StagedDir {
                given: given.to_path_buf(),
                target: target.clone(),
                staging,
                created_parents,
                committed: false,
            }
        };
        if fs::symlink_metadata(&stage.staging).is_ok() {
            // Same PID as an earlier, dead process: its staging folder is stale.
            fs::remove_dir_all(&stage.staging).map_err(|e| file_error(&stage.staging, e))?;
        }
        fs::create_dir(&stage.staging).map_err(|e| file_error(&stage.staging, e))?;
        fs::write(stage.staging.join(OWNER_FILE), owner_text())
            .map_err(|e| file_error(&stage.staging.join(OWNER_FILE), e))?;
        Ok(stage)
    }

    /// Path of a file inside the staging folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Replace the target by the staged folder: old run renamed aside, new one renamed in, old
    /// one removed. Returns the target's path as given to [`StagedDir::new`].
    pub fn commit(mut self) -> Result<PathBuf> {
        let (parent, name) = split(&self.target)?;
        let aside = parent.join(leftover_name(&name, OLD, std::process::id()));
        {
            // Held over both renames, so the signal handler sees the staging folder either
            // still staged or already in place, never the target missing.
            let mut live = registry();
            let replacing = fs::symlink_metadata(&self.target).is_ok();
            if replacing {
                // Something may have appeared there while the run computed.
                check_replaceable(&self.target)?;
                fs::rename(&self.target, &aside).map_err(|e| file_error(&self.target, e))?;
            }
            if let Err(e) = fs::rename(&self.staging, &self.target) {
                if replacing {
                    let _ = fs::rename(&aside, &self.target);
                }
                return Err(file_error(&self.target, e));
            }
            self.committed = true;
            for p in live.iter_mut().filter(|p| p.staging == self.staging) {
                p.aside = replacing.then(|| aside.clone());
                p.created_parents.clear();
            }
        }
        let removed = match fs::symlink_metadata(&aside) {
            Ok(_) => fs::remove_dir_all(&aside).map_err(|e| file_error(&aside, e)),
            Err(_) => Ok(()),
        };
        unregister(&self.staging);
        removed?;
        Ok(self.given.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
            remove_created_parents(&self.created_parents);
        }
        unregister(&self.staging);
    }
}

/// Install handlers for SIGINT and SIGTERM that remove every live staging folder (and the
/// parent folders their runs created, and an old run being removed), then exit with the
/// shell's code for the signal, 128 + number: 130 for SIGINT, 143 for SIGTERM. For the binary
/// only: a library user (the Python package) keeps its own signal handling.
#[cfg(unix)]
pub fn remove_staging_on_signal() -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        .map_err(|e| file_error(Path::new("(signal handler)"), e))?;
    std::thread::Builder::new()
        .name("landclust-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Kept locked until exit: no commit or new staging folder can start meanwhile.
                let live = registry();
                for pending in live.iter() {
                    pending.remove();
                }
                std::process::exit(128 + signal);
            }
        })
        .map_err(|e| file_error(Path::new("(signal handler)"), e))?;
    Ok(())
}

/// Without Unix signals there is nothing to install; leftovers are cleaned by the next run.
#[cfg(not(unix))]
pub fn remove_staging_on_signal() -> Result<()> {
    Ok(())
}

/// What a signal must remove for one live [`StagedDir`].
#[derive(Debug)]
struct Pending {
    staging: PathBuf,
    aside: Option<PathBuf>,
    created_parents: Vec<PathBuf>,
}

impl Pending {
    fn remove(&self) {
        for tree in std::iter::once(&self.staging).chain(&self.aside) {
            // Worker threads may still be writing into it: a few tries beat a race.
            for _ in 0..20 {
                match fs::remove_dir_all(tree) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        std::thread::sleep(std::time::Duration::from_millis(5))
                    }
                    _ => break,
                }
            }
        }
        remove_created_parents(&self.created_parents);
    }
}

static LIVE: Mutex<Vec<Pending>> = Mutex::new(Vec::new());

/// The live staging folders of this process. A panic while it was held leaves nothing
/// half-updated worth refusing over, so poisoning is ignored.
fn registry() -> MutexGuard<'static, Vec<Pending>> {
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

fn unregister(staging: &Path) {
    registry().retain(|p| p.staging != staging);
}

/// Empty parent folders a failed run created, innermost first; stops at the first that is not
/// empty (something else now lives there).
fn remove_created_parents(created_parents: &[PathBuf]) {
    for dir in created_parents.iter().rev() {
        if fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// The contents of [`OWNER_FILE`]: version, then the command line that wrote the folder.
fn owner_text() -> String {
    let command: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    format!(
        "{OWNER_SIGNATURE}{}\ncommand: {}\n",
        env!("CARGO_PKG_VERSION"),
        command.join(" ")
    )
}

/// Whether `dir` holds a landclust [`OWNER_FILE`].
pub fn is_landclust_folder(dir: &Path) -> bool {
    fs::read_to_string(dir.join(OWNER_FILE)).is_ok_and(|t| t.starts_with(OWNER_SIGNATURE))
}

/// `target` made absolute, with `.` and `..` resolved and symbolic links in its existing part
/// followed, so that `--out .`, `--out ../here` and links to the working folder all compare
/// equal to what they name.
fn resolve(target: &Path) -> Result<PathBuf> {
    if target.as_os_str().is_empty() {
        return Err(out_error("is empty"));
    }
    let absolute = std::path::absolute(target).map_err(|e| file_error(target, e))?;
    let components: Vec<Component> = absolute.components().collect();
    for existing in (1..=components.len()).rev() {
        let head: PathBuf = components[..existing].iter().collect();
        if let Ok(mut resolved) = fs::canonicalize(&head) {
            for c in &components[existing..] {
                match c {
                    Component::CurDir => {}
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    other => resolved.push(other),
                }
            }
            return Ok(resolved);
        }
    }
    Ok(absolute)
}

/// Folders `--out` may never name: replacing them would delete the user's files, and staging
/// beside them is impossible (`/`) or outside the user's reach.
fn refuse_protected(target: &Path) -> Result<()> {
    if target.parent().is_none() {
        return Err(out_error(&format!(
            "{} is the root folder; choose a new or landclust output folder",
            target.display()
        )));
    }
    if let Some(cwd) = std::env::current_dir().ok().and_then(|d| fs::canonicalize(d).ok())
        && cwd.starts_with(target)
    {
        return Err(out_error(&format!(
            "{} is the working folder or one of its parents; choose a new or landclust output folder",
            target.display()
        )));
    }
    if let Some(home) = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .and_then(|h| fs::canonicalize(h).ok())
        && home.starts_with(target)
    {
        return Err(out_error(&format!(
            "{} is the home folder or one of its parents; choose a new or landclust output folder",
            target.display()
        )));
    }
    Ok(())
}

/// Absent, empty, or marked by [`OWNER_FILE`]: the only targets a run may replace.
fn check_replaceable(target: &Path) -> Result<()> {
    let Ok(meta) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(out_error(&format!(
            "{} exists and is not a folder; choose another --out",
            target.display()
        )));
    }
    let empty = fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
    if empty || is_landclust_folder(target) {
        Ok(())
    } else {
        Err(out_error(&format!(
            "{} is not a landclust output folder (it has files and no {OWNER_FILE} marker); choose another --out",
            target.display()
        )))
    }
}

/// The target's parent and name; every resolved target but `/` has both.
fn split(target: &Path) -> Result<(&Path, String)> {
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) => Ok((parent, name.to_string_lossy().into_owned())),
        _ => Err(out_error(&format!(
            "{} names no folder; choose a new or landclust output folder",
            target.display()
        ))),
    }
}

/// Create the missing folders up to `parent`; returns those this call created, outermost first.
fn create_parents(parent: &Path) -> Result<Vec<PathBuf>> {
    let mut missing: Vec<&Path> = parent
        .ancestors()
        .take_while(|p| fs::symlink_metadata(p).is_err())
        .collect();
    missing.reverse();
    let mut created = Vec::new();
    for dir in missing {
        match fs::create_dir(dir) {
            Ok(()) => created.push(dir.to_path_buf()),
            // Made by someone else meanwhile: not ours to remove.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                remove_created_parents(&created);
                return Err(file_error(dir, e));
            }
        }
    }
    Ok(created)
}

/// `.NAME.partial-PID` or `.NAME.old-PID`.
fn leftover_name(name: &str, kind: &str, pid: u32) -> String {
    format!(".{name}.{kind}{pid}")
}

/// The kind and PID of a leftover of target `name`, if `entry` is one.
fn parse_leftover(entry: &str, name: &str) -> Option<(&'static str, u32)> {
    let rest = entry.strip_prefix('.')?.strip_prefix(name)?.strip_prefix('.')?;
    [PARTIAL, OLD].into_iter().find_map(|kind| {
        let pid = rest.strip_prefix(kind)?;
        let digits_only = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        digits_only.then(|| pid.parse().ok()).flatten().map(|pid| (kind, pid))
    })
}

/// Whether process `pid` may still be using its leftovers. Without /proc (not Linux) only
/// this process's own stale PID can be ruled out, so other leftovers are kept.
fn pid_alive(pid: u32, own_live: &[PathBuf], path: &Path) -> bool {
    if pid == std::process::id() {
        return own_live.iter().any(|p| p == path);
    }
    if Path::new("/proc/self").exists() {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Remove the leftovers of dead landclust processes beside target `name` in `parent`. An old
/// run orphaned by a kill between the two renames of a commit (target missing) is put back.
/// Old runs are removed only when marked or empty, so a stray folder that merely looks like a
/// leftover is never deleted with its contents.
fn recover_leftovers(parent: &Path, name: &str) -> Result<()> {
    let entries = fs::read_dir(parent).map_err(|e| file_error(parent, e))?;
    let own_live: Vec<PathBuf> = registry()
        .iter()
        .flat_map(|p| std::iter::once(p.staging.clone()).chain(p.aside.clone()))
        .collect();
    let target = parent.join(name);
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some((kind, pid)) = parse_leftover(&file_name.to_string_lossy(), name) else {
            continue;
        };
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) || pid_alive(pid, &own_live, &path) {
            continue;
        }
        if kind == OLD {
            let empty = fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
            if !empty && !is_landclust_folder(&path) {
                continue;
            }
            if fs::symlink_metadata(&target).is_err() {
                fs::rename(&path, &target).map_err(|e| file_error(&path, e))?;
                continue;
            }
        }
        fs::remove_dir_all(&path).map_err(|e| file_error(&path, e))?;
    }
    Ok(())
}

fn out_error(message: &str) -> Error {
    Error::Option {
        option: "--out".into(),
        message: message.into(),
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
