//! Glue between `landclust run --reduce tt:R1,R2` and [`crate::reduce::tt`]: the
//! (latitude, longitude, variable) tensor of z-scores over the output window, its tensor train,
//! the cell embeddings and the reconstruction R2.
//!
//! **Unselected cells are unknowns, not zeros.** The window holds sea, gaps and cells outside
//! the selection; writing 0 there would make TT-SVD spend its ranks on the land/sea edge instead
//! of on the land-surface signal. They are filled by EM-style imputation
//! ([`crate::reduce::tt::TtParams::complete`]): start from 0 (the z-score mean), alternate TT-SVD
//! and refilling only the unknown entries with the reconstruction, until the relative change is
//! below [`TOL`] or after [`MAX_ITER`] TT-SVDs (the count is reported). R2 is computed on the
//! selected cells only.
//!
//! The embedding of cell `(i, j)` is `G1[i] G2[:, j, :]` (an R2-vector) after the last core is
//! given orthonormal rows ([`crate::reduce::tt::TensorTrain::orthogonalize_last`]), so Euclidean
//! distances between embeddings are distances between the reconstructed z-score vectors and the
//! coordinates come by decreasing energy, like PCA scores. `r2_per_rank[r - 1]` is the R2 of the
//! reconstruction from the first `r` coordinates (the PCA analogue: cumulative explained variance).
//!
//! **`tt-cell:R1,R2`: the (cell, variable, month) tensor** ([`reduce_cells`]). When the variables
//! are series over their extra dimension (`--vars 'NDVI[*],DHR670[*]'`: V variables x M months,
//! one z-score column each), the selected cells' z-scores form an N x V x M tensor with no
//! unknown entry (a cell is selected only when all its V M values are valid). It is decomposed in
//! the mode order (month, variable, cell), so that TT-SVD's left-to-right sweep leaves the month
//! and variable cores left-orthonormal and the cell core last: cell `i`'s fibre is
//! `A(:, :, i) = L g_i` with `L` (M V x R1) orthonormal, so `g_i` (an R1-vector) is its embedding,
//! distances between embeddings are distances between the reconstructed series, and the
//! coordinates come by decreasing energy. R1 bounds the (month variable | cell) bond, R2 the
//! (month | variable cell) bond. The unfoldings are M x V N and R2 V x N, so TT-SVD works on
//! small Gram matrices and never forms an N x N one. Parameters: `M R2 + R2 V R1 + R1 N`,
//! against PCA-R1's `N R1 + R1 V M + V M`: the tensor train compresses the loadings, not the
//! scores.

use super::prepare::Prepared;
use crate::dataset::varspec::{Extra, VarSpec};
use crate::error::Result;
use crate::features::total_variance;
use crate::pipeline::config::option_error;
use crate::reduce::tt::TtParams;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Completion stops when the filled entries change by less than this, relative to the norm of
/// the known entries.
pub const TOL: f64 = 1e-4;

/// Completion stops after this many TT-SVDs.
pub const MAX_ITER: usize = 100;

/// What the tensor train of a run produced (metrics.json `tt`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TtOutcome {
    /// What the modes are: `latitude, longitude, variable` (`tt:`) or `cell, variable, month`
    /// (`tt-cell:`).
    #[serde(default = "lat_lon_variable")]
    pub modes: String,
    /// Tensor shape, in the order of `modes`.
    pub shape: Vec<usize>,
    /// TT-ranks reached, as spelled on the command line `(R1, R2)` (at most the requested ones;
    /// lower when the data have lower rank).
    pub ranks: Vec<usize>,
    /// Numbers stored by the cores, `n_lat R1 + R1 n_lon R2 + R2 d` (`tt:`) or
    /// `M R2 + R2 V R1 + R1 N` (`tt-cell:`).
    pub n_params: usize,
    /// Share of the tensor's entries that were unknown (unselected cells).
    pub unknown_share: f64,
    /// TT-SVDs run by the completion.
    pub iterations: usize,
    pub converged: bool,
    /// The completion's last relative change.
    pub change: f64,
    /// R2 on the selected cells from the first r embedding coordinates, r = 1..R2.
    pub r2_per_rank: Vec<f64>,
    pub seconds: f64,
}

