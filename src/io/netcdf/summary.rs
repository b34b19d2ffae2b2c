//! What a file holds, for `landclust inspect`: dimensions, variables, global attributes and
//! the grid landclust finds in it. Serializes to JSON; `Display` prints an aligned table.

use super::cf::{is_numeric, text_attr, type_name};
use super::{NcFile, extra_dims, format_name};
use crate::dataset::{GridSource, Orientation};
use crate::io::summary::{GridSummary, number, write_table};
use netcdf_reader::{NcAttrValue, NcVariable};
use serde::Serialize;
use std::fmt;

/// One dimension of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionSummary {
    pub name: String,
    pub len: u64,
    pub unlimited: bool,
}

/// One variable of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariableSummary {
    pub name: String,
    pub dims: Vec<String>,
    pub shape: Vec<u64>,
    /// Stored type in Rust spelling (`i16`, `f32`, ...).
    #[serde(rename = "type")]
    pub dtype: String,
    pub units: Option<String>,
    pub long_name: Option<String>,
    /// The fill value in physical (unpacked) units, the netCDF default when none is given.
    pub fill_value: Option<f64>,
    /// Elements with a value after CF decoding (all elements, over every dimension); `None`
    /// for non-numeric variables or when the data cannot be read.
    pub n_valid: Option<u64>,
    /// Total number of elements.
    pub n_elements: u64,
    /// The variable has the grid's two dimensions.
    pub on_grid: bool,
    /// The extra dimension (`name=len`) that needs `NAME[i]` or `NAME:mean` to be read.
    pub extra_dim: Option<String>,
    /// `latitude` or `longitude` for the grid's coordinate variables.
    pub role: Option<String>,
    /// The user's decoding applied over the file's (`--decode`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decode: Option<crate::dataset::DecodeOverride>,
}

/// One global attribute, its value as text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeSummary {
    pub name: String,
    pub value: String,
}

/// Everything `landclust inspect` shows about a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileSummary {
    pub path: String,
    pub format: String,
    pub dimensions: Vec<DimensionSummary>,
    pub variables: Vec<VariableSummary>,
    pub global_attributes: Vec<AttributeSummary>,
    pub grid: Option<GridSummary>,
    /// Why no grid was found.
    pub grid_error: Option<String>,
    /// The grid's geographic CRS (WGS 84 unless a CF grid mapping says otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crs: Option<crate::dataset::GeographicCrs>,
}

/// An attribute value as text, numbers joined by `, ` (at most 8 shown).
pub(crate) fn attr_text(value: &NcAttrValue) -> String {
    if let Some(s) = value.as_string() {
        return s.trim_end_matches('\0').to_string();
    }
    match value.as_f64_vec() {
        Some(v) => {
            let mut parts: Vec<String> = v.iter().take(8).map(|x| format!("{x}")).collect();
            if v.len() > 8 {
                parts.push(format!("... ({} values)", v.len()));
            }
            parts.join(", ")
        }
        None => format!("{value:?}"),
    }
}

