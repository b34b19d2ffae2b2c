//! The demo's side-by-side comparison of methods: one row per contender with
//! its scores in its own space and in the standardized space, ARI/NMI against the demo's
//! `SurfaceClass`, the size of its representation and its run time. Written as
//! `comparison.csv` and as a table of the demo report.

use crate::error::Result;
use crate::pipeline::config::{Reduce, RunConfig};
use crate::pipeline::run::Analysed;
use crate::pipeline::run::analysis::{self, Prepared, Space};
use crate::report::Table;
use std::path::Path;

/// One analysis to compare.
pub struct Entry<'a> {
    pub name: &'a str,
    pub cfg: &'a RunConfig,
    pub space: &'a Space,
    pub analysed: &'a Analysed,
}

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    pub name: String,
    pub reduce: Reduce,
    pub method: String,
    pub k: usize,
    /// Dimensions of the clustering space.
    pub dims: usize,
    /// Numbers that represent the standardized data in this space (see [`n_params`]).
    pub n_params: Option<usize>,
    /// Reconstruction R2 of the standardized data from this space (1 for the z-scores).
    pub r2: f64,
    pub silhouette_own: f64,
    pub davies_bouldin_own: f64,
    pub silhouette_std: f64,
    pub davies_bouldin_std: f64,
    pub ari: Option<f64>,
    pub nmi: Option<f64>,
    /// Reduction (VAE training, TT completion) + clustering + scoring, in seconds.
    pub seconds: f64,
}

/// Numbers that represent the n x d z-scores in the space of `space`: the z-scores themselves
/// (`n d`); PCA scores, axes and mean (`n k + k d + d`); the TT cores
/// (`n_lat R1 + R1 n_lon R2 + R2 d`). `None` for the VAE (its decoder is not counted here).
pub fn n_params(space: &Space, n: usize, d: usize) -> Option<usize> {
    crate::pipeline::run::reductions::reduction(space.reduce).n_params(space, n, d)
}

/// The rows of `entries`, in order. Standardized-space scores are those saved with the run, or
/// computed here for a run in the standardized space itself.
pub fn rows(prepared: &Prepared, entries: &[Entry]) -> Result<Vec<ComparisonRow>> {
    let (n, d) = prepared.z.dim();
    entries
        .iter()
        .map(|e| {
            let a = e.analysed;
            let std = match a.scores_standardized {
                Some(s) => s,
                None if e.space.reduce == Reduce::None => a.scores,
                None => analysis::scores(prepared.z.view(), &a.clustering.labels, &e.cfg.scale, e.cfg.seed)?,
            };
            Ok(ComparisonRow {
                name: e.name.to_string(),
                reduce: e.space.reduce,
                method: a.clustering.method.to_string(),
                k: a.clustering.k,
                // IDEC/DCSS cluster in their learned embedding (not counted, no R2 kept).
                dims: a
                    .clustering
                    .embedding
                    .as_ref()
                    .map_or(e.space.coords.ncols(), |z| z.ncols()),
                n_params: a
                    .clustering
                    .embedding
                    .is_none()
                    .then(|| n_params(e.space, n, d))
                    .flatten(),
                r2: if a.clustering.embedding.is_some() {
                    f64::NAN
                } else {
                    e.space.r2
                },
                silhouette_own: a.scores.silhouette,
                davies_bouldin_own: a.scores.davies_bouldin,
                silhouette_std: std.silhouette,
                davies_bouldin_std: std.davies_bouldin,
                ari: a.truths.first().map(|t| t.ari),
                nmi: a.truths.first().map(|t| t.nmi),
                seconds: a.seconds,
            })
        })
        .collect()
}

const HEADER: [&str; 14] = [
    "name",
    "reduce",
    "method",
    "k",
    "dims",
    "n_params",
    "reconstruction_r2",
    "silhouette_own",
    "davies_bouldin_own",
    "silhouette_standardized",
    "davies_bouldin_standardized",
    "ari",
    "nmi",
    "seconds",
];

fn cells(r: &ComparisonRow, digits: usize) -> Vec<String> {
    let num = |v: f64| format!("{v:.digits$}");
    let opt = |v: Option<f64>| v.map(num).unwrap_or_default();
    vec![
        r.name.clone(),
        r.reduce.to_string(),
        r.method.clone(),
        r.k.to_string(),
        r.dims.to_string(),
        r.n_params.map(|p| p.to_string()).unwrap_or_default(),
        opt(Some(r.r2).filter(|v| v.is_finite())),
        num(r.silhouette_own),
        num(r.davies_bouldin_own),
        num(r.silhouette_std),
        num(r.davies_bouldin_std),
        opt(r.ari),
        opt(r.nmi),
        format!("{:.2}", r.seconds),
    ]
}

/// `comparison.csv`: one line per row, the columns of [`HEADER`] (blank where not defined).
/// `reduce` is written as on the command line; a `tt:R1,R2` value is quoted by the CSV writer.
pub fn write_csv(path: &Path, rows: &[ComparisonRow]) -> Result<()> {
    Ok(crate::io::tables::write_csv(
        path,
        &HEADER,
        rows.iter().map(|r| cells(r, 6)),
    )?)
}

/// The report's table of the same rows.
pub fn table(rows: &[ComparisonRow]) -> Table {
    let mut t = Table::new(
        "Side by side: scores in each method's own space and in the standardized space, agreement with SurfaceClass, size and run time",
        HEADER.iter().map(|h| h.replace('_', " ")).collect(),
    );
    t.rows = rows.iter().map(|r| cells(r, 4)).collect();
    t.note = "Silhouette: higher is better; Davies-Bouldin: lower is better; own-space scores rank methods only within a space, the standardized ones across methods. ARI/NMI against the generating class SurfaceClass. n params: numbers representing the standardized data (z-scores n d; PCA n k + k d + d; TT cores; blank for the VAE). Seconds: reduction (training, completion) + clustering + scores.".into();
    t
}

#[cfg(test)]
#[path = "comparison_tests.rs"]
mod tests;
