#!/usr/bin/env bash
# A single-node Kafka broker (KRaft: broker and controller in one process) from Maven Central artifacts,
# for running the distributed setup on a machine without Docker. Data stays in $KAFKA_DATA_DIR between runs.
#   scripts/kafka-local.sh            # listens on localhost:9092 (KAFKA_PORT), controller on 9093
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=$(realpath -m "${KAFKA_DATA_DIR:-./data/kafka}")
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-9093}
mkdir -p "$data_dir"
classpath_file="$data_dir/classpath"
./mvnw -q -B -f scripts/kafka/pom.xml dependency:build-classpath -Dmdep.outputFile="$classpath_file"
classpath=$(cat "$classpath_file")
properties="$data_dir/server.properties"
cat > "$properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$controller_port
listeners=PLAINTEXT://localhost:$port,CONTROLLER://localhost:$controller_port
advertised.listeners=PLAINTEXT://localhost:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data_dir/logs
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
if [ ! -f "$data_dir/logs/meta.properties" ]; then
  java -cp "$classpath" kafka.tools.StorageTool format -t "$(java -cp "$classpath" kafka.tools.StorageTool random-uuid)" -c "$properties"
fi
exec java -Xmx512m -cp "$classpath" kafka.Kafka "$properties"
