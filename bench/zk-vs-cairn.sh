#!/usr/bin/env bash
# Cairn's coordination service against Apache ZooKeeper 3.9.5, same machine, same load generator,
# one run. Starts three ZooKeeper servers on loopback (the jars come from Maven Central through
# the bench module's dependencies), measures, stops them; then starts a 3-node Cairn
# (./cairn start --nodes 3), measures, stops it; then prints Cairn / ZooKeeper for each workload.
#
#   bench/zk-vs-cairn.sh [--seconds N] [--prewarm N] [--clients 1,64] [--ops set,get,create]
#                        [--keep DIR]
#   (CAIRN_NO_BUILD=1: measure the bench jar and distribution already built, build nothing)
#   --prewarm N: before measuring, each system serves N seconds of unmeasured load (every op at
#   64 clients, N/3 s each) so both are measured with their JIT warm, not their start-up
#   (default 30; 0 measures from cold, as before).
#
# Both systems sync their logs to disk before acknowledging a write (ZooKeeper's forceSync=yes
# default; Cairn's storage engine always does). Every process started here is stopped by pid on
# exit, also on failure or Ctrl-C.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_RUN=5
PREWARM=30
CLIENTS=1,64
OPS=set,get,create
WORK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --prewarm) PREWARM=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --ops) OPS=$2; shift 2 ;;
    --keep) WORK=$2; shift 2 ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
  esac
done
WORK=${WORK:-$(mktemp -d /tmp/cairn-zkbench.XXXXXX)}
mkdir -p "$WORK"
RESULTS="$WORK/results.txt"
: >"$RESULTS"

JAVA=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
[ -x "$JAVA" ] || JAVA=$(command -v java)

# Unmeasured load before the measured runs (same for both systems): LABEL CONNECT PIDS.
prewarm() {
  [ "$PREWARM" -gt 0 ] || return 0
  local each=$(( (PREWARM + 2) / 3 ))
  echo "prewarm $1: ${each} s each of set, get, create at 64 clients (not measured)"
  "$JAVA" -cp "$CP" io.cairn.bench.ZkLoad run --label "$1-prewarm" --connect "$2" --pids "$3" \
    --clients 64 --ops set,get,create --seconds "$each" --warmup-seconds 0 \
    --out "$WORK/prewarm.txt" >/dev/null
}

# Offsets keep both clusters clear of a developer's node on the default ports.
ZK_PORTS=(22181 22182 22183)
CAIRN_OFFSET=14000  # every port stays below the ephemeral range (32768-60999)
ZK_PIDS=()

cleanup() {
  local pid
  for pid in "${ZK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${ZK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  CAIRN_NO_BUILD=1 CAIRN_PORT_OFFSET=$CAIRN_OFFSET "$ROOT/cairn" stop --data "$WORK/cairn" >/dev/null 2>&1 || true
}
trap cleanup EXIT

four_letter() {  # four_letter PORT WORD: prints the answer, or nothing when nobody answers
  local answer=""
  if exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null; then
    printf '%s' "$2" >&3
    answer=$(timeout 2 cat <&3 || true)
    exec 3<&- 3>&-
  fi
  printf '%s' "$answer"
}

echo "== building the bench and the Cairn distribution"
if [ "${CAIRN_NO_BUILD:-}" = 1 ]; then  # measure what is built (bench jar and distribution)
  [ -f "$ROOT/bench/target/cairn-bench.jar" ] || { echo "no bench/target/cairn-bench.jar; build first" >&2; exit 1; }
else
  (cd "$ROOT" && mvn -q -o -DskipTests install -pl bench -am 2>/dev/null || mvn -q -DskipTests install -pl bench -am)
fi
CP="$ROOT/bench/target/cairn-bench.jar:$ROOT/bench/target/lib/*"

echo "== Apache ZooKeeper 3.9.5, 3 servers on loopback ($WORK/zk)"
for i in 1 2 3; do
  dir="$WORK/zk/$i"
  mkdir -p "$dir/data"
  echo "$i" >"$dir/data/myid"
  cat >"$dir/zoo.cfg" <<EOF
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=${ZK_PORTS[$((i - 1))]}
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok
server.1=127.0.0.1:22888:23888
server.2=127.0.0.1:22889:23889
server.3=127.0.0.1:22890:23890
EOF
  "$JAVA" -Xmx1g -Dzookeeper.log.dir="$dir" -cp "$CP" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg" >"$dir/zookeeper.log" 2>&1 &
  ZK_PIDS+=($!)
done
deadline=$((SECONDS + 60))
until four_letter "${ZK_PORTS[0]}" srvr | grep -q 'Mode: \(leader\|follower\)' \
  && four_letter "${ZK_PORTS[1]}" srvr | grep -q 'Mode: \(leader\|follower\)' \
  && four_letter "${ZK_PORTS[2]}" srvr | grep -q 'Mode: \(leader\|follower\)'; do
  [ $SECONDS -lt $deadline ] || { echo "ZooKeeper did not form a quorum in 60 s; logs in $WORK/zk" >&2; exit 1; }
  sleep 0.5
done
prewarm zookeeper "127.0.0.1:${ZK_PORTS[0]},127.0.0.1:${ZK_PORTS[1]},127.0.0.1:${ZK_PORTS[2]}" \
  "$(IFS=,; echo "${ZK_PIDS[*]}")"
"$JAVA" -cp "$CP" io.cairn.bench.ZkLoad run --label zookeeper \
  --connect "127.0.0.1:${ZK_PORTS[0]},127.0.0.1:${ZK_PORTS[1]},127.0.0.1:${ZK_PORTS[2]}" \
  --pids "$(IFS=,; echo "${ZK_PIDS[*]}")" --clients "$CLIENTS" --ops "$OPS" \
  --seconds "$SECONDS_PER_RUN" --out "$RESULTS"
for pid in "${ZK_PIDS[@]}"; do kill "$pid"; done
for pid in "${ZK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
ZK_PIDS=()

echo "== Cairn, 3 nodes on loopback ($WORK/cairn)"
CAIRN_PORT_OFFSET=$CAIRN_OFFSET "$ROOT/cairn" start --nodes 3 --data "$WORK/cairn"
pids=""
connect=""
for i in 1 2 3; do
  pids+="${pids:+,}$(cat "$WORK/cairn/node-$i/cairn.pid")"
  connect+="${connect:+,}127.0.0.1:$((2181 + 10 * (i - 1) + CAIRN_OFFSET))"
done
prewarm cairn "$connect" "$pids"
"$JAVA" -cp "$CP" io.cairn.bench.ZkLoad run --label cairn --connect "$connect" --pids "$pids" \
  --clients "$CLIENTS" --ops "$OPS" --seconds "$SECONDS_PER_RUN" --out "$RESULTS"
CAIRN_NO_BUILD=1 CAIRN_PORT_OFFSET=$CAIRN_OFFSET "$ROOT/cairn" stop --data "$WORK/cairn"

"$JAVA" -cp "$CP" io.cairn.bench.ZkLoad compare zookeeper cairn "$RESULTS"
echo "(raw figures: $RESULTS)"
