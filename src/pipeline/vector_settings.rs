//! The settings of the vector output (`--vector`, `--vector-max-cells`), a part of `RunConfig`
//! kept in its own file so that the writer of labels.geojson (`run::vector`) shares them without
//! depending on the whole configuration module.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Whether a run writes labels.geojson (`--vector`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum VectorFormat {
    /// When the run clusters at most [`VectorSettings::max_cells`] cells.
    #[default]
    Auto,
    /// Always (within the memory limit).
    Geojson,
    /// Never.
    None,
}

impl std::str::FromStr for VectorFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "auto" => Ok(VectorFormat::Auto),
            "geojson" => Ok(VectorFormat::Geojson),
            "none" => Ok(VectorFormat::None),
            _ => Err(Error::Option {
                option: "--vector".into(),
                message: format!("'{s}': expected auto, geojson or none"),
            }),
        }
    }
}

impl std::fmt::Display for VectorFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VectorFormat::Auto => "auto",
            VectorFormat::Geojson => "geojson",
            VectorFormat::None => "none",
        })
    }
}

impl From<VectorFormat> for String {
    fn from(value: VectorFormat) -> String {
        value.to_string()
    }
}

impl TryFrom<String> for VectorFormat {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

/// The vector output's settings (`--vector`, `--vector-max-cells`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorSettings {
    pub format: VectorFormat,
    /// `auto` writes labels.geojson up to this many clustered cells.
    pub max_cells: usize,
}

impl VectorSettings {
    /// The default of `--vector-max-cells`: a 0.1-degree land run (about 1.9 M cells) is
    /// written, a 0.05-degree one (about 5.5 M, hundreds of MB of GeoJSON and seconds of
    /// tracing) is not unless asked for.
    pub const DEFAULT_MAX_CELLS: usize = 2_000_000;
}

impl Default for VectorSettings {
    fn default() -> Self {
        VectorSettings {
            format: VectorFormat::Auto,
            max_cells: Self::DEFAULT_MAX_CELLS,
        }
    }
}
