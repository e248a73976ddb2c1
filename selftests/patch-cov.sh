#!/bin/sh
# patch-cov.sh — kernel patch coverage on real gcov data.
#
# A stand-in driver file (selftests/patch-cov/fake_job.c) gets the two
# fixture patches next to it (git format-patch files), is built with
# --coverage in a tree laid out like a kernel build (drivers/accel/rocket/),
# and run by fake_main.c.  The .gcda lands in a fake debugfs with the
# kernel's layout (gcov/<absolute build dir>/<dir>/<file>.gcda, the .gcno a
# symlink into the build tree, a reset file); rkval-gcov-collect packs it,
# the build tree moves elsewhere (as it would on the host), and
# rkval-patch-cov must report exactly the executed and unexecuted added
# lines counted by hand in fake_main.c.  The same again for an arm64 build
# run under qemu and reported with the cross gcov.
#
# Environment: BUILD_DIR, EXEC (unused: the tools are scripts).
set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

fixture=$top/selftests/patch-cov
collect=$top/tools/rkval-gcov-collect
patchcov=$top/tools/rkval-patch-cov
rocket=drivers/accel/rocket

# The report, counted by hand from fake_main.c and the patches.  Patch 1's
# "enable = 2;" is rewritten by patch 2, so it counts as removed; every
# line number is the patch's own (patch 1's lines sit 7 lines lower in the
# built tree, after patch 2's insertion above them).
expected_report() {
	cat <<'EOF'
patch 1/2: accel: rocket: fake: refuse over-long timeouts, add the RK3568 quirk
drivers/accel/rocket/fake_job.c: 6 of 7 added lines executed (1 removed by a later patch)
not executed: drivers/accel/rocket/fake_job.c:19: 		return -7;

patch 2/2: accel: rocket: fake: count cores instead of assuming three
drivers/accel/rocket/fake_job.c: 1 of 4 added lines executed
not executed: drivers/accel/rocket/fake_job.c:13: int fake_job_cores(void)
not executed: drivers/accel/rocket/fake_job.c:15: 	return fake_cores;
not executed: drivers/accel/rocket/fake_job.c:47: 		enable = fake_cores;

total: 7 of 11 added executable lines executed
EOF
}

# build_fixture DIR CC [RUNNER...]: the patched fake driver built with
# --coverage in DIR (a kernel-like tree, sources named relative to it as
# in an in-tree kernel build) and run once.
build_fixture() {
	dir=$1 cc=$2
	shift 2
	mkdir -p "$dir/$rocket" || return 1
	cp "$fixture/fake_job.c" "$fixture/fake_job.h" "$dir/$rocket/" || return 1
	(cd "$dir" && git apply "$fixture"/0001-*.patch "$fixture"/0002-*.patch) || return 1
	(cd "$dir" &&
		$cc -O0 --coverage -c "$rocket/fake_job.c" -o "$rocket/fake_job.o" &&
		$cc -O0 --coverage -I "$rocket" "$fixture/fake_main.c" \
			"$rocket/fake_job.o" -o fake_main) || return 1
	"$@" "$dir/fake_main"
}

# fake_debugfs DEBUGFS BUILD: the kernel's gcov debugfs layout for BUILD's
# data, plus an object of another directory that must not be collected.
fake_debugfs() {
	g=$1/gcov
	mkdir -p "$g$2/$rocket" "$g$2/drivers/gpu/other" || return 1
	: > "$g/reset"
	cat "$2/$rocket/fake_job.gcda" > "$g$2/$rocket/fake_job.gcda" &&
		ln -s "$2/$rocket/fake_job.gcno" "$g$2/$rocket/fake_job.gcno" &&
		cp "$2/$rocket/fake_job.gcda" "$g$2/drivers/gpu/other/other.gcda"
}

# status_and_grep STATUS WANT PATTERN FILE: STATUS is WANT and FILE says PATTERN.
# shellcheck disable=SC2317 # only called through check()
status_and_grep() {
	[ "$1" -eq "$2" ] && grep -q "$3" "$4"
}

