//! The POLDER-like demo file.
