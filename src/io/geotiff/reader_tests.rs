#![allow(clippy::single_range_in_vec_init)] // one column segment: the whole width
use super::*;
use crate::dataset::{BlockReader, CellTable, Selection, TableRequest};
use std::io::{Seek, Write};
use tiff::encoder::compression::DeflateLevel;
use tiff::encoder::{Compression, DirectoryEncoder, TiffEncoder, TiffKindStandard, colortype};

type Dir<'a, W> = DirectoryEncoder<'a, W, TiffKindStandard>;

/// GeoTIFF tags of a WGS 84 grid with upper-left corner (west, north) and cell size dlon x dlat.
fn georef<W: Write + Seek>(d: &mut Dir<'_, W>, west: f64, north: f64, dlon: f64, dlat: f64) {
    let (keys, ascii) = writer::wgs84_geokeys();
    d.write_tag(Tag::ModelPixelScaleTag, &[dlon, dlat, 0.0][..]).unwrap();
    d.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, west, north, 0.0][..])
        .unwrap();
    d.write_tag(Tag::GeoKeyDirectoryTag, &keys[..]).unwrap();
    d.write_tag(Tag::GeoAsciiParamsTag, ascii.as_str()).unwrap();
}

/// A 4 x 6 i16 GeoTIFF written by the tiff crate: strips of 3 rows, LZW, no-data -9999, scale
/// 0.5 and offset 1 from GDAL_METADATA, columns covering 0..360 (centres 30, 90, ..., 330).
fn int16_file(dir: &Path, compression: Compression) -> (PathBuf, Vec<i16>) {
    let path = dir.join("int16.tif");
    let data: Vec<i16> = (0..24).map(|i| if i == 7 { -9999 } else { i as i16 * 10 }).collect();
    let mut enc = TiffEncoder::new(File::create(&path).unwrap())
        .unwrap()
        .with_compression(compression);
    let mut img = enc.new_image::<colortype::GrayI16>(6, 4).unwrap();
    img.rows_per_strip(3).unwrap();
    let d = img.encoder();
    georef(d, 0.0, 40.0, 60.0, 20.0);
    let xml = metadata::write_items(&[
        (0, "description", "DESCRIPTION", "NDVI".into()),
        (0, "scale", "SCALE", "0.5".into()),
        (0, "offset", "OFFSET", "1".into()),
    ]);
    d.write_tag(Tag::from_u16_exhaustive(TAG_GDAL_METADATA), xml.as_str())
        .unwrap();
    d.write_tag(Tag::GdalNodata, "-9999").unwrap();
    img.write_data(&data).unwrap();
    (path, data)
}

#[allow(clippy::single_range_in_vec_init)]
fn check_int16(path: &Path, data: &[i16]) {
    let r = GeoTiffReader::open(path).unwrap();
    let g = r.grid();
    assert_eq!((g.n_rows, g.n_cols), (4, 6));
    // File longitudes 30..330 rotated: grid column 0 is file column 3 (210 -> -150).
    assert_eq!(g.orientation.lon_shift, 3);
    assert_eq!(g.lon, vec![-150.0, -90.0, -30.0, 30.0, 90.0, 150.0]);
    assert_eq!(g.lat, vec![30.0, 10.0, -10.0, -30.0]);
    let decode = |raw: i16| {
        if raw == -9999 {
            f64::NAN
        } else {
            f64::from(raw) * 0.5 + 1.0
        }
    };
    // Rows 1..3, two column segments (grid columns 0..2 and 4..6).
    let block = r.read_block("NDVI", 1..3, &[0..2, 4..6]).unwrap();
    let mut want = Vec::new();
    for row in 1..3 {
        for col in [0, 1, 4, 5] {
            want.push(decode(data[row * 6 + (col + 3) % 6]));
        }
    }
    assert_eq!(block.len(), want.len());
    assert!(
        block
            .iter()
            .zip(&want)
            .all(|(a, b)| a == b || (a.is_nan() && b.is_nan())),
        "{block:?} vs {want:?}"
    );
    assert!(
        r.read_block("NDVJ", 0..1, &[0..6])
            .unwrap_err()
            .to_string()
            .contains("did you mean NDVI")
    );
    let s = r.summary();
    assert_eq!(s.bands[0].dtype, "i16");
    assert_eq!(s.bands[0].n_valid, Some(23));
}

