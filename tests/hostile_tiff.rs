//! Hostile and unusual GeoTIFF inputs through the binary: every allocation a header sizes is
//! checked against the file and the run's memory before it happens, strip bombs are refused
//! (or, for `inspect`, described without being decoded), damaged georeferencing is refused, and
//! palette GeoTIFFs (landclust's own labels.tif) read back. Each failure is one line naming the
//! file, a non-zero exit, and no output folder. The files are built here, byte by byte.
//!
//! Where a defect is about memory the binary runs under an address-space limit
//! ([`AS_LIMIT_KB`], `ulimit -v`), so a regression aborts instead of taking the machine down.
//! docs/guarantees.md ("GeoTIFF input") states what these check.

use flate2::Compression;
use flate2::write::ZlibEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{assert_one_line_error, bin};

/// Address space for the binary under test: the program (its mapped code, thread stacks and
/// allocator reservations) plus a few hundred MB of data, far below any bomb here.
const AS_LIMIT_KB: u64 = 1_500_000;

/// One IFD entry: tag, TIFF type, count, value bytes (little endian).
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn shorts(tag: u16, v: &[u16]) -> Entry {
    Entry {
        tag,
        kind: 3,
        count: v.len() as u32,
        data: v.iter().flat_map(|x| x.to_le_bytes()).collect(),
    }
}

fn long(tag: u16, v: u32) -> Entry {
    Entry {
        tag,
        kind: 4,
        count: 1,
        data: v.to_le_bytes().to_vec(),
    }
}

fn doubles(tag: u16, v: &[f64]) -> Entry {
    Entry {
        tag,
        kind: 12,
        count: v.len() as u32,
        data: v.iter().flat_map(|x| x.to_le_bytes()).collect(),
    }
}

fn ascii(tag: u16, s: &str) -> Entry {
    let mut data = s.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: 2,
        count: data.len() as u32,
        data,
    }
}

/// What an image says about itself.
struct Image {
    width: u32,
    height: u32,
    rows_per_strip: u32,
    /// Bands, pixel-interleaved, 8-bit unsigned.
    samples: u16,
    /// Georeferencing: west and north edges, cell sizes (degrees).
    west: f64,
    north: f64,
    dlon: f64,
    dlat: f64,
}

impl Image {
    fn new(width: u32, height: u32, dlon: f64, dlat: f64) -> Self {
        Image {
            width,
            height,
            rows_per_strip: height,
            samples: 1,
            west: -180.0,
            north: 90.0,
            dlon,
            dlat,
        }
    }
}

/// A little-endian classic GeoTIFF (WGS 84, PixelIsArea) of `img` with deflate `strips`, plus
/// `extra` entries (which replace a default entry of the same tag).
fn geotiff(img: &Image, strips: &[Vec<u8>], extra: Vec<Entry>) -> Vec<u8> {
    let (keys, key_text) = landclust::io::geotiff::writer::wgs84_geokeys();
    let mut entries = vec![
        long(256, img.width),
        long(257, img.height),
        shorts(258, &vec![8; img.samples as usize]),
        shorts(259, &[8]),
        shorts(262, &[1]),
        shorts(277, &[img.samples]),
        long(278, img.rows_per_strip),
        shorts(284, &[1]),
        shorts(339, &vec![1; img.samples as usize]),
        doubles(33550, &[img.dlon, img.dlat, 0.0]),
        doubles(33922, &[0.0, 0.0, 0.0, img.west, img.north, 0.0]),
        shorts(34735, &keys),
        ascii(34737, &key_text),
    ];
    for e in extra {
        entries.retain(|o| o.tag != e.tag);
        entries.push(e);
    }
    // Strip data right after the header, then the IFD, then values too long for an entry.
    let mut out = b"II*\0\0\0\0\0".to_vec();
    let mut offsets = Vec::new();
    for s in strips {
        offsets.push(out.len() as u32);
        out.extend(s);
    }
    let counts: Vec<u32> = strips.iter().map(|s| s.len() as u32).collect();
    let longs = |tag: u16, v: &[u32]| Entry {
        tag,
        kind: 4,
        count: v.len() as u32,
        data: v.iter().flat_map(|x| x.to_le_bytes()).collect(),
    };
    entries.push(longs(273, &offsets));
    entries.push(longs(279, &counts));
    entries.sort_by_key(|e| e.tag);
    if out.len() % 2 == 1 {
        out.push(0);
    }
    let ifd_at = out.len() as u32;
    out[4..8].copy_from_slice(&ifd_at.to_le_bytes());
    let mut values_at = ifd_at + 2 + 12 * entries.len() as u32 + 4;
    let mut values = Vec::new();
    out.extend((entries.len() as u16).to_le_bytes());
    for e in &entries {
        out.extend(e.tag.to_le_bytes());
        out.extend(e.kind.to_le_bytes());
        out.extend(e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut field = e.data.clone();
            field.resize(4, 0);
            out.extend(field);
        } else {
            out.extend(values_at.to_le_bytes());
            values.extend(&e.data);
            if values.len() % 2 == 1 {
                values.push(0);
            }
            values_at = ifd_at + 2 + 12 * entries.len() as u32 + 4 + values.len() as u32;
        }
    }
    out.extend(0u32.to_le_bytes());
    out.extend(values);
    out
}

