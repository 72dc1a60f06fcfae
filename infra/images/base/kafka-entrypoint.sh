#!/bin/sh
# Entry point of localhost/tongxin-base-kafka: the same KAFKA_* environment interface as the public
# apache/kafka image (KAFKA_LISTENERS -> listeners=…), a single-node KRaft broker+controller.
set -eu
CONFIG_DIR="${KAFKA_CONFIG_DIR:-/var/lib/kafka/config}"
DATA_DIR="${KAFKA_LOG_DIRS:-/var/lib/kafka/data}"
mkdir -p "$CONFIG_DIR" "$DATA_DIR"
CONFIG="$CONFIG_DIR/server.properties"
: >"$CONFIG"
echo "log.dirs=$DATA_DIR" >>"$CONFIG"
# KAFKA_FOO_BAR=value -> foo.bar=value (KAFKA_HEAP_OPTS, KAFKA_OPTS and KAFKA_LOG_DIRS are not broker settings)
env | while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_LOG_DIRS | KAFKA_CONFIG_DIR | KAFKA_CLASSPATH) ;;
    KAFKA_*)
      key=$(echo "${name#KAFKA_}" | tr 'A-Z_' 'a-z.')
      echo "$key=$value" >>"$CONFIG"
      ;;
  esac
done
CP="${KAFKA_CLASSPATH:-/opt/kafka/libs/*}"
# shellcheck disable=SC2086
JVM="${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true ${KAFKA_OPTS:-}"
if [ ! -f "$DATA_DIR/meta.properties" ]; then
  # 16 random bytes, URL-safe base64; never starting with "-" (the storage tool would take it for an option).
  while [ -z "${CLUSTER_ID:-}" ] || [ "${CLUSTER_ID#-}" != "$CLUSTER_ID" ]; do
    CLUSTER_ID="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  # shellcheck disable=SC2086
  java $JVM -cp "$CP" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$CONFIG" --ignore-formatted
fi
# shellcheck disable=SC2086
exec java $JVM -cp "$CP" kafka.Kafka "$CONFIG"
