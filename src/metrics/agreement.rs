//! Agreement of a clustering with a reference classification, in the measures that land-cover
//! and climate-classification papers report: homogeneity, completeness and V-measure
//! (Rosenberg & Hirschberg 2007), Cramer's V (Cramer 1946, without continuity correction), and
//! overall accuracy and Cohen's kappa (Cohen 1960) after mapping each cluster to its majority
//! class (the usual way an unsupervised map is scored against a reference map, e.g. Congalton &
//! Green, "Assessing the Accuracy of Remotely Sensed Data").
//!
//! Every measure is a function of the contingency table alone, so each is computed on a table
//! of weights: cell counts give scikit-learn's and scipy's values (`homogeneity_score`,
//! `completeness_score`, `v_measure_score`, `accuracy_score`, `cohen_kappa_score`,
//! `scipy.stats.contingency.association(method="cramer")`), and cell areas give the
//! area-weighted ones (the same formulas with each cell counted by its area; for integer weights
//! they equal the unweighted measures of the cells repeated that many times, which is how
//! `tests/reference/ref_agreement.py` checks them). Tables are indexed `[class, cluster]`.

use super::{MetricsError, encode};
use ndarray::Array2;

/// Agreement of clusters with reference classes (see the module notes).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Agreement {
    /// Each cluster's class-conditional entropy is small: `1 - H(C|K) / H(C)` (1 when the
    /// reference has one class).
    pub homogeneity: f64,
    /// Each class falls in one cluster: `1 - H(K|C) / H(K)` (1 when there is one cluster).
    pub completeness: f64,
    /// Harmonic mean of homogeneity and completeness (beta = 1).
    pub v_measure: f64,
    /// `sqrt(chi2 / (n min(r - 1, c - 1)))` of the table (0 when it has one row or column).
    pub cramers_v: f64,
    /// Share of the total weight whose cluster's majority class is its class.
    pub overall_accuracy: f64,
    /// Cohen's kappa of the mapped clusters against the classes.
    pub kappa: f64,
    /// For each cluster (in increasing order of cluster label), the index of its majority class
    /// (in increasing order of class label; ties go to the smaller class).
    pub majority_class: Vec<usize>,
}

/// Contingency table `[class, cluster]` of `classes` against `clusters`, each point counted
/// `weights[i]` (or 1 without weights); rows and columns in increasing order of label.
pub fn weighted_contingency(
    classes: &[usize],
    clusters: &[usize],
    weights: Option<&[f64]>,
) -> Result<Array2<f64>, MetricsError> {
    if classes.len() != clusters.len() {
        return Err(MetricsError::LengthMismatch {
            what: "reference classes and clusters",
            left: classes.len(),
            right: clusters.len(),
        });
    }
    if let Some(w) = weights {
        if w.len() != classes.len() {
            return Err(MetricsError::LengthMismatch {
                what: "weights and points",
                left: w.len(),
                right: classes.len(),
            });
        }
        if let Some(i) = w.iter().position(|v| !v.is_finite() || *v < 0.0) {
            return Err(MetricsError::Invalid(format!(
                "weights: point {i} has weight {}, not a finite number >= 0",
                w[i]
            )));
        }
    }
    let ((cc, kc), (ck, kk)) = (encode(classes), encode(clusters));
    let mut table = Array2::<f64>::zeros((kc, kk));
    for (i, (&c, &k)) in cc.iter().zip(&ck).enumerate() {
        table[[c, k]] += weights.map_or(1.0, |w| w[i]);
    }
    Ok(table)
}

/// Entropy (natural log) of the distribution `counts / sum(counts)`, as scikit-learn's
/// `entropy` evaluates it (`-sum p (ln c - ln total)`).
fn entropy(counts: &[f64]) -> f64 {
    let total: f64 = counts.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    -counts
        .iter()
        .filter(|&&c| c > 0.0)
        .map(|&c| (c / total) * (c.ln() - total.ln()))
        .sum::<f64>()
}

