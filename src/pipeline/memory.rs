//! What a run holds in memory, estimated before the data are read.
//!
//! A run holds, per selected cell (d chosen variables, e extra columns, m clustering dimensions):
//!
//! | what | bytes per cell |
//! |---|---|
//! | selected position while reading | 8 |
//! | table values (original units) + extras | 8 d + 8 e |
//! | cell position (row, col, lat, lon) | 32 |
//! | z-scores | 8 d |
//! | clustering space (a copy of z without reduction) | 8 m |
//! | labels (raw, stable) and K-Means bounds | 72 |
//! | per-cell figure and report data (one column, hover encoding) | 8 + 4 + 2 d |
//! | what the method adds ([`crate::cluster::method::Clusterer::extra_bytes_per_row`]; a Gaussian mixture: 8 k + 24) | varies |
//!
//! plus, per cell of the output window, 20 bytes (the `int` label raster of labels.nc, labels.tif
//! and labels.geojson and the netCDF writer's two copies of it, 12; an `f64` value layer such as
//! a mixture's membership, 8), and a fixed [`FIXED_BYTES`] for the program, the background images, the
//! read blocks and the VAE, plus what the input's reader keeps decoded (a GeoTIFF: the rows of
//! strips or tiles it decodes together per file, one row of tiles or one strip per thread,
//! [`crate::io::geotiff::GeoTiffReader::buffer_bytes`]; a netCDF-4 file: a few copies of its
//! largest chunk per thread, [`crate::io::netcdf::NcFile::decode_buffer_bytes`]; both decode
//! their chunks in parallel on the rayon pool). A 25 % margin covers allocator slack. The exact algorithms that are
//! O(n^2) (Ward, silhouette) only run below their size limits ([`super::config::ScaleSettings`]),
//! so they add nothing that grows faster than the table.
//!
//! The limit is `--max-memory`, by default [`DEFAULT_SHARE`] of the machine's memory (the
//! total memory, lowered by a cgroup v1 or v2 limit when there is one, both as `sysinfo` reads
//! them). The input is opened within it ([`open_input`]): a GeoTIFF reader may hold what the
//! limit leaves beyond [`FIXED_BYTES`] ([`read_limits`]), and refuses a file whose single strip
//! would need more before decoding anything.

use super::config::RunConfig;
use crate::dataset::{BlockReader, MemoryPlan};
use crate::io::IoError;
use crate::io::geotiff::ReadLimits;

/// Share of the machine's memory a run may plan to use by default.
pub const DEFAULT_SHARE: f64 = 0.75;

/// Memory not proportional to the data: binary and libraries, Blue Marble images, two read
/// blocks, VAE weights and batches, report assembly.
pub const FIXED_BYTES: u64 = 400_000_000;

/// The least a reader is given, whatever the limit: a limit below [`FIXED_BYTES`] is refused
/// by the plan's own check, with its estimate, rather than by the reader.
pub const READ_MEMORY_FLOOR: u64 = 64_000_000;

/// Assumed when the machine's memory cannot be read.
const FALLBACK_MACHINE_BYTES: u64 = 8_000_000_000;

/// The machine's memory in bytes: the total memory, lowered by a cgroup limit when there is
/// one (a container's share).
pub fn machine_memory() -> u64 {
    let mut system = sysinfo::System::new();
    system.refresh_memory_specifics(sysinfo::MemoryRefreshKind::nothing().with_ram());
    let total = Some(system.total_memory()).filter(|&t| t > 0);
    let cgroup = system.cgroup_limits().map(|c| c.total_memory).filter(|&c| c > 0);
    match (total, cgroup) {
        (Some(t), Some(c)) => t.min(c),
        (Some(t), None) => t,
        (None, Some(c)) => c,
        (None, None) => FALLBACK_MACHINE_BYTES,
    }
}

/// The run's memory limit: `--max-memory`, or [`DEFAULT_SHARE`] of the machine's memory.
pub fn limit(cfg: &RunConfig) -> u64 {
    cfg.max_memory
        .map(super::config::MemoryLimit::bytes)
        .unwrap_or_else(|| (machine_memory() as f64 * DEFAULT_SHARE) as u64)
}

/// What the input's reader may hold under `limit`: the limit less [`FIXED_BYTES`] (the rest of
/// the program), at least [`READ_MEMORY_FLOOR`].
pub fn read_limits(limit: u64) -> ReadLimits {
    ReadLimits {
        memory: limit.saturating_sub(FIXED_BYTES).max(READ_MEMORY_FLOOR),
    }
}

/// Open `cfg.input` within the run's memory limit ([`read_limits`]), with the user's
/// `--decode` overrides applied.
pub fn open_input(cfg: &RunConfig) -> Result<Box<dyn BlockReader + Send + Sync>, IoError> {
    crate::io::open_input_with(&cfg.input, read_limits(limit(cfg)), &cfg.decode)
}

/// The memory plan of `cfg` for `d` variables and `extras` extra columns.
pub fn plan(cfg: &RunConfig, d: usize, extras: usize) -> MemoryPlan {
    // The clustering space and the reduction's own copies, as the reduction states them.
    let space = super::run::reductions::reduction(cfg.reduce);
    let (reduction, m) = (space.memory(d as u64), space.dims(d));
    let (d, e) = (d as u64, extras as u64);
    // What the method holds per cell beyond every method's share (a mixture's
    // responsibilities and its per-cell assignment), at the largest k the run may fit.
    let k = match cfg.k {
        super::config::KChoice::Fixed(k) => k,
        super::config::KChoice::Auto => cfg.k_max,
    };
    let method = super::run::methods::clusterer(cfg).map_or(0, |c| c.extra_bytes_per_row(m, k));
    let per_cell = 8 + 8 * d + 8 * e + 32 + 8 * d + reduction.per_cell + 72 + 12 + 2 * d + method;
    let limit = limit(cfg);
    let reader = crate::io::input_buffer_bytes(&cfg.input, read_limits(limit));
    MemoryPlan {
        per_cell: per_cell * 5 / 4,
        per_window_cell: (20 + reduction.per_window_cell) * 5 / 4,
        fixed: FIXED_BYTES.saturating_add(reader),
        limit,
    }
}

#[cfg(test)]
#[path = "memory_tests.rs"]
mod tests;
