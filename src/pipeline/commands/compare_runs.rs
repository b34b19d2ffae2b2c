//! `landclust compare RUN_A RUN_B`: how two clusterings of the same land differ. Each run's
//! labels and grid are read from its labels.nc (written alike by `run`, `import` and `assign`,
//! so a Spark clustering brought back by `import` compares as any run). On one grid the
//! clusters of A are matched to those of B by the largest total overlapping area (a maximum
//! weight assignment, Kuhn 1955 and Munkres 1957, on the overlap in square metres); the
//! transition matrix counts cells and km2 for every pair of clusters, and the cells whose
//! matched type differs make the change map. Agreement scores: adjusted Rand index (Hubert &
//! Arabie 1985), normalized mutual information (arithmetic mean, Vinh et al. 2010), and
//! homogeneity, completeness and V-measure (Rosenberg & Hirschberg 2007) with A as the
//! reference, all on cell counts as scikit-learn computes them, the last three also weighted by
//! cell area.
//!
//! Runs on different grids are refused unless `--regrid majority` puts the finer one onto the
//! coarser ([`grid::place`]).

use super::compare_runs_grid as grid;
use crate::dataset::{Cell, Grid};
use crate::io::netcdf::NcFile;
use crate::metrics::{adjusted_rand_index, normalized_mutual_info};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How to put runs on different grids onto one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Regrid {
    /// Each cell of the coarser grid takes the majority label of the finer run's cells whose
    /// centres fall in it (ties to the lower label).
    Majority,
}

impl std::str::FromStr for Regrid {
    type Err = CompareError;
    fn from_str(s: &str) -> Result<Self, CompareError> {
        match s.trim() {
            "majority" => Ok(Regrid::Majority),
            other => Err(CompareError::Option {
                option: "--regrid",
                message: format!("{other:?}: expected majority"),
            }),
        }
    }
}

/// What `compare` compares and where it writes.
#[derive(Debug, Clone)]
pub struct CompareSettings {
    pub run_a: PathBuf,
    pub run_b: PathBuf,
    pub out: PathBuf,
    pub regrid: Option<Regrid>,
}

