#!/usr/bin/env python3
"""K-Means of a `landclust export` dataset on Apache Spark (PySpark + numpy only).

Reads EXPORT (the Parquet folder and its `_landclust.json` sidecar), standardizes each variable
with the sidecar's mean and POPULATION standard deviation (ddof = 0, as landclust does), fits
MLlib K-Means (k-means|| initialisation) or bisecting K-Means, and writes into --out:

- labels/        Parquet, one row per cell: row, col (int), cluster (int, MLlib's numbering)
- centers.json   k, vars, columns, mean, std, seed, algorithm, centers_z (z-space),
                 centers (original units: z * std + mean), cluster_sizes, and the scores below,
                 plus the export's selection (so `landclust assign` can reuse it)

Scores, all in z-space, all computed by aggregation over every cell (no approximation):
- inertia            sum over cells of ||z - c_label||^2, c = the model's centres
- davies_bouldin     (1/k) sum_i max_{j!=i} (S_i + S_j) / ||m_i - m_j||, m = cluster means,
                     S = mean Euclidean distance to the cluster mean (Davies & Bouldin 1979;
                     scikit-learn's davies_bouldin_score)
- calinski_harabasz  [B / (k-1)] / [W / (n-k)], B = sum n_c ||m_c - m||^2, W = sum ||z - m_c||^2
                     (Calinski & Harabasz 1974; scikit-learn's calinski_harabasz_score)
- silhouette         two-stage sampled estimate, as landclust's (src/metrics/silhouette_two_stage.rs):
                     stage 1 scores a stratified sample of cells (the strata are the clusters:
                     proportional allocation, largest remainders, raised to at least min(N_c, 50));
                     stage 2 scores them against a random reference sample of each cluster,
                     min(N_j, --silhouette-reference) cells drawn independently of stage 1 and
                     collected to the driver, so the cost is sample x reference distances whatever
                     the number of cells. Point i of cluster c: D_ij = mean Euclidean distance to
                     the reference cells of cluster j other than i, a = D_ic, b = min_{j!=c} D_ij,
                     s = (b - a) / max(a, b). Estimate = sum W_c mean_c, W_c = N_c / N. Standard
                     error sqrt(v1 + v2): v1 = Cochran's stratified sum W_c^2 s_c^2 / m_c
                     (1 - m_c / N_c) (Cochran 1977, ch. 5), v2 = the stratified delete-a-group
                     jackknife over 10 random groups of each reference sample (Wolter 2007, ch.
                     4.5), with the finite-population factor (1 - r_j / N_j). Exact (std error 0)
                     when the sample is every cell.

Run (local mode; add --master spark://HOST:7077 or --master yarn for a cluster):
    spark-submit --master local[2] jobs/spark/landclust_kmeans.py EXPORT --out OUT --k 6
"""

import argparse
import json
import os
import sys
import time

import numpy as np

STRATUM_MIN = 50


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("export", help="a `landclust export` folder")
    p.add_argument("--out", required=True, help="output folder (labels/, centers.json)")
    p.add_argument("--k", type=int, default=6, help="number of clusters (default 6)")
    p.add_argument("--algorithm", choices=["kmeans", "bisecting"], default="kmeans")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--max-iter", type=int, default=100)
    p.add_argument("--tol", type=float, default=1e-6, help="K-Means convergence tolerance (default 1e-6)")
    p.add_argument("--init-steps", type=int, default=2, help="k-means|| rounds (default 2)")
    p.add_argument("--restarts", type=int, default=1,
                   help="fits with seeds seed..seed+R-1; the lowest inertia is kept (default 1)")
    p.add_argument("--silhouette-sample", type=int, default=20000,
                   help="cells scored by the sampled silhouette (default 20000)")
    p.add_argument("--silhouette-reference", type=int, default=10000,
                   help="reference cells per cluster of the two-stage silhouette (default 10000, "
                        "as landclust; at least 20)")
    p.add_argument("--driver-memory", default="4g",
                   help="Spark driver memory (local mode: the whole job; default 4g, enough for the "
                        "cached z-scores of a 0.05-degree export, about 100 bytes per cell)")
    p.add_argument("--master", default=None, help="Spark master when run with python (default local[2])")
    return p.parse_args(argv)


def read_text(spark, path):
    """A small text file: local, or through Hadoop's FileSystem (HDFS, S3). Spark's own readers
    skip names starting with `_`, such as the sidecar."""
    if os.path.exists(path):
        with open(path) as f:
            return f.read()
    jvm = spark._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    stream = p.getFileSystem(spark._jsc.hadoopConfiguration()).open(p)
    try:
        return jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8")
    finally:
        stream.close()


