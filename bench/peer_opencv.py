#!/usr/bin/python3
"""Peer benchmark: the same three ONNX models and the same pre-/post-processing as Likeness, run by
OpenCV's own DNN runtime (Debian python3-opencv). Prints JSON comparable with `likeness bench --json`.

Usage: /usr/bin/python3 bench/peer_opencv.py --models DIR --dataset DIR [--threads N] [--seconds S]
       /usr/bin/python3 bench/peer_opencv.py --models DIR --video FILE... [--fps 5 0] [--threads N]
"""
import argparse, glob, hashlib, json, math, os, resource, sys, time

import cv2
import numpy as np

# Same constants as org.likeness.engine.detect.TilePlan / FaceDetector / LandmarkModel / FaceAligner.
SMALLEST_RELIABLE_FACE, OVERLAP, LEVEL_RATIO = 16.0, 80, 3.0
EDGE_MARGIN, CONTAINMENT, NMS_IOU, SCORE = 2.0, 0.7, 0.4, 0.8
IN_W, IN_H = 320, 240
ARCFACE = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                    [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float64)


def positions(length, tile):
    if length <= tile:
        return [0]
    stride = tile - OVERLAP
    n = math.ceil((length - tile) / stride) + 1
    return [round(i * (length - tile) / (n - 1)) for i in range(n)]


def tile_plan(w, h, min_face=40.0):
    whole = min(IN_W / w, IN_H / h)
    levels, s = [], SMALLEST_RELIABLE_FACE / min_face
    while s > whole * 1.5:
        lw, lh = max(1, round(w * s)), max(1, round(h * s))
        levels.append((s, lw, lh, [(x, y) for y in positions(lh, IN_H) for x in positions(lw, IN_W)], OVERLAP))
        s /= LEVEL_RATIO
    lw, lh = max(1, round(w * whole)), max(1, round(h * whole))
    levels.append((whole, lw, lh, [(0, 0)], float("inf")))
    return levels


def resize(img, w, h):
    # Area filter for reductions, bilinear otherwise: the same intent as Likeness's Resampler.
    interp = cv2.INTER_AREA if w < img.shape[1] else cv2.INTER_LINEAR
    return cv2.resize(img, (w, h), interpolation=interp)


def nms(dets):
    dets.sort(key=lambda d: -d[4])
    kept = []
    for d in dets:
        ok = True
        for k in kept:
            iw = min(d[2], k[2]) - max(d[0], k[0]); ih = min(d[3], k[3]) - max(d[1], k[1])
            inter = iw * ih if iw > 0 and ih > 0 else 0.0
            ad = (d[2] - d[0]) * (d[3] - d[1]); ak = (k[2] - k[0]) * (k[3] - k[1])
            union = ad + ak - inter
            if (union > 0 and inter / union > NMS_IOU) or (min(ad, ak) > 0 and inter / min(ad, ak) > CONTAINMENT):
                ok = False
                break
        if ok:
            kept.append(d)
    return kept


