use super::*;

#[test]
fn base64_matches_rfc4648_vectors() {
    let cases = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (input, expected) in cases {
        assert_eq!(base64(input.as_bytes()), expected, "input {input:?}");
    }
    assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
}

#[test]
fn escapes_markup() {
    assert_eq!(escape_html(r#"<b a="x">&'"#), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
}

#[test]
fn json_cannot_close_script() {
    let json = serde_json::to_string("</script><b>&").unwrap();
    let safe = json_for_script(&json);
    assert!(!safe.contains('<'));
    let back: String = serde_json::from_str(&safe).unwrap();
    assert_eq!(back, "</script><b>&");
}

#[test]
fn compact_numbers_round_to_significant_digits() {
    assert_eq!(compact_number(0.123456, 4).as_deref(), Some("0.1235"));
    assert_eq!(compact_number(1234.56, 4).as_deref(), Some("1235"));
    assert_eq!(compact_number(-0.000012346, 4).as_deref(), Some("-1.235e-5"));
    assert_eq!(compact_number(1.5e12, 4).as_deref(), Some("1.5e12"));
    assert_eq!(compact_number(0.0, 4).as_deref(), Some("0"));
    assert_eq!(compact_number(f64::NAN, 4), None);
    assert_eq!(compact_number(f64::INFINITY, 4), None);
}

#[test]
fn table_numbers_keep_significant_digits() {
    assert_eq!(table_number(0.123456, 4), "0.1235");
    assert_eq!(table_number(1234.56, 4), "1235");
    assert_eq!(table_number(12.0, 4), "12.00");
    assert_eq!(table_number(1.0e10, 3), "1.00e10");
    assert_eq!(table_number(f64::NAN, 4), "-");
}
