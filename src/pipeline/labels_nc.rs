//! `labels.nc`, the run's map layers as one CF-1.8 netCDF file: its layout (1-D `lat`/`lon`
//! coordinates, a `crs` grid mapping of the input's geographic CRS (WGS 84 by default), label layers as flagged `int`, value layers as
//! `double`), written through the generic netCDF writer ([`crate::io::netcdf::write`]).

use crate::dataset::Grid;
use crate::io::IoError;
use crate::io::netcdf::write::{AttrValue, Attrs, NcFormat, OutData, OutVar, attrs, write_nc};
use std::path::Path;

/// Fill value of float layers in `labels.nc` (`NaN` cells are written as this).
pub const LAYER_FILL: f64 = -9999.0;

/// Fill value of label layers in `labels.nc` (negative labels are written as this); the
/// "no cell" value of [`crate::dataset::CellTable::labels_to_window`].
pub const LABEL_FILL: i32 = crate::dataset::NO_LABEL;

/// The values of a [`LabelLayer`], one per grid cell.
#[derive(Debug, Clone, Copy)]
pub enum LayerValues<'a> {
    /// Values with `NaN` where the cell has none.
    Reals(&'a [f64]),
    /// Labels as written, [`LABEL_FILL`] (or any negative value) where the cell has none: a
    /// label layer that is its own file form, with no `f64` copy of the grid (at 0.05 degree
    /// that copy is 200 MB).
    Labels(&'a [i32]),
}

impl LayerValues<'_> {
    /// Number of values (grid cells).
    pub fn len(&self) -> usize {
        match self {
            LayerValues::Reals(v) => v.len(),
            LayerValues::Labels(v) => v.len(),
        }
    }

    /// True when there is no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> From<&'a [f64]> for LayerValues<'a> {
    fn from(v: &'a [f64]) -> Self {
        LayerValues::Reals(v)
    }
}

impl<'a> From<&'a Vec<f64>> for LayerValues<'a> {
    fn from(v: &'a Vec<f64>) -> Self {
        LayerValues::Reals(v)
    }
}

impl<'a, const N: usize> From<&'a [f64; N]> for LayerValues<'a> {
    fn from(v: &'a [f64; N]) -> Self {
        LayerValues::Reals(v)
    }
}

impl<'a> From<&'a [i32]> for LayerValues<'a> {
    fn from(v: &'a [i32]) -> Self {
        LayerValues::Labels(v)
    }
}

/// One map layer of `labels.nc`: one value per grid cell, row-major, north first, `NaN` where
/// the cell has no value.
///
/// A layer whose values are all whole numbers `>= 0` (or `NaN`) is a label layer, written as
/// `int` with `_FillValue = -1` and `flag_values`/`flag_meanings`; any other layer is written
/// as `double` with `_FillValue = -9999.0`.
#[derive(Debug, Clone, Copy)]
pub struct LabelLayer<'a> {
    pub name: &'a str,
    pub values: LayerValues<'a>,
    pub long_name: &'a str,
    /// CF units; `None` for labels and for values written without units.
    pub units: Option<&'a str>,
}

impl LabelLayer<'_> {
    /// True when every value is `NaN` or a whole number in `0..=i32::MAX`.
    pub fn is_labels(&self) -> bool {
        match self.values {
            LayerValues::Reals(values) => values
                .iter()
                .all(|&v| v.is_nan() || (v >= 0.0 && v <= i32::MAX as f64 && v.fract() == 0.0)),
            LayerValues::Labels(_) => true,
        }
    }
}

