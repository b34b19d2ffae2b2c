//! What each cluster is: its area, its dominant class in each truth map, its centre in original
//! units and the variables that set it apart, and a name proposed from them (or the user's,
//! `--names`). Written as `clusters.csv` and shown in the report; the names go on to the
//! legends, `labels.nc` (`flag_meanings`) and `labels.tif` (GDAL category names).

use super::analysis::{Prepared, TruthComparison};
use crate::error::Result;
use crate::io::tables::write_csv;
use crate::pipeline::config::RunConfig;
use serde::Serialize;
use std::path::Path;

/// Variables listed per cluster as what sets it apart (clusters.csv, the report).
pub const DISTINGUISHING: usize = 3;

/// Of those, the ones the proposed name is built from.
pub const NAMED_BY: usize = 2;

/// A cluster's most frequent class of one truth map, by area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DominantClass {
    pub variable: String,
    pub value: i64,
    pub class: String,
    /// Its share of the cluster's area where the truth is present, 0..1.
    pub share: f64,
}

/// A variable that sets a cluster apart: the cluster centre's deviation from the overall mean in
/// overall standard deviations (the mean z-score of its cells).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distinguishing {
    pub variable: String,
    pub z: f64,
}

impl Distinguishing {
    /// "high" above the overall mean, "low" below.
    pub fn word(&self) -> &'static str {
        if self.z >= 0.0 { "high" } else { "low" }
    }
}

/// What one cluster is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterProfile {
    pub cluster: usize,
    pub cells: usize,
    pub area_km2: f64,
    pub area_share: f64,
    /// One per truth, in `--truth` order (`None`: the truth is missing on all its cells).
    pub dominant: Vec<Option<DominantClass>>,
    /// Mean of each variable in original units.
    pub centre: Vec<f64>,
    /// Mean z-score of each variable (see [`Distinguishing`]).
    pub z_centre: Vec<f64>,
    /// The [`DISTINGUISHING`] variables of largest `|z|`, largest first.
    pub distinguishing: Vec<Distinguishing>,
    /// Built from the first truth's dominant class and the first [`NAMED_BY`] distinguishing
    /// variables, e.g. "SurfaceClass sand_desert 91 %, NDVI low, DHR1020 high".
    pub proposed: String,
}

/// The profiles of the `k` clusters of `labels` (one per table row) against `truths`.
pub fn profiles(prepared: &Prepared, labels: &[usize], k: usize, truths: &[TruthComparison]) -> Vec<ClusterProfile> {
    let table = &prepared.table;
    let d = table.names.len();
    let cell_km2 = crate::dataset::area::CellAreaLookup::new(&table.grid, &table.cells);
    let mut cells = vec![0usize; k];
    let mut km2 = vec![0.0f64; k];
    let mut sums = vec![vec![0.0f64; d]; k];
    let mut z_sums = vec![vec![0.0f64; d]; k];
    for (i, &l) in labels.iter().enumerate().filter(|(_, l)| **l < k) {
        cells[l] += 1;
        km2[l] += table.cells.get(i).map_or(0.0, |c| cell_km2.km2(i, c));
        for j in 0..d {
            sums[l][j] += table.values[[i, j]];
            z_sums[l][j] += prepared.z[[i, j]];
        }
    }
    let total_km2: f64 = km2.iter().sum();
    (0..k)
        .map(|c| {
            let n = cells[c].max(1) as f64;
            let centre: Vec<f64> = sums[c].iter().map(|s| s / n).collect();
            let z_centre: Vec<f64> = z_sums[c].iter().map(|s| s / n).collect();
            let distinguishing = distinguishing(&table.names, &z_centre);
            let dominant: Vec<Option<DominantClass>> = truths.iter().map(|t| dominant_class(t, c)).collect();
            let proposed = propose_name(c, dominant.first().and_then(Option::as_ref), &distinguishing);
            ClusterProfile {
                cluster: c,
                cells: cells[c],
                area_km2: km2[c],
                area_share: if total_km2 > 0.0 { km2[c] / total_km2 } else { 0.0 },
                dominant,
                centre,
                z_centre,
                distinguishing,
                proposed,
            }
        })
        .collect()
}

