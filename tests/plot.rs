//! Figures: files are written, decode, have the layout's size, are not blank, put cells at the
//! right pixels and keep cluster colours stable across maps.

use image::RgbImage;
use landclust::dataset::{Cell, Grid};
use landclust::plot::*;
use ndarray::Array2;
use std::path::Path;

fn world_grid() -> Grid {
    Grid::regular(180, 360, 89.5, -179.5, 1.0)
}

fn world_geometry() -> GridGeometry {
    GridGeometry::from_grid(&world_grid()).unwrap()
}

/// The cells that hold a value (row-major over `geometry`) and their values: maps take per-cell data.
fn per_cell<T: Clone>(geometry: &GridGeometry, grid_values: &[Option<T>]) -> (Vec<Cell>, Vec<T>) {
    let mut cells = Vec::new();
    let mut values = Vec::new();
    for (i, v) in grid_values.iter().enumerate() {
        if let Some(v) = v {
            let (row, col) = (i / geometry.n_cols, i % geometry.n_cols);
            cells.push(Cell {
                row,
                col,
                lat: geometry.lat0_north - row as f64 * geometry.step_lat,
                lon: geometry.lon0_west + col as f64 * geometry.step_lon,
            });
            values.push(v.clone());
        }
    }
    (cells, values)
}

/// Percent land per 1-degree cell from the shipped land mask (row 0 = 89.5 N).
fn land_percentage() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/data/land_percentage_1deg_u8_180x360.bin");
    std::fs::read(path).unwrap()
}

fn cell(lat: f64, lon: f64) -> usize {
    let row = (89.5 - lat).round() as usize;
    let col = (lon + 179.5).round() as usize;
    row * 360 + col
}

fn load(path: &Path) -> RgbImage {
    image::open(path).unwrap().to_rgb8()
}

fn pixel(img: &RgbImage, (x, y): (u32, u32)) -> [u8; 3] {
    img.get_pixel(x, y).0
}

fn rgb(c: plotters::style::RGBColor) -> [u8; 3] {
    [c.0, c.1, c.2]
}

fn pixel_std(img: &RgbImage) -> f64 {
    let v: Vec<f64> = img.as_raw().iter().map(|&b| b as f64).collect();
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

fn no_temp_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains(".tmp"), "temporary file left behind: {name}");
    }
}

const SAHARA: (f64, f64) = (10.5, 23.5);
const PACIFIC: (f64, f64) = (-140.5, 0.5);

#[test]
fn region_parsing() {
    let africa = Region::parse("africa").unwrap();
    assert_eq!(
        (africa.lon_min, africa.lon_max, africa.lat_min, africa.lat_max),
        (-20.0, 55.0, -37.0, 38.0)
    );
    assert_eq!(Region::parse("World").unwrap(), Region::world());
    assert_eq!(Region::parse("south_america").unwrap().name, "south-america");
    for name in ["europe", "asia", "north-america", "oceania"] {
        assert!(Region::parse(name).is_ok(), "{name}");
    }
    let custom: Region = " -10, 40.5, -5, 30 ".parse().unwrap();
    assert_eq!(
        (custom.lon_min, custom.lon_max, custom.lat_min, custom.lat_max),
        (-10.0, 40.5, -5.0, 30.0)
    );
    for bad in [
        "atlantis",
        "1,2,3",
        "a,2,3,4",
        "40,10,0,10",
        "-200,0,0,10",
        "0,10,20,10",
        "0,10,-95,10",
        "",
    ] {
        let err = Region::parse(bad).unwrap_err().to_string();
        assert!(err.contains("region") && err.contains("expected world"), "{bad}: {err}");
    }
}