#[test]
fn lzw_and_deflate_strips_with_nodata_scale_and_360_longitudes() {
    let dir = tempfile::tempdir().unwrap();
    for c in [
        Compression::Lzw,
        Compression::Deflate(DeflateLevel::Fast),
        Compression::Uncompressed,
    ] {
        let (path, data) = int16_file(dir.path(), c);
        check_int16(&path, &data);
    }
}

#[test]
fn pixel_interleaved_bands_and_south_first_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rgb.tif");
    // 3 bands, 2 rows x 3 columns; a transformation with a positive row step (south first).
    let data: Vec<f32> = (0..18).map(|i| i as f32).collect();
    let mut enc = TiffEncoder::new(File::create(&path).unwrap())
        .unwrap()
        .with_compression(Compression::Deflate(DeflateLevel::Balanced));
    let mut img = enc.new_image::<colortype::RGB32Float>(3, 2).unwrap();
    let d = img.encoder();
    let (keys, ascii) = writer::wgs84_geokeys();
    let m = [
        1.0, 0.0, 0.0, 10.0, 0.0, 1.0, 0.0, -5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
    ];
    d.write_tag(Tag::ModelTransformationTag, &m[..]).unwrap();
    d.write_tag(Tag::GeoKeyDirectoryTag, &keys[..]).unwrap();
    d.write_tag(Tag::GeoAsciiParamsTag, ascii.as_str()).unwrap();
    img.write_data(&data).unwrap();
    let r = GeoTiffReader::open(&path).unwrap();
    let names: Vec<&str> = r.bands().iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["band1", "band2", "band3"]);
    let g = r.grid();
    assert!(g.orientation.lat_flipped);
    assert_eq!(g.lat, vec![-3.5, -4.5]);
    assert_eq!(g.lon, vec![10.5, 11.5, 12.5]);
    // Grid row 0 is file row 1; band 2 is sample 1.
    let block = r.read_block("band2", 0..2, &[0..3]).unwrap();
    assert_eq!(block, vec![10.0, 13.0, 16.0, 1.0, 4.0, 7.0]);
    // Through the table reader, in blocks of one row.
    let names = vec!["band1".to_string(), "band3".to_string()];
    let sel = Selection::All;
    let mut req = TableRequest::new(&names, &sel);
    req.block_cells = 3;
    let t = CellTable::read(&r, &req).unwrap();
    assert_eq!(t.values.column(1).to_vec(), vec![11.0, 14.0, 17.0, 2.0, 5.0, 8.0]);
}

#[test]
fn utm_files_are_read_in_their_projection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("utm.tif");
    let mut enc = TiffEncoder::new(File::create(&path).unwrap()).unwrap();
    let mut img = enc.new_image::<colortype::Gray8>(3, 2).unwrap();
    let d = img.encoder();
    d.write_tag(Tag::ModelPixelScaleTag, &[30.0, 30.0, 0.0][..]).unwrap();
    d.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, 500000.0, 4e6, 0.0][..])
        .unwrap();
    d.write_tag(
        Tag::GeoKeyDirectoryTag,
        &[1u16, 1, 0, 2, 1024, 0, 1, 1, 3072, 0, 1, 32633][..],
    )
    .unwrap();
    img.write_data(&[1, 2, 3, 4, 5, 6]).unwrap();
    let r = GeoTiffReader::open(&path).unwrap();
    let g = r.grid();
    assert_eq!(g.projection.as_ref().unwrap().epsg, Some(32633));
    // Cell centres in metres, north first.
    assert_eq!(g.lat, vec![4e6 - 15.0, 4e6 - 45.0]);
    assert_eq!(g.lon, vec![500015.0, 500045.0, 500075.0]);
    let (lon, lat) = g.locator().unwrap().lon_lat(0, 0);
    // 15 m east of the central meridian 15 E (gdaltransform: 15.0001667, 36.1445829).
    assert!(
        (lon - 15.000167).abs() < 1e-5 && (lat - 36.144583).abs() < 1e-5,
        "{lon} {lat}"
    );
    assert_eq!(
        r.read_band_block(0, 0..2, &[0..3]).unwrap(),
        vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    );
}

