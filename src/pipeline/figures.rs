//! Figures and report.html of a run: draws every picture into the output folder, then builds
//! the self-contained report around them. `landclust plot DIR` calls [`redraw`].

use super::analysis::{Clustering, ElbowSweep, Prepared, Space};
use super::outdir::StagedDir;
use super::outputs::RunResult;
use crate::error::Result;
use crate::plot::{self, ChartText, ClusterLegend, ClusterSpectrum, Colormap, HistSeries, MapOptions, Region, Series};
use crate::reduce::vae::{EpochHistograms, Histogram};
use crate::report::{Figure, MapData, MapVariable, MethodScores, Report, Section, Table};
use ndarray::{Array2, ArrayView2};
use std::path::{Path, PathBuf};

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

/// Wavelength (nm) of a `DHR<nm>` variable name.
fn wavelength(name: &str) -> Option<f64> {
    name.strip_prefix("DHR").and_then(|w| w.parse::<f64>().ok())
}

/// Legend lines of a clustering: size and mean NDVI (when NDVI is a chosen variable).
pub fn legend(prepared: &Prepared, clustering: &Clustering) -> Vec<ClusterLegend> {
    let centres = crate::io::tables::cluster_centres(&prepared.table, &clustering.labels, clustering.k);
    let ndvi = prepared.table.names.iter().position(|n| n == "NDVI");
    centres
        .iter()
        .map(|c| ClusterLegend {
            id: c.cluster,
            size: c.size,
            mean_ndvi: ndvi.map(|i| c.means[i]),
            name: None,
        })
        .collect()
}

fn grid_labels(prepared: &Prepared, labels: &[usize]) -> Vec<Option<usize>> {
    let (nr, nc) = prepared.table.grid_shape();
    let mut out = vec![None; nr * nc];
    for (cell, &l) in prepared.table.cells.iter().zip(labels) {
        out[cell.row * nc + cell.col] = Some(l);
    }
    out
}

/// Maps of every chosen variable over the background (study Figs. 1-3).
pub fn variable_maps(d: &mut Drawn, prepared: &Prepared) -> Result<()> {
    let opts = MapOptions::default();
    for (i, name) in prepared.table.names.iter().enumerate() {
        let units = prepared.table.units[i].clone().unwrap_or_default();
        let values = prepared.table.to_grid(&prepared.table.values.column(i).to_vec());
        let colormap = if name == "NDVI" {
            Colormap::parse("ylgn").unwrap_or(Colormap::parse("viridis")?)
        } else {
            Colormap::parse("viridis")?
        };
        let file = format!("map_{}.png", sanitize(name));
        d.add(&file, &format!("{name} on the selected cells"), |p| {
            plot::variable_map(p, &prepared.table.grid, &values, name, &units, colormap, &opts)
        })?;
    }
    Ok(())
}

/// A file-name-safe version of a variable name.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect()
}

/// World and regional cluster maps (study Figs. 6-9, 14).
pub fn cluster_maps(d: &mut Drawn, prepared: &Prepared, clustering: &Clustering, tag: &str, what: &str) -> Result<()> {
    cluster_maps_in(
        d,
        prepared,
        clustering,
        tag,
        what,
        &["world", "africa", "south-america", "europe"],
    )
}

/// Cluster maps of the named regions.
pub fn cluster_maps_in(
    d: &mut Drawn,
    prepared: &Prepared,
    clustering: &Clustering,
    tag: &str,
    what: &str,
    regions: &[&str],
) -> Result<()> {
    let labels = grid_labels(prepared, &clustering.labels);
    let legend = legend(prepared, clustering);
    for &region in regions {
        let opts = MapOptions {
            region: Region::parse(region)?,
            ..MapOptions::default()
        };
        let file = if region == "world" {
            format!("clusters{tag}.png")
        } else {
            format!("clusters{tag}_{region}.png")
        };
        let title = format!(
            "{what}, k = {}{}",
            clustering.k,
            if region == "world" {
                String::new()
            } else {
                format!(" ({region})")
            }
        );
        d.add(&file, &title, |p| {
            plot::cluster_map(p, &prepared.table.grid, &labels, &legend, &title, &opts)
        })?;
    }
    Ok(())
}

