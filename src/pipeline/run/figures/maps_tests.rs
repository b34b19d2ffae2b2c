use super::{mapped, sanitize};

#[test]
fn a_monthly_series_is_mapped_in_january_and_july() {
    let mut names: Vec<String> = (0..12).map(|m| format!("NDVI[{m}]")).collect();
    names.push("LandPercentage".into());
    names.push("AOD[3]".into());
    names.push("AOD[5]".into());
    // NDVI[0], NDVI[6], every plain variable, and both entries of a 2-entry series.
    assert_eq!(mapped(&names), vec![0, 6, 12, 13, 14]);
}

#[test]
fn file_names_are_safe() {
    assert_eq!(sanitize("NDVI[6]"), "NDVI_6");
    assert_eq!(sanitize("AOD565:mean"), "AOD565_mean");
    assert_eq!(sanitize("DHR1020"), "DHR1020");
}
