#!/bin/sh
# install.sh — `make install` and `make dist` put every user-facing piece
# where a board user looks for it:
#   - into a temporary DESTDIR with a non-default PREFIX, exactly the
#     expected files (test binaries, test-list.txt and the runner's
#     executor rkval-exec in libexec/rkval, the
#     runner, every tool and the Makefile's BOARD_SCRIPTS and HOST_SCRIPTS
#     in bin, the test lists in share) and nothing else
#   - every command in bin answers --help with exit status 0
#   - the runner points at PREFIX (not DESTDIR), and installed without
#     DESTDIR it finds its binaries and its lists by name (--list bringup)
#     from another directory, and the run passes on vnpu
#   - a BOARD_SCRIPTS word is installed to bin
#   - make dist: build/rkval-VERSION-arm64.tar.gz holds the same tree but
#     the host scripts under usr/, with arm64 ELF binaries, and is the same
#     bytes twice
#
# Environment: BUILD_DIR (default build/<host arch>); EXEC is not used (the
# installed commands run on the host).
set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

PREFIX_TEST=/opt/rkval-test
# ELF e_machine of AArch64 (the ELF for the Arm 64-bit Architecture
# supplement, "EM_AARCH64"), at byte offset 18 of the ELF header.
EM_AARCH64=183
ELF_MACHINE_OFFSET=18

version=$(cat VERSION)
mk() {
	make --no-print-directory -C "$top" "$@"
}

# The script lists as the Makefile spells them (paths, one word each).
board_scripts=$(sed -n -e 's/^BOARD_SCRIPTS = //p' Makefile)
host_scripts=$(sed -n -e 's/^HOST_SCRIPTS = //p' Makefile)

# expected_files PREFIX SCRIPTS: the installed files, one path a line,
# sorted; SCRIPTS are the script paths that go to PREFIX/bin.
expected_files() {
	{
		for s in $2; do
			echo "$1/bin/${s##*/}"
		done
		for c in tests/*/*.c; do
			b=${c##*/}
			echo "$1/libexec/rkval/${b%.c}"
		done
		echo "$1/libexec/rkval/test-list.txt"
		for c in runner/*.c; do
			b=${c##*/}
			echo "$1/libexec/rkval/${b%.c}"
		done
		echo "$1/bin/rkval-run"
		echo "$1/bin/rkval-export"
		echo "$1/bin/rkval-results"
		for f in tools/results-lib/*; do
			echo "$1/share/rkval/results-lib/${f##*/}"
		done
		for c in tools/*.c; do
			b=${c##*/}
			echo "$1/bin/${b%.c}"
		done
		for l in testlists/*.testlist testlists/*.settings; do
			[ "$l" = testlists/selftest.testlist ] && continue
			echo "$1/share/rkval/testlists/${l##*/}"
		done
	} | sort
}

# same_lists WHAT EXPECTED SEEN: one TAP line, the difference on failure.
same_lists() {
	if cmp -s "$2" "$3"; then
		ok "$1: $(wc -l < "$3" | tr -d ' ') files, as expected"
	else
		not_ok "$1: the installed files differ (- expected, + installed)"
		diff -u "$2" "$3" | sed -n -e 's/^\([-+][^-+]\)/# \1/p'
	fi
}

# ---- DESTDIR + PREFIX --------------------------------------------------
dest=$tmp/dest
board_script=$tmp/rkval-board-demo
printf '#!/bin/sh\necho "usage: rkval-board-demo"\n' > "$board_script"
if mk install DESTDIR="$dest" PREFIX="$PREFIX_TEST" > "$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=$PREFIX_TEST"
else
	not_ok "make install DESTDIR=... PREFIX=$PREFIX_TEST failed"
	tail -n 20 "$tmp/install.log" | sed -e 's/^/# /'
	tap_plan
	tap_exit
fi

expected_files "$PREFIX_TEST" "$board_scripts $host_scripts" > "$tmp/expected"
(cd "$dest" && find . ! -type d | sed -e 's|^\.||' | sort) > "$tmp/seen"
same_lists "install tree" "$tmp/expected" "$tmp/seen"

for c in "$dest$PREFIX_TEST"/bin/*; do
	name=${c##*/}
	if [ ! -x "$c" ]; then
		not_ok "$name is not executable"
		continue
	fi
	"$c" --help > "$tmp/help" 2>&1
	status=$?
	if [ "$status" -eq 0 ] && grep -qi usage "$tmp/help"; then
		ok "$name --help: exit 0 with a usage text"
	else
		not_ok "$name --help: exit $status"
		head -n 5 "$tmp/help" | sed -e 's/^/# /'
	fi
