//! Figures: maps over the Blue Marble background and the study's diagnostic plots.

/// Errors drawing figures.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{0}")]
    Invalid(String),
}
