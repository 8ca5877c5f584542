#!/usr/bin/python3
"""Peer for `likeness bench search`: FAISS (Debian python3-faiss) on the very same vectors, which
`likeness bench search --export DIR` writes as raw float32 rows (base-N.f32, queries-N.f32).
IndexFlatIP is exact; IndexHNSWFlat (M=16, efConstruction=100, efSearch=100: Lucene's defaults and
Likeness's 100 candidates) is approximate. Prints one JSON object per size.

Usage: /usr/bin/python3 bench/peer_faiss.py DIR N [N ...] [--threads 2] [--dim 512]
"""
import argparse, json, os, time

import faiss
import numpy as np


def timed_queries(index, queries, k):
    index.search(queries[:5], k)  # warm-up
    ms, results = [], []
    for q in queries:
        t = time.perf_counter()
        _, ids = index.search(q[None, :], k)
        ms.append((time.perf_counter() - t) * 1000)
        results.append(ids[0])
    ms = np.array(ms)
    return ms, np.array(results)


def recall(got, truth):
    r1 = float(np.mean(got[:, 0] == truth[:, 0]))
    r10 = float(np.mean([len(set(g) & set(t)) / len(t) for g, t in zip(got, truth)]))
    return r1, r10


def stats(ms):
    return {"meanMs": round(float(ms.mean()), 3), "p50Ms": round(float(np.percentile(ms, 50)), 3),
            "p99Ms": round(float(np.percentile(ms, 99)), 3), "queriesPerSecond": round(1000 / float(ms.mean()), 3)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--skip-hnsw", action="store_true")
    a = ap.parse_args()
    faiss.omp_set_num_threads(a.threads)
    for n in a.sizes:
        base = np.fromfile(os.path.join(a.dir, f"base-{n}.f32"), dtype="<f4").reshape(-1, a.dim)
        queries = np.fromfile(os.path.join(a.dir, f"queries-{n}.f32"), dtype="<f4").reshape(-1, a.dim)
        r = {"runtime": "faiss " + faiss.__version__, "templates": n, "queries": len(queries), "threads": a.threads}
        flat = faiss.IndexFlatIP(a.dim)
        t = time.perf_counter()
        flat.add(base)
        r["flatAddSeconds"] = round(time.perf_counter() - t, 3)
        ms, truth = timed_queries(flat, queries, 10)
        r["flatIP"] = {**stats(ms), "recallAt1": 1.0, "recallAt10": 1.0}
        if not a.skip_hnsw:
            hnsw = faiss.IndexHNSWFlat(a.dim, 16, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 100
            t = time.perf_counter()
            hnsw.add(base)
            build = time.perf_counter() - t
            hnsw.hnsw.efSearch = 100
            ms, got = timed_queries(hnsw, queries, 10)
            r1, r10 = recall(got, truth)
            r["hnswFlat"] = {"buildSeconds": round(build, 3), **stats(ms), "recallAt1": round(r1, 3), "recallAt10": round(r10, 3)}
        print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
