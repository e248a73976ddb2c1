#!/bin/sh
# SPDX-License-Identifier: MIT
#
# selftests/runner-export.sh — results.json and junit.xml that other tools
# can read, checked by reading them back, under dash and busybox sh.
#
# results.json is read the way igt_runner's consumers read it (IGT
# runner/resultgen.c writes it; piglit's summary and IGT's CI dashboards
# read "tests", "totals" and "results_version"): every subtest of
# summary.txt is there with the same result, out/err/dmesg strings and a
# TimeAttribute, and the totals agree with a recount of "tests" done here.
# junit.xml must be well-formed (xmllint) and, parsed with python3's
# xml.etree, carry one testcase per subtest with the VERDICT line as the
# failure message, special characters intact.  Without jq the runner still
# writes junit.xml and says why results.json is missing.  TAP.

# SC2016: jq programs in single quotes; SC2089/SC2090: VERDICT holds
# quotes on purpose; SC2317: helpers called through check()
# shellcheck disable=SC2016,SC2089,SC2090,SC2317
cd "$(dirname "$0")/.." || exit 1
RUNNER=runner/rkval-run
FIXTURES=selftests/runner-fixtures

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh

bin=$tmp/bin
mkdir -p "$bin"
cp "$FIXTURES/fake-igt-test" "$bin/"
for s in pass-one fail-verdict skip-one crash-one warn-one dmesg-warn \
	backslash-verdict dyn-container@dyn-a dyn-container@no-such; do
	echo "igt@fake-igt-test@$s"
done >"$tmp/export.testlist"
NJOBS=9
VERDICT='VERDICT: stage a\nb \c cut <&"'"'"'>'
export VERDICT

# jq_true RESULTS EXPR: EXPR is true of RESULTS/results.json
jq_true()
{
	[ "$(jq -r "$2" "$1/results.json" 2>&1)" = true ] ||
		{ echo "# jq '$2' not true of $1/results.json" >&2; return 1; }
}

# summary_agrees RESULTS: each summary.txt line's result is the JSON's
summary_agrees()
{
	while read -r r name _; do
		got=$(jq -r --arg n "$name" '.tests[$n].result' "$1/results.json")
		[ "$got" = "$r" ] || { echo "# $name: summary $r, json $got" >&2; return 1; }
	done <"$1/summary.txt"
}

# junit_py RESULTS CODE: CODE (python3, root element `r`) exits 0
junit_py()
{
	python3 -c '
import os, sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
cases = r.findall(".//testcase")
'"$2" "$1/junit.xml"
}

have_tools=1
for t in jq xmllint python3; do
	command -v "$t" >/dev/null 2>&1 || { skip "$t not installed"; have_tools=0; }
done

