#!/usr/bin/env bash
# Builds the cart demo and the modules it needs, then runs it in the foreground (Ctrl+C stops it).
#
#   ./scripts/demo.sh                          # filesystem backend, http://127.0.0.1:8080/
#   SESSION_TYPE=redis ./scripts/demo.sh       # any installed backend, with its SESSION_* keys
#   PORT=0 ./scripts/demo.sh                   # any free port (the URL is printed)
#   ./scripts/demo.sh -DSESSION_TYPE=memcached # arguments go to java, before the class path
#
# MAVEN_ARGS is added to the Maven command line (e.g. MAVEN_ARGS=-o to build offline).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v mvn >/dev/null || { echo "demo: mvn is not on PATH: install Maven 3.8+ (apt-get install -y maven)" >&2; exit 1; }
command -v java >/dev/null || { echo "demo: java is not on PATH: install a JDK 17+ (apt-get install -y openjdk-17-jdk)" >&2; exit 1; }

echo "demo: building examples/cart and the modules it needs..." >&2
# shellcheck disable=SC2086 # MAVEN_ARGS is a list of options
mvn -B -q -Dstyle.color=never -pl examples/cart -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true ${MAVEN_ARGS:-} >&2

classpath="examples/cart/target/classes:$(cat examples/cart/target/classpath.txt)"
exec java "$@" -cp "$classpath" io.sessionkit.examples.cart.CartDemo
