//! The demo's regions part: contiguous Ward (`--method ward --contiguous`, 4 neighbours) with
//! [`DEMO_REGIONS`] regions more than the pieces of land of the demo file, written to `regions/` like a run (labels, linkage.csv,
//! labels.tif with the regions' palette, metrics.json) with its world map and dendrogram, and a
//! check that every region is connected within each piece of land (a flood fill per region:
//! as many connected parts as (region, piece) pairs). `landclust plot` embeds the saved figures
//! and `regions/regions.json` again; nothing is clustered again.

use crate::error::Result;
use crate::pipeline::config::{KChoice, Method, RunConfig};
use crate::pipeline::run::analysis::Prepared;
use crate::pipeline::run::figures::{self, section};
use crate::report::{Section, Table};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Instant;

/// Regions the demo asks for beyond one per piece of land. Separate pieces (islands,
/// continents) are joined last, by centroids (docs/regions.md), so a cut at fewer regions than
/// pieces only groups whole pieces; the demo's 46 pieces under 4 neighbours and these 30 give
/// k = 76, about 30 regions splitting the continents.
pub const DEMO_REGIONS: usize = 30;

/// Folder of the regions part inside the demo folder.
pub const REGIONS_DIR: &str = "regions";

/// The part's figures, saved in `regions/regions.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionsCheck {
    pub regions: usize,
    pub cells: usize,
    /// Pieces of land that no chain of 4-neighbours joins (islands, continents).
    pub pieces: usize,
    /// (region, piece) pairs: the connected parts expected.
    pub region_piece_pairs: usize,
    /// Connected parts of the regions found by flood fill.
    pub connected_parts: usize,
    pub largest_region_cells: usize,
    pub smallest_region_cells: usize,
    pub silhouette: f64,
    /// How the pieces were joined (metrics.json's scale note).
    pub scale_note: String,
    pub seconds: f64,
}

const TITLE: &str = "Contiguous regions: Ward restricted to neighbouring cells";

fn text(check: &RegionsCheck) -> String {
    format!(
        "landclust run demo.nc --method ward --contiguous --k {}: Ward's method merging only cells and regions that share an edge (docs/regions.md), so every region is spatially connected. Separate pieces of land are joined last (by their centroids), so k is {DEMO_REGIONS} more than the number of pieces: about {DEMO_REGIONS} regions split the continents, the others are islands. The map colours regions so that two touching regions never share a colour (a greedy colouring of the region adjacency with the 20-colour cluster palette); labels.nc and labels.tif in regions/ hold the region ids. {} cells in {} pieces of land: {} regions form {} connected parts for {} (region, piece) pairs{}. {}",
        check.regions,
        check.cells,
        check.pieces,
        check.regions,
        check.connected_parts,
        check.region_piece_pairs,
        if check.connected_parts == check.region_piece_pairs {
            " (every region connected within each piece)"
        } else {
            " (some region falls apart within a piece: a defect)"
        },
        check.scale_note
    )
}

fn table(check: &RegionsCheck) -> Table {
    let mut t = Table::new(
        "Contiguous Ward on the demo file (regions/metrics.json has the scores)",
        vec!["quantity".into(), "value".into()],
    );
    let rows = [
        ("regions", check.regions.to_string()),
        ("cells", check.cells.to_string()),
        ("pieces of land (4 neighbours)", check.pieces.to_string()),
        ("(region, piece) pairs", check.region_piece_pairs.to_string()),
        ("connected parts of the regions", check.connected_parts.to_string()),
        ("largest region (cells)", check.largest_region_cells.to_string()),
        ("smallest region (cells)", check.smallest_region_cells.to_string()),
        ("silhouette (z-scores)", format!("{:.4}", check.silhouette)),
        ("seconds (tree, cut, scores)", format!("{:.2}", check.seconds)),
    ];
    t.rows = rows.into_iter().map(|(q, v)| vec![q.to_string(), v]).collect();
    t
}

