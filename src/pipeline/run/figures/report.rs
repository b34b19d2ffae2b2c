//! Assembly of report.html: the interactive map data, sections, settings and tables.

use super::{Drawn, cluster_maps, dendrogram_figure, elbow_figure, pca_figures, spectra, vae_figures, variable_maps};
use crate::error::Result;
use crate::pipeline::run::analysis::{Clustering, Prepared, Scores, Space};
use crate::pipeline::run::outputs::RunResult;
use crate::plot;
use crate::report::{Figure, MapData, MapVariable, MethodScores, Report, Section, Table};
use std::path::Path;

/// The interactive map's data: the selected cells with their cluster (cluster `i` in
/// `colors[i]`) and chosen variables.
pub fn map_data(prepared: &Prepared, clustering: &Clustering, colors: &[plot::RGBColor]) -> Result<MapData> {
    let table = &prepared.table;
    // A projected grid's viewer shows its display grid in lon/lat (see plot::reproject).
    let m = super::maps::map_cells(prepared)?;
    let variables = table
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| MapVariable {
            name: name.clone(),
            units: table.units[i].clone().unwrap_or_default(),
            values: m.pick(&table.values.column(i).to_vec()).into_owned(),
        })
        .collect();
    Ok(MapData {
        geometry: m.geometry,
        cells: m.cells().iter().map(|c| (c.row, c.col)).collect(),
        clusters: m.pick(&clustering.labels).into_owned(),
        cluster_colors: plot::to_rgb(colors),
        cluster_names: clustering.names.clone(),
        variables,
    })
}

/// Draw the figures of `run` into `dir` and assemble (not write) its report.
pub fn build_report(dir: &Path, run: &RunResult) -> Result<Report> {
    let mut d = Drawn::new(dir);
    let p = run.prepared;
    let mut report = Report::new("landclust report");
    report.subtitle = format!(
        "{} - {} cells, {} {} clusters",
        run.cfg.input.display(),
        p.table.n_points(),
        run.clustering.k,
        run.clustering.method
    );
    report.settings = settings_rows(run);
    report.summary = summary_rows(run);
    report.summary_tables.push(missing_table(p));
    let colors =
        crate::pipeline::run::palette::cluster_colors(run.cfg, &p.table, &run.clustering.labels, run.clustering.k)?;
    report.map = Some(map_data(p, run.clustering, &colors)?);
    variable_maps(&mut d, p)?;
    d.add(
        "correlation.png",
        "Pearson correlation of the chosen variables (Fig. 4)",
        |path| {
            let m: Vec<f64> = p.correlation.iter().copied().collect();
            plot::correlation_heatmap(path, &p.table.names, &m, "Correlation matrix")
        },
    )?;
    report.sections.push(section(
        "Variables",
        "The chosen variables on the selected cells, and their correlations.",
        d.take(),
        vec![],
    ));
    cluster_maps(
        &mut d,
        p,
        run.clustering,
        &colors,
        "",
        &format!("{} clusters in {}", run.clustering.method, run.space.describe()),
    )?;
    spectra(&mut d, p, run.clustering, "")?;
    if let Some(tree) = &run.clustering.ward {
        dendrogram_figure(&mut d, tree, run.clustering.k)?;
    }
    if let Some(e) = &run.elbow {
        elbow_figure(&mut d, e)?;
    }
    let profiles = run.profiles();
    super::profiles::parallel_figure(&mut d, run, &profiles)?;
    let centres = run.centres();
    let mut tables = vec![
        scores_table(run),
        super::profiles::profiles_table(run, &profiles),
        area_table(run),
        centres_table(p, &centres)?,
    ];
    for t in &run.truths {
        tables.push(truth_table(t));
        tables.extend(agreement_table(t));
    }
    report
        .sections
        .push(section("Clusters", &cluster_text(run), d.take(), tables));
    pca_figures(&mut d, p, run.space, run.clustering)?;
    report
        .sections
        .push(section("Principal components", &pca_text(run.space), d.take(), vec![]));
    if let Some(tt) = &run.space.tt {
        report.sections.push(section(
            "Tensor train",
            &crate::pipeline::run::tt::describe(tt),
            vec![],
            vec![],
        ));
    }
    if run.space.vae.is_some() {
        vae_figures(&mut d, p, run.space, run.clustering)?;
        report.sections.push(section(
            "Variational autoencoder",
            &vae_text(run.space),
            d.take(),
            vec![],
        ));
    }
    Ok(report)
}

