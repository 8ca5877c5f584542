#!/usr/bin/env python3
"""Score-fusion weights of up to three recognisers, measured on all of LFW from their embeddings.

Each input is an embedded set written by `likeness eval calibrate --embeddings FILE --pack P` (the
central face of every LFW photo, one pack per file, same photos in the same order). For every
weighting on a grid (weights summing to 1) it prints what docs/BENCHMARKS.md compares:

  view2   10-fold accuracy on pairs.txt with the weights fixed (threshold chosen on the 9 other folds)
  tar     TAR on every genuine pair of LFW at FMR 1e-3, 1e-4, 1e-5, 1e-6 over every cross-identity
          pair (87 million) less those the same-person list declares one person
  rank1 / fnir   1:N with the first photo of each person enrolled and every other photo searched,
          mated and (with its person left out) non-mated; FNIR at FPIR 0.003; a candidate the list
          declares the probe's own person is left out, as `eval identify --same-person` does

Fusion as the engine does it: the cosine of fused embeddings is the weighted sum of the cosines.
Needs numpy and about 4 GB of memory; a weighting takes a few seconds.

  bench/fusion_weights.py --lfw ../shared/datasets/lfw --same-person eval/lfw-same-person.txt \
      --step 0.05 fp.lkes mfn.lkes dlib.lkes
"""
import argparse
import itertools
import struct
import sys

import numpy as np


def read_set(path):
    """The embedded set format of EmbeddedSet.write: big-endian header, identities, then per photo path, identity, fallback flag, floats."""
    b = open(path, 'rb').read()

    def utf(o):
        n = struct.unpack('>H', b[o:o + 2])[0]
        return b[o + 2:o + 2 + n].decode('utf-8'), o + 2 + n

    o = 8
    pack, o = utf(o)
    (nid,) = struct.unpack('>i', b[o:o + 4]); o += 4
    for _ in range(nid):
        _, o = utf(o)
    n, dim = struct.unpack('>ii', b[o:o + 8]); o += 8
    paths, ident = [], np.zeros(n, np.int32)
    emb = np.zeros((n, dim), np.float32)
    for i in range(n):
        p, o = utf(o)
        paths.append(p)
        (ident[i],) = struct.unpack('>i', b[o:o + 4]); o += 5
        emb[i] = np.frombuffer(b[o:o + 4 * dim], dtype='>f4'); o += 4 * dim
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return pack, paths, ident, emb


def view2_pairs(lfw, index):
    """(fold, a, b, same) per line of pairs.txt, photos as indexes of the set."""
    lines = open(lfw + '/pairs.txt').read().split('\n')
    folds, per = map(int, lines[0].split())
    out, k = [], 1
    photo = lambda name, n: index[f"{name}/{name}_{int(n):04d}.jpg"]
    for f in range(folds):
        for _ in range(per):
            p = lines[k].split(); k += 1
            out.append((f, photo(p[0], p[1]), photo(p[0], p[2]), 1))
        for _ in range(per):
            p = lines[k].split(); k += 1
            out.append((f, photo(p[0], p[1]), photo(p[2], p[3]), 0))
    return np.array(out)


def same_person(path, paths):
    """Photo index pairs the list declares one person (sides: IDENTITY or IDENTITY/FILE)."""
    names = np.array([p.split('/')[0] for p in paths])
    full = np.array(paths)
    pairs = set()
    for line in open(path):
        line = line.split('#')[0].split()
        if not line:
            continue
        a, b = line
        ia = np.where(full == a)[0] if '/' in a else np.where(names == a)[0]
        ib = np.where(full == b)[0] if '/' in b else np.where(names == b)[0]
        if len(ia) == 0 or len(ib) == 0:
            sys.exit(f"{path}: {a} {b}: names no photo of the set")
        pairs.update((min(i, j), max(i, j)) for i in ia for j in ib)
    return pairs


