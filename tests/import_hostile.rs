//! `landclust import` on hostile exports and labels, built here from the demo's export: a
//! sidecar that lies about its grid or statistics, cluster ids that `f64` cannot hold, integer
//! types other than `INT32`, more than 255 clusters; and `inspect` on a damaged file. Every
//! refusal is one line naming the file and the key, a non-zero exit and no output folder.

mod common;

use common::{assert_one_line_error, bin, demo_file, metrics};
use parquet::data_type::{DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

const VARS: &str = "NDVI,DHR443,DHR865";

/// The demo's export, made once for this test binary.
fn base_export() -> &'static Path {
    static EXPORT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = EXPORT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("exp");
        let o = bin()
            .args(["--quiet", "export"])
            .arg(demo_file())
            .args(["--vars", VARS, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (dir, out)
    });
    path
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the export in `dir` with its sidecar edited by `edit`.
fn export_with(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let exp = dir.join("exp");
    copy_dir(base_export(), &exp);
    let path = exp.join("_landclust.json");
    let mut sidecar: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut sidecar);
    std::fs::write(&path, sidecar.to_string()).unwrap();
    exp
}

/// Every exported cell as (row, col, lat), in file order.
fn cells() -> Vec<(i32, i32, f64)> {
    let mut out = Vec::new();
    for f in landclust::io::parquet::dataset_files(base_export()).unwrap() {
        let c = landclust::io::parquet::read_numeric_columns(&f, &["row", "col", "lat"]).unwrap();
        for ((&row, &col), &lat) in c[0].iter().zip(&c[1]).zip(&c[2]) {
            out.push((row as i32, col as i32, lat));
        }
    }
    out
}

/// A `cluster` column in one of the types a Spark job may write.
enum Clusters {
    /// `INT64`.
    Int64(Vec<i64>),
    /// `INT32 (UINT_8)`, as Spark writes a `ByteType` cast to unsigned.
    UInt8(Vec<u8>),
    /// `INT64 (UINT_64)`.
    UInt64(Vec<u64>),
    /// `DOUBLE`.
    Double(Vec<f64>),
}

/// One labels file `row, col, cluster` with the cluster column in the given type.
fn write_labels(path: &Path, cells: &[(i32, i32, f64)], clusters: &Clusters) {
    let kind = match clusters {
        Clusters::Int64(_) => "INT64 cluster",
        Clusters::UInt8(_) => "INT32 cluster (UINT_8)",
        Clusters::UInt64(_) => "INT64 cluster (UINT_64)",
        Clusters::Double(_) => "DOUBLE cluster",
    };
    let message = format!("message spark {{ REQUIRED INT32 row; REQUIRED INT32 col; REQUIRED {kind}; }}");
    let schema = Arc::new(parquet::schema::parser::parse_message_type(&message).unwrap());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build())).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let rows: Vec<i32> = cells.iter().map(|c| c.0).collect();
    let cols: Vec<i32> = cells.iter().map(|c| c.1).collect();
    for keys in [&rows, &cols] {
        let mut col = group.next_column().unwrap().unwrap();
        col.typed::<Int32Type>().write_batch(keys, None, None).unwrap();
        col.close().unwrap();
    }
    let mut col = group.next_column().unwrap().unwrap();
    match clusters {
        Clusters::Int64(v) => col.typed::<Int64Type>().write_batch(v, None, None).map(|_| ()),
        Clusters::UInt8(v) => {
            let wide: Vec<i32> = v.iter().map(|&x| i32::from(x)).collect();
            col.typed::<Int32Type>().write_batch(&wide, None, None).map(|_| ())
        }
        Clusters::UInt64(v) => {
            // Parquet stores UINT_64 in INT64's bits.
            let bits: Vec<i64> = v.iter().map(|&x| x as i64).collect();
            col.typed::<Int64Type>().write_batch(&bits, None, None).map(|_| ())
        }
        Clusters::Double(v) => col.typed::<DoubleType>().write_batch(v, None, None).map(|_| ()),
    }
    .unwrap();
    col.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
}

/// Labels of `n` cells in `ids.len()` runs of equal length (cells come north to south).
fn banded<T: Copy>(ids: &[T], n: usize) -> Vec<T> {
    (0..n).map(|i| ids[i * ids.len() / n]).collect()
}

fn import(labels: &Path, export: &Path, out: &Path) -> std::process::Output {
    bin()
        .args(["--quiet", "import"])
        .arg(labels)
        .arg(export)
        .args(["--no-figures", "--out"])
        .arg(out)
        .output()
        .unwrap()
}

/// Labels with two clusters (by hemisphere) for the export's cells, in `dir/labels`.
fn two_cluster_labels(dir: &Path) -> PathBuf {
    let labels = dir.join("labels");
    let cells = cells();
    let ids: Vec<i64> = cells.iter().map(|c| if c.2 > 0.0 { 7 } else { 3 }).collect();
    write_labels(&labels.join("part-0.parquet"), &cells, &Clusters::Int64(ids));
    labels
}

