#!/usr/bin/env bash
# Fresh-machine entry point: installs the model packs, builds everything, then does the main job on
# the fixtures: a small watchlist from the fixture photos, the fixture clip scanned against it, and
# the named tracks printed as a table, with the command that opens them in the review page.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
bash scripts/fetch-models.sh
mvn -B -q -ntp -DskipTests package
data=${LIKENESS_DATASET:-$root/fixtures/face_recognition}/examples
# A home of its own, made anew each run: the demo never touches ~/.likeness.
export LIKENESS_HOME=${LIKENESS_DEMO_HOME:-${TMPDIR:-/tmp}/likeness-demo}
rm -rf "$LIKENESS_HOME"
./likeness gallery create watch >/dev/null
enrol() { ./likeness enroll --gallery watch --subject "$1" "${@:2}" >/dev/null 2>&1; }
enrol lin_manuel_miranda "$data/lin-manuel-miranda.png"
enrol alex_lacamoire "$data/alex-lacamoire.png" "$data/knn_examples/train/alex_lacamoire/img1.jpg"
enrol barack_obama "$data/obama.jpg" "$data/obama2.jpg"
enrol joe_biden "$data/biden.jpg" "$data/knn_examples/train/biden/biden2.jpg"
echo "watchlist 'watch': lin_manuel_miranda, alex_lacamoire, barack_obama, joe_biden (fixture photos)"
clip="$data/short_hamilton_clip.mp4"
./likeness video scan "$clip" --gallery watch --json 2>/dev/null > "$LIKENESS_HOME/scan.json"
python3 - "$LIKENESS_HOME/scan.json" <<'PY'
import json, sys
scan = json.load(open(sys.argv[1]))
def tc(s):
    t = round(max(0, s) * 10)
    return f"{t // 36000:02d}:{t // 600 % 60:02d}:{t // 10 % 60:02d}.{t % 10}"
def rate(v):
    return "n/a" if v is None else v if isinstance(v, str) else f"{v:.1e}"
named = [t for t in scan["tracks"] if t["decision"]["subject"]]
print(f"\n{scan['video'].split('/')[-1]}: {scan['durationSeconds']:.1f} s, {len(scan['tracks'])} face tracks, "
      f"{len(named)} named (scan {scan['scan']}; leads for a person to review, not verdicts)\n")
print(f"{'track':>5}  {'time':<21}  {'name':<20}  {'score':>5}  {'FMR':>7}  {'FPIR':>7}")
for t in named:
    d = t["decision"]
    print(f"{t['track']:>5}  {tc(t['start'])}-{tc(t['end'])}  {d['subject']:<20}  {d['score']:>5.3f}  {rate(d['fmr']):>7}  {rate(d['fpir']):>7}")
PY
cat <<MSG

Review them in the browser (keys create prints the key as its last line):
  export LIKENESS_HOME=$LIKENESS_HOME
  ./likeness keys create --role admin --name me
  ./likeness serve --port 8080        # then http://127.0.0.1:8080/videos?scan=$(python3 -c "import json;print(json.load(open('$LIKENESS_HOME/scan.json'))['scan'])")
Or in the terminal:  LIKENESS_HOME=$LIKENESS_HOME ./likeness scans show $(python3 -c "import json;print(json.load(open('$LIKENESS_HOME/scan.json'))['scan'])")
MSG