/// Errors of `compare`; each names the run folder or option at fault.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("{}: {message}", path.display())]
    Run { path: PathBuf, message: String },
    #[error(
        "runs on different grids: {} has {grid_a}, {} has {grid_b}; {hint}",
        a.display(),
        b.display()
    )]
    DifferentGrids {
        a: PathBuf,
        b: PathBuf,
        grid_a: String,
        grid_b: String,
        hint: &'static str,
    },
    #[error("option {option}: {message}")]
    Option { option: &'static str, message: String },
    #[error("the runs share no labelled cell ({} and {})", a.display(), b.display())]
    NothingShared { a: PathBuf, b: PathBuf },
    #[error(transparent)]
    Io(#[from] crate::io::IoError),
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
}

impl From<CompareError> for crate::Error {
    fn from(e: CompareError) -> Self {
        match e {
            CompareError::Io(io) => crate::Error::Io(io),
            other => crate::Error::Pipeline(Box::new(other)),
        }
    }
}

fn run_error(path: &Path, message: impl Into<String>) -> CompareError {
    CompareError::Run {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// One run's labels on its own grid.
#[derive(Debug, Clone)]
pub struct RunLabels {
    pub dir: PathBuf,
    pub grid: Grid,
    /// One per grid cell, row-major, north first; `None` where the cell has no label.
    pub labels: Vec<Option<u32>>,
    /// Number of clusters: the run's `k` (metrics.json), or more when a label is larger.
    pub k: usize,
    pub method: Option<String>,
}

impl RunLabels {
    /// Number of labelled cells.
    pub fn n_labelled(&self) -> usize {
        self.labels.iter().filter(|l| l.is_some()).count()
    }
}

/// File of a run folder that `compare` reads the labels and their grid from.
pub const LABELS_FILE: &str = "labels.nc";

/// Read the labels of the run folder `dir` from its labels.nc (layer `cluster`, fill where a
/// cell was not clustered), with `k` and the method from its metrics.json when it has one.
pub fn read_run(dir: &Path) -> Result<RunLabels, CompareError> {
    if !dir.is_dir() {
        return Err(run_error(
            dir,
            "not a folder; compare takes two run folders of `landclust run`, `import` or `assign`",
        ));
    }
    let path = dir.join(LABELS_FILE);
    if !path.is_file() {
        return Err(run_error(
            dir,
            format!(
                "no {LABELS_FILE}: compare takes run folders of `landclust run`, `import` or `assign` (a Spark job's labels become one with `landclust import`)"
            ),
        ));
    }
    let file = NcFile::open(&path)?;
    let grid = file.grid()?;
    let layer = file.read_variable("cluster", &grid)?;
    let mut labels = Vec::with_capacity(layer.values.len());
    for (i, &v) in layer.values.iter().enumerate() {
        if v.is_nan() {
            labels.push(None);
        } else if v >= 0.0 && v <= u32::MAX as f64 && v.fract() == 0.0 {
            labels.push(Some(v as u32));
        } else {
            return Err(run_error(
                &path,
                format!(
                    "variable cluster: {v} at row {}, column {} is not a cluster number",
                    i / grid.n_cols.max(1),
                    i % grid.n_cols.max(1)
                ),
            ));
        }
    }
    let metrics = std::fs::read_to_string(dir.join(crate::pipeline::outdir::MARKER))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let saved_k = metrics
        .as_ref()
        .and_then(|m| m.get("k"))
        .and_then(|k| k.as_u64())
        .map_or(0, |k| k as usize);
    let method = metrics
        .as_ref()
        .and_then(|m| m.get("method"))
        .and_then(|m| m.as_str())
        .map(str::to_owned);
    let largest = labels.iter().flatten().max().map_or(0, |&l| l as usize + 1);
    if largest == 0 {
        return Err(run_error(&path, "variable cluster: no cell has a label"));
    }
    Ok(RunLabels {
        dir: dir.to_path_buf(),
        grid,
        labels,
        k: saved_k.max(largest),
        method,
    })
}

/// Which run was regridded onto the other's grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegridNote {
    pub method: Regrid,
    /// `"a"` or `"b"`.
    pub regridded: &'static str,
    pub from_grid: String,
    pub onto_grid: String,
    /// Labelled cells of the regridded run outside the coarser grid's window.
    pub outside_cells: usize,
    pub outside_km2: f64,
}

/// Both runs' labels on one grid.
#[derive(Debug, Clone)]
pub struct Frame {
    pub grid: Grid,
    pub a: Vec<Option<u32>>,
    pub b: Vec<Option<u32>>,
    /// Labelled cells of A and of B outside the frame (cells, km2 on their own grid).
    pub a_outside: (usize, f64),
    pub b_outside: (usize, f64),
    pub regrid: Option<RegridNote>,
}

/// The two runs on one grid: A's when both are on the same grid (B's cells placed on it),
/// the coarser one's with `--regrid majority` when one grid nests in the other; refused
/// otherwise, naming both grids.
pub fn frame(a: &RunLabels, b: &RunLabels, regrid: Option<Regrid>) -> Result<Frame, CompareError> {
    let different = |hint: &'static str| CompareError::DifferentGrids {
        a: a.dir.clone(),
        b: b.dir.clone(),
        grid_a: grid::describe(&a.grid),
        grid_b: grid::describe(&b.grid),
        hint,
    };
    let (n_rows, n_cols) = (a.grid.n_rows, a.grid.n_cols);
    if let Some(map) = grid::same_grid_map(&b.grid, &a.grid) {
        let placed = grid::place(&b.grid, &b.labels, &map, n_rows, n_cols);
        return Ok(Frame {
            grid: a.grid.clone(),
            a: a.labels.clone(),
            b: placed.labels,
            a_outside: (0, 0.0),
            b_outside: (placed.outside_cells, placed.outside_km2),
            regrid: None,
        });
    }
    let Some(method) = regrid else {
        return Err(different(
            "--regrid majority puts the finer grid onto the coarser when one nests in the other",
        ));
    };
    let (fine, coarse, fine_is_a) = if grid::is_finer(&a.grid, &b.grid) {
        (a, b, true)
    } else {
        (b, a, false)
    };
    let Some(map) = grid::nested_map(&fine.grid, &coarse.grid) else {
        return Err(different(
            "--regrid majority needs one grid nested in the other (same CRS, a whole number of fine cells per coarse cell, edges aligned)",
        ));
    };
    let (n_rows, n_cols) = (coarse.grid.n_rows, coarse.grid.n_cols);
    let placed = grid::place(&fine.grid, &fine.labels, &map, n_rows, n_cols);
    let note = RegridNote {
        method,
        regridded: if fine_is_a { "a" } else { "b" },
        from_grid: grid::describe(&fine.grid),
        onto_grid: grid::describe(&coarse.grid),
        outside_cells: placed.outside_cells,
        outside_km2: placed.outside_km2,
    };
    let outside = (placed.outside_cells, placed.outside_km2);
    let (a_labels, b_labels, a_outside, b_outside) = if fine_is_a {
        (placed.labels, b.labels.clone(), outside, (0, 0.0))
    } else {
        (a.labels.clone(), placed.labels, (0, 0.0), outside)
    };
    Ok(Frame {
        grid: coarse.grid.clone(),
        a: a_labels,
        b: b_labels,
        a_outside,
        b_outside,
        regrid: Some(note),
    })
}

/// One cell of the transition matrix: the cells in cluster `a` of A and `b` of B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    pub a: u32,
    pub b: u32,
    pub cells: u64,
    pub km2: f64,
    /// `b` is the cluster matched to `a`.
    pub same_type: bool,
    /// The cells' value in the change map: 0 for the same type, else the transition's rank by
    /// area among those that change type (1 = the largest).
    pub change_code: u32,
}

