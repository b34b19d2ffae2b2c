//! Files of a finished run: labels.csv, labels.nc, labels.tif, labels.geojson
//! ([`super::vector`]), metrics.json, centers.csv, linkage.csv, elbow.csv, latent.csv; all written into the staged output folder. The per-cell
//! tables (labels, margin, latent) are Parquet instead of CSV on large runs ([`super::cell_tables`]).

use super::analysis::{Clustering, ElbowSweep, KChoiceReport, Prepared, Scores, Space, TruthComparison};
use super::cell_tables::{CellColumn, write_cell_table};
use crate::cluster::gap::GapStatistic;
use crate::error::Result;
use crate::io::netcdf::write::NcFormat;
use crate::io::tables::{write_centres_csv, write_csv, write_json};
use crate::metrics::{ClusterCentre, cluster_centres};
use crate::pipeline::config::RunConfig;
use crate::pipeline::labels_nc::{LabelLayer, LayerSpec, LayerValues, write_layers_nc};
use crate::reduce::vae::LatentActivity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Everything `metrics.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct RunMetrics {
    pub landclust_version: &'static str,
    pub input: String,
    /// The stacks of files the input reads as series (a glob or a list of monthly files): per
    /// stack its files in entry order and their labels (dates from the files' CF time
    /// coordinate, else file stems), so that column `NAME[i]` can be traced to its file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub input_stack: Vec<crate::dataset::StackInfo>,
    /// The input's geographic CRS (WGS 84 unless the file declared another), as the outputs
    /// declare it.
    pub crs: crate::dataset::GeographicCrs,
    /// The input's projected CRS on a projected grid (then `crs` is its base); absent on a
    /// lat/lon grid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<crate::dataset::ProjectedCrs>,
    pub n_points: usize,
    pub n_selected: usize,
    pub n_dropped: usize,
    pub missing_per_variable: Vec<(String, usize)>,
    pub k: usize,
    pub method: String,
    pub reduce: String,
    /// Where `silhouette`, `davies_bouldin` and `calinski_harabasz` were computed.
    pub score_space: String,
    /// Exact, or a stratified sampled estimate above `--silhouette-exact-max` cells.
    pub silhouette: f64,
    /// Standard error of the sampled silhouette (absent when exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silhouette_std_error: Option<f64>,
    /// Cells scored by the sampled silhouette (absent when exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silhouette_sample_size: Option<usize>,
    pub davies_bouldin: f64,
    pub calinski_harabasz: f64,
    /// The same scores in the standardized variables (present when the clustering space differs).
    pub scores_in_standardized_space: Option<Scores>,
    pub inertia: Option<f64>,
    /// The method's own named numbers (K-Means: inertia, n_iter; a mixture: log_likelihood,
    /// bic, aic).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub method_diagnostics: BTreeMap<String, f64>,
    /// Mean membership of the cells in their clusters, when the method gives one (labels.csv's
    /// `membership` column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub membership_mean: Option<f64>,
    pub ari: Option<f64>,
    pub nmi: Option<f64>,
    /// The first truth's comparison (kept as one object for the readers of one truth).
    pub truth: Option<TruthComparison>,
    /// Every truth's comparison, in `--truth` order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truths: Vec<TruthComparison>,
    /// One name per cluster: the user's (`--names`), else the one proposed in clusters.csv.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_names: Vec<String>,
    pub pca_explained_variance_ratio: Vec<f64>,
    pub reconstruction_r2: f64,
    pub vae_r2: Option<f64>,
    /// The tensor train of `--reduce tt:R1,R2` (ranks, parameters, completion, R2 per rank).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tt: Option<super::tt::TtOutcome>,
    pub vae_epochs: Option<usize>,
    pub vae_train_seconds: Option<f64>,
    /// Latent dimensions whose latent-mean variance over the cells exceeds
    /// [`crate::reduce::vae::ACTIVE_THRESHOLD`] (Burda et al. 2016 "active units").
    pub vae_active_dims: Option<usize>,
    /// Per latent dimension: variance of the latent mean and mean KL to the prior (nats/cell).
    pub vae_latent_activity: Option<LatentActivity>,
    pub elbow_knee: Option<usize>,
    /// How `--k auto` chose k (gap statistic, with the elbow and silhouette k beside it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub k_choice: Option<KChoiceReport>,
    pub cluster_sizes: Vec<usize>,
    /// Area of the selected cells and of each cluster on the grid's ellipsoid.
    pub area: AreaSummary,
    /// How the clustering ran at this size (mini-batch K-Means, Ward on micro-clusters, the VAE's
    /// training subset), one sentence each; empty when every stage ran exactly on all cells.
    pub scale_notes: Vec<String>,
    pub settings: RunConfig,
    pub seconds: f64,
}

/// How much land the run covers: every cell counted by its area on the grid's ellipsoid
/// ([`crate::dataset::area`]), beside the cell counts of `cluster_sizes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaSummary {
    /// The ellipsoid the areas are computed on.
    pub ellipsoid: String,
    /// Area of the clustered cells, km2.
    pub clustered_km2: f64,
    /// Area of each cluster, km2 (in cluster order).
    pub cluster_km2: Vec<f64>,
    /// Each cluster's share of `clustered_km2`.
    pub cluster_share: Vec<f64>,
}

