#!/usr/bin/env bash
# rootfs.sh: the Debian root filesystem every kubeplay node starts from, and the files that the
# workload images are cut from. Run by `kubeplay image build` (stage "rootfs") as root.
# Usage: rootfs.sh SUITE MIRROR TARGET PACKAGES(comma separated)
set -euo pipefail
suite=$1 mirror=$2 target=$3 packages=$4

if ! command -v debootstrap >/dev/null; then
  if command -v apt-get >/dev/null; then
    # debootstrap is a shell script: take Debian's package without installing it.
    dl=$(mktemp -d)
    (cd "$dl" && apt-get download debootstrap >/dev/null) || { echo "cannot download debootstrap: run apt-get update, or install debootstrap" >&2; exit 1; }
    dpkg -x "$dl"/debootstrap_*.deb "$dl/x"
    export DEBOOTSTRAP_DIR="$dl/x/usr/share/debootstrap"
    debootstrap() { "$dl/x/usr/sbin/debootstrap" "$@"; }
  else
    echo "debootstrap is not installed and there is no apt-get to fetch it: install debootstrap" >&2
    exit 1
  fi
fi

echo "## debootstrap $suite from $mirror"
debootstrap --variant=minbase --include="$packages" "$suite" "$target" "$mirror"

echo "## trimming"
# Services that come with packages installed only to give the workload images their files.
for unit in nginx.service redis-server.service; do
  ln -sf /dev/null "$target/etc/systemd/system/$unit"
done
chroot "$target" apt-get clean
rm -rf "$target"/var/lib/apt/lists/* "$target"/var/cache/apt/*.bin "$target"/var/log/*.log \
  "$target"/usr/share/doc/* "$target"/usr/share/man/* "$target"/usr/share/info/* \
  "$target"/var/cache/debconf/*-old "$target"/var/lib/dpkg/*-old
find "$target/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'ko*' ! -name 'en*' ! -name 'locale.alias' -exec rm -rf {} +
# Documentation is gone; tell dpkg not to bring it back when a student installs something.
mkdir -p "$target/etc/dpkg/dpkg.cfg.d"
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' >"$target/etc/dpkg/dpkg.cfg.d/01-kubeplay-nodoc"
# apt inside a node points at the same mirror the image was built from.
echo "deb $mirror $suite main" >"$target/etc/apt/sources.list"
du -sh "$target"