impl NcFile {
    /// Describe the file: dimensions, variables (with valid-cell counts), global attributes and
    /// its grid. Never fails; a missing grid is reported in `grid_error`.
    pub fn summary(&self) -> FileSummary {
        let grid = self.grid();
        let axes = grid.as_ref().ok().and_then(|g| self.file_axes(g).ok());
        let coords = match grid.as_ref().map(|g| &g.source) {
            Ok(GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) => {
                Some((lat_var.clone(), lon_var.clone()))
            }
            Err(_) => None,
        };
        let variables = self
            .variables()
            .iter()
            .map(|v| {
                let placement = axes.as_ref().and_then(|a| a.place(v));
                let extra_dim = placement.as_ref().and_then(|p| {
                    extra_dims(v, p)
                        .into_iter()
                        .find(|&k| v.dimensions[k].size > 1)
                        .map(|k| super::dim_text(v, k))
                });
                let role = coords.as_ref().and_then(|(la, lo)| {
                    (v.name == *la)
                        .then(|| "latitude".to_string())
                        .or_else(|| (v.name == *lo).then(|| "longitude".to_string()))
                });
                self.variable_summary(v, placement.is_some(), extra_dim, role)
            })
            .collect();
        let root = self.inner.root_group().ok();
        let dimensions = root
            .map(|g| {
                g.dimensions
                    .iter()
                    .map(|d| DimensionSummary {
                        name: d.name.clone(),
                        len: d.size,
                        unlimited: d.is_unlimited,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let global_attributes = root
            .map(|g| {
                g.attributes
                    .iter()
                    .map(|a| AttributeSummary {
                        name: a.name.clone(),
                        value: attr_text(&a.value),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let crs = grid.as_ref().ok().map(|g| g.crs());
        let (grid, grid_error) = match grid {
            Ok(g) => (Some(GridSummary::of(&g)), None),
            Err(e) => (None, Some(e.to_string())),
        };
        FileSummary {
            path: self.path.display().to_string(),
            format: format_name(self.format()).to_string(),
            dimensions,
            variables,
            global_attributes,
            grid,
            grid_error,
            crs,
        }
    }

    fn variable_summary(
        &self,
        v: &NcVariable,
        on_grid: bool,
        extra_dim: Option<String>,
        role: Option<String>,
    ) -> VariableSummary {
        let numeric = is_numeric(&v.dtype);
        let decoder = numeric.then(|| self.decoder(v));
        let n_valid = if numeric {
            self.read_decoded(v)
                .ok()
                .map(|vals| vals.iter().filter(|x| !x.is_nan()).count() as u64)
        } else {
            None
        };
        VariableSummary {
            name: v.name.clone(),
            dims: v.dimensions.iter().map(|d| d.name.clone()).collect(),
            shape: v.shape(),
            dtype: type_name(&v.dtype),
            units: self
                .decode_override(&v.name)
                .and_then(|o| o.units.clone())
                .or_else(|| text_attr(v, "units")),
            long_name: text_attr(v, "long_name"),
            fill_value: decoder.and_then(|d| d.fill_value()),
            n_valid,
            n_elements: v.shape().iter().product(),
            on_grid,
            extra_dim,
            role,
            decode: self.decode_override(&v.name).cloned(),
        }
    }
}

fn orientation_text(o: &Orientation) -> String {
    let mut steps = Vec::new();
    if o.transposed {
        steps.push("axes swapped (longitude first in the file)".to_string());
    }
    if o.lat_flipped {
        steps.push("rows flipped (file is south first)".to_string());
    }
    if o.lon_shift > 0 {
        steps.push(format!("columns rolled by {} (0..360 -> -180..180)", o.lon_shift));
    }
    if steps.is_empty() {
        "as stored (north first, -180..180)".to_string()
    } else {
        steps.join(", ")
    }
}

impl fmt::Display for FileSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} ({})", self.path, self.format)?;
        match (&self.grid, &self.grid_error) {
            (Some(g), _) => {
                let (GridSource::OneD { lat_var, lon_var } | GridSource::TwoD { lat_var, lon_var }) = &g.source;
                let kind = if matches!(g.source, GridSource::TwoD { .. }) {
                    "2-D"
                } else {
                    "1-D"
                };
                writeln!(
                    f,
                    "grid: {} x {} cells of {}, from {kind} {lat_var}/{lon_var}; lat {}..{}, lon {}..{}",
                    g.n_rows,
                    g.n_cols,
                    g.cell_text(),
                    number(g.lat_range.0),
                    number(g.lat_range.1),
                    number(g.lon_range.0),
                    number(g.lon_range.1)
                )?;
                writeln!(f, "orientation: {}", orientation_text(&g.orientation))?;
                if let Some(p) = &g.projection {
                    writeln!(f, "projection: {p}, {}", p.method.name())?;
                }
                if let Some(c) = &self.crs {
                    writeln!(f, "crs: {c}")?;
                }
            }
            (None, Some(e)) => writeln!(f, "grid: none ({e})")?,
            (None, None) => writeln!(f, "grid: none")?,
        }
        let dims: Vec<String> = self
            .dimensions
            .iter()
            .map(|d| format!("{}={}{}", d.name, d.len, if d.unlimited { " (unlimited)" } else { "" }))
            .collect();
        writeln!(f, "dimensions: {}", dims.join(", "))?;
        writeln!(f, "variables ({}):", self.variables.len())?;
        let header = ["name", "dims", "type", "units", "fill", "valid", "grid", "long_name"];
        let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        for v in &self.variables {
            let grid = match (&v.role, v.on_grid, &v.extra_dim) {
                (Some(role), _, _) => role.clone(),
                (None, true, Some(extra)) => format!("yes, +{extra}"),
                (None, true, None) => "yes".into(),
                (None, false, _) => "no".into(),
            };
            let dims: Vec<String> = v.dims.iter().zip(&v.shape).map(|(d, n)| format!("{d}={n}")).collect();
            rows.push(vec![
                v.name.clone(),
                dims.join(","),
                v.dtype.clone(),
                v.units.clone().unwrap_or_default(),
                v.fill_value.map(number).unwrap_or_default(),
                v.n_valid.map_or("-".into(), |n| format!("{n}/{}", v.n_elements)),
                grid,
                v.long_name.clone().unwrap_or_default(),
            ]);
        }
        write_table(f, &rows)?;
        for v in &self.variables {
            if let Some(o) = &v.decode {
                writeln!(f, "decoding of {} set by --decode: {}", v.name, o.describe())?;
            }
        }
        if !self.global_attributes.is_empty() {
            writeln!(f, "global attributes:")?;
            let rows: Vec<Vec<String>> = self
                .global_attributes
                .iter()
                .map(|a| vec![a.name.clone(), a.value.clone()])
                .collect();
            write_table(f, &rows)?;
        }
        Ok(())
    }
}
