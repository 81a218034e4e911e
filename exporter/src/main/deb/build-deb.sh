#!/usr/bin/env bash
# Makes target/listenq-exporter_<version>_amd64.deb from the runtime in target/listenq-exporter
# (run by `mvn package` after build-runtime.sh), with Debian's own dpkg-deb under fakeroot:
#   /usr/lib/listenq-exporter/          the runtime (JVM options baked in, AOT cache, jar)
#   /usr/bin/listenq-exporter           -> the launcher
#   /lib/systemd/system/listenq-exporter.service   the hardened unit (deploy/systemd)
#   /etc/default/listenq-exporter       ARGS (a conffile: upgrades keep local changes)
#   maintainer scripts: system user, enable and start only where systemd runs (postinst)
#
#   build-deb.sh VERSION TARGET_DIR REPO_ROOT
# Without dpkg-deb or fakeroot (not a Debian build host) it says so and makes no package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${1:?usage: build-deb.sh VERSION TARGET_DIR REPO_ROOT}
target=$(cd "${2:?}" && pwd)
root=$(cd "${3:?}" && pwd)
die() { echo "build-deb: $*" >&2; exit 1; }
for tool in dpkg-deb fakeroot; do
    if ! command -v "$tool" >/dev/null; then
        [ "${CI:-}" = true ] && die "$tool missing (apt-get install dpkg-dev fakeroot)"
        echo "build-deb: no $tool here (apt-get install dpkg-dev fakeroot): no .deb made" >&2
        exit 0
    fi
done
runtime=$target/listenq-exporter
[ -x "$runtime/bin/listenq-exporter" ] || die "no runtime in $runtime (build-runtime.sh makes it)"

deb=$target/listenq-exporter_${version}_amd64.deb
stage=$target/deb
rm -rf "$stage" "$deb"
mkdir -p "$stage/DEBIAN" "$stage/usr/lib" "$stage/usr/bin" "$stage/lib/systemd/system" \
    "$stage/etc/default" "$stage/usr/share/doc/listenq-exporter"
cp -a "$runtime" "$stage/usr/lib/listenq-exporter"
ln -s ../lib/listenq-exporter/bin/listenq-exporter "$stage/usr/bin/listenq-exporter"
install -m 0644 "$root/deploy/systemd/listenq-exporter.service" "$stage/lib/systemd/system/"
install -m 0644 "$here/default" "$stage/etc/default/listenq-exporter"
install -m 0644 "$here/copyright" "$stage/usr/share/doc/listenq-exporter/copyright"
install -D -m 0644 "$here/lintian-overrides" "$stage/usr/share/lintian/overrides/listenq-exporter"
# A native package's changelog, in Debian's format (dpkg-parsechangelog reads it).
{
    printf 'listenq-exporter (%s) unstable; urgency=medium\n\n' "$version"
    printf '  * Built from the listenq-exporter sources (see the project README).\n\n'
    printf ' -- listenq-exporter maintainers <maintainers@listenq.io>  %s\n' \
        "$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n >"$stage/usr/share/doc/listenq-exporter/changelog.gz"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$stage/DEBIAN/"
echo /etc/default/listenq-exporter >"$stage/DEBIAN/conffiles"

# The runtime links only against glibc; the oldest glibc it accepts is the newest GLIBC_ symbol version.
glibc=$(find "$runtime" -type f \( -name '*.so' -o -path '*/bin/java' \) -exec strings {} + \
    | grep -oE '^GLIBC_[0-9]+\.[0-9]+$' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n | tail -n1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: listenq-exporter
Version: $version
Architecture: amd64
Maintainer: listenq-exporter maintainers <maintainers@listenq.io>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: libc6 (>= ${glibc:-2.17}), passwd
Section: net
Priority: optional
Description: Prometheus exporter for Linux listen-queue overflows
 Tells which listening socket drops connections because its SYN or accept
 queue overflows, and in which network namespace (container, pod) it lives:
 per-listener queue lengths, backlogs and drops from sock_diag netlink and the
 kernel's TcpExt counters, for every namespace on the host.
 .
 It runs on its own Java runtime (in /usr/lib/listenq-exporter, no Java
 needed on the host) as the systemd service listenq-exporter, with the flags
 in /etc/default/listenq-exporter.
CONTROL
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z \
    | xargs -0 md5sum >DEBIAN/md5sums)
# gzip: xz takes minutes for the 110 MB runtime on a busy 2-core machine and saves ~15 MB.
fakeroot dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null
rm -rf "$stage"
echo "build-deb: $deb ($(du -h "$deb" | cut -f1))"
