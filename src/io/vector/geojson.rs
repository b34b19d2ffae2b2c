//! `labels.geojson`: the polygons of a label raster ([`super::polygonize`]) as a GeoJSON
//! FeatureCollection (RFC 7946), one Feature per cluster or region whose geometry is the
//! MultiPolygon of its 4-connected components, with the attributes `id`, `name` (when known),
//! `cells` and `area_km2`.
//!
//! Vertices are the cells' edges, halfway between neighbouring centres and half a step beyond
//! the outer ones ([`crate::dataset::area::edges`], the edges the cell areas are computed on),
//! so a polygon's area on the ellipsoid is exactly the sum of its cells' areas. Coordinates are
//! in the input's CRS: longitude and latitude in degrees from its prime meridian (latitudes
//! clamped to the poles, an outer longitude edge within float32 rounding of the antimeridian put
//! on it), or projected x and y in its unit. Rings follow RFC 7946 section 3.1.6
//! (outer rings counter-clockwise, holes clockwise). Features are written one at a time through
//! `geojson`'s streaming [`geojson::FeatureWriter`], so only one cluster's coordinates are held.
//!
//! A CRS other than WGS 84 is named by the GeoJSON 2008 `crs` member, which RFC 7946 dropped but
//! GDAL and QGIS still read: `urn:ogc:def:crs:EPSG::CODE` when the system has an EPSG code,
//! else its OGC WKT 1 (GDAL takes WKT as a name too) without the AXIS nodes, since a
//! geographic WKT that states latitude first would make GDAL read the coordinates as
//! latitude, longitude.

use super::VectorError;
use super::polygonize::{Polygons, Ring};
use crate::dataset::Grid;
use crate::io::IoError;
use std::path::Path;

/// How far beyond the antimeridian, in cells, an outer longitude edge is taken for float32
/// rounding and put on it ([`CellEdges::of`]); the labels.tif writer allows as much
/// ([`crate::io::geotiff::writer::REGULAR_TOLERANCE`]).
pub const ANTIMERIDIAN_SNAP: f64 = 0.01;

/// The coordinates of the cells' edges: `x` per column edge (`n_cols + 1`), `y` per row edge
/// (`n_rows + 1`), in the grid's CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct CellEdges {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl CellEdges {
    /// The cell edges of `grid` (see the module notes).
    pub fn of(grid: &Grid) -> CellEdges {
        let mut x = crate::dataset::area::edges(&grid.lon, 1.0);
        let mut y = crate::dataset::area::edges(&grid.lat, 1.0);
        if !grid.is_projected() {
            for v in &mut x {
                *v = crate::io::grid::file_longitude(grid, *v);
            }
            // Centres stored as float32 put a global grid's outer edges a few 1e-6 degree
            // beyond the antimeridian, which PROJ and GIS wrap to the other side of the globe
            // (a sliver across the whole map): such an edge goes on it.
            let n = x.len();
            for (i, j) in [(0, 1), (n.saturating_sub(1), n.saturating_sub(2))] {
                if n >= 2 {
                    let width = (x[i] - x[j]).abs();
                    let beyond = x[i].abs() - 180.0;
                    if beyond > 0.0 && beyond <= ANTIMERIDIAN_SNAP * width {
                        x[i] = 180.0f64.copysign(x[i]);
                    }
                }
            }
            for v in &mut y {
                *v = v.clamp(-90.0, 90.0);
            }
        }
        CellEdges { x, y }
    }

    /// True when the corner lattice keeps its orientation in these coordinates (x grows with
    /// the columns, y falls with the rows): a counter-clockwise ring of cells stays one.
    fn keeps_orientation(&self) -> bool {
        let grows = |v: &[f64]| v.last().zip(v.first()).is_none_or(|(l, f)| l >= f);
        grows(&self.x) != grows(&self.y)
    }

    fn point(&self, (c, r): (u32, u32)) -> [f64; 2] {
        [self.x[c as usize], self.y[r as usize]]
    }
}

/// How the file names its CRS (see the module notes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VectorCrs {
    /// WGS 84 longitude, latitude: RFC 7946's own, no `crs` member.
    Crs84,
    /// The name of the 2008 `crs` member: an EPSG URN or a WKT.
    Named(String),
}

