#!/usr/bin/env python3
"""Lever study (issue 21): a nonlinear small-face map against the shipped ridge map, on templates dumped by
`likeness eval degrade --dump`, held out fold by fold (LFW View 2 folds hold disjoint people).

  python3 bench/small_face_mlp.py prep /tmp/lfw-templates ../shared/datasets/lfw/pairs.txt DIR   # numpy: float16 arrays, folds, people
  python3 bench/small_face_mlp.py run DIR OUTDIR                                                  # PyTorch, a GPU when there is one

Needs the conditions clean, w16, w24, w32, blur10, h264-300, w16x8 and w24x8 in the dump. For each fold: the ridge
map as the pack learns it (lambda 10) on the other folds, and three maps that add a one-hidden-layer residual to it
(cosine regression; cosine plus a supervised contrastive term, 1024 and 256 hidden units); then TAR at FMR 1e-3 and
1e-4 of every held-out probe against every clean photo of its fold, pooled over folds (docs/BENCHMARKS.md).
"""
import json, os, sys, time
import numpy as np


def prep(templates, pairs, out):
    photos = [l.strip() for l in open(os.path.join(templates, 'photos.txt'))]
    n = len(photos)
    idx = {p: i for i, p in enumerate(photos)}
    lines = open(pairs).read().split('\n')
    folds, per = map(int, lines[0].split())
    fold = np.full(n, -1, np.int16)
    name = lambda person, k: '%s/%s_%04d.jpg' % (person, person, int(k))
    li = 1
    for f in range(folds):
        for _ in range(per):
            a = lines[li].split('\t'); li += 1
            for p in (name(a[0], a[1]), name(a[0], a[2])):
                fold[idx[p]] = f
        for _ in range(per):
            a = lines[li].split('\t'); li += 1
            for p in (name(a[0], a[1]), name(a[2], a[3])):
                fold[idx[p]] = f
    assert (fold >= 0).all()
    _, pid = np.unique([p.split('/')[0] for p in photos], return_inverse=True)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, 'fold.npy'), fold)
    np.save(os.path.join(out, 'pid.npy'), pid.astype(np.int32))
    for c in ['clean', 'w16', 'w24', 'w32', 'blur10', 'h264-300', 'w16x8', 'w24x8']:
        x = np.fromfile(os.path.join(templates, c + '.f32'), dtype='<f4').reshape(n, -1)
        np.save(os.path.join(out, c.replace('-', '_') + '.npy'), x.astype(np.float16))


if sys.argv[1] == 'prep':
    prep(*sys.argv[2:5])
    sys.exit(0)
import torch
DIR, OUTDIR = sys.argv[2], sys.argv[3]
t0 = time.time()
torch.manual_seed(0)
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
print('device', dev, torch.cuda.get_device_name(0) if dev == 'cuda' else '', 'torch', torch.__version__, flush=True)
L = lambda c: torch.tensor(np.load(os.path.join(DIR, f'{c}.npy')).astype(np.float32), device=dev)
fold = torch.tensor(np.load(os.path.join(DIR, 'fold.npy')).astype(np.int64), device=dev)
pid = torch.tensor(np.load(os.path.join(DIR, 'pid.npy')).astype(np.int64), device=dev)
clean = L('clean')
train_conds = ['w16', 'w24', 'w32', 'blur10', 'h264_300']
eval_conds = ['w16', 'w24', 'w32', 'w16x8', 'w24x8', 'blur10', 'h264_300']
X = {c: L(c) for c in set(train_conds + eval_conds)}
D = clean.shape[1]
norm = lambda v: v / v.norm(dim=1, keepdim=True)

def ridge(xs, cs, lam=10.0):
    A = xs.T.double() @ xs.double() + lam * torch.eye(D, device=dev, dtype=torch.float64)
    B = xs.T.double() @ cs.double() + lam * torch.eye(D, device=dev, dtype=torch.float64)
    return torch.linalg.solve(A, B).float()