impl AreaSummary {
    /// The areas of `labels` (one per cell of `cell_km2`) in `k` clusters.
    pub fn new(ellipsoid: String, cell_km2: impl Iterator<Item = f64>, labels: &[usize], k: usize) -> AreaSummary {
        let mut cluster_km2 = vec![0.0; k];
        for (a, &l) in cell_km2.zip(labels) {
            cluster_km2[l] += a;
        }
        let clustered_km2: f64 = cluster_km2.iter().sum();
        let cluster_share = cluster_km2
            .iter()
            .map(|a| if clustered_km2 > 0.0 { a / clustered_km2 } else { 0.0 })
            .collect();
        AreaSummary {
            ellipsoid,
            clustered_km2,
            cluster_km2,
            cluster_share,
        }
    }
}

/// The pieces of a finished run that outputs are made from.
pub struct RunResult<'a> {
    pub cfg: &'a RunConfig,
    pub prepared: &'a Prepared,
    pub space: &'a Space,
    pub clustering: &'a Clustering,
    pub scores: Scores,
    pub scores_standardized: Option<Scores>,
    pub truths: Vec<TruthComparison>,
    pub elbow: Option<ElbowSweep>,
    pub gap: Option<GapStatistic>,
    pub k_choice: Option<KChoiceReport>,
    pub seconds: f64,
}

