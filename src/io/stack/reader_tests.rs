#![allow(clippy::single_range_in_vec_init, clippy::needless_range_loop)]

use super::*;
use crate::dataset::varspec::Reduction;
use crate::dataset::{GridDataset, GridVariable};

const NAN: f64 = f64::NAN;

/// A 2 x 3 grid holding `V` (the month's values) and `Mask` (`mask`).
fn month(k: usize, v: Vec<f64>, mask: Vec<f64>) -> GridDataset {
    let var = |name: &str, values: Vec<f64>| GridVariable {
        name: name.into(),
        units: Some("1".into()),
        long_name: None,
        values,
    };
    GridDataset {
        path: format!("m{k}.nc").into(),
        grid: Grid::regular(2, 3, 45.0, -120.0, 10.0),
        variables: vec![var("V", v), var("Mask", mask)],
    }
}

fn stack() -> StackReader<GridDataset> {
    let mask = vec![1.0, 1.0, NAN, 0.0, 1.0, 1.0];
    let members = vec![
        month(0, vec![1.0, NAN, 3.0, 4.0, 5.0, 6.0], mask.clone()),
        month(1, vec![2.0, NAN, 1.0, 8.0, 5.0, 7.0], mask.clone()),
        month(2, vec![4.0, NAN, 2.0, NAN, 6.0, 9.0], mask),
    ];
    let labels = vec!["jan".into(), "feb".into(), "mar".into()];
    StackReader::new(Path::new("m*.nc"), members, labels, StackOrder::Name, None).unwrap()
}

#[test]
fn entries_are_files_and_series_expand_over_them() {
    let s = stack();
    assert_eq!(s.expand("V[*]").unwrap(), ["V[0]", "V[1]", "V[2]"]);
    assert_eq!(s.expand("V:mean").unwrap(), ["V:mean"]);
    assert_eq!(s.read_block("V[1]", 1..2, &[0..3]).unwrap(), [8.0, 5.0, 7.0]);
    assert_eq!(s.read_block("V[2]", 0..1, &[2..3, 0..1]).unwrap(), [2.0, 4.0]);
    assert_eq!(s.units("V[2]").unwrap().as_deref(), Some("1"));
    let e = s.units("V[3]").unwrap_err().to_string();
    assert!(
        e.contains("index 3 is out of range: the stack has 3 files, entries 0..2"),
        "{e}"
    );
    let info = s.info();
    assert_eq!(info.labels, ["jan", "feb", "mar"]);
    assert_eq!(info.files, ["m0.nc", "m1.nc", "m2.nc"]);
    assert_eq!(info.order, "name");
}

#[test]
fn reductions_match_a_reduction_over_an_extra_dimension() {
    let s = stack();
    for r in Reduction::ALL {
        let got = s.read_block(&format!("V:{}", r.keyword()), 0..2, &[0..3]).unwrap();
        for c in 0..6 {
            let series: Vec<f64> = s.members().iter().map(|m| m.variables[0].values[c]).collect();
            let want = r.apply(&series);
            assert!(
                got[c].to_bits() == want.to_bits() || (got[c].is_nan() && want.is_nan()),
                "{r:?} cell {c}"
            );
        }
    }
    // Row slices (3 files, 2 rows: one row at a time) give the same values as one read.
    let one_row: Vec<f64> = (0..2)
        .flat_map(|r| s.read_block("V:median", r..r + 1, &[0..3]).unwrap())
        .collect();
    let both = s.read_block("V:median", 0..2, &[0..3]).unwrap();
    assert_eq!(format!("{one_row:?}"), format!("{both:?}"));
}

#[test]
fn a_plain_name_reads_a_field_every_file_holds_alike_and_refuses_a_series() {
    let s = stack();
    let mask = s.read_block("Mask", 0..2, &[0..3]).unwrap();
    assert_eq!(format!("{mask:?}"), format!("{:?}", vec![1.0, 1.0, NAN, 0.0, 1.0, 1.0]));
    let e = s.read_block("V", 0..2, &[0..3]).unwrap_err().to_string();
    assert!(
        e.starts_with("m*.nc: variable V: differs between m0.nc and m1.nc"),
        "{e}"
    );
    assert!(e.contains("V[i]") && e.contains("V[*]") && e.contains("V:mean"), "{e}");
    assert!(s.read_block("V[*]", 0..1, &[0..3]).is_err());
}

#[test]
fn files_on_another_grid_are_named_both() {
    let mut other = month(1, vec![0.0; 6], vec![0.0; 6]);
    other.grid = Grid::regular(2, 3, 44.0, -120.0, 10.0);
    let members = vec![month(0, vec![0.0; 6], vec![0.0; 6]), other];
    let e = StackReader::new(
        Path::new("m*.nc"),
        members,
        vec!["a".into(), "b".into()],
        StackOrder::Name,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("m1.nc: grid 2x3"), "{e}");
    assert!(e.contains("differs from that of m0.nc"), "{e}");
}

#[test]
fn a_stack_of_one_variable_refuses_others() {
    let members = vec![month(0, vec![0.0; 6], vec![0.0; 6])];
    let s = StackReader::new(
        Path::new("x"),
        members,
        vec!["a".into()],
        StackOrder::List,
        Some("V".into()),
    )
    .unwrap();
    assert_eq!(s.variable_names(), ["V"]);
    assert!(s.units("Mask[0]").unwrap_err().to_string().contains("not in the stack"));
}
