use super::*;

#[test]
fn class_spectra_are_physically_plausible() {
    let e = Endmembers::from_earthlib().unwrap();
    for c in LandClass::ALL {
        let total: f64 = mixture(c).iter().map(|(_, f)| f).sum();
        assert!((total - 1.0).abs() < 1e-12, "{c:?} fractions sum to {total}");
        let s = e.class_spectrum(c);
        assert!(s.iter().all(|&r| r > 0.0 && r < 1.0), "{c:?}: {s:?}");
    }
    let sand = e.class_spectrum(LandClass::SandDesert);
    assert!(
        sand.windows(2).all(|w| w[1] > w[0]),
        "sand rises with wavelength: {sand:?}"
    );
    assert!(sand[4] > 0.3 && ndvi(&sand) < 0.1 && ndvi(&sand) > 0.02, "{sand:?}");
    let forest = e.class_spectrum(LandClass::EvergreenBroadleaf);
    assert!(forest[3] < 0.05 && forest[4] > 0.3 && ndvi(&forest) > 0.8, "{forest:?}");
    let snow = e.class_spectrum(LandClass::SnowIce);
    assert!(snow[0] > 0.85 && ndvi(&snow).abs() < 0.1, "{snow:?}");
    let order = [
        LandClass::SandDesert,
        LandClass::Steppe,
        LandClass::Savanna,
        LandClass::EvergreenBroadleaf,
    ];
    let v: Vec<f64> = order.iter().map(|&c| ndvi(&e.class_spectrum(c))).collect();
    assert!(
        v.windows(2).all(|w| w[1] > w[0]),
        "NDVI grows desert < steppe < savanna < forest: {v:?}"
    );
}

#[test]
fn bad_table_is_an_error_naming_the_column() {
    let err = Endmembers::from_csv("NAME,LEVEL_2\nx,y\n", "t.csv").unwrap_err();
    assert!(err.to_string().contains("LEVEL_3"), "{err}");
}