pub fn section(title: &str, text: &str, figures: Vec<Figure>, tables: Vec<Table>) -> Section {
    Section {
        title: title.into(),
        text: text.into(),
        figures,
        tables,
    }
}

fn settings_rows(run: &RunResult) -> Vec<(String, String)> {
    let c = run.cfg;
    vec![
        ("input".into(), c.input.display().to_string()),
        ("variables".into(), c.vars.join(", ")),
        ("selection".into(), c.select.to_string()),
        ("reduction".into(), c.reduce.to_string()),
        ("method".into(), c.method.to_string()),
        ("k".into(), format!("{} (asked: {})", run.clustering.k, c.k)),
        ("k-means restarts".into(), c.n_init.to_string()),
        ("seed".into(), c.seed.to_string()),
        (
            "truth".into(),
            if c.truth.is_empty() {
                "-".into()
            } else {
                c.truth.join(", ")
            },
        ),
    ]
}

fn summary_rows(run: &RunResult) -> Vec<(String, String)> {
    let t = &run.prepared.table;
    let g = &run.prepared.table.grid;
    vec![
        ("grid".into(), format!("{} x {} cells", g.n_rows, g.n_cols)),
        ("cells selected".into(), format!("{} ({})", t.n_selected, t.selection)),
        ("cells kept".into(), t.n_points().to_string()),
        (
            "cells dropped".into(),
            format!("{} (at least one chosen variable missing)", t.n_dropped),
        ),
        ("run time".into(), format!("{:.1} s", run.seconds)),
    ]
}

fn missing_table(p: &Prepared) -> Table {
    let mut t = Table::new(
        "Selected cells missing each variable",
        vec!["variable".into(), "missing cells".into()],
    );
    t.rows = p
        .table
        .missing_per_variable
        .iter()
        .map(|(n, c)| vec![n.clone(), c.to_string()])
        .collect();
    t
}

pub fn scores_table(run: &RunResult) -> Table {
    let mut rows = vec![MethodScores {
        method: format!("{} on {}", run.clustering.method, run.space.reduce),
        space: run.space.describe(),
        silhouette: run.scores.silhouette,
        davies_bouldin: run.scores.davies_bouldin,
        calinski_harabasz: run.scores.calinski_harabasz,
    }];
    if let Some(s) = run.scores_standardized {
        rows.push(MethodScores {
            method: format!("{} on {}", run.clustering.method, run.space.reduce),
            space: "standardized variables (z-scores)".into(),
            silhouette: s.silhouette,
            davies_bouldin: s.davies_bouldin,
            calinski_harabasz: s.calinski_harabasz,
        });
    }
    let mut t = Table::method_comparison(
        "Scores (silhouette: higher is better; Davies-Bouldin: lower is better; Calinski-Harabasz: higher is better)",
        &rows,
    );
    let mut notes = Vec::new();
    if let Some(i) = run.clustering.inertia {
        notes.push(format!("K-Means inertia (WCSS): {i:.4}."));
    }
    for (space, s) in [("", Some(run.scores)), (" (z-scores)", run.scores_standardized)] {
        if let Some(Scores {
            silhouette_std_error: Some(se),
            silhouette_sample_size: Some(m),
            ..
        }) = s
        {
            notes.push(format!(
                "Silhouette{space}: stratified sampled estimate on {m} of {} cells, standard error {se:.4} (exact up to --silhouette-exact-max cells).",
                run.prepared.table.n_points()
            ));
        }
    }
    notes.extend(
        run.clustering
            .notes
            .iter()
            .chain(&run.space.notes)
            .map(|n| format!("At this size {n}.")),
    );
    t.note = notes.join(" ");
    t
}

fn centres_table(p: &Prepared, centres: &[crate::metrics::ClusterCentre]) -> Result<Table> {
    let names: Vec<String> = centres.iter().map(|c| format!("cluster {}", c.cluster)).collect();
    let sizes: Vec<usize> = centres.iter().map(|c| c.size).collect();
    let vars: Vec<(String, String)> = p
        .table
        .names
        .iter()
        .zip(&p.table.units)
        .map(|(n, u)| (n.clone(), u.clone().unwrap_or_default()))
        .collect();
    let means: Vec<Vec<f64>> = centres.iter().map(|c| c.means.clone()).collect();
    Ok(crate::report::cluster_centres_table(
        "Cluster centres (mean of each variable, original units)",
        &names,
        &sizes,
        &vars,
        &means,
    )?)
}

