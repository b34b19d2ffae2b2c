//! What a Zarr store holds, for `landclust inspect`: the same description as a netCDF file's
//! ([`crate::io::netcdf::FileSummary`]: dimensions, arrays with their valid-cell counts, root
//! attributes, the grid found) and how each array is stored (data type, chunks, codecs).

use super::ZarrStore;
use crate::dataset::GridSource;
use crate::io::netcdf::cf::{is_numeric, text_attr, type_name};
use crate::io::netcdf::summary::attr_text;
use crate::io::netcdf::{AttributeSummary, DimensionSummary, FileSummary, VariableSummary};
use crate::io::summary::{GridSummary, write_table};
use serde::Serialize;
use std::fmt;

/// How one array is stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrayStorage {
    pub name: String,
    /// The data type as the store spells it (`float32`, `<f4`).
    pub data_type: String,
    pub chunks: Vec<u64>,
    /// The codecs in order, `name(compressor)` for Blosc.
    pub codecs: Vec<String>,
}

/// Everything `landclust inspect` shows about a Zarr store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZarrSummary {
    #[serde(flatten)]
    pub file: FileSummary,
    pub storage: Vec<ArrayStorage>,
}

impl ZarrSummary {
    /// The first numeric array whose data could not be decoded, and why.
    pub fn undecodable(&self, store: &ZarrStore) -> Option<(String, String)> {
        let v = self
            .file
            .variables
            .iter()
            .find(|v| v.n_valid.is_none() && store.vars.iter().any(|x| x.name == v.name && is_numeric(&x.dtype)))?;
        let i = store.vars.iter().position(|x| x.name == v.name)?;
        let why = store.read_decoded(i).err().map_or_else(
            || "its data cannot be read".to_string(),
            // The reader's error names the store again: once is enough.
            |e| {
                let text = e.to_string();
                text.strip_prefix(&format!("{}: ", store.path.display()))
                    .map_or(text.clone(), str::to_string)
            },
        );
        Some((v.name.clone(), why))
    }
}

impl ZarrStore {
    /// Describe the store: dimensions, arrays (with valid-cell counts), root attributes, its
    /// grid and each array's storage. Never fails; a missing grid is reported in `grid_error`.
    pub fn summary(&self) -> ZarrSummary {
        let grid = self.grid();
        let axes = grid.as_ref().ok().and_then(|g| self.file_axes(g).ok());
        let coords = grid.as_ref().ok().map(|g| {
            let (GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) = &g.source;
            (lat_var.clone(), lon_var.clone())
        });
        let mut dimensions: Vec<DimensionSummary> = Vec::new();
        for d in self.vars.iter().flat_map(|v| &v.dimensions) {
            if !dimensions.iter().any(|x| x.name == d.name && x.len == d.size) {
                dimensions.push(DimensionSummary {
                    name: d.name.clone(),
                    len: d.size,
                    unlimited: false,
                });
            }
        }
        let variables = (0..self.vars.len())
            .map(|i| {
                let v = &self.vars[i];
                let placement = axes.as_ref().and_then(|a| a.place(v));
                let extra_dim = placement.as_ref().and_then(|p| {
                    super::extra_dims(v, p)
                        .into_iter()
                        .find(|&k| v.dimensions[k].size > 1)
                        .map(|k| super::plan::dim_text(v, k))
                });
                let role = coords.as_ref().and_then(|(la, lo)| {
                    (v.name == *la)
                        .then(|| "latitude".to_string())
                        .or_else(|| (v.name == *lo).then(|| "longitude".to_string()))
                });
                self.variable_summary(i, placement.is_some(), extra_dim, role)
            })
            .collect();
        let global_attributes = self
            .meta
            .attributes
            .iter()
            .map(|a| AttributeSummary {
                name: a.name.clone(),
                value: attr_text(&a.value),
            })
            .collect();
        let crs = grid.as_ref().ok().map(|g| g.crs());
        let (grid, grid_error) = match grid {
            Ok(g) => (Some(GridSummary::of(&g)), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let storage = self
            .meta
            .arrays
            .iter()
            .map(|a| ArrayStorage {
                name: a.var.name.clone(),
                data_type: a.data_type.clone(),
                chunks: a.chunks.clone(),
                codecs: a.codecs.clone(),
            })
            .collect();
        ZarrSummary {
            file: FileSummary {
                path: self.path.display().to_string(),
                format: self.format_name(),
                dimensions,
                variables,
                global_attributes,
                grid,
                grid_error,
                crs,
            },
            storage,
        }
    }

    fn variable_summary(
        &self,
        i: usize,
        on_grid: bool,
        extra_dim: Option<String>,
        role: Option<String>,
    ) -> VariableSummary {
        let v = &self.vars[i];
        let a = self.array_meta(i);
        let numeric = is_numeric(&v.dtype);
        // Without a declared fill (nor --decode's), the decoder's NaN stands for "none".
        let fill_value = numeric
            .then(|| self.decoder(v).fill_value())
            .flatten()
            .filter(|f| !f.is_nan() || a.fill_declared);
        let n_valid = if numeric {
            self.read_decoded(i)
                .ok()
                .map(|vals| vals.iter().filter(|x| !x.is_nan()).count() as u64)
        } else {
            None
        };
        VariableSummary {
            name: v.name.clone(),
            dims: v.dimensions.iter().map(|d| d.name.clone()).collect(),
            shape: v.shape(),
            dtype: if numeric {
                type_name(&v.dtype)
            } else {
                a.data_type.clone()
            },
            units: self
                .decode_override(&v.name)
                .and_then(|o| o.units.clone())
                .or_else(|| text_attr(v, "units")),
            long_name: text_attr(v, "long_name"),
            fill_value,
            n_valid,
            n_elements: v.shape().iter().product(),
            on_grid,
            extra_dim,
            role,
            decode: self.decode_override(&v.name).cloned(),
        }
    }
}

impl fmt::Display for ZarrSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        writeln!(f, "storage:")?;
        let mut rows = vec![["name", "data type", "chunks", "codecs"].map(String::from).to_vec()];
        for s in &self.storage {
            let chunks: Vec<String> = s.chunks.iter().map(u64::to_string).collect();
            rows.push(vec![
                s.name.clone(),
                s.data_type.clone(),
                chunks.join("x"),
                s.codecs.join(", "),
            ]);
        }
        write_table(f, &rows)
    }
}
