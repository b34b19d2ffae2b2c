//! Ready-made tables: the comparison of methods by cluster scores, and the cluster centres.

use super::encode::table_number;
use super::{ReportError, Table};

/// Significant digits shown in score and centre tables.
const TABLE_DIGITS: usize = 4;

/// The three internal scores of one clustering, and the space they were computed in.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodScores {
    /// e.g. "original", "PCA", "VAE", or "PCA + Ward".
    pub method: String,
    /// The space the scores were computed in, e.g. "standardized 7 variables" or "PCA, 3 components".
    pub space: String,
    pub silhouette: f64,
    pub davies_bouldin: f64,
    pub calinski_harabasz: f64,
}

impl Table {
    /// Methods as rows, silhouette / Davies-Bouldin / Calinski-Harabasz as columns, each row
    /// naming the space its scores come from (scores from different spaces are not comparable
    /// as numbers, only as rankings).
    pub fn method_comparison(caption: impl Into<String>, rows: &[MethodScores]) -> Table {
        let header = ["method", "space", "silhouette", "Davies-Bouldin", "Calinski-Harabasz"];
        Table {
            caption: caption.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        r.method.clone(),
                        r.space.clone(),
                        table_number(r.silhouette, TABLE_DIGITS),
                        table_number(r.davies_bouldin, TABLE_DIGITS),
                        table_number(r.calinski_harabasz, TABLE_DIGITS),
                    ]
                })
                .collect(),
            note: "Silhouette: -1..1, higher is better. Davies-Bouldin: >= 0, lower is better. \
                   Calinski-Harabasz: > 0, higher is better. Each score is computed in the space named \
                   in its row."
                .to_string(),
        }
    }
}

/// Cluster centres: one row per cluster with its name, size (cells) and the mean of every
/// variable; `variables` are (name, units) and `means[c][v]` is cluster `c`'s mean of variable `v`.
pub fn cluster_centres_table(
    caption: impl Into<String>,
    cluster_names: &[String],
    sizes: &[usize],
    variables: &[(String, String)],
    means: &[Vec<f64>],
) -> Result<Table, ReportError> {
    let caption = caption.into();
    let fail = |message: String| {
        Err(ReportError::Table {
            caption: caption.clone(),
            message,
        })
    };
    if sizes.len() != cluster_names.len() || means.len() != cluster_names.len() {
        return fail(format!(
            "{} cluster names, {} sizes and {} centres differ",
            cluster_names.len(),
            sizes.len(),
            means.len()
        ));
    }
    if let Some(c) = means.iter().position(|m| m.len() != variables.len()) {
        return fail(format!(
            "centre {c} has {} means for {} variables",
            means[c].len(),
            variables.len()
        ));
    }
    let mut header = vec!["cluster".to_string(), "cells".to_string()];
    header.extend(variables.iter().map(|(name, units)| with_units(name, units)));
    let rows = cluster_names
        .iter()
        .zip(sizes)
        .zip(means)
        .map(|((name, size), mean)| {
            let mut row = vec![name.clone(), size.to_string()];
            row.extend(mean.iter().map(|&m| table_number(m, TABLE_DIGITS)));
            row
        })
        .collect();
    let note = "Means over the cells of each cluster, in the variables' original units.".to_string();
    Ok(Table {
        caption,
        header,
        rows,
        note,
    })
}

/// "name (units)", or just the name when there are no units.
pub fn with_units(name: &str, units: &str) -> String {
    if units.trim().is_empty() {
        name.to_string()
    } else {
        format!("{name} ({units})")
    }
}

#[cfg(test)]
#[path = "tables_tests.rs"]
mod tests;
