//! The demo's "area weights" part: the demo's land area against its `LandPercentage`, and
//! K-Means (k = 6) with `--weights none` and `--weights area` side by side (areas, agreement
//! with the truth, how far the two partitions differ). docs/weights.md explains the weighting.

use crate::dataset::area::cell_areas_km2;
use crate::dataset::{CellTable, Selection, TableRequest};
use crate::error::Result;
use crate::pipeline::config::{KChoice, Method, Reduce, RunConfig, Weights};
use crate::pipeline::run::analysis::{self, Prepared};
use crate::pipeline::run::figures::section;
use crate::report::{Section, Table};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// File of the part's numbers in the demo folder (what `landclust plot` redraws it from).
pub const AREA_WEIGHTS_FILE: &str = "area_weights.json";

const TITLE: &str = "Area weights: --weights none and --weights area";

const TEXT: &str = "On a 1-degree latitude-longitude grid a cell at 60 degrees covers half the area of one at the equator. K-Means (k = 6, seed as the demo) on the standardized variables with every cell counted once (--weights none, the study's choice and the demo's kmeans part) and with each cell counted by its area on the ellipsoid (--weights area: weighted standardization, weighted K-Means as scikit-learn's sample_weight). The clusters of the area run are matched one to one to those of the none run (Hungarian method on the cell counts). The first table checks the clustered land area against the file's LandPercentage: the land of a cell is its area times LandPercentage / 100; the clustered cells are the cells that are all land (LandPercentage = 100), so coastal cells count in the land area and not in the clusters. The numbers are in area_weights.json; docs/weights.md compares the two weightings on the demo and on a real 1-degree file.";

/// The demo's land area two ways: from `LandPercentage` over every cell, and as the area of
/// the clustered cells (km2 on the grid's ellipsoid, [`crate::dataset::area`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LandAreaCheck {
    /// The land-percentage variable and the threshold of the land selection.
    pub variable: String,
    pub threshold: f64,
    /// `sum_i area_i * LandPercentage_i / 100` over every cell of the grid.
    pub land_km2: f64,
    /// Area of the cells with `LandPercentage >= threshold` (all land).
    pub full_land_km2: f64,
    pub full_land_cells: usize,
    /// `sum_i area_i * LandPercentage_i / 100` over the cells with `0 < LandPercentage < threshold`
    /// (coasts and lakes).
    pub partial_land_km2: f64,
    /// Area of the clustered cells (all land, all variables present), and their number.
    pub clustered_km2: f64,
    pub clustered_cells: usize,
    /// `sum_i area_i * LandPercentage_i / 100` over the clustered cells (their area when the
    /// selection kept only cells that are all land).
    pub clustered_land_km2: f64,
}

impl LandAreaCheck {
    /// Share of the land area (by `LandPercentage`) that is clustered.
    pub fn clustered_share(&self) -> f64 {
        self.clustered_km2 / self.land_km2
    }
}

/// The [`LandAreaCheck`] of a run with the land selection `cfg.select` whose cells are
/// `prepared`'s: reads the land-percentage variable of every cell of `cfg.input`.
pub fn land_area_check(cfg: &RunConfig, prepared: &Prepared) -> Result<LandAreaCheck> {
    let Selection::Land { variable, threshold } = &cfg.select else {
        return Err(crate::pipeline::config::option_error(
            "--select",
            "the land-area check needs the land selection (land[:THRESHOLD[:VAR]])",
        ));
    };
    let reader = crate::pipeline::memory::open_input(cfg)?;
    let names = vec![variable.clone()];
    let all = CellTable::read(reader.as_ref(), &TableRequest::new(&names, &Selection::All))?;
    let areas = cell_areas_km2(&all.grid, &all.cells);
    let percentage = all.values.column(0);
    let (mut land_km2, mut full_land_km2, mut partial_land_km2, mut full_land_cells) = (0.0, 0.0, 0.0, 0usize);
    for (&a, &p) in areas.iter().zip(percentage.iter()) {
        if !(p.is_finite() && p > 0.0) {
            continue;
        }
        land_km2 += a * p / 100.0;
        if p >= *threshold {
            full_land_km2 += a;
            full_land_cells += 1;
        } else {
            partial_land_km2 += a * p / 100.0;
        }
    }
    let clustered = cell_areas_km2(&prepared.table.grid, &prepared.table.cells);
    let by_position: std::collections::HashMap<(usize, usize), f64> = all
        .cells
        .iter()
        .zip(percentage.iter())
        .map(|(c, &p)| ((c.row, c.col), p))
        .collect();
    let clustered_land_km2 = prepared
        .table
        .cells
        .iter()
        .zip(&clustered)
        .map(|(c, a)| a * by_position.get(&(c.row, c.col)).copied().unwrap_or(f64::NAN) / 100.0)
        .sum();
    Ok(LandAreaCheck {
        variable: variable.clone(),
        threshold: *threshold,
        land_km2,
        full_land_km2,
        full_land_cells,
        partial_land_km2,
        clustered_km2: clustered.iter().sum(),
        clustered_cells: clustered.len(),
        clustered_land_km2,
    })
}