# shellcheck disable=SC2317 # only called through check()
reset_wrote_zero() {
	"$collect" reset --debugfs "$1" > /dev/null && [ "$(cat "$1/gcov/reset")" = 0 ]
}

# shellcheck disable=SC2317 # only called through check()
tarball_has_rocket_data() {
	grep -q "drivers/accel/rocket/fake_job.gcda$" "$tmp/list" &&
		tar xzf "$tmp/cov.tar.gz" -O "./gcov$1/$rocket/fake_job.gcno" |
		cmp -s - "$1/$rocket/fake_job.gcno"
}

# shellcheck disable=SC2317 # only called through check()
series_diff_report() {
	grep -qx "$rocket/fake_job.c: 7 of 11 added lines executed" "$1" &&
		[ "$(grep -c "^not executed: " "$1")" -eq 4 ] &&
		grep -q "^not executed: $rocket/fake_job.c:26: 		return -7;" "$1"
}

# shellcheck disable=SC2317 # only called through check()
helps() {
	"$1" --help | grep -q "^usage: $(basename "$1")"
}

report_body() {
	sed -n -e '/^patch 1\//,/^total:/p' "$1"
}

# --- host (native gcc) -------------------------------------------------
b=$tmp/build
if ! build_fixture "$b" gcc; then
	not_ok "native fixture builds and runs"
	tap_plan
	tap_exit
fi
ok "native fixture builds and runs"
dfs=$tmp/debugfs
fake_debugfs "$dfs" "$b"

echo 1 > "$dfs/gcov/reset"
check "reset writes 0 to gcov/reset" reset_wrote_zero "$dfs"

mkdir -p "$tmp/run"
printf 'pass igt@rocket_bo@bo-create-4096 (0.001 s)\nfail igt@rocket_submit@submit-conv (0.512 s) VERDICT: mac-output-stall input read, output 0 B\n' \
	> "$tmp/run/summary.txt"
collect_log=$tmp/collect.log
if busybox sh "$collect" save --debugfs "$dfs" --results "$tmp/run" \
	--out "$tmp/cov.tar.gz" > "$collect_log" 2>&1; then
	ok "busybox sh: save packs the data ($(cat "$collect_log"))"
else
	not_ok "busybox sh: save packs the data: $(cat "$collect_log")"
fi
tar tzf "$tmp/cov.tar.gz" > "$tmp/list" 2> /dev/null
check "the tarball holds the rocket .gcda with a resolved .gcno" tarball_has_rocket_data "$b"
check "directories not asked for stay out" test "$(grep -c drivers/gpu/other "$tmp/list")" -eq 0

# On the host the build tree is somewhere else than on the build machine.
mv "$b" "$tmp/host-build"
out=$tmp/report.txt
"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/host-build" \
	"$fixture"/0001-*.patch "$fixture"/0002-*.patch > "$out" 2> "$tmp/report.err"
status=$?
report_body "$out" > "$tmp/got"
expected_report > "$tmp/want"
if [ "$status" -eq 0 ] && cmp -s "$tmp/got" "$tmp/want"; then
	ok "report: exactly the hand-counted executed and unexecuted lines"
else
	not_ok "report: exactly the hand-counted executed and unexecuted lines (exit $status)"
	diff "$tmp/want" "$tmp/got" | sed -e 's/^/# /'
	sed -e 's/^/# stderr: /' "$tmp/report.err"
fi
check "report names the subtests that ran while collecting" \
	grep -q '^  fail igt@rocket_submit@submit-conv' "$out"

"$patchcov" --gcda "$dfs/gcov" --build "$tmp/host-build" \
	"$fixture"/0001-*.patch "$fixture"/0002-*.patch > "$tmp/dir.txt" 2>&1
report_body "$tmp/dir.txt" > "$tmp/got-dir"
check "a copied debugfs directory reads the same as the tarball" cmp -s "$tmp/got-dir" "$tmp/want"

# One git diff of the whole series is one patch with the final numbering.
(cd "$tmp" && mkdir -p base/$rocket && cp "$fixture/fake_job.c" base/$rocket/ &&
	cp -r host-build new && cd new && git diff --no-index --no-prefix \
	"../base/$rocket/fake_job.c" "$rocket/fake_job.c" > ../series.diff)
