//! The netCDF reader against files written here with `netcdf-writer`: every layout landclust
//! supports (2-D GRASP-like and 1-D CF coordinates, south-first, 0..360, longitude-first), both
//! netCDF-4 and classic formats, every CF decoding rule, and the errors for bad input.
//!
//! The truth is defined once in landclust's orientation (row 0 north, -180..180); each file
//! stores it in its own layout, and the reader must give it back exactly, cell for cell
//! (bit-exact: the decoding does the same f64 operations as the expectations below).

use landclust::dataset::{GridSource, Selection};
use landclust::io::netcdf::{NcFile, load};
use netcdf_writer::{DimensionId, NcAttrValue, NcFileBuilder, NcWriteFormat, NcWriteOptions, NcWriteType, VariableId};
use std::path::{Path, PathBuf};

const NR: usize = 4;
const NC: usize = 6;
const NM: usize = 4;
const SCALE: f64 = 1e-4;
const OFFSET: f64 = 0.05;
const NAN: f64 = f64::NAN;

/// Cell centres of the truth grid: 45 x 60 degree cells, north first.
fn true_lat(r: usize) -> f64 {
    67.5 - 45.0 * r as f64
}
fn true_lon(c: usize) -> f64 {
    -150.0 + 60.0 * c as f64
}

/// How a test file lays the truth out.
#[derive(Debug, Clone, Copy)]
struct Layout {
    two_d: bool,
    south_first: bool,
    lon_0_360: bool,
    lon_first: bool,
    format: NcWriteFormat,
}

impl Layout {
    fn grasp(format: NcWriteFormat) -> Self {
        Layout {
            two_d: true,
            south_first: false,
            lon_0_360: false,
            lon_first: false,
            format,
        }
    }
    fn cf(format: NcWriteFormat) -> Self {
        Layout {
            two_d: false,
            ..Layout::grasp(format)
        }
    }
    /// CDF-1/2 have no unsigned or 64-bit types.
    fn old_classic(&self) -> bool {
        matches!(self.format, NcWriteFormat::Classic | NcWriteFormat::Offset64)
    }
    /// Grid column of file column `j`.
    fn col_of(&self, j: usize) -> usize {
        if self.lon_0_360 { (j + NC - 3) % NC } else { j }
    }
    fn row_of(&self, i: usize) -> usize {
        if self.south_first { NR - 1 - i } else { i }
    }
    /// Longitude stored for file column `j`.
    fn file_lon(&self, j: usize) -> f64 {
        let l = true_lon(self.col_of(j));
        if self.lon_0_360 && l < 0.0 { l + 360.0 } else { l }
    }
    /// Lay a per-cell function out in file order (rows x cols, or cols x rows).
    fn spread<T: Copy>(&self, f: impl Fn(usize, usize) -> T) -> Vec<T> {
        let mut out = Vec::with_capacity(NR * NC);
        if self.lon_first {
            for j in 0..NC {
                out.extend((0..NR).map(|i| f(self.row_of(i), self.col_of(j))));
            }
        } else {
            for i in 0..NR {
                out.extend((0..NC).map(|j| f(self.row_of(i), self.col_of(j))));
            }
        }
        out
    }
}

