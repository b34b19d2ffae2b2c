//! The CLI's [`Reporter`]: notes on stderr as `landclust: <note>`, always (also with `--quiet`
//! or without a terminal: they say what the run did differently); progress bars through
//! `indicatif` only when asked (stderr is a terminal and `--quiet` is not given), so files and
//! pipes never receive bars.

use crate::progress::{Reporter, TaskId};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::sync::Mutex;

/// Bars (when `show_bars`) and notes on stderr.
pub struct TerminalReporter {
    show_bars: bool,
    multi: MultiProgress,
    bars: Mutex<HashMap<TaskId, ProgressBar>>,
}

impl TerminalReporter {
    /// A reporter that draws bars only when `show_bars`.
    pub fn new(show_bars: bool) -> Self {
        TerminalReporter {
            show_bars,
            multi: MultiProgress::new(),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn with_bar(&self, task: TaskId, f: impl FnOnce(&ProgressBar)) {
        if !self.show_bars {
            return;
        }
        // A poisoned map only means a drawing call panicked; the bars themselves are fine.
        let bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bar) = bars.get(&task) {
            f(bar);
        }
    }
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} ({elapsed}, eta {eta}) {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix} ({elapsed}) {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Reporter for TerminalReporter {
    fn start(&self, task: TaskId, label: &str, total: Option<u64>) {
        if !self.show_bars {
            return;
        }
        let bar = match total {
            Some(n) => ProgressBar::new(n).with_style(bar_style()),
            None => {
                let bar = ProgressBar::new_spinner().with_style(spinner_style());
                bar.enable_steady_tick(std::time::Duration::from_millis(200));
                bar
            }
        };
        bar.set_prefix(label.to_string());
        let bar = self.multi.add(bar);
        self.bars.lock().unwrap_or_else(|e| e.into_inner()).insert(task, bar);
    }

    fn advance(&self, task: TaskId, steps: u64) {
        self.with_bar(task, |b| b.inc(steps));
    }

    fn restart(&self, task: TaskId, total: u64) {
        self.with_bar(task, |b| {
            b.set_length(total);
            b.set_position(0);
        });
    }

    fn status(&self, task: TaskId, text: &str) {
        self.with_bar(task, |b| b.set_message(text.to_string()));
    }

    fn finish(&self, task: TaskId) {
        if !self.show_bars {
            return;
        }
        let bar = self.bars.lock().unwrap_or_else(|e| e.into_inner()).remove(&task);
        if let Some(bar) = bar {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
    }

    fn note(&self, message: &str) {
        if self.show_bars {
            // Printed above the bars (they are redrawn after), not through them.
            self.multi.suspend(|| eprintln!("landclust: {message}"));
        } else {
            eprintln!("landclust: {message}");
        }
    }
}