/// Write the analysis map layers on `grid` as a CF-1.8 file (e.g. `labels.nc`), atomically.
///
/// Dimensions `lat`/`lon` with 1-D CF coordinate variables (CF-1.8 section 4.1-4.2) and a
/// `crs` grid-mapping variable (`latitude_longitude` in the grid's CRS, WGS 84 by default,
/// CF-1.8 section 5.6 and appendix F) named by every layer's `grid_mapping`. Label layers are `int` with
/// `_FillValue = -1` and `flag_values`/`flag_meanings`; value layers are `double` with
/// `_FillValue = -9999.0`. `Conventions = "CF-1.8"` comes first among the global attributes.
pub fn write_labels_nc<G: Clone + Into<AttrValue>>(
    path: &Path,
    format: NcFormat,
    grid: &Grid,
    layers: &[LabelLayer],
    global_attrs: &[(String, G)],
) -> Result<(), IoError> {
    let plain: Vec<LayerSpec> = layers
        .iter()
        .map(|l| LayerSpec {
            layer: *l,
            always_values: false,
            attrs: Attrs::new(),
        })
        .collect();
    write_layers_nc(path, format, grid, &plain, global_attrs)
}

/// A layer of [`write_layers_nc`].
#[derive(Debug, Clone)]
pub struct LayerSpec<'a> {
    pub layer: LabelLayer<'a>,
    /// Written as `double` even when every value is whole (a fraction that is 0 or 1 everywhere
    /// is still a fraction, not labels).
    pub always_values: bool,
    /// Attributes beyond those its kind gives (a fraction's `valid_range`, CF-1.8 section
    /// 2.5.1), added after `long_name` and `units`. A label layer's `flag_values` and
    /// `flag_meanings` given here (its classes' names) replace the `NAME_ID` meanings it would get.
    pub attrs: Attrs,
}

