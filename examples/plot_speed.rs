//! Time a full-world cluster map and variable map (1440 x 720 map area, 64,800 cells) on the
//! shipped land mask and Koppen-Geiger zones.
//!
//! `cargo run --release --example plot_speed [OUT_DIR]`

use landclust::dataset::Grid;
use landclust::plot::{ClusterLegend, Colormap, MapOptions, Region, cluster_map, variable_map};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn read_grid(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&out)?;
    let grid = Grid::regular(180, 360, 89.5, -179.5, 1.0);
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
    let labels: Vec<Option<usize>> = (0..grid.len())
        .map(|i| (land[i] == 100 && zones[i] > 0).then(|| group(zones[i])))
        .collect();
    let legend: Vec<ClusterLegend> = ["tropical", "arid", "temperate", "continental", "polar"]
        .iter()
        .enumerate()
        .map(|(id, name)| ClusterLegend {
            id,
            size: labels.iter().filter(|l| **l == Some(id)).count(),
            mean_ndvi: None,
            name: Some(name.to_string()),
        })
        .collect();
    let values: Vec<f64> = (0..grid.len())
        .map(|i| if land[i] == 100 { grid.lat[i].abs() } else { f64::NAN })
        .collect();
    let world = MapOptions::default();
    let africa = MapOptions {
        region: Region::parse("africa")?,
        plot_size: 900,
        ..MapOptions::default()
    };

    let time = |name: &str,
                f: &mut dyn FnMut() -> Result<(), landclust::plot::PlotError>|
     -> Result<(), Box<dyn std::error::Error>> {
        let start = Instant::now();
        f()?;
        println!("{name:<40} {:>8.1} ms", start.elapsed().as_secs_f64() * 1e3);
        Ok(())
    };
    let cluster_png = out.join("speed_clusters_world.png");
    let variable_png = out.join("speed_abs_lat_world.png");
    let africa_png = out.join("speed_clusters_africa.png");
    time("cluster map, world (cold: decode JPEG)", &mut || {
        cluster_map(&cluster_png, &grid, &labels, &legend, "Koppen groups", &world)
    })?;
    time("cluster map, world (warm)", &mut || {
        cluster_map(&cluster_png, &grid, &labels, &legend, "Koppen groups", &world)
    })?;
    time("variable map, world (warm)", &mut || {
        variable_map(
            &variable_png,
            &grid,
            &values,
            "|latitude| on land",
            "degrees",
            Colormap::Viridis,
            &world,
        )
    })?;
    time("cluster map, Africa 900 px (new region)", &mut || {
        cluster_map(&africa_png, &grid, &labels, &legend, "Africa", &africa)
    })?;
    println!("wrote {}", out.display());
    Ok(())
}
