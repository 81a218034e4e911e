#!/usr/bin/env bash
# Makes target/listenq-exporter/ from the shaded jar (run by `mvn package`, exporter module):
#   a jlink runtime with only the modules jdeps finds, stripped and compressed, the options of
#   src/main/runtime/jvm.options baked in (jlink --add-options: every start of this runtime's java
#   uses them, no JDK_JAVA_OPTIONS needed), the jar as lib/listenq-exporter.jar, the launcher
#   bin/listenq-exporter, and an AOT cache lib/listenq-exporter.aot made by a training run
#   (train-aot.sh). The cache only speeds start-up: when the training run cannot be done the
#   runtime is still built, without a cache, and the build says why.
#
#   build-runtime.sh JAVA_HOME TARGET_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
java_home=${1:?usage: build-runtime.sh JAVA_HOME TARGET_DIR}
target=$(cd "${2:?usage: build-runtime.sh JAVA_HOME TARGET_DIR}" && pwd)
jar=$target/listenq-exporter.jar
out=$target/listenq-exporter
die() { echo "build-runtime: $*" >&2; exit 1; }
[ -f "$jar" ] || die "no $jar (the shade plugin makes it first)"
[ -x "$java_home/bin/jlink" ] || die "no jlink in $java_home: build with a full JDK 25"

# The options, one per line; '#' starts a comment.
options=$(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$here/jvm.options" | grep -v '^$' | tr '\n' ' ')
options=${options% }

# Only what jdeps finds in the shaded jar (Jetty, Micrometer and the exporter itself).
modules=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar")
[ -n "$modules" ] || die "jdeps found no modules in $jar"

rm -rf "$out"
# --generate-cds-archive: the JDK's default CDS archive, for starts without the AOT cache.
"$java_home/bin/jlink" --add-modules "$modules" --output "$out" \
    --strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive \
    --add-options="$options" >/dev/null
# Never used by a headless exporter: java.desktop comes in only for java.beans (Jetty, Micrometer),
# so its native AWT, imaging, font and sound libraries go (they also embed copies of freetype,
# lcms2 and libjpeg); the no-compressed-oops CDS archive (heaps over 32 GB); the JDK's tools.
rm -f "$out"/lib/{libawt,libawt_headless,libawt_xawt,libjawt,libjsound,libsplashscreen}.so \
    "$out"/lib/{libfontmanager,libfreetype,liblcms,libjavajpeg,libmlib_image}.so \
    "$out/lib/server/classes_nocoops.jsa" "$out/lib/jexec" "$out/lib/classlist"
find "$out/bin" -type f ! -name java -delete
if command -v strip >/dev/null; then
    # jlink keeps full symbol tables (libjvm.so alone: ~5 MB); Debian's packages ship stripped ELF files.
    find "$out" -type f \( -name '*.so' -o -path '*/bin/java' -o -name jspawnhelper \) -exec strip --strip-unneeded {} +
fi
# The legal notices come read-only (0444); packaged files are 0644.
find "$out/legal" -type f -exec chmod 0644 {} +
cp "$jar" "$out/lib/listenq-exporter.jar"
install -m 0755 "$here/listenq-exporter" "$out/bin/listenq-exporter"
printf '%s\n' "$modules" >"$out/lib/listenq-exporter.modules"

"$here/train-aot.sh" "$out" || echo "build-runtime: no AOT cache (see above); the runtime starts without it"
echo "build-runtime: $out ($(du -sh "$out" | cut -f1), modules $modules)"