/// [`write_labels_nc`] with per-layer choices ([`LayerSpec`]).
pub fn write_layers_nc<G: Clone + Into<AttrValue>>(
    path: &Path,
    format: NcFormat,
    grid: &Grid,
    layers: &[LayerSpec],
    global_attrs: &[(String, G)],
) -> Result<(), IoError> {
    let n = grid.len();
    if let Some(bad) = layers.iter().map(|l| &l.layer).find(|l| l.values.len() != n) {
        return Err(IoError::Variable {
            path: path.to_path_buf(),
            variable: bad.name.to_string(),
            message: format!("has {} values but the grid has {n} cells", bad.values.len()),
        });
    }
    // A projected grid: x/y coordinates, 2-D lat/lon auxiliary coordinates (CF-1.8 5.2, 5.6).
    let (lat2d, lon2d) = match &grid.projection {
        Some(_) => {
            let locator = grid.locator().map_err(|e| IoError::format(path, e.to_string()))?;
            let mut lat = Vec::with_capacity(n);
            let mut lon = Vec::with_capacity(n);
            for r in 0..grid.n_rows {
                for c in 0..grid.n_cols {
                    let (x, y) = locator.lon_lat(r, c);
                    lon.push(if x.is_finite() { x } else { LAYER_FILL });
                    lat.push(if y.is_finite() { y } else { LAYER_FILL });
                }
            }
            (lat, lon)
        }
        None => (Vec::new(), Vec::new()),
    };
    let (ydim, xdim) = if grid.is_projected() {
        ("y", "x")
    } else {
        ("lat", "lon")
    };
    let dims = [(ydim, grid.n_rows), (xdim, grid.n_cols)];
    let mut vars = Vec::with_capacity(layers.len() + 5);
    let crs_value = [0i32];
    // Longitudes in the grid's CRS, from its prime meridian (the `crs` variable names it).
    let file_lon: Vec<f64> = match grid.projection {
        Some(_) => Vec::new(),
        None => grid
            .lon
            .iter()
            .map(|&l| crate::io::grid::file_longitude(grid, l))
            .collect(),
    };
    match &grid.projection {
        Some(p) => {
            vars.push(OutVar::new("y", &["y"], OutData::F64(&grid.lat)).with_attrs(projected_coord_attrs(p, true)));
            vars.push(OutVar::new("x", &["x"], OutData::F64(&grid.lon)).with_attrs(projected_coord_attrs(p, false)));
            let mut lat_attrs = coord_attrs(true);
            lat_attrs.retain(|(k, _)| k != "axis");
            lat_attrs.push(("_FillValue".into(), LAYER_FILL.into()));
            let mut lon_attrs = coord_attrs(false);
            lon_attrs.retain(|(k, _)| k != "axis");
            lon_attrs.push(("_FillValue".into(), LAYER_FILL.into()));
            vars.push(OutVar::new("lat", &["y", "x"], OutData::F64(&lat2d)).with_attrs(lat_attrs));
            vars.push(OutVar::new("lon", &["y", "x"], OutData::F64(&lon2d)).with_attrs(lon_attrs));
            vars.push(OutVar::new("crs", &[], OutData::I32(&crs_value)).with_attrs(projected_crs_attrs(p)));
        }
        None => {
            vars.push(OutVar::new("lat", &["lat"], OutData::F64(&grid.lat)).with_attrs(coord_attrs(true)));
            vars.push(OutVar::new("lon", &["lon"], OutData::F64(&file_lon)).with_attrs(coord_attrs(false)));
            vars.push(OutVar::new("crs", &[], OutData::I32(&crs_value)).with_attrs(crs_attrs(&grid.crs())));
        }
    }
    let encoded: Vec<Encoded> = layers
        .iter()
        .map(|l| encode_layer(&l.layer, !l.always_values && l.layer.is_labels()))
        .collect();
    for (
        LayerSpec {
            layer, attrs: extra, ..
        },
        enc,
    ) in layers.iter().zip(&encoded)
    {
        let named_flags = extra.iter().any(|(k, _)| k == "flag_values" || k == "flag_meanings");
        let own: Attrs = enc
            .attrs
            .iter()
            .filter(|(k, _)| !(named_flags && (k == "flag_values" || k == "flag_meanings")))
            .cloned()
            .collect();
        let mut var = OutVar::new(layer.name, &[ydim, xdim], enc.data()).with_attrs(own);
        var.attrs.push(("long_name".into(), layer.long_name.into()));
        if let Some(units) = layer.units {
            var.attrs.push(("units".into(), units.into()));
        }
        var.attrs.extend(extra.iter().cloned());
        if grid.is_projected() {
            var.attrs.push(("coordinates".into(), "lat lon".into()));
        }
        var.attrs.push(("grid_mapping".into(), "crs".into()));
        vars.push(var);
    }
    let mut globals: Attrs = vec![("Conventions".into(), "CF-1.8".into())];
    globals.extend(
        global_attrs
            .iter()
            .filter(|(k, _)| k != "Conventions")
            .map(|(k, v)| (k.clone(), v.clone().into())),
    );
    write_nc(path, format, &dims, &vars, &globals)
}

