//! Progress on stderr for the stages that can take more than a few seconds (read, fit, score,
//! train, draw). Drawn only when asked (the CLI asks when stderr is a terminal and `--quiet` is
//! not given), so files and pipes never receive bars; results always go to files and stdout.

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar of `total` steps labelled `what` (e.g. "read rows"), or `None` when `enabled`
/// is false. Finish it with [`done`].
pub fn bar(enabled: bool, what: &str, total: u64) -> Option<ProgressBar> {
    enabled.then(|| {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed}, eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(what.to_string());
        bar
    })
}

/// A spinner for a stage without a step count (a K-Means fit, the Ward tree), or `None`.
pub fn spinner(enabled: bool, what: &str) -> Option<ProgressBar> {
    enabled.then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(what.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    })
}

/// Advance a bar by `n` steps (no-op without a bar).
pub fn inc(bar: &Option<ProgressBar>, n: u64) {
    if let Some(b) = bar {
        b.inc(n);
    }
}

/// Clear a finished bar.
pub fn done(bar: Option<ProgressBar>) {
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}
