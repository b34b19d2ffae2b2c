//! `landclust encode`: the latent means of another file's cells under a VAE saved by
//! `landclust run --reduce vae:N` (`vae_model.json`). The cells are standardized with the
//! model's SAVED means and standard deviations, so the latent coordinates are comparable with
//! those of the training run.

use crate::dataset::{CellTable, Selection};
use crate::error::{Error, Result};
use crate::features::Standardizer;
use crate::io::IoError;
use crate::io::netcdf::write::NcFormat;
use crate::pipeline::labels_nc::{LabelLayer, write_labels_nc};
use crate::pipeline::outdir::{MARKER, StagedDir};
use crate::reduce::vae::TrainedVae;
use ndarray::{Array1, Array2};
use std::path::{Path, PathBuf};

/// Settings of `landclust encode`.
#[derive(Debug, Clone)]
pub struct EncodeSettings {
    pub input: PathBuf,
    pub model: PathBuf,
    pub select: Selection,
    pub out: PathBuf,
}

/// What `encode` did.
#[derive(Debug, Clone)]
pub struct EncodeSummary {
    pub out: PathBuf,
    pub n_encoded: usize,
    pub n_selected: usize,
    pub n_dropped: usize,
    pub latent_dim: usize,
}

/// The model and the standardization it was trained with.
fn load_model(path: &Path) -> Result<(TrainedVae, Standardizer)> {
    if !path.is_file() {
        return Err(Error::File {
            path: path.into(),
            message: "no such model file (expected the vae_model.json of a `landclust run --reduce vae:N` folder)"
                .into(),
        });
    }
    let model = TrainedVae::load(path)?;
    let norm = model.normalization().ok_or_else(|| Error::File {
        path: path.into(),
        message: "the model has no saved standardization (means and standard deviations of its variables); \
                  retrain it with `landclust run --reduce vae:N`"
            .into(),
    })?;
    let scaler = Standardizer {
        names: norm.variables.clone(),
        mean: Array1::from(norm.mean.clone()),
        std: Array1::from(norm.std.clone()),
    };
    Ok((model, scaler))
}

/// Say that a variable the file lacks is one of the model's inputs.
fn name_model(e: IoError, s: &EncodeSettings) -> IoError {
    match e {
        IoError::Variable {
            path,
            variable,
            message,
        } => IoError::Variable {
            path,
            message: format!("{message} (an input of the model {})", s.model.display()),
            variable,
        },
        other => other,
    }
}

/// Encode the cells of `s.input` and write `latent.csv` and `latent.nc` into `s.out` atomically.
pub fn encode_file(s: &EncodeSettings) -> Result<EncodeSummary> {
    let (model, scaler) = load_model(&s.model)?;
    let stage = StagedDir::new(&s.out)?;
    let named = |e: Error| match e {
        Error::Io(io) => Error::Io(name_model(io, s)),
        other => other,
    };
    let reader = crate::io::open_input(&s.input)?;
    let request = crate::dataset::TableRequest::new(&scaler.names, &s.select);
    let table = CellTable::read(reader.as_ref(), &request).map_err(|e| named(e.into()))?;
    if table.n_points() == 0 {
        return Err(Error::File {
            path: s.input.clone(),
            message: format!("no selected cell ({}) has all the model's variables", s.select),
        });
    }
    let z = scaler.transform(table.values.view())?;
    let latent = model.encode_mean(z.view())?;
    write_latent_csv(&stage.join("latent.csv"), &table, &latent)?;
    write_latent_nc(&stage.join("latent.nc"), s, &table, &latent)?;
    crate::io::tables::write_json(
        &stage.join(MARKER),
        &serde_json::json!({
            "command": "encode",
            "landclust_version": env!("CARGO_PKG_VERSION"),
            "input": s.input.display().to_string(),
            "model": s.model.display().to_string(),
            "variables": scaler.names,
            "selection": s.select.to_string(),
            "n_encoded": table.n_points(),
            "n_selected": table.n_selected,
            "n_dropped": table.n_dropped,
            "missing_per_variable": table.missing_per_variable,
            "latent_dim": latent.ncols(),
        }),
    )?;
    Ok(EncodeSummary {
        out: stage.commit()?,
        n_encoded: table.n_points(),
        n_selected: table.n_selected,
        n_dropped: table.n_dropped,
        latent_dim: latent.ncols(),
    })
}

/// `latent.csv`: `row,col,lat,lon,z1..zN`, one line per encoded cell.
fn write_latent_csv(path: &Path, table: &CellTable, latent: &Array2<f64>) -> Result<()> {
    let mut header: Vec<String> = ["row", "col", "lat", "lon"].map(String::from).to_vec();
    header.extend((1..=latent.ncols()).map(|i| format!("z{i}")));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = table.cells.iter().zip(latent.outer_iter()).map(|(c, z)| {
        let mut row = vec![
            c.row.to_string(),
            c.col.to_string(),
            c.lat.to_string(),
            c.lon.to_string(),
        ];
        row.extend(z.iter().map(|v| v.to_string()));
        row
    });
    Ok(crate::io::tables::write_csv(path, &header_refs, rows)?)
}

/// `latent.nc`: the grid with one float layer per latent dimension, fill on cells not encoded.
fn write_latent_nc(path: &Path, s: &EncodeSettings, table: &CellTable, latent: &Array2<f64>) -> Result<()> {
    let names: Vec<String> = (1..=latent.ncols()).map(|i| format!("z{i}")).collect();
    let long_names: Vec<String> = (1..=latent.ncols())
        .map(|i| format!("VAE latent mean, dimension {i}"))
        .collect();
    let window = table.output_window();
    let grids: Vec<Vec<f64>> = latent
        .columns()
        .into_iter()
        .map(|c| table.to_window(&window, &c.to_vec()))
        .collect();
    let layers: Vec<LabelLayer> = names
        .iter()
        .zip(&long_names)
        .zip(&grids)
        .map(|((name, long_name), values)| LabelLayer {
            name,
            values: values.into(),
            long_name,
            units: None,
        })
        .collect();
    let attrs = vec![
        ("landclust_input".to_string(), s.input.display().to_string()),
        ("landclust_model".to_string(), s.model.display().to_string()),
        ("landclust_variables".to_string(), table.names.join(",")),
        ("landclust_selection".to_string(), s.select.to_string()),
        ("landclust_version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
    ];
    let grid = table.grid.sub_grid(&window);
    Ok(write_labels_nc(path, NcFormat::Netcdf4, &grid, &layers, &attrs)?)
}
