//! The demo's monthly part: the (cell, variable, month) tensor. `landclust
//! demo` writes the monthly demo file (`synth --monthly`) to `monthly/monthly.nc`, reads the
//! study's seven variables as 12-month series (`NDVI[*]`, `DHR443[*]`, ...: 84 z-score columns),
//! and clusters the cells with K-Means on the z-scores, on PCA-3 and on `tt-cell:3,R2` embeddings
//! for R2 = 12, 3, 2, 1. `tt-cell:3,12` is PCA-3 exactly (the month bond is not truncated); the
//! smaller R2 compress the 84 x 3 loadings into `12 R2 + 21 R2` numbers. Rows go to
//! `monthly/comparison.csv` (the columns of [`super::comparison`]) and to a report section with
//! a world map of each row, saved in `monthly/` so `landclust plot` embeds them again unchanged.

use super::comparison::{self, ComparisonRow, Entry};
use super::study::{Contender, contender};
use crate::error::Result;
use crate::pipeline::config::{KChoice, Method, Reduce, RunConfig};
use crate::pipeline::run::analysis::{self, Prepared};
use crate::pipeline::run::figures::{self, section};
use crate::report::Section;
use std::path::Path;
use std::time::Instant;

/// The monthly rows: K-Means everywhere (k = 6, as in the seasonal study).
pub const MONTHLY_CONTENDERS: [Contender; 6] = [
    contender("kmeans", Reduce::None, Method::Kmeans, 6),
    contender("pca3-kmeans", Reduce::Pca(3), Method::Kmeans, 6),
    contender("ttcell3x12-kmeans", Reduce::TtCell(3, 12), Method::Kmeans, 6),
    contender("ttcell3x3-kmeans", Reduce::TtCell(3, 3), Method::Kmeans, 6),
    contender("ttcell3x2-kmeans", Reduce::TtCell(3, 2), Method::Kmeans, 6),
    contender("ttcell3x1-kmeans", Reduce::TtCell(3, 1), Method::Kmeans, 6),
];

/// Folder of the monthly part inside the demo folder.
pub const MONTHLY_DIR: &str = "monthly";

const TITLE: &str = "The (cell, variable, month) tensor: monthly series";

const TEXT: &str = "The monthly demo file (landclust synth --monthly: class phenology, winter snow, polar night) read as 12-month series of the study's seven variables (--vars 'NDVI[*],DHR443[*],...': 84 z-score columns; cells missing any month are dropped). K-Means (k = 6) on the z-scores, on PCA-3 and on tensor-train embeddings of the (cell, variable, month) tensor (--reduce tt-cell:3,R2). tt-cell:3,12 leaves the month bond whole and equals PCA-3; smaller R2 compress PCA's 84 x 3 loadings (252 numbers) to 12 R2 + 21 R2. The table is monthly/comparison.csv.";

/// Run the monthly part into `dir` (created); returns its report section.
pub fn run_monthly_study(dir: &Path, seed: u64, progress: bool) -> Result<Section> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::File {
        path: dir.into(),
        message: e.to_string(),
    })?;
    let input = dir.join("monthly.nc");
    let synth = crate::synth::monthly::write_monthly(
        &input,
        &crate::synth::SynthParams {
            seed,
            ..Default::default()
        },
    )?;
    crate::progress::note(format!(
        "demo: wrote the monthly demo file ({} land cells with 12 months)",
        synth.n_land_cells
    ));
    let mut base = super::study::study_config(&input, seed);
    let series: Vec<String> = crate::pipeline::STUDY_VARIABLES
        .iter()
        .map(|v| format!("{v}[*]"))
        .collect();
    base.vars = crate::pipeline::config::expand_series(&input, series)?;
    let prepared = analysis::prepare(&base)?;
    let mut d = figures::Drawn::new_in(dir);
    let mut parts = Vec::new();
    for c in MONTHLY_CONTENDERS {
        let started = Instant::now();
        let cfg = RunConfig {
            reduce: c.reduce,
            method: c.method,
            k: KChoice::Fixed(c.k),
            ..base.clone()
        };
        let space = analysis::reduce(&cfg, &prepared, progress)?;
        let (_, analysed) = crate::pipeline::run::analyse(
            &cfg,
            &prepared,
            &space,
            started,
            &mut crate::pipeline::run::stages::StageLog::new(false),
        )?;
        let what = format!("{}: {} clusters in {}", c.name, cfg.method, space.describe());
        figures::cluster_maps_in(
            &mut d,
            &prepared,
            &analysed.clustering,
            &format!("_{}", c.name),
            &what,
            &["world"],
        )?;
        crate::progress::note(format!(
            "demo: monthly {}: silhouette {:.4}",
            c.name, analysed.scores.silhouette
        ));
        parts.push((c, cfg, space, analysed));
    }
    let entries: Vec<Entry> = parts
        .iter()
        .map(|(c, cfg, space, analysed)| Entry {
            name: c.name,
            cfg,
            space,
            analysed,
        })
        .collect();
    let rows = comparison::rows(&prepared, &entries)?;
    comparison::write_csv(&dir.join("comparison.csv"), &rows)?;
    Ok(section(
        TITLE,
        &note(&prepared, &rows),
        d.take(),
        vec![comparison::table(&rows)],
    ))
}

/// The section text with what the rows measured.
fn note(prepared: &Prepared, rows: &[ComparisonRow]) -> String {
    let (n, d) = prepared.z.dim();
    let r2 = |name: &str| rows.iter().find(|r| r.name == name).map_or(f64::NAN, |r| r.r2);
    format!(
        "{TEXT} {n} cells x {d} columns. Reconstruction R2: PCA-3 {:.4}, tt-cell:3,3 {:.4}, tt-cell:3,2 {:.4}, tt-cell:3,1 {:.4}.",
        r2("pca3-kmeans"),
        r2("ttcell3x3-kmeans"),
        r2("ttcell3x2-kmeans"),
        r2("ttcell3x1-kmeans")
    )
}

/// The saved section of a demo folder, for `landclust plot`: its maps and comparison.csv as
/// they are (nothing is clustered again); `None` when the folder has no monthly part.
pub fn redraw_monthly_study(dir: &Path) -> Result<Option<Section>> {
    let csv = dir.join("comparison.csv");
    if !csv.exists() {
        return Ok(None);
    }
    Ok(Some(section(
        TITLE,
        &format!("{TEXT} (Redrawn by landclust plot from the saved maps; the numbers are in monthly/comparison.csv.)"),
        figures::saved_figures(dir),
        vec![],
    )))
}