/// A cluster of A and the cluster of B matched to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedPair {
    pub a: u32,
    pub b: u32,
    pub overlap_cells: u64,
    pub overlap_km2: f64,
    /// Area of the cluster in A and in B on the shared cells.
    pub a_km2: f64,
    pub b_km2: f64,
}

/// Agreement of B with A on the shared cells.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompareScores {
    pub ari: f64,
    pub nmi: f64,
    /// A as the reference classes, B as the clusters (scikit-learn's `homogeneity_score(A, B)`):
    /// each cluster of B holds cells of one cluster of A.
    pub homogeneity: f64,
    /// Each cluster of A lies in one cluster of B.
    pub completeness: f64,
    pub v_measure: f64,
    /// The same three with every cell counted by its area.
    pub homogeneity_area: f64,
    pub completeness_area: f64,
    pub v_measure_area: f64,
}

/// Cells and areas of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Totals {
    /// Cells labelled in both runs (the transition matrix's cells) and their area.
    pub shared_cells: u64,
    pub shared_km2: f64,
    /// Shared cells whose matched type is the same.
    pub same_type_cells: u64,
    pub same_type_km2: f64,
    /// Shared cells whose matched type differs (the change map).
    pub changed_cells: u64,
    pub changed_km2: f64,
    /// `same_type_km2 / shared_km2`.
    pub agreement_share: f64,
    /// Cells labelled in A only (on the grid of the comparison or outside it) and their area.
    pub only_a_cells: u64,
    pub only_a_km2: f64,
    pub only_b_cells: u64,
    pub only_b_km2: f64,
}