fn truth_table(t: &crate::pipeline::run::analysis::TruthComparison) -> Table {
    let mut header = vec!["cluster".to_string()];
    header.extend(t.classes.iter().enumerate().map(|(j, c)| match t.class_names.get(j) {
        Some(name) if *name != c.to_string() => format!("{name} ({c})"),
        _ => format!("class {c}"),
    }));
    let mut table = Table::new(
        format!("Clusters vs {} (ARI {:.4}, NMI {:.4})", t.variable, t.ari, t.nmi),
        header,
    );
    table.rows = t
        .contingency
        .iter()
        .enumerate()
        .map(|(i, r)| {
            std::iter::once(i.to_string())
                .chain(r.iter().map(|v| v.to_string()))
                .collect()
        })
        .collect();
    table.note = format!(
        "{} cells compared; {} left out because {} is missing there",
        t.n_compared, t.n_missing_truth, t.variable
    );
    table
}

/// Each cluster's cells, area and share of the clustered area.
fn area_table(run: &RunResult) -> Table {
    let area = run.area();
    let mut sizes = vec![0usize; run.clustering.k];
    for &l in &run.clustering.labels {
        sizes[l] += 1;
    }
    let mut table = Table::new(
        format!(
            "Area of each cluster ({:.0} km2 clustered, on the {} ellipsoid)",
            area.clustered_km2, area.ellipsoid
        ),
        vec![
            "cluster".into(),
            "cells".into(),
            "area (km2)".into(),
            "share of area".into(),
            "share of cells".into(),
        ],
    );
    let n = run.clustering.labels.len().max(1) as f64;
    table.rows = (0..run.clustering.k)
        .map(|i| {
            vec![
                i.to_string(),
                sizes[i].to_string(),
                format!("{:.0}", area.cluster_km2[i]),
                format!("{:.1} %", 100.0 * area.cluster_share[i]),
                format!("{:.1} %", 100.0 * sizes[i] as f64 / n),
            ]
        })
        .collect();
    table.note = "Each cell counts by its area on the ellipsoid (a cell at 60 degrees covers about half the area of one at the equator); metrics.json `area` and centers.csv hold the same numbers.".into();
    table
}

/// The measures land-cover papers report against a reference map, by cells and by area.
fn agreement_table(t: &crate::pipeline::run::analysis::TruthComparison) -> Option<Table> {
    let (cells, area) = (t.agreement.as_ref()?, t.agreement_area_weighted.as_ref()?);
    let mut table = Table::new(
        format!("Agreement with {}", t.variable),
        vec!["measure".into(), "by cells".into(), "by area".into()],
    );
    let row = |name: &str, a: f64, b: f64| vec![name.to_string(), format!("{a:.4}"), format!("{b:.4}")];
    table.rows = vec![
        row(
            "overall accuracy (majority class per cluster)",
            cells.overall_accuracy,
            area.overall_accuracy,
        ),
        row("Cohen's kappa (majority class per cluster)", cells.kappa, area.kappa),
        row("V-measure", cells.v_measure, area.v_measure),
        row("homogeneity", cells.homogeneity, area.homogeneity),
        row("completeness", cells.completeness, area.completeness),
        row("Cramer's V", cells.cramers_v, area.cramers_v),
    ];
    table.note = "Overall accuracy and kappa map each cluster to its majority class; by area, each cell counts by its area on the ellipsoid. metrics.json truths[].agreement and truths[].agreement_area_weighted hold them (truth.* for the first truth).".into();
    Some(table)
}

fn cluster_text(run: &RunResult) -> String {
    format!(
        "{} clusters from {} in {}. Clusters are numbered by ascending mean NDVI (or first principal component when NDVI is not chosen), so cluster 0 is the least vegetated and the colours mean the same in every run.",
        run.clustering.k,
        run.clustering.method,
        run.space.describe()
    )
}

fn pca_text(space: &Space) -> String {
    let r = &space.pca_full.explained_variance_ratio;
    let first3: f64 = r.iter().take(3).sum();
    format!(
        "The first three components explain {:.1} % of the variance of the standardized variables.",
        100.0 * first3
    )
}

fn vae_text(space: &Space) -> String {
    match &space.vae {
        Some(v) => format!(
            "VAE with a {}-D latent space trained for {} epochs in {:.1} s; reconstruction R2 of decode(mu(x)) = {:.4}.",
            space.coords.ncols(),
            v.epochs,
            v.train_seconds,
            space.r2
        ),
        None => String::new(),
    }
}
