//! The files of `landclust compare`: compare.json (runs, matching, scores, totals),
//! transitions.csv (the transition matrix in cells and km2), change.tif (the change codes as a
//! GeoTIFF in the runs' CRS), change.png (the change map over the Blue Marble) and report.html.

use super::compare_runs::{Comparison, Frame, RegridNote, RunInfo};
use crate::dataset::Cell;
use crate::error::Result;
use crate::io::geotiff::writer::{GeoRaster, RasterData, grid_geometry};
use crate::plot::{self, ClusterLegend, GridGeometry, MapOptions};
use crate::report::encode::table_number;
use crate::report::{Figure, Report, Section, Table};
use serde::Serialize;
use std::path::Path;

/// Transitions drawn with their own colour in change.png; the others share one.
pub const LEGEND_TRANSITIONS: u32 = 10;

/// Colour of the cells whose matched type is the same (code 0) in change.tif's palette.
const SAME_TYPE_COLOR: [u8; 3] = [0xd9, 0xd9, 0xd9];

/// What the outputs are made from.
pub struct Compared<'a> {
    pub a: &'a RunInfo,
    pub b: &'a RunInfo,
    pub frame: &'a Frame,
    pub comparison: &'a Comparison,
}

/// compare.json.
#[derive(Debug, Serialize)]
struct CompareJson<'a> {
    landclust_version: &'static str,
    command: &'static str,
    run_a: &'a RunInfo,
    run_b: &'a RunInfo,
    /// The grid the runs are compared on.
    grid: String,
    /// The ellipsoid the cell areas are computed on.
    ellipsoid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    regrid: Option<&'a RegridNote>,
    scores: &'a super::compare_runs::CompareScores,
    totals: &'a super::compare_runs::Totals,
    matching: &'a [super::compare_runs::MatchedPair],
    unmatched_a: &'a [u32],
    unmatched_b: &'a [u32],
    /// change.tif's codes: 0 the same type, N the N-th largest transition (transitions.csv's
    /// `change_code`), 255 (65535 in a 16-bit file) no cell in both runs.
    change_codes: ChangeCodes,
}

#[derive(Debug, Serialize)]
struct ChangeCodes {
    same_type: u32,
    nodata: u32,
    transitions: usize,
    /// Codes above this share one colour in change.png and change.tif's palette.
    legend_transitions: u32,
}

/// Write every file of the comparison into `dir`.
pub fn write_outputs(dir: &Path, c: &Compared) -> Result<()> {
    let cmp = c.comparison;
    let grid = &c.frame.grid;
    let n_codes = cmp.transitions.iter().filter(|t| !t.same_type).count();
    let rows = cmp.transitions.iter().map(|t| {
        vec![
            t.a.to_string(),
            t.b.to_string(),
            t.cells.to_string(),
            format!("{}", t.km2),
            t.same_type.to_string(),
            t.change_code.to_string(),
        ]
    });
    crate::io::tables::write_csv(
        &dir.join("transitions.csv"),
        &["a_cluster", "b_cluster", "cells", "km2", "same_type", "change_code"],
        rows,
    )?;
    let nodata = write_change_tif(dir, c)?;
    let ellipsoid = match &grid.projection {
        Some(p) => p.base.ellipsoid.name.clone(),
        None => grid.crs().ellipsoid.name,
    };
    let json = CompareJson {
        landclust_version: env!("CARGO_PKG_VERSION"),
        command: "compare",
        run_a: c.a,
        run_b: c.b,
        grid: super::compare_runs_grid::describe(grid),
        ellipsoid,
        regrid: c.frame.regrid.as_ref(),
        scores: &cmp.scores,
        totals: &cmp.totals,
        matching: &cmp.matching,
        unmatched_a: &cmp.unmatched_a,
        unmatched_b: &cmp.unmatched_b,
        change_codes: ChangeCodes {
            same_type: 0,
            nodata,
            transitions: n_codes,
            legend_transitions: LEGEND_TRANSITIONS,
        },
    };
    crate::io::tables::write_json(&dir.join("compare.json"), &json)?;
    let map = dir.join("change.png");
    let drawn = draw_change_map(&map, c)?;
    write_report(dir, c, drawn.then_some(map.as_path()))?;
    Ok(())
}

