//! A stack of files on one grid read as one input, each variable a series along the files.
//!
//! Entry `i` of the series is file `i`: `NAME[i]` reads `NAME` from file `i`, `NAME[*]` stands
//! for every entry, `NAME:mean|min|max|median` reduces over the files per cell, ignoring
//! missing values, with [`Reduction::apply_with`] over the entries in file order, the same
//! arithmetic as over a netCDF variable's extra dimension (so a stack and the one file it was
//! cut from give the same values, bit for bit). Plain `NAME` reads a field every file holds
//! alike (a land mask copied into each monthly file); where the files differ it is refused
//! with the choice between an entry, the series and a reduction.
//!
//! Memory: each file's reader reads only the rows asked for; a reduction reads the files in
//! slices of `rows / n` rows, so what it holds at a time is about one block whatever the
//! number of files.

use crate::dataset::varspec::{Extra, VarSpec};
use crate::dataset::{BlockReader, DatasetError, Grid, StackInfo};
use crate::io::IoError;
use std::ops::Range;
use std::path::{Path, PathBuf};

type Result<T, E = DatasetError> = std::result::Result<T, E>;

/// How the entries are ordered (recorded in the outputs, [`StackInfo::order`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackOrder {
    /// By each file's CF time coordinate.
    Time,
    /// A glob's matches, by file name.
    Name,
    /// As the user listed them.
    List,
}

impl StackOrder {
    /// The word the outputs use.
    pub fn word(self) -> &'static str {
        match self {
            StackOrder::Time => "time",
            StackOrder::Name => "name",
            StackOrder::List => "list",
        }
    }
}

/// Grids equal up to rounding (1e-9 of a degree) of the cell centres.
pub fn same_grid(a: &Grid, b: &Grid) -> bool {
    let close = |x: &[f64], y: &[f64]| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| (p - q).abs() < 1e-9);
    a.n_rows == b.n_rows && a.n_cols == b.n_cols && close(&a.lat, &b.lat) && close(&a.lon, &b.lon)
}

/// The one-line message of two files on different grids.
pub fn grid_mismatch(file: &Path, grid: &Grid, first: &Path, first_grid: &Grid) -> IoError {
    IoError::format(
        file,
        format!(
            "grid {}x{} (first cell {:.4}N {:.4}E) differs from that of {} ({}x{}, first cell {:.4}N {:.4}E); all files must share one grid",
            grid.n_rows,
            grid.n_cols,
            grid.row_lat(0),
            grid.col_lon(0),
            first.display(),
            first_grid.n_rows,
            first_grid.n_cols,
            first_grid.row_lat(0),
            first_grid.col_lon(0)
        ),
    )
}

/// The files of a stack, each opened by its own reader, with one label per entry.
#[derive(Debug)]
pub struct StackReader<R> {
    name: PathBuf,
    members: Vec<R>,
    labels: Vec<String>,
    order: StackOrder,
    variable: Option<String>,
}

impl<R: BlockReader> StackReader<R> {
    /// A stack named `name` (the pattern as given, for messages) of `members` in entry order
    /// with their `labels`; `variable` is the one variable it holds (a composite input's
    /// `NAME=FILES`), `None` for all the files' variables. The files must share one grid: a
    /// mismatch names both files.
    pub fn new(
        name: &Path,
        members: Vec<R>,
        labels: Vec<String>,
        order: StackOrder,
        variable: Option<String>,
    ) -> Result<Self, IoError> {
        let Some(first) = members.first() else {
            return Err(IoError::format(name, "the stack holds no file"));
        };
        if labels.len() != members.len() {
            return Err(IoError::format(name, "one label per file is needed"));
        }
        for m in &members[1..] {
            if !same_grid(first.grid(), m.grid()) {
                return Err(grid_mismatch(m.source(), m.grid(), first.source(), first.grid()));
            }
        }
        Ok(StackReader {
            name: name.to_path_buf(),
            members,
            labels,
            order,
            variable,
        })
    }

    /// The readers of the files, in entry order.
    pub fn members(&self) -> &[R] {
        &self.members
    }

    /// The readers of the files, to apply the user's decoding to.
    pub fn members_mut(&mut self) -> &mut [R] {
        &mut self.members
    }

    /// The entries' labels (dates or file stems).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The one variable the stack holds, if it holds one.
    pub fn variable(&self) -> Option<&str> {
        self.variable.as_deref()
    }

    /// What the outputs record of the stack.
    pub fn info(&self) -> StackInfo {
        StackInfo {
            pattern: self.name.display().to_string(),
            variable: self.variable.clone(),
            order: self.order.word().to_string(),
            labels: self.labels.clone(),
            files: self.members.iter().map(|m| m.source().display().to_string()).collect(),
        }
    }

    fn error(&self, variable: &str, message: impl Into<String>) -> DatasetError {
        IoError::Variable {
            path: self.name.clone(),
            variable: variable.to_string(),
            message: message.into(),
        }
        .into()
    }

    fn parse(&self, spec: &str) -> Result<VarSpec> {
        spec.parse::<VarSpec>()
            .map_err(|e| IoError::format(&self.name, e.to_string()).into())
    }

    /// The entry range message part: `(0..n-1)`.
    fn entries(&self) -> String {
        format!("{} files, entries 0..{}", self.members.len(), self.members.len() - 1)
    }