for sh in dash "busybox sh"; do
	if ! command -v "${sh%% *}" >/dev/null 2>&1; then
		skip "$sh not installed"
		continue
	fi
	[ "$have_tools" = 1 ] || break
	tag=$(echo "$sh" | tr ' ' _)
	res=$tmp/$tag-run
	$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$tmp/export.testlist" \
		--device vnpu --timeout 5 >"$res.out" 2>"$res.err"

	check "$sh: results.json is JSON" jq_true "$res" 'type == "object"'
	check "$sh: ... a TestrunResult of results_version 10" jq_true "$res" \
		'.__type__ == "TestrunResult" and .results_version == 10'
	check "$sh: ... named after the results directory" jq_true "$res" \
		".name == \"${res##*/}\""
	check "$sh: ... every subtest once" jq_true "$res" ".tests | length == $NJOBS"
	check "$sh: ... each with summary.txt's result" summary_agrees "$res"
	check "$sh: ... each with out, err, dmesg strings and a TimeAttribute" jq_true "$res" \
		'[.tests[] | (.out|type) == "string" and (.err|type) == "string"
		  and (.dmesg|type) == "string" and .time.__type__ == "TimeAttribute"
		  and (.time.start|type) == "number" and (.time.end|type) == "number"]
		 | all'
	check "$sh: ... the subtest's stdout in out" jq_true "$res" \
		'.tests["igt@fake-igt-test@pass-one"].out | contains("pass-one runs")'
	check "$sh: ... igt-version from the binary's banner" jq_true "$res" \
		'.tests["igt@fake-igt-test@pass-one"]["igt-version"] | startswith("IGT-Version: ")'
	check "$sh: ... dmesg-warnings only where there were warnings" jq_true "$res" \
		'[.tests | to_entries[] | select(has("value") and (.value | has("dmesg-warnings")))
		  | .key] == ["igt@fake-igt-test@dmesg-warn"]'
	check "$sh: ... totals carry igt_runner's eleven result keys" jq_true "$res" \
		'.totals[""] | keys == (["abort","crash","dmesg-fail","dmesg-warn","fail",
		  "incomplete","notrun","pass","skip","timeout","warn"])'
	check "$sh: ... totals agree with a recount of tests (piglit-style summary)" jq_true "$res" \
		'(.tests | map(.result) | group_by(.) | map({(.[0]): length}) | add) as $c
		 | .totals[""] | to_entries | map(select(.value > 0)) | from_entries == $c'
	check "$sh: ... root and per-binary totals" jq_true "$res" \
		'.totals.root == .totals[""] and .totals["igt@fake-igt-test"] == .totals[""]'
	check "$sh: ... runtimes per binary add the subtest times" jq_true "$res" \
		'(.runtimes["igt@fake-igt-test"].time.end * 1000 | round)
		 == ([.tests[].time.end] | add * 1000 | round)'
	check "$sh: ... a VERDICT with special characters survives" jq_true "$res" \
		'.tests["igt@fake-igt-test@backslash-verdict"].out
		 | contains(env.VERDICT)'
	check "$sh: ... exactly igt_runner's top-level keys" jq_true "$res" \
		'keys == (["__type__","cmdline","name","results_version","runtimes",
		  "tests","time_elapsed","totals","uname"] | sort)'
	check "$sh: ... each test only igt_runner's per-test keys" jq_true "$res" \
		'[.tests[] | keys[]] | unique - ["dmesg","dmesg-warnings","err",
		  "igt-version","out","result","time"] == []'
	check "$sh: ... kernel-log records as igt_runner writes them, <L> [S.USEC] text" \
		jq_true "$res" '[.tests[] | .dmesg, (."dmesg-warnings" // "") | split("\n")[]
		  | select(. != "") | test("^<[0-7]> \\[[0-9]+\\.[0-9]{6}\\] ")] | all'
	check "$sh: ... the dmesg-warn subtest's warning among them" jq_true "$res" \
		'.tests["igt@fake-igt-test@dmesg-warn"]."dmesg-warnings"
		 | test("^<3> \\[0\\.[0-9]{6}\\] rocket fdab0000.npu: job timeout")'
	check "$sh: ... time_elapsed from the run's start and end" jq_true "$res" \
		'.time_elapsed.start > 1000000000 and .time_elapsed.end >= .time_elapsed.start'

	check "$sh: junit.xml is well-formed (xmllint)" xmllint --noout "$res/junit.xml"
	check "$sh: ... one testcase per subtest" junit_py "$res" \
		"sys.exit(len(cases) != $NJOBS)"
	check "$sh: ... the failure message is the VERDICT line, escaped and read back" junit_py "$res" \
		'f = [c for c in cases if c.get("name") == "backslash-verdict"][0].find("failure")
sys.exit(f is None or f.get("message") != os.environ["VERDICT"])'
	check "$sh: ... a failure without VERDICT names result and reason" junit_py "$res" \
		'f = [c for c in cases if c.get("name") == "dyn-container@no-such"][0].find("failure")
sys.exit(f is None or not f.get("message").startswith("fail: no dynamic subtest no-such"))'
	check "$sh: ... failures, skips and the counts agree with the closing line" junit_py "$res" \
		'nf = sum(c.find("failure") is not None for c in cases)
