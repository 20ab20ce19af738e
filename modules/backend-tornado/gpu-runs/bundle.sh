#!/usr/bin/env bash
# Packs what the device machine lacks (it has no JDK, no Maven and no network) into
# .tornado-gpu/bundle.tar.xz at the repository root, for the device tool's `carry` (64 MiB at most
# with the working tree); run-h200.sh unpacks it there. In it:
#   jdk/         a jlink'ed Java runtime with the modules TornadoVM and vgg4j use
#   tornado/     the TornadoVM SDK trimmed to its runtime: opencl + ptx drivers, Graal compiler
#   lib/*.jar    vgg4j's modules (backend-tornado with its test classes) and their test dependencies
#   junit.jar    the JUnit console launcher that runs the kit there
# Every part is stored uncompressed (jlink without compression, jars rewritten with stored
# entries) so that xz compresses the whole: about half of what deflate leaves.
# Run here, from the repository root, after a build of the module with its tests:
#   export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TORNADOVM_HOME=/path/to/tornadovm-5.2.0-jdk25-opencl-ptx
#   modules/backend-tornado/gpu-runs/bundle.sh
# Then on the device: bash modules/backend-tornado/gpu-runs/run-h200.sh (carry .tornado-gpu).
set -euo pipefail
cd "$(dirname "$0")/../../.."
: "${JAVA_HOME:?bundle.sh: set JAVA_HOME to a JDK 25}"
: "${TORNADOVM_HOME:?bundle.sh: set TORNADOVM_HOME to the TornadoVM 5.2.0-jdk25 SDK}"
out=.tornado-gpu
junit_version=1.14.4
junit="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$junit_version/junit-platform-console-standalone-$junit_version.jar"
grep -qx "/$out/" .git/info/exclude 2>/dev/null || echo "/$out/" >> "$(git rev-parse --git-common-dir)/info/exclude"

echo "bundle: building backend-tornado and its test classpath"
./mvnw -B -o -q -pl modules/backend-tornado -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test -Dsurefire.failIfNoSpecifiedTests=false
if [ ! -f "$junit" ]; then
  ./mvnw -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_version
fi

stage=$(mktemp -d)
final=$out
out=$stage/tornado-gpu
mkdir -p "$out/lib"
echo "bundle: jlink runtime"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.internal.vm.ci,jdk.incubator.vector,java.xml,java.sql,java.naming,java.instrument,jdk.crypto.ec,jdk.jfr \
  --strip-debug --no-man-pages --no-header-files --compress=zip-0 --output "$out/jdk"

echo "bundle: trimmed TornadoVM SDK"
mkdir -p "$out/tornado/share/java"
cp -r "$TORNADOVM_HOME/lib" "$TORNADOVM_HOME/bin" "$TORNADOVM_HOME/etc" "$out/tornado/"
cp "$TORNADOVM_HOME"/tornado-argfile* "$out/tornado/"
cp -r "$TORNADOVM_HOME/share/java/graalJars" "$out/tornado/share/java/"
mkdir -p "$out/tornado/share/java/tornado"
for jar in "$TORNADOVM_HOME"/share/java/tornado/*.jar; do
  case "$(basename "$jar")" in
    tornado-benchmarks*|tornado-examples*|tornado-unittests*|tornado-fuzz*) ;;
    *) cp "$jar" "$out/tornado/share/java/tornado/" ;;
  esac
done

echo "bundle: vgg4j jars"
m=modules/backend-tornado
"$JAVA_HOME/bin/jar" cf "$out/lib/vgg4j-backend-tornado.jar" -C $m/target/classes .
"$JAVA_HOME/bin/jar" cf "$out/lib/vgg4j-backend-tornado-tests.jar" -C $m/target/test-classes .
tr ':' '\n' < $m/target/test-classpath.txt | while read -r entry; do
  case "$entry" in
    */tornado-*.jar|"") ;;
    */target/classes) "$JAVA_HOME/bin/jar" cf "$out/lib/vgg4j-$(basename "$(dirname "$(dirname "$entry")")").jar" -C "$entry" . ;;
    *.jar) cp "$entry" "$out/lib/" ;;
  esac
done
cp "$junit" "$out/junit.jar"
git rev-parse --short HEAD > "$out/commit.txt"

echo "bundle: jars rewritten with stored entries, then xz"
find "$out" -name '*.jar' -print0 | xargs -0 python3 -c '
import sys, zipfile, os
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as src:
        entries = [(i, src.read(i)) for i in src.infolist()]
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_STORED) as dst:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_STORED
            dst.writestr(info, data)
    os.replace(path + ".tmp", path)
'
rm -rf "$final" && mkdir -p "$final"
XZ_OPT="-9 -T2" tar -C "$stage" -cJf "$final/bundle.tar.xz" tornado-gpu
rm -rf "$stage"
size=$(du -sm "$final/bundle.tar.xz" | cut -f1)
echo "bundle: $final/bundle.tar.xz is $size MiB (the device tool carries 64 MiB with the working tree)"
[ "$size" -le 56 ] || { echo "bundle: too large for the device tool's carry" >&2; exit 1; }
