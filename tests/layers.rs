//! The crate's layering, checked from its sources.
//!
//! Data flow one way through landclust's top-level modules, and so do imports. Bottom up:
//!
//! | module | may use, besides itself |
//! |---|---|
//! | `par`, `progress` | nothing |
//! | `dataset` | `par`, `progress` |
//! | `io` | `dataset`, `par`, `progress` |
//! | `features`, `reduce`, `cluster`, `metrics` | each other, `dataset`, `par`, `progress` (algorithms read and write no files) |
//! | `synth` | the above and `io` (it writes demo files) |
//! | `plot` | the above and `synth` |
//! | `report` | the above and `plot` |
//! | `pipeline` | all of the above and `error` (the crate-wide `Error`/`Result`) |
//! | `cli`, `main`, `lib`, `error` | everything |
//!
//! so the crate-wide `crate::Error`/`crate::Result` appear only in `pipeline`, `cli`, `main` and
//! `lib` (and `error.rs`, which wraps each module's own error).
//!
//! Every `src/**/*.rs` is read except unit-test files (`*_tests.rs`, `tests.rs`) and items under
//! `#[cfg(test)]`. The references collected are the `crate::` paths (also inside
//! `use crate::{a, b::{c, d}}` groups and intra-doc links), `super::`/`self::` paths, and paths
//! that start with a child module's name. Two checks:
//!
//! 1. no file names a top-level module its module may not use (the table above);
//! 2. no import cycle between files of different top-level modules (cycles inside one module,
//!    e.g. between two files of `cluster`, are allowed).
//!
//! A failure lists the offending `file -> path` lines (and, for cycles, the files in each).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const BASE: &[&str] = &["par", "progress"];
const COMPUTE: &[&str] = &["features", "reduce", "cluster", "metrics"];
const TOP_ANYTHING: &[&str] = &["cli", "main", "lib", "error"];

/// What each top-level module may use besides itself; `None` = anything.
fn allowed(module: &str) -> Option<BTreeSet<&'static str>> {
    let mut may: BTreeSet<&'static str> = BTreeSet::new();
    let add = |may: &mut BTreeSet<&'static str>, names: &[&'static str]| may.extend(names.iter().copied());
    match module {
        "par" | "progress" => {}
        "dataset" => add(&mut may, BASE),
        "io" => {
            add(&mut may, BASE);
            add(&mut may, &["dataset"]);
        }
        "features" | "reduce" | "cluster" | "metrics" => {
            add(&mut may, BASE);
            add(&mut may, COMPUTE);
            add(&mut may, &["dataset"]);
        }
        "synth" | "plot" | "report" | "pipeline" => {
            add(&mut may, BASE);
            add(&mut may, COMPUTE);
            add(&mut may, &["dataset", "io"]);
            if module != "synth" {
                add(&mut may, &["synth"]);
            }
            if module == "report" || module == "pipeline" {
                add(&mut may, &["plot"]);
            }
            if module == "pipeline" {
                add(&mut may, &["report", "error"]);
            }
        }
        _ => return None,
    }
    Some(may)
}

fn known_top(name: &str) -> bool {
    allowed(name).is_some() || TOP_ANYTHING.contains(&name)
}

/// One source file: its path relative to `src/` and its module path (`io::netcdf::write`).
struct SourceFile {
    rel: String,
    module: Vec<String>,
    text: String,
}