impl RunResult<'_> {
    /// The metrics.json content.
    pub fn metrics(&self) -> RunMetrics {
        let t = &self.prepared.table;
        let vae = self.space.vae.as_ref();
        let activity = vae.and_then(|v| {
            crate::reduce::vae::latent_activity(&v.model, self.prepared.z.view(), crate::reduce::vae::ACTIVE_THRESHOLD)
                .ok()
        });
        let sizes = self.cluster_sizes();
        RunMetrics {
            landclust_version: env!("CARGO_PKG_VERSION"),
            input: self.cfg.input.display().to_string(),
            input_stack: self.prepared.input_stack.clone(),
            crs: t.grid.crs(),
            projection: t.grid.projection.clone(),
            n_points: t.n_points(),
            n_selected: t.n_selected,
            n_dropped: t.n_dropped,
            missing_per_variable: t.missing_per_variable.clone(),
            k: self.clustering.k,
            method: self.clustering.method.to_string(),
            reduce: self.space.reduce.to_string(),
            score_space: match &self.clustering.embedding {
                Some(e) => format!(
                    "{}-D {} embedding of the {}",
                    e.ncols(),
                    self.clustering.method,
                    self.space.describe()
                ),
                None => self.space.describe(),
            },
            silhouette: self.scores.silhouette,
            silhouette_std_error: self.scores.silhouette_std_error,
            silhouette_sample_size: self.scores.silhouette_sample_size,
            davies_bouldin: self.scores.davies_bouldin,
            calinski_harabasz: self.scores.calinski_harabasz,
            scores_in_standardized_space: self.scores_standardized,
            inertia: self.clustering.inertia,
            method_diagnostics: self.clustering.diagnostics.iter().cloned().collect(),
            membership_mean: self.clustering.membership.as_ref().map(|m| {
                let valid: Vec<f64> = m.iter().copied().filter(|v| !v.is_nan()).collect();
                valid.iter().sum::<f64>() / valid.len().max(1) as f64
            }),
            ari: self.truths.first().map(|t| t.ari),
            nmi: self.truths.first().map(|t| t.nmi),
            truth: self.truths.first().cloned(),
            truths: self.truths.clone(),
            cluster_names: self.clustering.names.clone(),
            pca_explained_variance_ratio: self.space.pca_full.explained_variance_ratio.to_vec(),
            reconstruction_r2: self.space.r2,
            vae_r2: vae.map(|_| self.space.r2),
            tt: self.space.tt.clone(),
            vae_epochs: vae.map(|v| v.epochs),
            vae_train_seconds: vae.map(|v| v.train_seconds),
            vae_active_dims: activity.as_ref().map(|a| a.active_dims),
            vae_latent_activity: activity,
            elbow_knee: self.elbow.as_ref().and_then(|e| e.knee),
            k_choice: self.k_choice.clone(),
            cluster_sizes: sizes,
            area: self.area(),
            scale_notes: self.scale_notes(),
            settings: self.cfg.recorded(),
            seconds: self.seconds,
        }
    }

    /// Cells per cluster.
    pub fn cluster_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0usize; self.clustering.k];
        for &l in &self.clustering.labels {
            sizes[l] += 1;
        }
        sizes
    }

    /// The scale notes of the clustering and of the space, and the vector output's.
    fn scale_notes(&self) -> Vec<String> {
        let mut notes = self.space.notes.clone();
        notes.extend(self.clustering.notes.iter().cloned());
        notes.extend(super::vector::size_note(
            &self.cfg.vector,
            self.prepared.table.n_points(),
        ));
        notes
    }

    /// Areas of the clusters (see [`AreaSummary`]).
    pub fn area(&self) -> AreaSummary {
        let t = &self.prepared.table;
        let ellipsoid = match &t.grid.projection {
            Some(p) => p.base.ellipsoid.name.clone(),
            None => t.grid.crs().ellipsoid.name,
        };
        let areas = crate::dataset::area::CellAreaLookup::new(&t.grid, &t.cells);
        AreaSummary::new(
            ellipsoid,
            t.cells.iter().enumerate().map(|(i, c)| areas.km2(i, c)),
            &self.clustering.labels,
            self.clustering.k,
        )
    }

    /// What each cluster is ([`super::explain`]).
    pub fn profiles(&self) -> Vec<super::explain::ClusterProfile> {
        super::explain::profiles(self.prepared, &self.clustering.labels, self.clustering.k, &self.truths)
    }

    /// Cluster sizes and means in original units.
    pub fn centres(&self) -> Vec<ClusterCentre> {
        cluster_centres(&self.prepared.table, &self.clustering.labels, self.clustering.k)
    }
}