def allocate(sizes, n_sample):
    """landclust's allocation: proportional by largest remainders, >= min(N_c, STRATUM_MIN)."""
    n = sum(sizes)
    m = [n_sample * s // n for s in sizes]
    rem = [n_sample * s % n for s in sizes]
    left = max(0, n_sample - sum(m))
    order = sorted(range(len(sizes)), key=lambda c: (-rem[c], c))
    for c in order[:left]:
        m[c] += 1
    return [min(max(mc, min(nc, STRATUM_MIN)), nc) for mc, nc in zip(m, sizes)]


def main(argv):
    a = parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession, functions as F
    from pyspark.ml.feature import VectorAssembler
    from pyspark.ml.clustering import KMeans, BisectingKMeans

    builder = SparkSession.builder.appName("landclust-kmeans")
    if a.master:
        builder = builder.master(a.master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Run with plain python (not spark-submit, which passes its --master): local mode.
        builder = builder.master("local[2]")
    # The driver's JVM starts at getOrCreate, so its memory can still be set here (plain python
    # and spark-submit alike: an explicit spark-submit --driver-memory wins).
    builder = builder.config("spark.driver.memory", a.driver_memory)
    spark = builder.config("spark.sql.shuffle.partitions", "8") \
        .config("spark.ui.showConsoleProgress", "false").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    timings = {}
    t0 = time.time()

    side = json.loads(read_text(spark, a.export.rstrip("/") + "/_landclust.json"))
    cols = [c["column"] for c in side["columns"]]
    names = [c["variable"] for c in side["columns"]]
    mean = np.array([c["mean"] for c in side["columns"]], dtype=float)
    std = np.array([c["std"] for c in side["columns"]], dtype=float)
    d, k = len(cols), a.k
    zcols = [f"z{j}" for j in range(d)]

    df = spark.read.parquet(a.export)
    z = df.select("row", "col", *[((F.col(c) - float(mean[j])) / float(std[j])).alias(zcols[j])
                                  for j, c in enumerate(cols)])
    data = VectorAssembler(inputCols=zcols, outputCol="features").transform(z).cache()
    n = data.count()
    timings["read"] = time.time() - t0

    # Fit (restarts with seeds seed..seed+R-1, lowest training cost kept).
    t = time.time()
    best = None
    for r in range(a.restarts):
        if a.algorithm == "kmeans":
            est = KMeans(k=k, seed=a.seed + r, maxIter=a.max_iter, tol=a.tol, initMode="k-means||",
                         initSteps=a.init_steps, featuresCol="features", predictionCol="cluster")
        else:
            est = BisectingKMeans(k=k, seed=a.seed + r, maxIter=a.max_iter, featuresCol="features",
                                  predictionCol="cluster")
        model = est.fit(data)
        cost = model.summary.trainingCost
        if best is None or cost < best[1]:
            best = (model, cost, a.seed + r)
    model, _, seed_used = best
    centers_z = np.array([np.asarray(c, dtype=float) for c in model.clusterCenters()])
    timings["fit"] = time.time() - t

    t = time.time()
    pred = model.transform(data).select("row", "col", "cluster", *zcols).cache()
    pred.select(F.col("row").cast("int"), F.col("col").cast("int"), F.col("cluster").cast("int")) \
        .write.mode("overwrite").parquet(os.path.join(a.out, "labels"))
    timings["labels"] = time.time() - t

    # Pass 1: per-cluster counts and sums -> cluster means (z-space).
    t = time.time()
    agg = pred.groupBy("cluster").agg(F.count("*").alias("n"), *[F.sum(c).alias(c) for c in zcols]).collect()
    sizes = np.zeros(k, dtype=np.int64)
    sums = np.zeros((k, d))
    for row in agg:
        sizes[row["cluster"]] = row["n"]
        sums[row["cluster"]] = [row[c] for c in zcols]
    means = sums / np.maximum(sizes, 1)[:, None]
    grand = sums.sum(axis=0) / n

    # Pass 2: distances to the cluster means (DB, CH) and to the model's centres (inertia).
    cm = spark.createDataFrame(
        [(int(i), *map(float, means[i]), *map(float, centers_z[i])) for i in range(k)],
        ["cluster", *[f"m{j}" for j in range(d)], *[f"c{j}" for j in range(d)]])
    joined = pred.join(F.broadcast(cm), "cluster")
    d2_mean = sum((F.col(zcols[j]) - F.col(f"m{j}")) ** 2 for j in range(d))
    d2_cent = sum((F.col(zcols[j]) - F.col(f"c{j}")) ** 2 for j in range(d))
    per = joined.groupBy("cluster").agg(F.sum(F.sqrt(d2_mean)).alias("s"), F.sum(d2_mean).alias("w"),
                                        F.sum(d2_cent).alias("i")).collect()
    s_sum = np.zeros(k)
    w_k = np.zeros(k)
    inertia = 0.0
    for row in per:
        s_sum[row["cluster"]] = row["s"]
        w_k[row["cluster"]] = row["w"]
        inertia += row["i"]
    present = sizes > 0
    kk = int(present.sum())
    S = s_sum[present] / sizes[present]
    M = means[present]
    db_terms = []
    for i in range(kk):
        best_r = 0.0
        for j in range(kk):
            if i != j:
                dist = float(np.sqrt(((M[i] - M[j]) ** 2).sum()))
                if dist > 1e-8:
                    best_r = max(best_r, (S[i] + S[j]) / dist)
        db_terms.append(best_r)
    davies_bouldin = float(np.mean(db_terms)) if not (np.all(S <= 1e-8)) else 0.0
    between = float((sizes[present] * ((M - grand) ** 2).sum(axis=1)).sum())
    within = float(w_k.sum())
    calinski_harabasz = 1.0 if within == 0 else between * (n - kk) / (within * (kk - 1))
    timings["scores"] = time.time() - t

    t = time.time()
    sil, sil_se, sil_m, sil_parts = two_stage_silhouette(
        spark, pred, zcols, sizes, a.silhouette_sample, a.silhouette_reference, a.seed, F)
    timings["silhouette"] = time.time() - t

    out = {
        "format": "landclust-spark-centers/1",
        "algorithm": a.algorithm,
        "k": k,
        "vars": names,
        "columns": cols,
        "mean": mean.tolist(),
        "std": std.tolist(),
        "seed": seed_used,
        "max_iter": a.max_iter,
        "tol": a.tol,
        "init_mode": "k-means||" if a.algorithm == "kmeans" else None,
        "restarts": a.restarts,
        "centers_z": centers_z.tolist(),
        "centers": (centers_z * std + mean).tolist(),
        "cluster_sizes": sizes.tolist(),
        "n": int(n),
        "inertia": float(inertia),
        "davies_bouldin": davies_bouldin,
        "calinski_harabasz": calinski_harabasz,
        "silhouette": sil,
        "silhouette_std_error": sil_se,
        "silhouette_sample_size": sil_m,
        "silhouette_estimator": sil_parts,
        "score_space": "standardized variables (z-scores with the export's mean and population std)",
        "select": side["settings"]["select"],
        "region": side["settings"].get("region"),
        "export": a.export,
        "spark_version": spark.version,
        "default_parallelism": spark.sparkContext.defaultParallelism,
        "seconds": timings,
    }
    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(a.out, ".centers.json.tmp")
    with open(tmp, "w") as f:
        json.dump(out, f, indent=2)
    os.replace(tmp, os.path.join(a.out, "centers.json"))
    print(f"k={k} n={n} inertia={inertia:.6f} DB={davies_bouldin:.6f} CH={calinski_harabasz:.4f} "
          f"silhouette={sil:.4f}+-{sil_se:.4f} ({sil_m} cells); wrote {a.out}")
    spark.stop()


JACKKNIFE_GROUPS = 10


def ranked_sample(pred, zcols, quota_df, seed, salt, F):
    """Per cluster, the first `quota` cells in a seeded hash order: a simple random sample of
    each cluster (the order is a hash of the cell, so the same on every partitioning)."""
    from pyspark.sql import Window

    order = F.xxhash64(F.col("row"), F.col("col"), F.lit(seed), F.lit(salt))
    ranked = pred.withColumn("rk", F.row_number().over(Window.partitionBy("cluster").orderBy(order, "row", "col")))
    rows = ranked.join(F.broadcast(quota_df), "cluster").where(F.col("rk") <= F.col("quota")) \
        .select("cluster", "row", "col", "rk", *zcols).collect()
    return rows


def two_stage_silhouette(spark, pred, zcols, sizes, n_sample, reference, seed, F):
    """The two-stage sampled silhouette (see the top of this file): the scored cells and the
    reference cells are collected to the driver and scored there in blocks."""
    k = len(sizes)
    n = int(sizes.sum())
    G = JACKKNIFE_GROUPS
    if reference < 2 * G:
        raise SystemExit(f"--silhouette-reference {reference}: must be at least {2 * G}")
    quota = allocate([int(s) for s in sizes], min(n_sample, n))
    q1 = spark.createDataFrame([(i, int(quota[i])) for i in range(k)], ["cluster", "quota"])
    sample = ranked_sample(pred, zcols, q1, seed, "scored", F)
    if not sample:
        return float("nan"), float("nan"), 0, {}
    r_j = [min(int(s), reference) for s in sizes]
    q2 = spark.createDataFrame([(i, r_j[i]) for i in range(k)], ["cluster", "quota"])
    ref = ranked_sample(pred, zcols, q2, seed, "reference", F)

    sz = np.array([[r[c] for c in zcols] for r in sample], dtype=float)
    sl = np.array([r["cluster"] for r in sample])
    # Reference cells sorted by (cluster, group); the group is the rank in the random order mod G.
    ref.sort(key=lambda r: (r["cluster"], (r["rk"] - 1) % G, r["row"], r["col"]))
    rz = np.array([[r[c] for c in zcols] for r in ref], dtype=float)
    rcode = np.array([r["cluster"] * G + (r["rk"] - 1) % G for r in ref])
    kg = k * G
    group_size = np.bincount(rcode, minlength=kg).astype(float)
    bounds = np.searchsorted(rcode, np.arange(kg))
    where = {(r["row"], r["col"]): (p, r["cluster"] * G + (r["rk"] - 1) % G) for p, r in enumerate(ref)}

    m = len(sl)
    sums = np.zeros((m, kg))
    counts = np.tile(group_size, (m, 1))
    rr = (rz ** 2).sum(axis=1)[None, :]
    block = max(1, 20_000_000 // max(1, len(rz)))
    for s0 in range(0, m, block):
        x = sz[s0:s0 + block]
        d2 = (x ** 2).sum(axis=1)[:, None] + rr - 2.0 * x @ rz.T
        dist = np.sqrt(np.maximum(d2, 0.0))
        nonempty = group_size > 0
        part = np.zeros((len(x), kg))
        part[:, nonempty] = np.add.reduceat(dist, bounds[nonempty], axis=1)
        sums[s0:s0 + block] = part
        for i in range(len(x)):
            hit = where.get((sample[s0 + i]["row"], sample[s0 + i]["col"]))
            if hit is not None:  # a scored cell among the references: left out of its own mean
                p, code = hit
                sums[s0 + i, code] -= dist[i, p]
                counts[s0 + i, code] -= 1

    sums3, counts3 = sums.reshape(m, k, G), counts.reshape(m, k, G)

    def values(drop=None):
        s_tot, c_tot = sums3.sum(axis=2), counts3.sum(axis=2)
        if drop is not None:
            j, g = drop
            s_tot[:, j] -= sums3[:, j, g]
            c_tot[:, j] -= counts3[:, j, g]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_to = np.where(c_tot > 0, s_tot / np.maximum(c_tot, 1), np.nan)
        a_i = mean_to[np.arange(m), sl]
        other = mean_to.copy()
        other[np.arange(m), sl] = np.inf
        other[:, np.asarray(sizes) == 0] = np.inf
        b_i = np.nanmin(other, axis=1)
        den = np.maximum(a_i, b_i)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where(den > 0, (b_i - a_i) / den, 0.0)
        s[np.asarray(sizes)[sl] <= 1] = 0.0
        return s

    def stratified(s):
        return sum(int(sizes[c]) / n * s[sl == c].mean() for c in range(k) if (sl == c).any())

    s = values()
    est = stratified(s)
    v1 = 0.0
    for c in range(k):
        sc = s[sl == c]
        m_c, n_c = len(sc), int(sizes[c])
        if m_c > 1:
            w = n_c / n
            v1 += w * w * sc.var(ddof=1) / m_c * (1.0 - m_c / n_c)
    v2 = 0.0
    for j in range(k):
        if sizes[j] == 0 or r_j[j] >= sizes[j]:
            continue  # a cluster taken whole adds no stage-2 variance
        reps = np.array([stratified(values((j, g))) for g in range(G)])
        v2 += (1.0 - r_j[j] / sizes[j]) * (G - 1) / G * ((reps - reps.mean()) ** 2).sum()
    exact = all(quota[c] >= sizes[c] for c in range(k)) and all(r_j[c] >= sizes[c] for c in range(k))
    parts = {
        "method": "exact" if exact else "two-stage",
        "stage1_std_error": float(np.sqrt(v1)),
        "stage2_std_error": float(np.sqrt(v2)),
        "reference_per_cluster": r_j,
        "scored_per_cluster": [int(v) for v in quota],
    }
    return float(est), float(np.sqrt(v1 + v2)), int(m), parts


if __name__ == "__main__":
    main(sys.argv[1:])
