use super::*;

#[test]
fn chan_merge_matches_one_pass_over_all_values() {
    let all: Vec<f64> = (0..1000).map(|i| ((i * 37) % 101) as f64 * 0.3 + 1e6).collect();
    let mut acc = RunningStats::default();
    for chunk in all.chunks(77) {
        acc.merge(&RunningStats::of(chunk));
    }
    let direct = RunningStats::of(&all);
    assert_eq!(acc.count, 1000);
    assert!((acc.mean - direct.mean).abs() < 1e-9 * direct.mean.abs());
    assert!((acc.std() - direct.std()).abs() < 1e-9 * direct.std());
}

#[test]
fn bands_are_south_edges() {
    assert_eq!(band_of(5.0, 10.0), 0.0);
    assert_eq!(band_of(-0.05, 10.0), -10.0);
    assert_eq!(band_of(89.95, 10.0), 80.0);
    assert_eq!(band_of(-89.95, 10.0), -90.0);
    assert_eq!(band_of(1.3, 2.5), 0.0);
    assert_eq!(band_of(-1.3, 2.5), -2.5);
    assert_eq!(format!("{}", band_of(-0.0001, 0.1)), "-0.1");
}

#[test]
fn column_names_are_spark_safe() {
    assert_eq!(column_name("NDVI"), "NDVI");
    assert_eq!(column_name("AOD565[3]"), "AOD565_3_");
    assert_eq!(column_name("AOD565:mean"), "AOD565_mean");
}

#[test]
fn regular_axes_keep_start_and_step() {
    let lat: Vec<f64> = (0..180).map(|i| 89.5 - i as f64).collect();
    let spec = AxisSpec::of(&lat);
    assert_eq!(
        spec,
        AxisSpec::Regular {
            start: 89.5,
            step: -1.0
        }
    );
    assert_eq!(spec.values(180), lat);
    let odd = vec![1.0, 2.0, 4.0];
    assert_eq!(AxisSpec::of(&odd), AxisSpec::Explicit { values: odd.clone() });
    let json = serde_json::to_string(&spec).unwrap();
    assert_eq!(serde_json::from_str::<AxisSpec>(&json).unwrap(), spec);
}

#[test]
fn row_blocks_stop_at_band_edges_and_block_size() {
    let g = Grid::regular(40, 10, 19.75, -2.25, 0.5);
    let w = Window::full(&g);
    let blocks = row_blocks(&g, &w, 100, 10.0);
    // rows 0..20 are in band 10 (19.75 .. 10.25), rows 20..40 in band 0; 10 rows per block.
    assert_eq!(blocks, vec![0..10, 10..20, 20..30, 30..40]);
    let blocks = row_blocks(&g, &w, 150, 10.0);
    assert_eq!(blocks, vec![0..15, 15..20, 20..35, 35..40]);
}

use crate::dataset::{GridDataset, GridVariable};

/// A 20 x 40 one-degree grid (north-west corner 19.5, -179.5), or its rows `r0..r1` and columns
/// `c0..c1`, with a land mask (every third cell sea, some gaps) and two variables.
fn tile(r0: usize, r1: usize, c0: usize, c1: usize) -> Box<dyn BlockReader + Send + Sync> {
    tile_on(r0, r1, c0, c1, 0.0, 1.0)
}

/// [`tile`] with its latitudes shifted by `shift` degrees and a `step`-degree grid.
fn tile_on(r0: usize, r1: usize, c0: usize, c1: usize, shift: f64, step: f64) -> Box<dyn BlockReader + Send + Sync> {
    let grid = Grid::regular(
        r1 - r0,
        c1 - c0,
        19.5 - r0 as f64 * step + shift,
        -179.5 + c0 as f64 * step,
        step,
    );
    let mut land = Vec::new();
    let mut a = Vec::new();
    let mut b = Vec::new();
    for r in r0..r1 {
        for c in c0..c1 {
            let i = r * 40 + c;
            land.push(if i % 3 == 0 { 0.0 } else { 100.0 });
            a.push(if i % 17 == 0 { f64::NAN } else { (i as f64 * 0.37).sin() });
            b.push(i as f64 * 0.01 + 3.0);
        }
    }
    let var = |name: &str, values: Vec<f64>| GridVariable {
        name: name.into(),
        units: None,
        long_name: None,
        values,
    };
    Box::new(GridDataset {
        path: format!("tile-{r0}-{c0}").into(),
        grid,
        variables: vec![var("LandPercentage", land), var("A", a), var("B[1]", b)],
    })
}

