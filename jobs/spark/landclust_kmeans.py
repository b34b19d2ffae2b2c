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
- silhouette         stratified sampled estimate (Cochran 1977, ch. 5), the strata being the
                     clusters: proportional allocation (largest remainders) raised to at least
                     min(N_c, 50) per cluster, each sampled cell scored EXACTLY against ALL cells
                     (Euclidean, not MLlib's squared-Euclidean ClusteringEvaluator) in one
                     distributed pass; estimate = sum W_c mean_c, standard error
                     sqrt(sum W_c^2 s_c^2 / m_c (1 - m_c / N_c)), W_c = N_c / N. Exact (std error
                     0) when the sample is every cell.

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
    sil, sil_se, sil_m = sampled_silhouette(spark, pred, zcols, sizes, a.silhouette_sample, a.seed, F)
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


def sampled_silhouette(spark, pred, zcols, sizes, n_sample, seed, F):
    """Stratified sample, then every sampled cell scored exactly against all cells (see top)."""
    from pyspark.sql import Window

    k = len(sizes)
    n = int(sizes.sum())
    quota = allocate([int(s) for s in sizes], min(n_sample, n))
    q = spark.createDataFrame([(i, int(quota[i])) for i in range(k)], ["cluster", "quota"])
    order = F.xxhash64(F.col("row"), F.col("col"), F.lit(seed))
    ranked = pred.withColumn("rk", F.row_number().over(Window.partitionBy("cluster").orderBy(order, "row", "col")))
    sample = ranked.join(F.broadcast(q), "cluster").where(F.col("rk") <= F.col("quota")) \
        .select("cluster", *zcols).collect()
    if not sample:
        return float("nan"), float("nan"), 0
    sz = np.array([[r[c] for c in zcols] for r in sample])
    sl = np.array([r["cluster"] for r in sample])
    bc = spark.sparkContext.broadcast((sz, k))

    def partial(rows):
        zs, kk = bc.value
        acc = np.zeros((zs.shape[0], kk))
        zz = (zs ** 2).sum(axis=1)[:, None]
        buf_x, buf_l = [], []

        def flush():
            if not buf_x:
                return
            x = np.array(buf_x)
            lab = np.array(buf_l)
            d2 = zz + (x ** 2).sum(axis=1)[None, :] - 2.0 * zs @ x.T
            dist = np.sqrt(np.maximum(d2, 0.0))
            for c in range(kk):
                sel = lab == c
                if sel.any():
                    acc[:, c] += dist[:, sel].sum(axis=1)
            buf_x.clear()
            buf_l.clear()

        for r in rows:
            buf_x.append(r[1:])
            buf_l.append(r[0])
            if len(buf_x) >= 4096:
                flush()
        flush()
        yield acc

    cols = ["cluster", *zcols]
    total = pred.select(*cols).rdd.map(tuple).mapPartitions(partial).treeReduce(lambda x, y: x + y)
    s = np.zeros(len(sl))
    for i in range(len(sl)):
        c = sl[i]
        if sizes[c] <= 1:
            continue
        a_i = total[i, c] / (sizes[c] - 1)
        others = [total[i, l] / sizes[l] for l in range(k) if l != c and sizes[l] > 0]
        b_i = min(others)
        den = max(a_i, b_i)
        s[i] = 0.0 if den == 0 else (b_i - a_i) / den
    est, var = 0.0, 0.0
    for c in range(k):
        sc = s[sl == c]
        m_c, n_c = len(sc), int(sizes[c])
        if m_c == 0:
            continue
        w = n_c / n
        est += w * sc.mean()
        if m_c > 1:
            var += w * w * sc.var(ddof=1) / m_c * (1.0 - m_c / n_c)
    return float(est), float(np.sqrt(var)), int(len(sl))


if __name__ == "__main__":
    main(sys.argv[1:])
