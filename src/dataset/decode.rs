//! Per-variable decoding given by the user, overriding what the file says: how stored numbers
//! become physical values when a product documents its scale or no-data value but does not
//! tag it (an int16 fAPAR with scale 1e-4 in its user guide only).
//!
//! ```text
//! --decode 'fAPAR:scale=1e-4,nodata=-999,valid_max=1,units=1'
//! ```
//!
//! or in a `--config` file
//!
//! ```toml
//! [decode.fAPAR]
//! scale = 1e-4
//! nodata = -999
//! ```
//!
//! Keys: `scale`, `offset` (`value = stored * scale + offset`, the CF `scale_factor`/`add_offset`
//! and GDAL scale/offset convention), `nodata` (a stored value that means missing; it replaces
//! the file's `_FillValue`/`missing_value` or GDAL NoData), `valid_min`, `valid_max` (in physical
//! units; together they replace the file's valid range) and `units`. Keys not given keep the
//! file's own decoding. The name is the variable's name in the file (a band name for GeoTIFF,
//! the `NAME=` of a composite), so it applies to every spec of it (`NAME[3]`, `NAME:mean`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An override that does not parse, with the text the user gave.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "'{text}': {message} (expected NAME:KEY=VALUE,... with KEY scale, offset, nodata, valid_min, valid_max or units)"
)]
pub struct DecodeOverrideError {
    pub text: String,
    pub message: String,
}

/// What the user said about one variable's decoding; `None`: keep the file's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DecodeOverride {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scale: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub offset: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub nodata: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub valid_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub valid_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub units: Option<String>,
}

impl DecodeOverride {
    /// The scale after the override, from the file's `scale`.
    pub fn scale_or(&self, file: f64) -> f64 {
        self.scale.unwrap_or(file)
    }

    /// The offset after the override, from the file's `offset`.
    pub fn offset_or(&self, file: f64) -> f64 {
        self.offset.unwrap_or(file)
    }

    /// True when a valid range is given (it replaces the file's).
    pub fn has_valid_range(&self) -> bool {
        self.valid_min.is_some() || self.valid_max.is_some()
    }

    /// True when `physical` is outside the given valid range.
    pub fn out_of_range(&self, physical: f64) -> bool {
        self.valid_min.is_some_and(|lo| physical < lo) || self.valid_max.is_some_and(|hi| physical > hi)
    }

    /// Set one key from its text; `Err` says why the value or key is wrong.
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let number = || -> Result<f64, String> {
            let v = value
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("{key} '{value}' is not a number"))?;
            if v.is_finite() || key == "nodata" {
                Ok(v)
            } else {
                Err(format!("{key} '{value}' is not finite"))
            }
        };
        let slot = match key.trim().replace('-', "_").as_str() {
            "scale" | "scale_factor" => &mut self.scale,
            "offset" | "add_offset" => &mut self.offset,
            "nodata" | "_FillValue" | "fill_value" => &mut self.nodata,
            "valid_min" => &mut self.valid_min,
            "valid_max" => &mut self.valid_max,
            "units" => {
                if value.trim().is_empty() {
                    return Err("units is empty".into());
                }
                self.units = Some(value.trim().to_string());
                return Ok(());
            }
            other => return Err(format!("unknown key '{other}'")),
        };
        if slot.is_some() {
            return Err(format!("{key} is given twice"));
        }
        *slot = Some(number()?);
        if self.scale == Some(0.0) {
            return Err("scale 0 would make every value the offset".into());
        }
        if let (Some(lo), Some(hi)) = (self.valid_min, self.valid_max)
            && lo > hi
        {
            return Err(format!("valid_min {lo} is above valid_max {hi}"));
        }
        Ok(())
    }

    /// One line for `inspect`: `scale 0.0001, nodata -999` (the keys given).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut num = |k: &str, v: Option<f64>| {
            if let Some(v) = v {
                parts.push(format!("{k} {v}"));
            }
        };
        num("scale", self.scale);
        num("offset", self.offset);
        num("nodata", self.nodata);
        num("valid_min", self.valid_min);
        num("valid_max", self.valid_max);
        if let Some(u) = &self.units {
            parts.push(format!("units {u}"));
        }
        parts.join(", ")
    }
}

/// The overrides of a run, by variable name in the file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DecodeOverrides(pub BTreeMap<String, DecodeOverride>);

impl DecodeOverrides {
    /// Parse `NAME:KEY=VALUE,KEY=VALUE` items (see the module notes); a variable named twice is
    /// an error, as is an empty key list.
    pub fn parse_all<S: AsRef<str>>(items: &[S]) -> Result<DecodeOverrides, DecodeOverrideError> {
        let mut out = BTreeMap::new();
        for item in items {
            let text = item.as_ref();
            let bad = |message: String| DecodeOverrideError {
                text: text.to_string(),
                message,
            };
            let Some((name, keys)) = text.split_once(':') else {
                return Err(bad("no ':' after the variable name".into()));
            };
            let name = name.trim();
            if name.is_empty() {
                return Err(bad("the variable name is empty".into()));
            }
            let mut o = DecodeOverride::default();
            let mut any = false;
            for pair in keys.split([',', '&']).filter(|p| !p.trim().is_empty()) {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(bad(format!("'{}' is not KEY=VALUE", pair.trim())));
                };
                o.set(k.trim(), v).map_err(bad)?;
                any = true;
            }
            if !any {
                return Err(bad("no KEY=VALUE given".into()));
            }
            if out.insert(name.to_string(), o).is_some() {
                return Err(bad(format!("variable {name} is given twice")));
            }
        }
        Ok(DecodeOverrides(out))
    }

    /// The override of variable `name`, if any.
    pub fn get(&self, name: &str) -> Option<&DecodeOverride> {
        self.0.get(name)
    }

    /// True when nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names overridden.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
