#!/bin/sh
# results.sh — rkval-results on real runs: the suite on vnpu under the three
# kernel profiles (mainline, rfc, next) and both SoCs is imported, compared,
# checked against expectation files and reported, and the report is rendered
# by headless Chromium.
#
# The runs use a subset list ($tmp/subset.testlist below: the binaries whose
# results differ between the profiles — npu_clocks, rk_iommu_timeout — plus
# rocket_conv for the accuracy histograms and a few steady ones), one to
# three seconds each, so that the runs fit CI; the full list gives the same
# differences (results/expectations/ was written from full runs).  One run
# is a repeat, for flake detection; two more inject vnpu faults for the
# fault matrix and a verdict-stage change (a shorter list, see below).
#
# What the runs say is read from their own summary.txt, not assumed: which
# subtests regressed from next to mainline is computed here from the two
# summaries and must equal what compare lists.  The one fact asserted by
# name is the brief's: on rk3588 the mainline clock verdict is a regression
# against next, and the other way a fix.
#
# Error cases: a missing run, a malformed expectations line (file:line),
# a bad regular expression, an older-format, a partial and a corrupt results
# directory, a store of another format, and importing twice (a no-op).
#
# Environment: BUILD_DIR (default build/<host arch>).  The runs use the
# host's binaries: rkval-run has no emulator wrapper, so EXEC is ignored.
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_SUBTEST_TIMEOUT \
	RKVAL_RESULTS_STORE

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# Upper bound of one browser run, so a wedged Chromium cannot stall make check.
BROWSER_LIMIT_S=120
# A real screenshot of the report is a PNG well above an empty page's size.
MIN_SCREENSHOT_BYTES=20000

store=$tmp/store
# shellcheck disable=SC2317 # called through expect_status "$@"
results() { sh tools/rkval-results --store "$store" "$@"; }

cat > "$tmp/subset.testlist" <<'EOF'
igt@rocket_basic
igt@npu_clocks
igt@rocket_conv
igt@rk_iommu_attach
igt@rk_iommu_timeout
igt@rocket_stage_probe
igt@rocket_dma_counters
EOF
# With a fault injected, every rocket_conv shape and rk_iommu_timeout case
# waits out the 500 ms job timeout: a minute per run.  The fault runs leave
# them out.
grep -v -e rocket_conv -e rk_iommu_timeout "$tmp/subset.testlist" > "$tmp/faults.testlist"

# run_suite NAME DEVICE LIST [VAR=VALUE...]: one runner run into $tmp/NAME.
run_suite() {
	name=$1 device=$2 list=$3
	shift 3
	env "$@" sh runner/rkval-run --bin-dir "$build/tests" --list "$tmp/$list.testlist" \
		--device "$device" --results "$tmp/$name" > "$tmp/$name.log" 2>&1
	if grep -q '^totals: ' "$tmp/$name/metadata.txt" 2>/dev/null; then
		ok "run $name ($device $*): $(tail -n 1 "$tmp/$name.log")"
	else
		not_ok "run $name ($device $*) did not finish; see its log:"
		sed -e 's/^/# /' "$tmp/$name.log" | tail -n 5
	fi
}

# expect_status WANT DESC CMD...: CMD exits WANT; its output in $tmp/out.
expect_status() {
	want=$1 desc=$2
	shift 2
	"$@" > "$tmp/out" 2> "$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$desc (exit $got)"
	else
		not_ok "$desc: exit $got, expected $want"
		sed -e 's/^/# /' "$tmp/out" "$tmp/err" | head -n 15
	fi
}

# has DESC PATTERN FILE: FILE has a line matching the ERE PATTERN.
has() {
	if grep -Eq -e "$2" "$3"; then ok "$1"; else
		not_ok "$1 (no line matching /$2/ in:)"
		sed -e 's/^/# /' "$3" | head -n 15
	fi
}

# failing DIR: the names rkval-run counted as failed (docs/results.md).
failing() {
	awk '$1 !~ /^(pass|warn|skip)$/ { print $2 }' "$1/summary.txt" | sort
}

# --- the runs ---------------------------------------------------------------
[ -x "$build/tests/rocket_basic" ] || {
	not_ok "no test binaries in $build/tests (make first)"
	tap_plan
	tap_exit
}
for soc in rk3568 rk3588; do
	for k in mainline rfc next; do
		run_suite "$soc-$k" "vnpu:$soc" subset RKVAL_VNPU_KERNEL=$k
	done
done
run_suite rk3588-next-again vnpu:rk3588 subset RKVAL_VNPU_KERNEL=next
run_suite rk3568-mac-stall vnpu:rk3568 faults RKVAL_VNPU_KERNEL=next \
	RKVAL_VNPU_FAULTS=mac-output-stall
run_suite rk3568-clock-gated vnpu:rk3568 faults RKVAL_VNPU_KERNEL=next \
	RKVAL_VNPU_FAULTS=compute-clock-gated
