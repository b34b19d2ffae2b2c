//! GDAL's private TIFF tags: GDAL_METADATA (42112), an XML list of items, and GDAL_NODATA
//! (42113), the no-data value as text. The XML has the form GDAL writes
//! (`gcore/gdal_pam` / `frmts/gtiff`):
//!
//! ```xml
//! <GDALMetadata>
//!   <Item name="DESCRIPTION" sample="0" role="description">NDVI</Item>
//!   <Item name="SCALE" sample="0" role="scale">0.0001</Item>
//!   <Item name="OFFSET" sample="0" role="offset">0</Item>
//! </GDALMetadata>
//! ```
//!
//! Only `<Item>` elements are read (a hand parser: no XML crate for five attributes).

/// One `<Item>` of GDAL_METADATA.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Item {
    pub name: String,
    /// The band (0-based) the item belongs to; `None` for dataset items.
    pub sample: Option<usize>,
    pub role: Option<String>,
    pub value: String,
}

/// Per-band metadata GDAL stores.
#[derive(Debug, Clone, PartialEq)]
pub struct BandMeta {
    pub description: Option<String>,
    pub scale: f64,
    pub offset: f64,
    pub units: Option<String>,
}

impl Default for BandMeta {
    fn default() -> Self {
        BandMeta {
            description: None,
            scale: 1.0,
            offset: 0.0,
            units: None,
        }
    }
}

/// XML entities GDAL escapes.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Attribute `name="..."` (or single quotes) of an element's opening tag text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + name.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = value[1..].find(quote)?;
                return Some(unescape(&value[1..1 + end]));
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// The `<Item>` elements of a GDAL_METADATA document, in order; malformed items are skipped.
pub fn parse_items(xml: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<Item") {
        rest = &rest[start + 5..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        let self_closing = tag.ends_with('/');
        let value = if self_closing {
            String::new()
        } else {
            let body = &rest[close + 1..];
            match body.find("</Item>") {
                Some(end) => unescape(&body[..end]),
                None => break,
            }
        };
        items.push(Item {
            name: attribute(tag, "name").unwrap_or_default(),
            sample: attribute(tag, "sample").and_then(|s| s.trim().parse().ok()),
            role: attribute(tag, "role"),
            value,
        });
        rest = &rest[close..];
    }
    items
}

/// Band metadata for `n_bands` bands from GDAL_METADATA items (description, scale, offset, unit
/// type); bands without items get the defaults (no name, scale 1, offset 0).
pub fn band_meta(items: &[Item], n_bands: usize) -> Vec<BandMeta> {
    let mut bands = vec![BandMeta::default(); n_bands];
    for item in items {
        let Some(band) = item.sample.and_then(|s| bands.get_mut(s)) else {
            continue;
        };
        let text = item.value.trim();
        match item.role.as_deref() {
            Some("description") if !text.is_empty() => band.description = Some(text.to_string()),
            Some("scale") => band.scale = text.parse().unwrap_or(1.0),
            Some("offset") => band.offset = text.parse().unwrap_or(0.0),
            Some("unittype") if !text.is_empty() => band.units = Some(text.to_string()),
            _ => {}
        }
    }
    bands
}

/// The no-data value of a GDAL_NODATA text (`-9999`, `nan`, `1e+20`); `None` when it does not
/// parse.
pub fn parse_nodata(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches('\0').trim();
    match t.to_ascii_lowercase().as_str() {
        "nan" | "-nan" => Some(f64::NAN),
        "inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => t.parse().ok(),
    }
}

/// A GDAL_METADATA document with these band items (`(band, role, name, value)`).
pub fn write_items(items: &[(usize, &str, &str, String)]) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut xml = String::from("<GDALMetadata>\n");
    for (band, role, name, value) in items {
        xml.push_str(&format!(
            "  <Item name=\"{}\" sample=\"{band}\" role=\"{}\">{}</Item>\n",
            esc(name),
            esc(role),
            esc(value)
        ));
    }
    xml.push_str("</GDALMetadata>\n");
    xml
}

#[cfg(test)]
#[path = "metadata_tests.rs"]
mod tests;
