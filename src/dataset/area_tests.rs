use super::*;

fn wgs84() -> Ellipsoid {
    crate::dataset::GeographicCrs::wgs84().ellipsoid
}

/// Gauss-Legendre nodes and weights on [-1, 1] by Newton's method on P_n (Golub-Welsch would
/// do as well; this is the textbook iteration, e.g. Numerical Recipes' gauleg).
fn gauss_legendre(n: usize) -> Vec<(f64, f64)> {
    (1..=n)
        .map(|i| {
            let mut x = (std::f64::consts::PI * (i as f64 - 0.25) / (n as f64 + 0.5)).cos();
            let mut dp = 0.0;
            for _ in 0..100 {
                let (mut p0, mut p1) = (1.0, x);
                for k in 2..=n {
                    let p2 = ((2 * k - 1) as f64 * x * p1 - (k - 1) as f64 * p0) / k as f64;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n as f64 * (x * p1 - p0) / (x * x - 1.0);
                let dx = p1 / dp;
                x -= dx;
                if dx.abs() < 1e-16 {
                    break;
                }
            }
            (x, 2.0 / ((1.0 - x * x) * dp * dp))
        })
        .collect()
}

/// The independent formula: the area element of the ellipsoid, `M(phi) N(phi) cos(phi) dphi
/// dlambda` (meridian and prime-vertical radii of curvature), integrated numerically over the
/// cell by 30-point Gauss-Legendre quadrature.
fn quadrature_area_km2(e: &Ellipsoid, lat1: f64, lat2: f64, dlon: f64) -> f64 {
    let a = e.semi_major_axis;
    let f = 1.0 / e.inverse_flattening;
    let e2 = f * (2.0 - f);
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (mid, half) = ((p1 + p2) / 2.0, (p2 - p1) / 2.0);
    let integral: f64 = gauss_legendre(30)
        .iter()
        .map(|&(x, w)| {
            let phi = mid + half * x;
            let s2 = phi.sin().powi(2);
            let m = a * (1.0 - e2) / (1.0 - e2 * s2).powf(1.5);
            let n = a / (1.0 - e2 * s2).sqrt();
            w * m * n * phi.cos()
        })
        .sum::<f64>()
        * half;
    integral * dlon.to_radians() * 1e-6
}

#[test]
fn a_full_one_degree_grid_covers_the_wgs84_surface() {
    let lat: Vec<f64> = (0..180).map(|i| 89.5 - i as f64).collect();
    let lon: Vec<f64> = (0..360).map(|j| -179.5 + j as f64).collect();
    let areas = CellAreas::new(&wgs84(), &lat, &lon);
    let mut total = 0.0;
    for i in 0..180 {
        for j in 0..360 {
            total += areas.of(i, j);
        }
    }
    let surface = ellipsoid_area_km2(&wgs84());
    assert!((total - surface).abs() / surface < 1e-12, "{total} vs {surface}");
    // The published WGS 84 surface, 510,065,622 km2 (to the km2).
    assert!((total - 510_065_622.0).abs() / 510_065_622.0 < 1e-9, "{total}");
}

#[test]
fn a_cell_equals_the_integral_of_the_area_element() {
    let e = wgs84();
    for (lat1, lat2, dlon) in [
        (0.0, 1.0, 1.0),
        (59.5, 60.5, 1.0),
        (-89.0, -90.0, 0.5),
        (45.0, 45.05, 0.05),
        (-10.0, 30.0, 7.0),
    ] {
        let got = band_area_km2(&e, lat1, lat2, dlon);
        let want = quadrature_area_km2(&e, lat1.min(lat2), lat1.max(lat2), dlon);
        assert!(
            (got - want).abs() / want < 1e-12,
            "{lat1}..{lat2} x {dlon}: {got} vs {want}"
        );
    }
    let clarke = Ellipsoid::from_epsg(7008).unwrap();
    let got = band_area_km2(&clarke, 20.0, 21.0, 1.0);
    let want = quadrature_area_km2(&clarke, 20.0, 21.0, 1.0);
    assert!((got - want).abs() / want < 1e-12, "Clarke 1866: {got} vs {want}");
}

#[test]
fn on_a_sphere_a_band_is_a_squared_times_the_difference_of_sines() {
    let sphere = Ellipsoid::from_parameters(6_371_000.0, 0.0);
    let got = band_area_km2(&sphere, 10.0, 20.0, 3.0);
    let a = 6371.0f64;
    let want = a * a * 3f64.to_radians() * (20f64.to_radians().sin() - 10f64.to_radians().sin());
    assert!((got - want).abs() / want < 1e-13, "{got} vs {want}");
}

#[test]
fn a_cell_at_sixty_degrees_is_about_half_one_at_the_equator() {
    let e = wgs84();
    let ratio = band_area_km2(&e, 59.5, 60.5, 1.0) / band_area_km2(&e, -0.5, 0.5, 1.0);
    // cos(60) = 0.5 on a sphere; on the ellipsoid both radii of curvature grow towards the
    // poles, M N by (1 - e^2 sin^2 phi)^-2, about 1 + 1.5 e^2 = 1.010 at 60 degrees.
    let e2 = 0.00669437999014;
    let want = 0.5 * (1.0 - e2 * 0.75f64).powi(-2);
    assert!((ratio - want).abs() < 1e-4, "{ratio} vs {want}");
}

#[test]
fn edges_are_halfway_and_single_rows_get_a_degree() {
    let areas = CellAreas::new(&wgs84(), &[10.0], &[5.0, 6.0, 8.0]);
    assert_eq!(areas.col_width_deg, vec![1.0, 1.5, 2.0]);
    assert!((areas.row_band_km2[0] - band_area_km2(&wgs84(), 9.5, 10.5, 360.0)).abs() < 1e-6);
}

#[test]
fn a_utm_cell_on_the_central_meridian_is_its_map_area_over_k0_squared() {
    use crate::dataset::crs_projected::ProjectedCrs;
    // UTM zone 33N: on the central meridian (x = 500 km) the scale factor is k0 = 0.9996, so a
    // 1 km map cell covers 1 / 0.9996^2 km2 on the ellipsoid (to the scale's change across the
    // cell, ~1e-9 relative at +-500 m).
    let mut grid = Grid::regular(3, 3, 5_001_000.0, 499_000.0, 1000.0);
    grid.projection = Some(ProjectedCrs::from_epsg(32633).unwrap());
    let cell = Cell {
        row: 1,
        col: 1,
        lat: f64::NAN,
        lon: f64::NAN,
    };
    let got = cell_areas_km2(&grid, &[cell])[0];
    let want = 1.0 / (0.9996f64 * 0.9996);
    assert!((got - want).abs() / want < 1e-8, "{got} vs {want}");
    // Off the central meridian the map exaggerates areas by k^2 > k0^2: 300 km east, k is about
    // k0 (1 + x^2 / (2 R^2)), so the true area is smaller than at the meridian.
    let mut east = Grid::regular(3, 3, 5_001_000.0, 799_000.0, 1000.0);
    east.projection = grid.projection.clone();
    let off = cell_areas_km2(&east, &[cell])[0];
    let r = 6_371.0f64;
    let k = 0.9996 * (1.0 + 300.0f64 * 300.0 / (2.0 * r * r));
    assert!((off - 1.0 / (k * k)).abs() / off < 2e-4, "{off} vs {}", 1.0 / (k * k));
}

#[test]
fn an_equal_area_cell_is_its_width_times_its_height() {
    use crate::dataset::crs_projected::ProjectedCrs;
    let mut grid = Grid::regular(2, 2, 1_000_000.0, 0.0, 25_000.0);
    grid.projection = Some(ProjectedCrs::from_epsg(6933).unwrap());
    let cell = Cell {
        row: 0,
        col: 1,
        lat: f64::NAN,
        lon: f64::NAN,
    };
    assert_eq!(cell_areas_km2(&grid, &[cell])[0], 625.0);
}

#[test]
fn the_area_lookup_gives_the_per_cell_areas() {
    use crate::dataset::crs_projected::ProjectedCrs;
    let cells: Vec<Cell> = (0..3)
        .flat_map(|row| {
            (0..4).map(move |col| Cell {
                row,
                col,
                lat: f64::NAN,
                lon: f64::NAN,
            })
        })
        .collect();
    let geographic = Grid::regular(3, 4, 60.0, -10.0, 0.5);
    let mut projected = Grid::regular(3, 4, 5_001_000.0, 499_000.0, 1000.0);
    projected.projection = Some(ProjectedCrs::from_epsg(32633).unwrap());
    for grid in [geographic, projected] {
        let lookup = CellAreaLookup::new(&grid, &cells);
        let per_cell = cell_areas_km2(&grid, &cells);
        let looked_up: Vec<f64> = cells.iter().enumerate().map(|(i, c)| lookup.km2(i, c)).collect();
        assert_eq!(looked_up, per_cell);
        assert!(per_cell.iter().all(|a| a.is_finite() && *a > 0.0));
    }
}
