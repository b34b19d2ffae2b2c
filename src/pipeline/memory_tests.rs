use super::*;
use crate::pipeline::config::{KChoice, Method};

#[test]
fn a_mixture_plans_its_responsibilities_per_cell_at_the_largest_k() {
    let mut cfg = RunConfig::new("x.nc");
    cfg.max_memory = Some("1GB".parse().unwrap());
    let kmeans = plan(&cfg, 7, 0).per_cell;
    cfg.method = Method::Gmm;
    cfg.k = KChoice::Fixed(6);
    let gmm6 = plan(&cfg, 7, 0).per_cell;
    // 8 bytes per component and 24 for the assignment, with the plan's 25 % margin.
    assert_eq!(gmm6 - kmeans, (8 * 6 + 24) * 5 / 4);
    cfg.k = KChoice::Auto;
    cfg.k_max = 20;
    assert_eq!(plan(&cfg, 7, 0).per_cell - kmeans, (8 * 20 + 24) * 5 / 4);
}

#[test]
fn a_reader_gets_the_limit_less_the_fixed_bytes_and_at_least_the_floor() {
    assert_eq!(read_limits(1_000_000_000).memory, 1_000_000_000 - FIXED_BYTES);
    assert_eq!(read_limits(100_000_000).memory, READ_MEMORY_FLOOR);
}

#[test]
fn a_geotiff_input_adds_its_row_of_strips_to_the_fixed_bytes() {
    use crate::io::geotiff::writer::{GeoRaster, RasterData, write_geotiff};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.tif");
    // 300 x 500 u8: the writer's strips of about 64 kB hold 65536 / 300 = 218 rows.
    let raster = GeoRaster {
        width: 300,
        height: 500,
        west: -150.0,
        north: 50.0,
        dlon: 0.1,
        dlat: 0.1,
        data: RasterData::U8(vec![1; 300 * 500]),
        nodata: None,
        colormap: None,
        description: Some("v".into()),
    };
    write_geotiff(&path, &raster).unwrap();
    let mut cfg = RunConfig::new(&path);
    cfg.max_memory = Some("1GB".parse().unwrap());
    // The reader decodes one strip per thread at once: the plan counts that many rows.
    let on_threads = |threads: usize, cfg: &RunConfig, d: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| plan(cfg, d, 0).fixed)
    };
    assert_eq!(on_threads(1, &cfg, 1), FIXED_BYTES + 300 * 218);
    assert_eq!(on_threads(2, &cfg, 1), FIXED_BYTES + 2 * 300 * 218);
    // The same file as a NAME=FILE input, twice: two rows of strips, one thread.
    let composite = format!("a={},b={}", path.display(), path.display());
    let mut cfg = RunConfig::new(&composite);
    cfg.max_memory = Some("1GB".parse().unwrap());
    assert_eq!(on_threads(1, &cfg, 2), FIXED_BYTES + 2 * 300 * 218);
    // An input that is no GeoTIFF and no readable netCDF adds nothing.
    let mut cfg = RunConfig::new("x.nc");
    cfg.max_memory = Some("1GB".parse().unwrap());
    assert_eq!(plan(&cfg, 1, 0).fixed, FIXED_BYTES);
}
