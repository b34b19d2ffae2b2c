//! The demo's land classes (its ground truth) and how Koppen-Geiger zones map onto them.

/// A generating land class of the demo. The discriminant is the `SurfaceClass` value in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i16)]
pub enum LandClass {
    SnowIce = 1,
    SandDesert = 2,
    DrySoil = 3,
    Steppe = 4,
    Savanna = 5,
    MediterraneanShrub = 6,
    CroplandMixed = 7,
    EvergreenBroadleaf = 8,
    DeciduousForest = 9,
    BorealNeedleleaf = 10,
    Tundra = 11,
}

impl LandClass {
    /// Every class, in `SurfaceClass` order.
    pub const ALL: [LandClass; 11] = [
        LandClass::SnowIce,
        LandClass::SandDesert,
        LandClass::DrySoil,
        LandClass::Steppe,
        LandClass::Savanna,
        LandClass::MediterraneanShrub,
        LandClass::CroplandMixed,
        LandClass::EvergreenBroadleaf,
        LandClass::DeciduousForest,
        LandClass::BorealNeedleleaf,
        LandClass::Tundra,
    ];

    /// The `SurfaceClass` value (1..=11).
    pub fn code(self) -> i16 {
        self as i16
    }

    /// Position in [`LandClass::ALL`].
    pub fn index(self) -> usize {
        self as usize - 1
    }

    /// The CF `flag_meanings` word.
    pub fn name(self) -> &'static str {
        match self {
            LandClass::SnowIce => "snow_ice",
            LandClass::SandDesert => "sand_desert",
            LandClass::DrySoil => "dry_soil",
            LandClass::Steppe => "steppe",
            LandClass::Savanna => "savanna",
            LandClass::MediterraneanShrub => "mediterranean_shrub",
            LandClass::CroplandMixed => "cropland_mixed",
            LandClass::EvergreenBroadleaf => "evergreen_broadleaf",
            LandClass::DeciduousForest => "deciduous_forest",
            LandClass::BorealNeedleleaf => "boreal_needleleaf",
            LandClass::Tundra => "tundra",
        }
    }

    /// How much the class feeds desert dust into the aerosol fields (0..1).
    pub fn dust_source(self) -> f64 {
        match self {
            LandClass::SandDesert => 1.0,
            LandClass::DrySoil => 0.6,
            LandClass::Steppe => 0.25,
            _ => 0.0,
        }
    }
}

/// Koppen-Geiger zone names by code (1 = Af ... 31 = ET), as in `koppen_geiger_classes.csv`.
pub const KOPPEN_NAMES: [&str; 31] = [
    "Af", "Am", "As", "Aw", "BSh", "BSk", "BWh", "BWk", "Cfa", "Cfb", "Cfc", "Csa", "Csb", "Csc", "Cwa", "Cwb", "Cwc",
    "Dfa", "Dfb", "Dfc", "Dfd", "Dsa", "Dsb", "Dsc", "Dsd", "Dwa", "Dwb", "Dwc", "Dwd", "EF", "ET",
];

/// The land class of a Koppen-Geiger zone code; `None` for 0 (no zone), 32 (ocean) and others.
pub fn class_of_koppen(code: u8) -> Option<LandClass> {
    use LandClass::*;
    let name = KOPPEN_NAMES.get(usize::from(code).checked_sub(1)?)?;
    Some(match *name {
        "EF" => SnowIce,
        "BWh" => SandDesert,
        "BWk" => DrySoil,
        "BSh" | "BSk" => Steppe,
        "Aw" | "As" | "Cwb" | "Cwc" => Savanna,
        "Csa" | "Csb" | "Csc" => MediterraneanShrub,
        "Cfa" | "Cfb" | "Cwa" | "Dfa" | "Dwa" | "Dsa" => CroplandMixed,
        "Af" | "Am" => EvergreenBroadleaf,
        "Dfb" | "Dwb" | "Dsb" => DeciduousForest,
        "Dfc" | "Dfd" | "Dwc" | "Dwd" | "Dsc" | "Dsd" => BorealNeedleleaf,
        _ => Tundra, // ET and Cfc: cold, sparse vegetation
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_has_a_class_and_codes_round_trip() {
        assert!((1..=31).all(|c| class_of_koppen(c).is_some()));
        assert_eq!(class_of_koppen(0), None);
        assert_eq!(class_of_koppen(32), None);
        assert_eq!(class_of_koppen(7), Some(LandClass::SandDesert));
        assert_eq!(class_of_koppen(11), Some(LandClass::Tundra));
        assert_eq!(class_of_koppen(31), Some(LandClass::Tundra));
        for (i, c) in LandClass::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(c.code() as usize, i + 1);
        }
    }
}