/// The colour of change code `code` (>= 1) in change.png and change.tif.
fn code_color(code: u32) -> [u8; 3] {
    plot::cluster_rgb(code.min(LEGEND_TRANSITIONS + 1) as usize)
}

/// change.tif: the change code of every cell of the frame (8-bit with a palette up to 254
/// codes, else 16-bit); returns its no-data value. On an irregular grid the file is skipped with
/// a note (compare.json and transitions.csv hold the result).
fn write_change_tif(dir: &Path, c: &Compared) -> Result<u32> {
    let path = dir.join("change.tif");
    let grid = &c.frame.grid;
    let change = &c.comparison.change;
    let max_code = change.iter().flatten().copied().max().unwrap_or(0);
    let (data, nodata, colormap) = if max_code < 255 {
        let data = change.iter().map(|v| v.map_or(255, |x| x as u8)).collect();
        let colors = (0..=max_code)
            .map(|code| if code == 0 { SAME_TYPE_COLOR } else { code_color(code) })
            .collect();
        (RasterData::U8(data), 255u32, Some(colors))
    } else {
        // Codes past 65534 (two runs of hundreds of clusters) share the last one.
        let data = change
            .iter()
            .map(|v| v.map_or(u16::MAX, |x| x.min(u32::from(u16::MAX) - 1) as u16))
            .collect();
        (RasterData::U16(data), u32::from(u16::MAX), None)
    };
    let (west, north, dlon, dlat) = match grid_geometry(grid) {
        Ok(g) => g,
        Err(m) => {
            crate::progress::note(format!("change.tif not written: {m}"));
            return Ok(nodata);
        }
    };
    let raster = GeoRaster {
        width: grid.n_cols,
        height: grid.n_rows,
        west,
        north,
        dlon,
        dlat,
        data,
        nodata: Some(f64::from(nodata)),
        colormap,
        description: Some("change".into()),
    };
    match &grid.projection {
        Some(p) => crate::io::geotiff::writer::write_geotiff_projected(&path, &raster, p)?,
        None => crate::io::geotiff::writer::write_geotiff_in(&path, &raster, &grid.crs())?,
    }
    Ok(nodata)
}