sed -i -e "s|^+++ $rocket/|+++ b/$rocket/|" "$tmp/series.diff"
"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/host-build" "$tmp/series.diff" \
	> "$tmp/diff.txt" 2>&1
check "one git diff: 7 of 11 added lines, the same not-executed lines" \
	series_diff_report "$tmp/diff.txt"

# --- rkval-run --gcov, and the before/after page --------------------------
if [ -x "$build/tests/rocket_bo" ]; then
	echo 'igt@rocket_bo@bo-create-4096' > "$tmp/one.testlist"
	echo 1 > "$dfs/gcov/reset"
	RKVAL_GCOV_DEBUGFS=$dfs sh runner/rkval-run --gcov --bin-dir "$build/tests" \
		--list "$tmp/one.testlist" --device vnpu:rk3568 --results "$tmp/gcovrun" \
		> "$tmp/gcovrun.log" 2>&1
	status=$?
	check "rkval-run --gcov: the run passes" [ "$status" -eq 0 ]
	check "rkval-run --gcov: counters reset before the run" \
		test "$(cat "$dfs/gcov/reset")" = 0
	check "rkval-run --gcov: gcov.tar.gz in the results, listing the subtest" \
		sh -c "tar xzf '$tmp/gcovrun/gcov.tar.gz' -O ./subtests.txt | grep -q '^pass igt@rocket_bo@bo-create-4096'"
	mkdir -p "$tmp/nogcov2"
	RKVAL_GCOV_DEBUGFS=$tmp/nogcov2 sh runner/rkval-run --gcov --bin-dir "$build/tests" \
		--list "$tmp/one.testlist" --device vnpu:rk3568 --results "$tmp/gcovrun2" \
		> "$tmp/gcovrun2.log" 2>&1
	status=$?
	check "rkval-run --gcov without kernel gcov: noted, the run goes on" \
		sh -c "[ $status -eq 0 ] && grep -q '^gcov-save: no kernel coverage' '$tmp/gcovrun2/metadata.txt'"
	"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/host-build" \
		--compare "$tmp/gcovrun" "$tmp/gcovrun2" \
		"$fixture"/0001-*.patch "$fixture"/0002-*.patch > "$tmp/page.txt" 2>&1
	status=$?
	check "--compare BASE NEW: the result changes, then the patch's coverage, exit 0" \
		sh -c "[ $status -eq 0 ] && grep -q '^== result changes' '$tmp/page.txt' &&
			grep -q '^summary: 0 regressed' '$tmp/page.txt' &&
			grep -qx 'total: 7 of 11 added executable lines executed' '$tmp/page.txt'"
	# The page as a section of the run in the results/ HTML report.
	"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/host-build" \
		--out "$tmp/gcovrun/patch-coverage.txt" \
		"$fixture"/0001-*.patch "$fixture"/0002-*.patch > /dev/null 2>&1
	tools/rkval-results --store "$tmp/store" import "$tmp/gcovrun" > /dev/null 2>&1 &&
		tools/rkval-results --store "$tmp/store" report -o "$tmp/report.html" \
		> /dev/null 2>&1
	check "the results/ HTML report shows the patch coverage of the run" \
		grep -q 'not executed: drivers/accel/rocket/fake_job.c:13: int fake_job_cores' \
		"$tmp/report.html"
else
	skip "rkval-run --gcov: no test binaries in $build/tests"
fi

# --- bad input ----------------------------------------------------------
printf 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,1 +1,3 @@\n+a\n+b\n+c\n+d\n' > "$tmp/long.patch"
"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/host-build" "$tmp/long.patch" \
	> /dev/null 2> "$tmp/err"
status=$?
check "a hunk longer than its header: exit 2 naming file and line" \
	status_and_grep "$status" 2 "long.patch:8: hunk longer than its header says" "$tmp/err"
printf 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1,2 @@\n+a\n' > "$tmp/short.patch"
"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/host-build" "$tmp/short.patch" \
	> /dev/null 2> "$tmp/err"
