#!/usr/bin/env bash
# Makes a Docker engine answer on /var/run/docker.sock with a small local image, for the docker
# containerizer's tests. Idempotent: installs docker.io + busybox-static only when missing, starts
# dockerd only when no engine answers, imports the image only when absent. No registry is needed:
# the image is a rootfs made of busybox-static and its applet symlinks.
#
#   .ci/docker-setup.sh start   # prints "dockerd-pid=<pid>" when it started one (else "dockerd-pid=")
#   .ci/docker-setup.sh stop PID  # stops that dockerd (and its containerd) by pid
#
# Image: cairn/busybox:1 (override with CAIRN_DOCKER_IMAGE). Log: target/dockerd.log.
set -euo pipefail
IMAGE=${CAIRN_DOCKER_IMAGE:-cairn/busybox:1}
SOCK=/var/run/docker.sock
# /usr/local/bin/docker may shadow Debian's client; either works (API negotiation).
DOCKER=$(command -v docker || echo /usr/bin/docker)

engine_answers() { "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1; }

case "${1:-start}" in
start)
  if ! command -v dockerd >/dev/null || ! [ -x /bin/busybox ]; then
    echo "docker-setup: installing docker.io busybox-static" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q docker.io busybox-static >&2
    DOCKER=$(command -v docker || echo /usr/bin/docker)
  fi
  pid=""
  if ! engine_answers; then
    mkdir -p target
    dockerd > target/dockerd.log 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
      engine_answers && break
      kill -0 "$pid" 2>/dev/null || { echo "docker-setup: dockerd exited; see target/dockerd.log" >&2; tail -20 target/dockerd.log >&2; exit 1; }
      sleep 0.2
    done
    engine_answers || { echo "docker-setup: dockerd did not answer within 20 s" >&2; exit 1; }
    echo "docker-setup: dockerd pid $pid answers on $SOCK" >&2
  fi
  if ! "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/www"
    cp /bin/busybox "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do
      [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
    done
    echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
    echo "root:x:0:" > "$root/etc/group"
    echo "cairn" > "$root/www/index.html"
    tar -C "$root" -cf "$root.tar" .
    "$DOCKER" import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' "$root.tar" "$IMAGE" >&2
    rm -rf "$root" "$root.tar"
    echo "docker-setup: imported $IMAGE" >&2
  fi
  echo "dockerd-pid=$pid"
  ;;
stop)
  pid=${2:?usage: docker-setup.sh stop PID}
  [ -n "$pid" ] || exit 0
  children=$(pgrep -P "$pid" || true)
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  for child in $children; do kill "$child" 2>/dev/null || true; done
  echo "docker-setup: stopped dockerd $pid ${children:+(children $children)}" >&2
  ;;
*)
  echo "usage: docker-setup.sh start | stop PID" >&2; exit 2;;
esac