/// Mean spectrum (DHR vs wavelength) of each cluster, with +- 1 std (for naming clusters).
pub fn spectra(d: &mut Drawn, prepared: &Prepared, clustering: &Clustering, tag: &str) -> Result<()> {
    let bands: Vec<(usize, f64)> = prepared
        .table
        .names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| wavelength(n).map(|w| (i, w)))
        .collect();
    if bands.len() < 2 {
        return Ok(());
    }
    let mut bands = bands;
    bands.sort_by(|a, b| a.1.total_cmp(&b.1));
    let spectra: Vec<ClusterSpectrum> = (0..clustering.k)
        .map(|c| {
            let rows: Vec<usize> = clustering
                .labels
                .iter()
                .enumerate()
                .filter(|&(_, &l)| l == c)
                .map(|(i, _)| i)
                .collect();
            let stat = |col: usize| {
                let v: Vec<f64> = rows.iter().map(|&r| prepared.table.values[[r, col]]).collect();
                let m = v.iter().sum::<f64>() / v.len().max(1) as f64;
                let s = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len().max(1) as f64).sqrt();
                (m, s)
            };
            let (mean, std): (Vec<f64>, Vec<f64>) = bands.iter().map(|&(i, _)| stat(i)).unzip();
            ClusterSpectrum {
                id: c,
                size: rows.len(),
                mean,
                std,
            }
        })
        .collect();
    let wl: Vec<f64> = bands.iter().map(|b| b.1).collect();
    d.add(&format!("spectra{tag}.png"), "Mean surface reflectance (DHR) of each cluster, +- 1 std: bright flat = snow, bright rising = desert, red edge = vegetation", |p| {
        plot::cluster_spectra(p, &wl, &spectra, "Cluster mean spectra")
    })
}

/// PCA figures (study Figs. 10-12, 15).
pub fn pca_figures(d: &mut Drawn, prepared: &Prepared, space: &Space, clustering: &Clustering) -> Result<()> {
    let pca = &space.pca_full;
    let scores = pca.transform(prepared.z.view())?;
    let ratios = pca.explained_variance_ratio.to_vec();
    d.add(
        "pca_variance.png",
        "Explained variance ratio per principal component and its cumulative sum (Fig. 10)",
        |p| plot::explained_variance(p, &ratios, Some(0.95), "PCA explained variance"),
    )?;
    d.add(
        "pca_histograms.png",
        "Distribution of each principal component (Fig. 11)",
        |p| plot::component_histograms(p, scores.view(), 200, "Principal components"),
    )?;
    let pairs = scores.ncols().saturating_sub(1).min(6);
    if pairs >= 1 {
        d.add(
            "pca_density.png",
            "PC i+1 vs PC i coloured by local density (Fig. 12)",
            |p| plot::density_scatter_grid(p, scores.view(), pairs, 100, "Principal components, density"),
        )?;
        d.add("pca_clusters.png", "PC scatter coloured by cluster (Fig. 15)", |p| {
            plot::pc_scatter_clusters(
                p,
                scores.view(),
                &clustering.labels,
                pairs.min(2),
                "Principal components by cluster",
            )
        })?;
    }
    Ok(())
}

