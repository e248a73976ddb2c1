#!/bin/sh
# seam-check.sh — test binaries and lib/rocket reach the device only
# through the platform seam (lib/platform/platform.h).
#
# For every object file of a test binary (BUILD_DIR/obj/tests/**/*.o) and
# of lib/rocket (BUILD_DIR/obj/lib/rocket/*.o), `nm -u` lists the symbols
# it needs from elsewhere; none may be a call that touches a device, a
# file or the kernel behind the seam's back:
#   open/open64/openat/creat (+ _FORTIFY_SOURCE's __open_2 & co.)
#   close        — forbidden too: a vnpu fd is not a kernel fd, so a raw
#                  close() would close some unrelated descriptor; plat_close()
#                  is the only right call
#   ioctl, syscall
#   mmap/mmap64/munmap/mremap
#   read/write/pread/pwrite (+ 64-bit and fortified variants), readv/writev
#   fopen/fopen64/freopen/opendir/fdopendir/scandir, stat/lstat/access,
#   readlink — every file or directory access has a plat_*() equivalent
#   drmIoctl/drmGetVersion/drmOpen*/drmCommand* — libdrm calls ioctl()
#   itself
# One TAP line per object; exit status 1 if any object fails.
#
# Environment: BUILD_DIR (default build/<host arch>), NM (default: the
# cross nm for an arm64 build when installed, else nm).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
host_arch=$(uname -m | sed -e 's/aarch64/arm64/')
build=${BUILD_DIR:-build/$host_arch}

if [ -z "${NM:-}" ]; then
	NM="nm"
	case $build in
	*arm64*)
		command -v aarch64-linux-gnu-nm > /dev/null 2>&1 &&
			NM=aarch64-linux-gnu-nm
		;;
	esac
fi

# Exact names (one per line); drmOpen*/drmCommand* are matched by prefix.
forbidden='open
open64
openat
openat64
creat
creat64
__open_2
__open64_2
__openat_2
__openat64_2
close
ioctl
syscall
mmap
mmap64
munmap
mremap
read
write
pread
pread64
pwrite
pwrite64
readv
writev
__read_chk
__pread_chk
__pread64_chk
fopen
fopen64
freopen
freopen64
opendir
fdopendir
scandir
scandir64
stat
stat64
lstat
lstat64
__xstat
__xstat64
__lxstat
__lxstat64
access
readlink
drmIoctl
drmGetVersion'

objs=$(find "$build/obj/tests" "$build/obj/lib/rocket" -name '*.o' 2>/dev/null | sort)
if [ -z "$objs" ]; then
	echo "1..0 # SKIP no objects under $build/obj/tests or $build/obj/lib/rocket (build first)"
	exit 0
fi

for o in $objs; do
	rel=${o#"$build"/obj/}
	if ! undef=$("$NM" -u "$o" 2>/dev/null); then
		not_ok "$rel: $NM -u failed"
		continue
	fi
	# "                 U name" (or "U name@VERSION"): keep the name only.
	names=$(printf '%s\n' "$undef" | awk '{ print $NF }' | sed -e 's/@.*//')
	hits=$(printf '%s\n' "$names" | grep -Fx "$forbidden" | sort -u | tr '\n' ' ')
	pref=$(printf '%s\n' "$names" | grep -E '^drm(Open|Command)' | sort -u | tr '\n' ' ')
	hits="$hits$pref"
	if [ -n "$hits" ]; then
		not_ok "$rel bypasses the seam: ${hits% }"
	else
		ok "$rel uses only the platform seam"
	fi
done
tap_plan
tap_exit