/// change.png: the cells whose matched type differs, coloured by transition (the
/// [`LEGEND_TRANSITIONS`] largest each in its colour, the others in one). Returns false (with a
/// note) when the grid cannot be mapped.
fn draw_change_map(path: &Path, c: &Compared) -> Result<bool> {
    let grid = &c.frame.grid;
    let cmp = c.comparison;
    let mut cells = Vec::new();
    let mut codes = Vec::new();
    for (i, code) in cmp.change.iter().enumerate() {
        if let Some(code) = code.filter(|&x| x > 0) {
            let (row, col) = (i / grid.n_cols, i % grid.n_cols);
            cells.push(Cell {
                row,
                col,
                lat: grid.row_lat(row),
                lon: grid.col_lon(col),
            });
            codes.push(code.min(LEGEND_TRANSITIONS + 1) as usize);
        }
    }
    let mut by_code: Vec<&super::compare_runs::Transition> = cmp.transitions.iter().filter(|t| !t.same_type).collect();
    by_code.sort_by_key(|t| t.change_code);
    let mut legend: Vec<ClusterLegend> = by_code
        .iter()
        .take(LEGEND_TRANSITIONS as usize)
        .map(|t| ClusterLegend {
            id: t.change_code as usize,
            size: t.cells as usize,
            mean_ndvi: None,
            name: Some(format!("A{} -> B{}, {} km2", t.a, t.b, table_number(t.km2, 3))),
        })
        .collect();
    let rest = &by_code[by_code.len().min(LEGEND_TRANSITIONS as usize)..];
    if !rest.is_empty() {
        legend.push(ClusterLegend {
            id: LEGEND_TRANSITIONS as usize + 1,
            size: rest.iter().map(|t| t.cells as usize).sum(),
            mean_ndvi: None,
            name: Some(format!(
                "{} other transitions, {} km2",
                rest.len(),
                table_number(rest.iter().map(|t| t.km2).sum(), 3)
            )),
        });
    }
    let title = format!(
        "Change of matched type: {} of {} cells ({:.1} % of the area)",
        cmp.totals.changed_cells,
        cmp.totals.shared_cells,
        100.0 * (1.0 - cmp.totals.agreement_share)
    );
    let note = |m: String| {
        crate::progress::note(format!("change.png not drawn: {m}"));
        Ok(false)
    };
    if grid.is_projected() {
        let display = match plot::reproject::display_grid(grid, &cells) {
            Ok(d) => d,
            Err(m) => return note(m),
        };
        let opts = MapOptions {
            region: display.region.clone(),
            ..MapOptions::default()
        };
        let codes = display.pick(&codes);
        plot::cluster_map(path, &display.geometry, &display.cells, &codes, &legend, &title, &opts)?;
        return Ok(true);
    }
    let geometry = match GridGeometry::from_grid(grid) {
        Ok(g) => g,
        Err(m) => return note(m),
    };
    plot::cluster_map(path, &geometry, &cells, &codes, &legend, &title, &MapOptions::default())?;
    Ok(true)
}