/// One of the two runs: its clusters (in the order of the `--weights none` run's) and its
/// agreement with the truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedRun {
    pub weights: String,
    pub cells: Vec<usize>,
    pub area_km2: Vec<f64>,
    pub ari: f64,
    pub nmi: f64,
    /// Overall accuracy after mapping each cluster to its majority class, by cell and by area.
    pub accuracy_by_cell: f64,
    pub accuracy_by_area: f64,
}

/// The part's numbers (area_weights.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaWeightsStudy {
    pub k: usize,
    pub truth: String,
    pub land: LandAreaCheck,
    pub runs: Vec<WeightedRun>,
    /// ARI between the two partitions.
    pub ari_between: f64,
    /// Share of the cells, and of the clustered area, whose cluster differs after matching.
    pub moved_cells: f64,
    pub moved_area: f64,
}

/// Run the part: `base` is the demo's settings (input, seed, truth), `prepared` its unweighted
/// data and `kmeans` the labels of its K-Means part (k clusters on the standardized
/// variables, `--weights none`). Writes [`AREA_WEIGHTS_FILE`] into `dir`; returns the section.
pub fn run_area_weights_study(
    dir: &Path,
    base: &RunConfig,
    prepared: &Prepared,
    kmeans: &[usize],
    k: usize,
) -> Result<Section> {
    let cfg = RunConfig {
        reduce: Reduce::None,
        method: Method::Kmeans,
        k: KChoice::Fixed(k),
        weights: Weights::Area,
        ..base.clone()
    };
    let weighted = analysis::prepare(&cfg)?;
    if weighted.table.cells != prepared.table.cells {
        return Err(crate::Error::Option {
            option: "--weights".into(),
            message: "area: the weighted run selected other cells than the unweighted one".into(),
        });
    }
    let area_labels = analysis::cluster(&cfg, &weighted, weighted.z.view(), k)?.labels;
    // Renumber the area run's clusters as the none run's they match.
    let mapping = crate::cluster::labels::best_match(kmeans, &area_labels)?;
    let area_labels: Vec<usize> = area_labels
        .iter()
        .map(|&l| mapping.get(l).copied().flatten().unwrap_or(l))
        .collect();
    let areas = cell_areas_km2(&prepared.table.grid, &prepared.table.cells);
    let truth = base.truth.first().cloned().unwrap_or_default();
    let run = |name: &str, labels: &[usize]| -> Result<WeightedRun> {
        let mut cells = vec![0usize; k];
        let mut area_km2 = vec![0.0; k];
        for (&l, &a) in labels.iter().zip(&areas) {
            cells[l] += 1;
            area_km2[l] += a;
        }
        let t = analysis::compare_truth(prepared, &truth, labels)?;
        Ok(WeightedRun {
            weights: name.into(),
            cells,
            area_km2,
            ari: t.ari,
            nmi: t.nmi,
            accuracy_by_cell: t.agreement.as_ref().map_or(f64::NAN, |a| a.overall_accuracy),
            accuracy_by_area: t
                .agreement_area_weighted
                .as_ref()
                .map_or(f64::NAN, |a| a.overall_accuracy),
        })
    };
    let runs = vec![run("none", kmeans)?, run("area", &area_labels)?];
    let moved: Vec<bool> = kmeans.iter().zip(&area_labels).map(|(a, b)| a != b).collect();
    let total_area: f64 = areas.iter().sum();
    let study = AreaWeightsStudy {
        k,
        truth,
        land: land_area_check(base, prepared)?,
        runs,
        ari_between: crate::metrics::adjusted_rand_index(kmeans, &area_labels)?,
        moved_cells: moved.iter().filter(|&&m| m).count() as f64 / moved.len().max(1) as f64,
        moved_area: moved
            .iter()
            .zip(&areas)
            .filter(|(m, _)| **m)
            .map(|(_, a)| a)
            .sum::<f64>()
            / total_area,
    };
    crate::progress::note(format!(
        "demo: area weights: clustered land {:.2} million km2 of {:.2} by {} ({:.1} %); ARI between --weights none and area {:.4}",
        study.land.clustered_km2 / 1e6,
        study.land.land_km2 / 1e6,
        study.land.variable,
        100.0 * study.land.clustered_share(),
        study.ari_between
    ));
    crate::io::tables::write_json(&dir.join(AREA_WEIGHTS_FILE), &study)?;
    Ok(area_weights_section(&study))
}

