use super::*;

fn parse(s: &str) -> VarSpec {
    s.parse().unwrap()
}

#[test]
fn parses_the_three_forms() {
    assert_eq!(parse("NDVI"), VarSpec::plain("NDVI"));
    assert_eq!(
        parse(" AOD565[3] "),
        VarSpec {
            name: "AOD565".into(),
            extra: Extra::Index(3)
        }
    );
    assert_eq!(
        parse("AOD565[ 11 ]"),
        VarSpec {
            name: "AOD565".into(),
            extra: Extra::Index(11)
        }
    );
    assert_eq!(
        parse("AOD565:mean"),
        VarSpec {
            name: "AOD565".into(),
            extra: Extra::Reduce(Reduction::Mean)
        }
    );
    assert_eq!(parse("x:median").extra, Extra::Reduce(Reduction::Median));
    assert_eq!(parse("x:min").extra, Extra::Reduce(Reduction::Min));
    assert_eq!(parse("x:max").extra, Extra::Reduce(Reduction::Max));
    assert_eq!(parse("NDVI[ * ]").extra, Extra::All);
}

#[test]
fn display_round_trips() {
    for s in ["NDVI", "AOD565[3]", "AOD565:mean", "SSA:median", "NDVI[*]"] {
        assert_eq!(parse(s).to_string(), s);
        assert_eq!(parse(&parse(s).to_string()), parse(s));
    }
}

#[test]
fn rejects_malformed_specs_with_a_reason() {
    let cases = [
        ("AOD[-1]", "whole number"),
        ("AOD[x]", "whole number"),
        ("AOD[]", "whole number"),
        ("AOD]", "without `[`"),
        ("AOD:sum", "unknown reduction `sum`"),
        ("[3]", "name is empty"),
        (":mean", "name is empty"),
        ("", "name is empty"),
        ("A[1][2]", "misplaced"),
    ];
    for (spec, reason) in cases {
        let e = spec.parse::<VarSpec>().unwrap_err().to_string();
        assert!(e.contains(reason), "{spec}: {e}");
        assert!(e.contains(&format!("`{spec}`")), "{spec}: {e}");
        assert!(e.contains("NAME[INDEX]"), "{e}");
    }
}

#[test]
fn reductions_skip_nan() {
    let v = [3.0, f64::NAN, 1.0, 2.0, 10.0];
    assert_eq!(Reduction::Mean.apply(&v), 4.0);
    assert_eq!(Reduction::Min.apply(&v), 1.0);
    assert_eq!(Reduction::Max.apply(&v), 10.0);
    assert_eq!(Reduction::Median.apply(&v), 2.5);
    assert_eq!(Reduction::Median.apply(&[5.0, f64::NAN, 1.0]), 3.0);
    assert_eq!(Reduction::Median.apply(&[5.0, 4.0, 1.0]), 4.0);
    assert!(Reduction::Mean.apply(&[f64::NAN, f64::NAN]).is_nan());
    assert!(Reduction::Max.apply(&[]).is_nan());
}
