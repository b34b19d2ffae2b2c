use super::*;

fn m(p: &str, n: &str) -> bool {
    fnmatch(&p.chars().collect::<Vec<_>>(), &n.chars().collect::<Vec<_>>())
}

#[test]
fn fnmatch_follows_posix_wildcards() {
    assert!(m("MOD13C2.A2020*.tif", "MOD13C2.A2020001.061.tif"));
    assert!(!m("MOD13C2.A2020*.tif", "MOD13C2.A2021001.061.tif"));
    assert!(m("t2m_??.nc", "t2m_01.nc"));
    assert!(!m("t2m_??.nc", "t2m_1.nc"));
    assert!(m("m[0-9][0-9].tif", "m07.tif"));
    assert!(!m("m[!0].tif", "m0.tif"));
    assert!(m("m[!0].tif", "m1.tif"));
    assert!(m("*a*b", "xaybzb"));
    assert!(!m("*a*b", "xaybzc"));
    assert!(m("a[b", "a[b"), "an unclosed [ is a plain character");
    assert!(m("*", ""));
}

#[test]
fn lists_keep_their_order_and_join_their_folder() {
    let (files, origin) = expand("/data/[b.tif; a.tif ;/abs/c.tif]").unwrap();
    assert_eq!(origin, Origin::List);
    assert_eq!(
        files,
        vec![
            PathBuf::from("/data/b.tif"),
            PathBuf::from("/data/a.tif"),
            PathBuf::from("/abs/c.tif")
        ]
    );
    assert!(is_pattern("[a.nc;b.nc]"));
    assert!(is_pattern("/d/x*.nc"));
    assert!(!is_pattern("/d[1]/x.nc"));
    assert!(!is_pattern("plain.nc"));
    let e = expand("[ ; ]").unwrap_err().to_string();
    assert!(e.contains("names no file"), "{e}");
}

#[test]
fn globs_sort_by_name_skip_folders_and_name_the_pattern_when_empty() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["m10.tif", "m02.tif", "m01.tif", ".m03.tif", "other.nc"] {
        std::fs::write(dir.path().join(n), b"x").unwrap();
    }
    std::fs::create_dir(dir.path().join("m99.tif")).unwrap();
    let text = format!("{}/m*.tif", dir.path().display());
    let (files, origin) = expand(&text).unwrap();
    assert_eq!(origin, Origin::Glob);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["m01.tif", "m02.tif", "m10.tif"]);
    let none = format!("{}/z*.tif", dir.path().display());
    let e = expand(&none).unwrap_err().to_string();
    assert_eq!(e, format!("{none}: matches no file"));
    let folder = format!("{}/*/m.tif", dir.path().display());
    assert!(expand(&folder).unwrap_err().to_string().contains("file name only"));
}
