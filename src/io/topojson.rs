//! Natural Earth land polygons as TopoJSON (embedded in the binary) and their arc decoder,
//! shared by the map coastlines (`plot`) and the fine-resolution land mask of the demo (`synth`).
//!
//! TopoJSON (Bostock, TopoJSON specification 1.0): geometries reference shared arcs; with a
//! `transform`, each arc is a list of delta-encoded integer positions, and the absolute
//! position is `cumulative sum * scale + translate`.

/// Natural Earth 1:110m land polygons (npm `world-atlas` 2.0.2, `land-110m.json`).
pub static LAND_110M: &[u8] = include_bytes!("../../assets/map/natural_earth_land_110m.topo.json");
/// Natural Earth 1:50m land polygons (npm `world-atlas` 2.0.2, `land-50m.json`).
pub static LAND_50M: &[u8] = include_bytes!("../../assets/map/natural_earth_land_50m.topo.json");

#[derive(serde::Deserialize)]
struct Topology {
    arcs: Vec<Vec<Vec<f64>>>,
    transform: Option<TopoTransform>,
}

#[derive(serde::Deserialize)]
struct TopoTransform {
    scale: [f64; 2],
    translate: [f64; 2],
}

/// Decode TopoJSON arcs to lon/lat polylines: quantized arcs are delta-encoded integers,
/// absolute position = cumulative sum * scale + translate.
pub fn decode_topojson_arcs(bytes: &[u8]) -> Result<Vec<Vec<(f64, f64)>>, String> {
    let topo: Topology = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut arcs = Vec::with_capacity(topo.arcs.len());
    for (a, arc) in topo.arcs.iter().enumerate() {
        let mut line = Vec::with_capacity(arc.len());
        let (mut qx, mut qy) = (0.0, 0.0);
        for p in arc {
            if p.len() < 2 {
                return Err(format!("arc {a}: position with fewer than 2 coordinates"));
            }
            match &topo.transform {
                Some(t) => {
                    qx += p[0];
                    qy += p[1];
                    line.push((qx * t.scale[0] + t.translate[0], qy * t.scale[1] + t.translate[1]));
                }
                None => line.push((p[0], p[1])),
            }
        }
        arcs.push(line);
    }
    Ok(arcs)
}

/// Decode the polygon rings of every Polygon and MultiPolygon of the topology (in
/// GeometryCollections too) as closed lon/lat polylines: each ring is the concatenation of its
/// arcs (`~i`, i.e. `-i - 1`, is arc `i` reversed), the shared point between two arcs kept once.
/// Arcs that no polygon references (e.g. cut lines left over from merging) are not included.
pub fn decode_topojson_rings(bytes: &[u8]) -> Result<Vec<Vec<(f64, f64)>>, String> {
    #[derive(serde::Deserialize)]
    struct Objects {
        objects: std::collections::BTreeMap<String, serde_json::Value>,
    }
    let arcs = decode_topojson_arcs(bytes)?;
    let topo: Objects = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut rings = Vec::new();
    for geometry in topo.objects.values() {
        collect_rings(geometry, &arcs, &mut rings)?;
    }
    Ok(rings)
}

fn collect_rings(
    geometry: &serde_json::Value,
    arcs: &[Vec<(f64, f64)>],
    out: &mut Vec<Vec<(f64, f64)>>,
) -> Result<(), String> {
    let list = |v: &serde_json::Value, what: &str| -> Result<Vec<serde_json::Value>, String> {
        v.as_array().cloned().ok_or_else(|| format!("{what} is not an array"))
    };
    match geometry.get("type").and_then(serde_json::Value::as_str) {
        Some("GeometryCollection") => {
            for g in list(&geometry["geometries"], "geometries")? {
                collect_rings(&g, arcs, out)?;
            }
        }
        Some("Polygon") => {
            for ring in list(&geometry["arcs"], "Polygon arcs")? {
                out.push(ring_of(&list(&ring, "ring")?, arcs)?);
            }
        }
        Some("MultiPolygon") => {
            for polygon in list(&geometry["arcs"], "MultiPolygon arcs")? {
                for ring in list(&polygon, "polygon")? {
                    out.push(ring_of(&list(&ring, "ring")?, arcs)?);
                }
            }
        }
        _ => {} // points and lines enclose no area
    }
    Ok(())
}

fn ring_of(refs: &[serde_json::Value], arcs: &[Vec<(f64, f64)>]) -> Result<Vec<(f64, f64)>, String> {
    let mut ring: Vec<(f64, f64)> = Vec::new();
    for r in refs {
        let i = r
            .as_i64()
            .ok_or_else(|| format!("arc reference {r} is not an integer"))?;
        let (index, reversed) = if i >= 0 { (i, false) } else { (-i - 1, true) };
        let arc = usize::try_from(index)
            .ok()
            .and_then(|k| arcs.get(k))
            .ok_or_else(|| format!("arc reference {i} out of range ({} arcs)", arcs.len()))?;
        let points: Box<dyn Iterator<Item = &(f64, f64)>> = if reversed {
            Box::new(arc.iter().rev())
        } else {
            Box::new(arc.iter())
        };
        let skip = usize::from(!ring.is_empty());
        ring.extend(points.skip(skip));
    }
    Ok(ring)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_join_arcs_and_reverse_negative_references() {
        let json = br#"{"type":"Topology","arcs":[[[0,0],[1,0],[1,1]],[[0,0],[0,1],[1,1]],[[5,5],[6,6]]],
            "objects":{"land":{"type":"GeometryCollection","geometries":[
                {"type":"Polygon","arcs":[[0,-2]]},{"type":"LineString","arcs":[2]}]}}}"#;
        let rings = decode_topojson_rings(json).unwrap();
        assert_eq!(
            rings,
            vec![vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]
        );
        let bad = br#"{"arcs":[],"objects":{"a":{"type":"Polygon","arcs":[[3]]}}}"#;
        assert!(decode_topojson_rings(bad).is_err());
    }

    #[test]
    fn natural_earth_land_rings_are_closed() {
        let rings = decode_topojson_rings(LAND_50M).unwrap();
        assert!(rings.len() > 1000);
        assert!(rings.iter().all(|r| r.len() >= 3 && r.first() == r.last()));
    }
}
