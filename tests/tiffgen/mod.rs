//! GeoTIFFs built in tests from the demo file's variables, with the GeoKeys and sample types a
//! test needs (the `tiff` crate's encoder; the GeoKey directory is written by hand).

#![allow(dead_code)]

use std::fs::File;
use std::path::Path;
use tiff::encoder::{TiffEncoder, colortype};
use tiff::tags::Tag;

/// A GeoKey directory with its double and ASCII parameters.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub dir: Vec<u16>,
    pub doubles: Vec<f64>,
    pub ascii: String,
}

/// One key's value.
pub enum Key<'a> {
    Short(u16),
    Double(f64),
    Text(&'a str),
}

impl Keys {
    /// A directory of `(id, value)` keys (given in ascending id order).
    pub fn new(keys: &[(u16, Key)]) -> Keys {
        let mut k = Keys {
            dir: vec![1, 1, 0, keys.len() as u16],
            ..Keys::default()
        };
        for (id, v) in keys {
            match v {
                Key::Short(s) => k.dir.extend([*id, 0, 1, *s]),
                Key::Double(d) => {
                    k.dir.extend([*id, 34736, 1, k.doubles.len() as u16]);
                    k.doubles.push(*d);
                }
                Key::Text(t) => {
                    let t = format!("{t}|");
                    k.dir.extend([*id, 34737, t.len() as u16, k.ascii.len() as u16]);
                    k.ascii.push_str(&t);
                }
            }
        }
        k
    }

    /// Geographic WGS 84 (EPSG:4326), PixelIsArea.
    pub fn wgs84() -> Keys {
        Keys::new(&[
            (1024, Key::Short(2)),
            (1025, Key::Short(1)),
            (2048, Key::Short(4326)),
            (2054, Key::Short(9102)),
        ])
    }

    /// WGS 84's ellipsoid and datum with a user-defined prime meridian at `meridian` degrees east
    /// of Greenwich (`GeogPrimeMeridianLongGeoKey`; 2.33722917 is Paris).
    pub fn meridian(meridian: f64) -> Keys {
        Keys::new(&[
            (1024, Key::Short(2)),
            (1025, Key::Short(1)),
            (2048, Key::Short(32767)),
            (2049, Key::Text("WGS 84 / Paris meridian")),
            (2050, Key::Short(6326)),
            (2051, Key::Short(32767)),
            (2054, Key::Short(9102)),
            (2061, Key::Double(meridian)),
        ])
    }

    /// MODIS CMG's geographic CRS: user-defined, on the Clarke 1866 ellipsoid given by its
    /// parameters, in `unit` (9102 degrees, 9101 radians).
    pub fn clarke_1866(unit: u16) -> Keys {
        Keys::new(&[
            (1024, Key::Short(2)),
            (1025, Key::Short(1)),
            (2048, Key::Short(32767)),
            (2049, Key::Text("Clarke 1866 CMG")),
            (2050, Key::Short(32767)),
            (2054, Key::Short(unit)),
            (2056, Key::Short(32767)),
            (2057, Key::Double(6378206.4)),
            (2059, Key::Double(294.9786982)),
        ])
    }
}

/// How values are stored.
#[derive(Debug, Clone, Copy)]
pub enum Samples {
    F32,
    F64,
    /// `round(value / scale)` as i16, `nodata` where the value is missing; no scale tagged.
    I16 {
        scale: f64,
        nodata: i16,
    },
}

/// The demo file's grid: `(rows, cols)`, and each variable's values north first.
pub fn demo_layers(demo: &Path, names: &[&str]) -> ((usize, usize), Vec<Vec<f64>>) {
    let r = landclust::io::open_input(demo).unwrap();
    let g = r.grid().clone();
    assert_eq!(
        (g.lat[0], g.lon[0]),
        (89.5, -179.5),
        "the demo grid is 1 degree, north first"
    );
    let layers = names
        .iter()
        .map(|n| r.read_block(n, 0..g.n_rows, &[0..g.n_cols]).unwrap())
        .collect();
    ((g.n_rows, g.n_cols), layers)
}

/// The stored i16 of `v` for [`Samples::I16`].
pub fn quantize(v: f64, scale: f64, nodata: i16) -> i16 {
    if v.is_nan() { nodata } else { (v / scale).round() as i16 }
}