/// Mutual information of the table, term by term as scikit-learn's `mutual_info_score`.
fn mutual_info(table: &Array2<f64>, rows: &[f64], cols: &[f64]) -> f64 {
    if rows.len() <= 1 || cols.len() <= 1 {
        return 0.0;
    }
    let total: f64 = rows.iter().sum();
    let mut mi = 0.0;
    for ((i, j), &nij) in table.indexed_iter() {
        if nij <= 0.0 {
            continue;
        }
        let p = nij / total;
        let outer = rows[i] * cols[j];
        let term = p * (nij.ln() - total.ln()) + p * (-outer.ln() + total.ln() + total.ln());
        if term.abs() >= f64::EPSILON {
            mi += term;
        }
    }
    mi.max(0.0)
}

/// Every measure of [`Agreement`] from a `[class, cluster]` table of weights (counts or areas).
pub fn agreement_from_table(table: &Array2<f64>) -> Result<Agreement, MetricsError> {
    let (r, c) = table.dim();
    let total: f64 = table.sum();
    if r == 0 || c == 0 || total <= 0.0 || !total.is_finite() {
        return Err(MetricsError::Invalid(
            "agreement: the contingency table is empty (no point with a class and a cluster)".into(),
        ));
    }
    let rows: Vec<f64> = table.rows().into_iter().map(|x| x.sum()).collect();
    let cols: Vec<f64> = table.columns().into_iter().map(|x| x.sum()).collect();

    // Rosenberg & Hirschberg 2007 through mutual information, as scikit-learn computes them:
    // h = I / H(C), c = I / H(K), each 1 when its entropy is 0.
    let (h_classes, h_clusters) = (entropy(&rows), entropy(&cols));
    let mi = mutual_info(table, &rows, &cols);
    let homogeneity = if h_classes == 0.0 { 1.0 } else { mi / h_classes };
    let completeness = if h_clusters == 0.0 { 1.0 } else { mi / h_clusters };
    let v_measure = if homogeneity + completeness == 0.0 {
        0.0
    } else {
        2.0 * homogeneity * completeness / (homogeneity + completeness)
    };

    // Pearson's chi-squared against independence, without Yates's correction (scipy's
    // association() default), then Cramer's normalisation.
    let cramers_v = if r < 2 || c < 2 {
        0.0
    } else {
        let mut chi2 = 0.0;
        for ((i, j), &o) in table.indexed_iter() {
            let e = rows[i] * cols[j] / total;
            if e > 0.0 {
                chi2 += (o - e) * (o - e) / e;
            }
        }
        (chi2 / total / (r.min(c) - 1) as f64).sqrt()
    };

    // Majority mapping; the mapped labeling's confusion matrix against the classes is the
    // table with its columns summed into their majority rows.
    let majority_class: Vec<usize> = (0..c)
        .map(|j| {
            let col = table.column(j);
            let mut best = 0;
            for i in 1..r {
                if col[i] > col[best] {
                    best = i;
                }
            }
            best
        })
        .collect();
    let mut predicted = vec![0.0; r];
    let mut agree = 0.0;
    for (j, &m) in majority_class.iter().enumerate() {
        predicted[m] += cols[j];
        agree += table[[m, j]];
    }
    let overall_accuracy = agree / total;
    // Cohen's kappa as scikit-learn's cohen_kappa_score: 1 - sum(w o) / sum(w e) with the
    // unweighted disagreement matrix, i.e. (p_o - p_e) / (1 - p_e).
    let expected_agree: f64 = rows.iter().zip(&predicted).map(|(a, b)| a * b).sum::<f64>() / (total * total);
    let kappa = if expected_agree == 1.0 {
        // scikit-learn gives NaN here (0/0); every point in one class and one mapped class is
        // perfect agreement.
        1.0
    } else {
        (overall_accuracy - expected_agree) / (1.0 - expected_agree)
    };
    Ok(Agreement {
        homogeneity,
        completeness,
        v_measure,
        cramers_v,
        overall_accuracy,
        kappa,
        majority_class,
    })
}

/// [`Agreement`] of `clusters` with `classes`, each point counted `weights[i]` (or once).
pub fn agreement(classes: &[usize], clusters: &[usize], weights: Option<&[f64]>) -> Result<Agreement, MetricsError> {
    agreement_from_table(&weighted_contingency(classes, clusters, weights)?)
}

#[cfg(test)]
#[path = "agreement_tests.rs"]
mod tests;
