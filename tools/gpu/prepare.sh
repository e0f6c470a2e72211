#!/usr/bin/env bash
# Prepares, on this machine, everything the lent GPU machine needs to check and measure the OpenCL backend: that
# machine has no Java and no Maven, and builds nothing. Run from anywhere; then run tools/gpu/session.sh there
# with the `device` tool, carrying the four paths this script prints (see docs/gpu.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
# the engine, its tests, and every jar they need (test scope too: the JUnit launcher runs the OpenCL tests there)
flock /tmp/mvn.lock mvn -q -o -B -DskipTests package test-compile -pl engine
rm -rf engine/target/gpu-lib
flock /tmp/mvn.lock mvn -q -o -B dependency:copy-dependencies -pl engine -DincludeScope=test \
  -DoutputDirectory=target/gpu-lib
# the JUnit launcher (surefire brings its own; RunTests.java needs it on the class path)
flock /tmp/mvn.lock mvn -q -o -B dependency:copy -Dartifact=org.junit.platform:junit-platform-launcher:1.14.0 \
  -DoutputDirectory=engine/target/gpu-lib
# the JUnit runner, compiled here (a source-file launch would need jdk.compiler in the runtime)
javac -d engine/target/test-classes -cp "engine/target/gpu-lib/*" tools/gpu/RunTests.java
# a Java runtime with the modules the engine uses (~36 MB)
if [ ! -x .rt/bin/java ]; then
  jlink --add-modules java.base,java.logging,java.management,jdk.management,jdk.incubator.vector,java.sql,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output .rt
fi
du -sh .rt engine/target/classes engine/target/test-classes engine/target/gpu-lib
echo "carry: .rt engine/target/classes engine/target/test-classes engine/target/gpu-lib"