# The coverage hook: a later gcov tool leaves patch-coverage.txt in a run.
printf 'drivers/accel/rocket/rocket_job.c: 41/57 changed lines run\n' \
	> "$tmp/rk3588-next/patch-coverage.txt"

# --- help and usage ------------------------------------------------------------
for c in import list compare expect matrix flakes report; do
	expect_status 0 "$c --help" sh tools/rkval-results "$c" --help
	has "$c --help prints its usage" "^usage: rkval-results $c" "$tmp/out"
done
expect_status 2 "an unknown command is a usage error" sh tools/rkval-results frobnicate

# --- import -----------------------------------------------------------------
expect_status 2 "compare before any import: no store" results compare a b
has "... says there is no such run" "no such run" "$tmp/err"
runs="rk3568-mainline rk3568-rfc rk3568-next rk3588-mainline rk3588-rfc rk3588-next
	rk3588-next-again rk3568-mac-stall rk3568-clock-gated"
for r in $runs; do
	expect_status 0 "import $r" results import "$tmp/$r"
	sed -n 's/^imported \([0-9a-f]*\) as .*/\1/p' "$tmp/out" > "$tmp/$r.id"
done
nruns=0
for r in $runs; do nruns=$((nruns + 1)); done
check "the index lists the $nruns runs" [ "$(grep -c . "$store/index.txt")" -eq "$nruns" ]
has "the mainline rk3588 run is keyed vnpu-rk3588/mainline" \
	"	vnpu-rk3588	mainline	" "$store/index.txt"
run_txt=$(find "$store/runs/vnpu-rk3588/mainline" -name run.txt | head -n 1)
sha=$(sed -n 's/^IGT-Version: [^ ]*-\([0-9a-f]*\) .*/\1/p' "$tmp/rk3588-mainline/001-"*/out.txt)
has "run.txt records the rkval git sha the binaries printed ($sha)" "^rkval-sha: $sha\$" "$run_txt"
has "... the DT compatible" "^compatible: radxa,rock-5b rockchip,rk3588\$" "$run_txt"
has "... and the backend" "^backend: vnpu:rk3588 kernel=mainline faults=none" "$run_txt"
# rocket_conv's accuracy per shape: one line per shape the binary judged,
# and each histogram's counts add up to the shape's element count.
acc=$(find "$store/runs/vnpu-rk3588/mainline" -name accuracy.txt | head -n 1)
shapes=$(grep -c '^conv-[^:]*: [0-9]*/[0-9]* exact' "$tmp/rk3588-mainline/"[0-9]*-rocket_conv@*/out.txt |
	awk -F: '{ n += $NF } END { print n + 0 }')
if [ "$shapes" -gt 0 ] && [ "$(grep -c '	conv-' "$acc")" -eq "$shapes" ]; then
	ok "accuracy.txt: one line per rocket_conv conv shape ($shapes)"
else
	not_ok "accuracy.txt: $(grep -c '	conv-' "$acc") conv lines, the output judged $shapes shapes"
fi
bad=$(awk -F '\t' '{ n = split($7, b, " "); s = 0
	for (i = 1; i <= n; i++) { split(b[i], p, ":"); s += p[2] }
	if (s != $3) print $2 ": histogram sums to " s " of " $3 }' "$acc" | head -n 3)
check "... each histogram sums to its element count${bad:+ ($bad)}" [ -z "$bad" ]
has "a fault run is keyed by profile and fault" \
	"	vnpu-rk3568	next\+compute-clock-gated	" "$store/index.txt"
snapshot() { (cd "$store" && find . -type f | sort | xargs cat | sha256sum); }
before=$(snapshot)
expect_status 0 "importing the same run twice" results import "$tmp/rk3588-mainline"
has "... says nothing changed" "already in the store: .*nothing changed" "$tmp/out"
check "... and the store is byte for byte the same" [ "$(snapshot)" = "$before" ]

# Imports at once (LAVA jobs finishing together) into a new store: the
# lock keeps every index line.
for r in rk3568-mainline rk3568-rfc rk3588-mainline rk3588-rfc; do
	sh tools/rkval-results --store "$tmp/par-store" import "$tmp/$r" > /dev/null 2>&1 &
done
wait
if [ "$(grep -c . "$tmp/par-store/index.txt")" -eq 4 ] && [ ! -e "$tmp/par-store/.lock" ]; then
	ok "four imports at once into a new store: four index lines, no lock left"
else
	not_ok "four imports at once: $(grep -c . "$tmp/par-store/index.txt") index lines"
fi