/// Import with the sidecar edited by `edit`: one line containing `needle`, nothing written.
fn refused(edit: impl FnOnce(&mut serde_json::Value), needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let exp = export_with(dir.path(), edit);
    let labels = two_cluster_labels(dir.path());
    let out = dir.path().join("run");
    let o = import(&labels, &exp, &out);
    assert_one_line_error(&o, needle);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("_landclust.json") || err.contains("exp/"),
        "names no file: {err}"
    );
    assert!(!out.exists(), "{} was written", out.display());
}

#[test]
fn the_unedited_export_imports() {
    let dir = tempfile::tempdir().unwrap();
    let exp = export_with(dir.path(), |_| {});
    let labels = two_cluster_labels(dir.path());
    let out = dir.path().join("run");
    let o = import(&labels, &exp, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(metrics(&out)["k"], 2);
}

#[test]
fn a_latitude_start_off_the_globe_is_refused() {
    refused(|s| s["grid"]["lat"]["start"] = 1000.into(), "grid.lat.start: 1000");
}

#[test]
fn a_zero_latitude_step_is_refused() {
    refused(|s| s["grid"]["lat"]["step"] = 0.0.into(), "grid.lat.step: 0");
}

#[test]
fn a_grid_of_2_pow_27_rows_is_refused_not_written() {
    // 2^27 one-degree rows from 89.5 reach far below the south pole.
    refused(|s| s["grid"]["n_rows"] = (1u64 << 27).into(), "grid.n_rows");
}

#[test]
fn a_grid_of_2_pow_31_rows_is_refused_before_allocating() {
    refused(|s| s["grid"]["n_rows"] = (1u64 << 31).into(), "grid.n_rows");
}

#[test]
fn a_grid_too_large_for_memory_is_refused_before_allocating() {
    // On the globe (2^31 x 2^31 cells of 1e-8 degree), but its two axes alone take 34 GB: the
    // memory check refuses it, or, on a machine where 34 GB fit, the cells (exported on the
    // 1-degree grid) do not lie on it; either way before the axes are allocated.
    let dir = tempfile::tempdir().unwrap();
    let exp = export_with(dir.path(), |s| {
        s["grid"]["n_rows"] = (1u64 << 31).into();
        s["grid"]["n_cols"] = (1u64 << 31).into();
        s["grid"]["lat"]["step"] = (-1e-8).into();
        s["grid"]["lon"]["step"] = 1e-8.into();
    });
    let labels = two_cluster_labels(dir.path());
    let out = dir.path().join("run");
    let o = bin()
        .args(["--quiet", "import"])
        .arg(&labels)
        .arg(&exp)
        .args(["--no-figures", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("over the memory limit") || err.contains("the sidecar does not describe these files"),
        "{err}"
    );
    assert_one_line_error(&o, "landclust: error: ");
    assert!(!out.exists());
}

#[test]
fn negative_and_zero_standard_deviations_are_refused() {
    refused(
        |s| s["columns"][1]["std"] = (-0.5).into(),
        "columns[1].std (variable DHR443): -0.5",
    );
    refused(
        |s| s["columns"][0]["std"] = 0.0.into(),
        "columns[0].std (variable NDVI): 0",
    );
}

#[test]
fn an_empty_column_list_is_refused_clearly() {
    refused(|s| s["columns"] = serde_json::json!([]), "columns: the list is empty");
}

#[test]
fn other_inconsistent_sidecar_keys_are_refused() {
    refused(|s| s["grid"]["lon"]["step"] = (-1.0).into(), "grid.lon.step: -1");
    refused(|s| s["grid"]["lon"]["step"] = 2.0.into(), "grid.n_cols with grid.lon");
    refused(
        |s| s["grid"]["lat"] = serde_json::json!({"values": [10.0, 9.0]}),
        "grid.lat.values: 2 values for the grid's 180 rows",
    );
    refused(|s| s["grid"]["n_cols"] = 0.into(), "grid.n_cols: 0");
    refused(
        |s| s["columns"][2]["count"] = 5.into(),
        "columns[2].count (variable DHR865): 5",
    );
    refused(|s| s["n_dropped"] = 1_000_000.into(), "n_dropped");
}

#[test]
fn a_sidecar_grid_that_does_not_match_the_cells_is_refused() {
    // A plausible grid, one column east of the one the cells were exported on.
    refused(
        |s| s["grid"]["lon"]["start"] = (-178.5).into(),
        "the sidecar does not describe these files",
    );
}

#[test]
fn a_cell_count_other_than_the_parquet_rows_is_refused() {
    refused(
        |s| {
            let n = s["n_cells"].as_u64().unwrap() + 1;
            s["n_cells"] = n.into();
            s["n_selected"] = (s["n_selected"].as_u64().unwrap() + 1).into();
            for c in s["columns"].as_array_mut().unwrap() {
                c["count"] = n.into();
            }
        },
        "rows in the Parquet files but _landclust.json says n_cells",
    );
}

#[test]
fn cluster_ids_beyond_2_pow_53_stay_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels");
    let cells = cells();
    let big = 1i64 << 60;
    let ids = [1, 2, big + 3, big + 4, i64::MAX - 1, i64::MAX];
    let clusters = banded(&ids, cells.len());
    write_labels(&labels.join("part-0.parquet"), &cells, &Clusters::Int64(clusters));
    let out = dir.path().join("run");
    let o = import(&labels, base_export(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = metrics(&out);
    assert_eq!(m["k"], 6);
    let mapping = m["scale_notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .find(|n| n.contains("engine -> landclust"))
        .unwrap()
        .to_string();
    for id in ids {
        assert!(mapping.contains(&format!("{id}->")), "{id} missing: {mapping}");
    }
}

#[test]
fn a_uint8_cluster_column_reads() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels");
    let cells = cells();
    let clusters = banded(&[0u8, 200, 255], cells.len());
    write_labels(&labels.join("part-0.parquet"), &cells, &Clusters::UInt8(clusters));
    let out = dir.path().join("run");
    let o = import(&labels, base_export(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(metrics(&out)["k"], 3);
}

#[test]
fn uint64_cluster_ids_above_i64_max_stay_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels");
    let cells = cells();
    let clusters = banded(&[u64::MAX - 1, u64::MAX, 5], cells.len());
    write_labels(&labels.join("part-0.parquet"), &cells, &Clusters::UInt64(clusters));
    let out = dir.path().join("run");
    let o = import(&labels, base_export(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = metrics(&out);
    assert_eq!(m["k"], 3);
    assert!(m.to_string().contains(&format!("{}->", u64::MAX)), "{m}");
}

#[test]
fn a_float_cluster_column_must_hold_whole_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let cells = cells();
    let whole = dir.path().join("whole");
    let clusters = banded(&[2.0, 9.0], cells.len());
    write_labels(
        &whole.join("part-0.parquet"),
        &cells,
        &Clusters::Double(clusters.clone()),
    );
    let out = dir.path().join("run");
    let o = import(&whole, base_export(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(metrics(&out)["k"], 2);
    let fractional = dir.path().join("fractional");
    let mut bad = clusters;
    bad[10] = 1.5;
    write_labels(&fractional.join("part-0.parquet"), &cells, &Clusters::Double(bad));
    let target = dir.path().join("bad");
    let o = import(&fractional, base_export(), &target);
    assert_one_line_error(&o, "cluster 1.5 at row");
    assert!(!target.exists());
}

#[test]
fn more_than_255_clusters_import_as_a_16_bit_labels_tif() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels");
    let cells = cells();
    let clusters: Vec<i64> = (0..cells.len()).map(|i| 1000 + (i % 300) as i64).collect();
    write_labels(&labels.join("part-0.parquet"), &cells, &Clusters::Int64(clusters));
    let out = dir.path().join("run");
    let o = import(&labels, base_export(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(metrics(&out)["k"], 300);
    let mut dec = tiff::decoder::Decoder::new(std::fs::File::open(out.join("labels.tif")).unwrap()).unwrap();
    assert_eq!(dec.get_tag_u32(tiff::tags::Tag::BitsPerSample).unwrap(), 16);
    let tiff::decoder::DecodingResult::U16(values) = dec.read_image().unwrap() else {
        panic!("labels.tif is not 16-bit");
    };
    let mut classes: Vec<u16> = values.iter().copied().filter(|&v| v != u16::MAX).collect();
    assert_eq!(classes.len(), cells.len());
    classes.sort_unstable();
    classes.dedup();
    assert_eq!(classes, (0..300).collect::<Vec<u16>>());
    // The maps colour at most 255 clusters: with figures asked for, one line says so up front.
    let with_figures = dir.path().join("figures");
    let o = bin()
        .args(["--quiet", "import"])
        .arg(&labels)
        .arg(base_export())
        .arg("--out")
        .arg(&with_figures)
        .output()
        .unwrap();
    assert_one_line_error(
        &o,
        "300 clusters imported but the maps and report.html show at most 255: add --no-figures",
    );
    assert!(!with_figures.exists());
}

#[test]
fn inspect_fails_on_a_variable_it_cannot_decode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.nc");
    let o = bin().args(["synth", "--out"]).arg(&path).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // 4 kB of 0xFF over a deflate chunk: the header and the other variables are intact.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() * 3 / 10;
    bytes[at..at + 4096].fill(0xFF);
    std::fs::write(&path, &bytes).unwrap();
    let o = bin().arg("inspect").arg(&path).output().unwrap();
    assert_one_line_error(&o, "cannot be decoded");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cut.nc") && err.contains("variable "), "{err}");
    // The table of what could be read is still printed.
    assert!(String::from_utf8_lossy(&o.stdout).contains("variables ("));
}