/// The [`DISTINGUISHING`] variables of largest `|z|` (the first on ties), finite ones only.
fn distinguishing(names: &[String], z: &[f64]) -> Vec<Distinguishing> {
    let mut order: Vec<usize> = (0..z.len()).filter(|&j| z[j].is_finite()).collect();
    order.sort_by(|&a, &b| z[b].abs().total_cmp(&z[a].abs()).then(a.cmp(&b)));
    order
        .into_iter()
        .take(DISTINGUISHING)
        .map(|j| Distinguishing {
            variable: names[j].clone(),
            z: z[j],
        })
        .collect()
}

/// Cluster `c`'s class of largest area in `t` (largest count where the table has no areas).
fn dominant_class(t: &TruthComparison, c: usize) -> Option<DominantClass> {
    let row: Vec<f64> = match t.contingency_km2.get(c) {
        Some(r) if r.iter().sum::<f64>() > 0.0 => r.clone(),
        _ => t.contingency.get(c)?.iter().map(|&n| n as f64).collect(),
    };
    let total: f64 = row.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let (j, &best) = row
        .iter()
        .enumerate()
        .fold(None, |m: Option<(usize, &f64)>, (j, v)| match m {
            Some((_, b)) if b >= v => m,
            _ => Some((j, v)),
        })?;
    Some(DominantClass {
        variable: t.variable.clone(),
        value: *t.classes.get(j)?,
        class: t
            .class_names
            .get(j)
            .cloned()
            .unwrap_or_else(|| t.classes[j].to_string()),
        share: best / total,
    })
}

fn propose_name(c: usize, dominant: Option<&DominantClass>, apart: &[Distinguishing]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = dominant {
        parts.push(format!("{} {} {:.0} %", d.variable, d.class, d.share * 100.0));
    }
    parts.extend(
        apart
            .iter()
            .take(NAMED_BY)
            .map(|v| format!("{} {}", v.variable, v.word())),
    );
    if parts.is_empty() {
        format!("cluster {c}")
    } else {
        parts.join(", ")
    }
}

/// The clusters' names: the user's (`--names`, checked against k with the file named) over the
/// proposed ones.
pub fn cluster_names(cfg: &RunConfig, profiles: &[ClusterProfile]) -> Result<Vec<String>> {
    cfg.names.check_k(profiles.len())?;
    Ok(profiles
        .iter()
        .map(|p| {
            cfg.names
                .names
                .get(&p.cluster)
                .cloned()
                .unwrap_or_else(|| p.proposed.clone())
        })
        .collect())
}

/// `clusters.csv`: `cluster,name,proposed_name,cells,area_km2,area_share`, per truth `T`
/// `T_class,T_value,T_share`, then `top1_variable,top1_z .. top3_variable,top3_z` and the centre
/// of every variable in original units.
pub fn write_clusters_csv(
    path: &Path,
    variables: &[String],
    truths: &[TruthComparison],
    profiles: &[ClusterProfile],
    names: &[String],
) -> Result<()> {
    let mut header: Vec<String> = ["cluster", "name", "proposed_name", "cells", "area_km2", "area_share"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for t in truths {
        for suffix in ["class", "value", "share"] {
            header.push(format!("{}_{suffix}", t.variable));
        }
    }
    for i in 1..=DISTINGUISHING {
        header.push(format!("top{i}_variable"));
        header.push(format!("top{i}_z"));
    }
    header.extend(variables.iter().cloned());
    let rows = profiles.iter().map(|p| {
        let mut row = vec![
            p.cluster.to_string(),
            names.get(p.cluster).cloned().unwrap_or_else(|| p.proposed.clone()),
            p.proposed.clone(),
            p.cells.to_string(),
            format!("{}", p.area_km2),
            format!("{}", p.area_share),
        ];
        for d in &p.dominant {
            match d {
                Some(d) => row.extend([d.class.clone(), d.value.to_string(), format!("{}", d.share)]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        for i in 0..DISTINGUISHING {
            match p.distinguishing.get(i) {
                Some(v) => row.extend([v.variable.clone(), format!("{}", v.z)]),
                None => row.extend([String::new(), String::new()]),
            }
        }
        row.extend(p.centre.iter().map(|m| format!("{m}")));
        row
    });
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(write_csv(path, &header, rows)?)
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