/// Write every data file of the run into `dir`.
///
/// The large files (the labels table, labels.nc, labels.tif, the margin table) are independent
/// of one another and are written at the same time, each by its own rayon task; each is the
/// same file as when written alone. A failure reports the first of them that failed, in that
/// order, whatever the timing.
pub fn write_data_files(dir: &Path, run: &RunResult) -> Result<()> {
    let table = &run.prepared.table;
    let labels = &run.clustering.labels;
    let (cfg, clustering, coords) = (run.cfg, run.clustering, run.space.coords.view());
    // The labels on the output window, shared by labels.nc and labels.tif.
    let cluster_window = table.labels_to_window(&table.output_window(), labels);
    // The margin table is the longest of the four (it computes each cell's distances to the
    // centres as it writes): it starts at once on one thread while the other three share the other.
    let (margin, ((tables, netcdf), tif)) = rayon::join(
        || -> Result<()> {
            if matches!(
                clustering.method,
                crate::pipeline::config::Method::Kmeans | crate::pipeline::config::Method::MiniBatchKmeans
            ) {
                let exact = labels.len() <= cfg.scale.silhouette_exact_max;
                let model = super::margin::MarginModel::new(coords, labels, clustering.k, exact)?;
                super::margin::write_margin_table(dir, cfg.tables, table, &model)?;
            }
            Ok(())
        },
        || {
            rayon::join(
                || {
                    rayon::join(
                        || write_labels_table(dir, cfg, table, clustering),
                        || write_labels_netcdf(dir, cfg, table, clustering, &cluster_window, &run.prepared.input_stack),
                    )
                },
                || -> Result<()> {
                    let tif = dir.join("labels.tif");
                    let colors = super::palette::cluster_colors(cfg, table, labels, clustering.k)?;
                    write_labels_tif(&tif, table, &cluster_window, &crate::plot::to_rgb(&colors))?;
                    if tif.is_file() && !clustering.names.is_empty() {
                        crate::io::geotiff::writer::write_category_names(&tif, &clustering.names)?;
                    }
                    if let Some(membership) = &clustering.membership {
                        write_window_tif(&dir.join("membership.tif"), table, membership, TifLayer::Membership)?;
                    }
                    Ok(())
                },
            )
        },
    );
    tables?;
    netcdf?;
    tif?;
    margin?;
    let area = run.area();
    super::vector::write_labels_geojson(
        dir,
        cfg,
        table,
        &cluster_window,
        &clustering.names,
        &run.cluster_sizes(),
        &area.cluster_km2,
    )?;
    write_centres_csv(
        &dir.join("centers.csv"),
        &table.names,
        run.centres().iter().map(|c| {
            let (km2, share) = (area.cluster_km2[c.cluster], area.cluster_share[c.cluster]);
            (c.cluster, c.size, km2, share, c.means.as_slice())
        }),
    )?;
    super::explain::write_clusters_csv(
        &dir.join("clusters.csv"),
        &table.names,
        &run.truths,
        &run.profiles(),
        &run.clustering.names,
    )?;
    if let Some(tree) = &run.clustering.ward {
        let rows = tree.linkage.iter().map(|m| {
            vec![
                m.left.to_string(),
                m.right.to_string(),
                format!("{:e}", m.height),
                m.size.to_string(),
            ]
        });
        write_csv(&dir.join("linkage.csv"), &["idx1", "idx2", "height", "size"], rows)?;
    }
    if let Some(e) = &run.elbow {
        write_elbow_csv(&dir.join("elbow.csv"), e)?;
    }
    if let Some(g) = &run.gap {
        write_gap_csv(&dir.join("gap.csv"), g)?;
    }
    if let Some(vae) = &run.space.vae {
        write_latent_table(dir, run)?;
        crate::io::atomic::write_bytes(&dir.join(super::restore::VAE_MODEL), &vae.model.to_json()?)?;
        let history = vae.model.history();
        crate::io::atomic::write_bytes(&dir.join("training.csv"), history.to_csv().as_bytes())?;
        crate::io::atomic::write_bytes(&dir.join("histograms.json"), history.histograms_json().as_bytes())?;
    }
    write_json(&dir.join("metrics.json"), &run.metrics())?;
    Ok(())
}