// The truth: stored values per grid cell and what the reader must return.
fn ndvi_stored(r: usize, c: usize) -> f32 {
    match (r, c) {
        (0, 0) => -9999.0,
        (1, 2) => f32::NAN,
        _ => 0.1 * r as f32 + 0.01 * c as f32,
    }
}
fn ndvi_expected(r: usize, c: usize) -> f64 {
    let s = ndvi_stored(r, c);
    if s == -9999.0 { NAN } else { f64::from(s) }
}
fn dhr_stored(r: usize, c: usize) -> i16 {
    match (r, c) {
        (3, 5) => -32768,
        (2, 1) => 20000, // above valid_range
        _ => (100 * r + 7 * c + 1) as i16,
    }
}
fn dhr_expected(r: usize, c: usize) -> f64 {
    match dhr_stored(r, c) {
        -32768 | 20000 => NAN,
        s => f64::from(s) * SCALE + OFFSET,
    }
}
fn land_stored(r: usize, c: usize) -> u8 {
    match (r, c) {
        (2, 2) => 255,
        (3, 0) => 254,
        _ if c < 4 => 100,
        _ => (10 * r) as u8,
    }
}
fn land_expected(r: usize, c: usize) -> f64 {
    match land_stored(r, c) {
        254 | 255 => NAN,
        s => f64::from(s),
    }
}
fn count_stored(r: usize, c: usize) -> i32 {
    (r * 20 + c) as i32 - 5
}
fn count_expected(r: usize, c: usize) -> f64 {
    let s = count_stored(r, c);
    if (0..=50).contains(&s) { f64::from(s) } else { NAN }
}
/// f64 without `_FillValue`: netCDF's default fill marks missing.
fn big_stored(r: usize, c: usize) -> f64 {
    if (r, c) == (1, 4) {
        9.969_209_968_386_869e36
    } else {
        1e10 * (r + c) as f64
    }
}
fn big_expected(r: usize, c: usize) -> f64 {
    if (r, c) == (1, 4) { NAN } else { big_stored(r, c) }
}
fn aod_stored(m: usize, r: usize, c: usize) -> f32 {
    match (m, r, c) {
        (1, 0, 1) => f32::NAN,
        (_, 3, 3) => -1.0, // fill in every month
        (2, 2, _) => -1.0, // fill in one month
        _ => m as f32 + 0.1 * r as f32 + 0.01 * c as f32,
    }
}
fn aod_month(m: usize, r: usize, c: usize) -> f64 {
    let s = aod_stored(m, r, c);
    if s == -1.0 { NAN } else { f64::from(s) }
}
fn aod_reduced(r: usize, c: usize, how: &str) -> f64 {
    let mut v: Vec<f64> = (0..NM).map(|m| aod_month(m, r, c)).filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return NAN;
    }
    v.sort_by(f64::total_cmp);
    match how {
        "mean" => v.iter().sum::<f64>() / v.len() as f64,
        "min" => v[0],
        "max" => v[v.len() - 1],
        "median" if v.len() % 2 == 1 => v[v.len() / 2],
        "median" => 0.5 * (v[v.len() / 2 - 1] + v[v.len() / 2]),
        _ => unreachable!(),
    }
}

fn text(s: &str) -> NcAttrValue {
    NcAttrValue::Chars(s.into())
}

fn add<T: NcWriteType>(b: &mut NcFileBuilder, name: &str, dims: &[DimensionId], data: &[T]) -> VariableId {
    let id = b.add_variable::<T>(name, dims).unwrap();
    b.write_variable(id, data).unwrap();
    id
}

