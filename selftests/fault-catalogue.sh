#!/bin/sh
# fault-catalogue.sh — vnpu's hardware faults are one catalogue
# (lib/vnpu/vnpu_faults.c) and everything that lists them follows it.
#
# Checks:
#   - tools/rkval-vnpu-faults prints the catalogue, and refuses an
#     unknown fault, SoC or command;
#   - every fault has a name, a hypothesis, a hook and a stage per SoC;
#   - every hook the catalogue names is true: the file it names asks for
#     that fault with vnpu_fault() / pl_fault(), and no other place does
#     with a name string;
#   - vnpu's boot refuses an unknown RKVAL_VNPU_FAULTS word and lists
#     every catalogued name as valid;
#   - the tables in docs/vnpu.md ("Hardware faults") and README.md ("Fault
#     matrix") are the ones the tool prints: stale is a failure,
#     FAULT_CATALOGUE_WRITE=1 rewrites them between the fault-catalogue
#     markers.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
write_docs=${FAULT_CATALOGUE_WRITE:-0}
catalogue=lib/vnpu/vnpu_faults.c
tool=$build/tools/rkval-vnpu-faults
begin_marker='<!-- fault-catalogue:begin (selftests/fault-catalogue.sh writes this table) -->'
end_marker='<!-- fault-catalogue:end -->'

# faults TOOL-ARGS...: run the tool (through the wrapper, if any).
faults() {
	# shellcheck disable=SC2086 # the wrapper may be empty
	$exec_prefix "$tool" "$@"
}

if [ ! -x "$tool" ]; then
	not_ok "$tool is built"
	tap_plan
	tap_exit
fi

names=$(faults names)
check "the catalogue names faults" [ -n "$names" ]
check "no fault name twice" \
	[ "$(echo "$names" | sort | uniq -d)" = "" ]
for f in $names; do
	case $f in
	*[!a-z0-9-]*) not_ok "fault name $f is lower-case words and dashes" ;;
	*) ok "fault name $f is lower-case words and dashes" ;;
	esac
	for soc in rk3568 rk3588; do
		stage=$(faults stage "$f" "$soc")
		if [ -n "$stage" ] &&
		   { [ "$stage" = - ] || grep -q "\"$stage\"" lib/harness/verdict.c; }; then
			ok "$f on $soc: expected stage $stage is a verdict stage"
		else
			not_ok "$f on $soc: expected stage \"$stage\" is not in lib/harness/verdict.c"
		fi
	done
done
faults stage no-such-fault > /dev/null 2>&1
check "an unknown fault is refused (exit 1)" [ $? -eq 1 ]
faults stage "$(echo "$names" | head -n 1)" rk9999 > /dev/null 2>&1
check "an unknown SoC is refused (exit 1)" [ $? -eq 1 ]
faults frobnicate > /dev/null 2>&1
check "an unknown command is a usage error (exit 2)" [ $? -eq 2 ]

# catalogue_rows: "ENUM NAME HOOK-FILES" per row of the catalogue source,
# HOOK-FILES the files its .hook names (relative to lib/vnpu/).
awk '
	/^\t\[VNPU_FAULT_[A-Z0-9_]*\] = \{/ {
		e = $1; gsub(/[][]/, "", e); name = ""; hook = ""
	}
	/^\t\t\.name = "/ { name = $0; sub(/^[^"]*"/, "", name); sub(/".*/, "", name) }
	/^\t\t\.hook = "/ {
		h = $0; sub(/^[^"]*"/, "", h); sub(/".*/, "", h)
		n = split(h, parts, /; */); hook = ""
		for (i = 1; i <= n; i++) { f = parts[i]; sub(/:.*/, "", f); hook = hook " " f }
	}
	/^\t},/ && e != "" { print e, name, hook; e = "" }' "$catalogue" > "$tmp/rows"
check "the catalogue source has a row per fault the tool prints" \
	[ "$(awk '{ print $2 }' "$tmp/rows")" = "$names" ]
while read -r enum name files; do
	if [ -z "$files" ]; then
		not_ok "$name: the catalogue names no hook"
		continue
	fi
	for f in $files; do
		if grep -Eq "(vnpu_fault|pl_fault)\([^,]*, *$enum\)" "lib/vnpu/$f" 2>/dev/null; then
			ok "$name: hook lib/vnpu/$f asks for $enum"
		else
			not_ok "$name: the catalogue names lib/vnpu/$f, which never asks for $enum"
		fi
	done
	others=$(grep -rlE "(vnpu_fault|pl_fault)\([^,]*, *$enum\)" lib/vnpu | sed -e 's|^lib/vnpu/||' |
		while read -r used; do
			case " $files " in
			*" $used "*) ;;
			*) echo "$used" ;;
			esac
		done)
	check "$name: no hook outside the catalogue's list${others:+ (also in: $others)}" [ -z "$others" ]
done < "$tmp/rows"
check "no fault is looked up by name in the model" \
	[ -z "$(grep -rnE '(vnpu_fault|pl_fault)[a-z_]*\([^)]*"' lib/vnpu)" ]

# shellcheck disable=SC2086 # the wrapper may be empty
RKVAL_VNPU_FAULTS=no-such-fault $exec_prefix "$build/tests/rocket_basic" --device vnpu:rk3568 \
	--run-subtest open-close > "$tmp/boot.log" 2>&1
check "vnpu refuses an unknown fault at boot" \
	grep -q 'unknown fault "no-such-fault" in RKVAL_VNPU_FAULTS' "$tmp/boot.log"
for f in $names; do
	check "the refusal lists $f as valid" grep -q "valid: .*$f" "$tmp/boot.log"
done

# write_table FILE KIND: the lines between the markers must be the tool's table.
write_table() {
	file=$1
	if ! grep -qF "$begin_marker" "$file" || ! grep -qF "$end_marker" "$file"; then
		not_ok "$file has the fault-catalogue markers"
		return
	fi
	faults table "$2" > "$tmp/table.md"
	awk -v b="$begin_marker" -v e="$end_marker" -v t="$tmp/table.md" '
		$0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
		$0 == e { skip = 0 }
		!skip { print }' "$file" > "$tmp/new"
	if cmp -s "$tmp/new" "$file"; then
		ok "$file: fault catalogue table is current"
	elif [ "$write_docs" = 1 ]; then
		cat "$tmp/new" > "$file"
		ok "$file: fault catalogue table updated"
	else
		not_ok "$file: fault catalogue table is stale (update: FAULT_CATALOGUE_WRITE=1 sh selftests/fault-catalogue.sh)"
		diff "$file" "$tmp/new" | sed -e 's/^/# /'
	fi
}
write_table docs/vnpu.md vnpu
write_table README.md readme

tap_plan
tap_exit