ns = sum(c.find("skipped") is not None for c in cases)
p, f, s = [int(w) for w in open(sys.argv[1].replace("/junit.xml", "") + ".out").read().split("\n")[-2].split()[0::2]]
sys.exit(not (nf == f and ns == s and int(r.get("failures")) == f and int(r.get("skipped")) == s
	      and len(cases) - nf - ns == p))'
	check "$sh: ... classname igt@BIN, name the subtest" junit_py "$res" \
		'sys.exit(not all(c.get("classname") == "igt@fake-igt-test" for c in cases))'

	# no jq (busybox boards): junit.xml still, results.json not, and why
	rm -f "$res/junit.xml"
	RKVAL_JQ=jq-not-here sh runner/rkval-export "$res" >"$res.nojq" 2>&1
	rc=$?
	check "$sh: without jq the export still succeeds" [ "$rc" = 0 ]
	check "$sh: ... writes junit.xml" xmllint --noout "$res/junit.xml"
	check "$sh: ... and no results.json (an older one is removed)" [ ! -e "$res/results.json" ]
	check "$sh: ... saying why" grep -q 'jq not found: no results.json' "$res.nojq"
done

# --- kernel-log lines converted exactly, each job's own (awk does it) ---
# Both record forms, their edge cases, and a job boundary, in a two-job
# results directory made by hand.
res=$tmp/kmsg
mkdir -p "$res"
printf 'start: 2026-01-01T00:00:00Z\n' >"$res/metadata.txt"
printf 'igt@fake-igt-test@a sub -\nigt@fake-igt-test@b sub -\n' >"$res/joblist.txt"
for d in 001-fake-igt-test@a 002-fake-igt-test@b; do
	mkdir -p "$res/$d"
	printf 'pass\ntime: 0.001\n' >"$res/$d/result.txt"
done
printf '%s\n' '14,5,1234567,-;[IGT] x: starting subtest a' \
	'4,6,99,-,extra;semicolons; kept' '6,1,2;not a record' '' \
	'<4>[   12.345678] rocket: warn' '<3>[1.000001]no space' \
	'<6>[ no closing bracket' 'rkval-run: a note of the runner' \
	>"$res/001-fake-igt-test@a/dmesg.txt"
printf '%s\n' '3,7,5,-;b only' >"$res/002-fake-igt-test@b/dmesg.txt"
printf '%s\n' '<4>[    1.000000] w' >"$res/002-fake-igt-test@b/dmesg-warnings.txt"
if command -v jq >/dev/null 2>&1; then
	sh runner/rkval-export "$res" >"$res.out" 2>&1
	check "export of hand-made kernel logs succeeds" [ -s "$res/results.json" ]
	check "... /dev/kmsg and dmesg -r records converted, a line without its bracket dropped" \
		jq_true "$res" '.tests["igt@fake-igt-test@a"].dmesg == "<6> [1.234567] [IGT] x: starting subtest a\n<4> [0.000099] semicolons; kept\n6,1,2;not a record\n\n<4> [12.345678] rocket: warn\n<3> [1.000001] no space\nrkval-run: a note of the runner\n"'
	check "... the next job has its own lines only, and its warnings" \
		jq_true "$res" '.tests["igt@fake-igt-test@b"] | .dmesg == "<3> [0.000005] b only\n" and ."dmesg-warnings" == "<4> [1.000000] w\n"'
	check "... no dmesg-warnings key where the file is missing" \
		jq_true "$res" '.tests["igt@fake-igt-test@a"] | has("dmesg-warnings") | not'
	check "... and no scratch file left" [ ! -e "$res/.export-kmsg" ]
else
	skip "kernel-log conversion: jq not installed"
fi

if command -v shellcheck >/dev/null 2>&1; then
	check "shellcheck -s sh selftests/runner-export.sh" \
		shellcheck -s sh selftests/runner-export.sh selftests/lib/tap.sh
else
	skip "shellcheck not installed"
fi

echo "# $((n - nfail)) of $n runner-export checks passed"
tap_exit
