#!/bin/sh
# deps.sh — make sure the Debian packages rkval needs are installed.
#
#   sh scripts/deps.sh run     what building and running the suite needs
#   sh scripts/deps.sh check   plus the cross build, qemu, the linters and
#                              the tools make check's checks drive (LAVA's
#                              lava-run, gcov, chromium, ...)
#
# As root, missing packages are installed with apt-get (the README's quick
# start promises no other set-up step), after saying which and how;
# otherwise, or with RKVAL_NO_APT=1, the exact commands are printed and the
# script fails.  Debian 12 package names.
#
# On an arm64 host (a board running Debian, an arm64 workstation) the
# native build is the arm64 build: the cross compiler, qemu-user-static and
# the arm64 foreign architecture are not needed, so they are neither asked
# for nor set up there, and "PKG:arm64" means the native PKG.
set -u

RUN_PKGS="make gcc libc6-dev pkg-config libdrm-dev coreutils"
CHECK_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libdrm-dev:arm64 qemu-user-static busybox-static dash shellcheck binutils cppcheck jq gcovr lava-common qemu-system-arm cpio device-tree-compiler python3-jinja2 yamllint tftpd-hpa u-boot-tools telnet chromium python3 linux-source-6.1 xz-utils"
# The part of CHECK_PKGS that exists to build and run arm64 binaries on
# another architecture.
CROSS_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static"
# libguestfs (under lava-run) boots a kernel of the host's architecture.
case $(uname -m) in
aarch64 | arm64) HOST_KERNEL_PKG=linux-image-arm64 ;;
x86_64) HOST_KERNEL_PKG=linux-image-amd64 ;;
*) HOST_KERNEL_PKG= ;;
esac
# selftests/lava.sh's lava-run, installed without Recommends, which would
# add NFS and TFTP servers, ser2net, LXC and more (~450 packages instead of
# ~190).
NO_RECOMMENDS_PKGS="lava-dispatcher"

what=${1:-run}
case $what in
run) pkgs=$RUN_PKGS norec="" ;;
check) pkgs="$RUN_PKGS $CHECK_PKGS $HOST_KERNEL_PKG" norec=$NO_RECOMMENDS_PKGS ;;
*) echo "usage: deps.sh run|check" >&2; exit 2 ;;
esac

case $(uname -m) in
aarch64 | arm64)
	native=""
	for p in $pkgs; do
		case " $CROSS_PKGS " in *" $p "*) continue ;; esac
		p=${p%:arm64}
		case " $native " in *" $p "*) continue ;; esac
		native="$native $p"
	done
	pkgs=$native
	;;
esac

# not_installed PKG...: the ones dpkg does not call installed.
not_installed() {
	for p in "$@"; do
		status=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)
		case $status in
		*" installed") ;;
		*) printf ' %s' "$p" ;;
		esac
	done
}
# shellcheck disable=SC2086 # one word per package
missing=$(not_installed $pkgs)
# shellcheck disable=SC2086 # one word per package
missing_norec=$(not_installed $norec)
[ -z "$missing" ] && [ -z "$missing_norec" ] && exit 0

need_arm64=false
case $missing in *:arm64*)
	dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64 || need_arm64=true ;;
esac

# say_commands PREFIX: the commands that install what is missing, one a line.
say_commands() {
	$need_arm64 && echo "  ${1}dpkg --add-architecture arm64"
	echo "  ${1}apt-get update"
	[ -n "$missing" ] && echo "  ${1}apt-get install -y$missing"
	[ -n "$missing_norec" ] && echo "  ${1}apt-get install -y --no-install-recommends$missing_norec"
	return 0
}

if [ "$(id -u)" != 0 ] || [ "${RKVAL_NO_APT:-0}" = 1 ]; then
	echo "rkval: missing Debian packages:$missing$missing_norec" >&2
	echo "rkval: install them with:" >&2
	if [ "$(id -u)" = 0 ]; then
		say_commands "" >&2
	else
		say_commands "sudo " >&2
	fi
	exit 1
fi

echo "rkval: installing missing Debian packages:$missing$missing_norec"
echo "rkval: running (RKVAL_NO_APT=1 only prints these):"
say_commands ""
if $need_arm64; then
	dpkg --add-architecture arm64 || exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq; then
	echo "rkval: apt-get update failed" >&2
	exit 1
fi
# shellcheck disable=SC2086 # word splitting of the package list is intended
if [ -n "$missing" ] && ! apt-get install -y -qq $missing >/dev/null; then
	echo "rkval: apt-get install failed for:$missing" >&2
	exit 1
fi
# shellcheck disable=SC2086 # word splitting of the package list is intended
if [ -n "$missing_norec" ] &&
	! apt-get install -y -qq --no-install-recommends $missing_norec >/dev/null; then
	echo "rkval: apt-get install failed for:$missing_norec" >&2
	exit 1
fi