/// Write the truth in `layout` to `path`.
fn write_file(path: &Path, layout: Layout) {
    let mut b = NcFileBuilder::new();
    let (rd, cd) = if layout.two_d {
        (
            b.add_dimension("x", NR as u64).unwrap(),
            b.add_dimension("y", NC as u64).unwrap(),
        )
    } else {
        (
            b.add_dimension("lat", NR as u64).unwrap(),
            b.add_dimension("lon", NC as u64).unwrap(),
        )
    };
    let grid = if layout.lon_first { [cd, rd] } else { [rd, cd] };
    let month = b.add_dimension("month", NM as u64).unwrap();
    let band = b.add_dimension("band", 5).unwrap();
    b.add_attribute("title", text("landclust reader test")).unwrap();
    if layout.two_d {
        let lat = add(&mut b, "Latitude", &grid, &layout.spread(|r, _| true_lat(r) as f32));
        let lon = add(
            &mut b,
            "Longitude",
            &grid,
            &layout.spread(|_, c| layout.file_lon(layout_col(layout, c)) as f32),
        );
        b.add_variable_attribute(lat, "units", text("degrees")).unwrap();
        b.add_variable_attribute(lon, "units", text("degrees")).unwrap();
    } else {
        let lat_values: Vec<f64> = (0..NR).map(|i| true_lat(layout.row_of(i))).collect();
        let lon_values: Vec<f32> = (0..NC).map(|j| layout.file_lon(j) as f32).collect();
        let lat = add(&mut b, "lat", &[rd], &lat_values);
        let lon = add(&mut b, "lon", &[cd], &lon_values);
        b.add_variable_attribute(lat, "units", text("degrees_north")).unwrap();
        b.add_variable_attribute(lon, "units", text("degrees_east")).unwrap();
    }
    let ndvi = add(&mut b, "NDVI", &grid, &layout.spread(ndvi_stored));
    b.set_variable_fill_value(ndvi, -9999.0f32).unwrap();
    b.add_variable_attribute(ndvi, "long_name", text("normalized difference vegetation index"))
        .unwrap();
    b.add_variable_attribute(ndvi, "units", text("1")).unwrap();

    let dhr = add(&mut b, "DHR670", &grid, &layout.spread(dhr_stored));
    b.set_variable_fill_value(dhr, -32768i16).unwrap();
    b.add_variable_attribute(dhr, "scale_factor", NcAttrValue::Doubles(vec![SCALE]))
        .unwrap();
    b.add_variable_attribute(dhr, "add_offset", NcAttrValue::Doubles(vec![OFFSET]))
        .unwrap();
    b.add_variable_attribute(dhr, "valid_range", NcAttrValue::Shorts(vec![0, 10000]))
        .unwrap();

    let land = if layout.old_classic() {
        add(
            &mut b,
            "LandPercentage",
            &grid,
            &layout.spread(|r, c| i16::from(land_stored(r, c))),
        )
    } else {
        add(&mut b, "LandPercentage", &grid, &layout.spread(land_stored))
    };
    let missing = if layout.old_classic() {
        NcAttrValue::Shorts(vec![254, 255])
    } else {
        NcAttrValue::UBytes(vec![254, 255])
    };
    b.add_variable_attribute(land, "missing_value", missing).unwrap();

    let count = add(&mut b, "Count", &grid, &layout.spread(count_stored));
    b.add_variable_attribute(count, "valid_min", NcAttrValue::Ints(vec![0]))
        .unwrap();
    b.add_variable_attribute(count, "valid_max", NcAttrValue::Ints(vec![50]))
        .unwrap();
    add(&mut b, "Big", &grid, &layout.spread(big_stored));

    let mut aod = Vec::with_capacity(NM * NR * NC);
    for m in 0..NM {
        aod.extend(layout.spread(|r, c| aod_stored(m, r, c)));
    }
    let aod_id = add(&mut b, "AOD", &[month, grid[0], grid[1]], &aod);
    b.set_variable_fill_value(aod_id, -1.0f32).unwrap();

    add(&mut b, "wavelength", &[band], &[443.0f32, 490.0, 565.0, 670.0, 865.0]);
    add(&mut b, "Edge", &[band, grid[1]], &vec![1.0f64; 5 * grid_len(layout, 1)]);
    let (_, bytes) = b.to_vec(NcWriteOptions { format: layout.format }).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The file-column index for the file's longitude variable is the spread's column argument,
/// which is already a grid column; map it back to the file column.
fn layout_col(layout: Layout, c: usize) -> usize {
    (0..NC).find(|&j| layout.col_of(j) == c).unwrap()
}

fn grid_len(layout: Layout, axis: usize) -> usize {
    if layout.lon_first == (axis == 0) { NC } else { NR }
}

fn tmp_file(dir: &tempfile::TempDir, name: &str, layout: Layout) -> PathBuf {
    let path = dir.path().join(name);
    write_file(&path, layout);
    path
}

fn assert_same(name: &str, got: &[f64], expected: impl Fn(usize, usize) -> f64) {
    assert_eq!(got.len(), NR * NC, "{name}");
    for r in 0..NR {
        for c in 0..NC {
            let (g, e) = (got[r * NC + c], expected(r, c));
            assert!(
                g.to_bits() == e.to_bits() || (g.is_nan() && e.is_nan()),
                "{name} at row {r} col {c}: got {g}, expected {e}"
            );
        }
    }
}

/// Read everything back from a file in `layout` and compare with the truth.
fn check_layout(layout: Layout) {
    let dir = tempfile::tempdir().unwrap();
    let path = tmp_file(&dir, "t.nc", layout);
    let file = NcFile::open(&path).unwrap();
    let grid = file.grid().unwrap();
    assert_eq!((grid.n_rows, grid.n_cols), (NR, NC), "{layout:?}");
    // One latitude per row and one longitude per column (the grid's 1-D axes).
    let lat_full: Vec<f64> = (0..NR * NC).map(|i| grid.row_lat(i / NC)).collect();
    let lon_full: Vec<f64> = (0..NR * NC).map(|i| grid.col_lon(i % NC)).collect();
    assert_eq!((grid.lat.len(), grid.lon.len()), (NR, NC), "{layout:?}");
    assert_same("lat", &lat_full, |r, _| true_lat(r));
    assert_same("lon", &lon_full, |_, c| true_lon(c));
    assert_eq!(grid.orientation.lat_flipped, layout.south_first, "{layout:?}");
    assert_eq!(
        grid.orientation.lon_shift,
        if layout.lon_0_360 { 3 } else { 0 },
        "{layout:?}"
    );
    assert_eq!(
        grid.orientation.transposed,
        layout.lon_first && layout.two_d,
        "{layout:?}"
    );
    assert_eq!(grid.resolution(), (45.0, 60.0));
    assert_same(
        "NDVI",
        &file.read_variable("NDVI", &grid).unwrap().values,
        ndvi_expected,
    );
    assert_same(
        "DHR670",
        &file.read_variable("DHR670", &grid).unwrap().values,
        dhr_expected,
    );
    assert_same(
        "LandPercentage",
        &file.read_variable("LandPercentage", &grid).unwrap().values,
        land_expected,
    );
    assert_same(
        "Count",
        &file.read_variable("Count", &grid).unwrap().values,
        count_expected,
    );
    assert_same("Big", &file.read_variable("Big", &grid).unwrap().values, big_expected);
    for m in 0..NM {
        let v = file.read_variable(&format!("AOD[{m}]"), &grid).unwrap();
        assert_eq!(v.name, format!("AOD[{m}]"));
        assert_same("AOD[m]", &v.values, |r, c| aod_month(m, r, c));
    }
    for how in ["mean", "min", "max", "median"] {
        let v = file.read_variable(&format!("AOD:{how}"), &grid).unwrap();
        assert_same(how, &v.values, |r, c| aod_reduced(r, c, how));
    }
    check_blocks(&file, &grid, layout);
    check_region_table(&path, layout);
}

/// Every block of rows x column segments (including segments that cross the file's 0/360 seam
/// and windows that wrap the dateline) equals the same cells of the whole-grid read.
#[allow(clippy::single_range_in_vec_init)] // lists of column segments, some of one segment
fn check_blocks(file: &NcFile, grid: &landclust::dataset::Grid, layout: Layout) {
    let segment_sets: [&[std::ops::Range<usize>]; 6] = [
        &[0..NC],
        &[2..5],
        &[4..NC, 0..2],
        &[5..NC, 0..1],
        &[0..1],
        &[1..3, 4..6],
    ];
    for spec in [
        "NDVI",
        "DHR670",
        "LandPercentage",
        "Big",
        "AOD[1]",
        "AOD:mean",
        "AOD:median",
    ] {
        let whole = file.read_variable(spec, grid).unwrap().values;
        for r0 in 0..NR {
            for r1 in r0 + 1..=NR {
                for segs in segment_sets {
                    let block = file.read_block(spec, grid, r0..r1, segs).unwrap();
                    let expected: Vec<f64> = (r0..r1)
                        .flat_map(|r| segs.iter().flat_map(move |s| s.clone().map(move |c| (r, c))))
                        .map(|(r, c)| whole[r * NC + c])
                        .collect();
                    assert_eq!(block.len(), expected.len());
                    for (g, e) in block.iter().zip(&expected) {
                        assert!(
                            g.to_bits() == e.to_bits() || (g.is_nan() && e.is_nan()),
                            "{layout:?} {spec} rows {r0}..{r1} cols {segs:?}: got {g}, expected {e}"
                        );
                    }
                }
            }
        }
    }
}

/// A run's table over a region that wraps the dateline, read in one-row blocks, holds exactly
/// the cells of the whole-grid table inside the region (east part first in each row).
fn check_region_table(path: &Path, layout: Layout) {
    use landclust::dataset::{BlockReader, CellTable, LonLatBox, TableRequest, Window};
    let reader = landclust::io::netcdf::NcGridReader::open(path).unwrap();
    let names = vec!["NDVI".to_string(), "DHR670".to_string()];
    let sel = Selection::All;
    let whole = CellTable::read(&reader, &TableRequest::new(&names, &sel)).unwrap();
    // Centres -150, -90, -30, 30, 90, 150: the box 120..-100 wraps and holds 150, -150.
    let bbox: LonLatBox = "120,-100,-70,70".parse().unwrap();
    let window = Window::from_box(reader.grid(), &bbox).unwrap();
    assert_eq!(window.cols, vec![5..6, 0..1], "{layout:?}");
    let t = CellTable::read(
        &reader,
        &TableRequest {
            window: Some(window.clone()),
            block_cells: 1,
            ..TableRequest::new(&names, &sel)
        },
    )
    .unwrap();
    let mut expected = Vec::new();
    for r in window.rows.clone() {
        for c in window.columns() {
            if let Some(i) = whole.cells.iter().position(|x| x.row == r && x.col == c) {
                expected.push(i);
            }
        }
    }
    assert_eq!(t.n_points(), expected.len(), "{layout:?}");
    for (k, &i) in expected.iter().enumerate() {
        assert_eq!(t.cells[k], whole.cells[i], "{layout:?}");
        assert_eq!(t.values.row(k), whole.values.row(i), "{layout:?}");
    }
}

fn nc4() -> Layout {
    Layout::grasp(NcWriteFormat::Nc4)
}

#[test]
fn grasp_layout_netcdf4() {
    check_layout(nc4());
}

#[test]
fn grasp_layout_every_classic_format() {
    for format in [NcWriteFormat::Classic, NcWriteFormat::Offset64, NcWriteFormat::Cdf5] {
        check_layout(Layout::grasp(format));
    }
}

#[test]
fn grasp_layout_south_first_0_360_and_lon_first() {
    for format in [NcWriteFormat::Nc4, NcWriteFormat::Classic] {
        let base = Layout::grasp(format);
        check_layout(Layout {
            south_first: true,
            ..base
        });
        check_layout(Layout {
            lon_0_360: true,
            ..base
        });
        check_layout(Layout {
            lon_first: true,
            ..base
        });
        check_layout(Layout {
            south_first: true,
            lon_0_360: true,
            lon_first: true,
            ..base
        });
    }
}

#[test]
fn cf_layouts_in_both_formats() {
    for format in [NcWriteFormat::Nc4, NcWriteFormat::Classic, NcWriteFormat::Offset64] {
        let base = Layout::cf(format);
        check_layout(base);
        check_layout(Layout {
            south_first: true,
            ..base
        });
        check_layout(Layout {
            lon_0_360: true,
            ..base
        });
        check_layout(Layout {
            lon_first: true,
            ..base
        });
        check_layout(Layout {
            south_first: true,
            lon_0_360: true,
            lon_first: true,
            ..base
        });
    }
}

#[test]
fn grid_source_names_the_coordinates() {
    let dir = tempfile::tempdir().unwrap();
    let grasp = NcFile::open(tmp_file(&dir, "g.nc", nc4())).unwrap().grid().unwrap();
    assert_eq!(
        grasp.source,
        GridSource::TwoD {
            lat_var: "Latitude".into(),
            lon_var: "Longitude".into()
        }
    );
    let cf = NcFile::open(tmp_file(&dir, "c.nc", Layout::cf(NcWriteFormat::Nc4)))
        .unwrap()
        .grid()
        .unwrap();
    assert_eq!(
        cf.source,
        GridSource::OneD {
            lat_var: "lat".into(),
            lon_var: "lon".into()
        }
    );
}

/// A coordinate variable: name and text attributes.
type Coord<'a> = (&'a str, &'a [(&'a str, &'a str)]);

/// A 1-D CF file with the given coordinate names and attributes, plus one variable `v`
/// on dims (time=1, rows, cols).
fn write_coords(path: &Path, lat: Coord, lon: Coord) {
    let mut b = NcFileBuilder::new();
    let (rd, cd) = (b.add_dimension("d0", 3).unwrap(), b.add_dimension("d1", 2).unwrap());
    let time = b.add_dimension("time", 1).unwrap();
    let la = add(&mut b, lat.0, &[rd], &[-10.0f64, 0.0, 10.0]);
    let lo = add(&mut b, lon.0, &[cd], &[0.0f64, 180.0]);
    for (k, v) in lat.1 {
        b.add_variable_attribute(la, *k, text(v)).unwrap();
    }
    for (k, v) in lon.1 {
        b.add_variable_attribute(lo, *k, text(v)).unwrap();
    }
    add(&mut b, "v", &[time, rd, cd], &[1i32, 2, 3, 4, 5, 6]);
    let (_, bytes) = b
        .to_vec(NcWriteOptions {
            format: NcWriteFormat::Nc4,
        })
        .unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn coordinates_found_by_attribute_or_name_and_length_one_dims_squeezed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.nc");
    let cases: [(Coord, Coord); 4] = [
        (("phi", &[("units", "degree_N")]), ("theta", &[("units", "degrees_E")])),
        (
            ("a", &[("standard_name", "latitude")]),
            ("b", &[("standard_name", "longitude")]),
        ),
        (("COADSY", &[]), ("COADSX", &[])),
        (("p", &[("axis", "Y")]), ("q", &[("axis", "X")])),
    ];
    for (lat, lon) in cases {
        write_coords(&path, lat, lon);
        let file = NcFile::open(&path).unwrap();
        let grid = file.grid().unwrap_or_else(|e| panic!("{lat:?}: {e}"));
        assert_eq!(
            grid.source,
            GridSource::OneD {
                lat_var: lat.0.into(),
                lon_var: lon.0.into()
            }
        );
        // Latitude -10, 0, 10 is south first; longitude 0, 180 stays (nothing past 180).
        assert_eq!(grid.lat, vec![10.0, 0.0, -10.0]);
        assert_eq!(grid.lon, vec![0.0, 180.0]);
        assert_eq!(
            file.read_variable("v", &grid).unwrap().values,
            vec![5.0, 6.0, 3.0, 4.0, 1.0, 2.0]
        );
        assert_eq!(
            file.read_variable("v[0]", &grid).unwrap().values,
            vec![5.0, 6.0, 3.0, 4.0, 1.0, 2.0]
        );
    }
    // Projected y/x in metres are not latitude/longitude.
    write_coords(&path, ("y", &[("units", "m")]), ("x", &[("units", "m")]));
    let e = NcFile::open(&path).unwrap().grid().unwrap_err().to_string();
    assert!(
        e.contains("no latitude/longitude grid found") && e.contains("c.nc"),
        "{e}"
    );
}

#[test]
fn load_reads_specs_and_the_selection_variable_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = tmp_file(
        &dir,
        "g.nc",
        Layout {
            south_first: true,
            ..nc4()
        },
    );
    let specs = vec!["NDVI".to_string(), "AOD:mean".into(), " NDVI ".into()];
    let ds = load(&path, &specs, &Selection::default()).unwrap();
    let names: Vec<&str> = ds.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["NDVI", "AOD:mean", "LandPercentage"]);
    assert_same("NDVI", &ds.variable("NDVI").unwrap().values, ndvi_expected);
    assert_eq!(ds.variables[0].units.as_deref(), Some("1"));
    assert_eq!(
        ds.variables[0].long_name.as_deref(),
        Some("normalized difference vegetation index")
    );
    let land = Selection::default().mask(&ds).unwrap();
    assert_eq!(
        land.iter().filter(|&&m| m).count(),
        (0..NR)
            .map(|r| (0..NC).filter(|&c| land_expected(r, c) >= 100.0).count())
            .sum::<usize>()
    );
    let all = load(&path, &["Count".into()], &Selection::All).unwrap();
    assert_eq!(all.variables.len(), 1);
}

