//! Figures and report.html of `landclust stability`: the mean pairwise ARI per k (with mean -
//! std beside it) for seeds and subsamples, the consensus confidence map, and the table.
//! Uses only the public plot functions ([`plot::line_chart`], [`plot::variable_map`]).

use super::stability::{Kind, Stability, StabilityMetrics, StabilityRow};
use crate::error::Result;
use crate::pipeline::run::analysis::Prepared;
use crate::plot::{self, ChartText, Colormap, MapOptions, Series};
use crate::report::{Figure, Report, Section, Table};
use std::path::Path;

/// The stability table as a report table.
pub fn stability_table(rows: &[StabilityRow]) -> Table {
    let mut t = Table::new(
        "Pairwise adjusted Rand index between repetitions (Ben-Hur et al. 2002)",
        ["k", "kind", "runs", "ARI mean", "ARI std", "ARI min"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    );
    t.rows = rows
        .iter()
        .map(|r| {
            vec![
                r.k.to_string(),
                r.kind.to_string(),
                r.runs.to_string(),
                format!("{:.4}", r.ari_mean),
                format!("{:.4}", r.ari_std),
                format!("{:.4}", r.ari_min),
            ]
        })
        .collect();
    t
}

/// Draw stability.png and confidence.png into `dir` and write report.html there.
pub fn draw_stability(dir: &Path, prepared: &Prepared, s: &Stability, m: &StabilityMetrics) -> Result<()> {
    let mut series = Vec::new();
    for kind in [Kind::Seeds, Kind::Subsamples] {
        let rows: Vec<&StabilityRow> = s.rows.iter().filter(|r| r.kind == kind).collect();
        series.push(Series {
            name: format!("{kind}: mean ARI"),
            points: rows.iter().map(|r| (r.k as f64, r.ari_mean)).collect(),
        });
        series.push(Series {
            name: format!("{kind}: mean - std"),
            points: rows.iter().map(|r| (r.k as f64, r.ari_mean - r.ari_std)).collect(),
        });
    }
    let chart = dir.join("stability.png");
    plot::line_chart(
        &chart,
        &series,
        &ChartText::new(
            &format!("Stability of {} in {}", m.method, m.space),
            "number of clusters k",
            "pairwise ARI",
        ),
    )?;
    let map = dir.join("confidence.png");
    let cells = crate::pipeline::run::figures::map_cells(prepared)?;
    let opts = MapOptions {
        value_range: Some((0.0, 1.0)),
        ..cells.options()
    };
    plot::variable_map(
        &map,
        &cells.geometry,
        cells.cells(),
        &cells.pick(&s.confidence),
        &format!("Consensus confidence, k = {}", s.confidence_k),
        "fraction",
        Colormap::parse("viridis")?,
        &opts,
    )?;
    let mut report = Report::new("landclust stability: can the clusters be trusted?");
    report.subtitle = m.input.clone();
    report.settings = vec![
        ("method".into(), m.method.clone()),
        ("space".into(), m.space.clone()),
        ("k".into(), format!("{}..{}", m.params.k_min, m.params.k_max)),
        ("runs per kind".into(), m.params.runs.to_string()),
        ("subsample fraction".into(), m.params.subsample.to_string()),
        ("seed".into(), m.settings.seed.to_string()),
        ("n_init".into(), m.settings.n_init.to_string()),
    ];
    report.summary = vec![
        ("cells".into(), m.n_points.to_string()),
        (
            "most stable k (subsamples)".into(),
            m.best_k.map_or("-".into(), |k| k.to_string()),
        ),
        ("confidence k".into(), m.confidence_k.to_string()),
        ("mean confidence".into(), format!("{:.4}", m.confidence_mean)),
    ];
    report.sections.push(Section {
        title: "Stability per k".into(),
        text: format!(
            "Each k is clustered {} times with other seeds and {} times on random subsamples of {:.0} % of the cells; every pair of repetitions is compared by the adjusted Rand index (subsamples on the cells they share). High mean and small spread: the partition is reproducible. {}.",
            m.params.runs,
            m.params.runs,
            100.0 * m.params.subsample,
            m.space_note
        ),
        figures: vec![Figure::file(chart, "Mean pairwise ARI per k, and mean - std")],
        tables: vec![stability_table(&s.rows)],
    });
    report.sections.push(Section {
        title: "Consensus confidence".into(),
        text: "For each cell: how often the cells of its cluster in the reference run (all cells, the run's seed) are clustered with it in the other repetitions (Monti et al. 2003 item consensus, pair counts pooled over runs). Low values mark cells on the border between clusters.".into(),
        figures: vec![Figure::file(map, "Consensus confidence per cell")],
        tables: vec![],
    });
    crate::pipeline::run::figures::write_compact(report, &dir.join("report.html"))
}