/// The section of `landclust plot` on a demo folder: from its [`AREA_WEIGHTS_FILE`], `None`
/// when the folder has none (a demo written before the part existed).
pub fn redraw_area_weights(dir: &Path) -> Result<Option<Section>> {
    let path = dir.join(AREA_WEIGHTS_FILE);
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let study: AreaWeightsStudy = serde_json::from_slice(&bytes).map_err(|e| crate::Error::File {
        path,
        message: e.to_string(),
    })?;
    Ok(Some(area_weights_section(&study)))
}

fn area_weights_section(study: &AreaWeightsStudy) -> Section {
    let land = &study.land;
    let mut check = Table::new(
        format!("Land area of the demo against its {}", land.variable),
        vec!["quantity".into(), "cells".into(), "million km2".into()],
    );
    let row = |what: &str, cells: String, km2: f64| vec![what.to_string(), cells, format!("{:.3}", km2 / 1e6)];
    check.rows.push(row(
        &format!("land: sum of area x {} / 100, every cell", land.variable),
        String::new(),
        land.land_km2,
    ));
    check.rows.push(row(
        &format!("cells all land ({} >= {})", land.variable, land.threshold),
        land.full_land_cells.to_string(),
        land.full_land_km2,
    ));
    check.rows.push(row(
        &format!("land in cells partly land (0 < {} < {})", land.variable, land.threshold),
        String::new(),
        land.partial_land_km2,
    ));
    check.rows.push(row(
        "clustered cells (the cluster areas' sum)",
        land.clustered_cells.to_string(),
        land.clustered_km2,
    ));
    check.note = format!(
        "The clusters cover {:.1} % of the land by {}; the rest is land in coastal cells and in cells missing a variable.",
        100.0 * land.clustered_share(),
        land.variable
    );
    let mut clusters = Table::new(
        format!(
            "K-Means, k = {}: clusters with each weighting (area run matched to the none run)",
            study.k
        ),
        vec![
            "cluster".into(),
            "cells, none".into(),
            "cells, area".into(),
            "million km2, none".into(),
            "million km2, area".into(),
            "share of the clustered area, none / area (%)".into(),
        ],
    );
    let total: f64 = study.runs[0].area_km2.iter().sum();
    for c in 0..study.k {
        let (a, b) = (&study.runs[0], &study.runs[1]);
        clusters.rows.push(vec![
            c.to_string(),
            a.cells[c].to_string(),
            b.cells[c].to_string(),
            format!("{:.2}", a.area_km2[c] / 1e6),
            format!("{:.2}", b.area_km2[c] / 1e6),
            format!(
                "{:.1} / {:.1}",
                100.0 * a.area_km2[c] / total,
                100.0 * b.area_km2[c] / total
            ),
        ]);
    }
    let mut truth = Table::new(
        format!("Agreement with {} and between the two partitions", study.truth),
        vec![
            "--weights".into(),
            "ARI".into(),
            "NMI".into(),
            "accuracy by cell".into(),
            "accuracy by area".into(),
        ],
    );
    for r in &study.runs {
        truth.rows.push(vec![
            r.weights.clone(),
            format!("{:.4}", r.ari),
            format!("{:.4}", r.nmi),
            format!("{:.4}", r.accuracy_by_cell),
            format!("{:.4}", r.accuracy_by_area),
        ]);
    }
    truth.note = format!(
        "Between the two partitions: ARI {:.4}; after matching, {:.1} % of the cells ({:.1} % of the clustered area) change cluster.",
        study.ari_between,
        100.0 * study.moved_cells,
        100.0 * study.moved_area
    );
    section(TITLE, TEXT, vec![], vec![check, clusters, truth])
}