/// Run the regions part into `dir` (created) on the demo's `prepared` cells with the settings
/// of `base`; `final_input` is where the demo file will be once the folder is committed.
pub fn run_regions_part(
    dir: &Path,
    base: &RunConfig,
    prepared: &Prepared,
    final_input: &Path,
    progress: bool,
) -> Result<Section> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::File {
        path: dir.into(),
        message: e.to_string(),
    })?;
    let started = Instant::now();
    let mut cfg = RunConfig {
        method: Method::Ward,
        contiguous: Some(4),
        out: dir.to_path_buf(),
        ..base.clone()
    };
    let adjacency = crate::pipeline::run::methods::cell_adjacency(&cfg, &prepared.table)?;
    let (_, pieces) = adjacency.components();
    cfg.k = KChoice::Fixed((pieces + DEMO_REGIONS).min(crate::pipeline::options::MAX_CLUSTERS));
    let space = crate::pipeline::run::analysis::reduce(&cfg, prepared, progress)?;
    let (_, analysed) = crate::pipeline::run::analyse(
        &cfg,
        prepared,
        &space,
        started,
        &mut crate::pipeline::run::stages::StageLog::new(false),
    )?;
    let seconds = started.elapsed().as_secs_f64();
    cfg.input = final_input.to_path_buf();
    let clustering = &analysed.clustering;
    let run = analysed.as_result(&cfg, prepared, &space);
    crate::pipeline::run::outputs::write_data_files(dir, &run)?;
    let check = check(
        &adjacency,
        &clustering.labels,
        clustering.k,
        analysed.scores.silhouette,
        seconds,
    )
    .with_note(clustering.notes.first().cloned().unwrap_or_default());
    crate::io::tables::write_json(&dir.join("regions.json"), &check)?;
    let colors =
        crate::pipeline::run::palette::cluster_colors(&cfg, &prepared.table, &clustering.labels, clustering.k)?;
    let mut d = figures::Drawn::new_in(dir);
    let what = format!("Contiguous Ward regions in {}", space.describe());
    figures::cluster_maps_colored(
        &mut d,
        prepared,
        clustering,
        &colors,
        "_regions",
        &what,
        &["world", "europe"],
    )?;
    if let Some(tree) = &clustering.ward {
        figures::dendrogram_figure(&mut d, tree, clustering.k)?;
    }
    crate::progress::note(format!(
        "demo: regions: {} regions, {} connected parts for {} (region, piece) pairs, silhouette {:.4}",
        check.regions, check.connected_parts, check.region_piece_pairs, check.silhouette
    ));
    Ok(section(TITLE, &text(&check), d.take(), vec![table(&check)]))
}

impl RegionsCheck {
    fn with_note(mut self, note: String) -> Self {
        self.scale_note = note;
        self
    }
}

/// Count the pieces of `adjacency`, the (region, piece) pairs of `labels` and the connected
/// parts of its regions (flood fill through neighbours of the same region).
pub fn check(
    adjacency: &crate::cluster::ward_contiguous::Adjacency,
    labels: &[usize],
    k: usize,
    silhouette: f64,
    seconds: f64,
) -> RegionsCheck {
    let n = labels.len();
    let (piece, pieces) = adjacency.components();
    let mut pairs: Vec<(usize, u32)> = labels.iter().copied().zip(piece.iter().copied()).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let parts = adjacency.connected_parts(labels);
    let mut sizes = vec![0usize; k];
    for &l in labels {
        if l < k {
            sizes[l] += 1;
        }
    }
    RegionsCheck {
        regions: k,
        cells: n,
        pieces,
        region_piece_pairs: pairs.len(),
        connected_parts: parts,
        largest_region_cells: sizes.iter().copied().max().unwrap_or(0),
        smallest_region_cells: sizes.iter().copied().min().unwrap_or(0),
        silhouette,
        scale_note: String::new(),
        seconds,
    }
}

/// The saved section of a demo folder, for `landclust plot`: its maps and `regions.json` as
/// they are; `None` when the folder has no regions part.
pub fn redraw_regions_part(dir: &Path) -> Result<Option<Section>> {
    let path = dir.join("regions.json");
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let check: RegionsCheck = serde_json::from_slice(&bytes).map_err(|e| crate::Error::File {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(Some(section(
        TITLE,
        &text(&check),
        figures::saved_figures(dir),
        vec![table(&check)],
    )))
}

#[cfg(test)]
#[path = "study_regions_tests.rs"]
mod tests;