    /// Blocks of `name` from every file on `rows`, checked for their length.
    fn read_all(&self, name: &str, rows: Range<usize>, cols: &[Range<usize>]) -> Result<Vec<Vec<f64>>> {
        let expected = rows.len() * cols.iter().map(|c| c.len()).sum::<usize>();
        self.members
            .iter()
            .map(|m| {
                let block = m.read_block(name, rows.clone(), cols)?;
                if block.len() == expected {
                    Ok(block)
                } else {
                    Err(IoError::Variable {
                        path: m.source().to_path_buf(),
                        variable: name.to_string(),
                        message: format!("read {} values, expected {expected}", block.len()),
                    }
                    .into())
                }
            })
            .collect()
    }

    /// Plain `name`: the values every file holds alike.
    fn read_common(&self, name: &str, rows: Range<usize>, cols: &[Range<usize>]) -> Result<Vec<f64>> {
        let first = self.members[0].read_block(name, rows.clone(), cols)?;
        for m in &self.members[1..] {
            let block = m.read_block(name, rows.clone(), cols)?;
            let same = block.len() == first.len()
                && first
                    .iter()
                    .zip(&block)
                    .all(|(a, b)| a == b || (a.is_nan() && b.is_nan()));
            if !same {
                return Err(self.error(
                    name,
                    format!(
                        "differs between {} and {}: it is a series over the stack ({}); pick one entry with {name}[i], take them all with {name}[*], or reduce them with {name}:mean (or :min, :max, :median)",
                        self.members[0].source().display(),
                        m.source().display(),
                        self.entries()
                    ),
                ));
            }
        }
        Ok(first)
    }

    /// `name` reduced over the files per cell, in slices of rows that keep about one block
    /// in memory in all.
    fn read_reduced(
        &self,
        name: &str,
        reduction: crate::dataset::varspec::Reduction,
        rows: Range<usize>,
        cols: &[Range<usize>],
    ) -> Result<Vec<f64>> {
        let width: usize = cols.iter().map(|c| c.len()).sum();
        let n = self.members.len();
        let slice_rows = (rows.len() / n).max(1);
        let mut out = Vec::with_capacity(rows.len() * width);
        let mut buf = Vec::with_capacity(n);
        let mut scratch = Vec::new();
        let mut r = rows.start;
        while r < rows.end {
            let r1 = (r + slice_rows).min(rows.end);
            let blocks = self.read_all(name, r..r1, cols)?;
            for c in 0..(r1 - r) * width {
                buf.clear();
                buf.extend(blocks.iter().map(|b| b[c]));
                out.push(reduction.apply_with(&buf, &mut scratch));
            }
            r = r1;
        }
        Ok(out)
    }

    fn check_variable(&self, name: &str) -> Result<()> {
        match &self.variable {
            Some(v) if v != name => Err(self.error(name, format!("not in the stack (it holds {v})"))),
            _ => Ok(()),
        }
    }
}

impl<R: BlockReader> BlockReader for StackReader<R> {
    fn source(&self) -> &Path {
        &self.name
    }

    fn grid(&self) -> &Grid {
        self.members[0].grid()
    }

    fn read_block(&self, spec: &str, rows: Range<usize>, cols: &[Range<usize>]) -> Result<Vec<f64>> {
        let parsed = self.parse(spec)?;
        let name = parsed.name.as_str();
        self.check_variable(name)?;
        match parsed.extra {
            Extra::Index(i) => match self.members.get(i) {
                Some(m) => m.read_block(name, rows, cols),
                None => Err(self.error(
                    name,
                    format!("index {i} is out of range: the stack has {}", self.entries()),
                )),
            },
            Extra::Reduce(r) => self.read_reduced(name, r, rows, cols),
            Extra::None => self.read_common(name, rows, cols),
            Extra::All => Err(self.error(
                name,
                format!("{name}[*] stands for every file of the stack; expand it first (landclust run and export do)"),
            )),
        }
    }

    fn units(&self, spec: &str) -> Result<Option<String>> {
        let parsed = self.parse(spec)?;
        let name = parsed.name.as_str();
        self.check_variable(name)?;
        // Every file must hold the variable: a gap is found before any block is read.
        let mut units = None;
        for (k, m) in self.members.iter().enumerate() {
            let u = m.units(name)?;
            if k == 0 {
                units = u;
            }
        }
        match parsed.extra {
            Extra::Index(i) if i >= self.members.len() => Err(self.error(
                name,
                format!("index {i} is out of range: the stack has {}", self.entries()),
            )),
            _ => Ok(units),
        }
    }

    fn variable_names(&self) -> Vec<String> {
        match &self.variable {
            Some(v) => vec![v.clone()],
            None => self.members[0].variable_names(),
        }
    }

    fn stacks(&self) -> Vec<StackInfo> {
        vec![self.info()]
    }

    fn expand(&self, spec: &str) -> Result<Vec<String>> {
        let parsed = self.parse(spec)?;
        if parsed.extra != Extra::All {
            return Ok(vec![spec.to_string()]);
        }
        self.check_variable(&parsed.name)?;
        self.members[0].units(&parsed.name)?;
        Ok((0..self.members.len())
            .map(|i| {
                VarSpec {
                    name: parsed.name.clone(),
                    extra: Extra::Index(i),
                }
                .to_string()
            })
            .collect())
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
