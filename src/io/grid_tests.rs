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
