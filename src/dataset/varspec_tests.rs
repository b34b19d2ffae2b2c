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

#[test]
fn long_values_are_echoed_shortened() {
    assert_eq!(echo("NDVI"), "NDVI");
    let long = "é".repeat(100);
    assert_eq!(echo(&long), format!("{}… (200 bytes)", "é".repeat(80)));
    let line = echo_line(
        &format!("option --k: '{}': expected a number", "x".repeat(500)),
        ECHO_MAX_CHARS,
    );
    assert_eq!(
        line,
        format!("option --k: '{}… (500 bytes)': expected a number", "x".repeat(80))
    );
    // Runs up to `keep` stay whole (paths in a final error line); the line is capped.
    let path = format!("/{}", "p".repeat(300));
    assert_eq!(echo_line(&path, 4096), path);
    let many = "word ".repeat(1000);
    assert!(echo_line(&many, ECHO_MAX_CHARS).chars().count() < LINE_MAX_CHARS + 30);
    let err = "x]".parse::<VarSpec>().unwrap_err().to_string();
    assert!(err.starts_with("variable spec `x]`"), "{err}");
    let err = format!("{}]", "y".repeat(1000))
        .parse::<VarSpec>()
        .unwrap_err()
        .to_string();
    assert!(err.contains("… (1001 bytes)`"), "{err}");
}
