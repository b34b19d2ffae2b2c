//! What each cluster is, in the report: the table of [`crate::pipeline::run::explain`]'s
//! profiles and the parallel coordinates of the standardized centres.

use super::Drawn;
use crate::error::Result;
use crate::pipeline::run::explain::ClusterProfile;
use crate::pipeline::run::outputs::RunResult;
use crate::plot;
use crate::report::Table;

/// One row per cluster: its name, cells, area, dominant class in each truth map and the
/// variables that set it apart.
pub fn profiles_table(run: &RunResult, profiles: &[ClusterProfile]) -> Table {
    let mut header: Vec<String> = ["cluster", "name", "cells", "area (km2)", "share of area"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(
        run.truths
            .iter()
            .map(|t| format!("dominant {} (share of area)", t.variable)),
    );
    header.push("sets it apart (z of the centre)".into());
    let mut table = Table::new("What each cluster is", header);
    table.rows = profiles
        .iter()
        .map(|p| {
            let mut row = vec![
                p.cluster.to_string(),
                run.clustering
                    .names
                    .get(p.cluster)
                    .cloned()
                    .unwrap_or_else(|| p.proposed.clone()),
                p.cells.to_string(),
                format!("{:.0}", p.area_km2),
                format!("{:.1} %", 100.0 * p.area_share),
            ];
            row.extend(p.dominant.iter().map(|d| match d {
                Some(d) => format!("{} ({:.0} %)", d.class, 100.0 * d.share),
                None => "-".into(),
            }));
            row.push(
                p.distinguishing
                    .iter()
                    .map(|v| format!("{} {:+.2}", v.variable, v.z))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            row
        })
        .collect();
    table.note = "Proposed names join the first truth's dominant class (by area) and the two variables whose \
                  cluster mean lies farthest from the overall mean, in overall standard deviations (high above, \
                  low below); --names FILE replaces them. clusters.csv holds the same, with the centres in \
                  original units."
        .into();
    table
}

/// Parallel coordinates of the clusters' standardized centres, one line per cluster in its map
/// colour.
pub fn parallel_figure(d: &mut Drawn, run: &RunResult, profiles: &[ClusterProfile]) -> Result<()> {
    let lines: Vec<plot::ParallelLine> = profiles
        .iter()
        .map(|p| plot::ParallelLine {
            id: p.cluster,
            label: format!(
                "{} {}",
                p.cluster,
                run.clustering.names.get(p.cluster).map_or("", String::as_str)
            ),
            values: p.z_centre.clone(),
        })
        .collect();
    let names = &run.prepared.table.names;
    d.add(
        "centres_parallel.png",
        "Cluster centres in parallel coordinates (mean z-score of each variable)",
        |path| {
            plot::parallel_coordinates(
                path,
                names,
                &lines,
                "Cluster centres, standardized",
                "mean z-score (overall standard deviations)",
            )
        },
    )
}
