//! HTML rendering of a [`Report`]: one document with every resource inline.

use super::encode::{base64, data_uri, escape_html, json_for_script};
use super::map::background_jpeg;
use super::{Figure, FigureSource, MapData, Report, ReportError, Section, Table};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const STYLE: &str = include_str!("../../assets/report/report.css");
const VIEWER: &str = include_str!("../../assets/report/map_viewer.js");

/// No network at all: everything the page shows is inline or a data URI, and the browser is told
/// to refuse anything else, so an accidental external reference fails loudly instead of leaking.
const CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; \
                   script-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'";

/// Collects errors and CSP violations before any other script runs; the self-test reports them.
const ERROR_TRAP: &str = "window.__reportErrors=[];\
window.addEventListener('error',function(e){window.__reportErrors.push('error: '+(e.message||e.type))});\
window.addEventListener('unhandledrejection',function(e){window.__reportErrors.push('unhandled rejection: '+e.reason)});\
document.addEventListener('securitypolicyviolation',function(e){window.__reportErrors.push('blocked by CSP: '+e.blockedURI)});\
(function(){var original=console.error;console.error=function(){window.__reportErrors.push(Array.prototype.join.call(arguments,' '));return original.apply(console,arguments)}})();";

/// The whole document.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let mut page = String::with_capacity(1 << 20);
    let title = escape_html(&report.title);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"landclust {}\">\n<title>{title}</title>\n\
         <script>{ERROR_TRAP}</script>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = write!(page, "<header>\n<h1>{title}</h1>\n");
    if !report.subtitle.is_empty() {
        let _ = writeln!(page, "<p class=\"subtitle\">{}</p>", escape_html(&report.subtitle));
    }
    page.push_str("</header>\n");
    push_contents(&mut page, report);
    page.push_str("<main>\n");
    push_key_values(&mut page, "settings", "Run settings", &report.settings);
    push_summary(&mut page, report)?;
    if let Some(map) = &report.map {
        push_map(&mut page, map)?;
    }
    let mut figure_number = 0;
    for (i, section) in report.sections.iter().enumerate() {
        push_section(&mut page, i, section, &mut figure_number)?;
    }
    page.push_str("</main>\n");
    push_footer(&mut page, report.map.is_some());
    if report.map.is_some() {
        let _ = write!(page, "<script>\n{VIEWER}</script>\n");
    }
    page.push_str("</body>\n</html>\n");
    Ok(page)
}

fn push_contents(page: &mut String, report: &Report) {
    page.push_str("<nav class=\"contents\"><ul>\n");
    let mut entries = vec![("settings".to_string(), "Run settings".to_string())];
    entries.push(("summary".to_string(), "Data summary".to_string()));
    if report.map.is_some() {
        entries.push(("map".to_string(), "Interactive map".to_string()));
    }
    for (i, section) in report.sections.iter().enumerate() {
        entries.push((section_id(i), section.title.clone()));
    }
    for (id, label) in entries {
        let _ = writeln!(page, "<li><a href=\"#{id}\">{}</a></li>", escape_html(&label));
    }
    page.push_str("</ul></nav>\n");
}

fn section_id(index: usize) -> String {
    format!("section-{}", index + 1)
}

fn push_key_values(page: &mut String, id: &str, title: &str, pairs: &[(String, String)]) {
    let _ = write!(page, "<section id=\"{id}\">\n<h2>{}</h2>\n", escape_html(title));
    push_pairs(page, pairs);
    page.push_str("</section>\n");
}

fn push_pairs(page: &mut String, pairs: &[(String, String)]) {
    if pairs.is_empty() {
        page.push_str("<p class=\"empty\">None recorded.</p>\n");
        return;
    }
    page.push_str("<table class=\"pairs\"><tbody>\n");
    for (name, value) in pairs {
        let _ = writeln!(
            page,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape_html(name),
            escape_html(value)
        );
    }
    page.push_str("</tbody></table>\n");
}

fn push_summary(page: &mut String, report: &Report) -> Result<(), ReportError> {
    page.push_str("<section id=\"summary\">\n<h2>Data summary</h2>\n");
    push_pairs(page, &report.summary);
    for table in &report.summary_tables {
        push_table(page, table)?;
    }
    page.push_str("</section>\n");
    Ok(())
}