/// VAE figures: training curves, mu / logvar histograms, latent space views (Figs. 19-29).
pub fn vae_figures(d: &mut Drawn, prepared: &Prepared, space: &Space, clustering: &Clustering) -> Result<()> {
    let Some(vae) = &space.vae else { return Ok(()) };
    let history = vae.model.history();
    d.add(
        "vae_training.png",
        "VAE training: loss and reconstruction MSE per epoch (Fig. 21 shows R2)",
        |p| {
            plot::line_chart(
                p,
                &[
                    Series {
                        name: "loss".into(),
                        points: history.curve(|e| e.loss),
                    },
                    Series {
                        name: "MSE decode(mu(x))".into(),
                        points: history.curve(|e| e.mse),
                    },
                ],
                &ChartText::new("VAE training", "epoch", "value"),
            )
        },
    )?;
    d.add("vae_r2.png", "R2 of the reconstruction per epoch (Fig. 21)", |p| {
        plot::line_chart(
            p,
            &[Series {
                name: "R2".into(),
                points: history.curve(|e| e.r2),
            }],
            &ChartText::new("VAE R2 during training", "epoch", "R2"),
        )
    })?;
    for (file, caption, title, pick) in [
        (
            "vae_mu_epochs.png",
            "Histogram of the latent means mu at a few epochs (TensorBoard view, Fig. 19)",
            "Latent means mu during training",
            (|h: &EpochHistograms| &h.mu) as fn(&EpochHistograms) -> &Histogram,
        ),
        (
            "vae_logvar_epochs.png",
            "Histogram of the latent log-variances at a few epochs (TensorBoard view, Fig. 20)",
            "Latent log-variance during training",
            |h: &EpochHistograms| &h.logvar,
        ),
    ] {
        let series = epoch_histogram_series(&history.histograms, pick);
        if !series.is_empty() {
            d.add(file, caption, |p| {
                plot::line_chart(p, &series, &ChartText::new(title, "value", "fraction of cells"))
            })?;
        }
    }
    let z = &space.coords;
    let mu: Vec<f64> = z.iter().copied().collect();
    d.add(
        "vae_mu_hist.png",
        "Distribution of the latent means mu after training (Fig. 20)",
        |p| {
            plot::histogram(
                p,
                &[HistSeries {
                    name: "mu",
                    values: &mu,
                }],
                100,
                &ChartText::new("Latent means", "mu", "density"),
            )
        },
    )?;
    if z.ncols() == 1 {
        vae_1d_figures(d, prepared, z.view(), clustering)?;
    } else {
        vae_2d_figures(d, space, &vae.model, clustering)?;
    }
    Ok(())
}

/// One line per chosen epoch (first, quarter, half, last): the fraction of cells in each bin
/// against the bin centre, like TensorBoard's histogram view.
fn epoch_histogram_series(histograms: &[EpochHistograms], pick: fn(&EpochHistograms) -> &Histogram) -> Vec<Series> {
    let n = histograms.len();
    let mut chosen: Vec<usize> = [0, n / 4, n / 2, n.saturating_sub(1)]
        .into_iter()
        .filter(|&i| i < n)
        .collect();
    chosen.dedup();
    chosen
        .into_iter()
        .map(|i| {
            let h = pick(&histograms[i]);
            let total = h.counts.iter().sum::<u64>().max(1) as f64;
            Series {
                name: format!("epoch {}", histograms[i].epoch),
                points: (0..h.counts.len())
                    .map(|b| (h.bin_center(b), h.counts[b] as f64 / total))
                    .collect(),
            }
        })
        .collect()
}

fn vae_1d_figures(d: &mut Drawn, prepared: &Prepared, z: ArrayView2<f64>, clustering: &Clustering) -> Result<()> {
    let latent: Vec<f64> = z.column(0).to_vec();
    let grid_values = prepared.table.to_grid(&latent);
    d.add(
        "vae_latent_map.png",
        "Latent value of the 1-D VAE per cell (Fig. 28)",
        |p| {
            plot::variable_map(
                p,
                &prepared.table.grid,
                &grid_values,
                "1-D VAE latent",
                "z",
                Colormap::parse("viridis")?,
                &MapOptions::default(),
            )
        },
    )?;
    let per_cluster: Vec<(String, Vec<f64>)> = (0..clustering.k)
        .map(|c| {
            (
                format!("cluster {c}"),
                latent
                    .iter()
                    .zip(&clustering.labels)
                    .filter(|&(_, &l)| l == c)
                    .map(|(v, _)| *v)
                    .collect(),
            )
        })
        .collect();
    let series: Vec<HistSeries> = per_cluster
        .iter()
        .map(|(n, v)| HistSeries { name: n, values: v })
        .collect();
    d.add(
        "vae_latent_clusters.png",
        "Clusters as segments of the 1-D latent axis (Figs. 27, 29)",
        |p| plot::histogram(p, &series, 120, &ChartText::new("1-D latent by cluster", "z", "cells")),
    )
}

