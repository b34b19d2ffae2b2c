use super::*;

fn world() -> Grid {
    Grid::regular(180, 360, 89.5, -179.5, 1.0)
}

#[test]
fn box_selects_centres_inside() {
    let b: LonLatBox = "-20,55,-37,38".parse().unwrap();
    let w = Window::from_box(&world(), &b).unwrap();
    // Centres 37.5 (row 52) .. -36.5 (row 126) and -19.5 .. 54.5.
    assert_eq!(w.rows, 52..127);
    assert_eq!(w.cols, vec![160..235]);
    assert_eq!(w.n_cols(), 75);
    assert_eq!(w.len(), 75 * 75);
}

#[test]
fn box_across_the_dateline_gives_two_segments_east_part_first() {
    let b: LonLatBox = "170,-170,-10,10".parse().unwrap();
    let w = Window::from_box(&world(), &b).unwrap();
    assert_eq!(w.cols, vec![350..360, 0..10]);
    assert_eq!(w.col_position(355), Some(5));
    assert_eq!(w.col_position(3), Some(13));
    assert_eq!(w.col_position(100), None);
    let sub = world().sub_grid(&w);
    assert_eq!(sub.n_cols, 20);
    assert!(sub.lon.windows(2).all(|p| p[1] > p[0]), "{:?}", sub.lon);
    assert_eq!(sub.lon[0], 170.5);
    assert_eq!(sub.lon[19], 189.5);
}

#[test]
fn box_parsing_and_validation() {
    assert!("1,2,3".parse::<LonLatBox>().is_err());
    assert!("0,10,20,10".parse::<LonLatBox>().is_err());
    assert!("0,10,-95,10".parse::<LonLatBox>().is_err());
    assert!("a,10,0,10".parse::<LonLatBox>().is_err());
    let b: LonLatBox = " 0 , 10 , -5 , 5 ".parse().unwrap();
    assert!(b.contains_lon(360.0 + 5.0));
    assert!(!b.contains_lon(11.0));
}

#[test]
fn an_empty_box_is_an_error() {
    let g = Grid::regular(2, 3, 45.0, -120.0, 90.0);
    let b: LonLatBox = "-10,10,-10,10".parse().unwrap();
    let e = Window::from_box(&g, &b).unwrap_err();
    assert!(e.to_string().contains("--region"), "{e}");
}

#[test]
fn bounding_window_of_cells() {
    let w = Window::bounding([(5, 7), (3, 9), (4, 2)].into_iter()).unwrap();
    assert_eq!(w.rows, 3..6);
    assert_eq!(w.cols, vec![2..10]);
    assert!(Window::bounding(std::iter::empty()).is_none());
}
