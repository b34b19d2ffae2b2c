//! Names the user gives a run: the class names of truth variables (`--truth-names`, CSV
//! `value,name`) and the names of the clusters (`--names`, TOML `[names]`), read and checked
//! when the options resolve so that a bad file stops the run before anything is written; and how
//! a name becomes a CF `flag_meanings` word.

use crate::error::Error;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Class names of truth variables: variable -> class value -> name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TruthClassNames(pub BTreeMap<String, BTreeMap<i64, String>>);

impl TruthClassNames {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names given for `variable`, if any.
    pub fn of(&self, variable: &str) -> Option<&BTreeMap<i64, String>> {
        self.0.get(variable)
    }
}

/// The user's names of clusters (`--names FILE`), by cluster id, with the file they came from
/// (named again when the run's k does not fit them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterNames {
    pub file: Option<PathBuf>,
    pub names: BTreeMap<usize, String>,
}

impl ClusterNames {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// An error naming the file when a named cluster does not exist among `k`.
    pub fn check_k(&self, k: usize) -> Result<(), Error> {
        match self.names.keys().find(|&&id| id >= k) {
            Some(id) => Err(option_error(
                "--names",
                format!(
                    "{}: names cluster {id} but the run has k = {k} clusters (0..{})",
                    self.file.as_deref().unwrap_or(Path::new("names")).display(),
                    k.saturating_sub(1)
                ),
            )),
            None => Ok(()),
        }
    }
}

/// `--truth` and `--truth-names` from a config file or Python: one text or a list of texts.
pub fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(Option::<OneOrMany>::deserialize(d)?.map(|v| match v {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    }))
}

/// metrics.json `settings.truth`: `null` without a truth, the name with one (as before several
/// were possible, so readers of one truth keep working), the list with several.
pub fn serialize_truths<S: Serializer>(truths: &[String], s: S) -> Result<S::Ok, S::Error> {
    match truths {
        [] => s.serialize_none(),
        [one] => s.serialize_str(one),
        many => many.serialize(s),
    }
}

/// Reads what [`serialize_truths`] writes (`null`, a name or a list).
pub fn deserialize_truths<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(one_or_many(d)?.unwrap_or_default())
}

/// An error about one option, named (as the run's options report theirs).
fn option_error(option: &str, message: impl Into<String>) -> Error {
    Error::Option {
        option: option.into(),
        message: message.into(),
    }
}

/// Read `--truth-names` (for the run's `truth` variables) and `--names`.
pub fn resolve_names(
    truth: &[String],
    truth_names: Option<&[String]>,
    names: Option<&Path>,
) -> Result<(TruthClassNames, ClusterNames), Error> {
    let mut classes = TruthClassNames::default();
    for spec in truth_names.unwrap_or_default() {
        let (variable, file) = match spec.split_once('=') {
            Some((v, f)) => {
                let v = v
                    .parse::<crate::dataset::varspec::VarSpec>()
                    .map_err(|e| option_error("--truth-names", e.to_string()))?;
                (v.to_string(), f.trim())
            }
            None => match truth {
                [one] => (one.clone(), spec.trim()),
                _ => {
                    return Err(option_error(
                        "--truth-names",
                        format!(
                            "{spec}: with {} truth variables, say which one: --truth-names VAR=FILE",
                            truth.len()
                        ),
                    ));
                }
            },
        };
        if !truth.contains(&variable) {
            return Err(option_error(
                "--truth-names",
                format!("{spec}: {variable} is not a --truth variable"),
            ));
        }
        classes.0.insert(variable, read_class_names(Path::new(file))?);
    }
    let names = match names {
        Some(path) => ClusterNames {
            file: Some(path.to_path_buf()),
            names: read_cluster_names(path)?,
        },
        None => ClusterNames::default(),
    };
    Ok((classes, names))
}