/// Everything compared.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub ka: usize,
    pub kb: usize,
    /// The non-empty cells of the transition matrix, by `a` then `b`.
    pub transitions: Vec<Transition>,
    pub matching: Vec<MatchedPair>,
    /// Clusters left without a partner (more clusters on one side, or no overlap).
    pub unmatched_a: Vec<u32>,
    pub unmatched_b: Vec<u32>,
    pub scores: CompareScores,
    pub totals: Totals,
    /// One per cell of the frame: `None` where not in both runs, else its change code.
    pub change: Vec<Option<u32>>,
}

/// Square metres per km2: the assignment runs on whole square metres, exact in integers.
const M2_PER_KM2: f64 = 1e6;

/// For each cluster of A the cluster of B matched to it, maximising the total overlap
/// `overlap[a][b]` (km2; any non-negative weight) over one-to-one pairs; pairs without
/// overlap are left unmatched.
pub fn match_clusters(overlap: &[Vec<f64>], kb: usize) -> Vec<Option<u32>> {
    use pathfinding::kuhn_munkres::kuhn_munkres;
    use pathfinding::matrix::Matrix;
    let ka = overlap.len();
    if ka == 0 || kb == 0 {
        return vec![None; ka];
    }
    let weight = |a: usize, b: usize| {
        let w = overlap[a][b];
        if w.is_finite() && w > 0.0 {
            (w * M2_PER_KM2).round() as i64
        } else {
            0
        }
    };
    let mut a_to_b = vec![None; ka];
    // kuhn_munkres assigns every row of a matrix with no more rows than columns.
    if ka <= kb {
        let (_, row_to_col) = kuhn_munkres(&Matrix::from_fn(ka, kb, |(a, b)| weight(a, b)));
        for (a, b) in row_to_col.into_iter().enumerate() {
            a_to_b[a] = Some(b);
        }
    } else {
        let (_, row_to_col) = kuhn_munkres(&Matrix::from_fn(kb, ka, |(b, a)| weight(a, b)));
        for (b, a) in row_to_col.into_iter().enumerate() {
            a_to_b[a] = Some(b);
        }
    }
    a_to_b
        .iter()
        .enumerate()
        .map(|(a, b)| b.filter(|&b| overlap[a][b] > 0.0).map(|b| b as u32))
        .collect()
}

