//! Stacks of files read as one input: a time series kept one file per month or year (MODIS
//! MOD13C2 monthly GeoTIFFs, ERA5 monthly netCDF files).
//!
//! Spelling ([`pattern`]): wherever an input FILE is accepted,
//!
//! ```text
//! 'ERA5_2020_*.nc'                  a glob: the matches, by file name
//! '[t2m_jan.nc;t2m_feb.nc;...]'     a list: in the order listed
//! ```
//!
//! and inside a composite GeoTIFF input (`NAME=FILES`, the GeoTIFF reader's `composite` module)
//! a glob or a list for one variable: `NDVI=MOD13C2.A2020*.tif,LandPercentage=land.tif`.
//!
//! Every variable of the files becomes a series along the files ([`reader::StackReader`]): the
//! stack reads like a netCDF variable with an extra dimension, so `NAME[*]`, `NAME[i]` and
//! `NAME:mean` mean the same on both. netCDF files are ordered by their CF time coordinate
//! ([`time`]) when every file has one holding one value, and labelled by its date; otherwise
//! (and for GeoTIFFs) by name for a glob, as listed for a list, labelled by file stem. The
//! labels go into metrics.json (`input_stack`). The files must share one format and one grid;
//! a mismatch names both files.
//!
//! Memory: each file keeps its own reader, which reads only the rows asked for (a GeoTIFF holds
//! one row of decoded chunks, counted by [`buffer_bytes`]; a netCDF file reads hyperslabs, and
//! the netCDF-4 files share one file's chunk cache, [`chunk_cache_share`]).

pub mod pattern;
pub mod reader;
pub mod time;

pub use reader::{StackOrder, StackReader};

use crate::dataset::{BlockReader, DecodeOverrides};
use crate::io::IoError;
use crate::io::geotiff::{self, GeoTiffReader, ReadLimits};
use crate::io::netcdf::{NcFile, NcGridReader};
use pattern::Origin;
use std::path::{Path, PathBuf};

/// True when `path` is a stack (a glob or a list, see [`pattern`]) rather than one file.
pub fn is_stack(path: &Path) -> bool {
    !path.exists() && pattern::is_pattern(&path.to_string_lossy())
}

/// The stem of a file, its label when no date orders it.
pub fn file_label(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().to_string())
}

/// The files of a stack with their format checked: all GeoTIFF (`true`) or all netCDF
/// (`false`); a mixed stack names a file of each kind.
pub fn files(path: &Path) -> Result<(Vec<PathBuf>, Origin, bool), IoError> {
    let (files, origin) = pattern::expand(&path.to_string_lossy())?;
    let tiff: Vec<bool> = files.iter().map(|f| geotiff::is_geotiff(f)).collect();
    if let (Some(t), Some(n)) = (tiff.iter().position(|&t| t), tiff.iter().position(|&t| !t)) {
        return Err(IoError::format(
            path,
            format!(
                "mixes formats: {} is a GeoTIFF but {} is not; a stack holds files of one format",
                files[t].display(),
                files[n].display()
            ),
        ));
    }
    let all_tiff = tiff.first().copied().unwrap_or(false);
    Ok((files, origin, all_tiff))
}

/// The default order of `origin`.
pub fn origin_order(origin: Origin) -> StackOrder {
    match origin {
        Origin::List => StackOrder::List,
        Origin::Glob => StackOrder::Name,
    }
}

/// Open a stack of GeoTIFFs within `limits` for all of them together (each file keeps one row
/// of chunks, so a file is opened within what those before it left), each with `prepare`
/// applied (the user's decoding, a band's name) before the next is opened.
pub fn open_geotiffs(
    files: &[PathBuf],
    limits: ReadLimits,
    mut prepare: impl FnMut(&mut GeoTiffReader) -> Result<(), IoError>,
) -> Result<Vec<GeoTiffReader>, IoError> {
    let mut members: Vec<GeoTiffReader> = Vec::with_capacity(files.len());
    for file in files {
        let held: u64 = members.iter().map(GeoTiffReader::buffer_bytes).sum();
        let left = ReadLimits {
            memory: limits.memory.saturating_sub(held),
        };
        let mut reader = GeoTiffReader::open_within(file, left)?;
        prepare(&mut reader)?;
        if let Some(first) = members.first()
            && !reader::same_grid(first.grid(), reader.grid())
        {
            return Err(reader::grid_mismatch(file, reader.grid(), first.path(), first.grid()));
        }
        members.push(reader);
    }
    Ok(members)
}