/// `labels.csv` (or `labels.parquet`, see [`super::cell_tables`]): `row,col,lat,lon,cluster`,
/// one line per selected cell, and `membership` (empty where it is NaN) when the method gives one.
fn write_labels_table(
    dir: &Path,
    cfg: &RunConfig,
    table: &crate::dataset::CellTable,
    clustering: &super::analysis::Clustering,
) -> Result<()> {
    let (cells, n) = (&table.cells, table.cells.len());
    let labels = &clustering.labels;
    let mut columns = vec![
        ("row", CellColumn::IndexOf(n, Box::new(|i| cells[i].row))),
        ("col", CellColumn::IndexOf(n, Box::new(|i| cells[i].col))),
        ("lat", CellColumn::FloatOf(n, Box::new(|i| cells[i].lat))),
        ("lon", CellColumn::FloatOf(n, Box::new(|i| cells[i].lon))),
        ("cluster", CellColumn::IndexOf(labels.len(), Box::new(|i| labels[i]))),
    ];
    if let Some(membership) = &clustering.membership {
        columns.push((
            "membership",
            CellColumn::FloatOf(membership.len(), Box::new(|i| membership[i])),
        ));
    }
    write_cell_table(dir, "labels", cfg.tables, &columns)?;
    Ok(())
}

/// `elbow.csv`: `k,wcss,silhouette,knee`, and `bic,aic` when the mixture was swept.
pub fn write_elbow_csv(path: &std::path::Path, e: &ElbowSweep) -> Result<()> {
    let rows = e.ks.iter().enumerate().map(|(i, k)| {
        let mut row = vec![
            k.to_string(),
            format!("{:e}", e.wcss[i]),
            e.silhouette[i].map_or(String::new(), |s| format!("{s}")),
            (Some(*k) == e.knee).to_string(),
        ];
        if let Some(c) = &e.criteria {
            row.push(format!("{}", c.bic[i]));
            row.push(format!("{}", c.aic[i]));
        }
        row
    });
    let header: &[&str] = if e.criteria.is_some() {
        &["k", "wcss", "silhouette", "knee", "bic", "aic"]
    } else {
        &["k", "wcss", "silhouette", "knee"]
    };
    Ok(write_csv(path, header, rows)?)
}

/// `gap.csv`: `k,log_w,log_w_ref,gap,s_k,chosen` (Tibshirani et al. 2001).
pub fn write_gap_csv(path: &Path, g: &GapStatistic) -> Result<()> {
    let rows = g.ks.iter().enumerate().map(|(i, k)| {
        vec![
            k.to_string(),
            format!("{}", g.log_w[i]),
            format!("{}", g.log_w_ref[i]),
            format!("{}", g.gap[i]),
            format!("{}", g.s_k[i]),
            (Some(*k) == g.k).to_string(),
        ]
    });
    Ok(write_csv(
        path,
        &["k", "log_w", "log_w_ref", "gap", "s_k", "chosen"],
        rows,
    )?)
}

/// `latent.csv` (or `latent.parquet`): `row,col,z1..zN`, the cells' coordinates in the
/// reduced space.
fn write_latent_table(dir: &Path, run: &RunResult) -> Result<()> {
    let cells = &run.prepared.table.cells;
    let names: Vec<String> = (1..=run.space.coords.ncols()).map(|i| format!("z{i}")).collect();
    let mut columns = vec![
        ("row", CellColumn::Index(cells.iter().map(|c| c.row).collect())),
        ("col", CellColumn::Index(cells.iter().map(|c| c.col).collect())),
    ];
    for (name, z) in names.iter().zip(run.space.coords.columns()) {
        columns.push((name.as_str(), CellColumn::Float(z.to_vec())));
    }
    write_cell_table(dir, "latent", run.cfg.tables, &columns)?;
    Ok(())
}