#[test]
fn grid_variables_are_the_plainly_readable_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = NcFile::open(tmp_file(&dir, "g.nc", nc4())).unwrap();
    assert_eq!(
        file.grid_variables(),
        ["NDVI", "DHR670", "LandPercentage", "Count", "Big"]
    );
}

#[test]
fn summary_describes_variables_grid_and_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let file = NcFile::open(tmp_file(
        &dir,
        "g.nc",
        Layout {
            lon_0_360: true,
            ..nc4()
        },
    ))
    .unwrap();
    let s = file.summary();
    assert_eq!(s.format, "netCDF-4");
    assert_eq!(
        s.dimensions
            .iter()
            .map(|d| (d.name.as_str(), d.len))
            .collect::<Vec<_>>(),
        [("x", 4), ("y", 6), ("month", 4), ("band", 5)]
    );
    assert_eq!(s.global_attributes[0].name, "title");
    assert_eq!(s.global_attributes[0].value, "landclust reader test");
    let var = |n: &str| s.variables.iter().find(|v| v.name == n).unwrap();
    assert_eq!(var("NDVI").n_valid, Some(22));
    assert_eq!(var("NDVI").fill_value, Some(-9999.0));
    assert_eq!(var("NDVI").dtype, "f32");
    assert_eq!(var("NDVI").dims, ["x", "y"]);
    assert!(var("NDVI").on_grid && var("NDVI").extra_dim.is_none());
    assert_eq!(var("DHR670").n_valid, Some(22));
    assert_eq!(var("DHR670").fill_value, Some(-32768.0 * SCALE + OFFSET));
    assert_eq!(var("LandPercentage").n_valid, Some(22));
    assert_eq!(var("AOD").extra_dim.as_deref(), Some("month=4"));
    assert_eq!(var("AOD").n_valid, Some(96 - 1 - 4 - 6));
    assert_eq!(var("Latitude").role.as_deref(), Some("latitude"));
    assert!(!var("wavelength").on_grid && !var("Edge").on_grid);
    let g = s.grid.as_ref().unwrap();
    assert_eq!((g.n_rows, g.n_cols, g.resolution_deg), (4, 6, (45.0, 60.0)));
    assert_eq!((g.lat_range, g.lon_range), ((-67.5, 67.5), (-150.0, 150.0)));
    assert_eq!(g.orientation.lon_shift, 3);
    let shown = s.to_string();
    assert!(
        shown.contains("grid: 4 x 6 cells of 45 x 60 deg, from 2-D Latitude/Longitude"),
        "{shown}"
    );
    assert!(shown.contains("columns rolled by 3"), "{shown}");
    let ndvi_line = shown.lines().find(|l| l.trim_start().starts_with("NDVI")).unwrap();
    assert!(
        ndvi_line.contains("22/24") && ndvi_line.contains("normalized difference"),
        "{ndvi_line}"
    );
    let aod_line = shown.lines().find(|l| l.trim_start().starts_with("AOD")).unwrap();
    assert!(aod_line.contains("yes, +month=4"), "{aod_line}");
    // Every table row starts its columns at the same place.
    let header = shown.lines().find(|l| l.trim_start().starts_with("name")).unwrap();
    let type_col = header.find("type").unwrap();
    assert_eq!(&ndvi_line[type_col..type_col + 3], "f32");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["variables"][2]["name"], "NDVI");
    assert_eq!(json["variables"][2]["on_grid"], true);
    assert_eq!(json["grid"]["orientation"]["lon_shift"], 3);
}

