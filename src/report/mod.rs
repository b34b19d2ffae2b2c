//! The self-contained report.html: run settings, data summary, figures, score and centre tables,
//! and an interactive map over the Blue Marble, all in ONE file that opens offline.
//!
//! Everything is embedded: figures as base64 data URIs (PNG, JPEG) or inline markup (SVG), the
//! map background as a downscaled JPEG, the cluster layer as a PNG, the cells' hover values as
//! one compact binary block (base64, see [`map::encode_cells`]), and the viewer's script and
//! styles inline. A Content-Security-Policy forbids any network request. The study's zoomable
//! map (plotly `Scattermapbox`) needed an online Mapbox token; this one needs nothing.
//!
//! All text is HTML-escaped: variable names come from user files.
//!
//! ```no_run
//! use landclust::report::{Report, Section, Table};
//! let mut report = Report::new("landclust run");
//! report.settings.push(("k".into(), "6".into()));
//! report.sections.push(Section {
//!     title: "Scores".into(),
//!     tables: vec![Table::new("Scores", vec!["metric".into(), "value".into()])],
//!     ..Section::default()
//! });
//! report.write(std::path::Path::new("report.html"))?;
//! # Ok::<(), landclust::report::ReportError>(())
//! ```

pub mod encode;
mod html;
pub mod map;
mod tables;

pub use map::{DecodedCell, EncodedMap, MapData, MapVariable, background_jpeg, decode_cells, decode_cells_with};
pub use tables::{MethodScores, cluster_centres_table};

use crate::io::{IoError, atomic};
use std::path::{Path, PathBuf};

/// Errors building the report; each names the figure, table or map field at fault.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("report figure {path}: {message}")]
    Figure { path: PathBuf, message: String },
    #[error("report table {caption:?}: {message}")]
    Table { caption: String, message: String },
    #[error("report map: {0}")]
    Map(String),
    #[error("report map background: {0}")]
    Background(String),
}

/// A whole report; render it with [`Report::render`] or write it with [`Report::write`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub title: String,
    /// One line under the title, e.g. the input file and the date.
    pub subtitle: String,
    /// Run settings as (name, value), shown in order.
    pub settings: Vec<(String, String)>,
    /// Data summary as (what, value): cells selected / kept / dropped and why.
    pub summary: Vec<(String, String)>,
    /// Tables under the data summary, e.g. missing values per variable.
    pub summary_tables: Vec<Table>,
    /// The interactive map, shown after the summary.
    pub map: Option<MapData>,
    pub sections: Vec<Section>,
}

/// A titled part of the report: paragraphs, then figures, then tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub title: String,
    /// Plain text; blank lines separate paragraphs.
    pub text: String,
    pub figures: Vec<Figure>,
    pub tables: Vec<Table>,
}

/// A figure and its caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub source: FigureSource,
    pub caption: String,
}

/// Where a figure's picture comes from; files are read when the report is rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureSource {
    /// A PNG, JPEG or SVG file, recognised by its content.
    File(PathBuf),
    Png(Vec<u8>),
    Jpeg(Vec<u8>),
    Svg(String),
}

impl Figure {
    /// A figure read from a PNG, JPEG or SVG file at render time.
    pub fn file(path: impl Into<PathBuf>, caption: impl Into<String>) -> Self {
        Figure {
            source: FigureSource::File(path.into()),
            caption: caption.into(),
        }
    }

    /// A figure from PNG bytes in memory.
    pub fn png(bytes: Vec<u8>, caption: impl Into<String>) -> Self {
        Figure {
            source: FigureSource::Png(bytes),
            caption: caption.into(),
        }
    }

    /// A figure from SVG text in memory.
    pub fn svg(text: impl Into<String>, caption: impl Into<String>) -> Self {
        Figure {
            source: FigureSource::Svg(text.into()),
            caption: caption.into(),
        }
    }
}

/// A table of text cells; cells that read as numbers are right-aligned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Shown under the table, e.g. "higher is better".
    pub note: String,
}

impl Table {
    /// An empty table with a caption and column names.
    pub fn new(caption: impl Into<String>, header: Vec<String>) -> Self {
        Table {
            caption: caption.into(),
            header,
            ..Table::default()
        }
    }

    /// Every row must have one cell per column.
    pub fn validate(&self) -> Result<(), ReportError> {
        match self.rows.iter().position(|row| row.len() != self.header.len()) {
            None => Ok(()),
            Some(i) => Err(ReportError::Table {
                caption: self.caption.clone(),
                message: format!(
                    "row {i} has {} cells, the header has {} columns",
                    self.rows[i].len(),
                    self.header.len()
                ),
            }),
        }
    }
}

impl Report {
    /// An empty report with a title.
    pub fn new(title: impl Into<String>) -> Self {
        Report {
            title: title.into(),
            ..Report::default()
        }
    }

    /// The whole HTML document; fails on a missing or unreadable figure, a ragged table or
    /// inconsistent map data, before anything is written.
    pub fn render(&self) -> Result<String, ReportError> {
        html::render(self)
    }

    /// Render and write `path` atomically (temporary sibling, then rename).
    pub fn write(&self, path: &Path) -> Result<(), ReportError> {
        let page = self.render()?;
        atomic::write_bytes(path, page.as_bytes())?;
        Ok(())
    }
}