# Refused inputs, each naming the file (and line).
expect_status 2 "a missing results directory is refused" results import "$tmp/no-such-run"
has "... naming it" "no-such-run: no such results directory" "$tmp/err"
cp -R "$tmp/rk3588-next" "$tmp/partial"
sed -i -e '/^end: /d' -e '/^totals: /d' "$tmp/partial/metadata.txt"
expect_status 2 "a partial run (no totals) is refused" results import "$tmp/partial"
has "... with the reason" "partial/metadata.txt: no 'totals:' line: a partial run" "$tmp/err"
cp -R "$tmp/rk3588-next" "$tmp/corrupt"
sed -i '5s/ (\([0-9.]*\) s)/ \1s/' "$tmp/corrupt/summary.txt"
expect_status 2 "a corrupt summary line is refused" results import "$tmp/corrupt"
has "... naming summary.txt:5" "corrupt/summary.txt:5: " "$tmp/err"
cp -R "$tmp/rk3588-mainline" "$tmp/mismatch"
sed -i 's/^fail \(igt@npu_clocks@clocks-enabled-while-active .*\)/pass \1/' \
	"$tmp/mismatch/summary.txt"
expect_status 2 "totals that disagree with summary.txt are refused" results import "$tmp/mismatch"
has "... as a corrupt run" "mismatch/metadata.txt: totals .*corrupt run" "$tmp/err"
cp -R "$tmp/rk3588-next" "$tmp/disagree"
sed -i '1s/.*/fail/' "$tmp/disagree/"[0-9]*-rocket_basic@open-many/result.txt
expect_status 2 "a result.txt that disagrees with summary.txt is refused" \
	results import "$tmp/disagree"
has "... naming that result.txt" "rocket_basic@open-many/result.txt:1: result \"fail\" but summary.txt says \"pass\"" "$tmp/err"
# A resumed run (rkval-run --resume) closes twice; the last totals count.
cp -R "$tmp/rk3588-next" "$tmp/resumed"
sed -i 's/^uname: .*/&\nend: 2026-01-01T00:00:01Z\ntotals: 1 passed, 0 failed, 0 skipped\nresume: 2026-01-01T00:00:02Z/' \
	"$tmp/resumed/metadata.txt"
expect_status 0 "a resumed run is read by its last totals line" \
	sh tools/rkval-results --store "$tmp/resumed-store" import "$tmp/resumed"
# An older layout: "NAME: RESULT" summary lines, no joblist.txt.
cp -R "$tmp/rk3588-next" "$tmp/older"
rm -f "$tmp/older/joblist.txt"
awk '{ print $2 ": " $1 }' "$tmp/rk3588-next/summary.txt" > "$tmp/older/summary.txt"
expect_status 2 "an older-format results directory is refused" results import "$tmp/older"
has "... naming summary.txt:1 and the format" "older/summary.txt:1: .*older or foreign" "$tmp/err"
mkdir "$tmp/other-store"
echo "rkval-results store 0" > "$tmp/other-store/FORMAT"
: > "$tmp/other-store/index.txt"
expect_status 2 "a store of another format is refused" \
	sh tools/rkval-results --store "$tmp/other-store" import "$tmp/rk3588-next"
has "... naming FORMAT:1" "other-store/FORMAT:1: store format" "$tmp/err"

# A LAVA job's results as lava-jobs/collect writes them: "source: lava job
# N", no test output files, and, when the board's own uname line was lost,
# the kernel release from the console.
cp -R "$tmp/rk3588-next" "$tmp/lava"
rm -f "$tmp/lava/"[0-9]*/out.txt "$tmp/lava/"[0-9]*/err.txt
sed -i -e '/^runner: /d' -e 's/^uname: .*/uname: 6.19.0-rc2 (from the console)/' \
	-e 's/^backend: .*/backend: Backend: kernel:\/dev\/accel\/accel0/' "$tmp/lava/metadata.txt"
echo "source: lava job 4711" >> "$tmp/lava/metadata.txt"
expect_status 0 "a LAVA job's results import" \
	sh tools/rkval-results --store "$tmp/lava-store" import --board qemu-virt "$tmp/lava"
has "... keyed by the console's kernel release" "as runs/qemu-virt/6.19.0-rc2/unknown/" "$tmp/out"
has "... with its source" "^source: lava job 4711\$" "$(find "$tmp/lava-store" -name run.txt)"

# --- compare ----------------------------------------------------------------
# What regressed from next to mainline on rk3588, from the two summaries.
comm -13 "$(failing "$tmp/rk3588-next" > "$tmp/f-next"; echo "$tmp/f-next")" \
	"$(failing "$tmp/rk3588-mainline" > "$tmp/f-main"; echo "$tmp/f-main")" > "$tmp/want-regressed"
expect_status 1 "compare next -> mainline on rk3588 exits 1 (regression)" \
	results compare "$(cat "$tmp/rk3588-next.id")" vnpu-rk3588/mainline
cp "$tmp/out" "$tmp/cmp-regress"
check "the summaries show something regressing" [ -s "$tmp/want-regressed" ]
awk '/^  regressed / { sub(/:$/, "", $2); print $2 }' "$tmp/cmp-regress" | sort > "$tmp/got-regressed"
sed 's/^igt@[^@]*@//' "$tmp/want-regressed" | sort > "$tmp/want-regressed-sub"
check "compare lists exactly the subtests the summaries say regressed" \
	cmp -s "$tmp/got-regressed" "$tmp/want-regressed-sub"
