//! CF time coordinates (CF Conventions 1.11, section 4.4): `units = "<unit> since <date>"` with
//! the standard (mixed Gregorian/Julian), `gregorian` or `proleptic_gregorian` calendar, read as
//! proleptic Gregorian (the two agree from 1582-10-15 on: every satellite record). Other
//! calendars (`noleap`, `360_day`, ...) are not converted: such files are ordered by name.

/// Seconds per unit of a CF time unit (UDUNITS spellings of the four a climatology uses).
fn unit_seconds(unit: &str) -> Option<f64> {
    match unit.to_ascii_lowercase().as_str() {
        "days" | "day" | "d" => Some(86_400.0),
        "hours" | "hour" | "hr" | "h" => Some(3_600.0),
        "minutes" | "minute" | "min" => Some(60.0),
        "seconds" | "second" | "sec" | "secs" | "s" => Some(1.0),
        _ => None,
    }
}

/// Days from 1970-01-01 to `y-m-d` in the proleptic Gregorian calendar (H. Hinnant,
/// "chrono-Compatible Low-Level Date Algorithms", `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (the inverse of [`days_from_civil`], Hinnant's
/// `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// Seconds from 1970-01-01T00:00:00 to a reference time such as `2020-01-01`,
/// `1900-01-01 00:00:00.0`, `1970-01-01T00:00:00Z` or `2000-1-1 12:00 +02:00`.
fn reference_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let (date, rest) = match text.find([' ', 'T']) {
        Some(at) => (&text[..at], text[at + 1..].trim()),
        None => (text, ""),
    };
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let d: u32 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut seconds = days_from_civil(y, m, d) as f64 * 86_400.0;
    let mut words = rest.split_whitespace();
    if let Some(clock) = words.next() {
        let (clock, zone) = match clock.find(['+', 'Z']) {
            Some(at) => (&clock[..at], Some(&clock[at..])),
            None => (clock, None),
        };
        seconds += clock_seconds(clock)?;
        if let Some(zone) = zone.or_else(|| words.next()) {
            seconds -= zone_seconds(zone)?;
        }
    }
    Some(seconds)
}

/// `HH[:MM[:SS[.f]]]` in seconds.
fn clock_seconds(clock: &str) -> Option<f64> {
    if clock.is_empty() {
        return Some(0.0);
    }
    let mut total = 0.0;
    for (k, part) in clock.split(':').enumerate() {
        let scale = [3_600.0, 60.0, 1.0].get(k)?;
        total += scale * part.parse::<f64>().ok()?;
    }
    Some(total)
}

/// A time zone (`Z`, `UTC`, `+HH:MM`, `-HHMM`, `+H`) as seconds east of UTC.
fn zone_seconds(zone: &str) -> Option<f64> {
    if zone.eq_ignore_ascii_case("z") || zone.eq_ignore_ascii_case("utc") {
        return Some(0.0);
    }
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1.0, &zone[1..]),
        b'-' => (-1.0, &zone[1..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    Some(sign * (h.parse::<f64>().ok()? * 3_600.0 + m.parse::<f64>().ok()? * 60.0))
}

/// Whether a CF `calendar` attribute (absent: `standard`) is read here.
pub fn gregorian(calendar: Option<&str>) -> bool {
    calendar.is_none_or(|c| {
        matches!(
            c.trim().to_ascii_lowercase().as_str(),
            "standard" | "gregorian" | "proleptic_gregorian"
        )
    })
}

/// The time `value` in `units` (`"<unit> since <reference>"`) as seconds since
/// 1970-01-01T00:00:00 UTC; `None` when the units are not a CF time of a known unit.
pub fn seconds_since_epoch(value: f64, units: &str) -> Option<f64> {
    let (unit, reference) = units.split_once(" since ")?;
    let seconds = value * unit_seconds(unit.trim())? + reference_seconds(reference)?;
    seconds.is_finite().then_some(seconds)
}

/// Labels of times (seconds since the epoch, see [`seconds_since_epoch`]): `YYYY-MM-DD` when
/// every time falls on midnight, else `YYYY-MM-DDTHH:MM:SS`; rounded to the second.
pub fn labels(times: &[f64]) -> Vec<String> {
    let whole: Vec<i64> = times.iter().map(|t| t.round() as i64).collect();
    let dates_only = whole.iter().all(|t| t.rem_euclid(86_400) == 0);
    whole
        .iter()
        .map(|&t| {
            let (y, m, d) = civil_from_days(t.div_euclid(86_400));
            let s = t.rem_euclid(86_400);
            if dates_only {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
