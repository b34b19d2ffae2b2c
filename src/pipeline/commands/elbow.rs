//! `landclust elbow`: the K-Means elbow sweep alone (WCSS and silhouette per k, with the knee),
//! in the space of the run's reduction.

use crate::error::Result;
use crate::pipeline::config::RunConfig;
use crate::pipeline::outdir::{self, StagedDir};
use crate::pipeline::run::{analysis, figures, outputs};
use std::path::PathBuf;

/// `landclust elbow`: the sweep alone, written as elbow.csv (+ figure) into the output folder.
pub fn elbow(cfg: &RunConfig, progress: bool) -> Result<(PathBuf, analysis::ElbowSweep)> {
    let stage = StagedDir::new(&cfg.out)?;
    let prepared = analysis::prepare_with(cfg, progress)?;
    let space = analysis::reduce(cfg, &prepared, progress)?;
    let sweep = analysis::elbow_sweep_weighted(cfg, space.coords.view(), prepared.weights.as_ref().map(|w| w.view()))?;
    outputs::write_elbow_csv(&stage.join("elbow.csv"), &sweep)?;
    crate::io::tables::write_json(
        &stage.join(outdir::MARKER),
        &serde_json::json!({
            "command": "elbow", "knee": sweep.knee, "settings": cfg.recorded(),
        }),
    )?;
    if cfg.figures {
        figures::draw_elbow(&stage, &sweep)?;
    }
    Ok((stage.commit()?, sweep))
}
