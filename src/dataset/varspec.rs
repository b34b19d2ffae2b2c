//! Variable specs: how a user names one 2-D field of a file.
//!
//! Grammar (the name may hold any character but a trailing `[...]` or a `:reduction`):
//!
//! ```text
//! spec      = NAME | NAME "[" INDEX "]" | NAME "[*]" | NAME ":" reduction
//! reduction = "mean" | "min" | "max" | "median"
//! ```
//!
//! `NAME[i]` picks index `i` (0-based) of the one extra, non-grid dimension (e.g. month);
//! `NAME:mean` reduces over it, ignoring missing values; `NAME[*]` stands for every entry,
//! `NAME[0] .. NAME[n-1]`, and is expanded by the reader (`BlockReader::expand`) before
//! anything is read (a series: the (cell, variable, month) tensor of `--reduce tt-cell`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Most characters of a user's value a message shows ([`echo`]).
pub const ECHO_MAX_CHARS: usize = 80;

/// Most characters of a whole message line ([`echo_line`]).
pub const LINE_MAX_CHARS: usize = 2000;

/// A user's value as a message shows it: whole up to [`ECHO_MAX_CHARS`] characters, else its
/// first ones and `… (N bytes)`. Error lines echo what was typed; a runaway value (a 20 MB
/// `--vars`) must not become a 20 MB line.
pub fn echo(value: &str) -> String {
    shorten(value, ECHO_MAX_CHARS)
}

fn shorten(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        None => value.to_string(),
        Some((cut, _)) => format!("{}… ({} bytes)", &value[..cut], value.len()),
    }
}

/// A message line with every space-free run longer than `keep` characters (at least
/// [`ECHO_MAX_CHARS`]) shortened as [`echo`] does, and the whole line cut at [`LINE_MAX_CHARS`]
/// characters (or `keep`, when larger). A final error line keeps runs of up to 4096 characters
/// whole: the longest path Linux opens.
pub fn echo_line(text: &str, keep: usize) -> String {
    // The quotes and punctuation around a value (`'x':`) are kept around its shortened form.
    let frame = ['\'', '"', '`', ':', ',', ';', '(', ')', '[', ']'];
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            if w.chars().nth(keep.max(ECHO_MAX_CHARS)).is_none() {
                return w.to_string();
            }
            let core = w.trim_matches(&frame[..]);
            if core.ends_with('…') {
                // Already shortened where it was echoed.
                return w.to_string();
            }
            let start = w.len() - w.trim_start_matches(&frame[..]).len();
            format!("{}{}{}", &w[..start], echo(core), &w[start + core.len()..])
        })
        .collect();
    shorten(&words.join(" "), LINE_MAX_CHARS.max(keep))
}

/// A spec that does not follow the grammar.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("variable spec `{}`: {message} (expected NAME, NAME[INDEX], NAME[*] or NAME:mean|min|max|median)", echo(.spec))]
pub struct VarSpecError {
    pub spec: String,
    pub message: String,
}

/// A NaN-aware reduction over the extra dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reduction {
    Mean,
    Min,
    Max,
    Median,
}

impl Reduction {
    /// All reductions, in the order the grammar lists them.
    pub const ALL: [Reduction; 4] = [Reduction::Mean, Reduction::Min, Reduction::Max, Reduction::Median];

    /// The keyword of the grammar.
    pub fn keyword(self) -> &'static str {
        match self {
            Reduction::Mean => "mean",
            Reduction::Min => "min",
            Reduction::Max => "max",
            Reduction::Median => "median",
        }
    }

    /// Reduce `values`, skipping `NaN`; `NaN` when none is valid.
    /// The mean is summed in index order so that it is the same on every run.
    pub fn apply(self, values: &[f64]) -> f64 {
        self.apply_with(values, &mut Vec::new())
    }

    /// [`Reduction::apply`] with a reusable buffer (only the median needs one).
    pub fn apply_with(self, values: &[f64], scratch: &mut Vec<f64>) -> f64 {
        let valid = values.iter().copied().filter(|v| !v.is_nan());
        match self {
            Reduction::Mean => {
                let (sum, n) = valid.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
                if n == 0 { f64::NAN } else { sum / n as f64 }
            }
            // `f64::min`/`max` return the other operand when one is NaN, so NaN survives only if all are.
            Reduction::Min => valid.fold(f64::NAN, f64::min),
            Reduction::Max => valid.fold(f64::NAN, f64::max),
            Reduction::Median => {
                scratch.clear();
                scratch.extend(valid);
                scratch.sort_by(f64::total_cmp);
                match scratch.len() {
                    0 => f64::NAN,
                    n if n % 2 == 1 => scratch[n / 2],
                    n => 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]),
                }
            }
        }
    }
}

impl FromStr for Reduction {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Reduction::ALL.into_iter().find(|r| r.keyword() == s).ok_or(())
    }
}

/// What to do with a variable's extra (non-grid) dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Extra {
    /// The variable has no extra dimension (or only ones of length 1).
    None,
    /// Take this index of the extra dimension.
    Index(usize),
    /// Reduce over the extra dimension.
    Reduce(Reduction),
    /// Every entry of the extra dimension (`NAME[*]`), one variable each once expanded.
    All,
}

/// A parsed variable spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarSpec {
    /// The variable's name in the file.
    pub name: String,
    pub extra: Extra,
}

impl VarSpec {
    /// A spec for a plain 2-D variable.
    pub fn plain(name: impl Into<String>) -> Self {
        VarSpec {
            name: name.into(),
            extra: Extra::None,
        }
    }
}

impl FromStr for VarSpec {
    type Err = VarSpecError;

    fn from_str(spec: &str) -> Result<Self, VarSpecError> {
        let bad = |message: &str| VarSpecError {
            spec: spec.to_string(),
            message: message.to_string(),
        };
        let spec_trimmed = spec.trim();
        let (name, extra) = if let Some(head) = spec_trimmed.strip_suffix(']') {
            let (name, index) = head.rsplit_once('[').ok_or_else(|| bad("`]` without `[`"))?;
            if index.trim() == "*" {
                (name, Extra::All)
            } else {
                let index = index
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| bad("the index must be a whole number >= 0 or *"))?;
                (name, Extra::Index(index))
            }
        } else if let Some((name, word)) = spec_trimmed.rsplit_once(':') {
            let reduction = word
                .trim()
                .parse::<Reduction>()
                .map_err(|()| bad(&format!("unknown reduction `{word}`")))?;
            (name, Extra::Reduce(reduction))
        } else {
            (spec_trimmed, Extra::None)
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(bad("the variable name is empty"));
        }
        if name.contains(['[', ']']) {
            return Err(bad("misplaced `[` or `]`"));
        }
        Ok(VarSpec {
            name: name.to_string(),
            extra,
        })
    }
}

impl fmt::Display for VarSpec {
    /// The canonical spec, e.g. `AOD565[3]`; it parses back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.extra {
            Extra::None => write!(f, "{}", self.name),
            Extra::Index(i) => write!(f, "{}[{i}]", self.name),
            Extra::All => write!(f, "{}[*]", self.name),
            Extra::Reduce(r) => write!(f, "{}:{}", self.name, r.keyword()),
        }
    }
}

#[cfg(test)]
#[path = "varspec_tests.rs"]
mod tests;