check "mainline's clocks-enabled-while-active failed at the clock stage" \
	grep -q '^fail igt@npu_clocks@clocks-enabled-while-active .* VERDICT: clock ' \
	"$tmp/rk3588-mainline/summary.txt"
has "... and compare shows it as a regression under npu_clocks" \
	"^  regressed +clocks-enabled-while-active: pass -> fail" "$tmp/cmp-regress"
has "... with the new side's VERDICT line" "^      new:  VERDICT: clock " "$tmp/cmp-regress"
expect_status 0 "compare mainline -> next on rk3588 exits 0" \
	results compare vnpu-rk3588/mainline "$(cat "$tmp/rk3588-next.id")"
has "... and lists the clock subtest as fixed" \
	"^  fixed +clocks-enabled-while-active: fail -> pass" "$tmp/out"
has "... with the base side's VERDICT line" "^      base: VERDICT: clock " "$tmp/out"
has "... nothing regressed" "^summary: 0 regressed, $(grep -c . "$tmp/want-regressed") fixed" "$tmp/out"
expect_status 1 "compare reads rkval-run directories directly too" \
	results compare "$tmp/rk3588-next" "$tmp/rk3588-mainline"
cp "$tmp/out" "$tmp/cmp-dirs"
expect_status 1 "compare by run id" \
	results compare "$(cat "$tmp/rk3588-next.id")" "$(cat "$tmp/rk3588-mainline.id")"
check "... the same listing from the store as from the directories" cmp -s "$tmp/cmp-dirs" "$tmp/out"
expect_status 0 "a run compared with itself: nothing changed" \
	results compare vnpu-rk3588/mainline vnpu-rk3588/mainline
