#!/usr/bin/env bash
# Builds the Spring Boot example and the modules it needs, then runs it in the foreground (Ctrl+C stops it).
#
#   ./scripts/spring-boot-demo.sh                        # filesystem backend, http://127.0.0.1:8080/ (demo / demo)
#   SESSION_TYPE=redis ./scripts/spring-boot-demo.sh     # any installed backend, with its SESSION_* keys
#   PORT=0 ./scripts/spring-boot-demo.sh                 # any free port (Tomcat logs the one it took)
#   ./scripts/spring-boot-demo.sh --sessionkit.type=jdbc --sessionkit.jdbc.url=jdbc:postgresql://127.0.0.1/test
#                                                        # arguments go to the application
#
# MAVEN_ARGS is added to the Maven command line (e.g. MAVEN_ARGS=-o to build offline).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v mvn >/dev/null || { echo "spring-boot-demo: mvn is not on PATH: install Maven 3.8+ (apt-get install -y maven)" >&2; exit 1; }
command -v java >/dev/null || { echo "spring-boot-demo: java is not on PATH: install a JDK 17+ (apt-get install -y openjdk-17-jdk)" >&2; exit 1; }

echo "spring-boot-demo: building examples/spring-boot and the modules it needs..." >&2
# shellcheck disable=SC2086 # MAVEN_ARGS is a list of options
mvn -B -q -Dstyle.color=never -pl examples/spring-boot -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true ${MAVEN_ARGS:-} >&2

exec java -jar examples/spring-boot/target/sessionkit-example-spring-boot-0.1.0-SNAPSHOT.jar "$@"
