#!/usr/bin/env bash
# Builds the exporter image's base without any image registry: the glibc libraries a Java 25
# runtime links against, static busybox (sh and readlink for the launcher, a shell to debug
# with), a passwd with nobody (65534), imported into podman as one layer FROM nothing. The
# exporter image (Dockerfile) adds the exporter's own runtime (exporter/target/listenq-exporter):
# no Java in the base.
#
#   deploy/container/build-base-image.sh
#
# Environment: JAVA_HOME (the JDK 25 the runtime is made from; default: the java on PATH), IMAGE
# (default localhost/listenq-base:bookworm), PODMAN (default podman).
set -euo pipefail

IMAGE=${IMAGE:-localhost/listenq-base:bookworm}
PODMAN=${PODMAN:-podman}
[ $# -eq 0 ] || { echo "usage: $0 (no arguments)" >&2; exit 2; }

die() { echo "build-base-image: $*" >&2; exit 1; }

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
[ -x "$java_home/bin/java" ] || die "no java in $java_home (set JAVA_HOME to a JDK 25)"
command -v busybox >/dev/null || die "busybox missing (apt-get install busybox-static)"
busybox_bin=$(readlink -f "$(command -v busybox)")
# A dynamic busybox would need its own libraries; Debian's busybox-static has no PT_INTERP.
if ldd "$busybox_bin" >/dev/null 2>&1; then die "$busybox_bin is not static (install busybox-static)"; fi

start=$(date +%s%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

# The glibc libraries the JDK's launcher and libraries link against (a jlink runtime made from
# it needs a subset), copied from the build host (the JDK was built against this glibc or an
# older one). ld.so's own path comes from ldd's last line.
mkdir -p "$root/lib64"
# AWT's X11, sound and splash libraries are left out of the runtime, so their X11 and ALSA
# dependencies stay out of the base.
find "$java_home/bin/java" "$java_home/lib" -type f \( -name '*.so' -o -path '*/bin/java' \) \
        ! -name libawt_xawt.so ! -name libjawt.so ! -name libjsound.so ! -name libsplashscreen.so -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $0 !~ /:$/ {print $1}' \
    | grep -v "^$java_home/" | sort -u \
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
    --change 'ENV PATH=/bin' \
    --change 'USER 65534:65534' \
    --change 'WORKDIR /home/nobody' \
    --message "glibc for a Java 25 runtime + static busybox" \
    "$work/rootfs.tar" "$IMAGE" >/dev/null

end=$(date +%s%N)
size=$("$PODMAN" image inspect --format '{{.Size}}' "$IMAGE")
printf 'built %s: %s MB in %.1f s\n' "$IMAGE" "$((size / 1000000))" "$(awk -v ns="$((end - start))" 'BEGIN {print ns / 1e9}')"
