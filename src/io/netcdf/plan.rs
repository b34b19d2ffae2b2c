//! How one variable spec is read on the grid, whatever stores the array: which entry of the
//! extra dimension (`NAME[i]`), which axis to reduce (`NAME:mean`), the hyperslab of each
//! block, and how its stored values land in the grid-ordered block. Shared by the netCDF reader
//! and the Zarr reader ([`crate::io::zarr`]), which describes its arrays as [`NcVariable`]s.

use super::cf::CfDecoder;
use super::grid::Placement;
use crate::dataset::Grid;
use crate::dataset::varspec::{Extra, Reduction, VarSpec};
use crate::io::grid::file_segments;
use netcdf_reader::NcVariable;
use std::ops::Range;

/// `name=len` of dimension `k` of `var`.
pub(crate) fn dim_text(var: &NcVariable, k: usize) -> String {
    format!("{}={}", var.dimensions[k].name, var.dimensions[k].size)
}

/// Positions of `var`'s dimensions that are not the grid's.
pub(crate) fn extra_dims(var: &NcVariable, placement: &Placement) -> Vec<usize> {
    (0..var.dimensions.len())
        .filter(|&k| k != placement.row_axis && k != placement.col_axis)
        .collect()
}

/// Row-major strides of an array with these counts.
pub(crate) fn c_strides(counts: &[usize]) -> Vec<usize> {
    let mut strides = vec![1; counts.len()];
    for k in (0..counts.len().saturating_sub(1)).rev() {
        strides[k] = strides[k + 1] * counts[k + 1];
    }
    strides
}

/// What a hyperslab takes along one dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Extent {
    /// These elements.
    Range(Range<u64>),
    /// One element (the dimension drops out of the values, count 1).
    Index(u64),
}

/// The hyperslab of one piece of a block: an extent per dimension, the element count along each
/// dimension of what it reads, and whether that is the whole variable.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hyperslab {
    pub extents: Vec<Extent>,
    pub counts: Vec<usize>,
    pub whole: bool,
}

/// How to read one variable besides the grid's rows and columns: the entry picked on its extra
/// dimension (`NAME[i]`; entry 0 of a length-1 extra dimension) and the extra axis to reduce
/// over (`NAME:mean`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadPlan {
    index: Option<(usize, u64)>,
    reduce: Option<(usize, Reduction)>,
}

impl ReadPlan {
    /// The plan for `spec` on `var` placed on the grid at `placement`; the error is the message
    /// about the variable (the caller names the file and the variable).
    pub(crate) fn new(var: &NcVariable, placement: &Placement, spec: &VarSpec) -> Result<Self, String> {
        let extras = extra_dims(var, placement);
        let long: Vec<usize> = extras.iter().copied().filter(|&k| var.dimensions[k].size > 1).collect();
        if long.len() > 1 {
            let names: Vec<String> = long.iter().map(|&k| dim_text(var, k)).collect();
            return Err(format!(
                "has {} extra dimensions ({}); landclust reads variables with one at most",
                long.len(),
                names.join(", ")
            ));
        }
        let target = long.first().or(extras.first()).copied();
        let name = &var.name;
        let (index, reduce) = match (spec.extra, target) {
            (Extra::None, Some(k)) if var.dimensions[k].size > 1 => {
                let n = var.dimensions[k].size;
                return Err(format!(
                    "has an extra dimension {} besides the grid: pick one entry with {name}[i] (i in 0..{}), take them all as a series with {name}[*], or reduce it with {name}:mean (or :min, :max, :median)",
                    dim_text(var, k),
                    n.saturating_sub(1)
                ));
            }
            (Extra::None, _) => (None, None),
            (Extra::All, _) => {
                return Err(format!(
                    "{name}[*] stands for every entry of the extra dimension; expand it first (landclust run and export do)"
                ));
            }
            (_, None) => {
                return Err(format!(
                    "has no extra dimension; use plain {name} without [i] or :reduction"
                ));
            }
            (Extra::Index(i), Some(k)) => {
                let n = var.dimensions[k].size;
                if i as u64 >= n {
                    return Err(format!(
                        "index {i} is out of range: dimension {} has {n} entries (0..{})",
                        dim_text(var, k),
                        n.saturating_sub(1)
                    ));
                }
                (Some((k, i as u64)), None)
            }
            (Extra::Reduce(r), Some(k)) => (None, Some((k, r))),
        };
        Ok(ReadPlan { index, reduce })
    }

