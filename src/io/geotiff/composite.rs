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

use super::{GeoTiffReader, ReadLimits};
use crate::dataset::Grid;
use crate::io::IoError;
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
            Some(b) if file.is_relative() => b.join(file),
            _ => file,
        };
        items.push((name, file));
    }
    Ok(items)
}

/// A file with the user's decoding after `?` (`f.tif?scale=1e-4&nodata=-999`, the keys of
/// [`crate::dataset::decode`] joined by `&`): the file and the keys. A path that exists as given
/// is a file, even with a `?` in its name.
pub fn split_decoding(file: &Path) -> (PathBuf, Option<String>) {
    let text = file.to_string_lossy();
    match text.rsplit_once('?') {
        Some((path, query)) if !file.exists() => (PathBuf::from(path), Some(query.to_string())),
        _ => (file.to_path_buf(), None),
    }
}

/// Grids equal up to rounding (1e-9 of a degree) of the cell centres.
fn same_grid(a: &Grid, b: &Grid) -> bool {
    let close = |x: &[f64], y: &[f64]| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| (p - q).abs() < 1e-9);
    a.n_rows == b.n_rows && a.n_cols == b.n_cols && close(&a.lat, &b.lat) && close(&a.lon, &b.lon)
}

/// The note for stderr when the files are not all on the first file's datum: the grid (and the
/// CRS written to the outputs) is the first file's; a datum shift is far below a cell at the
/// resolutions clustered, so the data are not moved.
fn datum_note(text: &Path, files: &[GeoTiffReader]) -> Option<String> {
    let first = files.first()?;
    let crs = first.grid().crs();
    let differ: Vec<&GeoTiffReader> = files.iter().filter(|f| !f.grid().crs().same_datum(&crs)).collect();
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

/// Single-band GeoTIFFs on one grid, each band a named variable.
#[derive(Debug)]
pub struct CompositeReader {
    name: PathBuf,
    files: Vec<GeoTiffReader>,
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
        let mut files: Vec<GeoTiffReader> = Vec::with_capacity(items.len());
        for (name, file) in &items {
            let (file, query) = &split_decoding(file);
            let held: u64 = files.iter().map(GeoTiffReader::buffer_bytes).sum();
            let left = ReadLimits {
                memory: limits.memory.saturating_sub(held),
            };
            let mut reader = GeoTiffReader::open_within(file, left)?;
            if let Some(query) = query {
                let o = crate::dataset::DecodeOverrides::parse_all(&[format!("{name}:{query}")])
                    .map_err(|e| IoError::format(text, e.to_string()))?;
                reader.set_band_decoding(0, o.get(name).cloned().unwrap_or_default());
            }
            if reader.bands().len() != 1 {
                return Err(IoError::format(
                    file,
                    format!(
                        "has {} bands; NAME=FILE takes single-band files (give a multi-band file alone)",
                        reader.bands().len()
                    ),
                ));
            }
            if let Some(first) = files.first()
                && !same_grid(first.grid(), reader.grid())
            {
                let (g, h) = (first.grid(), reader.grid());
                return Err(IoError::format(
                    file,
                    format!(
                        "grid {}x{} (first cell {:.4}N {:.4}E) differs from that of {} ({}x{}, first cell {:.4}N {:.4}E); all files must share one grid",
                        h.n_rows,
                        h.n_cols,
                        h.row_lat(0),
                        h.col_lon(0),
                        first.path().display(),
                        g.n_rows,
                        g.n_cols,
                        g.row_lat(0),
                        g.col_lon(0)
                    ),
                ));
            }
            reader.rename_band(0, name);
            files.push(reader);
        }
        Ok(CompositeReader {
            name: text.to_path_buf(),
            files,
        })
    }

    /// A note when the files are on different datums (see [`datum_note`]); the reader that a
    /// command reads from says it once ([`crate::io::open_input_with`]), not every opening.
    pub fn datum_note(&self) -> Option<String> {
        datum_note(&self.name, &self.files)
    }

    /// The most the files hold decoded at a time: one row of chunks each.
    pub fn buffer_bytes(&self) -> u64 {
        self.files.iter().map(GeoTiffReader::buffer_bytes).sum()
    }

    /// Apply the user's decoding (`--decode`) to the files of the variables it names; a name
    /// that is none of the input's variables is an error listing them.
    pub fn apply_decoding(&mut self, overrides: &crate::dataset::DecodeOverrides) -> Result<(), IoError> {
        for name in overrides.names() {
            let at = self.files.iter().position(|f| f.bands()[0].name == name);
            let Some(at) = at else {
                let names: Vec<&str> = self.files.iter().map(|f| f.bands()[0].name.as_str()).collect();
                return Err(IoError::Variable {
                    path: self.name.clone(),
                    variable: name.to_string(),
                    message: format!("--decode names none of the input's variables ({})", names.join(", ")),
                });
            };
            self.files[at].set_band_decoding(0, overrides.get(name).cloned().unwrap_or_default());
        }
        Ok(())
    }

    /// The files, one per variable, in the order given.
    pub fn files(&self) -> &[GeoTiffReader] {
        &self.files
    }

    fn file_of(&self, spec: &str) -> Result<&GeoTiffReader, IoError> {
        if let Some(f) = self.files.iter().find(|f| f.bands()[0].name == spec) {
            return Ok(f);
        }
        let names: Vec<&str> = self.files.iter().map(|f| f.bands()[0].name.as_str()).collect();
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

impl crate::dataset::BlockReader for CompositeReader {
    fn source(&self) -> &Path {
        &self.name
    }

    fn grid(&self) -> &Grid {
        self.files[0].grid()
    }

    fn read_block(
        &self,
        spec: &str,
        rows: Range<usize>,
        cols: &[Range<usize>],
    ) -> Result<Vec<f64>, crate::dataset::DatasetError> {
        Ok(self.file_of(spec)?.read_band_block(0, rows, cols)?)
    }

    fn units(&self, spec: &str) -> Result<Option<String>, crate::dataset::DatasetError> {
        Ok(self.file_of(spec)?.bands()[0].units.clone())
    }

    fn variable_names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.bands()[0].name.clone()).collect()
    }

    fn volume(&self) -> Option<crate::dataset::ReadVolume> {
        Some(
            self.files
                .iter()
                .map(GeoTiffReader::volume)
                .fold(Default::default(), |a, v| crate::dataset::ReadVolume {
                    decoded_bytes: a.decoded_bytes + v.decoded_bytes,
                    input_bytes: a.input_bytes + v.input_bytes,
                }),
        )
    }
}