done

runner=$dest$PREFIX_TEST/bin/rkval-run
check "installed rkval-run looks for binaries in PREFIX/libexec/rkval" \
	grep -qx "RKVAL_DEFAULT_BIN_DIR=$PREFIX_TEST/libexec/rkval" "$runner"
check "installed rkval-run looks for lists in PREFIX/share/rkval/testlists" \
	grep -qx "RKVAL_DEFAULT_LIST_DIR=$PREFIX_TEST/share/rkval/testlists" "$runner"

# One word in BOARD_SCRIPTS installs a board script.
mk install DESTDIR="$tmp/dest2" PREFIX=/usr BOARD_SCRIPTS="$board_scripts $board_script" \
	> "$tmp/install2.log" 2>&1
check "BOARD_SCRIPTS=rkval-board-demo lands in PREFIX/bin, executable" \
	test -x "$tmp/dest2/usr/bin/rkval-board-demo"

# ---- installed without DESTDIR: the runner finds what it needs ----------
prefix=$tmp/prefix
if mk install PREFIX="$prefix" > "$tmp/install3.log" 2>&1; then
	# From elsewhere, so nothing of the source tree can be found by accident.
	(cd "$tmp" && "$prefix/bin/rkval-run" --device vnpu:rk3568 --list bringup \
		--results "$tmp/res") > "$tmp/run.log" 2>&1
	status=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/run.log" | tail -n 1)
	if [ "$status" -eq 0 ] && printf '%s\n' "$line" | grep -Eq '^[1-9][0-9]* passed, 0 failed'; then
		ok "installed rkval-run --list bringup on vnpu: $line"
	else
		not_ok "installed rkval-run --list bringup: exit $status, '$line'"
		tail -n 10 "$tmp/run.log" | sed -e 's/^/# /'
	fi
	# rkval-results finds its files in PREFIX/share/rkval/results-lib.
	(cd "$tmp" && "$prefix/bin/rkval-results" --store "$tmp/store" import "$tmp/res") \
		> "$tmp/import.log" 2>&1
	check "installed rkval-results imports that run" grep -q '^imported ' "$tmp/import.log"
else
	not_ok "make install PREFIX=<temporary directory> failed"
	tail -n 20 "$tmp/install3.log" | sed -e 's/^/# /'
fi

# ---- make dist ---------------------------------------------------------
tarball=build/rkval-$version-arm64.tar.gz
rm -f "$tarball"
if mk dist > "$tmp/dist.log" 2>&1 && [ -f "$tarball" ]; then
	ok "make dist wrote $tarball"
else
	not_ok "make dist did not write $tarball"
	tail -n 20 "$tmp/dist.log" | sed -e 's/^/# /'
	tap_plan
	tap_exit
fi
# The board's tarball: no host scripts.
expected_files usr "$board_scripts" > "$tmp/dist-expected"
tar -tzf "$tarball" | grep -v '/$' | sort > "$tmp/dist-seen"
same_lists "dist tarball" "$tmp/dist-expected" "$tmp/dist-seen"

mkdir -p "$tmp/unpacked"
tar -xzf "$tarball" -C "$tmp/unpacked"
for f in usr/bin/rkval-replay usr/libexec/rkval/rocket_basic usr/libexec/rkval/rkval-exec; do
	machine=$(od -An -tu2 -j "$ELF_MACHINE_OFFSET" -N2 "$tmp/unpacked/$f" | tr -d ' ')
	check "dist $f is an arm64 ELF (e_machine $machine)" [ "$machine" = "$EM_AARCH64" ]
done
check "dist rkval-run looks for binaries in /usr/libexec/rkval" \
	grep -qx "RKVAL_DEFAULT_BIN_DIR=/usr/libexec/rkval" "$tmp/unpacked/usr/bin/rkval-run"
check "dist rkval-run runs /usr/libexec/rkval/rkval-exec" \
	grep -qx "RKVAL_DEFAULT_EXEC=/usr/libexec/rkval/rkval-exec" "$tmp/unpacked/usr/bin/rkval-run"

cp "$tarball" "$tmp/first.tar.gz"
mk dist > "$tmp/dist2.log" 2>&1
check "make dist twice gives the same bytes" cmp -s "$tarball" "$tmp/first.tar.gz"

tap_plan
tap_exit
