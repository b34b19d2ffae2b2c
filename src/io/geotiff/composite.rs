//! Several single-band GeoTIFFs read as one input, one variable each:
//!
//! ```text
//! NDVI=ndvi.tif,DHR670=b4.tif,LandPercentage=land.tif
//! ```
//!
//! accepted wherever an input FILE is (`landclust run/elbow/stability/export/inspect`). A file
//! may carry the user's decoding of its band after `?`: `fAPAR=f.tif?scale=1e-4&nodata=-999`
//! (see [`crate::dataset::decode`]; `--decode` given for the same variable wins). Every
//! file must be on the same grid (same size and cell centres); a mismatch names both files.
//! A directory before the first name (`/data/NDVI=ndvi.tif,...`, as a recorded absolute input
//! path reads) is where relative files are found.
//!
//! A variable may be a stack of files, a series along them ([`crate::io::stack`]): a glob or a
//! `;`-separated list in brackets in place of its file,
//!
//! ```text
//! NDVI=MOD13C2.A2020*.tif,LandPercentage=land.tif
//! NDVI=[jan.tif;feb.tif;mar.tif]?scale=1e-4,LandPercentage=land.tif
//! ```
//!
//! so `NDVI[*]`, `NDVI[i]` and `NDVI:mean` read it as they read a netCDF variable with a month
//! dimension. The decoding after `?` applies to every file of the stack.

use super::{GeoTiffReader, ReadLimits};
use crate::dataset::varspec::{Extra, VarSpec};
use crate::dataset::{BlockReader, Grid, StackInfo};
use crate::io::IoError;
use crate::io::stack::{self, StackReader};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// True when `text` is a composite input rather than one file: it is not an existing path
/// and holds `NAME=FILE` items.
pub fn is_composite(path: &Path) -> bool {
    let text = path.to_string_lossy();
    !path.exists() && text.contains('=')
}

/// The `(name, file)` items of a composite input.
pub fn parse(text: &str) -> Result<Vec<(String, PathBuf)>, IoError> {
    let bad = |m: String| IoError::format(text, m);
    let mut items: Vec<(String, PathBuf)> = Vec::new();
    let mut base: Option<PathBuf> = None;
    for (k, item) in text.split(',').enumerate() {
        let Some((name, file)) = item.split_once('=') else {
            return Err(bad(format!(
                "item '{item}' is not NAME=FILE (several GeoTIFFs are given as NAME=FILE,NAME=FILE)"
            )));
        };
        let mut name = name.trim().to_string();
        if k == 0
            && let Some(slash) = name.rfind('/')
        {
            base = Some(PathBuf::from(&name[..slash.max(1)]));
            name = name[slash + 1..].to_string();
        }
        let file = PathBuf::from(file.trim());
        if name.is_empty() || file.as_os_str().is_empty() {
            return Err(bad(format!(
                "item '{item}' needs a variable name and a file (NAME=FILE)"
            )));
        }
        if items.iter().any(|(n, _)| *n == name) {
            return Err(bad(format!("variable {name} is given twice")));
        }
        let file = match &base {
            // A list's files are joined to the folder one by one ([`stack::pattern`]).
            Some(b) if file.to_string_lossy().starts_with('[') => {
                PathBuf::from(format!("{}/{}", b.display(), file.display()))
            }
            Some(b) if file.is_relative() => b.join(file),
            _ => file,
        };
        items.push((name, file));
    }
    Ok(items)
}

/// A file with the user's decoding after `?` (`f.tif?scale=1e-4&nodata=-999`, the keys of
/// [`crate::dataset::decode`] joined by `&`): the file and the keys. A path that exists as given
/// is a file, even with a `?` in its name; so is a `?` followed by no `KEY=VALUE` (a glob's
/// one-character wildcard, `MOD13C2.A2020???.tif`).
pub fn split_decoding(file: &Path) -> (PathBuf, Option<String>) {
    let text = file.to_string_lossy();
    match text.rsplit_once('?') {
        Some((path, query)) if !file.exists() && query.contains('=') => (PathBuf::from(path), Some(query.to_string())),
        _ => (file.to_path_buf(), None),
    }
}

/// The note for stderr when the files are not all on the first file's datum: the grid (and the
/// CRS written to the outputs) is the first file's; a datum shift is far below a cell at the
/// resolutions clustered, so the data are not moved.
fn datum_note(text: &Path, files: &[&GeoTiffReader]) -> Option<String> {
    let first = files.first()?;
    let crs = first.grid().crs();
    let differ: Vec<&GeoTiffReader> = files
        .iter()
        .copied()
        .filter(|f| !f.grid().crs().same_datum(&crs))
        .collect();
    differ.first().map(|other| {
        let more = match differ.len() {
            1 => String::new(),
            n => format!(" (and {} more files)", n - 1),
        };
        format!(
            "{}: the datum of {} ({}){more} differs from that of {} ({}); the outputs use the latter, unshifted",
            text.display(),
            other.path().display(),
            other.grid().crs(),
            first.path().display(),
            crs
        )
    })
}

