#!/usr/bin/env bash
# Local base images, built offline from what this machine already has (issue 11):
#
#   localhost/tongxin-debian:bookworm      debootstrap bookworm minbase, `podman import`ed
#   localhost/tongxin-debian:bookworm-jre  the same plus openjdk-17-jre-headless
#   localhost/tongxin-base-node:20         + this machine's own Node ($(command -v node)), user node (1000)
#   localhost/tongxin-base-kafka:3.9.1     + the Kafka jars infra/local fetched, apache/kafka-style KAFKA_* env
#   localhost/tongxin-base-ferretdb:1.24.2 + the FerretDB static binary infra/local built, ghcr-style FERRETDB_* env
#
# The root filesystems come from the Debian mirror apt already uses and are cached (tarballs and .debs)
# under $TONGXIN_CACHE_DIR, else ~/.cache/tongxin, in images/. Everything after the first debootstrap
# runs without network. Re-running is cheap: a cached rootfs is reused and podman's layer cache is hit.
#
#   infra/images/build-base.sh [--engine podman|docker] [--rebuild-rootfs]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${TONGXIN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tongxin}"
ROOTFS_CACHE="$CACHE/images"
KAFKA_VERSION=3.9.1
FERRETDB_VERSION=v1.24.2
KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
FERRETDB_BIN="$CACHE/ferretdb-$FERRETDB_VERSION/ferretdb"
SUITE=bookworm
ENGINE="${CONTAINER_ENGINE:-}"
REBUILD=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) ENGINE="$2"; shift 2 ;;
    --rebuild-rootfs) REBUILD=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$ENGINE" ]]; then
  if command -v podman >/dev/null 2>&1; then ENGINE=podman; elif command -v docker >/dev/null 2>&1; then ENGINE=docker; else
    echo "neither podman nor docker is installed" >&2; exit 1
  fi
fi
t0=$(date +%s)
log() { echo "[build-base +$(( $(date +%s) - t0 ))s] $*"; }