fn write_labels_netcdf(
    dir: &Path,
    cfg: &RunConfig,
    table: &crate::dataset::CellTable,
    clustering: &super::analysis::Clustering,
    grid_cluster: &[i32],
    stacks: &[crate::dataset::StackInfo],
) -> Result<()> {
    let window = table.output_window();
    let mut settings = crate::pipeline::labels_nc::run_attributes(cfg, clustering.k);
    settings.extend(crate::pipeline::labels_nc::stack_attributes(stacks));
    let mut layers = vec![LayerSpec {
        layer: LabelLayer {
            name: "cluster",
            values: grid_cluster.into(),
            long_name: "land-surface cluster (0 = lowest mean NDVI)",
            units: None,
        },
        always_values: false,
        attrs: cluster_flag_attrs(&clustering.names),
    }];
    let grid_membership = clustering.membership.as_ref().map(|m| table.to_window(&window, m));
    if let Some(values) = &grid_membership {
        layers.push(LayerSpec {
            layer: LabelLayer {
                name: "membership",
                values: values.into(),
                long_name: "membership of the cell in its cluster (the method's probability, 0 to 1)",
                units: Some("1"),
            },
            always_values: false,
            attrs: Vec::new(),
        });
    }
    write_layers_nc(
        &dir.join("labels.nc"),
        NcFormat::Netcdf4,
        &table.grid.sub_grid(&window),
        &layers,
        &settings,
    )?;
    Ok(())
}

/// CF `flag_values` 0..k-1 (`int`, the cluster variable's type) and `flag_meanings` of the
/// cluster names (CF-1.8 section 3.5, one word each, see [`crate::pipeline::naming::flag_meaning`]);
/// empty without names (the layer then carries `cluster_ID` meanings).
fn cluster_flag_attrs(names: &[String]) -> crate::io::netcdf::write::Attrs {
    if names.is_empty() {
        return Vec::new();
    }
    let values: Vec<i32> = (0..names.len()).filter_map(|i| i32::try_from(i).ok()).collect();
    vec![
        ("flag_values".into(), crate::io::netcdf::write::AttrValue::I32(values)),
        (
            "flag_meanings".into(),
            crate::pipeline::naming::flag_meanings(names).join(" ").into(),
        ),
    ]
}

/// What a GeoTIFF output holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TifLayer {
    /// Cluster numbers as 8-bit values with the map's colours as palette, NoData 255; 16-bit
    /// without a palette, NoData 65535, above 255 clusters.
    Labels,
    /// Consensus confidence as Float32, NoData NaN.
    Confidence,
    /// The method's per-cell membership as Float32, NoData NaN.
    Membership,
}

/// Write per-cell values of `table` (one per selected cell) as a GeoTIFF of the run's output
/// window (the window labels.nc covers), EPSG:4326, cloud-optimised when large (see
/// [`crate::io::geotiff::writer`]). Labels are 8-bit with a palette (255 is NoData) up to 255
/// clusters, 16-bit without a palette (65535 is NoData) above. On an irregular
/// grid the file is skipped with a note on stderr (labels.nc and labels.csv hold the result).
pub fn write_window_tif(
    path: &Path,
    table: &crate::dataset::CellTable,
    per_row: &[f64],
    layer: TifLayer,
) -> Result<()> {
    let values = table.to_window(&table.output_window(), per_row);
    write_window_values_tif(path, table, &values, layer)
}

/// [`write_window_tif`] of values already on the output window (row-major, `NaN` where no cell).
pub fn write_window_values_tif(
    path: &Path,
    table: &crate::dataset::CellTable,
    values: &[f64],
    layer: TifLayer,
) -> Result<()> {
    write_window_values_tif_in(path, table, values.into(), layer, None)
}

