//! Diagnostic charts of a run: spectra, PCA, VAE, dendrogram and elbow figures.

use super::Drawn;
use crate::error::Result;
use crate::pipeline::outdir::StagedDir;
use crate::pipeline::run::analysis::{Clustering, ElbowSweep, Prepared, Space};
use crate::plot::{self, ChartText, ClusterSpectrum, Colormap, HistSeries, Series};
use crate::reduce::vae::{EpochHistograms, Histogram};
use ndarray::{Array2, ArrayView2};

/// Wavelength (nm) of a `DHR<nm>` variable name.
fn wavelength(name: &str) -> Option<f64> {
    name.strip_prefix("DHR").and_then(|w| w.parse::<f64>().ok())
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
            |p| plot::density_scatter_grid(p, scores.view(), pairs, 200, "Principal components, density"),
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
    let m = super::maps::map_cells(prepared)?;
    d.add(
        "vae_latent_map.png",
        "Latent value of the 1-D VAE per cell (Fig. 28)",
        |p| {
            plot::variable_map(
                p,
                &m.geometry,
                m.cells(),
                &m.pick(&latent),
                "1-D VAE latent",
                "z",
                Colormap::parse("viridis")?,
                &m.options(),
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
        |p| plot::density_scatter_grid_axes(p, zz.view(), 1, 200, "VAE latent density", "z"),
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