# The mirror apt uses (deb822 or one-line sources), so nothing new is contacted.
mirror() {
  local m
  m=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
  if [[ -z "$m" ]]; then
    m=$(grep -hE '^deb .*/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | head -1 || true)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

# rootfs <name> <extra packages, comma separated or empty> -> prints tarball path
rootfs() {
  local name="$1" include="$2" tarball="$ROOTFS_CACHE/$SUITE-$1.tar"
  if [[ -f "$tarball" && $REBUILD -eq 0 ]]; then echo "$tarball"; return; fi
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  local dir="$ROOTFS_CACHE/build-$name"
  rm -rf "$dir"; mkdir -p "$dir" "$ROOTFS_CACHE/debs"
  log "debootstrap $SUITE minbase ${include:+(+ $include) }from $(mirror) …" >&2
  debootstrap --variant=minbase ${include:+--include="$include"} --cache-dir="$ROOTFS_CACHE/debs" \
    "$SUITE" "$dir" "$(mirror)" >"$ROOTFS_CACHE/debootstrap-$name.log" 2>&1 ||
    { tail -30 "$ROOTFS_CACHE/debootstrap-$name.log" >&2; exit 1; }
  # Slim: no package caches, lists, docs, man pages or foreign locales in an image.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/var/log/*.log "$dir"/var/cache/debconf/*-old
  find "$dir"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'C.*' -exec rm -rf {} + 2>/dev/null || true
  tar --numeric-owner -C "$dir" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rm -rf "$dir"
  echo "$tarball"
}

# import_once <tarball> <tag>: re-imported only when the tarball changed (label carries its checksum).
import_once() {
  local tarball="$1" tag="$2" sum
  sum=$(stat -c '%s-%Y' "$tarball")
  if [[ "$($ENGINE image inspect --format '{{ index .Config.Labels "tongxin.rootfs" }}' "$tag" 2>/dev/null || true)" == "$sum" ]]; then
    log "$tag up to date"; return
  fi
  log "importing $tag"
  $ENGINE import --change "LABEL tongxin.rootfs=$sum" --change 'CMD ["/bin/bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tarball" "$tag" >/dev/null
}

mkdir -p "$ROOTFS_CACHE"
minbase=$(rootfs minbase "")
jre=$(rootfs jre "openjdk-17-jre-headless")
import_once "$minbase" localhost/tongxin-debian:$SUITE
import_once "$jre" localhost/tongxin-debian:$SUITE-jre

ctx=$(mktemp -d "${TMPDIR:-/tmp}/tongxin-base-XXXXXX")
trap 'rm -rf "$ctx"' EXIT

# Node: the machine's own binary (a single self-contained executable; needs only libc/libstdc++, which
# minbase has) and its npm. Same layout as node:20-slim: /usr/local/bin/{node,npm,npx}, user "node" (uid 1000).
node_bin="$(readlink -f "$(command -v node)")"
node_version="$(node --version)"
node_major="${node_version#v}"; node_major="${node_major%%.*}"
npm_dir="$(dirname "$node_bin")/../lib/node_modules/npm"
[[ -f "$npm_dir/package.json" ]] || { echo "npm not found next to $node_bin (expected $npm_dir)" >&2; exit 1; }
mkdir -p "$ctx/node"; cp "$node_bin" "$ctx/node/node"; cp -r "$npm_dir" "$ctx/node/npm"
cat >"$ctx/node/Containerfile" <<CF
FROM localhost/tongxin-debian:$SUITE
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=${node_version#v}
LABEL org.opencontainers.image.description="Debian $SUITE minbase + Node $node_version from the build machine"
CMD ["node"]
CF
log "building localhost/tongxin-base-node:$node_major (Node $node_version)"
$ENGINE build --network=none -q -t "localhost/tongxin-base-node:$node_major" -f "$ctx/node/Containerfile" "$ctx/node" >/dev/null

# Kafka: openjdk-17-jre-headless + the jars of infra/local's cache + an apache/kafka-style entry point.
[[ -d "$KAFKA_LIBS" ]] || { echo "no Kafka jars at $KAFKA_LIBS: run 'npm run stack -- up' once (infra/local fetches them)" >&2; exit 1; }
mkdir -p "$ctx/kafka"; cp -r "$KAFKA_LIBS" "$ctx/kafka/libs"; cp "$here/base/kafka-entrypoint.sh" "$ctx/kafka/"
cat >"$ctx/kafka/Containerfile" <<CF
FROM localhost/tongxin-debian:$SUITE-jre
COPY libs /opt/kafka/libs
COPY kafka-entrypoint.sh /usr/local/bin/kafka-entrypoint
RUN chmod 0755 /usr/local/bin/kafka-entrypoint && groupadd --gid 1000 appuser \
 && useradd --uid 1000 --gid appuser --home-dir /var/lib/kafka --create-home appuser
USER appuser
WORKDIR /var/lib/kafka
ENV KAFKA_VERSION=$KAFKA_VERSION
ENTRYPOINT ["/usr/local/bin/kafka-entrypoint"]
CF
log "building localhost/tongxin-base-kafka:$KAFKA_VERSION"
$ENGINE build --network=none -q -t "localhost/tongxin-base-kafka:$KAFKA_VERSION" -f "$ctx/kafka/Containerfile" "$ctx/kafka" >/dev/null

# FerretDB: the static binary infra/local built, laid out like ghcr.io/ferretdb/ferretdb (/ferretdb, /state).
[[ -x "$FERRETDB_BIN" ]] || { echo "no FerretDB binary at $FERRETDB_BIN: run 'npm run stack -- up' once (infra/local builds it)" >&2; exit 1; }
mkdir -p "$ctx/ferretdb"; cp "$FERRETDB_BIN" "$ctx/ferretdb/ferretdb"
cat >"$ctx/ferretdb/Containerfile" <<CF
FROM localhost/tongxin-debian:$SUITE
COPY ferretdb /ferretdb
RUN groupadd --gid 1000 ferretdb && useradd --uid 1000 --gid ferretdb --no-create-home ferretdb \
 && mkdir /state && chown ferretdb:ferretdb /state
USER ferretdb
WORKDIR /state
ENV FERRETDB_STATE_DIR=/state
ENTRYPOINT ["/ferretdb"]
CF
log "building localhost/tongxin-base-ferretdb:${FERRETDB_VERSION#v}"
$ENGINE build --network=none -q -t "localhost/tongxin-base-ferretdb:${FERRETDB_VERSION#v}" -f "$ctx/ferretdb/Containerfile" "$ctx/ferretdb" >/dev/null

log "done"
$ENGINE images --filter reference='localhost/tongxin-*' --format '{{.Repository}}:{{.Tag}}  {{.Size}}'
