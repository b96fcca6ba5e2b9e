#!/usr/bin/env bash
# prepare-guest.sh: fetches Debian's kernel and builds the hardware suite's initramfs
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: prepare-guest.sh [CACHE_DIR]
#
# Downloads (never installs) the linux-image-6.1.0-NN-amd64 package that the
# linux-image-amd64 metapackage points at, unpacks it, and builds an uncompressed
# newc initramfs with busybox-static, guest-init and the modules the guest needs
# (SCSI generic, CD-ROM, virtio-scsi, AHCI, 9p, overlay) with their dependencies.
# Everything is cached: a second run only prints the paths. On success it prints
#   kernel=PATH           the kernel to boot (uncompressed vmlinux when it has a
#                         PVH entry, which saves seconds of decompression under TCG)
#   kernel_fallback=PATH  the compressed vmlinuz, for when the vmlinux does not boot
#   initrd=PATH
#   kver=VERSION
# Exit status 77 when the kernel cannot be obtained (no apt index, no mirror); 1 on
# any other failure. test-hardware.py fails on either.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${REFLASH_HW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reflash-hw}}
# The modules the guest loads; their dependencies come from modules.dep.
wanted_modules=(scsi_mod sg cdrom sr_mod virtio_pci virtio_scsi libata libahci ahci
                9pnet 9pnet_virtio 9p overlay)

say () { echo "prepare-guest: $*" >&2; }
unavailable () { say "$*"; exit 77; }

for tool in apt-cache apt-get dpkg-deb busybox; do
  command -v "$tool" >/dev/null 2>&1 || unavailable "$tool is missing"
done
busybox_bin=$(command -v busybox)
# The guest has no libc of its own: the busybox must be the static one.
if ldd "$busybox_bin" >/dev/null 2>&1; then
  unavailable "$busybox_bin is dynamically linked: install busybox-static"
fi