/// The tensor train of `prepared`'s z-scores with ranks `(r1, r2)`: cell embeddings
/// (n x R2, table order), R2 on the selected cells, and the outcome.
pub fn reduce_window(prepared: &Prepared, r1: usize, r2: usize) -> Result<(Array2<f64>, f64, TtOutcome)> {
    let started = Instant::now();
    let table = &prepared.table;
    let z = prepared.z.view();
    let (n, d) = z.dim();
    let window = table.output_window();
    let (nr, nc) = (window.n_rows(), window.n_cols());
    let spelled = format!("tt:{r1},{r2}");
    if r1 > nr {
        return Err(option_error(
            "--reduce",
            format!("{spelled}: R1 = {r1} exceeds the {nr} latitude rows of the window"),
        ));
    }
    if r2 > d || r2 > r1 * nc {
        return Err(option_error(
            "--reduce",
            format!("{spelled}: R2 = {r2} exceeds the {d} variables (or R1 x {nc} longitude columns)"),
        ));
    }
    let mut data = vec![0.0; nr * nc * d];
    let mut known = vec![false; nr * nc * d];
    let mut flat = Vec::with_capacity(n);
    for (t, cell) in table.cells.iter().enumerate() {
        let (Some(c), true) = (window.col_position(cell.col), window.rows.contains(&cell.row)) else {
            return Err(option_error(
                "--reduce",
                format!(
                    "{spelled}: cell at lat {}, lon {} is outside the output window",
                    cell.lat, cell.lon
                ),
            ));
        };
        let at = (cell.row - window.rows.start) * nc + c;
        flat.push(at);
        for v in 0..d {
            data[at * d + v] = z[[t, v]];
            known[at * d + v] = true;
        }
    }
    let params = TtParams::new()
        .ranks(vec![r1, r2])
        .tol(TOL)
        .max_iter(MAX_ITER)
        .build()?;
    let done = params.complete(&data, &known, &[nr, nc, d])?;
    drop(data);
    drop(known);
    let mut train = done.train;
    train.orthogonalize_last()?;
    let interface = train.left_interface();
    let g = train.last_matrix();
    let m = g.nrows();
    let coords = Array2::from_shape_fn((n, m), |(t, c)| interface[[flat[t], c]]);
    let var = total_variance(z) * (n * d) as f64;
    let mut r2_per_rank = Vec::with_capacity(m);
    for r in 1..=m {
        let x_hat = coords.slice(ndarray::s![.., ..r]).dot(&g.slice(ndarray::s![..r, ..]));
        let sse: f64 = (&x_hat - &z).mapv(|e| e * e).sum();
        r2_per_rank.push(1.0 - sse / var);
    }
    let r2 = r2_per_rank.last().copied().unwrap_or(f64::NAN);
    let unknown = (nr * nc - n) as f64 / (nr * nc) as f64;
    if !done.converged {
        crate::progress::note(format!(
            "{spelled}: the completion of the {:.0} % unknown entries stopped after {} TT-SVDs (change {:.2e} > {TOL:e})",
            100.0 * unknown,
            done.iterations,
            done.change
        ));
    }
    let outcome = TtOutcome {
        modes: lat_lon_variable(),
        shape: vec![nr, nc, d],
        ranks: train.ranks(),
        n_params: train.n_params(),
        unknown_share: unknown,
        iterations: done.iterations,
        converged: done.converged,
        change: done.change,
        r2_per_rank,
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((coords, r2, outcome))
}

fn lat_lon_variable() -> String {
    "latitude, longitude, variable".into()
}

/// The series layout of z-score columns named `names`: the variables in order of first
/// appearance and `columns[v][m]`, the column of variable `v` at the `m`-th extra index. Every
/// name must be `NAME[i]`, every variable with the same indices (at least two).
pub fn series_layout(names: &[String]) -> std::result::Result<(Vec<String>, Vec<Vec<usize>>), String> {
    let mut vars: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for (col, name) in names.iter().enumerate() {
        let spec: VarSpec = name
            .parse()
            .map_err(|e: crate::dataset::varspec::VarSpecError| e.to_string())?;
        let Extra::Index(i) = spec.extra else {
            return Err(format!(
                "variable {name} is not an entry of a series; give every variable as NAME[*] (e.g. --vars 'NDVI[*],DHR670[*]')"
            ));
        };
        match vars.iter_mut().find(|(n, _)| *n == spec.name) {
            Some((_, entries)) => entries.push((i, col)),
            None => vars.push((spec.name.clone(), vec![(i, col)])),
        }
    }
    let mut columns = Vec::with_capacity(vars.len());
    let mut first: Option<(String, Vec<usize>)> = None;
    for (name, mut entries) in vars.iter().cloned() {
        entries.sort_unstable();
        let indices: Vec<usize> = entries.iter().map(|e| e.0).collect();
        if indices.windows(2).any(|w| w[0] == w[1]) {
            return Err(format!("variable {name} lists the same entry twice"));
        }
        match &first {
            None => first = Some((name.clone(), indices)),
            Some((n0, i0)) if *i0 != indices => {
                return Err(format!(
                    "variables {n0} and {name} have different entries of their extra dimension ({i0:?} vs {indices:?})"
                ));
            }
            Some(_) => {}
        }
        columns.push(entries.iter().map(|e| e.1).collect::<Vec<_>>());
    }
    if columns.first().is_none_or(|c| c.len() < 2) {
        return Err("a series needs at least 2 entries of the extra dimension".into());
    }
    Ok((vars.into_iter().map(|(n, _)| n).collect(), columns))
}

/// The tensor train of the (cell, variable, month) tensor of `prepared`'s z-scores with ranks
/// `(r1, r2)` (see the module notes): cell embeddings (n x R1, table order), R2, the outcome.
pub fn reduce_cells(prepared: &Prepared, r1: usize, r2: usize) -> Result<(Array2<f64>, f64, TtOutcome)> {
    let started = Instant::now();
    let z = prepared.z.view();
    let (n, d) = z.dim();
    let spelled = format!("tt-cell:{r1},{r2}");
    let (names, columns) =
        series_layout(&prepared.table.names).map_err(|m| option_error("--reduce", format!("{spelled}: {m}")))?;
    let (v, m) = (columns.len(), columns[0].len());
    if r2 > m {
        return Err(option_error(
            "--reduce",
            format!("{spelled}: R2 = {r2} exceeds the {m} entries of the series' extra dimension"),
        ));
    }
    if r1 > r2 * v || r1 > n {
        return Err(option_error(
            "--reduce",
            format!("{spelled}: R1 = {r1} exceeds R2 x {v} variables (or the {n} cells)"),
        ));
    }
    // (month, variable, cell), C order: entry (t, j, i) at (t v + j) n + i.
    let mut data = vec![0.0; m * v * n];
    for (j, cols) in columns.iter().enumerate() {
        for (t, &c) in cols.iter().enumerate() {
            let base = (t * v + j) * n;
            for (i, x) in z.column(c).iter().enumerate() {
                data[base + i] = *x;
            }
        }
    }
    let train = TtParams::new()
        .ranks(vec![r2, r1])
        .build()?
        .decompose(&data, &[m, v, n])?;
    drop(data);
    let basis = train.left_interface();
    let g = train.last_matrix();
    let e = g.nrows();
    let coords = g.t().to_owned();
    let var = total_variance(z) * (n * d) as f64;
    // The residual of the first r coordinates, columns in the tensor's (month, variable) order:
    // each rank subtracts its own rank-one term, so the per-rank R2 costs O(n d) per rank.
    let mut residual = Array2::<f64>::zeros((n, m * v));
    for (j, cols) in columns.iter().enumerate() {
        for (t, &c) in cols.iter().enumerate() {
            residual.column_mut(t * v + j).assign(&z.column(c));
        }
    }
    let mut r2_per_rank = Vec::with_capacity(e);
    for r in 0..e {
        let (g, l) = (coords.column(r), basis.column(r));
        for (mut row, &gi) in residual.rows_mut().into_iter().zip(g) {
            row.zip_mut_with(&l, |x, &lk| *x -= gi * lk);
        }
        let sse: f64 = residual.iter().map(|x| x * x).sum();
        r2_per_rank.push(1.0 - sse / var);
    }
    let r2_all = r2_per_rank.last().copied().unwrap_or(f64::NAN);
    let reached = train.ranks();
    let outcome = TtOutcome {
        modes: format!("cell, variable ({}), month", names.join(", ")),
        shape: vec![n, v, m],
        ranks: vec![reached[1], reached[0]],
        n_params: train.n_params(),
        unknown_share: 0.0,
        iterations: 1,
        converged: true,
        change: 0.0,
        r2_per_rank,
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((coords, r2_all, outcome))
}

/// One sentence for the report and the notes.
pub fn describe(o: &TtOutcome) -> String {
    if o.modes.starts_with("cell") {
        let per_rank: Vec<String> = o.r2_per_rank.iter().map(|r| format!("{r:.4}")).collect();
        return format!(
            "Tensor train of the {} x {} x {} ({}) z-score tensor of the selected cells with TT-ranks {:?} ({} parameters; decomposed as (month, variable, cell) so that the cell core is the embedding); reconstruction R2 from the first 1..{} embedding coordinates: {} ({:.2} s).",
            o.shape[0],
            o.shape[1],
            o.shape[2],
            o.modes,
            o.ranks,
            o.n_params,
            o.r2_per_rank.len(),
            per_rank.join(", "),
            o.seconds
        );
    }
    let per_rank: Vec<String> = o.r2_per_rank.iter().map(|r| format!("{r:.4}")).collect();
    format!(
        "Tensor train of the {} x {} x {} (latitude, longitude, variable) z-score tensor with TT-ranks {:?} ({} parameters); the {:.0} % unselected cells were filled by EM imputation in {} TT-SVDs ({}, last change {:.1e}); reconstruction R2 on the selected cells from the first 1..{} embedding coordinates: {} ({:.2} s).",
        o.shape[0],
        o.shape[1],
        o.shape[2],
        o.ranks,
        o.n_params,
        100.0 * o.unknown_share,
        o.iterations,
        if o.converged { "converged" } else { "not converged" },
        o.change,
        o.r2_per_rank.len(),
        per_rank.join(", "),
        o.seconds
    )
}

#[cfg(test)]
#[path = "tt_tests.rs"]
mod tests;