class M(torch.nn.Module):
    def __init__(s, W, h):
        super().__init__()
        s.lin = torch.nn.Parameter(W.clone())
        s.mlp = torch.nn.Sequential(torch.nn.Linear(D, h), torch.nn.GELU(), torch.nn.Linear(h, D))
        torch.nn.init.zeros_(s.mlp[2].weight); torch.nn.init.zeros_(s.mlp[2].bias)
    def forward(s, x):
        return norm(x @ s.lin + s.mlp(x))

def train(W, xs, cs, ps, kind, h=1024, epochs=40, lr=1e-3, wd=1e-2, temp=0.05, bs=1024):
    m = M(W, h).to(dev)
    opt = torch.optim.AdamW(m.parameters(), lr=lr, weight_decay=wd)
    n = xs.shape[0]
    steps = epochs * (n // bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    for step in range(steps):
        i = torch.randint(0, n, (bs,), device=dev)
        out = m(xs[i])
        loss = (1 - (out * cs[i]).sum(1)).mean()
        if kind == 'nce':
            logits = out @ cs[i].T / temp
            pos = (ps[i][:, None] == ps[i][None, :]).float()
            lse = torch.logsumexp(logits, 1)
            lpos = torch.logsumexp(logits.masked_fill(pos == 0, -1e9), 1)
            loss = loss + (lse - lpos).mean()
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    return m.eval()

methods = ['none', 'ridge', 'mlp-cos', 'mlp-nce', 'mlp-nce-h256']
gen = {(m, c): [] for m in methods for c in eval_conds}
imp = {(m, c): [] for m in methods for c in eval_conds}
for f in range(10):
    tr = fold != f; te = fold == f
    xs = torch.cat([X[c][tr] for c in train_conds]); cs = torch.cat([clean[tr] for c in train_conds]); ps = torch.cat([pid[tr] for c in train_conds])
    W = ridge(xs, cs)
    models = {'none': lambda x: x, 'ridge': lambda x, W=W: norm(x @ W)}
    torch.manual_seed(f)
    mc = train(W, xs, cs, ps, 'cos'); models['mlp-cos'] = mc
    mn = train(W, xs, cs, ps, 'nce'); models['mlp-nce'] = mn
    mh = train(W, xs, cs, ps, 'nce', h=256); models['mlp-nce-h256'] = mh
    g = clean[te]; pt = pid[te]
    same = pt[:, None] == pt[None, :]
    eye = torch.eye(int(te.sum()), dtype=torch.bool, device=dev)
    with torch.no_grad():
        for name, mod in models.items():
            for c in eval_conds:
                s = mod(X[c][te]) @ g.T
                gen[(name, c)].append(s[same & ~eye].cpu()); imp[(name, c)].append(s[~same].cpu())
    print('fold', f, 'done', round(time.time() - t0, 1), 's', flush=True)

res = {}
for c in eval_conds:
    for name in methods:
        gg = torch.cat(gen[(name, c)]); ii = torch.sort(torch.cat(imp[(name, c)]), descending=True).values
        row = {'genuine': int(gg.numel()), 'impostor': int(ii.numel())}
        for r in (1e-3, 1e-4):
            thr = ii[int(r * ii.numel())].item()
            row['tar@%g' % r] = round((gg >= thr).float().mean().item(), 4)
        res[f'{c} {name}'] = row
        print(c, name, row, flush=True)
# tracks at photo thresholds: FMR of w16x8 at w16's 1e-3 / 1e-4 thresholds, per method
for name in methods:
    ii16 = torch.sort(torch.cat(imp[(name, 'w16')]), descending=True).values
    iitr = torch.cat(imp[(name, 'w16x8')])
    row = {}
    for r in (1e-3, 1e-4):
        thr = ii16[int(r * ii16.numel())].item()
        row['fmr_w16x8_at_w16_%g' % r] = float((iitr >= thr).float().mean().item())
    res[f'tracks {name}'] = row
    print('tracks', name, row, flush=True)
os.makedirs(OUTDIR, exist_ok=True)
json.dump(res, open(os.path.join(OUTDIR, 'mlp.json'), 'w'), indent=1)
print('total', round(time.time() - t0, 1), 's')