has "... all counts zero" "^summary: 0 regressed, 0 fixed, 0 newly skipped, 0 newly run, 0 verdict stage changed, 0 timing changed, 0 new, 0 gone" "$tmp/out"
# Two faults: where both fail, at which stage (from the summaries).
stage_changes=$(awk '
	{ c = $1 ~ /^(pass|warn|skip)$/ ? "ok" : "fail"
	  v = $1 ($5 == "VERDICT:" ? ":" $6 : "") }
	FNR == 1 { file++ }
	file == 1 { base[$2] = v; bc[$2] = c; next }
	c == "fail" && bc[$2] == "fail" && base[$2] != v { n++ }
	END { print n + 0 }' "$tmp/rk3568-mac-stall/summary.txt" "$tmp/rk3568-clock-gated/summary.txt")
expect_status 1 "compare two vnpu faults (mac-output-stall -> compute-clock-gated)" \
	results compare vnpu-rk3568/next+mac-output-stall vnpu-rk3568/next+compute-clock-gated
check "the summaries have subtests failing under both faults at other stages" [ "$stage_changes" -gt 0 ]
check "... compare lists each of the $stage_changes as a verdict stage change" \
	[ "$(grep -c '^  verdict stage changed ' "$tmp/out")" -eq "$stage_changes" ]
has "... naming both stages" "^  verdict stage changed .*\(mac-output-stall -> [a-z-]+\)" "$tmp/out"
# The SoCs differ too: rk3568 has the DMA counters, rk3588 skips them.
newly_skipped=$(awk '
	{ c = $1 ~ /^(pass|warn)$/ ? "pass" : $1 == "skip" ? "skip" : "fail" }
	FNR == 1 { file++ }
	file == 1 { bc[$2] = c; next }
	c == "skip" && ($2 in bc) && bc[$2] != "skip" { n++ }
	END { print n + 0 }' "$tmp/rk3568-next/summary.txt" "$tmp/rk3588-next/summary.txt")
expect_status 0 "compare rk3568/next -> rk3588/next" \
	results compare "$tmp/rk3568-next" "$tmp/rk3588-next"
check "the summaries have subtests skipped only on rk3588" [ "$newly_skipped" -gt 0 ]
check "... compare lists each of the $newly_skipped as newly skipped" \
	[ "$(grep -c '^  newly skipped ' "$tmp/out")" -eq "$newly_skipped" ]
expect_status 0 "... and the other way round as newly run" \
	results compare "$tmp/rk3588-next" "$tmp/rk3568-next"
check "... each of the $newly_skipped" [ "$(grep -c '^  newly run ' "$tmp/out")" -eq "$newly_skipped" ]
# Timing: the same run with one subtest ten times slower.
slow=$(awk '$1 == "pass" { t = $3; sub(/^\(/, "", t) } $1 == "pass" && t + 0 >= 0.1 { print $2; exit }' \
	"$tmp/rk3588-next/summary.txt")
if [ -n "$slow" ]; then
	cp -R "$tmp/rk3588-next" "$tmp/slow"
	awk -v n="$slow" '$2 == n { t = $3; sub(/^\(/, "", t); $3 = "(" sprintf("%.3f", t * 10) } { print }' \
		"$tmp/rk3588-next/summary.txt" > "$tmp/slow/summary.txt"
	expect_status 0 "a subtest ten times slower is no regression" \
		results compare "$tmp/rk3588-next" "$tmp/slow"
	has "... but a timing change" "^  timing changed +${slow#igt@*@}: " "$tmp/out"
	check "... the only one" [ "$(grep -c '^  timing changed ' "$tmp/out")" -eq 1 ]
	expect_status 0 "--time-threshold 2000 hides it" \
		results compare --time-threshold 2000 "$tmp/rk3588-next" "$tmp/slow"
	has "... (no timing change)" " 0 timing changed" "$tmp/out"
else
	not_ok "no passing subtest of rk3588-next takes 0.1 s or more to slow down"
fi
# A board run: the kernel backend's Backend line; board and kernel then
# come from the DT compatible soc-identify printed and from uname -r.
cp -R "$tmp/rk3588-next" "$tmp/board"
sed -i -e 's|^backend: .*|backend: Backend: kernel:/dev/accel/accel0|' \
	-e 's|^device: .*|device: kernel|' "$tmp/board/metadata.txt"
for f in "$tmp/board"/[0-9]*/out.txt; do
	sed -i -e 's|^IGT-Version: .*|IGT-Version: 0.1-4be5edf9 (aarch64) (Linux: 6.18.0-rc4-lab aarch64)|' \
		-e 's|^Backend: .*|Backend: kernel:/dev/accel/accel0|' "$f"
done
expect_status 0 "a board run is keyed by its DT compatible and uname -r" \
	sh tools/rkval-results --store "$tmp/board-store" import "$tmp/board"
has "... as radxa-rock-5b/6.18.0-rc4-lab" "as runs/radxa-rock-5b/6.18.0-rc4-lab/0.1-4be5edf9/" "$tmp/out"
expect_status 0 "--board and --kernel override the key" \
	sh tools/rkval-results --store "$tmp/board-store2" import --board rock5b --kernel v6.18 "$tmp/board"
has "... as rock5b/v6.18" "as runs/rock5b/v6.18/" "$tmp/out"
expect_status 2 "compare with a missing run" results compare vnpu-rk3588/next vnpu-rk9999/next
has "... names it" "vnpu-rk9999/next: no such run" "$tmp/err"
expect_status 2 "compare with a bad threshold" \
	results compare --time-threshold lots vnpu-rk3588/next vnpu-rk3588/next

# --- expectations -----------------------------------------------------------
# The project's own files (results/expectations/) hold for rk3588 on all
# three profiles.
for k in next rfc mainline; do
	expect_status 0 "vnpu-rk3588/$k meets results/expectations" results expect vnpu-rk3588/$k
done
has "... mainline's known failures are expected, with their stage" \
	"^summary: 0 unexpected failures, 0 unexpected results, 0 unexpected passes, [1-9]" "$tmp/out"
exp=$tmp/exp
mkdir "$exp"
expect_status 1 "mainline against no expectations: unexpected failures" \
	results expect --expectations "$exp" vnpu-rk3588/mainline
has "... the clock failure among them" \
	"^unexpected failure +igt@npu_clocks@clocks-enabled-while-active: fail VERDICT: clock" "$tmp/out"
check "... one line per failing subtest of the run" \
	[ "$(grep -c '^unexpected failure' "$tmp/out")" -eq "$(grep -c . "$tmp/f-main")" ]
# --write, then the run meets what was written (rk3568 mainline: whatever
# that profile does there today).
expect_status "$( [ -s "$(failing "$tmp/rk3568-mainline" > "$tmp/f-68"; echo "$tmp/f-68")" ] && echo 1 || echo 0)" \
	"--write from the rk3568 mainline run" \
	results expect --expectations "$exp" --write "$exp" vnpu-rk3568/mainline
expect_status 0 "... which the run then meets" results expect --expectations "$exp" vnpu-rk3568/mainline
check "... one fails line per failing subtest" \
	[ "$(grep -c '^igt@' "$exp/vnpu-rk3568-fails.txt")" -eq "$(grep -c . "$tmp/f-68")" ]
mkdir "$tmp/exp-k"
results expect --expectations "$tmp/exp-k" --write "$tmp/exp-k" --per-kernel \
	vnpu-rk3588/mainline > /dev/null
expect_status 0 "--write --per-kernel: rk3588 mainline meets vnpu-rk3588@mainline-fails.txt" \
	results expect --expectations "$tmp/exp-k" vnpu-rk3588/mainline
has "... that file is the one read" "^expectations: .*/vnpu-rk3588@mainline-fails.txt" "$tmp/out"
expect_status 1 "... which applies to mainline only: rfc's failure is unexpected" \
	results expect --expectations "$tmp/exp-k" vnpu-rk3588/rfc
# Unexpected passes, stale lines, flakes, skips, stages, per-kernel files.
cat > "$exp/vnpu-rk3588-fails.txt" <<'EOF'
# known: the clock lookup bug
igt@npu_clocks@clocks-enabled-while-active,Fail,clock
igt@rocket_basic@no-such-subtest,Fail
EOF
expect_status 0 "next against mainline's failures: unexpected pass listed, exit 0" \
	results expect --expectations "$exp" vnpu-rk3588/next
has "... the unexpected pass names the line to remove" \
	"^unexpected pass +igt@npu_clocks@clocks-enabled-while-active: pass, expected Fail .*vnpu-rk3588-fails.txt:2" "$tmp/out"
has "... a stale line is listed" "^stale expectation +igt@rocket_basic@no-such-subtest .*:3" "$tmp/out"
expect_status 1 "--strict fails on the unexpected pass" \
	results expect --strict --expectations "$exp" vnpu-rk3588/next
mv "$exp/vnpu-rk3588-fails.txt" "$exp/keep"
# drm-ci spelling: no igt@ prefix, CamelCase result.
printf '# drm-ci style\nnpu_clocks@clocks-enabled-while-active,Fail\n' \
	> "$exp/vnpu-rk3588@mainline-fails.txt"
expect_status 0 "drm-ci spelled lines (no igt@, CamelCase results) are read" \
	results expect --expectations "$exp" vnpu-rk3588/mainline
has "... and match" " 1 expected failures" "$tmp/out"
printf 'igt@npu_clocks@clocks-enabled-while-active,Fail,qos\n' > "$exp/vnpu-rk3588@mainline-fails.txt"
expect_status 1 "a failure at another VERDICT stage than expected is unexpected" \
	results expect --expectations "$exp" vnpu-rk3588/mainline
has "... and says both stages" "^unexpected result +igt@npu_clocks@clocks-enabled-while-active: fail,clock, expected Fail,qos" "$tmp/out"
printf '# flaky on purpose\nigt@npu_clocks@clocks-enabled-.*\nigt@rk_iommu_timeout@.*\n' > "$exp/vnpu-rk3588-flakes.txt"
printf 'igt@rocket_dma_counters@.*\n' > "$exp/vnpu-rk3588-skips.txt"
rm "$exp/vnpu-rk3588@mainline-fails.txt"
expect_status 0 "flakes (regular expressions) accept any result" \
	results expect --expectations "$exp" vnpu-rk3588/mainline
has "... listed as flakes" "^flake +igt@npu_clocks@clocks-enabled-while-active: fail" "$tmp/out"
has "... and the skips list covers the counters" "[1-9][0-9]* skipped as listed" "$tmp/out"
rm "$exp/vnpu-rk3588-flakes.txt" "$exp/vnpu-rk3588-skips.txt"
printf '# header\n\nigt@rocket_basic@open-close Fail\n' > "$exp/vnpu-rk3588-fails.txt"
expect_status 2 "a malformed expectations line is refused" \
	results expect --expectations "$exp" vnpu-rk3588/next
has "... naming its file and line" "vnpu-rk3588-fails.txt:3: malformed expectations line" "$tmp/err"
printf 'igt@rocket_basic@open-close,Exploded\n' > "$exp/vnpu-rk3588-fails.txt"
expect_status 2 "an unknown result word is refused" \
	results expect --expectations "$exp" vnpu-rk3588/next
has "... naming its file and line" "vnpu-rk3588-fails.txt:1: unknown result" "$tmp/err"
rm "$exp/vnpu-rk3588-fails.txt"
printf '# ok\nigt@rocket_basic@(open\n' > "$exp/vnpu-rk3588-flakes.txt"
expect_status 2 "a bad regular expression in flakes is refused" \
	results expect --expectations "$exp" vnpu-rk3588/next
has "... naming its file and line" "vnpu-rk3588-flakes.txt:2: not a valid extended regular expression" "$tmp/err"
rm "$exp/vnpu-rk3588-flakes.txt"

# --- matrix and flakes --------------------------------------------------------
expect_status 0 "matrix --board vnpu-rk3588" results matrix --board vnpu-rk3588
has "the clock subtest: failing at the clock stage on mainline and rfc, passing since next" \
	"^igt@npu_clocks@clocks-enabled-while-active +fail:clock +fail:clock +pass +pass since next" "$tmp/out"
# The rows that differ, from the three summaries: result and stage.
differing=$(awk '{ v = $1 ($5 == "VERDICT:" ? ":" $6 : "") }
	!($2 in first) { first[$2] = v; next }
	v != first[$2] { diff[$2] = 1 }
	END { for (n in diff) c++; print c + 0 }' "$tmp/rk3588-mainline/summary.txt" \
	"$tmp/rk3588-rfc/summary.txt" "$tmp/rk3588-next/summary.txt" \
	"$tmp/rk3588-next-again/summary.txt")
check "only the $differing rows that differ between kernels are shown" \
	[ "$(grep -c '^igt@' "$tmp/out")" -eq "$differing" ]
expect_status 0 "matrix --subtest (board x kernel)" \
	results matrix --subtest igt@npu_clocks@clocks-enabled-while-active
has "... a row per board" "^vnpu-rk3568 " "$tmp/out"
has "... both boards" "^vnpu-rk3588 +fail:clock" "$tmp/out"
expect_status 2 "matrix of an unknown subtest" results matrix --subtest igt@x@y
# Two real runs of rk3588/next: flaky is whatever their summaries disagree
# on (vnpu is deterministic, so normally nothing).
awk 'FNR == 1 { f++ } f == 1 { r[$2] = $1; next } ($2 in r) && r[$2] != $1 { print $2 }' \
	"$tmp/rk3588-next/summary.txt" "$tmp/rk3588-next-again/summary.txt" | sort > "$tmp/real-flaky"
if [ -s "$tmp/real-flaky" ]; then
	expect_status 1 "flakes: the two real runs of rk3588/next disagree on $(grep -c . "$tmp/real-flaky")" \
		results flakes
	grep '^igt@' "$tmp/out" | sort > "$tmp/got-flaky"
	check "... and flakes lists exactly those" cmp -s "$tmp/real-flaky" "$tmp/got-flaky"
else
	expect_status 0 "flakes: two real runs of rk3588/next agree, so nothing is flaky" results flakes
	has "... says so" "^# no flaky subtest" "$tmp/out"
fi
# A third run of rk3588/next in which one subtest failed: the same run,
# one result changed (and its totals), as a board would give now and then.
cp -R "$tmp/rk3588-next" "$tmp/flaky"
flaky=igt@rocket_basic@open-many
sed -i "s/^pass \($flaky .*\)/fail \1 VERDICT: assert flaked on purpose/" "$tmp/flaky/summary.txt"
sed -i -e 's/^start: .*/start: 2026-01-01T00:00:00Z/' \
	-e "s/^totals: .*/totals: $(awk '$1 ~ /^(pass|warn)$/ { p++ } $1 == "skip" { s++ } END { printf "%d passed, %d failed, %d skipped", p - 1, NR - p - s + 1, s }' "$tmp/rk3588-next/summary.txt")/" \
	"$tmp/flaky/metadata.txt"
sed -i '1s/.*/fail/' "$tmp/flaky/"[0-9]*-rocket_basic@open-many/result.txt
expect_status 0 "import a third rk3588/next run" results import "$tmp/flaky"
expect_status 1 "flakes finds the subtest whose runs disagree" results flakes --board vnpu-rk3588
has "... as a drm-ci flakes entry" "^$flaky\$" "$tmp/out"
has "... with the measured rate" "^# Failure Rate: 1/3 runs not passing" "$tmp/out"
check "... and nothing else" \
	[ "$(grep -c '^igt@' "$tmp/out")" -eq "$( (cat "$tmp/real-flaky"; echo "$flaky") | sort -u | grep -c .)" ]
expect_status 0 "matrix shows it flaky" results matrix --board vnpu-rk3588
has "... with the counts" "^$flaky .*flaky\((pass 2x fail:assert 1x|fail:assert 1x pass 2x)\)" "$tmp/out"

# --- the report -----------------------------------------------------------------
report=$tmp/report.html
expect_status 0 "report" results report -o "$report"
# missing_runs HTML: the stored run ids that HTML does not show.
missing_runs() {
	cut -f1 "$store/index.txt" | while read -r id; do
		grep -q "id=\"run-$id\"" "$1" || printf ' %s' "$id"
	done
}
missing=$(missing_runs "$report")
check "every stored run appears in the report${missing:+ (missing:$missing)}" [ -z "$missing" ]
check "a matrix picture per board" [ "$(grep -c '<svg class="matrix"' "$report")" -eq 2 ]
check "accuracy histograms, one per rocket_conv shape of the newest runs" \
	[ "$(grep -c '<svg class="hist"' "$report")" -ge "$(grep -c . "$(find "$store" -name accuracy.txt | head -n 1)")" ]
has "the matrix colours a failure by its stage (clock)" \
	'fill="#b08968"><title>igt@npu_clocks@clocks-enabled-while-active on vnpu-rk3588 mainline' "$report"
has "the what-changed table: the clock subtest passes since next" \
	'<td>igt@npu_clocks@clocks-enabled-while-active</td>.*<td>pass since <b>next</b></td>' "$report"
has "... and the flaky subtest shows as flaky" "<td>$flaky</td>.*flaky: " "$report"
has "timing sparklines" '<svg class="timing"' "$report"
has "the fault matrix lists the injected faults" "<td>mac-output-stall</td>" "$report"
has "the coverage hook shows patch-coverage.txt" "rocket_job.c: 41/57 changed lines run" "$report"
if grep -Eq '(src|href)="(https?:)?//' "$report"; then
	not_ok "the report loads nothing from the network"
else
	ok "the report loads nothing from the network"
fi

# --- headless Chromium ------------------------------------------------------
# Debian's chromium, as root: no sandbox, no GPU, nothing that phones home,
# a fresh profile each time.  Errors of the page show twice: as CONSOLE
# lines on stderr (--enable-logging=stderr) and in the page's own
# "page-check" element, read back with --dump-dom after its load handler ran.
browser() {
	profile=$(mktemp -d "$tmp/chromium.XXXXXX")
	timeout -k 5 "$BROWSER_LIMIT_S" "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$profile" \
		--enable-logging=stderr --v=0 "$@"
}
# render HTML NAME: DOM in $tmp/NAME.dom, browser log in $tmp/NAME.log.
render() {
	browser --dump-dom "file://$1" > "$tmp/$2.dom" 2> "$tmp/$2.log"
}
# page_clean NAME: no console message and a page check of 0 errors with
# every picture drawn.
page_clean() {
	! grep -q 'CONSOLE' "$tmp/$1.log" &&
		grep -q 'id="page-check" data-errors="0"' "$tmp/$1.dom" &&
		awk 'match($0, /data-svg="[0-9]+ [0-9]+"/) {
			split(substr($0, RSTART + 10, RLENGTH - 11), n, " ")
			ok = n[1] > 0 && n[1] == n[2] } END { exit !ok }' "$tmp/$1.dom"
}
if [ ! -x "$CHROMIUM" ]; then
	not_ok "no $CHROMIUM (scripts/deps.sh check installs Debian's chromium)"
else
	if render "$report" report; then ok "chromium loads the report"; else
		not_ok "chromium failed on the report"; tail -n 5 "$tmp/report.log" | sed 's/^/# /'
	fi
	if page_clean report; then
		ok "the report renders without console errors, every picture drawn ($(grep -o 'page check: [^<]*' "$tmp/report.dom" | head -n 1))"
	else
		not_ok "the report has console errors or undrawn pictures:"
		grep CONSOLE "$tmp/report.log" | head -n 5 | sed 's/^/# /'
		grep -o 'page check: [^<]*' "$tmp/report.dom" | sed 's/^/# /'
	fi
	missing=$(missing_runs "$tmp/report.dom")
	check "every run appears in the rendered page${missing:+ (missing:$missing)}" [ -z "$missing" ]
	# The detector itself: a page with a broken script must not pass.
	sed 's|</body>|<script>rkvalNoSuchFunction();</script></body>|' "$report" > "$tmp/broken.html"
	render "$tmp/broken.html" broken
	if page_clean broken; then
		not_ok "a report with a script error passes the console check (the check is blind)"
	else
		ok "a report with a script error is caught by the console check"
	fi
	browser --window-size=1400,2400 --screenshot="$tmp/report.png" "file://$report" \
		> /dev/null 2> "$tmp/shot.log"
	size=$(wc -c < "$tmp/report.png" 2> /dev/null || echo 0)
	magic=$(od -An -c -N4 "$tmp/report.png" 2> /dev/null | tr -d ' ')
	if [ "$magic" = '211PNG' ] && [ "$size" -ge "$MIN_SCREENSHOT_BYTES" ]; then
		ok "screenshot of the report: a $size-byte PNG"
		mkdir -p build/check
		cp "$report" build/check/results-report.html
		cp "$tmp/report.png" build/check/results-report.png
	else
		not_ok "no real screenshot (magic '$magic', $size bytes)"
	fi
fi

# --- the command is POSIX sh, and runs with busybox's tools too --------------
# On a board there may be nothing but busybox: its sh, awk, sort (no -V),
# sed.  The views must read the same there.
if command -v busybox > /dev/null 2>&1; then
	mkdir "$tmp/bb"
	for a in awk sed sort cut grep tr head cat sha256sum mktemp cp mv mkdir rm dirname; do
		ln -s "$(command -v busybox)" "$tmp/bb/$a"
	done
	for view in "compare vnpu-rk3588/next vnpu-rk3588/mainline" \
		"matrix --board vnpu-rk3588" "flakes" "expect vnpu-rk3588/mainline"; do
		# shellcheck disable=SC2086 # the view is words
		results $view > "$tmp/view.sh" 2>&1
		# shellcheck disable=SC2086
		PATH=$tmp/bb:$PATH busybox sh tools/rkval-results --store "$store" $view \
			> "$tmp/view.bb" 2>&1
		check "busybox sh and tools: the same '$view'" cmp -s "$tmp/view.sh" "$tmp/view.bb"
	done
	cp -R "$tmp/rk3588-next" "$tmp/bb-run"
	sed -i 's/^start: .*/start: 2026-01-02T00:00:00Z/' "$tmp/bb-run/metadata.txt"
	PATH=$tmp/bb:$PATH busybox sh tools/rkval-results --store "$tmp/bb-store" \
		import "$tmp/bb-run" > "$tmp/bb.out" 2>&1
	has "busybox sh and tools: import" "^imported [0-9a-f]{12} as runs/vnpu-rk3588/next/" "$tmp/bb.out"
else
	skip "busybox not installed (scripts/deps.sh check installs busybox-static)"
fi
check "shellcheck -s sh tools/rkval-results" shellcheck -s sh tools/rkval-results

tap_plan
tap_exit
