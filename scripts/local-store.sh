#!/usr/bin/env bash
# Runs a MongoDB-compatible server or DynamoDB Local inside a JVM on 127.0.0.1, in memory, so the
# cart demo can run on those backends without installing a server; it prints the command that runs
# the demo against it, and runs in the foreground (Ctrl+C stops it).
#
#   ./scripts/local-store.sh mongodb             # 127.0.0.1:27017 (mongo-java-server)
#   ./scripts/local-store.sh dynamodb            # 127.0.0.1:8000 (DynamoDB Local)
#   ./scripts/local-store.sh dynamodb 0          # any free port (printed)
#   ./scripts/local-store.sh list mongodb 27017  # print the sessions the running server holds
#
# MAVEN_ARGS is added to the Maven command line (e.g. MAVEN_ARGS=-o to build offline).
set -euo pipefail
cd "$(dirname "$0")/.."

main_class=io.sessionkit.examples.localstores.LocalStoreLauncher
if [[ "${1:-}" == list ]]; then
    main_class=io.sessionkit.examples.localstores.StoredSessionsListing
    shift
fi
if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 [list] mongodb|dynamodb [port]" >&2
    exit 2
fi

command -v mvn >/dev/null || { echo "local-store: mvn is not on PATH: install Maven 3.8+ (apt-get install -y maven)" >&2; exit 1; }
command -v java >/dev/null || { echo "local-store: java is not on PATH: install a JDK 17+ (apt-get install -y openjdk-17-jdk)" >&2; exit 1; }

echo "local-store: building examples/local-stores..." >&2
# shellcheck disable=SC2086 # MAVEN_ARGS is a list of options
mvn -B -q -Dstyle.color=never -pl examples/local-stores -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true ${MAVEN_ARGS:-} >&2

classpath="examples/local-stores/target/classes:$(cat examples/local-stores/target/classpath.txt)"
exec java -cp "$classpath" "$main_class" "$@"