#[test]
fn variable_map_shows_values_on_land_and_background_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let land = land_percentage();
    let grid = world_geometry();
    // A smooth value (latitude) on full-land cells only; sea cells are not listed.
    let values: Vec<Option<f64>> = (0..grid.len())
        .map(|i| (land[i] == 100).then_some(89.5 - (i / 360) as f64))
        .collect();
    let (cells, values) = per_cell(&grid, &values);
    let opts = MapOptions {
        value_range: Some((-90.0, 90.0)),
        ..MapOptions::default()
    };
    let with_data = dir.path().join("lat.png");
    variable_map(
        &with_data,
        &grid,
        &cells,
        &values,
        "Latitude on land",
        "degrees",
        Colormap::Viridis,
        &opts,
    )
    .unwrap();
    let empty = dir.path().join("empty.png");
    // Cells listed with NaN values show the background too.
    let nan = vec![f64::NAN; cells.len()];
    variable_map(
        &empty,
        &grid,
        &cells,
        &nan,
        "Nothing",
        "degrees",
        Colormap::Viridis,
        &opts,
    )
    .unwrap();

    let layout = MapLayout::new(&opts, MapKind::Variable);
    let (a, b) = (load(&with_data), load(&empty));
    assert_eq!(a.dimensions(), (layout.width, layout.height));
    assert_eq!((layout.plot_width, layout.plot_height), (1440, 720));
    assert!(pixel_std(&a) > 30.0, "map looks blank");
    let sahara = layout.lonlat_to_pixel(SAHARA.0, SAHARA.1).unwrap();
    let pacific = layout.lonlat_to_pixel(PACIFIC.0, PACIFIC.1).unwrap();
    // Land cell: exactly the colormap colour of its value (opaque cells).
    assert_eq!(pixel(&a, sahara), rgb(Colormap::Viridis.color((23.5 + 90.0) / 180.0)));
    assert_ne!(pixel(&a, sahara), pixel(&b, sahara));
    // Sea cell: the (dimmed) background, identical with or without data.
    assert_eq!(pixel(&a, pacific), pixel(&b, pacific));
    // The Blue Marble Pacific is blue.
    let [r, _, bl] = pixel(&b, pacific);
    assert!(bl > r, "Pacific pixel {:?} is not blue", pixel(&b, pacific));
    no_temp_files(dir.path());
}