#[test]
fn projected_and_ungeoreferenced_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("utm.tif");
    let mut enc = TiffEncoder::new(File::create(&path).unwrap()).unwrap();
    let mut img = enc.new_image::<colortype::Gray8>(2, 2).unwrap();
    let d = img.encoder();
    d.write_tag(Tag::ModelPixelScaleTag, &[30.0, 30.0, 0.0][..]).unwrap();
    d.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, 500000.0, 4e6, 0.0][..])
        .unwrap();
    d.write_tag(
        Tag::GeoKeyDirectoryTag,
        &[1u16, 1, 0, 2, 1024, 0, 1, 1, 3072, 0, 1, 3857][..],
    )
    .unwrap();
    img.write_data(&[1, 2, 3, 4]).unwrap();
    let e = GeoTiffReader::open(&path).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "{}: projected coordinate system EPSG:3857 is not one landclust knows",
            path.display()
        )),
        "{e}"
    );
    assert!(!e.contains('\n'));
    let plain = dir.path().join("plain.tif");
    let mut enc = TiffEncoder::new(File::create(&plain).unwrap()).unwrap();
    enc.write_image::<colortype::Gray8>(1, 1, &[0]).unwrap();
    assert!(
        GeoTiffReader::open(&plain)
            .unwrap_err()
            .to_string()
            .contains("no GeoTIFF georeferencing")
    );
    let junk = dir.path().join("junk.tif");
    std::fs::write(&junk, b"II*\0garbage").unwrap();
    assert!(GeoTiffReader::open(&junk).is_err());
}

#[test]
fn single_band_files_combine_and_mismatches_name_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.tif");
    let b = dir.path().join("b.tif");
    let c = dir.path().join("c.tif");
    let r = writer::GeoRaster {
        colormap: None,
        ..writer::tests::labels_raster(6, 4)
    };
    writer::write_geotiff(&a, &r).unwrap();
    writer::write_geotiff(
        &b,
        &writer::GeoRaster {
            description: None,
            ..r.clone()
        },
    )
    .unwrap();
    writer::write_geotiff(&c, &writer::GeoRaster { west: -20.0, ..r }).unwrap();
    let spec = format!("X={},Y={}", a.display(), b.display());
    assert!(composite::is_composite(Path::new(&spec)));
    let input = crate::io::open_input(Path::new(&spec)).unwrap();
    assert_eq!(input.units("Y").unwrap(), None);
    let x = input.read_block("X", 0..4, &[0..6]).unwrap();
    let y = input.read_block("Y", 0..4, &[0..6]).unwrap();
    assert!(x.iter().zip(&y).all(|(p, q)| p == q || (p.is_nan() && q.is_nan())));
    assert!(input.read_block("Z", 0..1, &[0..6]).is_err());
    let bad = format!("X={},Y={}", a.display(), c.display());
    let e = crate::io::open_input(Path::new(&bad))
        .err()
        .expect("an error")
        .to_string();
    assert!(
        e.contains("c.tif") && e.contains("a.tif") && e.contains("share one grid"),
        "{e}"
    );
    // A directory before the first name applies to relative files.
    let items = composite::parse(&format!("{}/X=a.tif,Y=/abs/b.tif", dir.path().display())).unwrap();
    assert_eq!(items[0], ("X".to_string(), a.clone()));
    assert_eq!(items[1].1, PathBuf::from("/abs/b.tif"));
    assert!(composite::parse("X=a.tif,X=b.tif").is_err());
    assert!(composite::parse("X=a.tif,b.tif").is_err());
}

/// Every value of `reader`'s band 0, read in blocks of `block_rows` rows over two column segments.
fn read_in_blocks(reader: &GeoTiffReader, block_rows: usize) -> Vec<f64> {
    let g = reader.grid();
    let cols = [0..g.n_cols / 3, g.n_cols / 2..g.n_cols];
    let mut out = Vec::new();
    let mut r = 0;
    while r < g.n_rows {
        let r1 = (r + block_rows).min(g.n_rows);
        out.extend(reader.read_band_block(0, r..r1, &cols).unwrap());
        r = r1;
    }
    out
}

/// Open `path` and read it in blocks on a pool of `threads` threads (the reader sizes its
/// parallel decoding by the pool it is opened and read on).
fn read_on_threads(path: &Path, threads: usize, block_rows: usize) -> (Vec<f64>, u64) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let r = GeoTiffReader::open(path).unwrap();
        (read_in_blocks(&r, block_rows), r.buffer_bytes())
    })
}

