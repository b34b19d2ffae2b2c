//! Wall time and peak memory of each stage of a run, written as `timing.json` (what the scaling
//! benchmark reads) and, with progress on, printed on stderr as each stage ends.
//!
//! Peak memory is the process's high-water mark (`VmHWM` in /proc/self/status, Linux), read at
//! the end of each stage: it never decreases, so a stage's figure is the peak of the run so far.

use serde::Serialize;
use std::time::Instant;

/// One finished stage.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub name: String,
    pub seconds: f64,
    /// Peak resident memory of the process so far, in bytes (`None` off Linux).
    pub peak_rss_bytes: Option<u64>,
}

/// The stages of a run, in order.
#[derive(Debug)]
pub struct StageLog {
    last: Instant,
    verbose: bool,
    pub stages: Vec<Stage>,
}

impl StageLog {
    /// A log whose clock starts now; `verbose` prints each stage on stderr.
    pub fn new(verbose: bool) -> Self {
        StageLog {
            last: Instant::now(),
            verbose,
            stages: Vec::new(),
        }
    }

    /// Whether each stage is printed on stderr as it ends.
    pub fn verbose(&self) -> bool {
        self.verbose
    }

    /// End the current stage under `name`.
    pub fn mark(&mut self, name: &str) {
        let now = Instant::now();
        let stage = Stage {
            name: name.to_string(),
            seconds: now.duration_since(self.last).as_secs_f64(),
            peak_rss_bytes: peak_rss(),
        };
        if self.verbose {
            let peak = stage
                .peak_rss_bytes
                .map_or(String::new(), |b| format!(", peak {}", crate::dataset::format_bytes(b)));
            crate::progress::note(format!("{name}: {:.1} s{peak}", stage.seconds));
        }
        self.stages.push(stage);
        self.last = now;
    }
}

/// The process's peak resident memory in bytes, from `VmHWM` (Linux only).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
