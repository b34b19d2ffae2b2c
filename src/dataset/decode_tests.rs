use super::*;

#[test]
fn items_parse_into_typed_overrides() {
    let o = DecodeOverrides::parse_all(&["fAPAR:scale=1e-4,nodata=-999", "LST: offset=-273.15 & units=degC"]).unwrap();
    let f = o.get("fAPAR").unwrap();
    assert_eq!((f.scale, f.nodata, f.offset), (Some(1e-4), Some(-999.0), None));
    let l = o.get("LST").unwrap();
    assert_eq!((l.offset, l.units.as_deref()), (Some(-273.15), Some("degC")));
    assert_eq!(f.describe(), "scale 0.0001, nodata -999");
    let v = DecodeOverrides::parse_all(&["A:valid_min=0,valid-max=1"]).unwrap();
    let a = v.get("A").unwrap();
    assert!(a.out_of_range(1.5) && a.out_of_range(-0.1) && !a.out_of_range(0.5));
}

#[test]
fn malformed_items_are_one_line_errors_naming_them() {
    for (text, why) in [
        ("fAPAR", "no ':'"),
        (":scale=1", "name is empty"),
        ("fAPAR:", "no KEY=VALUE"),
        ("fAPAR:scale", "not KEY=VALUE"),
        ("fAPAR:scale=abc", "scale 'abc' is not a number"),
        ("fAPAR:gain=2", "unknown key 'gain'"),
        ("fAPAR:scale=0", "scale 0"),
        ("fAPAR:scale=1,scale=2", "given twice"),
        ("fAPAR:valid_min=2,valid_max=1", "above valid_max"),
    ] {
        let e = DecodeOverrides::parse_all(&[text]).unwrap_err().to_string();
        assert!(
            e.contains(why) && e.contains(&format!("'{text}'")) && !e.contains('\n'),
            "{text}: {e}"
        );
    }
    let e = DecodeOverrides::parse_all(&["A:scale=1", "A:offset=2"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("variable A is given twice"), "{e}");
}