#[test]
fn sahara_cell_lands_on_its_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let grid = world_geometry();
    let mut labels = vec![None; grid.len()];
    labels[cell(SAHARA.1, SAHARA.0)] = Some(2);
    let (cells, labels) = per_cell(&grid, &labels);
    let opts = MapOptions {
        coastlines: Coastlines::None,
        ..MapOptions::default()
    };
    let path = dir.path().join("one_cell.png");
    cluster_map(&path, &grid, &cells, &labels, &[], "One cell", &opts).unwrap();
    let img = load(&path);
    let layout = MapLayout::new(&opts, MapKind::Cluster);
    let target = rgb(cluster_color(2));
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in layout.plot_top..layout.plot_top + layout.plot_height {
        for x in layout.plot_left..layout.plot_left + layout.plot_width {
            if pixel(&img, (x, y)) == target {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    // 1 degree = 4 pixels at the default world size; the cell spans 10E..11E, 23N..24N.
    let (cx, cy) = layout.lonlat_to_pixel(10.0 + 1e-9, 24.0 - 1e-9).unwrap();
    assert_eq!((x0, y0, x1, y1), (cx, cy, cx + 3, cy + 3));
    let expected_x = layout.plot_left + ((10.0 + 180.0) * 4.0) as u32;
    let expected_y = layout.plot_top + ((90.0 - 24.0) * 4.0) as u32;
    assert_eq!((cx, cy), (expected_x, expected_y));
    assert_eq!(
        lonlat_to_pixel(&opts, MapKind::Cluster, 10.5, 23.5),
        Some((expected_x + 2, expected_y + 2))
    );
    assert_eq!(layout.lonlat_to_pixel(0.0, 95.0), None);
}

#[test]
fn cluster_colours_are_stable_across_maps_and_regions() {
    let dir = tempfile::tempdir().unwrap();
    let grid = world_geometry();
    let land = land_percentage();
    let sahara = cell(SAHARA.1, SAHARA.0);
    // Two different labelings that agree only on the Sahara cell (cluster 3).
    let first: Vec<Option<usize>> = (0..grid.len()).map(|i| (land[i] == 100).then_some(i % 7)).collect();
    let mut second: Vec<Option<usize>> = (0..grid.len()).map(|i| (land[i] == 100).then_some(i % 5 + 7)).collect();
    let mut first = first;
    first[sahara] = Some(3);
    second[sahara] = Some(3);
    let legend: Vec<ClusterLegend> = (0..7)
        .map(|id| ClusterLegend {
            id,
            size: 100 + id,
            mean_ndvi: Some(0.1 * id as f64),
            name: Some(format!("type {id}")),
        })
        .collect();
    let world = MapOptions::default();
    let africa = MapOptions {
        region: Region::parse("africa").unwrap(),
        plot_size: 600,
        ..MapOptions::default()
    };
    let (pa, pb) = (dir.path().join("a.png"), dir.path().join("b.png"));
    let (cells_a, first) = per_cell(&grid, &first);
    let (cells_b, second) = per_cell(&grid, &second);
    cluster_map(&pa, &grid, &cells_a, &first, &legend, "K-Means", &world).unwrap();
    cluster_map(&pb, &grid, &cells_b, &second, &legend[..3], "Ward, Africa", &africa).unwrap();
    let (a, b) = (load(&pa), load(&pb));
    let la = MapLayout::new(&world, MapKind::Cluster);
    let lb = MapLayout::new(&africa, MapKind::Cluster);
    assert_eq!(b.dimensions(), (lb.width, lb.height));
    assert_eq!((lb.plot_width, lb.plot_height), (600, 600));
    let pa_px = la.lonlat_to_pixel(SAHARA.0, SAHARA.1).unwrap();
    let pb_px = lb.lonlat_to_pixel(SAHARA.0, SAHARA.1).unwrap();
    assert_eq!(pixel(&a, pa_px), rgb(cluster_color(3)));
    assert_eq!(pixel(&b, pb_px), rgb(cluster_color(3)));
    assert_ne!(cluster_color(3), cluster_color(4));
    assert!(pixel_std(&a) > 30.0 && pixel_std(&b) > 30.0);
}

#[test]
fn map_input_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let grid = world_geometry();
    let (cells, _) = per_cell(&grid, &[Some(()); 20]);
    let path = dir.path().join("bad.png");
    let err = variable_map(
        &path,
        &grid,
        &cells,
        &[1.0; 10],
        "t",
        "u",
        Colormap::Viridis,
        &MapOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("bad.png") && err.to_string().contains("10 values for 20 cells"),
        "{err}"
    );
    let outside = [Cell {
        row: 180,
        col: 0,
        lat: 0.0,
        lon: 0.0,
    }];
    let err = cluster_map(&path, &grid, &outside, &[0], &[], "t", &MapOptions::default()).unwrap_err();
    assert!(err.to_string().contains("outside the grid"), "{err}");
    let jpg = dir.path().join("map.jpg");
    let err = cluster_map(&jpg, &grid, &[], &[], &[], "t", &MapOptions::default()).unwrap_err();
    assert!(err.to_string().contains("map.jpg"), "{err}");
    let opts = MapOptions {
        dim: 1.5,
        ..MapOptions::default()
    };
    let err = cluster_map(&path, &grid, &[], &[], &[], "t", &opts).unwrap_err();
    assert!(err.to_string().contains("dim"), "{err}");
    let err = variable_map(
        &path,
        &grid,
        &cells,
        &[f64::NAN; 20],
        "t",
        "u",
        Colormap::Viridis,
        &MapOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("no finite value"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

fn check_png(path: &Path, min_size: (u32, u32)) -> RgbImage {
    let img = load(path);
    assert!(
        img.width() >= min_size.0 && img.height() >= min_size.1,
        "{path:?}: {:?}",
        img.dimensions()
    );
    assert!(pixel_std(&img) > 10.0, "{path:?} looks blank");
    img
}

/// A deterministic pseudo-random sample in -1..1.
fn noise(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        })
        .collect()
}

#[test]
fn correlation_heatmap_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["NDVI", "DHR443", "DHR490"];
    let m = [1.0, -0.5, -0.4, -0.5, 1.0, 0.98, -0.4, 0.98, 1.0];
    let png = dir.path().join("corr.png");
    correlation_heatmap(&png, &names, &m, "Correlation").unwrap();
    let img = check_png(&png, (300, 300));
    // The diagonal is +1: the darkest red of coolwarm appears.
    let red = rgb(Colormap::Coolwarm.color(1.0));
    assert!(img.pixels().any(|p| p.0 == red));
    let svg = dir.path().join("corr.svg");
    correlation_heatmap(&svg, &names, &m, "Correlation").unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("0.98") && text.contains("DHR443"));
    let err = correlation_heatmap(&png, &names, &m[..8], "x").unwrap_err();
    assert!(err.to_string().contains("corr.png"));
    no_temp_files(dir.path());
}