/// Compare the labels of `frame` (A in `ka` clusters, B in `kb`).
pub fn compare(frame: &Frame, ka: usize, kb: usize) -> Result<Comparison, CompareError> {
    let g = &frame.grid;
    let labelled: Vec<usize> = (0..g.len())
        .filter(|&i| frame.a[i].is_some() || frame.b[i].is_some())
        .collect();
    let cells: Vec<Cell> = labelled
        .iter()
        .map(|&i| {
            let (row, col) = (i / g.n_cols, i % g.n_cols);
            Cell {
                row,
                col,
                lat: g.row_lat(row),
                lon: g.col_lon(col),
            }
        })
        .collect();
    // A cell of a projected grid outside the projection's domain has no area: it counts as 0.
    let areas: Vec<f64> = crate::dataset::area::cell_areas_km2(g, &cells)
        .into_iter()
        .map(|a| if a.is_finite() { a } else { 0.0 })
        .collect();
    let ka = ka.max(frame.a.iter().flatten().max().map_or(0, |&l| l as usize + 1));
    let kb = kb.max(frame.b.iter().flatten().max().map_or(0, |&l| l as usize + 1));
    let mut cells_ab = vec![vec![0u64; kb]; ka];
    let mut km2_ab = vec![vec![0.0f64; kb]; ka];
    let (mut shared_a, mut shared_b, mut shared_w) = (Vec::new(), Vec::new(), Vec::new());
    let mut totals = Totals {
        shared_cells: 0,
        shared_km2: 0.0,
        same_type_cells: 0,
        same_type_km2: 0.0,
        changed_cells: 0,
        changed_km2: 0.0,
        agreement_share: 0.0,
        only_a_cells: frame.a_outside.0 as u64,
        only_a_km2: frame.a_outside.1,
        only_b_cells: frame.b_outside.0 as u64,
        only_b_km2: frame.b_outside.1,
    };
    for (&i, &w) in labelled.iter().zip(&areas) {
        match (frame.a[i], frame.b[i]) {
            (Some(a), Some(b)) => {
                cells_ab[a as usize][b as usize] += 1;
                km2_ab[a as usize][b as usize] += w;
                shared_a.push(a as usize);
                shared_b.push(b as usize);
                shared_w.push(w);
            }
            (Some(_), None) => {
                totals.only_a_cells += 1;
                totals.only_a_km2 += w;
            }
            (None, Some(_)) => {
                totals.only_b_cells += 1;
                totals.only_b_km2 += w;
            }
            (None, None) => {}
        }
    }
    if shared_a.is_empty() {
        return Err(CompareError::NothingShared {
            a: PathBuf::from("A"),
            b: PathBuf::from("B"),
        });
    }
    let matched = match_clusters(&km2_ab, kb);
    let mut transitions = Vec::new();
    for (a, row) in cells_ab.iter().enumerate() {
        for (b, &n) in row.iter().enumerate().filter(|(_, n)| **n > 0) {
            transitions.push(Transition {
                a: a as u32,
                b: b as u32,
                cells: n,
                km2: km2_ab[a][b],
                same_type: matched[a] == Some(b as u32),
                change_code: 0,
            });
        }
    }
    // Change codes by decreasing area, ties by cells, then by A and B cluster.
    let mut changed: Vec<usize> = (0..transitions.len()).filter(|&t| !transitions[t].same_type).collect();
    changed.sort_by(|&x, &y| {
        let (tx, ty) = (&transitions[x], &transitions[y]);
        ty.km2
            .total_cmp(&tx.km2)
            .then(ty.cells.cmp(&tx.cells))
            .then((tx.a, tx.b).cmp(&(ty.a, ty.b)))
    });
    let mut code_of = vec![vec![0u32; kb]; ka];
    for (rank, &t) in changed.iter().enumerate() {
        transitions[t].change_code = rank as u32 + 1;
        code_of[transitions[t].a as usize][transitions[t].b as usize] = rank as u32 + 1;
    }
    for t in &transitions {
        totals.shared_cells += t.cells;
        totals.shared_km2 += t.km2;
        if t.same_type {
            totals.same_type_cells += t.cells;
            totals.same_type_km2 += t.km2;
        } else {
            totals.changed_cells += t.cells;
            totals.changed_km2 += t.km2;
        }
    }
    totals.agreement_share = if totals.shared_km2 > 0.0 {
        totals.same_type_km2 / totals.shared_km2
    } else {
        0.0
    };
    let change = frame
        .a
        .iter()
        .zip(&frame.b)
        .map(|(a, b)| Some(code_of[(*a)? as usize][(*b)? as usize]))
        .collect();
    let a_km2: Vec<f64> = km2_ab.iter().map(|r| r.iter().sum()).collect();
    let b_km2: Vec<f64> = (0..kb).map(|b| km2_ab.iter().map(|r| r[b]).sum()).collect();
    let matching: Vec<MatchedPair> = matched
        .iter()
        .enumerate()
        .filter_map(|(a, b)| {
            let b = (*b)? as usize;
            Some(MatchedPair {
                a: a as u32,
                b: b as u32,
                overlap_cells: cells_ab[a][b],
                overlap_km2: km2_ab[a][b],
                a_km2: a_km2[a],
                b_km2: b_km2[b],
            })
        })
        .collect();
    let unmatched_a = (0..ka as u32).filter(|&a| matched[a as usize].is_none()).collect();
    let unmatched_b = (0..kb as u32).filter(|&b| !matched.contains(&Some(b))).collect();
    let counted = crate::metrics::agreement(&shared_a, &shared_b, None)?;
    let weighted = crate::metrics::agreement(&shared_a, &shared_b, Some(&shared_w))?;
    let scores = CompareScores {
        ari: adjusted_rand_index(&shared_a, &shared_b)?,
        nmi: normalized_mutual_info(&shared_a, &shared_b)?,
        homogeneity: counted.homogeneity,
        completeness: counted.completeness,
        v_measure: counted.v_measure,
        homogeneity_area: weighted.homogeneity,
        completeness_area: weighted.completeness,
        v_measure_area: weighted.v_measure,
    };
    Ok(Comparison {
        ka,
        kb,
        transitions,
        matching,
        unmatched_a,
        unmatched_b,
        scores,
        totals,
        change,
    })
}

