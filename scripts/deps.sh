#!/bin/sh
# deps.sh — make sure the Debian packages rkval needs are installed.
#
#   sh scripts/deps.sh run     what building and running the suite needs
#   sh scripts/deps.sh check   plus the cross build, qemu and the linters
#
# As root, missing packages are installed with apt-get (the README's quick
# start promises no other set-up step); otherwise the exact apt-get line is
# printed and the script fails.  Debian 12 package names.
set -u

RUN_PKGS="make gcc libc6-dev pkg-config libdrm-dev coreutils"
CHECK_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libdrm-dev:arm64 qemu-user-static busybox-static dash shellcheck binutils python3 linux-source-6.1 xz-utils"

what=${1:-run}
case $what in
run) pkgs=$RUN_PKGS ;;
check) pkgs="$RUN_PKGS $CHECK_PKGS" ;;
*) echo "usage: deps.sh run|check" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	status=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)
	case $status in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

need_arm64=false
case $missing in *:arm64*) need_arm64=true ;; esac

if [ "$(id -u)" != 0 ]; then
	echo "rkval: missing Debian packages:$missing" >&2
	echo "rkval: install them with:" >&2
	$need_arm64 && echo "  sudo dpkg --add-architecture arm64 &&" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "rkval: installing missing Debian packages:$missing"
if $need_arm64 && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64 || exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq; then
	echo "rkval: apt-get update failed" >&2
	exit 1
fi
# shellcheck disable=SC2086 # word splitting of the package list is intended
if ! apt-get install -y -qq $missing >/dev/null; then
	echo "rkval: apt-get install failed for:$missing" >&2
	exit 1
fi