fn read_sources(src: &Path) -> Vec<SourceFile> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name.ends_with("_tests.rs") || name == "tests.rs" {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
            let mut module: Vec<String> = rel.trim_end_matches(".rs").split('/').map(String::from).collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            if module == ["lib"] || module == ["main"] {
                // The crate root: its children are the top-level modules.
                module.clear();
            }
            let text = strip_cfg_test(&std::fs::read_to_string(&path).unwrap());
            out.push(SourceFile { rel, module, text });
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

fn top_of(rel: &str) -> &str {
    rel.split('/').next().unwrap().trim_end_matches(".rs")
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Index just past the string, char or comment that starts at `i`, or `None` when none does.
fn skip_literal(b: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    if at(i) == b'/' && at(i + 1) == b'/' {
        let mut k = i;
        while k < b.len() && b[k] != b'\n' {
            k += 1;
        }
        return Some(k);
    }
    if at(i) == b'/' && at(i + 1) == b'*' {
        let (mut k, mut depth) = (i + 2, 1);
        while k < b.len() && depth > 0 {
            if at(k) == b'/' && at(k + 1) == b'*' {
                depth += 1;
                k += 2;
            } else if at(k) == b'*' && at(k + 1) == b'/' {
                depth -= 1;
                k += 2;
            } else {
                k += 1;
            }
        }
        return Some(k);
    }
    if at(i) == b'r' && (at(i + 1) == b'"' || at(i + 1) == b'#') && (i == 0 || !is_ident(b[i - 1])) {
        let mut k = i + 1;
        let mut hashes = 0;
        while at(k) == b'#' {
            hashes += 1;
            k += 1;
        }
        if at(k) != b'"' {
            return None;
        }
        k += 1;
        while k < b.len() {
            if b[k] == b'"' && (1..=hashes).all(|h| at(k + h) == b'#') {
                return Some(k + 1 + hashes);
            }
            k += 1;
        }
        return Some(k);
    }
    if at(i) == b'"' {
        let mut k = i + 1;
        while k < b.len() && b[k] != b'"' {
            k += if b[k] == b'\\' { 2 } else { 1 };
        }
        return Some(k + 1);
    }
    if at(i) == b'\'' {
        // A char literal ('a', '\n', '\u{..}'); a lifetime ('a) is left alone.
        if at(i + 1) == b'\\' {
            let mut k = i + 2;
            while k < b.len() && b[k] != b'\'' {
                k += 1;
            }
            return Some(k + 1);
        }
        let width = std::str::from_utf8(&b[i + 1..(i + 5).min(b.len())])
            .map(|s| s.chars().next().map_or(1, char::len_utf8))
            .unwrap_or(1);
        if at(i + 1 + width) == b'\'' {
            return Some(i + 2 + width);
        }
    }
    None
}

/// The text without the items under `#[cfg(test)]` (a `mod tests;` line, a `mod tests { .. }`
/// block, a test-only function or import).
fn strip_cfg_test(text: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if let Some(k) = skip_literal(b, i) {
            i = k;
            continue;
        }
        if !text[i..].starts_with(MARK) {
            i += 1;
            continue;
        }
        out.push_str(&text[copied..i]);
        let mut k = i + MARK.len();
        // The item ends at a `;` or at the `}` closing its first block, outside nested
        // brackets, strings and comments; its other attributes go with it.
        let mut depth = 0i32;
        while k < b.len() {
            if let Some(next) = skip_literal(b, k) {
                k = next;
                continue;
            }
            match b[k] {
                b'{' | b'[' | b'(' => depth += 1,
                b'}' | b']' | b')' => {
                    depth -= 1;
                    if depth == 0 && b[k] == b'}' {
                        k += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    k += 1;
                    break;
                }
                _ => {}
            }
            k += 1;
        }
        i = k;
        copied = k;
    }
    out.push_str(&text[copied.min(text.len())..]);
    out
}

/// The path that starts at byte `i` (identifiers joined by `::`, `{..}` groups expanded), each
/// as its segments, appended to `prefix`.
fn parse_tree(text: &str, mut i: usize, prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let b = text.as_bytes();
    let mut segs: Vec<String> = prefix.to_vec();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'{' {
            // A group: each comma-separated item is a tree of its own under `segs`.
            i += 1;
            loop {
                while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'}' {
                    return i + 1;
                }
                let before = i;
                i = parse_tree(text, i, &segs, out);
                // Skip an `as name` or anything else up to the item's end.
                while i < b.len() && b[i] != b',' && b[i] != b'}' {
                    i += 1;
                }
                if i == before {
                    i += 1;
                }
            }
        }
        let start = i;
        while i < b.len() && is_ident(b[i]) {
            i += 1;
        }
        if i == start {
            break;
        }
        segs.push(text[start..i].to_string());
        if text[i..].starts_with("::") {
            i += 2;
        } else {
            break;
        }
    }
    if segs.len() > prefix.len() {
        out.push(segs);
    }
    i
}

/// Every path the text names that starts with `crate`, `super`, `self` or an identifier
/// directly followed by `::` (not after another `::`), with its leading keyword.
fn paths_of(text: &str) -> Vec<Vec<String>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Strings and chars are skipped; comments are not: an intra-doc link is a reference too.
        if b[i] != b'/'
            && let Some(k) = skip_literal(b, i)
        {
            i = k;
            continue;
        }
        let boundary = i == 0 || !(is_ident(b[i - 1]) || b[i - 1] == b':' || b[i - 1] == b'$');
        if boundary && is_ident(b[i]) && !b[i].is_ascii_digit() {
            let mut k = i;
            while k < b.len() && is_ident(b[k]) {
                k += 1;
            }
            if text[k..].starts_with("::") {
                i = parse_tree(text, i, &[], &mut out).max(k);
                continue;
            }
            i = k;
            continue;
        }
        i += 1;
    }
    out
}