/// What `compare` found and where it wrote it.
#[derive(Debug, Clone)]
pub struct CompareSummary {
    pub out: PathBuf,
    pub a: RunInfo,
    pub b: RunInfo,
    pub comparison: Comparison,
    pub regrid: Option<RegridNote>,
}

/// A compared run as compare.json describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    pub path: String,
    pub grid: String,
    pub k: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    pub labelled_cells: usize,
}

impl RunInfo {
    fn of(run: &RunLabels) -> RunInfo {
        RunInfo {
            path: run.dir.display().to_string(),
            grid: grid::describe(&run.grid),
            k: run.k,
            method: run.method.clone(),
            labelled_cells: run.n_labelled(),
        }
    }

    /// `PATH (k = 6, kmeans)`.
    pub fn label(&self) -> String {
        match &self.method {
            Some(m) => format!("{} (k = {}, {m})", self.path, self.k),
            None => format!("{} (k = {})", self.path, self.k),
        }
    }
}

/// `--out` may not be either run's folder or hold one: the output would replace it.
fn check_out(out: &Path, runs: [&Path; 2]) -> Result<(), CompareError> {
    let resolve = |p: &Path| std::fs::canonicalize(p).or_else(|_| std::path::absolute(p));
    let Ok(target) = resolve(out) else {
        return Ok(());
    };
    for (name, run) in ["RUN_A", "RUN_B"].into_iter().zip(runs) {
        if let Ok(run) = resolve(run)
            && run.starts_with(&target)
        {
            return Err(CompareError::Option {
                option: "--out",
                message: format!(
                    "{} is or holds {name} ({}); choose another output folder",
                    out.display(),
                    run.display()
                ),
            });
        }
    }
    Ok(())
}

/// `landclust compare`: read both runs, put them on one grid, compare, and write
/// compare.json, transitions.csv, change.tif, change.png and report.html into `settings.out`
/// (staged: nothing is written when a run or the grids are refused).
pub fn compare_runs(settings: &CompareSettings) -> crate::error::Result<CompareSummary> {
    check_out(&settings.out, [&settings.run_a, &settings.run_b])?;
    let a = read_run(&settings.run_a)?;
    let b = read_run(&settings.run_b)?;
    let frame = frame(&a, &b, settings.regrid)?;
    let comparison = compare(&frame, a.k, b.k).map_err(|e| match e {
        CompareError::NothingShared { .. } => CompareError::NothingShared {
            a: a.dir.clone(),
            b: b.dir.clone(),
        },
        other => other,
    })?;
    let (info_a, info_b) = (RunInfo::of(&a), RunInfo::of(&b));
    let stage = crate::pipeline::outdir::StagedDir::new(&settings.out)?;
    super::compare_runs_outputs::write_outputs(
        stage.path(),
        &super::compare_runs_outputs::Compared {
            a: &info_a,
            b: &info_b,
            frame: &frame,
            comparison: &comparison,
        },
    )?;
    Ok(CompareSummary {
        out: stage.commit()?,
        a: info_a,
        b: info_b,
        comparison,
        regrid: frame.regrid,
    })
}

#[cfg(test)]
#[path = "compare_runs_tests.rs"]
mod tests;