fn vae_2d_figures(
    d: &mut Drawn,
    space: &Space,
    model: &crate::reduce::vae::TrainedVae,
    clustering: &Clustering,
) -> Result<()> {
    let z = &space.coords;
    d.add(
        "vae_latent_clusters.png",
        "Latent means coloured by cluster (Fig. 30)",
        |p| {
            plot::latent_scatter(
                p,
                z.slice(ndarray::s![.., 0..2]),
                &clustering.labels,
                None,
                "VAE latent space by cluster",
            )
        },
    )?;
    let zz = z.slice(ndarray::s![.., 0..2]).to_owned();
    d.add(
        "vae_density.png",
        "Density of the latent means (Fig. 24); compare with the density of the PC scores (Fig. 12)",
        |p| plot::density_scatter_grid_axes(p, zz.view(), 1, 100, "VAE latent density", "z"),
    )?;
    let (lo, hi) = latent_box(zz.view());
    let grid = crate::reduce::vae::grad_norm_grid(model, lo, hi, 60)?;
    let values: Vec<f64> = grid.magnitude.iter().copied().collect();
    d.add(
        "vae_gradient.png",
        "Magnitude of the gradient of ||x_hat|| with respect to z (Fig. 22)",
        |p| {
            plot::heat_field(
                p,
                &values,
                (grid.z1.len(), grid.z2.len()),
                (lo[0], hi[0]),
                (lo[1], hi[1]),
                Colormap::parse("viridis")?,
                "|grad|",
                None,
                &ChartText::new("Decoder gradient magnitude", "z1", "z2"),
            )
        },
    )?;
    let z0 = [zz[[0, 0]], zz[[0, 1]]];
    let step = (zz.nrows() / 2000).max(1);
    let sample: Array2<f64> = zz.slice(ndarray::s![..;step, ..]).to_owned();
    let profile = crate::reduce::vae::decoded_distance_profile(model, &z0, sample.view())?;
    d.add(
        "vae_distances.png",
        "Decoded distance vs latent distance from one sample (Fig. 23)",
        |p| {
            plot::line_chart(
                p,
                &[Series {
                    name: "cells".into(),
                    points: sorted(profile),
                }],
                &ChartText::new("Distances from a sample", "latent distance", "decoded distance"),
            )
        },
    )
}