fn err_text<T: std::fmt::Debug>(r: Result<T, landclust::io::IoError>) -> String {
    let e = r.unwrap_err().to_string();
    assert!(!e.contains('\n'), "not one line: {e}");
    e
}

#[test]
fn bad_files_give_one_line_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.nc");
    let e = err_text(NcFile::open(&missing));
    assert!(e.contains("nope.nc") && e.contains("No such file"), "{e}");

    let text_file = dir.path().join("notes.txt");
    std::fs::write(&text_file, "just some text, not netCDF\n").unwrap();
    let e = err_text(NcFile::open(&text_file));
    assert!(e.contains("notes.txt") && e.contains("not a netCDF file"), "{e}");

    let e = err_text(NcFile::open(dir.path()));
    assert!(e.contains("is a directory"), "{e}");

    for (name, layout) in [("cut.nc", Layout::grasp(NcWriteFormat::Classic)), ("cut4.nc", nc4())] {
        let path = tmp_file(&dir, name, layout);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let e = err_text(NcFile::open(&path));
        assert!(e.contains(name) && e.contains("truncated"), "{e}");
        // A file cut just past its metadata: the data is missing.
        std::fs::write(&path, &bytes[..bytes.len() - 8]).unwrap();
        let e = err_text(NcFile::open(&path));
        assert!(e.contains(name) && e.contains("truncated"), "{e}");
    }
}

