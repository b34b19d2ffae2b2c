//! `landclust plot` on any output folder: a `run` folder (figures and report redrawn from its
//! files), an `elbow` folder (elbow.png from elbow.csv), a `demo` folder (every part rebuilt
//! from its subfolder, the demo's report redrawn) and a `stability` folder (its chart, map and
//! report from its CSV files). Nothing is clustered or trained again.

use crate::error::{Error, Result};
use std::path::Path;

/// The `command` a folder's metrics.json names (`None` for a `run` folder, which names none).
fn command_of(dir: &Path) -> Result<Option<String>> {
    let path = dir.join(crate::pipeline::outdir::MARKER);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::File {
        path: path.clone(),
        message: format!("{e} (is this a landclust output folder?)"),
    })?;
    Ok(serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("command").and_then(|c| c.as_str()).map(str::to_owned)))
}

/// Redraw the figures of the output folder `dir`; returns how many figures were drawn.
pub fn replot(dir: &Path, progress: bool) -> Result<usize> {
    if dir.join(super::study::DEMO_MARKER).exists() {
        return super::study::redraw_demo(dir);
    }
    match command_of(dir)?.as_deref() {
        Some("elbow") => {
            let sweep = crate::pipeline::run::restore::restore_elbow(dir)?.ok_or_else(|| Error::File {
                path: dir.join("elbow.csv"),
                message: "missing: an elbow folder holds elbow.csv".into(),
            })?;
            let mut d = crate::pipeline::run::figures::Drawn::new_in(dir);
            crate::pipeline::run::figures::elbow_figure(&mut d, &sweep)?;
            Ok(d.figures.len())
        }
        Some("stability") => super::stability::redraw_stability(dir),
        _ => crate::pipeline::run::figures::redraw_run(dir, progress),
    }
}