fn sorted(mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

fn latent_box(z: ArrayView2<f64>) -> ([f64; 2], [f64; 2]) {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for row in z.outer_iter() {
        for j in 0..2 {
            lo[j] = lo[j].min(row[j]);
            hi[j] = hi[j].max(row[j]);
        }
    }
    for j in 0..2 {
        let pad = 0.1 * (hi[j] - lo[j]).max(1e-6);
        lo[j] -= pad;
        hi[j] += pad;
    }
    (lo, hi)
}

/// The Ward dendrogram, last 30 merges, with the cut for k (study Fig. 5).
pub fn dendrogram_figure(d: &mut Drawn, tree: &crate::cluster::ward::WardTree, k: usize) -> Result<()> {
    let linkage: Vec<(usize, usize, f64, usize)> = tree
        .linkage
        .iter()
        .map(|r| (r.left, r.right, r.height, r.size))
        .collect();
    d.add(
        "dendrogram.png",
        "Ward dendrogram of all selected cells, last 30 merges, with the cut giving k clusters (Fig. 5)",
        |path| plot::dendrogram(path, &linkage, 30, Some(k), "Ward dendrogram"),
    )
}

/// VAE figures with file names prefixed by `tag` (several VAEs in one folder).
pub fn vae_figures_tagged(
    d: &mut Drawn,
    prepared: &Prepared,
    space: &Space,
    clustering: &Clustering,
    tag: &str,
) -> Result<()> {
    let sub = d.dir.join(tag);
    std::fs::create_dir_all(&sub).map_err(|e| crate::Error::File {
        path: sub.clone(),
        message: e.to_string(),
    })?;
    let mut inner = Drawn::new(&sub);
    vae_figures(&mut inner, prepared, space, clustering)?;
    for mut f in inner.take() {
        f.caption = format!("{tag}: {}", f.caption);
        d.figures.push(f);
    }
    Ok(())
}

/// Draw the elbow figure into `dir`.
pub fn elbow_figure(d: &mut Drawn, e: &ElbowSweep) -> Result<()> {
    let sil: Vec<f64> = e.silhouette.iter().map(|s| s.unwrap_or(f64::NAN)).collect();
    d.add(
        "elbow.png",
        "WCSS per k with the knee (Kneedle) and the silhouette per k (Fig. 13)",
        |p| plot::elbow_chart(p, &e.ks, &e.wcss, e.knee, Some(&sil), "Elbow curve"),
    )
}

/// `landclust elbow`: the elbow figure alone.
pub fn draw_elbow(stage: &StagedDir, e: &ElbowSweep) -> Result<()> {
    elbow_figure(&mut Drawn::new(stage.path()), e)
}

/// The interactive map's data: clusters and the chosen variables per cell.
pub fn map_data(prepared: &Prepared, clustering: &Clustering) -> MapData {
    let grid = &prepared.table.grid;
    let (lat_step, lon_step) = grid.resolution();
    let clusters = grid_labels(prepared, &clustering.labels)
        .iter()
        .map(|l| l.map_or(-1, |v| v as i32))
        .collect();
    let variables = prepared
        .table
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| MapVariable {
            name: name.clone(),
            units: prepared.table.units[i].clone().unwrap_or_default(),
            values: prepared.table.to_grid(&prepared.table.values.column(i).to_vec()),
        })
        .collect();
    MapData {
        n_rows: grid.n_rows,
        n_cols: grid.n_cols,
        lat_north: grid.row_lat(0) + lat_step / 2.0,
        lon_west: grid.col_lon(0) - lon_step / 2.0,
        step_lat: lat_step,
        step_lon: lon_step,
        clusters,
        cluster_colors: (0..clustering.k)
            .map(|c| {
                let col = plot::cluster_color(c);
                [col.0, col.1, col.2]
            })
            .collect(),
        cluster_names: Vec::new(),
        variables,
    }
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

/// Largest PNG embedded as is; bigger ones (the maps, ~1 MB each) are embedded as JPEG.
const MAX_EMBEDDED_PNG: u64 = 300_000;

/// Write `report` with large PNG figures re-encoded as JPEG (quality 88) so the self-contained
/// page stays a few MB instead of tens; the PNG files beside it keep full quality.
pub fn write_compact(mut report: Report, path: &Path) -> Result<()> {
    use crate::report::FigureSource;
    for section in &mut report.sections {
        for figure in &mut section.figures {
            if let FigureSource::File(p) = &figure.source
                && std::fs::metadata(p)
                    .map(|m| m.len() > MAX_EMBEDDED_PNG)
                    .unwrap_or(false)
                && let Some(jpeg) = to_jpeg(p)
            {
                figure.source = FigureSource::Jpeg(jpeg);
            }
        }
    }
    report.write(path)?;
    Ok(())
}

fn to_jpeg(path: &Path) -> Option<Vec<u8>> {
    let img = image::open(path).ok()?.to_rgb8();
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
    img.write_with_encoder(encoder).ok()?;
    Some(out)
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
    report.map = Some(map_data(p, run.clustering));
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
    let centres = run.centres();
    let tables = vec![scores_table(run), centres_table(p, &centres)?];
    let mut tables = tables;
    if let Some(t) = &run.truth {
        tables.push(truth_table(t));
    }
    report
        .sections
        .push(section("Clusters", &cluster_text(run), d.take(), tables));
    pca_figures(&mut d, p, run.space, run.clustering)?;
    report
        .sections
        .push(section("Principal components", &pca_text(run.space), d.take(), vec![]));
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
        ("truth".into(), c.truth.clone().unwrap_or_else(|| "-".into())),
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
    if let Some(i) = run.clustering.inertia {
        t.note = format!("K-Means inertia (WCSS): {i:.4}");
    }
    t
}

fn centres_table(p: &Prepared, centres: &[crate::io::tables::ClusterCentre]) -> Result<Table> {
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

fn truth_table(t: &super::analysis::TruthComparison) -> Table {
    let mut header = vec!["cluster".to_string()];
    header.extend(t.classes.iter().map(|c| format!("class {c}")));
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

/// `landclust plot DIR`: redraw the figures and report of a finished run from its outputs.
pub fn redraw(dir: &Path, progress: bool) -> Result<usize> {
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
