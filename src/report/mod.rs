//! The self-contained report.html.
