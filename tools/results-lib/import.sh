# import.sh — check one rkval-run results directory and turn it into a
# store run (POSIX sh, sourced by rkval-results).
#
# Input: the layout of docs/results.md (metadata.txt, summary.txt,
# joblist.txt, NNN-NAME/result.txt and out.txt), written by rkval-run on a
# board or on vnpu, or by lava-jobs/collect from a LAVA job (metadata with
# `source:`).  Output: the run files of docs/results-store.md.  Anything
# that does not look like that layout is refused with the file and line,
# never half-imported.

# Variables cross the files of results-lib and rkval-results, which
# the linter checks one at a time.
# shellcheck disable=SC2034,SC2154

# meta_value FILE KEY: the first "KEY: value" of a metadata file.
meta_value()
{
	sed -n "s/^$2: //p" "$1" | head -n 1
}

# meta_last FILE KEY: the last "KEY: value": metadata.txt is appended to
# as the run goes, and a resumed run (rkval-run --resume) closes again.
meta_last()
{
	sed -n "s/^$2: //p" "$1" | tail -n 1
}

# check_metadata FILE: every line is "key: value" (no other format has
# ever been written there, so anything else is a corrupt or foreign file).
check_metadata()
{
	bad=$(awk '!/^[a-z][a-z0-9-]*: ?/ { print FNR ": " $0; exit }' "$1")
	[ -z "$bad" ] || die_at "$1" "${bad%%:*}" \
		"not a 'key: value' line (corrupt, or not written by rkval-run): ${bad#*: }"
}