/// The contents of the `<text>` elements of an SVG file.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
        .collect()
}

#[test]
fn dendrogram_truncates_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    // scipy linkage of 6 points: ((0,1),(2,3)) then 4, 5.
    let linkage = [
        (0, 1, 0.5, 2),
        (2, 3, 0.7, 2),
        (6, 7, 1.5, 4),
        (4, 5, 2.0, 2),
        (8, 9, 4.0, 6),
    ];
    let path = dir.path().join("dendro.svg");
    dendrogram(&path, &linkage, 3, Some(2), "Ward").unwrap();
    let texts = svg_texts(&std::fs::read_to_string(&path).unwrap());
    // Last p = 3 leaves: cluster node 8 of size 4, then leaves 4 and 5 under node 9.
    for label in ["(4)", "4", "5", "cut for k = 2"] {
        assert!(texts.iter().any(|t| t == label), "{label} missing in {texts:?}");
    }
    assert!(!texts.iter().any(|t| t == "(2)" || t == "0"));
    let png = dir.path().join("dendro.png");
    dendrogram(&png, &linkage, 30, Some(3), "Ward").unwrap();
    check_png(&png, (500, 500));
    let bad = [(0, 5, 0.5, 2)];
    assert!(
        dendrogram(&png, &bad, 2, None, "x")
            .unwrap_err()
            .to_string()
            .contains("linkage row 0")
    );
    assert!(dendrogram(&png, &linkage, 3, Some(9), "x").is_err());
}

#[test]
fn pca_and_cluster_charts() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2000;
    let (a, b, c) = (noise(n, 1), noise(n, 2), noise(n, 3));
    let scores = Array2::from_shape_fn((n, 3), |(i, j)| match j {
        0 => 3.0 * a[i] + if i % 2 == 0 { 2.0 } else { -2.0 },
        1 => a[i] * b[i],
        _ => 0.1 * c[i],
    });
    let labels: Vec<usize> = (0..n).map(|i| i % 2 + (i % 3 == 0) as usize * 2).collect();

    let p = dir.path().join("variance.svg");
    explained_variance(&p, &[0.7, 0.2, 0.06, 0.04], Some(0.95), "Explained variance").unwrap();
    assert!(std::fs::read_to_string(&p).unwrap().contains("PC3"));
    let p = dir.path().join("hist.png");
    component_histograms(&p, scores.view(), 40, "PC densities").unwrap();
    check_png(&p, (600, 400));
    let p = dir.path().join("density.png");
    density_scatter_grid(&p, scores.view(), 6, 50, "Density").unwrap();
    let img = check_png(&p, (800, 400));
    assert_eq!(img.dimensions(), (840, 470), "two panels side by side plus title");
    // A 2-D histogram: the fullest bin of each panel is drawn in the top colour of viridis.
    let top = rgb(Colormap::Viridis.color(1.0));
    assert!(img.pixels().any(|px| px.0 == top), "no bin in the densest colour");
    let p = dir.path().join("clusters.png");
    pc_scatter_clusters(&p, scores.view(), &labels, 2, "Clusters").unwrap();
    let img = check_png(&p, (800, 400));
    assert!(img.pixels().any(|px| px.0 == rgb(cluster_color(3))));
    let p = dir.path().join("elbow.png");
    let ks = [2, 3, 4, 5, 6, 7, 8];
    elbow_chart(
        &p,
        &ks,
        &[100.0, 60.0, 40.0, 30.0, 25.0, 22.0, 20.0],
        Some(4),
        Some(&[0.3, 0.35, 0.4, 0.33, 0.3, 0.28, 0.27]),
        "Elbow",
    )
    .unwrap();
    assert_eq!(check_png(&p, (800, 800)).dimensions(), (820, 820));
    assert!(elbow_chart(&p, &ks, &[1.0], None, None, "x").is_err());
    let p = dir.path().join("spectra.png");
    let spectra: Vec<ClusterSpectrum> = (0..3)
        .map(|id| ClusterSpectrum {
            id,
            size: 10 * (id + 1),
            mean: vec![0.05, 0.07, 0.1, 0.12 + 0.05 * id as f64, 0.3, 0.35],
            std: vec![0.01; 6],
        })
        .collect();
    cluster_spectra(&p, &[443.0, 490.0, 565.0, 670.0, 865.0, 1020.0], &spectra, "Spectra").unwrap();
    let img = check_png(&p, (800, 500));
    assert!(img.pixels().any(|px| px.0 == rgb(cluster_color(2))));
    assert!(
        cluster_spectra(&p, &[443.0], &spectra, "x")
            .unwrap_err()
            .to_string()
            .contains("cluster 0")
    );
}