/// The file a module path names: the longest prefix of `segs` that is a source file.
fn resolve<'a>(files: &'a BTreeMap<Vec<String>, String>, segs: &[String]) -> Option<&'a String> {
    (1..=segs.len()).rev().find_map(|n| files.get(&segs[..n].to_vec()))
}

struct Analysis {
    violations: Vec<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
    files: Vec<String>,
}

fn analyse(sources: &[SourceFile]) -> Analysis {
    let by_module: BTreeMap<Vec<String>, String> = sources.iter().map(|s| (s.module.clone(), s.rel.clone())).collect();
    let mut violations = BTreeSet::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in sources {
        let me = top_of(&s.rel);
        let may = allowed(me);
        // A file's own module, and the module `super` names (a `mod.rs` or `x.rs` of `a::x`).
        let here = s.module.clone();
        for path in paths_of(&s.text) {
            let (absolute, shown): (Vec<String>, String) = match path[0].as_str() {
                "crate" => (path[1..].to_vec(), path.join("::")),
                "self" => {
                    let mut a = here.clone();
                    a.extend_from_slice(&path[1..]);
                    (a, path.join("::"))
                }
                "super" => {
                    let mut a = here.clone();
                    let mut rest = &path[..];
                    while rest.first().is_some_and(|p| p == "super") {
                        a.pop();
                        rest = &rest[1..];
                    }
                    a.extend_from_slice(rest);
                    (a, path.join("::"))
                }
                first => {
                    // A child module of this file's module, named without `self::`.
                    let mut child = here.clone();
                    child.push(first.to_string());
                    if !by_module.contains_key(&child) {
                        continue;
                    }
                    let mut a = here.clone();
                    a.extend_from_slice(&path);
                    (a, path.join("::"))
                }
            };
            let Some(head) = absolute.first() else { continue };
            let layer = if head == "Error" || head == "Result" {
                "error"
            } else {
                head.as_str()
            };
            if layer != me
                && known_top(layer)
                && let Some(may) = &may
                && !may.contains(layer)
            {
                violations.insert(format!("{} -> {shown}", s.rel));
            }
            let target = if layer == "error" {
                by_module.get(&vec!["error".to_string()])
            } else {
                resolve(&by_module, &absolute)
            };
            if let Some(t) = target
                && *t != s.rel
            {
                edges.entry(s.rel.clone()).or_default().insert(t.clone());
            }
        }
    }
    Analysis {
        violations: violations.into_iter().collect(),
        edges,
        files: sources.iter().map(|s| s.rel.clone()).collect(),
    }
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(files: &[String], edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(st: &mut State<'a>, v: &'a str) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v);
        if let Some(ws) = st.edges.get(v) {
            for w in ws {
                let w = w.as_str();
                if !st.index.contains_key(w) {
                    visit(st, w);
                    let lw = st.low[w];
                    let lv = st.low[v];
                    st.low.insert(v, lv.min(lw));
                } else if st.on_stack.contains(w) {
                    let iw = st.index[w];
                    let lv = st.low[v];
                    st.low.insert(v, lv.min(iw));
                }
            }
        }
        if st.low[v] == st.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                st.found.push(comp);
            }
        }
    }
    let mut st = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for f in files {
        if !st.index.contains_key(f.as_str()) {
            visit(&mut st, f);
        }
    }
    st.found
}