/// The global attributes a run's map files carry after `Conventions`: its input, variables,
/// selection, reduction, method, `k`, restarts, seed and landclust's version (labels.nc, and
/// stability's confidence.nc with `k` its confidence k).
pub fn run_attributes(cfg: &crate::pipeline::config::RunConfig, k: usize) -> Vec<(String, String)> {
    vec![
        ("landclust_input".to_string(), cfg.input.display().to_string()),
        ("landclust_variables".to_string(), cfg.vars.join(",")),
        ("landclust_selection".to_string(), cfg.select.to_string()),
        ("landclust_reduce".to_string(), cfg.reduce.to_string()),
        ("landclust_method".to_string(), cfg.method.to_string()),
        ("landclust_k".to_string(), k.to_string()),
        ("landclust_n_init".to_string(), cfg.n_init.to_string()),
        ("landclust_seed".to_string(), cfg.seed.to_string()),
        ("landclust_version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
    ]
}

/// The CF grid mapping of geographic latitude/longitude in `crs` (CF-1.8 section 5.6 and
/// appendix F): its ellipsoid, prime meridian, names and well-known text for GDAL (`crs_wkt`).
/// WGS 84 (EPSG:4326) keeps the fixed attributes below.
fn crs_attrs(crs: &crate::dataset::GeographicCrs) -> Attrs {
    if !crs.is_wgs84() {
        let mut a = attrs([
            ("grid_mapping_name", "latitude_longitude".into()),
            ("semi_major_axis", crs.ellipsoid.semi_major_axis.into()),
            ("inverse_flattening", crs.ellipsoid.inverse_flattening.into()),
            ("longitude_of_prime_meridian", crs.prime_meridian.longitude.into()),
            ("geographic_crs_name", crs.name.as_str().into()),
            ("horizontal_datum_name", crs.datum.as_str().into()),
            ("reference_ellipsoid_name", crs.ellipsoid.name.as_str().into()),
            ("prime_meridian_name", crs.prime_meridian.name.as_str().into()),
        ]);
        if let Some(code) = crs.epsg {
            a.push(("epsg_code".into(), format!("EPSG:{code}").into()));
        }
        a.push(("crs_wkt".into(), crs.to_wkt().into()));
        return a;
    }
    attrs([
        ("grid_mapping_name", "latitude_longitude".into()),
        ("semi_major_axis", 6378137.0f64.into()),
        ("inverse_flattening", 298.257223563f64.into()),
        ("longitude_of_prime_meridian", 0.0f64.into()),
        ("epsg_code", "EPSG:4326".into()),
        ("crs_wkt", WGS84_WKT.into()),
    ])
}

/// The CF grid mapping of a projected CRS (CF-1.8 section 5.6 and appendix F): its method and
/// parameters, its base CRS's ellipsoid, names and well-known text for GDAL (`crs_wkt`).
fn projected_crs_attrs(p: &crate::dataset::ProjectedCrs) -> Attrs {
    let base = &p.base;
    let mut a = attrs([("grid_mapping_name", p.method.cf_name().into())]);
    for (name, values) in p.cf_parameters() {
        a.push((name.into(), AttrValue::F64(values)));
    }
    a.extend(attrs([
        ("semi_major_axis", base.ellipsoid.semi_major_axis.into()),
        ("inverse_flattening", base.ellipsoid.inverse_flattening.into()),
        ("longitude_of_prime_meridian", base.prime_meridian.longitude.into()),
        ("projected_crs_name", p.name.as_str().into()),
        ("geographic_crs_name", base.name.as_str().into()),
        ("horizontal_datum_name", base.datum.as_str().into()),
        ("reference_ellipsoid_name", base.ellipsoid.name.as_str().into()),
    ]));
    if let Some(code) = p.epsg {
        a.push(("epsg_code".into(), format!("EPSG:{code}").into()));
    }
    a.push(("crs_wkt".into(), p.to_wkt().into()));
    a
}

/// The `x`/`y` coordinate attributes of a projected grid (CF-1.8 section 5.6).
fn projected_coord_attrs(p: &crate::dataset::ProjectedCrs, is_y: bool) -> Attrs {
    let units = match p.unit.epsg {
        Some(9001) => "m".to_string(),
        Some(9002) => "ft".to_string(),
        Some(9003) => "US_survey_foot".to_string(),
        Some(9036) => "km".to_string(),
        _ => format!("{} m", p.unit.metres),
    };
    let (standard, long, axis) = if is_y {
        ("projection_y_coordinate", "y coordinate of projection", "Y")
    } else {
        ("projection_x_coordinate", "x coordinate of projection", "X")
    };
    attrs([
        ("standard_name", standard.into()),
        ("long_name", long.into()),
        ("units", units.into()),
        ("axis", axis.into()),
    ])
}

/// OGC WKT of EPSG:4326 (WGS 84 geographic 2-D).
pub const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

fn coord_attrs(is_lat: bool) -> Attrs {
    if is_lat {
        attrs([
            ("standard_name", "latitude".into()),
            ("long_name", "latitude".into()),
            ("units", "degrees_north".into()),
            ("axis", "Y".into()),
        ])
    } else {
        attrs([
            ("standard_name", "longitude".into()),
            ("long_name", "longitude".into()),
            ("units", "degrees_east".into()),
            ("axis", "X".into()),
        ])
    }
}

/// A layer's values in file form with its type-specific attributes.
struct Encoded<'a> {
    values: EncodedValues<'a>,
    attrs: Attrs,
}