#[test]
fn vae_and_generic_charts() {
    let dir = tempfile::tempdir().unwrap();
    let loss = Series {
        name: "loss".into(),
        points: (0..20).map(|e| (e as f64, 1.0 / (1.0 + e as f64))).collect(),
    };
    let r2 = Series {
        name: "R2".into(),
        points: (0..20).map(|e| (e as f64, 1.0 - 1.0 / (1.0 + e as f64))).collect(),
    };
    let p = dir.path().join("training.svg");
    line_chart(&p, &[loss, r2], &ChartText::new("Training", "epoch", "value")).unwrap();
    assert!(std::fs::read_to_string(&p).unwrap().contains("epoch"));

    let (x, y) = (noise(3000, 5), noise(3000, 6));
    let p = dir.path().join("latent_hist.png");
    histogram(
        &p,
        &[
            HistSeries { name: "mu", values: &x },
            HistSeries {
                name: "logvar",
                values: &y,
            },
        ],
        30,
        &ChartText::new("mu", "z", ""),
    )
    .unwrap();
    check_png(&p, (800, 500));

    let pts = Array2::from_shape_fn((3000, 2), |(i, j)| if j == 0 { x[i] } else { y[i] });
    let classes: Vec<usize> = (0..3000).map(|i| i % 10).collect();
    let p = dir.path().join("latent.png");
    latent_scatter(&p, pts.view(), &classes, Some((0.2, 0.3)), "MNIST latent").unwrap();
    let img = check_png(&p, (400, 400));
    assert!(img.pixels().any(|px| px.0 == [255, 0, 0]), "marked red cross missing");

    let digit: Vec<f64> = (0..784)
        .map(|i| if (i / 28 + i % 28) % 9 < 3 { 1.0 } else { 0.0 })
        .collect();
    let p = dir.path().join("digits.png");
    image_grid(
        &p,
        &[digit.clone(), digit.clone(), digit],
        (28, 28),
        2,
        4,
        &["a".into(), "b".into(), "c".into()],
    )
    .unwrap();
    let img = check_png(&p, (200, 200));
    assert_eq!(img.dimensions(), (2 * (112 + 8) + 8, 2 * (112 + 8 + 22) + 8));
    assert!(image_grid(&p, &[vec![0.0; 10]], (28, 28), 1, 1, &[]).is_err());

    let field: Vec<f64> = (0..50 * 40)
        .map(|k| ((k % 50) as f64 - 25.0).hypot((k / 50) as f64 - 20.0))
        .collect();
    let p = dir.path().join("grad.png");
    heat_field(
        &p,
        &field,
        (50, 40),
        (-3.0, 3.0),
        (-2.0, 2.0),
        Colormap::Magma,
        "|grad|",
        Some((0.0, 0.0)),
        &ChartText::new("Gradient", "z1", "z2"),
    )
    .unwrap();
    let img = check_png(&p, (700, 600));
    assert!(
        img.pixels().any(|px| px.0 == rgb(Colormap::Magma.color(0.0)))
            || img.pixels().any(|px| px.0[0] < 20 && px.0[2] < 40)
    );
    assert!(
        heat_field(
            &p,
            &field,
            (10, 10),
            (0.0, 1.0),
            (0.0, 1.0),
            Colormap::Magma,
            "",
            None,
            &ChartText::default()
        )
        .is_err()
    );
    no_temp_files(dir.path());
}

