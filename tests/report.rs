//! report.html: self-contained (no network reference), escaped, complete, written atomically.
//!
//! `LANDCLUST_REPORT_DEMO=/path/report.html cargo test --test report` also writes the global
//! demo report there, for tests/browser/check_report.sh.

use landclust::plot::GridGeometry;
use landclust::report::{
    Figure, MapData, MapVariable, MethodScores, Report, ReportError, Section, Table, cluster_centres_table,
    decode_cells_with,
};
use std::path::Path;

const HOSTILE: &str = "<b>DHR865</b>&\"";

fn tiny_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(6, 4, |x, y| image::Rgb([(x * 40) as u8, (y * 60) as u8, 200]));
    let mut bytes = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

/// A 4 x 8 grid (45 x 45 degrees) with two clusters and two variables, one with a hostile name.
/// Cells whose grid index is a multiple of 5 are not selected.
fn small_map() -> MapData {
    let kept: Vec<usize> = (0..32).filter(|c| c % 5 != 0).collect();
    let clusters = kept.iter().map(|c| c % 2).collect();
    let ndvi = kept
        .iter()
        .map(|&c| if c == 3 { f64::NAN } else { 0.0123456 * c as f64 })
        .collect();
    let dhr = kept.iter().map(|&c| 1000.0 + c as f64 / 3.0).collect();
    MapData {
        geometry: GridGeometry::regular(4, 8, 67.5, -157.5, 45.0),
        cells: kept.iter().map(|c| (c / 8, c % 8)).collect(),
        clusters,
        cluster_colors: vec![[31, 119, 180], [255, 127, 14]],
        cluster_names: vec!["forest".into(), "desert <dry>".into()],
        variables: vec![
            MapVariable {
                name: "NDVI".into(),
                units: "".into(),
                values: ndvi,
            },
            MapVariable {
                name: HOSTILE.into(),
                units: "sr-1".into(),
                values: dhr,
            },
        ],
    }
}

fn small_report(figure_path: &Path) -> Report {
    let scores = Table::method_comparison(
        "Scores by method",
        &[
            MethodScores {
                method: "original".into(),
                space: "standardized, 7 variables".into(),
                silhouette: 0.31,
                davies_bouldin: 1.25,
                calinski_harabasz: 4321.0,
            },
            MethodScores {
                method: "PCA".into(),
                space: "PCA, 3 components".into(),
                silhouette: 0.42,
                davies_bouldin: 0.95,
                calinski_harabasz: 5432.1,
            },
            MethodScores {
                method: "VAE".into(),
                space: "VAE latent, 2 dimensions".into(),
                silhouette: 0.5,
                davies_bouldin: 0.8,
                calinski_harabasz: 6543.2,
            },
        ],
    );
    let centres = cluster_centres_table(
        "Cluster centres",
        &["forest".into(), "desert <dry>".into()],
        &[13, 12],
        &[("NDVI".into(), "".into()), (HOSTILE.into(), "sr-1".into())],
        &[vec![0.71, 1001.5], vec![0.12, 1004.25]],
    )
    .unwrap();
    let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><rect width="10" height="10" fill="red"/></svg>"#;
    Report {
        title: "Test report <v1>".into(),
        subtitle: "fake grid".into(),
        settings: vec![("k".into(), "2".into()), ("variables".into(), HOSTILE.into())],
        summary: vec![
            ("cells kept".into(), "25".into()),
            ("cells dropped (missing)".into(), "7".into()),
        ],
        summary_tables: vec![Table {
            caption: "Missing values per variable".into(),
            header: vec!["variable".into(), "missing".into()],
            rows: vec![vec!["NDVI".into(), "1".into()], vec![HOSTILE.into(), "0".into()]],
            note: String::new(),
        }],
        map: Some(small_map()),
        sections: vec![Section {
            title: "Clusters".into(),
            text: "First paragraph.\n\nSecond <paragraph>.".into(),
            figures: vec![
                Figure::file(figure_path, "A tiny PNG"),
                Figure::svg(svg, "A red square"),
            ],
            tables: vec![scores, centres],
        }],
    }
}

/// Standard base64 decoding, written here so the check does not reuse the code under test.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("bad base64 byte {c}"),
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let digits: Vec<u8> = chunk.iter().filter(|&&c| c != b'=').map(|&c| value(c)).collect();
        let n = digits
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..digits.len()]);
    }
    out
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let to = from + text[from..].find(end).unwrap();
    &text[from..to]
}

fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let pattern = format!(" {attribute}=\"");
    html.match_indices(&pattern)
        .map(|(i, _)| {
            let rest = &html[i + pattern.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Self-contained: every src is a data URI, every href an in-page anchor, no external script,
/// no http(s) URL anywhere except the SVG namespace (an identifier, never fetched), and a CSP
/// that forbids the browser any request.
fn assert_self_contained(html: &str) {
    for src in attribute_values(html, "src") {
        assert!(src.starts_with("data:"), "external src {:?}", &src[..src.len().min(80)]);
    }
    for href in attribute_values(html, "href") {
        assert!(href.starts_with('#'), "external href {href:?}");
    }
    assert!(!html.contains("<script src"), "external script");
    assert!(!html.contains("<link"), "linked resource");
    let stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !stripped.contains("http://") && !stripped.contains("https://"),
        "URL in the page"
    );
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
}

#[test]
fn small_report_is_self_contained_complete_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let png = tiny_png();
    let figure_path = dir.path().join("tiny.png");
    std::fs::write(&figure_path, &png).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let path = out.join("report.html");
    small_report(&figure_path).write(&path).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();

    assert_self_contained(&html);
    // The PNG is embedded byte for byte; the SVG is inline without its XML prolog.
    let embedded = between(&html, "<img src=\"data:image/png;base64,", "\"");
    assert_eq!(decode_base64(embedded), png);
    assert!(html.contains("<div class=\"svg\" role=\"img\" aria-label=\"A red square\"><svg "));
    assert!(!html.contains("<?xml"));
    // The map background is a JPEG data URI that decodes to the advertised size.
    let background = decode_base64(between(
        &html,
        "id=\"map-bg\" alt=\"\" hidden src=\"data:image/jpeg;base64,",
        "\"",
    ));
    let background = image::load_from_memory_with_format(&background, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((background.width(), background.height()), (2048, 1024));

    // Tables: the comparison of methods with its spaces, and the centres with units.
    for text in [
        "<th scope=\"col\">silhouette</th><th scope=\"col\">Davies-Bouldin</th><th scope=\"col\">Calinski-Harabasz</th>",
        "<td>PCA</td><td>PCA, 3 components</td><td class=\"num\">0.4200</td><td class=\"num\">0.9500</td><td class=\"num\">5432</td>",
        "<td>VAE</td><td>VAE latent, 2 dimensions</td>",
        "<th scope=\"col\">&lt;b&gt;DHR865&lt;/b&gt;&amp;&quot; (sr-1)</th>",
        "<td>desert &lt;dry&gt;</td><td class=\"num\">12</td><td class=\"num\">0.1200</td><td class=\"num\">1004</td>",
        "<caption>Missing values per variable</caption>",
        "<th scope=\"row\">cells dropped (missing)</th><td>7</td>",
        "<p>Second &lt;paragraph&gt;.</p>",
        "<title>Test report &lt;v1&gt;</title>",
        "<b>Figure 1.</b> A tiny PNG",
        "<b>Figure 2.</b> A red square",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    // No user text reaches the page unescaped, in markup or in the map's JSON.
    assert!(!html.contains("<b>DHR865") && !html.contains("<dry>") && !html.contains("<v1>"));
    let json = between(&html, "<script type=\"application/json\" id=\"map-data\">", "</script>");
    assert!(!json.contains('<'));
    let json: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(json["variables"][1]["name"], HOSTILE);
    assert_eq!(json["names"][1], "desert <dry>");
    assert_eq!(json["hoverCells"], 25);
    assert_eq!(json["counts"], serde_json::json!([12, 13]));
    assert_eq!(
        (json["latNorth"].as_f64(), json["lonWest"].as_f64()),
        (Some(90.0), Some(-180.0))
    );
    // The hover block: base64 of the binary encoding, decoded as the viewer does.
    let block = decode_base64(between(
        &html,
        "<script type=\"application/octet-stream\" id=\"map-cells\">",
        "</script>",
    ));
    let ranges: Vec<(f64, f64)> = (0..2)
        .map(|v| {
            let r = &json["variables"][v];
            (r["min"].as_f64().unwrap(), r["max"].as_f64().unwrap())
        })
        .collect();
    let cells = decode_cells_with(&block, Some(&ranges)).unwrap();
    assert_eq!(cells.len(), 25);
    assert!(cells.iter().all(|c| c.index % 5 != 0));
    let at = |index: u64| cells.iter().find(|c| c.index == index).unwrap();
    assert_eq!(at(3).values[0], None, "missing value");
    assert_eq!(at(7).cluster, 1);
    let ndvi7 = at(7).values[0].unwrap();
    assert!((ndvi7 - 0.0864192).abs() < 0.0123456 * 31.0 / 65534.0, "{ndvi7}");
    // The cluster layer is a grey-level PNG over the bounding box: cluster id + 1, 0 = empty.
    let layer = decode_base64(between(
        &html,
        "id=\"map-layer\" alt=\"\" hidden src=\"data:image/png;base64,",
        "\"",
    ));
    let layer = image::load_from_memory(&layer).unwrap().to_luma8();
    assert_eq!(layer.dimensions(), (8, 4));
    assert_eq!((layer.get_pixel(0, 0).0[0], layer.get_pixel(7, 0).0[0]), (0, 2));

    // The atomic write left only the report in its folder.
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.html"]);
}

#[test]
fn rewriting_replaces_the_file_and_leaves_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    std::fs::write(&path, "old").unwrap();
    let report = Report {
        title: "second".into(),
        ..Report::default()
    };
    report.write(&path).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("<title>second</title>"));
    assert!(!html.contains("map-canvas"), "no map section without map data");
    assert_self_contained(&html);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn bad_inputs_fail_with_a_named_error_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");

    let missing = dir.path().join("no_such_figure.png");
    let err = small_report(&missing).write(&path).unwrap_err();
    assert!(matches!(err, ReportError::Figure { .. }));
    assert!(err.to_string().contains("no_such_figure.png"), "{err}");

    let not_an_image = dir.path().join("figure.png");
    std::fs::write(&not_an_image, "plain text").unwrap();
    let err = small_report(&not_an_image).write(&path).unwrap_err();
    assert!(err.to_string().contains("not a PNG, JPEG or SVG file"), "{err}");

    let mut ragged = small_report(&missing);
    ragged.sections.clear();
    ragged.summary_tables[0].rows.push(vec!["only one cell".into()]);
    let err = ragged.write(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains("\"Missing values per variable\": row 2 has 1 cells"),
        "{err}"
    );

    let mut bad_map = small_report(&missing);
    bad_map.sections.clear();
    if let Some(map) = bad_map.map.as_mut() {
        map.clusters[0] = 7;
    }
    let err = bad_map.write(&path).unwrap_err();
    assert!(err.to_string().contains("cell 0 has cluster id 7"), "{err}");

    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the text figure file"
    );
}

