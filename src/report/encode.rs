//! Text encodings the report needs: HTML escaping, base64 for data URIs, JSON safe inside a
//! `<script>` element, and compact number formatting.

use std::fmt::Write as _;

/// Escape text for HTML element content and double-quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Standard base64 (RFC 4648 section 4, `+/` alphabet, with padding), as data URIs require.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A data URI of `bytes` with the given media type.
pub fn data_uri(media_type: &str, bytes: &[u8]) -> String {
    format!("data:{media_type};base64,{}", base64(bytes))
}

/// Make serialized JSON safe inside `<script type="application/json">`: `<`, `>` and `&` can only
/// occur inside JSON strings, where their `\u` escapes mean the same, and `</script>` can no longer
/// close the element early.
pub fn json_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `x` rounded to `digits` significant digits, as the shortest decimal text that parses back to
/// that rounded value (`1234`, `0.01234`, `1.234e-7`); `None` for NaN or infinities.
pub fn compact_number(x: f64, digits: usize) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let digits = digits.max(1);
    // Rounding through scientific text is exact decimal rounding, unlike multiplying by 10^n.
    let rounded: f64 = format!("{:.*e}", digits - 1, x).parse().ok()?;
    let plain = format!("{rounded}");
    let exp = format!("{rounded:e}");
    Some(if exp.len() < plain.len() { exp } else { plain })
}

/// A number for a table cell: `digits` significant digits, thousands not grouped, `-` when
/// missing. Large and tiny magnitudes use scientific notation so columns stay narrow.
pub fn table_number(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() { "-".to_string() } else { format!("{x}") };
    }
    let digits = digits.max(1);
    let magnitude = if x == 0.0 { 0 } else { x.abs().log10().floor() as i32 };
    if !(-4..9).contains(&magnitude) {
        return format!("{:.*e}", digits - 1, x);
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let mut out = String::new();
    let _ = write!(out, "{x:.decimals$}");
    out
}

#[cfg(test)]
#[path = "encode_tests.rs"]
mod tests;
