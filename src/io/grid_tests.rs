use super::*;

#[test]
fn closest_names_are_sorted_and_capped() {
    let names = ["NDVI", "DHR670", "DHR865", "DHR443", "LandPercentage"];
    assert_eq!(closest_names("ndvi", names), vec!["NDVI"]);
    assert_eq!(closest_names("DHR66", names), vec!["DHR670", "DHR865"]);
    assert_eq!(
        closest_names("ab0", ["ab1", "ab4", "ab2", "ab3"]),
        vec!["ab1", "ab2", "ab3"]
    );
    assert_eq!(closest_names("LandPercent", names), vec!["LandPercentage"]);
    assert!(closest_names("NDVJ", ["Edge"]).is_empty());
    assert!(closest_names("Temperature", names).is_empty());
}

#[test]
fn edit_distance_counts_characters_not_bytes() {
    // The distance behind `closest_names` (strsim's Levenshtein): one substituted character is
    // one edit even when it takes several bytes.
    assert_eq!(strsim::levenshtein("ndvi", "ndvi"), 0);
    assert_eq!(strsim::levenshtein("ndvj", "ndvi"), 1);
    assert_eq!(strsim::levenshtein("", "abc"), 3);
    assert_eq!(strsim::levenshtein("kitten", "sitting"), 3);
    assert_eq!(strsim::levenshtein("Tä", "Ta"), 1);
    assert_eq!(closest_names("Täa", ["Taa", "Tbb"]), vec!["Taa"]);
}

#[test]
fn file_segments_split_where_the_rotation_wraps() {
    assert_eq!(file_segments(&(0..3), 0, 10), vec![(0..3, 0)]);
    assert_eq!(file_segments(&(2..6), 5, 10), vec![(7..10, 0), (0..1, 3)]);
    assert!(file_segments(&(4..4), 5, 10).is_empty());
}

#[test]
fn a_0_360_south_first_grid_is_turned_north_first_in_minus_180_180() {
    let source = GridSource::OneD {
        lat_var: "lat".into(),
        lon_var: "lon".into(),
    };
    let g = oriented(&[-45.0, 45.0], &[0.0, 90.0, 180.0, 270.0], source, false);
    assert_eq!(g.lat, vec![45.0, -45.0]);
    assert_eq!(g.lon, vec![-180.0, -90.0, 0.0, 90.0]);
    assert!(g.orientation.lat_flipped);
    assert_eq!(g.orientation.lon_shift, 2);
}

fn paris_crs() -> GeographicCrs {
    let mut crs = GeographicCrs::wgs84();
    crs.prime_meridian = crate::dataset::crs::PrimeMeridian::from_longitude(2.33722917);
    crs
}

#[test]
fn a_paris_meridian_grid_moves_to_greenwich_and_turns_at_the_antimeridian() {
    let source = GridSource::OneD {
        lat_var: "lat".into(),
        lon_var: "lon".into(),
    };
    // Global, 90-degree cells, longitudes from Paris: -135, -45, 45, 135 (file order).
    let mut g = oriented(&[45.0, -45.0], &[-135.0, -45.0, 45.0, 135.0], source.clone(), false);
    set_crs(&mut g, Some(paris_crs()));
    assert_eq!(g.crs.as_ref().unwrap().prime_meridian.name, "Paris");
    let pm = 2.33722917;
    // 135 + pm stays under 180: no wrap, no turn.
    assert_eq!(g.lon, vec![-135.0 + pm, -45.0 + pm, 45.0 + pm, 135.0 + pm]);
    assert_eq!(g.orientation.lon_shift, 0);
    for (c, &lon) in g.lon.iter().enumerate() {
        assert!((file_longitude(&g, lon) - [-135.0, -45.0, 45.0, 135.0][c]).abs() < 1e-12);
    }
    // 1-degree centres -179.5..179.5 from Paris: the last two pass 180 and become the westernmost.
    let lon: Vec<f64> = (0..360).map(|c| -179.5 + c as f64).collect();
    let mut g = oriented(&[0.5], &lon, source.clone(), false);
    set_crs(&mut g, Some(paris_crs()));
    assert_eq!(g.orientation.lon_shift, 358);
    assert!((g.lon[0] - (178.5 + pm - 360.0)).abs() < 1e-12, "{}", g.lon[0]);
    assert!(g.lon.windows(2).all(|w| w[1] > w[0]));
    assert!(g.lon.iter().all(|l| (-180.0..180.0).contains(l)));
    // Grid column c reads file column (c + shift) % n, whose Paris longitude is lon - pm.
    for c in [0, 1, 2, 359] {
        let file_col = (c + g.orientation.lon_shift) % 360;
        assert!((g.lon[c] - pm - lon[file_col]).abs() < 1e-9 || (g.lon[c] - pm + 360.0 - lon[file_col]).abs() < 1e-9);
    }
    // A 0..360 file already turned by `oriented` keeps turning from where it was.
    let lon360: Vec<f64> = (0..360).map(|c| 0.5 + c as f64).collect();
    let mut g = oriented(&[0.5], &lon360, source.clone(), false);
    assert_eq!(g.orientation.lon_shift, 180);
    set_crs(&mut g, Some(paris_crs()));
    assert_eq!(g.orientation.lon_shift, 178);
    assert!(g.lon.windows(2).all(|w| w[1] > w[0]));
    // Greenwich (or no CRS) changes nothing.
    let mut g = oriented(&[0.5], &lon, source, false);
    let before = g.lon.clone();
    set_crs(&mut g, Some(GeographicCrs::wgs84()));
    assert_eq!((g.lon.clone(), g.orientation.lon_shift), (before, 0));
}
