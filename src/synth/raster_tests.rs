use super::*;

fn res(deg: f64) -> Resolution {
    Resolution::new(deg).unwrap()
}

#[test]
fn a_square_covers_its_cells_and_half_of_the_border_cells() {
    // the square 10..20 E x 0..10 N, closed ring in one arc
    let ring = vec![vec![(10.0, 0.0), (20.0, 0.0), (20.0, 10.0), (10.0, 10.0), (10.0, 0.0)]];
    let mask = LandMask::from_rings(&ring);
    let r = res(1.0);
    let mut out = vec![0u16; 360];
    let mut xs = Vec::new();
    mask.row_counts(r, 4, 85, &mut out, &mut xs); // row 85: 4..5 N
    let land: Vec<usize> = (0..360).filter(|&j| out[j] > 0).collect();
    assert_eq!(land, (190..200).collect::<Vec<_>>());
    assert!(land.iter().all(|&j| out[j] == 16));
    mask.row_counts(r, 4, 95, &mut out, &mut xs); // 5..4 S: none
    assert!(out.iter().all(|&c| c == 0));
    // a half-covered cell: the square 10.5..11 shifted by half a cell
    let half = vec![vec![(10.5, 0.0), (11.0, 0.0), (11.0, 1.0), (10.5, 1.0), (10.5, 0.0)]];
    LandMask::from_rings(&half).row_counts(r, 4, 89, &mut out, &mut xs);
    assert_eq!(out[190], 8);
}

#[test]
fn a_ring_across_the_antimeridian_is_land_on_both_sides() {
    // 175 E .. 175 W (= 185 E) x 60..65 N, crossing 180 twice
    let ring = vec![vec![
        (175.0, 60.0),
        (-175.0, 60.0),
        (-175.0, 65.0),
        (175.0, 65.0),
        (175.0, 60.0),
    ]];
    let mask = LandMask::from_rings(&ring);
    let mut out = vec![0u16; 360];
    mask.row_counts(res(1.0), 4, 27, &mut out, &mut Vec::new()); // 62..63 N
    let land: Vec<usize> = (0..360).filter(|&j| out[j] == 16).collect();
    let expected: Vec<usize> = (0..5).chain(355..360).collect();
    assert_eq!(land, expected);
    assert_eq!(out.iter().filter(|&&c| c > 0).count(), 10);
}

#[test]
fn natural_earth_land_is_about_29_percent_of_the_globe() {
    let mask = LandMask::natural_earth_50m().unwrap();
    let r = res(1.0);
    let mut out = vec![0u16; 360];
    let mut xs = Vec::new();
    let (mut land, mut total) = (0.0, 0.0);
    for i in 0..180 {
        mask.row_counts(r, 4, i, &mut out, &mut xs);
        let w = r.row_lat(i).to_radians().cos();
        land += w * out.iter().map(|&c| f64::from(c)).sum::<f64>() / 16.0;
        total += w * 360.0;
    }
    let share = land / total;
    assert!((0.27..0.31).contains(&share), "land share {share}");
    // spot checks: Sahara land, mid-Pacific sea, South Pole land
    let mut at = |lat: f64, lon: f64| {
        let i = ((90.0 - lat) as usize).min(179);
        mask.row_counts(r, 4, i, &mut out, &mut Vec::new());
        out[((lon + 180.0) as usize).min(359)]
    };
    assert_eq!(at(23.5, 10.5), 16);
    assert_eq!(at(-30.5, -120.5), 0);
    assert_eq!(at(-88.5, 10.5), 16);
    assert_eq!(at(68.5, 179.5), 16, "Chukotka, next to the antimeridian");
}

#[test]
fn natural_earth_agrees_with_the_globe_land_grid_cell_by_cell() {
    // the 1-degree GLOBE land percentage shipped with the demo vs the 50m polygons on 1 degree
    let globe = crate::synth::LAND_PERCENTAGE_U8;
    let mask = LandMask::natural_earth_50m().unwrap();
    let r = res(1.0);
    let (mut out, mut xs) = (vec![0u16; 360], Vec::new());
    let (mut abs_diff, mut disagree) = (0.0, 0usize);
    for i in 0..180 {
        mask.row_counts(r, 16, i, &mut out, &mut xs);
        for j in 0..360 {
            let ne = f64::from(out[j]) / 256.0 * 100.0;
            let g = f64::from(globe[i * 360 + j].min(100));
            abs_diff += (ne - g).abs();
            disagree += usize::from((ne - g).abs() > 50.0);
        }
    }
    let mean = abs_diff / 64800.0;
    assert!(mean < 3.0, "mean |NE - GLOBE| = {mean} %");
    assert!(disagree < 500, "{disagree} cells differ by more than 50 %");
}

/// Timing of the whole 0.05-degree raster (3600 x 7200 cells, 4 x 4 sub-samples), in parallel
/// over rows: `cargo test --release --lib raster_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn raster_speed_at_005_degree() {
    use rayon::prelude::*;
    let t0 = std::time::Instant::now();
    let mask = LandMask::natural_earth_50m().unwrap();
    let t1 = std::time::Instant::now();
    let r = res(0.05);
    let n_sub = subsamples(r);
    let land: u64 = (0..r.rows())
        .into_par_iter()
        .map(|i| {
            let mut out = vec![0u16; r.cols()];
            mask.row_counts(r, n_sub, i, &mut out, &mut Vec::new());
            out.iter().map(|&c| u64::from(c)).sum::<u64>()
        })
        .sum();
    let t2 = std::time::Instant::now();
    eprintln!(
        "decode + bucket {:.2} s, raster {:.2} s ({n_sub} x {n_sub} per cell, {} threads), land samples {land}",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        rayon::current_num_threads()
    );
}