/// labels.tif from labels on the output window ([`crate::dataset::CellTable::labels_to_window`]),
/// cluster `i` in `colors[i]` in its palette (the map's colours) where the labels fit 8 bits.
pub fn write_labels_tif(
    path: &Path,
    table: &crate::dataset::CellTable,
    labels: &[i32],
    colors: &[[u8; 3]],
) -> Result<()> {
    write_window_values_tif_in(path, table, labels.into(), TifLayer::Labels, Some(colors))
}

fn write_window_values_tif_in(
    path: &Path,
    table: &crate::dataset::CellTable,
    values: LayerValues,
    layer: TifLayer,
    colors: Option<&[[u8; 3]]>,
) -> Result<()> {
    use crate::io::geotiff::writer::{GeoRaster, RasterData, grid_geometry};
    let window = table.output_window();
    if values.len() != window.len() {
        return Err(crate::io::IoError::format(
            path,
            format!("{} values for an output window of {} cells", values.len(), window.len()),
        )
        .into());
    }
    let grid = table.grid.sub_grid(&window);
    // A GeoTIFF needs a regular grid; an irregular one (e.g. Gaussian latitudes) keeps labels.nc.
    let (west, north, dlon, dlat) = match grid_geometry(&grid) {
        Ok(g) => g,
        Err(m) => {
            let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            crate::progress::note(format!("{name} not written: {m}"));
            return Ok(());
        }
    };
    let (data, nodata, colormap, description) = match layer {
        TifLayer::Labels => {
            // Every cell lies in the output window: its largest label is the run's.
            let label = |i: usize| -> Option<usize> {
                match values {
                    LayerValues::Reals(v) => (!v[i].is_nan()).then_some(v[i] as usize),
                    LayerValues::Labels(v) => usize::try_from(v[i]).ok(),
                }
            };
            let k = (0..values.len()).filter_map(label).max().unwrap_or(0) + 1;
            if k > usize::from(u16::MAX) {
                return Err(crate::io::IoError::format(
                    path,
                    format!("cannot write {k} clusters as 16-bit labels (at most 65535)"),
                )
                .into());
            }
            if k > 255 {
                // More classes than 8 bits hold (imported labels): 16-bit, no palette.
                let data = (0..values.len())
                    .map(|i| label(i).map_or(u16::MAX, |l| l as u16))
                    .collect();
                (RasterData::U16(data), f64::from(u16::MAX), None, "cluster")
            } else {
                let data = (0..values.len()).map(|i| label(i).map_or(255, |l| l as u8)).collect();
                let colors = (0..k)
                    .map(|i| {
                        colors
                            .and_then(|c| c.get(i))
                            .copied()
                            .unwrap_or_else(|| crate::plot::cluster_rgb(i))
                    })
                    .collect();
                (RasterData::U8(data), 255.0, Some(colors), "cluster")
            }
        }
        TifLayer::Confidence | TifLayer::Membership => {
            let data = match values {
                LayerValues::Reals(v) => v.iter().map(|&v| v as f32).collect(),
                LayerValues::Labels(v) => v.iter().map(|&l| if l < 0 { f32::NAN } else { l as f32 }).collect(),
            };
            let description = if layer == TifLayer::Confidence {
                "confidence"
            } else {
                "membership"
            };
            (RasterData::F32(data), f64::NAN, None, description)
        }
    };
    let raster = GeoRaster {
        width: grid.n_cols,
        height: grid.n_rows,
        west,
        north,
        dlon,
        dlat,
        data,
        nodata: Some(nodata),
        colormap,
        description: Some(description.into()),
    };
    // A projected input keeps its projection: the raster's west/north/steps are then its x/y.
    if let Some(projection) = &grid.projection {
        return Ok(crate::io::geotiff::writer::write_geotiff_projected(
            path, &raster, projection,
        )?);
    }
    Ok(crate::io::geotiff::writer::write_geotiff_in(
        path,
        &raster,
        &grid.crs(),
    )?)
}

#[cfg(test)]
#[path = "outputs_tests.rs"]
mod tests;
