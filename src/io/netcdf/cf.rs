//! CF decoding of stored values: `_Unsigned`, fill and missing values, valid range, packing.
//!
//! Order (CF conventions 1.11, section 2.5.1 and 8.1): the stored value is compared with
//! `_FillValue`, `missing_value` and `valid_min`/`valid_max`/`valid_range` in the packed type,
//! then unpacked as `stored * scale_factor + add_offset`. A valid-range attribute of a float
//! type on packed integers is in unpacked units (NUG) and is checked after unpacking.

use netcdf_reader::unpack::SignParams;
use netcdf_reader::{NcAttrValue, NcType, NcVariable};

/// netCDF-C's default fill values (`NC_FILL_*`), used when a variable has no `_FillValue`.
/// Bytes have none: the netCDF user guide leaves byte data unmasked by default.
fn default_fill(dtype: &NcType) -> Option<f64> {
    Some(match dtype {
        NcType::Short => -32767.0,
        NcType::Int => -2147483647.0,
        NcType::Float => f64::from(9.969_21e36_f32),
        NcType::Double => 9.969_209_968_386_869e36,
        NcType::UShort => 65535.0,
        NcType::UInt => 4294967295.0,
        NcType::Int64 => -9223372036854775806.0,
        NcType::UInt64 => 18446744073709551614.0,
        _ => return None,
    })
}

/// True for the numeric types landclust can read as values.
pub(crate) fn is_numeric(dtype: &NcType) -> bool {
    matches!(
        dtype,
        NcType::Byte
            | NcType::UByte
            | NcType::Short
            | NcType::UShort
            | NcType::Int
            | NcType::UInt
            | NcType::Int64
            | NcType::UInt64
            | NcType::Float
            | NcType::Double
    )
}

/// A short type name in Rust spelling (`i16`, `f32`, ...).
pub(crate) fn type_name(dtype: &NcType) -> String {
    match dtype {
        NcType::Byte => "i8".into(),
        NcType::UByte => "u8".into(),
        NcType::Short => "i16".into(),
        NcType::UShort => "u16".into(),
        NcType::Int => "i32".into(),
        NcType::UInt => "u32".into(),
        NcType::Int64 => "i64".into(),
        NcType::UInt64 => "u64".into(),
        NcType::Float => "f32".into(),
        NcType::Double => "f64".into(),
        NcType::Char => "char".into(),
        NcType::String => "string".into(),
        other => format!("{other:?}")
            .split([' ', '{'])
            .next()
            .unwrap_or("user")
            .to_lowercase(),
    }
}

/// A text attribute of a variable, if present.
pub(crate) fn text_attr(var: &NcVariable, name: &str) -> Option<String> {
    var.attribute(name)
        .and_then(|a| a.value.as_string())
        .map(|s| s.trim_end_matches('\0').trim().to_string())
}

/// `(value, meaning)` pairs of a variable's CF `flag_values` and `flag_meanings` (CF-1.8
/// section 3.5); empty when either is missing, a value is not whole or their counts differ.
pub(crate) fn flag_names(var: &NcVariable) -> Vec<(i64, String)> {
    let values = var.attribute("flag_values").and_then(|a| a.value.as_f64_vec());
    let meanings = text_attr(var, "flag_meanings");
    let (Some(values), Some(meanings)) = (values, meanings) else {
        return Vec::new();
    };
    let words: Vec<&str> = meanings.split_whitespace().collect();
    if words.len() != values.len() || values.iter().any(|v| v.fract() != 0.0) {
        return Vec::new();
    }
    values
        .iter()
        .zip(words)
        .map(|(&v, w)| (v as i64, w.to_string()))
        .collect()
}

fn is_float_attr(value: &NcAttrValue) -> bool {
    matches!(value, NcAttrValue::Floats(_) | NcAttrValue::Doubles(_))
}

/// How one variable's stored values become physical values (`NaN` where missing).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CfDecoder {
    sign: Option<SignParams>,
    fill: Option<f64>,
    missing: Vec<f64>,
    valid_min: Option<f64>,
    valid_max: Option<f64>,
    /// The valid range is in unpacked units.
    valid_unpacked: bool,
    scale: f64,
    offset: f64,
}

impl CfDecoder {
    /// Read the decoding attributes of `var`.
    pub(crate) fn from_variable(var: &NcVariable) -> Self {
        let sign = SignParams::from_variable(var);
        let packed = |v: f64| {
            let v = if var.dtype == NcType::Float {
                f64::from(v as f32)
            } else {
                v
            };
            sign.map_or(v, |s| s.reinterpret(v))
        };
        let number = |name: &str| var.attribute(name).and_then(|a| a.value.as_f64());
        let scale = number("scale_factor");
        let offset = number("add_offset");
        let is_packed = (scale.is_some() || offset.is_some()) && !matches!(var.dtype, NcType::Float | NcType::Double);
        let fill = match var.attribute("_FillValue") {
            Some(a) => a.value.as_f64().map(packed),
            None => default_fill(&var.dtype),
        };
        let missing = var
            .attribute("missing_value")
            .and_then(|a| a.value.as_f64_vec())
            .unwrap_or_default();
        let (valid_min, valid_max, valid_unpacked) = valid_bounds(var, is_packed);
        let to_packed = |v: Option<f64>| if valid_unpacked { v } else { v.map(packed) };
        CfDecoder {
            sign,
            fill,
            missing: missing.into_iter().map(packed).collect(),
            valid_min: to_packed(valid_min),
            valid_max: to_packed(valid_max),
            valid_unpacked,
            scale: scale.unwrap_or(1.0),
            offset: offset.unwrap_or(0.0),
        }
    }