enum EncodedValues<'a> {
    Ints(std::borrow::Cow<'a, [i32]>),
    Reals(Vec<f64>),
}

impl Encoded<'_> {
    fn data(&self) -> OutData<'_> {
        match &self.values {
            EncodedValues::Ints(v) => OutData::I32(v),
            EncodedValues::Reals(v) => OutData::F64(v),
        }
    }
}

fn encode_layer<'a>(layer: &LabelLayer<'a>, as_labels: bool) -> Encoded<'a> {
    if as_labels {
        let ints: std::borrow::Cow<'a, [i32]> = match layer.values {
            LayerValues::Reals(values) => values
                .iter()
                .map(|&v| if v.is_nan() { LABEL_FILL } else { v as i32 })
                .collect(),
            LayerValues::Labels(labels) if labels.iter().all(|&l| l >= LABEL_FILL) => labels.into(),
            LayerValues::Labels(labels) => labels.iter().map(|&l| l.max(LABEL_FILL)).collect(),
        };
        let max = ints.iter().copied().max().unwrap_or(LABEL_FILL);
        let mut attrs = attrs([("_FillValue", LABEL_FILL.into())]);
        if (0..1000).contains(&max) {
            let flags: Vec<i32> = (0..=max).collect();
            let meanings: Vec<String> = flags.iter().map(|f| format!("{}_{f}", layer.name)).collect();
            attrs.push(("valid_range".into(), AttrValue::I32(vec![0, max])));
            attrs.push(("flag_values".into(), AttrValue::I32(flags)));
            attrs.push(("flag_meanings".into(), meanings.join(" ").into()));
        }
        Encoded {
            values: EncodedValues::Ints(ints),
            attrs,
        }
    } else {
        let reals: Vec<f64> = match layer.values {
            LayerValues::Reals(values) => values
                .iter()
                .map(|&x| if x.is_finite() { x } else { LAYER_FILL })
                .collect(),
            LayerValues::Labels(labels) => labels
                .iter()
                .map(|&l| if l < 0 { LAYER_FILL } else { f64::from(l) })
                .collect(),
        };
        Encoded {
            values: EncodedValues::Reals(reals),
            attrs: attrs([("_FillValue", LAYER_FILL.into())]),
        }
    }
}

/// The global attributes that trace a series back to its files: per stack of files `n` (from 1,
/// in metrics.json `input_stack` order) `landclust_input_stack_n_pattern`, `..._variable` (a
/// composite input's stack only), `..._order` and `..._labels`, entry `i`'s label (its date, or
/// its file's stem) being item `i` of the `", "`-separated list, as `NAME[i]` is file `i`.
/// Attribute text rather than a string variable, so a netCDF-3 reader and GDAL's metadata list
/// show it too.
pub fn stack_attributes(stacks: &[crate::dataset::StackInfo]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (n, stack) in stacks.iter().enumerate() {
        let key = |what: &str| format!("landclust_input_stack_{}_{what}", n + 1);
        out.push((key("pattern"), stack.pattern.clone()));
        if let Some(variable) = &stack.variable {
            out.push((key("variable"), variable.clone()));
        }
        out.push((key("order"), stack.order.clone()));
        out.push((key("labels"), stack.labels.join(", ")));
    }
    out
}

#[cfg(test)]
#[path = "labels_nc_tests.rs"]
mod tests;
