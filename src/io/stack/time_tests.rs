use super::*;

#[test]
fn civil_dates_round_trip() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    assert_eq!(days_from_civil(1900, 1, 1), -25_567);
    for d in [-800_000i64, -25_567, -1, 0, 59, 11_016, 18_262, 2_932_896] {
        let (y, m, dd) = civil_from_days(d);
        assert_eq!(days_from_civil(y, m, dd), d);
    }
    assert_eq!(civil_from_days(18_321), (2020, 2, 29));
    assert_eq!(civil_from_days(18_322), (2020, 3, 1));
}

#[test]
fn cf_units_become_seconds_since_the_epoch() {
    let day = 86_400.0;
    assert_eq!(
        seconds_since_epoch(31.0, "days since 2020-01-01"),
        Some((18_262.0 + 31.0) * day)
    );
    // ERA5 (CDS netCDF 3): hours since 1900.
    assert_eq!(
        seconds_since_epoch(1_051_896.0, "hours since 1900-01-01 00:00:00.0"),
        Some(days_from_civil(2020, 1, 1) as f64 * day)
    );
    // ERA5 (CDS netCDF 4 `valid_time`): seconds since 1970 with a zone.
    assert_eq!(
        seconds_since_epoch(60.0, "seconds since 1970-01-01T00:00:00Z"),
        Some(60.0)
    );
    assert_eq!(
        seconds_since_epoch(0.0, "days since 2000-1-1 12:00 +02:00"),
        Some((10_957.0 + 0.5) * day - 7_200.0)
    );
    assert_eq!(seconds_since_epoch(1.0, "months since 2000-01-01"), None);
    assert_eq!(seconds_since_epoch(1.0, "days after 2000-01-01"), None);
    assert!(gregorian(None) && gregorian(Some("proleptic_gregorian")) && gregorian(Some("Standard")));
    assert!(!gregorian(Some("noleap")) && !gregorian(Some("360_day")));
}

#[test]
fn labels_are_dates_unless_a_time_has_hours() {
    let day = 86_400.0;
    assert_eq!(labels(&[18_262.0 * day, 18_293.0 * day]), ["2020-01-01", "2020-02-01"]);
    assert_eq!(
        labels(&[18_262.0 * day, 18_262.0 * day + 3_661.0]),
        ["2020-01-01T00:00:00", "2020-01-01T01:01:01"]
    );
}