kernel_package () {
  apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

# extract_pvh_vmlinux VMLINUZ OUT: unpacks the xz payload of a bzImage and keeps
# it only when it is an ELF kernel with a PVH entry note (Xen note type 0x12),
# which QEMU's -kernel can start directly.
extract_pvh_vmlinux () {
  local offset
  command -v xz >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 || return 1
  for offset in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$1" | cut -d: -f1); do
    # xz stops at the end of its stream, so tail may die of SIGPIPE: not an error.
    if (set +o pipefail; tail -c +$((offset + 1)) "$1" | xz -dc --single-stream >"$2" 2>/dev/null) &&
       LC_ALL=C readelf -n "$2" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
      return 0
    fi
  done
  return 1
}

mkdir -p "$cache"
# Several build trees may run the suite at once: one prepares, the others wait.
exec 9>"$cache/.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 600 9 || unavailable "the cache $cache stayed locked for 10 minutes"
fi
pkg=$(kernel_package)
if [ -z "$pkg" ]; then
  say "apt-cache knows no linux-image-amd64; running apt-get update"
  apt-get update -qq >&2 || true
  pkg=$(kernel_package)
fi
if [ -z "$pkg" ]; then
  # No index at all: fall back to a kernel fetched on an earlier run.
  pkg=$(cd "$cache" && ls -d linux-image-*-amd64 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$pkg" ] || unavailable "cannot resolve linux-image-amd64 (no apt index?)"
fi
kver=${pkg#linux-image-}
kdir=$cache/$pkg

# Step 1: kernel image and the needed modules, once per kernel version.
if [ ! -f "$kdir/.complete" ]; then
  say "fetching $pkg"
  rm -rf "$kdir"
  work=$(mktemp -d "$cache/fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # apt-get download writes to the current directory; as root it warns that _apt
  # cannot reach the folder, which is harmless.
  if ! (cd "$work" && apt-get download -q "$pkg" >&2); then
    say "apt-get download $pkg failed; retrying after apt-get update"
    apt-get update -qq >&2 || true
    (cd "$work" && apt-get download -q "$pkg" >&2) || unavailable "cannot download $pkg"
  fi
  deb=$(ls "$work"/*.deb)
  dpkg-deb -x "$deb" "$work/root"
  rm -f "$deb"
  moddir=$work/root/lib/modules/$kver
  [ -f "$work/root/boot/vmlinuz-$kver" ] || { say "no vmlinuz in $pkg"; exit 1; }
  [ -f "$moddir/modules.dep" ] || depmod -b "$work/root" "$kver"
  [ -f "$moddir/modules.dep" ] || { say "no modules.dep in $pkg"; exit 1; }

  # Resolve dependencies depth-first so each module follows what it needs.
  declare -A seen=()
  order=()
  resolve () {
    local name=$1 line path dep
    line=$(grep -E "(^|/)${name//_/[_-]}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -n 1)
    [ -n "$line" ] || { say "module $name is not in $pkg"; exit 1; }
    path=${line%%:*}
    [ -z "${seen[$path]:-}" ] || return 0
    seen[$path]=1
    for dep in ${line#*:}; do
      dep=$(basename "$dep")
      resolve "${dep%%.ko*}"
    done
    order+=("$path")
  }
  for m in "${wanted_modules[@]}"; do
    resolve "$m"
  done

  mkdir -p "$work/out/modules"
  : >"$work/out/modules.order"
  for path in "${order[@]}"; do
    base=$(basename "$path")
    case "$base" in
      *.ko.xz) xz -dc "$moddir/$path" >"$work/out/modules/${base%.xz}" ;;
      *.ko.zst) zstd -qdc "$moddir/$path" >"$work/out/modules/${base%.zst}" ;;
      *.ko.gz) gzip -dc "$moddir/$path" >"$work/out/modules/${base%.gz}" ;;
      *.ko) cp "$moddir/$path" "$work/out/modules/$base" ;;
      *) say "unexpected module file $path"; exit 1 ;;
    esac
    base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
    echo "$base" >>"$work/out/modules.order"
  done
  cp "$work/root/boot/vmlinuz-$kver" "$work/out/vmlinuz"
  rm -rf "$work/root"
  touch "$work/out/.complete"
  mv "$work/out" "$kdir"
  rm -rf "$work"
  trap - EXIT
  # Older kernels fetched by earlier runs are no longer needed.
  for old in "$cache"/linux-image-*-amd64; do
    [ "$old" = "$kdir" ] || rm -rf "$old"
  done
fi

if [ ! -f "$kdir/vmlinux" ] && [ ! -f "$kdir/.no-pvh" ]; then
  if extract_pvh_vmlinux "$kdir/vmlinuz" "$kdir/vmlinux.tmp"; then
    mv "$kdir/vmlinux.tmp" "$kdir/vmlinux"
  else
    rm -f "$kdir/vmlinux.tmp"
    touch "$kdir/.no-pvh"
  fi
fi

# Step 2: the initramfs, rebuilt whenever guest-init, busybox or this script change.
stamp=$( (cat "$here/guest-init" "$0" "$busybox_bin" "$kdir/modules.order") | sha256sum | cut -c1-16)
initrd=$kdir/initramfs-$stamp.cpio
if [ ! -f "$initrd" ]; then
  say "building $initrd"
  # Other build trees may still boot older ones: only drop those unused for a week.
  find "$kdir" -maxdepth 1 -name 'initramfs-*.cpio' -mtime +7 -delete
  tree=$(mktemp -d "$cache/initramfs.XXXXXX")
  trap 'rm -rf "$tree"' EXIT
  mkdir -p "$tree"/{bin,dev,proc,sys,host,lower,upper,newroot,modules}
  cp "$busybox_bin" "$tree/bin/busybox"
  ln -s busybox "$tree/bin/sh"
  cp "$here/guest-init" "$tree/init"
  chmod 755 "$tree/init"
  cp "$kdir/modules.order" "$tree/modules/"
  cp "$kdir"/modules/*.ko "$tree/modules/"
  (cd "$tree" && find . | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) >"$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$tree"
  trap - EXIT
fi

touch "$initrd"
if [ -f "$kdir/vmlinux" ]; then
  echo "kernel=$kdir/vmlinux"
else
  echo "kernel=$kdir/vmlinuz"
fi
echo "kernel_fallback=$kdir/vmlinuz"
echo "initrd=$initrd"
echo "kver=$kver"