#[test]
fn bad_variable_specs_explain_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let path = tmp_file(&dir, "g.nc", nc4());
    let file = NcFile::open(&path).unwrap();
    let grid = file.grid().unwrap();
    let cases = [
        (
            "NDVJ",
            vec!["g.nc", "variable NDVJ", "not in the file", "did you mean NDVI"],
        ),
        ("ndvi", vec!["did you mean NDVI"]),
        (
            "Temperature",
            vec!["not in the file", "its variables: Latitude, Longitude, NDVI"],
        ),
        (
            "Edge",
            vec!["variable Edge", "shape [band=5, y=6]", "not on the grid [x=4, y=6]"],
        ),
        ("wavelength", vec!["shape [band=5]"]),
        ("AOD", vec!["extra dimension month=4", "AOD[i] (i in 0..3)", "AOD:mean"]),
        ("AOD[4]", vec!["index 4 is out of range", "month=4"]),
        ("NDVI[0]", vec!["has no extra dimension"]),
        ("NDVI:mean", vec!["has no extra dimension"]),
        ("AOD:sum", vec!["g.nc", "unknown reduction `sum`", "NAME[INDEX]"]),
    ];
    for (spec, wanted) in cases {
        let e = err_text(file.read_variable(spec, &grid));
        for w in wanted {
            assert!(e.contains(w), "{spec}: `{w}` not in: {e}");
        }
    }
    let e = err_text(load(&path, &["NDVI".into()], &"land:50:Landpercent".parse().unwrap()));
    assert!(e.contains("did you mean LandPercentage"), "{e}");
}

#[test]
fn a_grid_from_another_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let grasp = NcFile::open(tmp_file(&dir, "g.nc", nc4())).unwrap();
    let cf = NcFile::open(tmp_file(&dir, "c.nc", Layout::cf(NcWriteFormat::Nc4))).unwrap();
    let e = err_text(cf.read_variable("NDVI", &grasp.grid().unwrap()));
    assert!(e.contains("does not belong to this file"), "{e}");
}