/// The real 1-degree grid: land cells (LandPercentage == 100) clustered by Koppen-Geiger main
/// group (A, B, C, D, E), seven smooth fake variables over land.
fn global_map() -> MapData {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/data");
    let land = std::fs::read(root.join("land_percentage_1deg_u8_180x360.bin")).unwrap();
    let zones = std::fs::read(root.join("koppen_geiger_1deg_u8_180x360.bin")).unwrap();
    assert_eq!((land.len(), zones.len()), (64_800, 64_800));
    let group = |zone: u8| match zone {
        1..=4 => 0,
        5..=8 => 1,
        9..=17 => 2,
        18..=29 => 3,
        30..=31 => 4,
        _ => -1,
    };
    let kept: Vec<usize> = (0..64_800)
        .filter(|&c| land[c] == 100 && group(zones[c]) >= 0)
        .collect();
    let clusters: Vec<usize> = kept.iter().map(|&c| group(zones[c]) as usize).collect();
    let names = ["NDVI", "DHR443", "DHR490", "DHR565", "DHR670", "DHR865", "DHR1020"];
    let variables = names
        .iter()
        .enumerate()
        .map(|(v, name)| MapVariable {
            name: name.to_string(),
            units: if v == 0 { String::new() } else { "1".into() },
            values: kept
                .iter()
                .map(|&c| {
                    let (lat, lon) = (89.5 - (c / 360) as f64, -179.5 + (c % 360) as f64);
                    0.3 + 0.2 * (lat.to_radians() * (v + 1) as f64).cos() * (lon.to_radians()).sin()
                })
                .collect(),
        })
        .collect();
    MapData {
        geometry: GridGeometry::regular(180, 360, 89.5, -179.5, 1.0),
        cells: kept.iter().map(|c| (c / 360, c % 360)).collect(),
        clusters,
        cluster_colors: vec![
            [31, 119, 180],
            [255, 127, 14],
            [44, 160, 44],
            [214, 39, 40],
            [148, 103, 189],
        ],
        cluster_names: [
            "Tropical (A)",
            "Arid (B)",
            "Temperate (C)",
            "Continental (D)",
            "Polar (E)",
        ]
        .map(String::from)
        .to_vec(),
        variables,
    }
}

#[test]
fn global_report_stays_a_reasonable_size() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("tiny.png");
    std::fs::write(&png, tiny_png()).unwrap();
    let mut report = small_report(&png);
    report.title = "landclust report demo: Koppen-Geiger groups on the 1-degree land grid".into();
    report.map = Some(global_map());
    let html = report.render().unwrap();
    assert_self_contained(&html);
    let json = between(&html, "<script type=\"application/json\" id=\"map-data\">", "</script>");
    // The JSON is small; the selected cells' hover values are ~16 bytes a cell before base64.
    assert!(json.len() < 10_000, "map JSON {} bytes", json.len());
    assert!(html.len() < 6_000_000, "report {} bytes", html.len());
    if let Some(demo) = std::env::var_os("LANDCLUST_REPORT_DEMO") {
        report.write(Path::new(&demo)).unwrap();
    }
}
