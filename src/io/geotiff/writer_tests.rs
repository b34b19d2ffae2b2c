#![allow(clippy::single_range_in_vec_init)] // one column segment: the whole width
use super::*;
use crate::io::geotiff::GeoTiffReader;
use std::fs::File;
use tiff::decoder::Decoder;
use tiff::tags::Tag;

pub(crate) fn labels_raster(width: usize, height: usize) -> GeoRaster {
    let data: Vec<u8> = (0..width * height)
        .map(|i| {
            if i % 7 == 3 {
                255
            } else {
                ((i / width + i % width) % 5) as u8
            }
        })
        .collect();
    GeoRaster {
        width,
        height,
        west: -30.0,
        north: 20.0,
        dlon: 10.0,
        dlat: 5.0,
        data: RasterData::U8(data),
        nodata: Some(255.0),
        colormap: Some(vec![[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 8, 7], [1, 2, 3]]),
        description: Some("cluster".into()),
    }
}

#[allow(clippy::single_range_in_vec_init)]
fn read_all(r: &GeoTiffReader) -> Vec<f64> {
    let g = r.grid();
    r.read_band_block(0, 0..g.n_rows, &[0..g.n_cols]).unwrap()
}

fn expected(raster: &GeoRaster) -> Vec<f64> {
    match &raster.data {
        RasterData::U8(v) => v
            .iter()
            .map(|&x| if x == 255 { f64::NAN } else { f64::from(x) })
            .collect(),
        RasterData::U16(v) => v
            .iter()
            .map(|&x| if x == u16::MAX { f64::NAN } else { f64::from(x) })
            .collect(),
        RasterData::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
    }
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
}

#[test]
fn small_labels_round_trip_with_palette_and_georeferencing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.tif");
    let raster = labels_raster(6, 4);
    write_geotiff(&path, &raster).unwrap();
    // The tiff crate does not decode palette images: the values are read back from the same
    // raster written without its colour table; the table itself is checked tag by tag below.
    let plain = dir.path().join("plain.tif");
    write_geotiff(
        &plain,
        &GeoRaster {
            colormap: None,
            ..raster.clone()
        },
    )
    .unwrap();
    let r = GeoTiffReader::open(&plain).unwrap();
    assert_eq!(r.bands()[0].name, "cluster");
    let g = r.grid();
    assert_eq!((g.n_rows, g.n_cols), (4, 6));
    assert_eq!((g.row_lat(0), g.col_lon(0)), (17.5, -25.0));
    assert_eq!((g.row_lat(3), g.col_lon(5)), (2.5, 25.0));
    assert!(same(&read_all(&r), &expected(&raster)));
    let mut dec = Decoder::new(File::open(&path).unwrap()).unwrap();
    let map = dec.get_tag_u16_vec(Tag::ColorMap).unwrap();
    assert_eq!(map.len(), 768);
    assert_eq!((map[0], map[256], map[512]), (65535, 0, 0));
    assert_eq!((map[3], map[256 + 3], map[512 + 3]), (9 * 257, 8 * 257, 7 * 257));
    assert!(!dec.more_images());
    // Nothing but the two files is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn large_grids_are_cloud_optimised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.tif");
    let raster = GeoRaster {
        colormap: None,
        dlon: 0.1,
        dlat: 0.1,
        ..labels_raster(COG_MIN_SIDE + 52, 3)
    };
    write_geotiff(&path, &raster).unwrap();
    let r = GeoTiffReader::open(&path).unwrap();
    assert!(same(&read_all(&r), &expected(&raster)));
    let s = r.summary();
    assert!(s.layout.starts_with("tiles of 512 x 512"), "{}", s.layout);
    assert_eq!(s.overviews, 3); // 2100 -> 1050 -> 525 -> 263
    // COG order: every IFD before any tile; overview tiles before the full resolution's.
    let mut dec = Decoder::new(File::open(&path).unwrap()).unwrap();
    let mut first_offsets = Vec::new();
    loop {
        let offsets = dec.get_tag_u64_vec(Tag::TileOffsets).unwrap();
        first_offsets.push(offsets.iter().copied().min().unwrap());
        if !dec.more_images() {
            break;
        }
        dec.next_image().unwrap();
    }
    assert_eq!(first_offsets.len(), 4);
    assert!(first_offsets.windows(2).all(|w| w[0] > w[1]), "{first_offsets:?}");
}

#[test]
fn overviews_take_the_mode_and_the_mean() {
    let labels = RasterData::U8(vec![1, 1, 2, 255, 3, 255, 255, 255, 0]);
    let (o, w, h) = downsample(&labels, 3, 3, Some(255.0));
    assert_eq!((w, h), (2, 2));
    assert_eq!(o, RasterData::U8(vec![1, 2, 255, 0]));
    let floats = RasterData::F32(vec![1.0, 3.0, f32::NAN, f32::NAN]);
    let (o, _, _) = downsample(&floats, 2, 2, None);
    assert_eq!(o, RasterData::F32(vec![2.0]));
}