/// One variable of a composite input: a file, or a stack of files (a series).
#[derive(Debug)]
enum Entry {
    File(Box<GeoTiffReader>),
    Stack(StackReader<GeoTiffReader>),
}

impl Entry {
    fn name(&self) -> &str {
        match self {
            Entry::File(f) => &f.bands()[0].name,
            Entry::Stack(s) => s.variable().unwrap_or_default(),
        }
    }

    fn files(&self) -> &[GeoTiffReader] {
        match self {
            Entry::File(f) => std::slice::from_ref(&**f),
            Entry::Stack(s) => s.members(),
        }
    }
}

/// Single-band GeoTIFFs (or stacks of them) on one grid, each a named variable.
#[derive(Debug)]
pub struct CompositeReader {
    name: PathBuf,
    entries: Vec<Entry>,
}

/// Open one single-band file of a composite input within `limits`, with the decoding after its
/// `?` and its band named `name`.
fn open_band(
    text: &Path,
    name: &str,
    file: &Path,
    query: Option<&str>,
    limits: ReadLimits,
) -> Result<GeoTiffReader, IoError> {
    let mut reader = GeoTiffReader::open_within(file, limits)?;
    prepare_band(text, name, query, &mut reader)?;
    Ok(reader)
}

/// Name the one band of `reader` and apply the decoding after its file's `?`.
fn prepare_band(text: &Path, name: &str, query: Option<&str>, reader: &mut GeoTiffReader) -> Result<(), IoError> {
    if let Some(query) = query {
        let o = crate::dataset::DecodeOverrides::parse_all(&[format!("{name}:{query}")])
            .map_err(|e| IoError::format(text, e.to_string()))?;
        reader.set_band_decoding(0, o.get(name).cloned().unwrap_or_default());
    }
    if reader.bands().len() != 1 {
        return Err(IoError::format(
            reader.path(),
            format!(
                "has {} bands; NAME=FILE takes single-band files (give a multi-band file alone)",
                reader.bands().len()
            ),
        ));
    }
    reader.rename_band(0, name);
    Ok(())
}

impl CompositeReader {
    /// Open every file of a composite input (see the module notes) within
    /// [`super::DEFAULT_READ_MEMORY`].
    pub fn open(text: &Path) -> Result<Self, IoError> {
        Self::open_within(
            text,
            ReadLimits {
                memory: super::DEFAULT_READ_MEMORY,
            },
        )
    }

    /// Open every file of a composite input within `limits` for all of them together: each
    /// keeps its own row of chunks, so a file is opened within what those before it left.
    pub fn open_within(text: &Path, limits: ReadLimits) -> Result<Self, IoError> {
        let items = parse(&text.to_string_lossy())?;
        let mut entries: Vec<Entry> = Vec::with_capacity(items.len());
        for (name, file) in &items {
            let (file, query) = &split_decoding(file);
            let held: u64 = entries
                .iter()
                .flat_map(Entry::files)
                .map(GeoTiffReader::buffer_bytes)
                .sum();
            let left = ReadLimits {
                memory: limits.memory.saturating_sub(held),
            };
            let entry = if stack::is_stack(file) {
                let (files, origin, all_tiff) = stack::files(file)?;
                if !all_tiff {
                    return Err(IoError::format(
                        &files[0],
                        format!("is not a GeoTIFF; {name}=FILES takes a stack of single-band GeoTIFFs"),
                    ));
                }
                let members = stack::open_geotiffs(&files, left, |r| prepare_band(text, name, query.as_deref(), r))?;
                let labels = files.iter().map(|f| stack::file_label(f)).collect();
                Entry::Stack(StackReader::new(
                    file,
                    members,
                    labels,
                    stack::origin_order(origin),
                    Some(name.clone()),
                )?)
            } else {
                Entry::File(Box::new(open_band(text, name, file, query.as_deref(), left)?))
            };
            let first = entries.first().map(|e| &e.files()[0]);
            if let Some(first) = first
                && let Some(other) = entry
                    .files()
                    .iter()
                    .find(|f| !stack::reader::same_grid(first.grid(), f.grid()))
            {
                return Err(stack::reader::grid_mismatch(
                    other.path(),
                    other.grid(),
                    first.path(),
                    first.grid(),
                ));
            }
            entries.push(entry);
        }
        Ok(CompositeReader {
            name: text.to_path_buf(),
            entries,
        })
    }

    /// A note when the files are on different datums (see [`datum_note`]); the reader that a
    /// command reads from says it once ([`crate::io::open_input_with`]), not every opening.
    pub fn datum_note(&self) -> Option<String> {
        datum_note(&self.name, &self.files())
    }

