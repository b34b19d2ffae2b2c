use super::series_layout;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn series_layout_groups_columns_by_variable_then_entry() {
    // Columns in any order: the layout maps (variable, entry) to the column.
    let (vars, columns) = series_layout(&names(&["B[1]", "A[0]", "A[1]", "B[0]"])).unwrap();
    assert_eq!(vars, ["B", "A"]);
    assert_eq!(columns, vec![vec![3, 0], vec![1, 2]]);
}

#[test]
fn series_layout_refuses_what_is_not_a_series() {
    for (list, needle) in [
        (&["A[0]", "A[1]", "B"][..], "B is not an entry of a series"),
        (&["A[0]", "A[1]", "B[0]", "B[2]"][..], "different entries"),
        (&["A[0]", "B[0]"][..], "at least 2 entries"),
        (&["A[0]", "A[0]"][..], "same entry twice"),
    ] {
        let err = series_layout(&names(list)).unwrap_err();
        assert!(err.contains(needle), "{list:?}: {err}");
    }
}
