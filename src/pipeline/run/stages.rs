//! Wall time and peak memory of each stage of a run, written as `timing.json` (what the scaling
//! benchmark reads) and, with progress on, printed on stderr as each stage ends.
//!
//! Peak memory is the process's high-water mark (`VmHWM` in /proc/self/status, Linux), read at
//! the end of each stage: it never decreases, so a stage's figure is the peak of the run so far.
//!
//! The stages that move data say how much: `read` the bytes of the values decoded from the
//! input (as stored: a float32 sample is 4 bytes, whatever the table holds) and the input's
//! bytes on disk (compressed), `write` the bytes of the files written; each with its rate in
//! MB/s (10^6 bytes per second of the stage's wall time), so a stage can be held against the
//! cost of its bytes (decompression, compression, the disk).

use serde::Serialize;
use std::time::Instant;

/// One finished stage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stage {
    pub name: String,
    pub seconds: f64,
    /// Peak resident memory of the process so far, in bytes (`None` off Linux).
    pub peak_rss_bytes: Option<u64>,
    /// CPU time of the process during the stage, user and system, all threads (`None` off
    /// Linux): beside `seconds` it tells how many cores the stage kept busy, and on a shared
    /// machine it moves less than the wall time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_seconds: Option<f64>,
    /// Bytes the stage moved: decoded values (`read`), bytes written (`write`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// `bytes` per second of the stage, in MB/s (10^6 bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mb_per_s: Option<f64>,
    /// The input's bytes on disk, compressed as stored (`read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_bytes: Option<u64>,
}

/// The stages of a run, in order.
#[derive(Debug)]
pub struct StageLog {
    last: Instant,
    last_cpu: Option<f64>,
    verbose: bool,
    pub stages: Vec<Stage>,
}

impl StageLog {
    /// A log whose clock starts now; `verbose` prints each stage on stderr.
    pub fn new(verbose: bool) -> Self {
        StageLog {
            last: Instant::now(),
            last_cpu: cpu_seconds(),
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
        self.mark_volume(name, None, None);
    }

    /// End the current stage under `name`, which moved `bytes` (see the module notes) and read
    /// an input of `input_bytes` on disk.
    pub fn mark_volume(&mut self, name: &str, bytes: Option<u64>, input_bytes: Option<u64>) {
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        let cpu = cpu_seconds();
        let stage = Stage {
            cpu_seconds: cpu.zip(self.last_cpu).map(|(now, then)| (now - then).max(0.0)),
            name: name.to_string(),
            seconds,
            peak_rss_bytes: peak_rss(),
            bytes,
            mb_per_s: bytes.map(|b| rate_mb_per_s(b, seconds)),
            input_bytes,
        };
        if self.verbose {
            let peak = stage
                .peak_rss_bytes
                .map_or(String::new(), |b| format!(", peak {}", crate::dataset::format_bytes(b)));
            let rate = match (stage.bytes, stage.mb_per_s) {
                (Some(b), Some(r)) => format!(", {} at {r:.0} MB/s", crate::dataset::format_bytes(b)),
                _ => String::new(),
            };
            crate::progress::note(format!("{name}: {:.1} s{rate}{peak}", stage.seconds));
        }
        self.stages.push(stage);
        self.last = now;
        self.last_cpu = cpu;
    }
}

/// `bytes` over `seconds` in MB/s (10^6 bytes); 0 for a stage too short to time.
pub fn rate_mb_per_s(bytes: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        bytes as f64 / 1e6 / seconds
    } else {
        0.0
    }
}

/// The bytes of the files below `dir` (the output folder: what the write stage wrote).
pub fn folder_bytes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// CPU time of the process so far, user and system, in seconds: fields 14 and 15 of
/// /proc/self/stat, in clock ticks of 1/100 s (`USER_HZ`, 100 on every Linux ABI; proc(5)).
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}

/// The process's peak resident memory in bytes, from `VmHWM` (Linux only).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
#[path = "stages_tests.rs"]
mod tests;