impl VectorCrs {
    /// The CRS of `grid`'s coordinates.
    pub fn of(grid: &Grid) -> VectorCrs {
        let urn = |code: u16| VectorCrs::Named(format!("urn:ogc:def:crs:EPSG::{code}"));
        if let Some(p) = &grid.projection {
            return p.epsg.map_or_else(|| VectorCrs::Named(p.to_wkt()), urn);
        }
        let crs = grid.crs();
        if crs.is_wgs84() {
            return VectorCrs::Crs84;
        }
        // The EPSG geographic systems on Greenwich are in degrees; a datum "not specified, based
        // on ellipsoid 70xx" (60xx) is the geographic system 40xx.
        let code = crs
            .epsg
            .or_else(|| crs.datum_epsg.filter(|d| (6001..=6048).contains(d)).map(|d| d - 2000));
        match code {
            Some(code) if crs.prime_meridian.longitude == 0.0 => urn(code),
            _ => VectorCrs::Named(
                crs.to_wkt()
                    .replace(",AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST]", ""),
            ),
        }
    }
}

/// The attributes of one Feature.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureAttributes {
    /// The label whose polygons the Feature holds (cluster or region number).
    pub id: u32,
    pub name: Option<String>,
    pub cells: usize,
    pub area_km2: f64,
}

/// Write `polygons` to `path` atomically as a FeatureCollection: one Feature per entry of
/// `features`, in that order, with the polygons of its label (an empty MultiPolygon when the
/// raster has none of it).
pub fn write_geojson(
    path: &Path,
    polygons: &Polygons,
    edges: &CellEdges,
    features: &[FeatureAttributes],
    crs: &VectorCrs,
) -> Result<(), IoError> {
    let fail = |e: VectorError| IoError::format(path, e.to_string());
    let corners = polygons
        .by_label
        .values()
        .flatten()
        .flat_map(|p| std::iter::once(&p.exterior).chain(&p.holes))
        .flat_map(|r| &r.vertices);
    for &(c, r) in corners {
        if c as usize >= edges.x.len() {
            return Err(fail(VectorError::Edges {
                what: "columns",
                n: edges.x.len(),
                expected: c as usize + 1,
            }));
        }
        if r as usize >= edges.y.len() {
            return Err(fail(VectorError::Edges {
                what: "rows",
                n: edges.y.len(),
                expected: r as usize + 1,
            }));
        }
    }
    let reverse = !edges.keeps_orientation();
    let ring = |r: &Ring| -> Vec<geojson::Position> {
        let points = r.vertices.iter().map(|&v| geojson::Position::from(edges.point(v)));
        if reverse {
            points.rev().collect()
        } else {
            points.collect()
        }
    };
    crate::io::atomic::write_with(path, |out| {
        let mut writer = geojson::FeatureWriter::from_writer(out);
        writer
            .write_foreign_member("name", "labels")
            .map_err(std::io::Error::other)?;
        if let VectorCrs::Named(name) = crs {
            let member = serde_json::json!({"type": "name", "properties": {"name": name}});
            writer
                .write_foreign_member("crs", &member)
                .map_err(std::io::Error::other)?;
        }
        for f in features {
            let coordinates: Vec<Vec<Vec<geojson::Position>>> = polygons
                .by_label
                .get(&f.id)
                .map(|ps| {
                    ps.iter()
                        .map(|p| std::iter::once(&p.exterior).chain(&p.holes).map(ring).collect())
                        .collect()
                })
                .unwrap_or_default();
            let mut properties = geojson::JsonObject::new();
            properties.insert("id".into(), f.id.into());
            if let Some(name) = &f.name {
                properties.insert("name".into(), name.clone().into());
            }
            properties.insert("cells".into(), f.cells.into());
            properties.insert("area_km2".into(), f.area_km2.into());
            let feature = geojson::Feature {
                bbox: None,
                geometry: Some(geojson::Geometry::new(geojson::GeometryValue::MultiPolygon {
                    coordinates,
                })),
                id: Some(geojson::feature::Id::Number(f.id.into())),
                properties: Some(properties),
                foreign_members: None,
            };
            writer.write_feature(&feature).map_err(std::io::Error::other)?;
        }
        writer.finish().map_err(std::io::Error::other)?;
        writer.flush().map_err(std::io::Error::other)
    })
}

#[cfg(test)]
#[path = "geojson_tests.rs"]
mod tests;