class Pipeline:
    def __init__(self, models):
        self.det = cv2.dnn.readNetFromONNX(os.path.join(models, "fr_detect.onnx"))
        self.lmk = cv2.dnn.readNetFromONNX(os.path.join(models, "fr_landmark.onnx"))
        self.rec = cv2.dnn.readNetFromONNX(os.path.join(models, "fr_feature.onnx"))
        for n in (self.det, self.lmk, self.rec):
            n.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
            n.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        self.det_names = self.det.getUnconnectedOutLayersNames()

    def detect(self, rgb):
        h, w = rgb.shape[:2]
        dets = []
        for s, lw, lh, tiles, max_face in tile_plan(w, h):
            level = resize(rgb, lw, lh) if (lw, lh) != (w, h) else rgb
            sx, sy = w / lw, h / lh
            for tx, ty in tiles:
                tile = np.full((IN_H, IN_W, 3), 127, np.uint8)  # pad reads as input 0, as in Likeness
                part = level[ty:ty + IN_H, tx:tx + IN_W]
                tile[:part.shape[0], :part.shape[1]] = part
                blob = cv2.dnn.blobFromImage(tile, 1 / 128.0, (IN_W, IN_H), (127, 127, 127), swapRB=False)
                self.det.setInput(blob)
                outs = dict(zip(self.det_names, self.det.forward(self.det_names)))
                scores, boxes = outs["scores"][0], outs["boxes"][0]
                for i in np.nonzero(scores[:, 1] >= SCORE)[0]:
                    x1, y1, x2, y2 = boxes[i] * [IN_W, IN_H, IN_W, IN_H]
                    if x2 <= x1 or y2 <= y1 or x2 - x1 > max_face:
                        continue
                    if (tx > 0 and x1 < EDGE_MARGIN) or (ty > 0 and y1 < EDGE_MARGIN) or \
                       (tx + IN_W < lw and x2 > IN_W - EDGE_MARGIN) or (ty + IN_H < lh and y2 > IN_H - EDGE_MARGIN):
                        continue
                    bx1, by1 = max(0, (x1 + tx) * sx), max(0, (y1 + ty) * sy)
                    bx2, by2 = min(w, (x2 + tx) * sx), min(h, (y2 + ty) * sy)
                    if bx2 - bx1 >= 2 and by2 - by1 >= 2:
                        dets.append((bx1, by1, bx2, by2, float(scores[i, 1])))
        return nms(dets)

    def landmarks(self, rgb, d):
        h, w = rgb.shape[:2]
        bw, bh = min(d[2] - d[0], w - 1), min(d[3] - d[1], h - 1)
        x = math.floor(min(max(0, d[0]), w - 1 - bw)); y = math.floor(min(max(0, d[1]), h - 1 - bh))
        bw, bh = max(1, math.floor(bw)), max(1, math.floor(bh))
        grey = cv2.cvtColor(resize(rgb[y:y + bh, x:x + bw], 64, 64), cv2.COLOR_RGB2GRAY)
        self.lmk.setInput(grey.astype(np.float32)[None, None] / 256.0)
        out = self.lmk.forward().reshape(68, 2)
        pts = out * [bw, bh] + [x, y]
        return np.array([pts[[37, 38, 40, 41]].mean(0), pts[[43, 44, 46, 47]].mean(0), pts[30],
                         pts[[48, 60]].mean(0), pts[[54, 64]].mean(0)])

    def embed(self, rgb, five):
        m = umeyama(five, ARCFACE)
        crop = cv2.warpAffine(rgb, m, (112, 112), flags=cv2.INTER_LINEAR, borderValue=0)
        self.rec.setInput(cv2.dnn.blobFromImage(crop, 1 / 128.0, (112, 112), (127, 127, 127), swapRB=False))
        e = self.rec.forward().reshape(-1)
        return e / np.linalg.norm(e)

    def analyze(self, rgb):
        return [self.embed(rgb, self.landmarks(rgb, d)) for d in self.detect(rgb)]


def umeyama(src, dst):
    sm, dm = src.mean(0), dst.mean(0)
    u, v = src - sm, dst - dm
    norm = (u * u).sum()
    a = (u * v).sum() / norm
    b = (u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]).sum() / norm
    return np.array([[a, -b, dm[0] - (a * sm[0] - b * sm[1])], [b, a, dm[1] - (b * sm[0] + a * sm[1])]])


def decode(path):
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)  # honours EXIF orientation
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def fixture_images(dataset):
    seen, out = set(), []
    for p in sorted(glob.glob(os.path.join(dataset, "**", "*.*"), recursive=True)):
        if p.lower().endswith((".jpg", ".jpeg", ".png")):
            h = hashlib.sha256(open(p, "rb").read()).hexdigest()
            if h not in seen:
                seen.add(h)
                out.append(p)
    return out


def timed(fn, seconds, min_runs=3):
    fn()  # warm-up
    runs, start = 0, time.perf_counter()
    while runs < min_runs or time.perf_counter() - start < seconds:
        fn()
        runs += 1
    return (time.perf_counter() - start) / runs, runs


_worker = None


def _init_worker(models):
    global _worker
    cv2.setNumThreads(1)
    _worker = Pipeline(models)


def _analyze_file(path):
    return len(_worker.analyze(decode(path)))


