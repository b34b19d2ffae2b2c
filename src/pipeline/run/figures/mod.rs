//! Figures and report.html of a run: draws every picture into the output folder, then builds
//! the self-contained report around them. `landclust plot DIR` calls [`redraw`].

use super::outputs::RunResult;
use crate::error::Result;
use crate::pipeline::outdir::StagedDir;
use crate::plot;
use crate::report::Figure;
use std::path::{Path, PathBuf};

mod charts;
mod compact;
mod maps;
mod profiles;
mod report;

pub use charts::{dendrogram_figure, draw_elbow, elbow_figure, pca_figures, spectra, vae_figures, vae_figures_tagged};
pub use compact::write_compact;
pub use maps::{MapCells, cluster_maps, cluster_maps_colored, cluster_maps_in, legend, map_cells, variable_maps};
pub use report::{build_report, map_data, scores_table, section};

/// The figures of one report section, drawn into a folder.
pub struct Drawn {
    dir: PathBuf,
    pub figures: Vec<Figure>,
}

impl Drawn {
    fn new(dir: &Path) -> Self {
        Drawn {
            dir: dir.to_path_buf(),
            figures: Vec::new(),
        }
    }

    /// Figures drawn into `dir`.
    pub fn new_in(dir: &Path) -> Self {
        Self::new(dir)
    }

    /// Draw one figure file with `draw` and record it with its caption.
    fn add(
        &mut self,
        name: &str,
        caption: &str,
        draw: impl FnOnce(&Path) -> Result<(), plot::PlotError>,
    ) -> Result<()> {
        let path = self.dir.join(name);
        draw(&path)?;
        self.figures.push(Figure::file(path, caption));
        Ok(())
    }

    pub fn take(&mut self) -> Vec<Figure> {
        std::mem::take(&mut self.figures)
    }
}

/// The PNG files saved in `dir`, by name, as report figures captioned with their file names
/// (a part of a demo folder that `landclust plot` embeds again without redrawing it).
pub fn saved_figures(dir: &Path) -> Vec<Figure> {
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|it| it.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    pngs.retain(|p| p.extension().is_some_and(|x| x == "png"));
    pngs.sort();
    pngs.into_iter()
        .map(|p| {
            let caption = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Figure::file(p, caption)
        })
        .collect()
}

/// Draw every figure of a run and write report.html into `stage`.
pub fn draw_run(stage: &StagedDir, run: &RunResult) -> Result<()> {
    write_report(stage.path(), run)
}

/// Draw the figures and report of `run` into `dir`.
pub fn write_report(dir: &Path, run: &RunResult) -> Result<()> {
    let report = build_report(dir, run)?;
    write_compact(report, &dir.join("report.html"))
}

/// `landclust plot DIR`: redraw the figures and report of a finished run from its outputs.
pub fn redraw_run(dir: &Path, progress: bool) -> Result<usize> {
    let _ = progress;
    let restored = super::restore::restore(dir)?;
    let run = restored
        .analysed
        .as_result(&restored.cfg, &restored.prepared, &restored.space);
    write_report(dir, &run)?;
    let n = std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                .count()
        })
        .unwrap_or(0);
    Ok(n)
}