/// `n` bytes of `pattern` repeated, zlib-compressed without ever holding them.
fn deflated(n: u64, pattern: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    let block: Vec<u8> = pattern.iter().copied().cycle().take(1 << 20).collect();
    let mut left = n;
    while left > 0 {
        let now = left.min(block.len() as u64) as usize;
        z.write_all(&block[..now]).unwrap();
        left -= now as u64;
    }
    z.finish().unwrap()
}

/// Write `bytes` as `name` in `dir`.
fn put(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The binary with `args`, under the address-space limit, on one thread.
fn limited(args: &[&str]) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {AS_LIMIT_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_landclust"))
        .args(args)
        .env("RAYON_NUM_THREADS", "1");
    cmd.output().unwrap()
}

fn text(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A failed command: non-zero, one line naming `file` and containing `needle`, no `out`.
fn refused(out: &Output, file: &Path, needle: &str, out_dir: Option<&Path>) {
    assert_one_line_error(out, needle);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(stderr.contains(name), "the message does not name {name}: {stderr}");
    if let Some(d) = out_dir {
        assert!(!d.exists(), "{} was written", d.display());
    }
}

/// An 8 x 6 grid of varied values over the globe (cells of 45 x 30 degrees).
fn small_strips() -> Vec<Vec<u8>> {
    let data: Vec<u8> = (0..48u32).map(|i| ((i * 37) % 200) as u8 + 1).collect();
    vec![deflated_bytes(&data)]
}

fn deflated_bytes(data: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// `run` of `file`'s first band on every cell into `out`, no figures.
fn run_args<'a>(file: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    run_select(file, out, "all", extra)
}

/// `run` of `file`'s first band on the cells of `select` into `out`, no figures.
fn run_select<'a>(file: &'a str, out: &'a str, select: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "run",
        file,
        "--vars",
        "band1",
        "--select",
        select,
        "--k",
        "2",
        "--n-init",
        "1",
        "--no-figures",
        "--out",
        out,
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn the_small_valid_file_reads_under_the_address_space_limit() {
    // The control for every test below: the builder's file and the limit are sound.
    let dir = tempfile::tempdir().unwrap();
    let file = put(
        dir.path(),
        "ok.tif",
        &geotiff(&Image::new(8, 6, 45.0, 30.0), &small_strips(), vec![]),
    );
    let out = limited(&["inspect", text(&file)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("48/48"));
    let target = dir.path().join("out");
    let out = limited(&run_args(text(&file), text(&target), &["--max-memory", "512MB"]));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(target.join("labels.tif").exists());
}

#[test]
fn a_corrupted_width_is_refused_before_its_axes_are_allocated() {
    let dir = tempfile::tempdir().unwrap();
    // Width 0xFFFFFFFF: on one row per strip the header is consistent (2 strips for 2 rows),
    // but the longitude axis alone would take 32 GB.
    let mut img = Image::new(u32::MAX, 2, 1e-7, 1.0);
    img.rows_per_strip = 1;
    let strips = vec![deflated_bytes(&[0; 16]), deflated_bytes(&[0; 16])];
    let file = put(dir.path(), "wide.tif", &geotiff(&img, &strips, vec![]));
    let damaged = "4294967295 x 2 pixels of 1 band(s) would decode to 8.6 GB, more than its";
    refused(&limited(&["inspect", text(&file)]), &file, damaged, None);
    let target = dir.path().join("out");
    let out = limited(&run_args(text(&file), text(&target), &[]));
    refused(&out, &file, damaged, Some(&target));
    // Width 2^28 with --max-memory 512MB: 2 GB of axes on main, now refused up front.
    let mut img = Image::new(1 << 28, 2, 1e-6, 1.0);
    img.rows_per_strip = 1;
    let file = put(dir.path(), "wide28.tif", &geotiff(&img, &strips, vec![]));
    let out = limited(&run_args(text(&file), text(&target), &["--max-memory", "512MB"]));
    refused(&out, &file, "damaged header", Some(&target));
    // Plausible for its size (a real 1000:1 deflate strip) yet over the run's memory: refused
    // by the memory check, still before the axes or the strip are allocated.
    let mut img = Image::new(1 << 28, 1, 1e-6, 1.0);
    img.rows_per_strip = 1;
    let file = put(
        dir.path(),
        "wide28z.tif",
        &geotiff(&img, &[deflated(1 << 28, &[0])], vec![]),
    );
    let out = limited(&run_args(text(&file), text(&target), &["--max-memory", "512MB"]));
    refused(
        &out,
        &file,
        "decodes to 268 MB, over the 112 MB this reader may use",
        Some(&target),
    );
}

/// One deflate strip of `side` x `side` zero pixels of `bands` bands over the globe.
fn strip_bomb(dir: &Path, name: &str, side: u32, bands: u16) -> PathBuf {
    let mut img = Image::new(side, side, 360.0 / side as f64, 180.0 / side as f64);
    img.samples = bands;
    let n = side as u64 * side as u64 * bands as u64;
    let file = put(dir, name, &geotiff(&img, &[deflated(n, &[0])], vec![]));
    assert!(std::fs::metadata(&file).unwrap().len() < 2_000_000);
    file
}

#[test]
fn a_strip_bomb_is_described_by_inspect_without_being_decoded() {
    let dir = tempfile::tempdir().unwrap();
    // 20000 x 20000 u8 in one strip: 400 MB decoded (3.2 GB as f64) from a 400 kB file.
    let file = strip_bomb(dir.path(), "bomb.tif", 20000, 1);
    let out = limited(&["inspect", text(&file)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("valid cells not counted"), "{stdout}");
    assert!(stdout.contains("gdal_translate -co TILED=YES"), "{stdout}");
    assert!(stdout.contains("20000 x 20000 cells"), "{stdout}");
}

#[test]
fn a_strip_over_the_budget_is_refused_before_decoding_even_for_a_small_region() {
    let dir = tempfile::tempdir().unwrap();
    let file = strip_bomb(dir.path(), "bomb.tif", 20000, 1);
    let target = dir.path().join("out");
    // A 1-degree region still needs the whole strip decoded: refused before any of it is.
    let out = limited(&run_args(
        text(&file),
        text(&target),
        &["--max-memory", "512MB", "--region=10,11,40,41"],
    ));
    refused(
        &out,
        &file,
        "its single strip decodes to 400 MB, over the 112 MB this reader may use",
        Some(&target),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("gdal_translate -co TILED=YES in.tif out.tif"));
}

#[test]
fn a_two_band_strip_bomb_is_refused_under_max_memory() {
    let dir = tempfile::tempdir().unwrap();
    // Two pixel-interleaved bands of 12000 x 12000 in one strip: 288 MB decoded.
    let file = strip_bomb(dir.path(), "bomb2.tif", 12000, 2);
    let target = dir.path().join("out");
    // The second band as the land mask: read first, block by block, as a run does.
    let out = limited(&run_select(
        text(&file),
        text(&target),
        "land:50:band2",
        &["--max-memory", "512MB"],
    ));
    refused(&out, &file, "single strip decodes to 288 MB", Some(&target));
}

#[test]
fn a_geokey_directory_count_beyond_the_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let valid = geotiff(&Image::new(8, 6, 45.0, 30.0), &small_strips(), vec![]);
    let mut bytes = valid.clone();
    // Find the GeoKeyDirectory entry (tag 34735, SHORT) and give it 2^31 - 1 values.
    let entry = (0..bytes.len() - 4)
        .find(|&i| bytes[i..i + 4] == [0xAF, 0x87, 3, 0])
        .unwrap();
    bytes[entry + 4..entry + 8].copy_from_slice(&(i32::MAX as u32).to_le_bytes());
    let file = put(dir.path(), "keys.tif", &bytes);
    refused(
        &limited(&["inspect", text(&file)]),
        &file,
        "tag 34735 declares 2147483647 values",
        None,
    );
    let target = dir.path().join("out");
    refused(
        &limited(&run_args(text(&file), text(&target), &[])),
        &file,
        "tag 34735",
        Some(&target),
    );
}

#[test]
fn a_degenerate_pixel_size_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    // 1e-300 collapses every latitude onto one; 0, NaN, infinities and a negative width are
    // not sizes; a height that puts the grid past the pole leaves -90..90.
    let cases: [(&str, f64, f64, &str); 6] = [
        ("tiny", 45.0, 1e-300, "too small to tell neighbouring cells apart"),
        ("zero", 45.0, 0.0, "invalid pixel size"),
        ("nan", 45.0, f64::NAN, "invalid pixel size"),
        ("inf", f64::INFINITY, 30.0, "invalid pixel size"),
        ("negative", -45.0, 30.0, "invalid pixel size"),
        ("pole", 45.0, 40.0, "fall outside -90..90"),
    ];
    for (name, dlon, dlat, needle) in cases {
        let file = put(
            dir.path(),
            &format!("{name}.tif"),
            &geotiff(&Image::new(8, 6, dlon, dlat), &small_strips(), vec![]),
        );
        let out = bin()
            .args(run_args(text(&file), text(&target), &[]))
            .env("RAYON_NUM_THREADS", "1")
            .output()
            .unwrap();
        refused(&out, &file, needle, Some(&target));
        refused(
            &bin().args(["inspect", text(&file)]).output().unwrap(),
            &file,
            needle,
            None,
        );
    }
}

#[test]
fn a_palette_geotiff_reads_as_its_indices() {
    use landclust::io::geotiff::writer::{GeoRaster, RasterData, write_geotiff};
    let dir = tempfile::tempdir().unwrap();
    // What labels.tif is: u8 labels with a ColorMap (PhotometricInterpretation 3), 255 = none.
    let labels: Vec<u8> = (0..48u32)
        .map(|i| if i % 7 == 3 { 255 } else { (i % 3) as u8 })
        .collect();
    let file = dir.path().join("labels.tif");
    write_geotiff(
        &file,
        &GeoRaster {
            width: 8,
            height: 6,
            west: -180.0,
            north: 90.0,
            dlon: 45.0,
            dlat: 30.0,
            data: RasterData::U8(labels.clone()),
            nodata: Some(255.0),
            colormap: Some(vec![[200, 0, 0], [0, 200, 0], [0, 0, 200]]),
            description: Some("cluster".into()),
        },
    )
    .unwrap();
    let valid = labels.iter().filter(|&&v| v != 255).count();
    let out = bin().args(["inspect", text(&file)]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(&format!("{valid}/48")), "{stdout}");
    assert!(!stdout.contains("error"), "{stdout}");
    // As an input: the indices are the values (three clusters back from k = 3).
    let target = dir.path().join("out");
    let out = bin()
        .args(["run", text(&file), "--vars", "cluster", "--select", "all", "--k", "3"])
        .args(["--n-init", "1", "--no-figures", "--out", text(&target)])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read = landclust::io::geotiff::GeoTiffReader::open(&file).unwrap();
    #[allow(clippy::single_range_in_vec_init)]
    let values = read.read_band_block(0, 0..6, &[0..8]).unwrap();
    let want: Vec<f64> = labels
        .iter()
        .map(|&v| if v == 255 { f64::NAN } else { f64::from(v) })
        .collect();
    assert_eq!(values.len(), want.len());
    assert!(
        values
            .iter()
            .zip(&want)
            .all(|(a, b)| a == b || (a.is_nan() && b.is_nan()))
    );
}

#[test]
fn a_runs_own_labels_tif_is_an_input_again() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    common::run_ok(
        &[
            "run",
            common::demo_file().to_str().unwrap(),
            "--k",
            "3",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            text(&first),
        ],
        1,
    );
    let labels = first.join("labels.tif");
    let out = common::run_ok(&["inspect", text(&labels)], 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("15201/64800"), "{stdout}");
    assert!(!stdout.contains("error"), "{stdout}");
    let second = dir.path().join("second");
    common::run_ok(
        &[
            "run",
            text(&labels),
            "--vars",
            "cluster",
            "--select",
            "all",
            "--k",
            "3",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            text(&second),
        ],
        1,
    );
    // Clustering the labels by themselves finds the same three groups on the same cells.
    let sizes = |dir: &Path| {
        let m = common::metrics(dir);
        let mut v: Vec<u64> = m["cluster_sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        v.sort();
        v
    };
    assert_eq!(common::metrics(&second)["n_points"].as_u64(), Some(15201));
    assert_eq!(sizes(&second), sizes(&first));
}
