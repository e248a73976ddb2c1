#!/bin/sh
# coverage.sh — rkval's own line and function coverage (`make coverage`).
#
# Builds rkval with --coverage in build/<arch>-cov, runs make check's tests
# against that build (the unit programs, the selftests/*.sh scripts that
# run the built binaries, and the suite on vnpu:rk3568 and vnpu:rk3588),
# then asks gcovr (Debian's gcovr) for the figures: a table per directory
# on stdout and an HTML page, build/coverage/index.html.  The totals must
# not fall below scripts/coverage-floor.txt ("lines: P" and "functions: P",
# percent); raise the floor when coverage goes up, never lower it.
#
# The tests' own results do not matter here (make check judges them); a
# test that fails still contributes what it ran.
#
# Exit: 0 at or above the floor, 1 below it, 2 the build or gcovr failed.
set -u
cd "$(dirname "$0")/.." || exit 2

host_arch=$(uname -m | sed -e 's/aarch64/arm64/')
build=build/$host_arch-cov
out=build/coverage
floor_file=scripts/coverage-floor.txt
# Scripts that do not run the instrumented build (they build their own
# fixtures, another build, or only read sources), and check.sh itself.
# results.sh exercises the results scripts, not C code, with six suite
# runs the two below already count.
SKIP_SCRIPTS="check.sh patch-cov.sh sanitize.sh lava.sh coverage.sh install.sh arm64-host.sh static-analysis.sh results.sh"
# Per-script limit, as make check's (selftests/check.sh).
STEP_TIMEOUT_S=600

if ! make -j2 --no-print-directory COVERAGE=1 all > "$build.log" 2>&1; then
	echo "coverage: the instrumented build failed (log: $build.log)" >&2
	tail -n 20 "$build.log" >&2
	exit 2
fi
# Counters add up across runs: start from zero.
find "$build" -name '*.gcda' -exec rm -f {} +
# the runner's executor of the instrumented build, for every rkval-run below
RKVAL_EXEC=$build/runner/rkval-exec
export RKVAL_EXEC
rm -rf "$out"
mkdir -p "$out/logs"

for t in "$build"/unit/*; do
	[ -x "$t" ] || continue
	timeout -k 10 "$STEP_TIMEOUT_S" "$t" > "$out/logs/unit-$(basename "$t").log" 2>&1
done
for s in selftests/*.sh; do
	name=$(basename "$s")
	case " $SKIP_SCRIPTS " in *" $name "*) continue ;; esac
	BUILD_DIR=$build EXEC='' timeout -k 10 "$STEP_TIMEOUT_S" sh "$s" \
		> "$out/logs/$name.log" 2>&1
done
for soc in rk3568 rk3588; do
	timeout -k 10 "$STEP_TIMEOUT_S" sh runner/rkval-run --bin-dir "$build/tests" \
		--list testlists/all.testlist --device "vnpu:$soc" \
		--results "$out/suite-$soc" > "$out/logs/suite-$soc.log" 2>&1
done

# The product only: not the self-test programs, fixtures or benchmarks.
if ! gcovr --root . --object-directory "$build" \
	--exclude 'selftests/' --exclude 'bench/' \
	--json-summary "$out/summary.json" \
	--html-details "$out/index.html" > "$out/logs/gcovr.log" 2>&1; then
	echo "coverage: gcovr failed (log: $out/logs/gcovr.log)" >&2
	exit 2
fi

# One row per directory, then the total.
printf '%-22s %16s %16s\n' directory lines functions
jq -r '.files[] | [.filename, .line_covered, .line_total,
		.function_covered, .function_total] | @tsv' "$out/summary.json" |
awk -F '\t' '
	function pct(c, t) { return t ? sprintf("%5.1f%%", 100 * c / t) : "   -  " }
	{
		d = $1; sub(/\/[^\/]*$/, "", d)
		if (!(d in lt)) order[++n] = d
		lc[d] += $2; lt[d] += $3; fc[d] += $4; ft[d] += $5
	}
	END {
		for (i = 1; i <= n; i++) sorted[i] = order[i]
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) {
				t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t
			}
		for (i = 1; i <= n; i++) {
			d = sorted[i]
			printf "%-22s %6s %9s %6s %9s\n", d, pct(lc[d], lt[d]), \
				lc[d] "/" lt[d], pct(fc[d], ft[d]), fc[d] "/" ft[d]
			tlc += lc[d]; tlt += lt[d]; tfc += fc[d]; tft += ft[d]
		}
		printf "%-22s %6s %9s %6s %9s\n", "total", pct(tlc, tlt), \
			tlc "/" tlt, pct(tfc, tft), tfc "/" tft
	}'
lines=$(jq -r '.line_percent' "$out/summary.json")
functions=$(jq -r '.function_percent' "$out/summary.json")
echo "coverage: HTML report in $out/index.html"

floor_lines=$(sed -n -e 's/^lines: *\([0-9.]*\).*/\1/p' "$floor_file")
floor_functions=$(sed -n -e 's/^functions: *\([0-9.]*\).*/\1/p' "$floor_file")
if [ -z "$floor_lines" ] || [ -z "$floor_functions" ]; then
	echo "coverage: $floor_file: needs 'lines: P' and 'functions: P' lines" >&2
	exit 2
fi
below=$(awk -v l="$lines" -v f="$functions" -v fl="$floor_lines" -v ff="$floor_functions" \
	'BEGIN { print (l < fl || f < ff) ? 1 : 0 }')
if [ "$below" -eq 1 ]; then
	echo "coverage: below the floor: lines $lines% (floor $floor_lines%), functions $functions% (floor $floor_functions%)" >&2
	exit 1
fi
echo "coverage: at or above the floor (lines $floor_lines%, functions $floor_functions%)"