def tenfold(scores, same, fold):
    accs = []
    for f in range(10):
        tr, te = fold != f, fold == f
        s, y = scores[tr], same[tr]
        o = np.argsort(s); sv, yy = s[o], y[o]
        right = np.cumsum(yy[::-1])[::-1] + np.cumsum(1 - yy) - (1 - yy)  # genuine at or above + impostors below
        t = sv[np.argmax(right)] - 1e-9
        accs.append(np.mean((scores[te] > t) == (same[te] == 1)))
    return np.mean(accs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--lfw', required=True, help='LFW folder with pairs.txt')
    ap.add_argument('--same-person', required=True)
    ap.add_argument('--step', type=float, default=0.05)
    ap.add_argument('--weights', help='only these weightings, e.g. "0.3,0.7,0;0,0.2,0.8"')
    ap.add_argument('sets', nargs='+')
    a = ap.parse_args()
    sets = [read_set(p) for p in a.sets]
    paths, ident = sets[0][1], sets[0][2]
    if any(s[1] != paths for s in sets):
        sys.exit('the sets do not hold the same photos in the same order')
    E = [s[3] for s in sets]
    n = len(paths)
    print('packs:', ', '.join(s[0] for s in sets), f'- {n} photos', flush=True)

    index = {p: i for i, p in enumerate(paths)}
    pairs = view2_pairs(a.lfw, index)
    fold, pa, pb, same = pairs[:, 0], pairs[:, 1], pairs[:, 2], pairs[:, 3]
    view2 = [np.sum(e[pa] * e[pb], 1) for e in E]

    declared = same_person(a.same_person, paths)
    iu, ju = np.triu_indices(n, 1)
    cross = ident[iu] != ident[ju]
    keep = cross.copy()
    if declared:
        key = iu.astype(np.int64) * n + ju
        dk = np.array([i * n + j for i, j in declared], np.int64)
        keep &= ~np.isin(key, dk)
    genuine = ~cross
    imp, gen = [], []
    for e in E:
        g = e @ e.T
        v = g[iu, ju]
        imp.append(v[keep].astype(np.float32))
        gen.append(v[genuine].astype(np.float32))
        del g, v
    print(f'impostor pairs {len(imp[0])} (less {int(cross.sum()) - len(imp[0])} declared one person), '
          f'genuine pairs {len(gen[0])}', flush=True)

    first = {}
    for i in sorted(range(n), key=lambda i: paths[i]):
        first.setdefault(ident[i], i)
    gal = np.array(sorted(first.values()))
    probes = np.array([i for i in range(n) if first[ident[i]] != i])
    own = ident[probes][:, None] == ident[gal][None, :]
    gpos = {g: k for k, g in enumerate(gal)}
    ppos = {p: k for k, p in enumerate(probes)}
    alias = np.zeros(own.shape, bool)
    for i, j in declared:
        for x, y in ((i, j), (j, i)):
            if x in ppos and y in gpos:
                alias[ppos[x], gpos[y]] = True
    search = [e[probes] @ e[gal].T for e in E]

    if a.weights:
        grid = [tuple(float(x) for x in w.split(',')) for w in a.weights.split(';')]
    else:
        steps = np.round(np.arange(0, 1 + 1e-9, a.step), 4)
        grid = [w for w in itertools.product(steps, repeat=len(E)) if abs(sum(w) - 1) < 1e-6]
    print('weights'.ljust(7 * len(E)), 'view2   tar@1e-3 1e-4   1e-5   1e-6   rank1  fnir@fpir.003')
    for w in grid:
        fuse = lambda parts: sum(wi * p for wi, p in zip(w, parts))
        acc = tenfold(fuse(view2), same, fold)
        i_s, g_s = fuse(imp), fuse(gen)
        ks = [int(r * len(i_s)) for r in (1e-3, 1e-4, 1e-5, 1e-6)]
        top = np.sort(-np.partition(-i_s, ks[0])[:ks[0] + 1])[::-1]
        tars = [np.mean(g_s > top[k]) for k in ks]
        s = fuse(search)
        mate = s[own]
        other = np.where(own | alias, -9, s).max(1)
        t = np.sort(other)[::-1][int(0.003 * len(other))]
        rank1 = mate > other
        print(' '.join(f'{x:.2f}' for x in w).ljust(7 * len(E)), f'{acc:.4f}  ' + ' '.join(f'{x:.4f}' for x in tars),
              f' {np.mean(rank1):.4f} {1 - np.mean(rank1 & (mate > t)):.4f}', flush=True)


if __name__ == '__main__':
    main()
