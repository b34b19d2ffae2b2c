use super::*;
use crate::io::geotiff::writer::{GeoRaster, RasterData, write_geotiff};
use std::io::Cursor;

fn strips(width: usize, height: usize, rows: usize, samples: usize, planar: bool) -> Layout {
    Layout {
        width,
        height,
        samples,
        planar,
        tiled: false,
        chunk_w: width,
        chunk_h: rows,
    }
}

#[test]
fn a_row_of_strips_counts_every_pixel_interleaved_band_and_only_the_image_rows() {
    // 3 bands of f32, strips of 16 rows: 100 x 16 x 3 x 4 bytes.
    assert_eq!(strips(100, 50, 16, 3, false).chunk_row_bytes(4), 100 * 16 * 3 * 4);
    // Band-interleaved: a chunk holds one band.
    assert_eq!(strips(100, 50, 16, 3, true).chunk_row_bytes(4), 100 * 16 * 4);
    // RowsPerStrip above the height (the TIFF default 2^32 - 1): one strip of the whole image.
    assert_eq!(
        strips(100, 50, u32::MAX as usize, 1, false).chunk_row_bytes(2),
        100 * 50 * 2
    );
}

#[test]
fn a_row_of_tiles_is_whole_tiles_across() {
    let l = Layout {
        width: 1000,
        height: 700,
        samples: 1,
        planar: false,
        tiled: true,
        chunk_w: 256,
        chunk_h: 256,
    };
    // 4 tiles across (1024 columns, padded) of 256 rows, u8.
    assert_eq!(l.chunk_row_bytes(1), 4 * 256 * 256);
}

#[test]
fn hostile_sizes_saturate_instead_of_wrapping() {
    let l = strips(usize::MAX / 2, usize::MAX / 2, usize::MAX, 65535, false);
    assert_eq!(l.chunk_row_bytes(8), u64::MAX);
    assert_eq!(l.axes_bytes(), u64::MAX);
}

#[test]
fn a_strip_over_the_memory_is_refused_with_the_tiling_advice() {
    let limits = ReadLimits { memory: 1_000_000_000 };
    // One 20000 x 20000 f32 strip: 1.6 GB.
    let bomb = strips(20000, 20000, 20000, 1, false);
    let e = limits.check(&bomb, 4).unwrap_err();
    assert!(e.contains("single strip decodes to 1.6 GB"), "{e}");
    assert!(e.contains("gdal_translate -co TILED=YES in.tif out.tif"), "{e}");
    // The same image in strips of 16 rows fits.
    limits.check(&strips(20000, 20000, 16, 1, false), 4).unwrap();
    // A width of 2^32 - 1 in strips of one row: 4 GB per row.
    let wide = strips(u32::MAX as usize, 4, 1, 1, false);
    assert!(
        limits
            .check(&wide, 1)
            .unwrap_err()
            .contains("one strip of 1 row(s) decodes to 4.3 GB")
    );
}

#[test]
fn axes_over_the_memory_are_refused() {
    // A tiny row of chunks (tiles of 1 x 1) but 2^28 columns: 8.6 GB of axes.
    let l = Layout {
        width: 1 << 28,
        height: 1,
        samples: 1,
        planar: false,
        tiled: true,
        chunk_w: 1,
        chunk_h: 1,
    };
    let axes_only = ReadLimits { memory: 1 << 30 };
    let e = axes_only.check(&l, 1).unwrap_err();
    assert!(e.contains("for its axes alone"), "{e}");
}

#[test]
fn decoder_limits_never_exceed_the_file_or_the_memory() {
    let limits = ReadLimits { memory: 100_000_000 };
    let d = limits.decoder_limits(5_000);
    assert_eq!(d.decoding_buffer_size, 100_000_000);
    assert_eq!(d.intermediate_buffer_size, 5_000);
    assert_eq!(d.ifd_value_size, 5_000);
    let d = limits.decoder_limits(u64::MAX);
    assert_eq!(d.intermediate_buffer_size, 100_000_000);
}

/// A little-endian classic TIFF with one IFD of `entries` (tag, type, count, value).
fn tiff_bytes(entries: &[(u16, u16, u32, u32)]) -> Vec<u8> {
    let mut b = b"II*\0".to_vec();
    b.extend(8u32.to_le_bytes());
    b.extend((entries.len() as u16).to_le_bytes());
    for &(tag, kind, count, value) in entries {
        b.extend(tag.to_le_bytes());
        b.extend(kind.to_le_bytes());
        b.extend(count.to_le_bytes());
        b.extend(value.to_le_bytes());
    }
    b.extend(0u32.to_le_bytes());
    b
}