    /// The hyperslab of file rows `rows` and file columns `cols`.
    pub(crate) fn hyperslab(
        &self,
        var: &NcVariable,
        placement: &Placement,
        rows: &Range<usize>,
        cols: &Range<usize>,
    ) -> Hyperslab {
        let mut counts = Vec::with_capacity(var.dimensions.len());
        let mut extents = Vec::with_capacity(var.dimensions.len());
        let mut whole = true;
        for (k, d) in var.dimensions.iter().enumerate() {
            let range = if k == placement.row_axis {
                Some(rows.clone())
            } else if k == placement.col_axis {
                Some(cols.clone())
            } else {
                None
            };
            match range {
                Some(r) => {
                    whole &= r.start == 0 && r.end as u64 == d.size;
                    extents.push(Extent::Range(r.start as u64..r.end as u64));
                    counts.push(r.len());
                }
                None if self.reduce.is_some_and(|(rk, _)| rk == k) => {
                    extents.push(Extent::Range(0..d.size));
                    counts.push(d.size as usize);
                }
                None => {
                    let at = self.index.filter(|(ik, _)| *ik == k).map_or(0, |(_, i)| i);
                    whole &= d.size == 1;
                    extents.push(Extent::Index(at));
                    counts.push(1);
                }
            }
        }
        Hyperslab { extents, counts, whole }
    }
}

/// The specs a series `NAME[*]` of `var` stands for: `NAME[0] .. NAME[n-1]` over its one extra
/// dimension of length `n`; the error is the message about the variable.
pub(crate) fn expand_series(var: &NcVariable, placement: &Placement, name: &str) -> Result<Vec<String>, String> {
    let extras = extra_dims(var, placement);
    let long: Vec<usize> = extras.iter().copied().filter(|&k| var.dimensions[k].size > 1).collect();
    match long.as_slice() {
        [k] => Ok((0..var.dimensions[*k].size)
            .map(|i| {
                VarSpec {
                    name: name.to_string(),
                    extra: Extra::Index(i as usize),
                }
                .to_string()
            })
            .collect()),
        [] => Err(format!("has no extra dimension to expand; use plain {}", var.name)),
        _ => Err("has more than one extra dimension; landclust reads variables with one at most".to_string()),
    }
}

/// Values of `var` on grid rows `rows` and the grid columns of `cols` (segments in order),
/// row-major `rows.len() x sum(len)`: CF-decoded by `decoder`, `NaN` where missing. Each piece
/// is one hyperslab read by `read` (stored values in C order, promoted to f64): the grid rows
/// map to a contiguous range of file rows (reversed for a south-first file) and a column
/// segment to one or two ranges of file columns (two where it crosses the file's 0/360 seam).
/// `error` turns a message about the variable into the caller's error.
#[allow(clippy::too_many_arguments)] // the read's whole context; a struct would only rename it
pub(crate) fn read_block_with<E>(
    var: &NcVariable,
    placement: &Placement,
    plan: &ReadPlan,
    decoder: &CfDecoder,
    grid: &Grid,
    rows: Range<usize>,
    cols: &[Range<usize>],
    mut read: impl FnMut(&Hyperslab) -> Result<Vec<f64>, E>,
    error: impl Fn(String) -> E,
) -> Result<Vec<f64>, E> {
    let (nr, nc) = (grid.n_rows, grid.n_cols);
    if rows.end > nr || cols.iter().any(|c| c.end > nc) {
        return Err(error("block outside the grid".to_string()));
    }
    let flipped = grid.orientation.lat_flipped;
    let file_rows = if flipped {
        nr - rows.end..nr - rows.start
    } else {
        rows.clone()
    };
    let width: usize = cols.iter().map(|c| c.len()).sum();
    let mut out = vec![f64::NAN; rows.len() * width];
    let mut offset = 0;
    for seg in cols {
        for (file_cols, at) in file_segments(seg, grid.orientation.lon_shift, nc) {
            let slab = plan.hyperslab(var, placement, &file_rows, &file_cols);
            let mut values = read(&slab)?;
            let expected: usize = slab.counts.iter().product();
            if values.len() != expected {
                return Err(error(format!("read {} values, expected {expected}", values.len())));
            }
            decoder.decode_all(&mut values);
            let strides = c_strides(&slab.counts);
            let (rs, cs) = (strides[placement.row_axis], strides[placement.col_axis]);
            let reduce = plan.reduce.map(|(axis, r)| (strides[axis], slab.counts[axis], r));
            let mut buf = Vec::new();
            let mut scratch = Vec::new();
            for (i, r) in rows.clone().enumerate() {
                let local_row = if flipped {
                    nr - 1 - r - file_rows.start
                } else {
                    r - file_rows.start
                };
                let dst = i * width + offset + at;
                for j in 0..file_cols.len() {
                    let base = local_row * rs + j * cs;
                    out[dst + j] = match reduce {
                        None => values[base],
                        Some((stride, len, reduction)) => {
                            buf.clear();
                            buf.extend((0..len).map(|k| values[base + k * stride]));
                            reduction.apply_with(&buf, &mut scratch)
                        }
                    };
                }
            }
        }
        offset += seg.len();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_are_row_major() {
        assert_eq!(c_strides(&[12, 3, 4]), vec![12, 4, 1]);
        assert_eq!(c_strides(&[1, 3, 4]), vec![12, 4, 1]);
        assert_eq!(c_strides(&[]), Vec::<usize>::new());
    }
}