def video_main(a):
    """Video mode: the same pipeline on frames read by OpenCV's VideoCapture (its FFmpeg backend),
    sampled at --fps by the stream's timestamps (0: every frame), as `likeness bench video` does."""
    cv2.setNumThreads(a.threads)
    p = Pipeline(a.models)
    for path in a.video:
        for fps in a.fps:
            t0 = time.perf_counter(); frames = sampled = faces = 0; nxt = None
            cap = cv2.VideoCapture(path)
            while True:
                ok, bgr = cap.read()
                if not ok:
                    break
                t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
                frames += 1
                if fps > 0 and nxt is not None and t + 1e-6 < nxt:
                    continue
                if fps <= 0:
                    nxt = t  # every frame
                elif nxt is None:
                    nxt = t + 1 / fps  # the sampling grid starts at the first frame
                else:
                    nxt += (math.floor((t + 1e-6 - nxt) * fps) + 1) / fps
                faces += len(p.analyze(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
                sampled += 1
            seconds = time.perf_counter() - t0
            w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
            rate = cap.get(cv2.CAP_PROP_FPS)
            cap.release()
            t1 = time.perf_counter()
            cap = cv2.VideoCapture(path)
            while cap.read()[0]:
                pass
            cap.release()
            decode = time.perf_counter() - t1
            duration = frames / rate if rate > 0 else 0
            print(json.dumps({"runtime": "opencv " + cv2.__version__, "video": os.path.basename(path), "width": w, "height": h,
                              "durationSeconds": round(duration, 2), "sampledFps": fps if fps > 0 else round(rate, 2),
                              "sampledFrames": sampled, "faces": faces, "seconds": round(seconds, 2),
                              "realTimeFactor": round(duration / seconds, 2), "decodeSeconds": round(decode, 2),
                              "decodeShare": round(decode / seconds, 2)}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", required=True)
    ap.add_argument("--dataset")
    ap.add_argument("--video", nargs="+", help="video mode: scan these files instead of the photo protocol")
    ap.add_argument("--fps", type=float, nargs="+", default=[5.0, 0.0])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--procs", type=int, default=1,
                    help="end-to-end: analyse images in this many processes, each with one OpenCV thread")
    a = ap.parse_args()
    if a.video:
        video_main(a)
        return
    cv2.setNumThreads(a.threads)
    p = Pipeline(a.models)
    images = fixture_images(a.dataset)
    base = decode(os.path.join(a.dataset, "examples", "two_people.jpg"))
    vga, k4 = cv2.resize(base, (640, 480), interpolation=cv2.INTER_AREA), cv2.resize(base, (4000, 3000))
    r = {"runtime": "opencv-dnn " + cv2.__version__, "threads": a.threads, "images": len(images)}
    cv2.setNumThreads(1)
    single = {}
    for key, net, shape in (("detector", p.det, (1, 3, 240, 320)), ("landmarks", p.lmk, (1, 1, 64, 64)),
                            ("recognizer", p.rec, (1, 3, 112, 112))):
        x = np.full(shape, 0.1, np.float32)
        single[key] = round(timed(lambda: (net.setInput(x), net.forward()), a.seconds)[0] * 1000, 3)
    r["modelMsOneThread"] = single
    cv2.setNumThreads(a.threads)
    r["detectMs640x480"] = timed(lambda: p.detect(vga), a.seconds)[0] * 1000
    r["detectMs4000x3000"] = timed(lambda: p.detect(k4), a.seconds)[0] * 1000
    face = p.detect(base)[0]
    five = p.landmarks(base, face)
    for batch in (1, 8, 32):
        t, _ = timed(lambda: [p.embed(base, five) for _ in range(batch)], a.seconds)
        r[f"embeddingsPerSecondBatch{batch}"] = batch / t
    decoded = [decode(f) for f in images]
    stages = {"decode": 0.0, "detector": 0.0, "landmarksAlignQuality": 0.0, "embed": 0.0}
    for _ in range(2):  # the first pass warms up; the second is reported
        stages = dict.fromkeys(stages, 0.0)
        for f in images:
            t0 = time.perf_counter(); img = decode(f); t1 = time.perf_counter()
            dets = p.detect(img); t2 = time.perf_counter()
            fives = [p.landmarks(img, d) for d in dets]; t3 = time.perf_counter()
            [p.embed(img, five) for five in fives]; t4 = time.perf_counter()
            for k, a_, b_ in (("decode", t0, t1), ("detector", t1, t2), ("landmarksAlignQuality", t2, t3), ("embed", t3, t4)):
                stages[k] += (b_ - a_) * 1000
    r["stageMsPerPass"] = {k: round(v, 2) for k, v in stages.items()}
    faces = sum(len(p.analyze(img)) for img in decoded)
    if a.procs > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(a.procs, _init_worker, (a.models,)) as pool:
            t, _ = timed(lambda: sum(pool.map(_analyze_file, images, chunksize=1)), a.seconds * 2, min_runs=2)
        r["procs"] = a.procs
    else:
        t, _ = timed(lambda: [p.analyze(decode(f)) for f in images], a.seconds * 2, min_runs=2)
    r["endToEndImagesPerSecond"] = len(images) / t
    r["facesPerPass"] = faces
    r["peakRssMb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                      + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()}))


if __name__ == "__main__":
    main()
