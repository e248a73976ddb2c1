#!/bin/sh
# build-flags.sh — the Makefile keeps the flags the build needs when the
# user sets CFLAGS or LDFLAGS on the command line (a command-line variable
# beats "+=" in GNU make unless the Makefile says override), passes LDFLAGS
# to the linker, and SANITIZE=1 builds into its own directory.  Dry runs
# (make -n): nothing is built.
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
b=build/$host_arch
marker_c=-DRKVAL_USER_CFLAGS_SEEN
marker_ld=-Wl,--rkval-user-ldflags-seen

make -n -B V=1 CFLAGS="-O1 $marker_c" LDFLAGS="$marker_ld" \
	"$b/obj/lib/vnpu/vnpu.o" "$b/tools/rkval-replay" > "$tmp/dry" 2>&1
compile=$(grep -e ' -c -o .*vnpu\.o' "$tmp/dry")
link=$(grep -e '-o [^ ]*tools/rkval-replay ' "$tmp/dry")
check "make CFLAGS=...: the user's CFLAGS are used" \
	sh -c "echo '$compile' | grep -q -e '$marker_c'"
check "make CFLAGS=...: the include paths stay (-Ilib -Ilib/uapi)" \
	sh -c "echo '$compile' | grep -q -e '-Ilib ' && echo '$compile' | grep -q -e '-Ilib/uapi '"
check "make CFLAGS=...: -pthread stays" sh -c "echo '$compile' | grep -q -e '-pthread'"
check "make LDFLAGS=...: the link line has them" \
	sh -c "echo '$link' | grep -q -e '$marker_ld'"

make -n SANITIZE=1 V=1 all > "$tmp/san" 2>&1
check "make SANITIZE=1 builds into $b-san with -fsanitize=address,undefined" \
	sh -c "grep -q -e '-fsanitize=address,undefined .* -o $b-san/' '$tmp/san'"
check "make SANITIZE=1 leaves $b alone" sh -c "! grep -q -e ' -o $b/' '$tmp/san'"

tap_plan
tap_exit