#[test]
fn floats_round_trip_with_nan_nodata() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("confidence.tif");
    let data: Vec<f32> = (0..15)
        .map(|i| if i == 4 { f32::NAN } else { i as f32 / 16.0 })
        .collect();
    let raster = GeoRaster {
        data: RasterData::F32(data),
        nodata: Some(f64::NAN),
        colormap: None,
        description: Some("confidence".into()),
        ..labels_raster(5, 3)
    };
    write_geotiff(&path, &raster).unwrap();
    let r = GeoTiffReader::open(&path).unwrap();
    assert!(same(&read_all(&r), &expected(&raster)));
    assert!(r.summary().bands[0].nodata.is_some_and(f64::is_nan));
}

#[test]
fn a_wrong_size_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.tif");
    let mut raster = labels_raster(3, 3);
    raster.width = 4;
    assert!(write_geotiff(&path, &raster).is_err());
    assert!(!path.exists());
}

#[test]
fn grid_geometry_needs_even_steps() {
    let g = crate::dataset::Grid::regular(180, 360, 89.5, -179.5, 1.0);
    assert_eq!(grid_geometry(&g).unwrap(), (-180.0, 90.0, 1.0, 1.0));
    let mut bad = g.clone();
    bad.lat[3] += 0.1;
    assert!(grid_geometry(&bad).unwrap_err().contains("latitudes"));
    // Centres stored as f32 (0.1 degree): still regular.
    let fine = crate::dataset::Grid::regular(1800, 3600, 89.95, -179.95, 0.1);
    let mut f32_grid = fine.clone();
    f32_grid.lat.iter_mut().for_each(|v| *v = f64::from(*v as f32));
    f32_grid.lon.iter_mut().for_each(|v| *v = f64::from(*v as f32));
    let (w, n, dx, dy) = grid_geometry(&f32_grid).unwrap();
    assert!((w + 180.0).abs() < 1e-5 && (n - 90.0).abs() < 1e-5, "{w} {n}");
    assert!((dx - 0.1).abs() < 1e-8 && (dy - 0.1).abs() < 1e-8, "{dx} {dy}");
    let one = crate::dataset::Grid::regular(1, 4, 10.0, 0.0, 0.5);
    assert_eq!(grid_geometry(&one).unwrap(), (-0.25, 10.25, 0.5, 0.5));
}

/// Labels of more than 255 classes: 16-bit, no palette, 65535 as no-data, read back exactly in
/// strips and as a cloud-optimised GeoTIFF (whose overviews take the mode as for 8 bits).
#[test]
fn sixteen_bit_labels_round_trip_without_palette() {
    let dir = tempfile::tempdir().unwrap();
    for (name, width) in [("small.tif", 7), ("cog.tif", COG_MIN_SIDE + 3)] {
        let path = dir.path().join(name);
        let data: Vec<u16> = (0..width * 3)
            .map(|i| if i % 11 == 5 { u16::MAX } else { (i % 300) as u16 })
            .collect();
        let raster = GeoRaster {
            data: RasterData::U16(data),
            nodata: Some(65535.0),
            colormap: Some(vec![[1, 2, 3]; 300]),
            dlon: 0.1,
            dlat: 0.1,
            ..labels_raster(width, 3)
        };
        write_geotiff(&path, &raster).unwrap();
        let r = GeoTiffReader::open(&path).unwrap();
        assert!(same(&read_all(&r), &expected(&raster)), "{name}");
        assert_eq!(r.summary().bands[0].nodata, Some(65535.0), "{name}");
        let mut dec = Decoder::new(File::open(&path).unwrap()).unwrap();
        assert_eq!(dec.get_tag_u32(Tag::BitsPerSample).unwrap(), 16);
        assert_eq!(dec.get_tag_u32(Tag::PhotometricInterpretation).unwrap(), 1);
        assert!(dec.get_tag_u16_vec(Tag::ColorMap).is_err(), "{name}: no 16-bit palette");
    }
    let labels = RasterData::U16(vec![300, 300, 2, 65535]);
    assert_eq!(downsample(&labels, 2, 2, Some(65535.0)).0, RasterData::U16(vec![300]));
}

#[test]
fn category_names_go_to_the_pam_sidecar_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let tif = dir.path().join("labels.tif");
    write_category_names(&tif, &["desert".into(), "a <b> & \"c\"".into()]).unwrap();
    let aux = aux_xml_path(&tif);
    assert_eq!(aux, dir.path().join("labels.tif.aux.xml"));
    let text = std::fs::read_to_string(aux).unwrap();
    assert!(text.starts_with("<PAMDataset>"), "{text}");
    assert!(text.contains("<PAMRasterBand band=\"1\">"), "{text}");
    let categories: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<Category>")?.strip_suffix("</Category>"))
        .collect();
    assert_eq!(categories, vec!["desert", "a &lt;b&gt; &amp; &quot;c&quot;"]);
}