fn settings(out: &Path, n_inputs: usize) -> ExportSettings {
    ExportSettings {
        inputs: (0..n_inputs).map(|i| PathBuf::from(format!("tile{i}.nc"))).collect(),
        vars: vec!["A".into(), "B[1]".into()],
        select: Selection::default(),
        region: None,
        band_deg: 10.0,
        out: out.to_path_buf(),
        block_cells: 64,
    }
}

/// Every row of an export as (row, col, lat, lon, A, B), sorted.
fn rows_of(dir: &Path) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    for f in crate::io::parquet::dataset_files(dir).unwrap() {
        let c = crate::io::parquet::read_numeric_columns(&f, &["row", "col", "lat", "lon", "A", "B_1_"]).unwrap();
        for i in 0..c[0].len() {
            out.push(c.iter().map(|col| col[i]).collect::<Vec<f64>>());
        }
    }
    out.sort_by(|x, y| x.partial_cmp(y).unwrap());
    out
}

#[test]
fn tiles_export_as_their_union_grid() {
    let dir = tempfile::tempdir().unwrap();
    let whole = run_readers(&settings(&dir.path().join("whole"), 1), vec![tile(0, 20, 0, 40)], false).unwrap();
    let tiles = vec![tile(0, 10, 0, 25), tile(0, 10, 25, 40), tile(10, 20, 0, 40)];
    let tiled = run_readers(&settings(&dir.path().join("tiled"), 3), tiles, false).unwrap();
    let (a, b) = (&whole.sidecar, &tiled.sidecar);
    assert_eq!(a.grid, b.grid);
    assert_eq!(a.n_cells, b.n_cells);
    assert_eq!(a.n_selected, b.n_selected);
    assert_eq!(a.missing_per_variable, b.missing_per_variable);
    assert!(a.n_dropped > 0);
    for (x, y) in a.columns.iter().zip(&b.columns) {
        assert_eq!(x.column, y.column);
        assert!((x.mean - y.mean).abs() < 1e-12 && (x.std - y.std).abs() < 1e-12);
    }
    assert_eq!(b.settings.inputs[2].row_offset, 10);
    assert_eq!(b.settings.inputs[1].col_offset, 25);
    assert_eq!(rows_of(&dir.path().join("whole")), rows_of(&dir.path().join("tiled")));
    // The sidecar reads back.
    assert_eq!(&Sidecar::read(&dir.path().join("tiled")).unwrap(), b);
}

#[test]
fn misaligned_overlapping_or_coarser_tiles_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let overlap = run_readers(&settings(&out, 2), vec![tile(0, 10, 0, 40), tile(5, 20, 0, 40)], false)
        .unwrap_err()
        .to_string();
    assert!(overlap.contains("overlaps the tile"), "{overlap}");
    let misaligned = run_readers(
        &settings(&out, 2),
        vec![tile(0, 10, 0, 40), tile_on(10, 20, 0, 40, -0.3, 1.0)],
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(misaligned.contains("tiles must be aligned"), "{misaligned}");
    let coarser = run_readers(
        &settings(&out, 2),
        vec![tile(0, 10, 0, 40), tile_on(10, 20, 0, 40, 0.0, 2.0)],
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(coarser.contains("tiles must share one grid"), "{coarser}");
    assert!(!out.exists());
}
