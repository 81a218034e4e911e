#!/usr/bin/env bash
# Prints the path of a Debian bookworm minbase root filesystem with systemd, apt, iproute2, procps
# and wget, for booting a real systemd in podman (`podman run --rootfs PATH:O --systemd=always
# /sbin/init`; :O keeps the cache unchanged). Made once with debootstrap (about a minute; needs a
# Debian mirror) and cached in .ci/.cache/systemd-rootfs. No image registry is involved.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=.ci/.cache/systemd-rootfs
if [ ! -x "$cache/sbin/init" ]; then
    command -v debootstrap >/dev/null || { echo "debian-rootfs: apt-get install debootstrap" >&2; exit 1; }
    mkdir -p .ci/.cache
    exec 9>.ci/.cache/systemd-rootfs.lock
    flock 9 # two builds at once: one makes it, the other waits and uses it
    if [ ! -x "$cache/sbin/init" ]; then
        tmp=$(mktemp -d .ci/.cache/systemd-rootfs.XXXXXX)
        # mktemp makes it 0700, and it becomes the container's "/": the service's user could then not even
        # chdir there (systemd: status=200/CHDIR)
        chmod 0755 "$tmp"
        if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,iproute2,procps,wget \
                bookworm "$tmp" >"$tmp.log" 2>&1; then
            tail -n 20 "$tmp.log" >&2
            rm -rf "$tmp" "$tmp.log"
            echo "debian-rootfs: debootstrap failed" >&2
            exit 1
        fi
        rm -rf "$cache" "$tmp.log"
        mv "$tmp" "$cache"
    fi
fi
echo "$(pwd)/$cache"