check "a patch ending inside a hunk: exit 2" \
	status_and_grep "$?" 2 "short.patch:.*ends inside a hunk" "$tmp/err"
echo garbage > "$tmp/bad.tar.gz"
"$patchcov" --gcda "$tmp/bad.tar.gz" --build "$tmp/host-build" "$fixture"/0001-*.patch \
	> /dev/null 2> "$tmp/err"
check "a corrupt tarball: exit 2 with a message" \
	status_and_grep "$?" 2 "bad.tar.gz: not a directory nor a readable tarball" "$tmp/err"
"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/nowhere" "$fixture"/0001-*.patch \
	> /dev/null 2> "$tmp/err"
check "a missing build tree: exit 2 with a message" \
	status_and_grep "$?" 2 "nowhere: not a directory" "$tmp/err"
mkdir -p "$tmp/otherbuild"
"$patchcov" --gcda "$tmp/cov.tar.gz" --build "$tmp/otherbuild" "$fixture"/0001-*.patch \
	> /dev/null 2> "$tmp/err"
check "a build tree without the .gcno: exit 2, no made-up report" \
	status_and_grep "$?" 2 "no .gcda file with a matching .gcno" "$tmp/err"
"$patchcov" > /dev/null 2>&1
check "no arguments: exit 2" [ "$?" -eq 2 ]
check "--help: exit 0" helps "$patchcov"
check "collector --help: exit 0" helps "$collect"

mkdir -p "$tmp/nogcov"
busybox sh "$collect" reset --debugfs "$tmp/nogcov" > /dev/null 2> "$tmp/err"
check "a kernel without gcov: exit 3 saying so" \
	status_and_grep "$?" 3 "no kernel coverage: .*CONFIG_GCOV_KERNEL" "$tmp/err"
"$collect" save --debugfs "$dfs" > /dev/null 2> "$tmp/err"
check "save without --out: usage error" [ "$?" -eq 2 ]

# --- arm64: cross compiler, run under qemu, cross gcov ---------------------
qemu='qemu-aarch64-static'
if command -v aarch64-linux-gnu-gcc > /dev/null 2>&1 &&
	command -v aarch64-linux-gnu-gcov > /dev/null 2>&1 &&
	command -v "$qemu" > /dev/null 2>&1; then
	a=$tmp/build-arm64
	if [ "$host_arch" = arm64 ]; then
		runner=
	else
		runner="$qemu -L /usr/aarch64-linux-gnu"
	fi
	# shellcheck disable=SC2086 # runner is empty or a command with options
	if build_fixture "$a" aarch64-linux-gnu-gcc $runner; then
		ok "arm64 fixture builds and runs"
		fake_debugfs "$tmp/debugfs-arm64" "$a"
		"$collect" save --debugfs "$tmp/debugfs-arm64" --out "$tmp/cov-arm64.tar.gz" \
			> /dev/null 2>&1
		mv "$a" "$tmp/host-build-arm64"
		printf 'CONFIG_ARM64=y\n' > "$tmp/host-build-arm64/.config"
		"$patchcov" --gcda "$tmp/cov-arm64.tar.gz" --build "$tmp/host-build-arm64" \
			"$fixture"/0001-*.patch "$fixture"/0002-*.patch > "$tmp/arm64.txt" 2>&1
		report_body "$tmp/arm64.txt" > "$tmp/got-arm64"
		if cmp -s "$tmp/got-arm64" "$tmp/want" &&
			{ [ "$host_arch" = arm64 ] || grep -q 'aarch64-linux-gnu-gcov)$' "$tmp/arm64.txt"; }; then
			ok "arm64: the cross gcov (chosen from .config) gives the same report"
		else
			not_ok "arm64: the cross gcov (chosen from .config) gives the same report"
			diff "$tmp/want" "$tmp/got-arm64" | sed -e 's/^/# /'
			head -n 3 "$tmp/arm64.txt" | sed -e 's/^/# /'
		fi
	else
		not_ok "arm64 fixture builds and runs"
	fi
else
	skip "arm64: aarch64-linux-gnu-gcc/-gcov or $qemu not installed"
fi

tap_plan
tap_exit
