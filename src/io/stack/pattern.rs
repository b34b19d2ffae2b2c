//! Which files a stack names: a list or a glob.
//!
//! ```text
//! list = [DIR/] "[" FILE (";" FILE)* "]"     e.g. [jan.tif;feb.tif;mar.tif]
//! glob = [DIR/] NAME-PATTERN                 e.g. /data/MOD13C2.A2020*.tif
//! ```
//!
//! A list keeps its order; `;` separates its files because `,` already separates the items of
//! a composite input and `?` starts a file's decoding. A `DIR/` before the list is where its
//! relative files are (a recorded absolute input reads so). A glob's wildcards are those of
//! POSIX `fnmatch` (`*`, `?`, `[abc]`, `[a-z]`, `[!a]`), in the file name only, not in folder
//! names; names starting with `.` match only a pattern that does; the matches are sorted by
//! name (byte order), so `MOD13C2.A2020001..` comes before `MOD13C2.A2020032..`. A list's files
//! may be globs themselves.

use crate::io::IoError;
use std::path::{Path, PathBuf};

/// How the files were named, which also says their default order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `[a;b;c]`: in the order listed.
    List,
    /// A glob: sorted by file name.
    Glob,
}

/// The list part of `text`: the folder before it and what is between the brackets.
fn split_list(text: &str) -> Option<(&str, &str)> {
    let head = text.strip_suffix(']')?;
    let open = text
        .char_indices()
        .find(|&(i, c)| c == '[' && (i == 0 || text[..i].ends_with('/')))
        .map(|(i, _)| i)?;
    Some((&text[..open], head.get(open + 1..)?))
}

fn has_wildcard(name: &str) -> bool {
    name.contains(['*', '?', '['])
}

/// The file-name part of a path text (after the last `/`).
fn file_name(text: &str) -> &str {
    text.rsplit_once('/').map_or(text, |(_, name)| name)
}

/// True when `text` names a stack (a list, or a glob in the file name) rather than one file.
pub fn is_pattern(text: &str) -> bool {
    split_list(text).is_some() || has_wildcard(file_name(text))
}

/// The files `text` names, in the order of its [`Origin`]; an error names the pattern when it
/// matches nothing or the list is empty.
pub fn expand(text: &str) -> Result<(Vec<PathBuf>, Origin), IoError> {
    if let Some((dir, inner)) = split_list(text) {
        let base = Path::new(dir);
        let mut files = Vec::new();
        for entry in inner.split(';').map(str::trim).filter(|e| !e.is_empty()) {
            let path = if Path::new(entry).is_relative() {
                base.join(entry)
            } else {
                PathBuf::from(entry)
            };
            let path_text = path.to_string_lossy().to_string();
            if has_wildcard(file_name(&path_text)) && !path.exists() {
                files.extend(glob(&path_text)?);
            } else {
                files.push(path);
            }
        }
        if files.is_empty() {
            return Err(IoError::format(
                text,
                "the list names no file (expected [FILE;FILE;...])",
            ));
        }
        return Ok((files, Origin::List));
    }
    Ok((glob(text)?, Origin::Glob))
}

/// The files matching a glob, sorted by name.
fn glob(text: &str) -> Result<Vec<PathBuf>, IoError> {
    let (dir, pattern) = match text.rsplit_once('/') {
        Some((dir, name)) => (if dir.is_empty() { "/" } else { dir }, name),
        None => ("", text),
    };
    if has_wildcard(dir) {
        return Err(IoError::format(
            text,
            "wildcards are read in the file name only, not in folder names",
        ));
    }
    let read_from = if dir.is_empty() { Path::new(".") } else { Path::new(dir) };
    let listing = std::fs::read_dir(read_from).map_err(|e| IoError::os(read_from, e))?;
    let pattern: Vec<char> = pattern.chars().collect();
    let mut names: Vec<String> = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|e| IoError::os(read_from, e))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let hidden_ok = !name.starts_with('.') || pattern.first() == Some(&'.');
        if hidden_ok && fnmatch(&pattern, &name.chars().collect::<Vec<_>>()) && !entry.path().is_dir() {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(IoError::format(text, "matches no file"));
    }
    names.sort();
    Ok(names.into_iter().map(|n| Path::new(dir).join(n)).collect())
}

/// Whether `name` matches `pattern` (POSIX `fnmatch` without flags: `*`, `?`, bracket
/// expressions with ranges and `!`/`^` negation; a `[` without its `]` is a plain character).
/// Iterative with one backtrack point, the classic linear-space wildcard matcher.
pub fn fnmatch(pattern: &[char], name: &[char]) -> bool {
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
                continue;
            }
            Some('?') => Some(p + 1),
            Some('[') => match bracket(&pattern[p..], name[n]) {
                Some((true, len)) => Some(p + len),
                Some((false, _)) => None,
                None => (name[n] == '[').then_some(p + 1),
            },
            Some(&c) => (c == name[n]).then_some(p + 1),
            None => None,
        };
        match step {
            Some(next) => {
                p = next;
                n += 1;
            }
            None => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// A bracket expression at the start of `pattern` against `c`: whether it matches and its
/// length, or `None` when the `[` is not closed.
fn bracket(pattern: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pattern.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &lo = pattern.get(i)?;
        if lo == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if pattern.get(i + 1) == Some(&'-') && pattern.get(i + 2).is_some_and(|&h| h != ']') {
            let hi = pattern[i + 2];
            matched |= lo <= c && c <= hi;
            i += 3;
        } else {
            matched |= lo == c;
            i += 1;
        }
    }
}

#[cfg(test)]
#[path = "pattern_tests.rs"]
mod tests;