    /// This decoder with the user's override (`--decode`): scale and offset replace the
    /// file's; a no-data value replaces `_FillValue` and `missing_value`; a valid range
    /// (physical units) replaces the file's.
    pub(crate) fn with_override(mut self, o: &crate::dataset::DecodeOverride) -> Self {
        if o.scale.is_some() || o.offset.is_some() {
            // A file range in unpacked units was in the file's units; it no longer applies.
            if self.valid_unpacked {
                self.valid_min = None;
                self.valid_max = None;
            }
            self.scale = o.scale_or(self.scale);
            self.offset = o.offset_or(self.offset);
        }
        if let Some(nd) = o.nodata {
            self.fill = Some(nd);
            self.missing.clear();
        }
        if o.has_valid_range() {
            self.valid_min = o.valid_min;
            self.valid_max = o.valid_max;
            self.valid_unpacked = true;
        }
        self
    }

    /// The fill value in physical units (unpacked), if any.
    pub(crate) fn fill_value(&self) -> Option<f64> {
        self.fill.map(|f| f * self.scale + self.offset)
    }

    /// Decode one stored value.
    #[inline]
    pub(crate) fn decode(&self, stored: f64) -> f64 {
        let v = self.sign.map_or(stored, |s| s.reinterpret(stored));
        if v.is_nan() || self.fill == Some(v) || self.missing.contains(&v) {
            return f64::NAN;
        }
        if !self.valid_unpacked && self.out_of_range(v) {
            return f64::NAN;
        }
        let physical = v * self.scale + self.offset;
        if self.valid_unpacked && self.out_of_range(physical) {
            return f64::NAN;
        }
        physical
    }

    /// Decode a buffer in place.
    pub(crate) fn decode_all(&self, values: &mut [f64]) {
        for v in values {
            *v = self.decode(*v);
        }
    }

    fn out_of_range(&self, v: f64) -> bool {
        self.valid_min.is_some_and(|lo| v < lo) || self.valid_max.is_some_and(|hi| v > hi)
    }
}

/// `valid_range` wins over `valid_min`/`valid_max`; the flag says the bounds are unpacked units.
fn valid_bounds(var: &NcVariable, is_packed: bool) -> (Option<f64>, Option<f64>, bool) {
    let unpacked = |name: &str| is_packed && var.attribute(name).is_some_and(|a| is_float_attr(&a.value));
    if let Some(range) = var.attribute("valid_range").and_then(|a| a.value.as_f64_vec())
        && range.len() >= 2
    {
        return (Some(range[0]), Some(range[1]), unpacked("valid_range"));
    }
    let lo = var.attribute("valid_min").and_then(|a| a.value.as_f64());
    let hi = var.attribute("valid_max").and_then(|a| a.value.as_f64());
    (lo, hi, unpacked("valid_min") || unpacked("valid_max"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use netcdf_reader::NcAttribute;

    fn var(dtype: NcType, attrs: Vec<(&str, NcAttrValue)>) -> NcVariable {
        NcVariable {
            name: "v".into(),
            dimensions: vec![],
            dtype,
            attributes: attrs
                .into_iter()
                .map(|(n, value)| NcAttribute { name: n.into(), value })
                .collect(),
            data_offset: 0,
            _data_size: 0,
            is_record_var: false,
            record_size: 0,
        }
    }

    #[test]
    fn packed_short_masks_in_packed_units_then_unpacks() {
        let d = CfDecoder::from_variable(&var(
            NcType::Short,
            vec![
                ("scale_factor", NcAttrValue::Floats(vec![0.5])),
                ("add_offset", NcAttrValue::Doubles(vec![10.0])),
                ("_FillValue", NcAttrValue::Shorts(vec![-1])),
                ("valid_range", NcAttrValue::Shorts(vec![0, 100])),
            ],
        ));
        assert_eq!(d.decode(4.0), 12.0);
        assert!(d.decode(-1.0).is_nan());
        assert!(d.decode(101.0).is_nan());
        assert_eq!(d.decode(100.0), 60.0);
        assert_eq!(d.fill_value(), Some(9.5));
    }

    #[test]
    fn float_valid_range_on_packed_ints_is_in_unpacked_units() {
        let d = CfDecoder::from_variable(&var(
            NcType::Short,
            vec![
                ("scale_factor", NcAttrValue::Doubles(vec![0.1])),
                ("valid_max", NcAttrValue::Doubles(vec![5.0])),
            ],
        ));
        assert!((d.decode(50.0) - 5.0).abs() < 1e-12);
        assert!(d.decode(51.0).is_nan());
    }

    #[test]
    fn float_fill_compares_in_f32_and_default_fill_applies() {
        let d = CfDecoder::from_variable(&var(
            NcType::Float,
            vec![("_FillValue", NcAttrValue::Doubles(vec![0.1]))],
        ));
        assert!(d.decode(f64::from(0.1f32)).is_nan());
        let d = CfDecoder::from_variable(&var(NcType::Float, vec![]));
        assert!(d.decode(f64::from(9.969_21e36_f32)).is_nan());
        assert!(d.decode(f64::NAN).is_nan());
        assert_eq!(d.decode(1.5), 1.5);
        let d = CfDecoder::from_variable(&var(NcType::Byte, vec![]));
        assert_eq!(d.decode(-127.0), -127.0);
    }

    #[test]
    fn unsigned_attribute_reinterprets_before_masking() {
        let d = CfDecoder::from_variable(&var(
            NcType::Byte,
            vec![
                ("_Unsigned", NcAttrValue::Chars("true".into())),
                ("missing_value", NcAttrValue::Bytes(vec![-1])),
            ],
        ));
        assert_eq!(d.decode(-56.0), 200.0);
        assert!(d.decode(-1.0).is_nan());
    }
}