fn push_section(
    page: &mut String,
    index: usize,
    section: &Section,
    figure_number: &mut usize,
) -> Result<(), ReportError> {
    let _ = write!(
        page,
        "<section id=\"{}\">\n<h2>{}</h2>\n",
        section_id(index),
        escape_html(&section.title)
    );
    for paragraph in section.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let _ = writeln!(page, "<p>{}</p>", escape_html(paragraph));
    }
    for figure in &section.figures {
        *figure_number += 1;
        push_figure(page, figure, *figure_number)?;
    }
    for table in &section.tables {
        push_table(page, table)?;
    }
    page.push_str("</section>\n");
    Ok(())
}

fn push_table(page: &mut String, table: &Table) -> Result<(), ReportError> {
    table.validate()?;
    page.push_str("<div class=\"table-wrap\"><table class=\"data\">\n");
    if !table.caption.is_empty() {
        let _ = writeln!(page, "<caption>{}</caption>", escape_html(&table.caption));
    }
    page.push_str("<thead><tr>");
    for name in &table.header {
        let _ = write!(page, "<th scope=\"col\">{}</th>", escape_html(name));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        page.push_str("<tr>");
        for cell in row {
            let class = if looks_numeric(cell) { " class=\"num\"" } else { "" };
            let _ = write!(page, "<td{class}>{}</td>", escape_html(cell));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody></table></div>\n");
    if !table.note.is_empty() {
        let _ = writeln!(page, "<p class=\"note\">{}</p>", escape_html(&table.note));
    }
    Ok(())
}

fn looks_numeric(cell: &str) -> bool {
    let cell = cell.trim();
    cell == "-" || cell.trim_end_matches('%').parse::<f64>().is_ok()
}

/// A figure's picture in a form that can be embedded.
enum Picture {
    Raster { media_type: &'static str, bytes: Vec<u8> },
    Svg(String),
}

fn push_figure(page: &mut String, figure: &Figure, number: usize) -> Result<(), ReportError> {
    let caption = escape_html(&figure.caption);
    let alt = if figure.caption.is_empty() {
        format!("Figure {number}")
    } else {
        caption.clone()
    };
    page.push_str("<figure>\n");
    match load_picture(&figure.source)? {
        Picture::Raster { media_type, bytes } => {
            let _ = writeln!(page, "<img src=\"{}\" alt=\"{alt}\">", data_uri(media_type, &bytes));
        }
        Picture::Svg(text) => push_svg(page, &text, &alt, &figure_source_name(&figure.source))?,
    }
    let _ = write!(
        page,
        "<figcaption><b>Figure {number}.</b> {caption}</figcaption>\n</figure>\n"
    );
    Ok(())
}

fn figure_source_name(source: &FigureSource) -> PathBuf {
    match source {
        FigureSource::File(path) => path.clone(),
        FigureSource::Png(_) => PathBuf::from("<PNG bytes>"),
        FigureSource::Jpeg(_) => PathBuf::from("<JPEG bytes>"),
        FigureSource::Svg(_) => PathBuf::from("<SVG text>"),
    }
}

fn load_picture(source: &FigureSource) -> Result<Picture, ReportError> {
    match source {
        FigureSource::Png(bytes) => checked_raster(Path::new("<PNG bytes>"), bytes.clone(), Some("image/png")),
        FigureSource::Jpeg(bytes) => checked_raster(Path::new("<JPEG bytes>"), bytes.clone(), Some("image/jpeg")),
        FigureSource::Svg(text) => Ok(Picture::Svg(text.clone())),
        FigureSource::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| ReportError::Figure {
                path: path.clone(),
                message: format!("cannot read: {e}"),
            })?;
            if media_type_of(&bytes).is_some() {
                return checked_raster(path, bytes, None);
            }
            match String::from_utf8(bytes) {
                Ok(text) if text.contains("<svg") => Ok(Picture::Svg(text)),
                _ => Err(ReportError::Figure {
                    path: path.clone(),
                    message: "not a PNG, JPEG or SVG file".to_string(),
                }),
            }
        }
    }
}

fn media_type_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Raster bytes whose signature matches what they claim to be (`expected`, when given).
fn checked_raster(path: &Path, bytes: Vec<u8>, expected: Option<&str>) -> Result<Picture, ReportError> {
    match (media_type_of(&bytes), expected) {
        (Some(found), Some(wanted)) if found != wanted => Err(ReportError::Figure {
            path: path.to_path_buf(),
            message: format!("bytes are {found}, expected {wanted}"),
        }),
        (Some(media_type), _) => Ok(Picture::Raster { media_type, bytes }),
        (None, _) => Err(ReportError::Figure {
            path: path.to_path_buf(),
            message: "not a PNG or JPEG (bad signature)".to_string(),
        }),
    }
}

/// Inline an SVG (text stays searchable and crisp). One that carries scripts or foreign HTML is
/// embedded as an `<img>` data URI instead, where browsers run neither.
fn push_svg(page: &mut String, text: &str, alt: &str, name: &Path) -> Result<(), ReportError> {
    let Some(start) = text.find("<svg") else {
        return Err(ReportError::Figure {
            path: name.to_path_buf(),
            message: "no <svg> element".to_string(),
        });
    };
    let lower = text.to_ascii_lowercase();
    if lower.contains("<script") || lower.contains("<foreignobject") {
        let _ = writeln!(
            page,
            "<img src=\"{}\" alt=\"{alt}\">",
            data_uri("image/svg+xml", text.as_bytes())
        );
    } else {
        let _ = writeln!(
            page,
            "<div class=\"svg\" role=\"img\" aria-label=\"{alt}\">{}</div>",
            text[start..].trim_end()
        );
    }
    Ok(())
}

fn push_map(page: &mut String, map: &MapData) -> Result<(), ReportError> {
    let encoded = map.encode()?;
    let json = json_for_script(&encoded.json);
    let background = data_uri("image/jpeg", background_jpeg()?);
    let layer = data_uri("image/png", &encoded.layer_png);
    page.push_str(MAP_MARKUP);
    let _ = write!(
        page,
        "<img id=\"map-bg\" alt=\"\" hidden src=\"{background}\">\n\
         <img id=\"map-layer\" alt=\"\" hidden src=\"{layer}\">\n\
         <script type=\"application/json\" id=\"map-data\">{json}</script>\n\
         <script type=\"application/octet-stream\" id=\"map-cells\">"
    );
    page.push_str(&base64(&encoded.hover));
    page.push_str("</script>\n</section>\n");
    Ok(())
}

/// Controls, canvas and tooltip of the map; the viewer script fills the legend.
const MAP_MARKUP: &str = r#"<section id="map">
<h2>Interactive map</h2>
<p class="hint">Drag to pan; wheel, double-click or + / &minus; to zoom (Shift + double-click zooms out); hover a cell for its values. Arrow keys pan when the map has focus. The map works offline.</p>
<div class="map-controls">
<label><input type="checkbox" id="map-clusters" checked> Cluster layer</label>
<label>Opacity <input type="range" id="map-opacity" min="0" max="1" step="0.05" value="0.6"> <output id="map-opacity-value">60%</output></label>
<label><input type="checkbox" id="map-graticule" checked> Graticule</label>
<span class="buttons"><button type="button" id="map-zoom-in" title="Zoom in">+</button><button type="button" id="map-zoom-out" title="Zoom out">&minus;</button><button type="button" id="map-reset">Reset view</button></span>
<span id="map-status" class="map-status"></span>
</div>
<div class="map-frame" id="map-frame"><canvas id="map-canvas" tabindex="0" aria-label="Zoomable map of the clusters over the Blue Marble"></canvas><div id="map-tooltip" class="map-tooltip" hidden></div></div>
<div id="map-legend" class="map-legend"></div>
<noscript><p class="note">The interactive map needs JavaScript.</p></noscript>
"#;

fn push_footer(page: &mut String, with_map: bool) {
    page.push_str("<footer>\n<p>Made by landclust ");
    page.push_str(env!("CARGO_PKG_VERSION"));
    page.push_str(". This file is self-contained: it makes no network request.</p>\n");
    if with_map {
        page.push_str(
            "<p>Map background: NASA Blue Marble (public domain), downscaled. Map viewer: landclust's own \
             script (MIT OR Apache-2.0), no third-party code.</p>\n",
        );
    }
    page.push_str("</footer>\n");
}