#[test]
fn a_tag_declaring_more_bytes_than_the_file_is_refused() {
    // GeoKeyDirectory (SHORT) of 2^31 - 1 values in a file of a few dozen bytes.
    let bytes = tiff_bytes(&[(256, 3, 1, 4), (34735, 3, i32::MAX as u32, 8)]);
    let len = bytes.len() as u64;
    let e = Header::scan(&mut Cursor::new(bytes), len).unwrap_err();
    assert!(e.contains("tag 34735 declares 2147483647 values"), "{e}");
    // The same tag with a count the file can hold is scanned.
    let ok = tiff_bytes(&[(256, 3, 1, 4), (34735, 3, 4, 8)]);
    let len = ok.len() as u64;
    let h = Header::scan(&mut Cursor::new(ok), len).unwrap();
    assert_eq!(h.entries.len(), 2);
    assert_eq!(h.entries[1].count, 4);
}

#[test]
fn a_directory_past_the_end_is_refused() {
    let mut bytes = tiff_bytes(&[(256, 3, 1, 4)]);
    // The IFD claims 5000 entries.
    bytes[8..10].copy_from_slice(&5000u16.to_le_bytes());
    let len = bytes.len() as u64;
    assert!(
        Header::scan(&mut Cursor::new(bytes), len)
            .unwrap_err()
            .contains("5000 entries")
    );
    assert!(Header::scan(&mut Cursor::new(b"GIF89a..".to_vec()), 8).is_err());
}

#[test]
fn a_palette_image_reads_as_grey_through_the_patch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("palette.tif");
    let raster = GeoRaster {
        width: 3,
        height: 2,
        west: 0.0,
        north: 10.0,
        dlon: 1.0,
        dlat: 1.0,
        data: RasterData::U8(vec![0, 1, 2, 3, 4, 255]),
        nodata: Some(255.0),
        colormap: Some(vec![[10, 20, 30]; 5]),
        description: Some("cluster".into()),
    };
    write_geotiff(&path, &raster).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let h = Header::scan(&mut Cursor::new(bytes.clone()), bytes.len() as u64).unwrap();
    let (at, grey) = h.palette_as_grey().expect("a palette image");
    assert_eq!(&bytes[at as usize..at as usize + 2], &[3, 0]);
    assert_eq!(grey, [1, 0]);
    // Read through the patch in pieces that split the patched bytes: they read as 1.
    let mut p = Patched::new(Cursor::new(bytes.clone()), Some((at, grey)));
    p.seek(SeekFrom::Start(at - 1)).unwrap();
    let mut one = [0u8; 2];
    p.read_exact(&mut one).unwrap();
    assert_eq!(one, [bytes[at as usize - 1], 1]);
    p.read_exact(&mut one[..1]).unwrap();
    assert_eq!(one[0], 0);
    // A grey image has nothing to patch.
    let grey_only = GeoRaster {
        colormap: None,
        ..raster
    };
    write_geotiff(&path, &grey_only).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let h = Header::scan(&mut Cursor::new(bytes.clone()), bytes.len() as u64).unwrap();
    assert_eq!(h.palette_as_grey(), None);
}

#[test]
fn an_image_larger_than_its_file_can_decode_to_is_refused() {
    let img = strips(20000, 20000, 20000, 1, false);
    // 400 MB of u8 from 388 kB of deflate (1030:1) is a real, if hostile, file.
    check_plausible(&img, 1, 8, 388_000).unwrap();
    // Not from 300 kB, nor from 400 kB stored uncompressed.
    let e = check_plausible(&img, 1, 8, 300_000).unwrap_err();
    assert!(
        e.contains("20000 x 20000 pixels of 1 band(s) would decode to 400 MB"),
        "{e}"
    );
    assert!(check_plausible(&img, 1, 1, 400_000).is_err());
    assert!(check_plausible(&img, 1, 32773, 400_000).is_err());
    check_plausible(&img, 1, 5, 400_000).unwrap();
    // A width of 2^32 - 1 in a 500-byte file.
    assert!(check_plausible(&strips(u32::MAX as usize, 2, 1, 1, false), 1, 8, 500).is_err());
    // A compression the reader cannot decode is left to the decoder's own error.
    check_plausible(&img, 1, 7, 10).unwrap();
}