/// report.html: the runs, the scores, the change map, the matching, the transition matrix in
/// km2 and the largest transitions.
fn write_report(dir: &Path, c: &Compared, map: Option<&Path>) -> Result<()> {
    let cmp = c.comparison;
    let t = &cmp.totals;
    let s = &cmp.scores;
    let mut report = Report::new("landclust compare");
    report.subtitle = format!("{} against {}", c.a.path, c.b.path);
    report.settings = vec![
        ("run A".into(), c.a.label()),
        ("run B".into(), c.b.label()),
        ("grid of A".into(), c.a.grid.clone()),
        ("grid of B".into(), c.b.grid.clone()),
    ];
    if let Some(r) = &c.frame.regrid {
        report.settings.push((
            "regrid".into(),
            format!(
                "run {} by majority from {} onto {} ({} of its labelled cells outside)",
                r.regridded.to_uppercase(),
                r.from_grid,
                r.onto_grid,
                r.outside_cells
            ),
        ));
    }
    let km2 = |x: f64| format!("{} km2", table_number(x, 6));
    report.summary = vec![
        (
            "cells in both runs".into(),
            format!("{} ({})", t.shared_cells, km2(t.shared_km2)),
        ),
        (
            "same matched type".into(),
            format!(
                "{} cells ({}, {:.2} % of the area)",
                t.same_type_cells,
                km2(t.same_type_km2),
                100.0 * t.agreement_share
            ),
        ),
        (
            "changed type".into(),
            format!("{} cells ({})", t.changed_cells, km2(t.changed_km2)),
        ),
        (
            "only in A".into(),
            format!("{} cells ({})", t.only_a_cells, km2(t.only_a_km2)),
        ),
        (
            "only in B".into(),
            format!("{} cells ({})", t.only_b_cells, km2(t.only_b_km2)),
        ),
    ];
    let mut scores = Table::new(
        "Agreement of B with A on the cells in both",
        vec!["score".into(), "cells".into(), "area-weighted".into()],
    );
    let num = |x: f64| table_number(x, 4);
    scores.rows = vec![
        vec!["adjusted Rand index".into(), num(s.ari), "-".into()],
        vec!["normalized mutual information".into(), num(s.nmi), "-".into()],
        vec![
            "homogeneity (A as reference)".into(),
            num(s.homogeneity),
            num(s.homogeneity_area),
        ],
        vec![
            "completeness (A as reference)".into(),
            num(s.completeness),
            num(s.completeness_area),
        ],
        vec!["V-measure".into(), num(s.v_measure), num(s.v_measure_area)],
        vec![
            "agreement share (area of the same matched type)".into(),
            "-".into(),
            num(t.agreement_share),
        ],
    ];
    report.summary_tables.push(scores);

    let mut change = Section {
        title: "Change map".into(),
        text: "Cells labelled in both runs whose cluster in B is not the one matched to their cluster in A, \
               coloured by transition (the legend's number is the cell value in change.tif; 0 there is the same type, \
               255 no cell in both runs)."
            .into(),
        ..Section::default()
    };
    if let Some(map) = map {
        change
            .figures
            .push(Figure::file(map, "Cells whose matched type differs"));
    }
    report.sections.push(change);

    let mut matching = Table::new(
        "Clusters matched by the largest total overlapping area",
        vec![
            "A cluster".into(),
            "B cluster".into(),
            "overlap km2".into(),
            "A km2".into(),
            "B km2".into(),
            "overlap / A".into(),
        ],
    );
    for m in &cmp.matching {
        matching.rows.push(vec![
            m.a.to_string(),
            m.b.to_string(),
            table_number(m.overlap_km2, 6),
            table_number(m.a_km2, 6),
            table_number(m.b_km2, 6),
            table_number(if m.a_km2 > 0.0 { m.overlap_km2 / m.a_km2 } else { 0.0 }, 3),
        ]);
    }
    let list = |v: &[u32]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
        }
    };
    matching.note = format!(
        "Unmatched clusters of A: {}; of B: {}.",
        list(&cmp.unmatched_a),
        list(&cmp.unmatched_b)
    );

    let mut header = vec!["A \\ B".to_string()];
    header.extend((0..cmp.kb).map(|b| format!("B{b}")));
    header.push("total".into());
    let mut matrix = Table::new(
        "Transition matrix, km2 (rows: clusters of A, columns: clusters of B)",
        header,
    );
    let mut km2_ab = vec![vec![0.0; cmp.kb]; cmp.ka];
    for tr in &cmp.transitions {
        km2_ab[tr.a as usize][tr.b as usize] = tr.km2;
    }
    for (a, row) in km2_ab.iter().enumerate() {
        let mut line = vec![format!("A{a}")];
        // Pairs without a shared cell read as 0, not as a rounded area.
        line.extend(
            row.iter()
                .map(|&x| if x == 0.0 { "0".to_string() } else { table_number(x, 4) }),
        );
        line.push(table_number(row.iter().sum(), 4));
        matrix.rows.push(line);
    }
    let mut total = vec!["total".to_string()];
    total.extend((0..cmp.kb).map(|b| table_number(km2_ab.iter().map(|r| r[b]).sum(), 4)));
    total.push(table_number(t.shared_km2, 4));
    matrix.rows.push(total);
    matrix.note = "transitions.csv holds the same matrix in cells and km2.".into();

    let mut largest = Table::new(
        "Largest changes of type",
        vec![
            "code".into(),
            "A cluster".into(),
            "B cluster".into(),
            "cells".into(),
            "km2".into(),
        ],
    );
    let mut changes: Vec<_> = cmp.transitions.iter().filter(|t| !t.same_type).collect();
    changes.sort_by_key(|t| t.change_code);
    for tr in changes.iter().take(20) {
        largest.rows.push(vec![
            tr.change_code.to_string(),
            tr.a.to_string(),
            tr.b.to_string(),
            tr.cells.to_string(),
            table_number(tr.km2, 6),
        ]);
    }
    report.sections.push(Section {
        title: "Matching and transitions".into(),
        tables: vec![matching, matrix, largest],
        ..Section::default()
    });
    report.write(&dir.join("report.html"))?;
    Ok(())
}
