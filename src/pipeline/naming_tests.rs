use super::*;

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn class_names_read_values_and_names_with_a_header_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(
        &dir,
        "k.csv",
        "code,name\n# comment\n1,Af\n7, BWh \n\n12,\"Csa, hot\"\n",
    );
    let names = read_class_names(&p).unwrap();
    assert_eq!(names.len(), 3);
    assert_eq!(names[&7], "BWh");
    assert_eq!(names[&12], "Csa, hot");
}

#[test]
fn bad_class_names_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "k.csv", "1,Af\nx,BWh\n");
    let e = read_class_names(&p).unwrap_err().to_string();
    assert!(e.contains("k.csv") && e.contains("line 2"), "{e}");
    let p = file(&dir, "d.csv", "1,Af\n1,Am\n");
    assert!(read_class_names(&p).unwrap_err().to_string().contains("twice"));
}

#[test]
fn cluster_names_take_numbers_or_cluster_keys() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(
        &dir,
        "n.toml",
        "[names]\n0 = \"desert\"\ncluster_3 = \"boreal forest\"\n",
    );
    let names = read_cluster_names(&p).unwrap();
    assert_eq!(names[&0], "desert");
    assert_eq!(names[&3], "boreal forest");
    let top = file(&dir, "t.toml", "2 = \"tundra\"\n");
    assert_eq!(read_cluster_names(&top).unwrap()[&2], "tundra");
    let c = ClusterNames {
        file: Some(p.clone()),
        names,
    };
    assert!(c.check_k(4).is_ok());
    let e = c.check_k(3).unwrap_err().to_string();
    assert!(
        e.contains("n.toml") && e.contains("cluster 3") && e.contains("k = 3"),
        "{e}"
    );
}

#[test]
fn bad_cluster_names_are_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (text, expected) in [
        ("[names]\nx = \"a\"\n", "not a cluster number"),
        ("[names]\n0 = 3\n", "quoted text"),
        ("[names]\n0 = \"a\"\n1 = \"a\"\n", "both named"),
        ("[names]\n0 = \"\"\n", "empty name"),
        ("[names\n", "n.toml"),
        ("", "names no cluster"),
    ] {
        let p = file(&dir, "n.toml", text);
        let e = read_cluster_names(&p).unwrap_err().to_string();
        assert!(
            e.contains(expected) && e.contains("n.toml") && !e.contains('\n'),
            "{text:?}: {e}"
        );
    }
}

#[test]
fn flag_meanings_are_cf_words_and_unique() {
    assert_eq!(
        flag_meaning("SurfaceClass sand_desert 91 %, NDVI low", 0),
        "SurfaceClass_sand_desert_91_pct_NDVI_low"
    );
    assert_eq!(flag_meaning("éé", 4), "cluster_4");
    let words = flag_meanings(&["a b".into(), "a_b".into(), "c".into()]);
    assert_eq!(words, vec!["a_b", "a_b_1", "c"]);
}

#[test]
fn truths_are_recorded_as_one_name_or_a_list() {
    #[derive(Serialize, Deserialize)]
    struct T {
        #[serde(serialize_with = "serialize_truths", deserialize_with = "deserialize_truths")]
        truth: Vec<String>,
    }
    for (truth, json) in [
        (vec![], r#"{"truth":null}"#),
        (vec!["A".to_string()], r#"{"truth":"A"}"#),
        (vec!["A".to_string(), "B".to_string()], r#"{"truth":["A","B"]}"#),
    ] {
        let text = serde_json::to_string(&T { truth: truth.clone() }).unwrap();
        assert_eq!(text, json);
        assert_eq!(serde_json::from_str::<T>(&text).unwrap().truth, truth);
    }
}
