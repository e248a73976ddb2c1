#!/bin/sh
# vnpu-regs-doc.sh — docs/vnpu.md's register tables are the ones vnpu's
# register files print (build/<arch>/unit/vnpu_regs_doc --markdown: one
# row per register with behaviour, its offset and name from the register
# description, access, reset and side effect from vnpu's access-info
# tables, source from the description).
#
# A table in the docs that differs from the printed one fails (the docs
# must not lie); VNPU_REGS_DOC_WRITE=1 writes the printed tables between
# the vnpu-regs markers instead.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host),
# VNPU_REGS_DOC_WRITE=1.
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
doc=docs/vnpu.md
prog=$build/unit/vnpu_regs_doc
begin_marker='<!-- vnpu-regs:begin (selftests/vnpu-regs-doc.sh writes these tables) -->'
end_marker='<!-- vnpu-regs:end -->'

# between FILE: the lines strictly between the markers.
between() {
	awk -v b="$begin_marker" -v e="$end_marker" '
		$0 == e { inside = 0 }
		inside { print }
		$0 == b { inside = 1 }' "$1"
}

# splice FILE TABLE: FILE with TABLE's lines between the markers.
splice() {
	awk -v b="$begin_marker" -v e="$end_marker" -v t="$2" '
		$0 == e { skip = 0 }
		!skip { print }
		$0 == b {
			skip = 1
			while ((getline line < t) > 0)
				print line
		}' "$1"
}

markers=$(grep -c -x -F -e "$begin_marker" -e "$end_marker" "$doc")
if [ "$markers" = 2 ]; then
	ok "$doc has one pair of vnpu-regs markers"
else
	not_ok "$doc has one pair of vnpu-regs markers (found $markers marker lines)"
	tap_plan
	tap_exit
fi

# shellcheck disable=SC2086 # exec_prefix is empty or one word
if $exec_prefix "$prog" --markdown > "$tmp/tables.md" && [ -s "$tmp/tables.md" ]; then
	ok "vnpu_regs_doc --markdown prints the tables"
else
	not_ok "vnpu_regs_doc --markdown prints the tables ($prog built?)"
fi

if [ "${VNPU_REGS_DOC_WRITE:-0}" = 1 ]; then
	{ echo; cat "$tmp/tables.md"; echo; } > "$tmp/block.md"
	splice "$doc" "$tmp/block.md" > "$tmp/doc.md" && cp "$tmp/doc.md" "$doc"
	echo "# wrote the register tables into $doc"
fi

between "$doc" | sed -e '1{/^$/d;}' -e '${/^$/d;}' > "$tmp/committed.md"
if diff -u "$tmp/committed.md" "$tmp/tables.md" > "$tmp/diff"; then
	ok "$doc's register tables are vnpu's"
else
	sed -e 's/^/# /' "$tmp/diff" | head -30
	not_ok "$doc's register tables are vnpu's (stale: VNPU_REGS_DOC_WRITE=1 rewrites them)"
fi

tap_plan
tap_exit
