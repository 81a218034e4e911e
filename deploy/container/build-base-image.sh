#!/usr/bin/env bash
# Builds a minimal Java 25 runtime image without any image registry:
# a jlink'd runtime, the glibc libraries it links against, static busybox, a passwd with
# nobody (65534), imported into podman as one layer FROM nothing.
#
#   deploy/container/build-base-image.sh [--jar exporter/target/listenq-exporter.jar]
#
# Environment: JAVA_HOME (a JDK 25; default: the java on PATH), IMAGE (default
# localhost/listenq-java-base:25), PODMAN (default podman).
# With --jar, jdeps must find no module that the runtime lacks, else the script fails.
set -euo pipefail

IMAGE=${IMAGE:-localhost/listenq-java-base:25}
PODMAN=${PODMAN:-podman}
jar=""
while [ $# -gt 0 ]; do
    case $1 in
        --jar) jar=$2; shift 2 ;;
        *) echo "usage: $0 [--jar JAR]" >&2; exit 2 ;;
    esac
done

die() { echo "build-base-image: $*" >&2; exit 1; }

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
[ -x "$java_home/bin/jlink" ] || die "no jlink in $java_home (set JAVA_HOME to a JDK 25)"
"$java_home/bin/java" -version 2>&1 | grep -q 'version "25' || die "$java_home is not a JDK 25"
command -v busybox >/dev/null || die "busybox missing (apt-get install busybox-static)"
busybox_bin=$(readlink -f "$(command -v busybox)")
# A dynamic busybox would need its own libraries; Debian's busybox-static has no PT_INTERP.
if ldd "$busybox_bin" >/dev/null 2>&1; then die "$busybox_bin is not static (install busybox-static)"; fi

# What the shaded exporter needs (jdeps --print-module-deps over the shaded jar: Jetty and
# Micrometer reference java.desktop (java.beans), java.instrument, java.rmi, java.sql,
# java.security.jgss) plus what it loads reflectively: java.management/jdk.management for
# JVM and process metrics, java.logging, java.naming, jdk.unsupported (sun.misc.Unsafe in
# Netty/Jetty), jdk.zipfs for jar filesystems. TLS (--web.config.file) is in java.base.
modules=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql,java.xml,jdk.management,jdk.unsupported,jdk.zipfs

if [ -n "$jar" ]; then
    [ -f "$jar" ] || die "no such jar: $jar"
    needed=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar")
    for m in ${needed//,/ }; do
        case ",$modules," in *",$m,"*) ;; *) die "jdeps says $jar needs $m: add it to modules" ;; esac
    done
fi

start=$(date +%s%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

"$java_home/bin/jlink" --add-modules "$modules" --output "$root/opt/java" \
    --strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive >/dev/null
# AWT's X11, sound and splash-screen libraries cannot work headless; without them the
# image does not depend on which X11 libraries the build host happens to have.
rm -f "$root"/opt/java/lib/{libawt_xawt,libjawt,libjsound,libsplashscreen}.so
# libjvm.so ships with its full symbol table; binutils' strip takes 5 MB off.
if command -v strip >/dev/null; then
    find "$root/opt/java" -type f -name '*.so' -exec strip --strip-unneeded {} +
fi
# The CDS archive for heaps over 32 GB (no compressed oops) is useless for an exporter.
rm -f "$root/opt/java/lib/server/classes_nocoops.jsa"

# The glibc libraries the runtime links against, copied from the build host (the JDK was
# built against this glibc or an older one). ld.so's own path comes from ldd's last line.
mkdir -p "$root/lib64"
find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $0 !~ /:$/ {print $1}' \
    | grep -v "^$root/" | sort -u \
    | while read -r lib; do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done

mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/home/nobody"
chmod 1777 "$root/tmp"
cp "$busybox_bin" "$root/bin/busybox"
for applet in $("$busybox_bin" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home/nobody:/bin/false
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
chown 65534:65534 "$root/home/nobody"

# Reproducible layer: fixed order, owners and times.
tar --sort=name --mtime=@0 --numeric-owner -C "$root" -cf "$work/rootfs.tar" .
"$PODMAN" import --quiet \
    --change 'ENV JAVA_HOME=/opt/java' \
    --change 'ENV PATH=/opt/java/bin:/bin' \
    --change 'USER 65534:65534' \
    --change 'WORKDIR /home/nobody' \
    --message "jlink'd Java 25 runtime ($modules) + static busybox" \
    "$work/rootfs.tar" "$IMAGE" >/dev/null

end=$(date +%s%N)
size=$("$PODMAN" image inspect --format '{{.Size}}' "$IMAGE")
printf 'built %s: %s MB in %.1f s\n' "$IMAGE" "$((size / 1000000))" "$(awk -v ns="$((end - start))" 'BEGIN {print ns / 1e9}')"
