//! Time the map, chart and report drawing at 1, 0.1 or 0.05 degree on the shipped land mask and
//! Koppen-Geiger zones: a world cluster map, a world variable map, an Africa cluster map, the PC
//! density grid and cluster scatter (6 panels, 7 variables) and a report.html with the
//! interactive map. Prints wall time and the peak RSS so far (VmHWM) after each step.
//!
//! `cargo run --release --example plot_speed [OUT_DIR] [STEP_DEGREES] [LAT_LIMIT]` (STEP 1, 0.1
//! or 0.05; at 0.1 about 1.9 M cells are selected, 1.5 M with LAT_LIMIT 60; at 0.05 about 7.5 M).

use landclust::dataset::Cell;
use landclust::plot::{
    ClusterLegend, Colormap, GridGeometry, MapOptions, Region, cluster_map, density_scatter_grid, pc_scatter_clusters,
    variable_map,
};
use landclust::report::{MapData, MapVariable, Report};
use ndarray::Array2;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn read_grid(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Peak resident set size of this process so far, MiB (Linux; 0 elsewhere).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// A deterministic pseudo-random number in 0..1 from an index.
fn noise(i: usize, salt: u64) -> f64 {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let step: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1.0);
    // Only cells within this latitude (e.g. 60 for ~1.5 M cells at 0.1 degree).
    let lat_limit: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(90.0);
    std::fs::create_dir_all(&out)?;
    let per_degree = (1.0 / step).round() as usize;
    let (n_rows, n_cols) = (180 * per_degree, 360 * per_degree);
    let geometry = GridGeometry::regular(n_rows, n_cols, 90.0 - step / 2.0, -180.0 + step / 2.0, step);
    let land = read_grid("land_percentage_1deg_u8_180x360.bin");
    let zones = read_grid("koppen_geiger_1deg_u8_180x360.bin");
    // Koppen main groups A..E (codes 1-3, 4-7, 8-16, 17-28, 29-31) as 5 demo clusters.
    let group = |z: u8| match z {
        1..=3 => 0,
        4..=7 => 1,
        8..=16 => 2,
        17..=28 => 3,
        _ => 4,
    };
    let started = Instant::now();
    let mut cells = Vec::new();
    let mut labels = Vec::new();
    for row in 0..n_rows {
        for col in 0..n_cols {
            let parent = (row / per_degree) * 360 + col / per_degree;
            let lat = geometry.lat0_north - row as f64 * step;
            if land[parent] == 100 && zones[parent] > 0 && lat.abs() <= lat_limit {
                cells.push(Cell {
                    row,
                    col,
                    lat: geometry.lat0_north - row as f64 * step,
                    lon: geometry.lon0_west + col as f64 * step,
                });
                labels.push(group(zones[parent]));
            }
        }
    }
    let n = cells.len();
    // 7 variables: smooth in latitude / longitude, shifted by cluster, plus noise.
    let values = Array2::from_shape_fn((n, 7), |(i, v)| {
        let c = &cells[i];
        (c.lat.to_radians() * (v + 1) as f64).sin()
            + 0.3 * (c.lon.to_radians() * v as f64).cos()
            + 0.5 * labels[i] as f64
            + 0.3 * noise(i, v as u64)
    });
    println!(
        "{n} cells selected on a {n_rows} x {n_cols} grid ({step} degree), 7 variables; data made in {:.2} s, peak RSS {:.0} MiB",
        started.elapsed().as_secs_f64(),
        peak_rss_mib()
    );
    let legend: Vec<ClusterLegend> = ["tropical", "arid", "temperate", "continental", "polar"]
        .iter()
        .enumerate()
        .map(|(id, name)| ClusterLegend {
            id,
            size: labels.iter().filter(|&&l| l == id).count(),
            mean_ndvi: None,
            name: Some(name.to_string()),
        })
        .collect();
    let world = MapOptions::default();
    let africa = MapOptions {
        region: Region::parse("africa")?,
        plot_size: 900,
        ..MapOptions::default()
    };

    let time = |name: &str, f: &mut dyn FnMut() -> Result<(), Box<dyn std::error::Error>>| {
        let start = Instant::now();
        f()?;
        println!(
            "{name:<44} {:>9.1} ms   peak RSS {:>6.0} MiB",
            start.elapsed().as_secs_f64() * 1e3,
            peak_rss_mib()
        );
        Ok::<(), Box<dyn std::error::Error>>(())
    };
    let column0 = values.column(0).to_vec();
    time("cluster map, world (cold: decode JPEG)", &mut || {
        Ok(cluster_map(
            &out.join("speed_clusters_world.png"),
            &geometry,
            &cells,
            &labels,
            &legend,
            "Koppen groups",
            &world,
        )?)
    })?;
    time("cluster map, world (warm)", &mut || {
        Ok(cluster_map(
            &out.join("speed_clusters_world.png"),
            &geometry,
            &cells,
            &labels,
            &legend,
            "Koppen groups",
            &world,
        )?)
    })?;
    time("variable map, world (warm)", &mut || {
        Ok(variable_map(
            &out.join("speed_variable_world.png"),
            &geometry,
            &cells,
            &column0,
            "variable 0",
            "1",
            Colormap::Viridis,
            &world,
        )?)
    })?;
    time("cluster map, Africa 900 px (new region)", &mut || {
        Ok(cluster_map(
            &out.join("speed_clusters_africa.png"),
            &geometry,
            &cells,
            &labels,
            &legend,
            "Africa",
            &africa,
        )?)
    })?;
    time("density grid, 6 panels of 7 variables", &mut || {
        Ok(density_scatter_grid(
            &out.join("speed_density.png"),
            values.view(),
            6,
            200,
            "density",
        )?)
    })?;
    time("cluster scatter, 2 panels", &mut || {
        Ok(pc_scatter_clusters(
            &out.join("speed_pc_clusters.png"),
            values.view(),
            &labels,
            2,
            "clusters",
        )?)
    })?;
    let report_path = out.join("speed_report.html");
    time("report.html with the interactive map", &mut || {
        let map = MapData {
            geometry,
            cells: cells.iter().map(|c| (c.row, c.col)).collect(),
            clusters: labels.clone(),
            cluster_colors: (0..5)
                .map(|c| {
                    let col = landclust::plot::cluster_color(c);
                    [col.0, col.1, col.2]
                })
                .collect(),
            cluster_names: Vec::new(),
            variables: (0..7)
                .map(|v| MapVariable {
                    name: format!("var{v}"),
                    units: "1".into(),
                    values: values.column(v).to_vec(),
                })
                .collect(),
        };
        let mut report = Report::new("plot_speed");
        report.map = Some(map);
        report.write(&report_path)?;
        Ok(())
    })?;
    let size = std::fs::metadata(&report_path)?.len();
    println!("report.html: {:.1} MB ({size} bytes)", size as f64 / 1e6);
    println!("wrote {}", out.display());
    Ok(())
}