/// A 0.1-degree world (1800 x 3600 cells) on a 720 x 360 map: 5 x 5 cells per pixel. Inside
/// each pixel the labels alternate (a checkerboard of two clusters that changes from pixel to
/// pixel), so every pixel must show the label of 13 of its 25 cells, and the variable map the
/// mean of its 25 values.
#[test]
fn maps_finer_than_pixels_show_the_majority_and_the_mean() {
    let dir = tempfile::tempdir().unwrap();
    let grid = GridGeometry::regular(1800, 3600, 89.95, -179.95, 0.1);
    let block_labels = |bx: usize, by: usize| {
        let a = (bx + 2 * by) % 4;
        (a, (a + 1) % 4)
    };
    let label_of = |row: usize, col: usize| {
        let (a, b) = block_labels(col / 5, row / 5);
        if (row + col).is_multiple_of(2) { a } else { b }
    };
    let value_of = |row: usize, col: usize| ((row * 7 + col * 3) % 11) as f64 / 10.0;
    let mut cells = Vec::with_capacity(grid.len());
    for row in 0..grid.n_rows {
        for col in 0..grid.n_cols {
            cells.push(Cell {
                row,
                col,
                lat: 89.95 - row as f64 * 0.1,
                lon: -179.95 + col as f64 * 0.1,
            });
        }
    }
    let labels: Vec<usize> = cells.iter().map(|c| label_of(c.row, c.col)).collect();
    let values: Vec<f64> = cells.iter().map(|c| value_of(c.row, c.col)).collect();
    let opts = MapOptions {
        plot_size: 720,
        coastlines: Coastlines::None,
        value_range: Some((0.0, 1.0)),
        ..MapOptions::default()
    };
    let (pc, pv) = (dir.path().join("clusters.png"), dir.path().join("values.png"));
    cluster_map(&pc, &grid, &cells, &labels, &[], "checkerboard", &opts).unwrap();
    variable_map(&pv, &grid, &cells, &values, "mean", "u", Colormap::Viridis, &opts).unwrap();
    let (ic, iv) = (load(&pc), load(&pv));
    let lc = MapLayout::new(&opts, MapKind::Cluster);
    let lv = MapLayout::new(&opts, MapKind::Variable);
    assert_eq!((lc.plot_width, lc.plot_height), (720, 360));
    for py in (0..360).step_by(7) {
        for px in (0..720).step_by(5) {
            let mut counts = [0usize; 4];
            let mut sum = 0.0;
            for row in py * 5..py * 5 + 5 {
                for col in px * 5..px * 5 + 5 {
                    counts[label_of(row, col)] += 1;
                    sum += value_of(row, col);
                }
            }
            let majority = (0..4).max_by_key(|&l| (counts[l], std::cmp::Reverse(l))).unwrap();
            assert_eq!(counts[majority], 13);
            let at = (lc.plot_left + px as u32, lc.plot_top + py as u32);
            assert_eq!(pixel(&ic, at), rgb(cluster_color(majority)), "pixel {px}, {py}");
            let at = (lv.plot_left + px as u32, lv.plot_top + py as u32);
            assert_eq!(
                pixel(&iv, at),
                rgb(Colormap::Viridis.color(sum / 25.0)),
                "pixel {px}, {py}"
            );
        }
    }
}