# parse_summary FILE: summary.txt to results.txt lines
# "NAME<TAB>RESULT<TAB>SECONDS<TAB>STAGE<TAB>VERDICT" on stdout; the first
# line that is not "RESULT NAME (T s)[ VERDICT: ...]" is an error naming
# it.  Older layouts ("NAME: RESULT", no times) fail here.
parse_summary()
{
	awk -v prog="$prog" -v file="$1" "$AWK_CLASSES"'
	{
		line = $0
		if (!match(line, /^[a-z-]+ [^ ]+ \([0-9]+(\.[0-9]+)? s\)/)) {
			bad = "not \"RESULT NAME (T s) [VERDICT: ...]\" (older or foreign results format?)"
			exit 1
		}
		head = substr(line, 1, RLENGTH); rest = substr(line, RLENGTH + 1)
		split(head, w, " ")
		if (!known_result(w[1])) {
			bad = "unknown result \"" w[1] "\""
			exit 1
		}
		if (seen[w[2]]++) {
			bad = "second result for " w[2] " (corrupt summary)"
			exit 1
		}
		t = w[3]; sub(/^\(/, "", t)
		stage = "-"; verdict = "-"
		if (rest != "") {
			if (rest !~ /^ VERDICT: [a-z0-9-]+/) {
				bad = "text after the time is not \" VERDICT: stage facts\""
				exit 1
			}
			verdict = substr(rest, 11)
			stage = verdict; sub(/ .*/, "", stage)
		}
		gsub(/\t/, " ", verdict)
		print w[2] "\t" w[1] "\t" t "\t" stage "\t" verdict
	}
	END {
		if (bad != "") {
			printf "%s: %s:%d: %s\n", prog, file, NR, bad > "/dev/stderr"
			exit 1
		}
	}' "$1"
}

# check_subtest_dirs SRC RESULTS: each NNN-BIN@SUB/result.txt agrees with
# summary.txt (the runner appends result.txt first, summary.txt after).
check_subtest_dirs()
{
	for f in "$1"/[0-9]*/result.txt; do
		[ -e "$f" ] || return 0
		break
	done
	awk -F '\t' -v prog="$prog" '
		FILENAME == ARGV[1] { want[$1] = $2; next }
		FNR == 1 {
			d = FILENAME; sub(/\/result\.txt$/, "", d); sub(/.*\//, "", d)
			name = d; sub(/^[0-9]+-/, "", name); name = "igt@" name
			if ((name in want) && want[name] != $1) {
				printf "%s: %s:1: result \"%s\" but summary.txt says \"%s\" (corrupt run)\n",
					prog, FILENAME, $1, want[name] > "/dev/stderr"
				exit 1
			}
		}' "$2" "$1"/[0-9]*/result.txt
}

# parse_accuracy SRC: rocket_conv's per-shape comparison lines
# (tests/accel/rocket_conv.c print_stats(), lib/npu/ref_compare.c
# npu_compare_summary()) to accuracy.txt lines
# "SUBTEST<TAB>SHAPE<TAB>TOTAL<TAB>WITHIN<TAB>TOLERANCE<TAB>MAX-ERR<TAB>HIST
# <TAB>MEAN", HIST being "floor:count" pairs of the |err| histogram and MEAN
# the mean signed error over the unsaturated elements (npu_compare_stats_line()'s
# "over N unsaturated elements" line; "-" from binaries that lack it).
# Other indented lines of a shape (mismatch samples) are skipped.
parse_accuracy()
{
	for f in "$1"/[0-9]*-rocket_conv@*/out.txt; do
		[ -e "$f" ] || return 0
		break
	done
	awk '
	function flush() {
		if (shape != "")
			print sub_name "\t" shape "\t" total "\t" within "\t" tol "\t" maxerr "\t" hist "\t" mean
		shape = ""
	}
	FNR == 1 {
		flush()
		d = FILENAME; sub(/\/out\.txt$/, "", d); sub(/.*\//, "", d)
		sub(/^[0-9]+-/, "", d); sub_name = "igt@" d
	}
	/^[a-z0-9-]+: [0-9]+\/[0-9]+ exact, [0-9]+\/[0-9]+ within -?[0-9]+, max \|err\| [0-9]+/ {
		flush()
		shape = $1; sub(/:$/, "", shape)
		split($2, e, "/"); total = e[2]
		split($4, wt, "/"); within = wt[1]
		tol = $6; sub(/,$/, "", tol)
		maxerr = $9; sub(/,.*/, "", maxerr)
		hist = ""; mean = "-"
		next
	}
	shape != "" && /^  over [0-9]+ unsaturated elements: mean signed error [-+]?[0-9.]+ LSB/ {
		mean = $8
		next
	}
	shape != "" && /^  \|err\| >= [0-9]+: [0-9]+$/ {
		f = $3; sub(/:$/, "", f)
		hist = hist (hist == "" ? "" : " ") f ":" $4
		next
	}
	shape != "" && /^  / { next }
	shape != "" { flush() }
	END { flush() }' "$1"/[0-9]*-rocket_conv@*/out.txt
}

# sanitize_key TEXT: a store key (a path component): [A-Za-z0-9._+-].
sanitize_key()
{
	printf '%s\n' "$1" | tr -c 'A-Za-z0-9._+\n-' '-'
}

# normalize_run SRC DEST: check SRC, write the run files into the new
# directory DEST; print the run's id.  Uses $opt_board, $opt_kernel,
# $opt_partial.
normalize_run()
{
	src=$1 dest=$2
	[ -d "$src" ] || die "$src: no such results directory"
	[ -f "$src/metadata.txt" ] ||
		die "$src: no metadata.txt: not an rkval-run results directory (or an older format)"
	[ -f "$src/summary.txt" ] ||
		die "$src: no summary.txt: not an rkval-run results directory (or an older format)"
	check_metadata "$src/metadata.txt"
	runner=$(meta_value "$src/metadata.txt" runner)
	source=$(meta_value "$src/metadata.txt" source)
	[ -n "$runner$source" ] ||
		die "$src/metadata.txt: neither 'runner:' nor 'source:': not written by rkval-run or lava-jobs/collect"
	totals=$(meta_last "$src/metadata.txt" totals)
	partial=no
	if [ -z "$totals" ]; then
		[ "$opt_partial" = yes ] ||
			die "$src/metadata.txt: no 'totals:' line: a partial run (the runner or the machine stopped before the end); --partial imports it anyway"
		partial=yes
	fi

	mkdir -p "$dest" || exit "$EXIT_INPUT"
	parse_summary "$src/summary.txt" > "$dest/results.txt" || exit "$EXIT_INPUT"
	[ -s "$dest/results.txt" ] || [ "$partial" = yes ] ||
		die "$src/summary.txt: empty, but metadata.txt says the run ended (corrupt run)"
	if [ -f "$src/joblist.txt" ] && [ "$partial" = no ]; then
		jobs=$(grep -c . "$src/joblist.txt")
		done_n=$(grep -c . "$dest/results.txt")
		[ "$jobs" -eq "$done_n" ] ||
			die "$src/summary.txt: $done_n results, but joblist.txt lists $jobs subtests and the run ended (corrupt run)"
	fi
	if [ "$partial" = no ]; then
		counted=$(awk -F '\t' "$AWK_CLASSES"'
			{ c[result_class($2)]++ }
			END { printf "%d passed, %d failed, %d skipped\n", c["pass"], c["fail"], c["skip"] }' \
			"$dest/results.txt")
		counted_old=$(awk -F '\t' "$AWK_CLASSES"'
			{ c[result_class_before_v2($2)]++ }
			END { printf "%d passed, %d failed, %d skipped\n", c["pass"], c["fail"], c["skip"] }' \
			"$dest/results.txt")
		[ "$counted" = "$totals" ] || [ "$counted_old" = "$totals" ] ||
			die "$src/metadata.txt: totals \"$totals\" but summary.txt counts \"$counted\" (corrupt run)"
	fi
	check_subtest_dirs "$src" "$dest/results.txt" || exit "$EXIT_INPUT"
	parse_accuracy "$src" > "$dest/accuracy.txt"

	# What ran, on what: the binaries' own lines are authoritative.
	backend=$(meta_value "$src/metadata.txt" backend)
	backend=${backend#Backend: }
	device=$(meta_value "$src/metadata.txt" device)
	igt_version=$(cat "$src"/[0-9]*/out.txt 2>/dev/null | sed -n 's/^IGT-Version: //p' | head -n 1)
	board_line=$(cat "$src"/[0-9]*-rocket_basic@soc-identify/out.txt 2>/dev/null |
		sed -n 's/^board \([^ ,]*,[^ ,]*\), soc [^ ]* (\([^)]*\)).*/\1 \2/p' | head -n 1)
	rkval=${igt_version%% *}
	uname_r=$(printf '%s\n' "$igt_version" | sed -n 's/.*(Linux: \([^ ]*\) .*/\1/p')
	# "uname: Linux HOST RELEASE ..." from rkval-run (uname -a);
	# lava-jobs/collect, when the board never sent it, writes
	# "uname: RELEASE (from the console)".
	[ -n "$uname_r" ] || uname_r=$(meta_value "$src/metadata.txt" uname |
		awk '{ print $1 == "Linux" ? $3 : $1 }')
	faults=none
	case $backend in
	vnpu:*)
		soc=${backend#vnpu:}; soc=${soc%% *}
		board=vnpu-$soc
		kernel=$(printf '%s\n' "$backend" | sed -n 's/.* kernel=\([^ ]*\).*/\1/p')
		faults=$(printf '%s\n' "$backend" | sed -n 's/.* faults=\([^ ]*\).*/\1/p')
		[ -n "$faults" ] || faults=none
		[ "$faults" = none ] || kernel=$kernel+$faults
		;;
	*)
		board=$(meta_value "$src/metadata.txt" board)
		[ -n "$board" ] || board=${board_line%% *}
		kernel=$(meta_value "$src/metadata.txt" kernel)
		[ -n "$kernel" ] || kernel=$uname_r
		# No backend line at all (no binary started): vnpu runs still
		# say which SoC in the device spec.
		case $device in vnpu:*) [ -n "$board" ] || board=vnpu-${device#vnpu:} ;; esac
		;;
	esac
	[ -z "$opt_board" ] || board=$opt_board
	[ -z "$opt_kernel" ] || kernel=$opt_kernel
	[ -n "$board" ] ||
		die "$src: cannot tell the board (no vnpu backend, no 'board:' in metadata.txt, no rocket_basic@soc-identify output): give --board"
	[ -n "$kernel" ] ||
		die "$src: cannot tell the kernel (no vnpu profile, no 'kernel:' or uname in metadata.txt): give --kernel"
	[ -n "$rkval" ] || rkval=$(meta_value "$src/metadata.txt" rkval)
	[ -n "$rkval" ] || rkval=unknown
	start=$(meta_value "$src/metadata.txt" start)
	date=$(printf '%s\n' "$start" | tr -d ':-')
	[ -n "$date" ] || die "$src/metadata.txt: no 'start:' line (corrupt run)"
	id=$(cat "$src/metadata.txt" "$src/summary.txt" | sha256sum | cut -c1-12)

	{
		echo "format: $RUN_FORMAT"
		echo "id: $id"
		echo "board: $(sanitize_key "$board")"
		echo "kernel: $(sanitize_key "$kernel")"
		echo "rkval: $(sanitize_key "$rkval")"
		# IGT-Version is VERSION-SHA (the Makefile's GIT_SHA, 8 digits).
		echo "rkval-sha: $(printf '%s\n' "$rkval" | sed -n 's/.*-\([0-9a-f]\{7,\}\)$/\1/p')"
		echo "date: $date"
		echo "source: ${source:-$runner}"
		echo "backend: ${backend:-unknown}"
		echo "device: ${device:-unknown}"
		echo "faults: $faults"
		echo "uname-r: ${uname_r:-unknown}"
		echo "compatible: ${board_line:-unknown}"
		echo "totals: ${totals:-partial}"
		echo "partial: $partial"
	} > "$dest/run.txt"
	for f in metadata.txt summary.txt results.ktap; do
		[ -f "$src/$f" ] && cp "$src/$f" "$dest/$f"
	done
	# The coverage hook (docs/results-store.md): a later gcov tool leaves
	# these in the results directory; the report shows them.
	for f in coverage.html patch-coverage.txt; do
		[ -f "$src/$f" ] && cp "$src/$f" "$dest/$f"
	done
	printf '%s\n' "$id"
}
