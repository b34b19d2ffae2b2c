//! Progress and one-line notes, reported through a callback so the library itself prints
//! nothing.
//!
//! The stages that can take more than a few seconds (read, fit, score, train, draw) start a
//! [`Task`] and advance it; the notes a run has for its user (a fallback taken, an output
//! skipped) go to [`note`]. Both reach the [`Reporter`] registered with [`set_reporter`]; by
//! default none is, and everything is silent. The CLI registers one that draws bars on a
//! terminal and prints notes on stderr (`landclust: <note>`); a caller embedding the library
//! (the Python package) can register its own or stay silent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Identifies one task among those running at the same time.
pub type TaskId = u64;

/// Receives progress and notes. Implementations must be cheap: `advance` is called once per
/// block, epoch or batch of a running stage, possibly from several threads.
pub trait Reporter: Send + Sync {
    /// A task labelled `label` (e.g. "read: variables") starts, with `total` steps when it has
    /// a count (a bar) or `None` (a spinner).
    fn start(&self, task: TaskId, label: &str, total: Option<u64>);
    /// `steps` more steps of `task` are done.
    fn advance(&self, task: TaskId, steps: u64);
    /// `task` starts over at step 0 of `total` (a training that moves to its next phase).
    fn restart(&self, _task: TaskId, _total: u64) {}
    /// A short status shown beside `task`'s label (e.g. the current loss).
    fn status(&self, _task: TaskId, _text: &str) {}
    /// `task` is finished; whatever shows it can go.
    fn finish(&self, task: TaskId);
    /// A one-line note for the user (no "landclust:" prefix, no newline).
    fn note(&self, message: &str);
}

static REPORTER: RwLock<Option<Arc<dyn Reporter>>> = RwLock::new(None);
static NEXT_TASK: AtomicU64 = AtomicU64::new(0);

/// Register `reporter` for the whole process, replacing any earlier one.
pub fn set_reporter(reporter: Arc<dyn Reporter>) {
    // A poisoned lock only means a reporter panicked; the slot itself is still valid.
    let mut slot = REPORTER.write().unwrap_or_else(|e| e.into_inner());
    *slot = Some(reporter);
}

/// Remove the registered reporter: progress and notes become silent again.
pub fn clear_reporter() {
    let mut slot = REPORTER.write().unwrap_or_else(|e| e.into_inner());
    *slot = None;
}

fn with_reporter(f: impl FnOnce(&dyn Reporter)) {
    let reporter = REPORTER.read().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(r) = reporter {
        f(r.as_ref());
    }
}

/// Report a one-line note to the user (silent without a registered reporter).
pub fn note(message: impl AsRef<str>) {
    with_reporter(|r| r.note(message.as_ref()));
}

/// A running task; finished when dropped (or by [`done`]).
#[derive(Debug)]
pub struct Task {
    id: TaskId,
}

impl Task {
    fn start(label: &str, total: Option<u64>) -> Self {
        let id = NEXT_TASK.fetch_add(1, Ordering::Relaxed);
        with_reporter(|r| r.start(id, label, total));
        Task { id }
    }

    /// `steps` more steps are done.
    pub fn inc(&self, steps: u64) {
        with_reporter(|r| r.advance(self.id, steps));
    }

    /// Start over at step 0 of `total` steps.
    pub fn restart(&self, total: u64) {
        with_reporter(|r| r.restart(self.id, total));
    }

    /// Show `text` beside the label.
    pub fn status(&self, text: &str) {
        with_reporter(|r| r.status(self.id, text));
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        with_reporter(|r| r.finish(self.id));
    }
}

/// A task of `total` steps labelled `what` (e.g. "read rows"), or `None` when `enabled` is
/// false. Finish it with [`done`].
pub fn bar(enabled: bool, what: &str, total: u64) -> Option<Task> {
    enabled.then(|| Task::start(what, Some(total)))
}

/// A task without a step count (a K-Means fit, the Ward tree), or `None`.
pub fn spinner(enabled: bool, what: &str) -> Option<Task> {
    enabled.then(|| Task::start(what, None))
}

/// Advance a task by `n` steps (no-op without one).
pub fn inc(task: &Option<Task>, n: u64) {
    if let Some(t) = task {
        t.inc(n);
    }
}

/// Finish a task (no-op without one).
pub fn done(task: Option<Task>) {
    drop(task);
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
