#!/usr/bin/env bash
# Neo4j Community test server for the auditor test suite, built from Maven Central only.
#
#   scripts/neo4j-test-server.sh fetch                 fetch jars + compile the launcher (idempotent)
#   scripts/neo4j-test-server.sh run --home DIR --port N [--conf key=value ...]
#                                                      start the server in the foreground (exec java);
#                                                      prints "NEO4J_READY bolt://..." when Bolt answers,
#                                                      stops cleanly on SIGTERM
#   scripts/neo4j-test-server.sh classpath             print the Java classpath
#
# Environment: NEO4J_TEST_HEAP (default 512m) sets -Xms/-Xmx of the server JVM; JAVA_HOME is honoured.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/vendor/neo4j"
TARGET="$VENDOR/target"
STAMP="$TARGET/.fetched"

die() { echo "neo4j-test-server: $*" >&2; exit 1; }

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$1" ]; then echo "$JAVA_HOME/bin/$1"; return; fi
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found: install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless maven)"
  command -v "$1"
}

fingerprint() {
  cat "$VENDOR/pom.xml" "$VENDOR/src/Neo4jTestServer.java" | sha256sum | cut -d' ' -f1
}

fetch() {
  local want; want="$(fingerprint)"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -f "$TARGET/classes/Neo4jTestServer.class" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "'mvn' not found: install Maven (Debian: apt-get install maven)"
  echo "neo4j-test-server: fetching Neo4j jars from Maven Central into vendor/neo4j/target/lib" >&2
  rm -rf "$TARGET/lib" "$TARGET/classes"
  mkdir -p "$TARGET"
  if ! (cd "$VENDOR" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies \
      -DoutputDirectory=target/lib -DincludeScope=runtime) > "$TARGET/maven.log" 2>&1; then
    cat "$TARGET/maven.log" >&2
    die "maven could not fetch the Neo4j jars (log above, also in vendor/neo4j/target/maven.log)"
  fi
  mkdir -p "$TARGET/classes"
  "$(java_bin javac)" -nowarn -d "$TARGET/classes" -cp "$TARGET/lib/*" "$VENDOR/src/Neo4jTestServer.java" \
    || die "could not compile the launcher"
  echo "$want" > "$STAMP"
}

classpath() { echo "$TARGET/lib/*:$TARGET/classes"; }

cmd="${1:-}"; [ $# -gt 0 ] && shift
case "$cmd" in
  fetch) fetch ;;
  classpath) fetch; classpath ;;
  run)
    fetch
    heap="${NEO4J_TEST_HEAP:-512m}"
    exec "$(java_bin java)" "-Xms$heap" "-Xmx$heap" -XX:+UseParallelGC \
      -Dfile.encoding=UTF-8 -cp "$(classpath)" Neo4jTestServer "$@"
    ;;
  *) die "usage: $0 fetch|run|classpath [args]" ;;
esac