/// Open the stack `path` (see the module notes) within `limits`, with the user's `decode`.
pub fn open_within(
    path: &Path,
    limits: ReadLimits,
    decode: &DecodeOverrides,
) -> Result<Box<dyn BlockReader + Send + Sync>, IoError> {
    let (files, origin, all_tiff) = files(path)?;
    if all_tiff {
        let members = open_geotiffs(&files, limits, |r| r.apply_decoding(decode))?;
        let labels = files.iter().map(|f| file_label(f)).collect();
        return Ok(Box::new(StackReader::new(
            path,
            members,
            labels,
            origin_order(origin),
            None,
        )?));
    }
    let mut members: Vec<NcGridReader> = Vec::with_capacity(files.len());
    let cache = chunk_cache_share(files.len());
    for file in &files {
        let reader = NcGridReader::from_file(NcFile::open_with_chunk_cache(file, cache)?, decode)?;
        if let Some(first) = members.first()
            && !reader::same_grid(first.grid(), reader.grid())
        {
            return Err(reader::grid_mismatch(
                file,
                reader.grid(),
                first.file().path(),
                first.grid(),
            ));
        }
        members.push(reader);
    }
    let times: Option<Vec<f64>> = members.iter().map(|m| file_time(m.file())).collect();
    let (members, labels, order) = match times {
        Some(times) => by_time(members, &times)?,
        None => {
            let labels = files.iter().map(|f| file_label(f)).collect();
            (members, labels, origin_order(origin))
        }
    };
    Ok(Box::new(StackReader::new(path, members, labels, order, None)?))
}

/// The least chunk cache a netCDF-4 file of a stack keeps: room for a few chunks.
const MIN_CHUNK_CACHE: usize = 1 << 20;

/// The chunk cache of each of `n` netCDF-4 files: one file's default shared among them, so a
/// stack holds about what one file would (each file of a stack is read one block at a time).
fn chunk_cache_share(n: usize) -> usize {
    (netcdf_reader::NcOpenOptions::default().chunk_cache_bytes / n.max(1)).max(MIN_CHUNK_CACHE)
}

/// The members sorted by their times, labelled by date; two files of one time are refused.
fn by_time(members: Vec<NcGridReader>, times: &[f64]) -> Result<(Vec<NcGridReader>, Vec<String>, StackOrder), IoError> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    let sorted_times: Vec<f64> = order.iter().map(|&i| times[i]).collect();
    let labels = time::labels(&sorted_times);
    if let Some(k) = (1..order.len()).find(|&k| labels[k] == labels[k - 1]) {
        return Err(IoError::format(
            members[order[k]].file().path(),
            format!(
                "has the time {} of {} too; a stack holds one file per time",
                labels[k],
                members[order[k - 1]].file().path().display()
            ),
        ));
    }
    let mut slots: Vec<Option<NcGridReader>> = members.into_iter().map(Some).collect();
    let sorted = order.iter().filter_map(|&i| slots[i].take()).collect();
    Ok((sorted, labels, StackOrder::Time))
}

/// The one time of a netCDF file (seconds since 1970, see [`time::seconds_since_epoch`]) from
/// its CF time coordinate: a variable named `time`, or with `standard_name = "time"` or
/// `axis = "T"`, whose units are `<unit> since <date>` in a Gregorian calendar and which holds
/// one value. `None` when the file has no such coordinate.
pub fn file_time(file: &NcFile) -> Option<f64> {
    let text = |v: &netcdf_reader::NcVariable, name: &str| {
        v.attribute(name)
            .and_then(|a| a.value.as_string())
            .map(|s| s.trim_end_matches('\0').trim().to_string())
    };
    let var = file.variables().iter().find(|v| {
        let named = v.name == "time"
            || text(v, "standard_name").as_deref() == Some("time")
            || text(v, "axis").is_some_and(|a| a.eq_ignore_ascii_case("T"));
        named && v.dimensions.len() <= 1 && text(v, "units").is_some_and(|u| u.contains(" since "))
    })?;
    if !time::gregorian(text(var, "calendar").as_deref()) {
        return None;
    }
    let values = file.read_decoded(var).ok()?;
    match values.as_slice() {
        [value] => time::seconds_since_epoch(*value, &text(var, "units")?),
        _ => None,
    }
}

/// What a stack of GeoTIFFs holds decoded at a time: one row of chunks per file; 0 for a
/// stack of netCDF files or one that cannot be opened (opening it reports why).
pub fn buffer_bytes(path: &Path, limits: ReadLimits) -> u64 {
    match files(path) {
        Ok((files, _, true)) => {
            open_geotiffs(&files, limits, |_| Ok(())).map_or(0, |m| m.iter().map(GeoTiffReader::buffer_bytes).sum())
        }
        _ => 0,
    }
}

#[cfg(test)]
#[path = "stack_tests.rs"]
mod tests;