    /// The most the files hold decoded at a time: one row of chunks each.
    pub fn buffer_bytes(&self) -> u64 {
        self.files().into_iter().map(GeoTiffReader::buffer_bytes).sum()
    }

    /// Apply the user's decoding (`--decode`) to the files of the variables it names; a name
    /// that is none of the input's variables is an error listing them.
    pub fn apply_decoding(&mut self, overrides: &crate::dataset::DecodeOverrides) -> Result<(), IoError> {
        for name in overrides.names() {
            let at = self.entries.iter().position(|e| e.name() == name);
            let Some(at) = at else {
                let names: Vec<&str> = self.entries.iter().map(Entry::name).collect();
                return Err(IoError::Variable {
                    path: self.name.clone(),
                    variable: name.to_string(),
                    message: format!("--decode names none of the input's variables ({})", names.join(", ")),
                });
            };
            let o = overrides.get(name).cloned().unwrap_or_default();
            match &mut self.entries[at] {
                Entry::File(f) => f.set_band_decoding(0, o),
                Entry::Stack(s) => s
                    .members_mut()
                    .iter_mut()
                    .for_each(|f| f.set_band_decoding(0, o.clone())),
            }
        }
        Ok(())
    }

    /// The files, in the order given (a stack's in entry order).
    pub fn files(&self) -> Vec<&GeoTiffReader> {
        self.entries.iter().flat_map(Entry::files).collect()
    }

    /// The entry `spec` reads: a file named `spec` exactly, or the stack of the variable the
    /// spec names (`NDVI[3]`, `NDVI:mean`).
    fn entry_of(&self, spec: &str) -> Result<&Entry, IoError> {
        if let Some(e) = self
            .entries
            .iter()
            .find(|e| matches!(e, Entry::File(_)) && e.name() == spec)
        {
            return Ok(e);
        }
        let parsed = spec.parse::<VarSpec>().ok();
        if let Some(e) = parsed.and_then(|p| {
            self.entries
                .iter()
                .find(|e| matches!(e, Entry::Stack(_)) && e.name() == p.name)
        }) {
            return Ok(e);
        }
        let names: Vec<&str> = self.entries.iter().map(Entry::name).collect();
        let close = crate::io::grid::closest_names(spec, names.iter().copied());
        let message = if close.is_empty() {
            format!("not among the input's variables ({})", names.join(", "))
        } else {
            format!("not among the input's variables; did you mean {}?", close.join(", "))
        };
        Err(IoError::Variable {
            path: self.name.clone(),
            variable: spec.to_string(),
            message,
        })
    }
}

impl BlockReader for CompositeReader {
    fn source(&self) -> &Path {
        &self.name
    }

    fn grid(&self) -> &Grid {
        self.entries[0].files()[0].grid()
    }

    fn read_block(
        &self,
        spec: &str,
        rows: Range<usize>,
        cols: &[Range<usize>],
    ) -> Result<Vec<f64>, crate::dataset::DatasetError> {
        match self.entry_of(spec)? {
            Entry::File(f) => Ok(f.read_band_block(0, rows, cols)?),
            Entry::Stack(s) => s.read_block(spec, rows, cols),
        }
    }

    fn units(&self, spec: &str) -> Result<Option<String>, crate::dataset::DatasetError> {
        match self.entry_of(spec)? {
            Entry::File(f) => Ok(f.bands()[0].units.clone()),
            Entry::Stack(s) => s.units(spec),
        }
    }

    fn variable_names(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.name().to_string()).collect()
    }

    fn stacks(&self) -> Vec<StackInfo> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Stack(s) => Some(s.info()),
                Entry::File(_) => None,
            })
            .collect()
    }

    /// A stack's `NAME[*]` is its entries; a single file's is refused, as for any source
    /// without an extra dimension.
    fn expand(&self, spec: &str) -> Result<Vec<String>, crate::dataset::DatasetError> {
        match spec.parse::<VarSpec>() {
            Ok(parsed) if parsed.extra == Extra::All => match self.entry_of(spec) {
                Ok(Entry::Stack(s)) => s.expand(spec),
                _ => Err(crate::dataset::DatasetError::NoExtraDimension {
                    path: self.name.clone(),
                    variable: parsed.name,
                }),
            },
            _ => Ok(vec![spec.to_string()]),
        }
    }

    fn volume(&self) -> Option<crate::dataset::ReadVolume> {
        Some(
            self.files()
                .into_iter()
                .map(GeoTiffReader::volume)
                .fold(Default::default(), |a, v| crate::dataset::ReadVolume {
                    decoded_bytes: a.decoded_bytes + v.decoded_bytes,
                    input_bytes: a.input_bytes + v.input_bytes,
                }),
        )
    }
}