/// A `--truth-names` CSV: one `value,name` line per class (an integer class value, then its
/// name, which may be quoted and hold commas); a first line that does not start with an
/// integer is a header, blank lines and lines starting with `#` are skipped.
pub fn read_class_names(path: &Path) -> Result<BTreeMap<i64, String>, Error> {
    let fail = |message: String| option_error("--truth-names", format!("{}: {message}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| fail(e.to_string()))?;
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        let (Some(value), Some(name)) = (record.get(0), record.get(1)) else {
            if record.iter().all(str::is_empty) {
                continue;
            }
            return Err(fail(format!("line {line}: expected value,name")));
        };
        let Ok(value) = value.parse::<i64>() else {
            if i == 0 {
                continue;
            }
            return Err(fail(format!("line {line}: {value:?} is not an integer class value")));
        };
        if name.is_empty() {
            return Err(fail(format!("line {line}: class {value} has an empty name")));
        }
        if out.insert(value, name.to_string()).is_some() {
            return Err(fail(format!("line {line}: class {value} is named twice")));
        }
    }
    if out.is_empty() {
        return Err(fail("no value,name line".into()));
    }
    Ok(out)
}

/// A `--names` TOML file: a `[names]` table (or top-level keys) of `ID = "name"` with ID a
/// cluster number (`0`) or `cluster_0`. Names are unique and not empty.
pub fn read_cluster_names(path: &Path) -> Result<BTreeMap<usize, String>, Error> {
    let fail = |message: String| option_error("--names", format!("{}: {message}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| fail(e.message().replace('\n', " ")))?;
    let entries = match table.get("names") {
        Some(toml::Value::Table(t)) => t.clone(),
        Some(_) => return Err(fail("`names` must be a table: [names] then 0 = \"desert\"".into())),
        None => table,
    };
    let mut out = BTreeMap::new();
    for (key, value) in entries {
        let id = key
            .strip_prefix("cluster_")
            .unwrap_or(&key)
            .parse::<usize>()
            .map_err(|_| fail(format!("{key:?} is not a cluster number (0, 1, ... or cluster_0, ...)")))?;
        let toml::Value::String(name) = value else {
            return Err(fail(format!("cluster {id}: the name must be a quoted text")));
        };
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(fail(format!("cluster {id}: empty name")));
        }
        if let Some((other, _)) = out.iter().find(|(_, n)| **n == name) {
            return Err(fail(format!("clusters {other} and {id} are both named {name:?}")));
        }
        if out.insert(id, name).is_some() {
            return Err(fail(format!("cluster {id} is named twice")));
        }
    }
    if out.is_empty() {
        return Err(fail("names no cluster (expected [names] then 0 = \"desert\")".into()));
    }
    Ok(out)
}

/// A name as one CF `flag_meanings` word (CF-1.8 section 3.5: words of letters, digits and
/// `_-.+@`, blank-separated): blanks become `_`, `%` becomes `pct`, anything else outside the
/// set is dropped, runs of `_` collapse; never empty (`cluster_ID` then).
pub fn flag_meaning(name: &str, id: usize) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        let piece = match ch {
            c if c.is_ascii_alphanumeric() || "-.+@".contains(c) => c.to_string(),
            '%' => "pct".to_string(),
            c if c.is_whitespace() || c == '_' || c == ',' || c == '/' => "_".to_string(),
            _ => String::new(),
        };
        for c in piece.chars() {
            if !(c == '_' && (out.is_empty() || out.ends_with('_'))) {
                out.push(c);
            }
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() { format!("cluster_{id}") } else { out }
}

/// [`flag_meaning`] of every name, made unique (a repeated word gets `_ID`).
pub fn flag_meanings(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for (id, name) in names.iter().enumerate() {
        let word = flag_meaning(name, id);
        let word = if out.contains(&word) {
            format!("{word}_{id}")
        } else {
            word
        };
        out.push(word);
    }
    out
}

#[cfg(test)]
#[path = "naming_tests.rs"]
mod tests;
