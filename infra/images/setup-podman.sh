#!/usr/bin/env bash
# Makes podman usable on a machine without a Docker engine (issue 11) and starts its
# Docker-compatible API socket for testcontainers. Idempotent: run it as often as you like.
#
#   eval "$(infra/images/setup-podman.sh --env)"   # exports DOCKER_HOST and the testcontainers settings
#   infra/images/setup-podman.sh --stop            # stops the API service this script started (its pid file)
#
# What podman needed here: the runc runtime, cgroupfs as cgroup manager, no default ulimits and a
# file events logger (no systemd/journald in these machines).
set -euo pipefail

SOCKET="${TONGXIN_PODMAN_SOCKET:-/run/tongxin-podman.sock}"
CONF=/etc/containers/containers.conf
LOG="${TONGXIN_PODMAN_LOG:-/tmp/tongxin-podman-service.log}"
say() { if [[ "${1:-}" != "" ]]; then echo "$*" >&2; fi; }

PIDFILE="${SOCKET%.sock}.pid"
if [[ "${1:-}" == "--stop" ]]; then
  if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")" && say "stopped podman system service (pid $(cat "$PIDFILE"))"
  fi
  rm -f "$PIDFILE"
  exit 0
fi

if ! command -v podman >/dev/null 2>&1; then
  say "podman is not installed (apt-get install podman runc)"
  exit 1
fi

# 1. containers.conf: each setting written only when not already present.
mkdir -p "$(dirname "$CONF")"
touch "$CONF"
ensure_setting() { # section key value
  local section="$1" key="$2" value="$3"
  if grep -Eq "^[[:space:]]*${key}[[:space:]]*=" "$CONF"; then return; fi
  if ! grep -Eq "^\[${section}\]" "$CONF"; then printf '\n[%s]\n' "$section" >>"$CONF"; fi
  # insert right after the section header
  sed -i "/^\[${section}\]/a ${key} = ${value}" "$CONF"
  say "containers.conf: [${section}] ${key} = ${value}"
}
ensure_setting containers default_ulimits '[]'
ensure_setting engine runtime '"runc"'
ensure_setting engine cgroup_manager '"cgroupfs"'
ensure_setting engine events_logger '"file"'

# 2. The Docker-compatible API socket.
alive() { curl -sf --max-time 3 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; }
if ! alive; then
  rm -f "$SOCKET"
  say "starting: podman system service --time=0 unix://$SOCKET (log: $LOG)"
  nohup podman system service --time=0 "unix://$SOCKET" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 50); do alive && break; sleep 0.2; done
  if ! alive; then
    say "the podman API socket did not answer at $SOCKET; last log lines:"
    tail -20 "$LOG" >&2 || true
    exit 1
  fi
fi

if [[ "${1:-}" == "--env" ]]; then
  echo "export DOCKER_HOST=unix://$SOCKET TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"
else
  echo "DOCKER_HOST=unix://$SOCKET"
fi