#[test]
fn modules_use_only_lower_layers_and_form_no_cycle_across_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sources = read_sources(&src);
    assert!(
        sources.len() > 50,
        "read only {} files under {}",
        sources.len(),
        src.display()
    );
    let a = analyse(&sources);
    let cross: Vec<Vec<String>> = cycles(&a.files, &a.edges)
        .into_iter()
        .filter(|c| c.iter().map(|f| top_of(f)).collect::<BTreeSet<_>>().len() > 1)
        .collect();
    let mut report = String::new();
    for v in &a.violations {
        report.push_str(&format!("violation: {v}\n"));
    }
    for c in &cross {
        report.push_str(&format!("cycle across modules ({} files):\n", c.len()));
        for f in c {
            for t in a.edges.get(f).into_iter().flatten().filter(|t| c.contains(t)) {
                report.push_str(&format!("  {f} -> {t}\n"));
            }
        }
    }
    assert!(
        report.is_empty(),
        "{} layer violations, {} cycles across top-level modules:\n{report}",
        a.violations.len(),
        cross.len()
    );
}

/// The scanner itself, on a made-up crate: groups, `super`, child modules, a crate-wide error
/// in a low layer, test-only items and strings that only look like paths.
#[test]
fn the_scanner_finds_groups_relative_paths_and_skips_tests_and_strings() {
    let file = |rel: &str, module: &[&str], text: &str| SourceFile {
        rel: rel.into(),
        module: module.iter().map(|m| m.to_string()).collect(),
        text: strip_cfg_test(text),
    };
    let sources = [
        file(
            "dataset/mod.rs",
            &["dataset"],
            "mod table;\npub use table::Table;\nuse crate::{par, io::{atomic::write, IoError as E}};\n\
             fn f() -> crate::Result<()> { let s = \"crate::plot::x {\"; let c = '{'; Ok(()) }\n\
             #[cfg(test)]\n#[path = \"t.rs\"]\nmod tests;\n\
             #[cfg(test)]\nmod more { use crate::cli::X; fn g() { let _ = '}'; } }\n",
        ),
        file(
            "dataset/table.rs",
            &["dataset", "table"],
            "use super::Grid; // crate::report::y in a comment\n",
        ),
        file("io/mod.rs", &["io"], "pub mod atomic;\nuse crate::dataset::Table;\n"),
        file("io/atomic.rs", &["io", "atomic"], "use crate::dataset::table::Row;\n"),
        file("par.rs", &["par"], "pub fn f<'a>(x: &'a str) -> char { 'x' }\n"),
        file("error.rs", &["error"], ""),
        file("plot/mod.rs", &["plot"], "pub fn f() {}\n"),
        file("report/mod.rs", &["report"], "pub fn f() {}\n"),
        file("cli/mod.rs", &["cli"], "pub struct X;\n"),
    ];
    let a = analyse(&sources);
    assert_eq!(
        a.violations,
        [
            "dataset/mod.rs -> crate::Result",
            "dataset/mod.rs -> crate::io::IoError",
            "dataset/mod.rs -> crate::io::atomic::write",
            "dataset/table.rs -> crate::report::y",
        ],
        "{:?}",
        a.edges
    );
    let edges = |f: &str| {
        a.edges
            .get(f)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        edges("dataset/mod.rs"),
        ["dataset/table.rs", "error.rs", "io/atomic.rs", "io/mod.rs", "par.rs"]
    );
    assert_eq!(edges("dataset/table.rs"), ["dataset/mod.rs", "report/mod.rs"]);
    let cross = cycles(&a.files, &a.edges);
    assert_eq!(
        cross,
        [vec![
            "dataset/mod.rs".to_string(),
            "dataset/table.rs".into(),
            "io/atomic.rs".into(),
            "io/mod.rs".into()
        ]]
    );
}