/// Write one band of a 1-degree global grid (upper-left corner -180, 90) scaled by `unit`
/// (degrees per coordinate unit: 1, or pi/180 for radians) with `keys`, a GDAL band
/// description and (for floats) NoData nan.
pub fn write_band(
    path: &Path,
    shape: (usize, usize),
    values: &[f64],
    samples: Samples,
    keys: &Keys,
    name: &str,
    per_degree: f64,
) {
    write_band_at(path, shape, values, samples, keys, name, per_degree, -180.0);
}

/// [`write_band`] with the upper-left corner at longitude `west` (degrees, in the CRS of `keys`).
#[allow(clippy::too_many_arguments)]
pub fn write_band_at(
    path: &Path,
    shape: (usize, usize),
    values: &[f64],
    samples: Samples,
    keys: &Keys,
    name: &str,
    per_degree: f64,
    west: f64,
) {
    let (nr, nc) = shape;
    let mut enc = TiffEncoder::new(File::create(path).unwrap()).unwrap();
    macro_rules! image {
        ($ct:ty, $data:expr, $nodata:expr) => {{
            let mut img = enc.new_image::<$ct>(nc as u32, nr as u32).unwrap();
            let d = img.encoder();
            d.write_tag(Tag::ModelPixelScaleTag, &[per_degree, per_degree, 0.0][..])
                .unwrap();
            d.write_tag(
                Tag::ModelTiepointTag,
                &[0.0, 0.0, 0.0, west * per_degree, 90.0 * per_degree, 0.0][..],
            )
            .unwrap();
            d.write_tag(Tag::GeoKeyDirectoryTag, &keys.dir[..]).unwrap();
            if !keys.doubles.is_empty() {
                d.write_tag(Tag::GeoDoubleParamsTag, &keys.doubles[..]).unwrap();
            }
            if !keys.ascii.is_empty() {
                d.write_tag(Tag::GeoAsciiParamsTag, keys.ascii.as_str()).unwrap();
            }
            let xml =
                landclust::io::geotiff::metadata::write_items(&[(0, "description", "DESCRIPTION", name.to_string())]);
            d.write_tag(Tag::Unknown(42112), xml.as_str()).unwrap();
            if let Some(nd) = $nodata {
                d.write_tag(Tag::GdalNodata, nd).unwrap();
            }
            img.write_data(&$data).unwrap();
        }};
    }
    match samples {
        Samples::F32 => {
            let data: Vec<f32> = values.iter().map(|&v| v as f32).collect();
            image!(colortype::Gray32Float, data, Some("nan"))
        }
        Samples::F64 => {
            let data: Vec<f64> = values.to_vec();
            image!(colortype::Gray64Float, data, Some("nan"))
        }
        Samples::I16 { scale, nodata } => {
            let data: Vec<i16> = values.iter().map(|&v| quantize(v, scale, nodata)).collect();
            image!(colortype::GrayI16, data, None::<&str>)
        }
    }
}

/// A composite input `NAME=FILE,...` of single-band GeoTIFFs in `dir`, one per layer, each with
/// its own samples and keys.
pub fn composite(
    dir: &Path,
    tag: &str,
    shape: (usize, usize),
    names: &[&str],
    layers: &[Vec<f64>],
    samples: impl Fn(&str) -> Samples,
    keys: impl Fn(&str) -> Keys,
    per_degree: f64,
) -> String {
    composite_at(dir, tag, shape, names, layers, samples, keys, per_degree, -180.0)
}

/// [`composite`] with the upper-left corner at longitude `west` (see [`write_band_at`]).
#[allow(clippy::too_many_arguments)]
pub fn composite_at(
    dir: &Path,
    tag: &str,
    shape: (usize, usize),
    names: &[&str],
    layers: &[Vec<f64>],
    samples: impl Fn(&str) -> Samples,
    keys: impl Fn(&str) -> Keys,
    per_degree: f64,
    west: f64,
) -> String {
    let mut items = Vec::new();
    for (name, values) in names.iter().zip(layers) {
        let path = dir.join(format!("{tag}_{name}.tif"));
        write_band_at(&path, shape, values, samples(name), &keys(name), name, per_degree, west);
        items.push(format!("{name}={}", path.display()));
    }
    items.join(",")
}