#[test]
fn tiles_decoded_in_parallel_read_the_same_values_as_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiled.tif");
    // Wider than writer::COG_MIN_SIDE: a tiled file, 5 tiles across, 2 rows of tiles.
    let (w, h) = (2100usize, 700usize);
    let data: Vec<f32> = (0..w * h)
        .map(|i| {
            if i % 97 == 0 {
                f32::NAN
            } else {
                ((i * 7919) % 10007) as f32 * 0.25
            }
        })
        .collect();
    let raster = writer::GeoRaster {
        width: w,
        height: h,
        west: -180.0,
        north: 70.0,
        dlon: 360.0 / w as f64,
        dlat: 0.2,
        data: writer::RasterData::F32(data.clone()),
        nodata: Some(f64::NAN),
        colormap: None,
        description: Some("v".into()),
    };
    writer::write_geotiff_in(&path, &raster, &crate::dataset::GeographicCrs::default()).unwrap();
    let r = GeoTiffReader::open(&path).unwrap();
    assert!(r.layout.tiled && r.layout.chunks_across() > 2 && r.layout.height > r.layout.chunk_h);
    let (one, one_buffer) = read_on_threads(&path, 1, 97);
    let (two, two_buffer) = read_on_threads(&path, 2, 97);
    let (three, _) = read_on_threads(&path, 3, 700);
    let same = |a: &[f64], b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits());
    assert!(same(&one, &two) && same(&one, &three));
    // And they are the file's values: row-major over the two segments.
    let (c0, c1) = (0..w / 3, w / 2..w);
    let expected: Vec<f64> = (0..h)
        .flat_map(|y| c0.clone().chain(c1.clone()).map(move |x| (y, x)))
        .map(|(y, x)| f64::from(data[y * w + x]))
        .collect();
    assert!(same(&one, &expected));
    // A row of tiles gives both threads work: one row is kept either way.
    assert_eq!(one_buffer, two_buffer);
}

#[test]
fn strips_decoded_in_parallel_read_the_same_values_and_count_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strips.tif");
    let (w, h) = (6u32, 40u32);
    let data: Vec<i16> = (0..(w * h) as i16)
        .map(|i| if i % 13 == 0 { -9999 } else { i * 3 })
        .collect();
    let mut enc = TiffEncoder::new(File::create(&path).unwrap())
        .unwrap()
        .with_compression(Compression::Deflate(DeflateLevel::Balanced));
    let mut img = enc.new_image::<colortype::GrayI16>(w, h).unwrap();
    img.rows_per_strip(1).unwrap();
    georef(img.encoder(), 0.0, 40.0, 60.0, 2.0);
    img.encoder().write_tag(Tag::GdalNodata, "-9999").unwrap();
    img.write_data(&data).unwrap();
    let (one, one_buffer) = read_on_threads(&path, 1, 7);
    let (three, three_buffer) = read_on_threads(&path, 3, 7);
    assert_eq!(one.len(), three.len());
    assert!(one.iter().zip(&three).all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(
        one.iter().filter(|v| v.is_nan()).count(),
        three.iter().filter(|v| v.is_nan()).count()
    );
    // The whole grid holds the file's values (rows and columns reordered by orientation).
    let whole = GeoTiffReader::open(&path)
        .unwrap()
        .read_band_block(0, 0..h as usize, &[0..w as usize])
        .unwrap();
    let mut got: Vec<f64> = whole.iter().copied().filter(|v| !v.is_nan()).collect();
    let mut want: Vec<f64> = data.iter().filter(|&&v| v != -9999).map(|&v| f64::from(v)).collect();
    got.sort_by(f64::total_cmp);
    want.sort_by(f64::total_cmp);
    assert_eq!(got, want);
    // One strip per row: three threads decode three rows at once, and the plan counts them.
    assert_eq!(three_buffer, 3 * one_buffer);
    let r = GeoTiffReader::open(&path).unwrap();
    let before = r.volume();
    read_in_blocks(&r, 7);
    assert_eq!(before.decoded_bytes, 0);
    assert_eq!(r.volume().decoded_bytes, u64::from(w * h) * 2);
    assert_eq!(r.volume().input_bytes, std::fs::metadata(&path).unwrap().len());
}
