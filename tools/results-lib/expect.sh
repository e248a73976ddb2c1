# expect.sh — a run against its board's expectation files (POSIX sh,
# sourced by rkval-results).
#
# The files are drm-ci's (Linux drivers/gpu/drm/ci/xfails/, described in
# Documentation/gpu/automated_testing.rst), per board:
#   BOARD-fails.txt   "igt@BIN@SUBTEST,Result" — a known failure and how it fails
#   BOARD-flakes.txt  one regular expression per line — any result is accepted
#   BOARD-skips.txt   one regular expression per line — not expected to run
# "#" lines are comments (the reason, the bug).  drm-ci names omit "igt@";
# such names are read with it.  rkval's one addition: an optional third
# field on a fails line, the VERDICT stage the failure must have
# ("igt@npu_clocks@clocks-enabled-while-active,Fail,clock"), because for
# bring-up a failure that moved to another stage is news.
# Per kernel: BOARD@KERNEL-fails.txt (and -flakes, -skips) apply in
# addition when the run's kernel is KERNEL or starts with KERNEL followed
# by ".", "-" or "+" (BOARD@6.18-fails.txt covers 6.18.2 and 6.18-rc3).

# Variables cross the files of results-lib and rkval-results, which
# the linter checks one at a time.
# shellcheck disable=SC2034,SC2154

# Result words: drm-ci / deqp-runner spell them in CamelCase; rkval's own
# spellings are accepted too.
AWK_RESULT_WORDS='
function result_from_word(w,   l) {
	l = tolower(w)
	gsub(/_/, "-", l)
	if (l == "dmesgwarn") l = "dmesg-warn"
	if (l == "dmesgfail") l = "dmesg-fail"
	if (l == "notrun" || l == "not-run" || l == "missing") l = "notrun"
	return l
}
function result_word(r) {
	if (r == "dmesg-warn") return "DmesgWarn"
	if (r == "dmesg-fail") return "DmesgFail"
	if (r == "notrun") return "NotRun"
	return toupper(substr(r, 1, 1)) substr(r, 2)
}'

# expectation_files DIR BOARD KERNEL KIND: the files that apply, one a line.
expectation_files()
{
	[ -f "$1/$2-$4.txt" ] && printf '%s\n' "$1/$2-$4.txt"
	for f in "$1/$2@"*"-$4.txt"; do
		[ -f "$f" ] || continue
		k=${f##*/}; k=${k#"$2@"}; k=${k%"-$4.txt"}
		case $3 in
		"$k" | "$k".* | "$k"-* | "$k"+*) printf '%s\n' "$f" ;;
		esac
	done
	return 0
}

# read_expectations KIND FILE...: "KIND<TAB>FILE<TAB>LINE<TAB>NAME-OR-RE
# <TAB>RESULT<TAB>STAGE<TAB>COMMENT" per entry; the first malformed line
# is an error naming its file and line.  COMMENT is the comment block
# right above the entry (kept when expectations are rewritten).
read_expectations()
{
	kind=$1
	shift
	[ $# -gt 0 ] || return 0
	awk -v prog="$prog" -v kind="$kind" "$AWK_CLASSES$AWK_RESULT_WORDS"'
	FNR == 1 { comment = "" }
	{ sub(/\r$/, ""); sub(/[ \t]+$/, "") }
	/^#/ { comment = comment (comment == "" ? "" : "\\n") $0; next }
	/^$/ { comment = ""; next }
	{
		if (kind == "fails") {
			if ($0 !~ /^[A-Za-z0-9_@*.-]+,[A-Za-z_-]+(,[a-z0-9-]+)?$/) {
				err = "malformed expectations line \"" $0 "\" (expected igt@BIN@SUBTEST,Result[,stage])"
				exit 1
			}
			n = split($0, f, ",")
			name = f[1]; if (name !~ /^(igt|runner)@/) name = "igt@" name
			r = result_from_word(f[2])
			if (!known_result(r)) {
				err = "unknown result \"" f[2] "\" (Fail, Crash, Timeout, Incomplete, Abort, DmesgFail, Warn, DmesgWarn, Skip, NotRun, Pass)"
				exit 1
			}
			if (dup[name]++) {
				err = "second line for " name
				exit 1
			}
			stage = n == 3 ? f[3] : "-"
		} else {
			if ($0 ~ /[ \t,]/) {
				err = "malformed expectations line \"" $0 "\" (expected one regular expression, no spaces or commas)"
				exit 1
			}
			name = $0; if (name !~ /^(\^|\(|igt@|runner@)/) name = "igt@" name
			r = "-"; stage = "-"
		}
		gsub(/\t/, " ", comment)
		print kind "\t" FILENAME "\t" FNR "\t" name "\t" r "\t" stage "\t" comment
		comment = ""
	}
	END {
		if (err != "") {
			printf "%s: %s:%d: %s\n", prog, FILENAME, FNR, err > "/dev/stderr"
			exit 1
		}
	}' "$@"
}

# check_regexes: the flakes and skips patterns of $tmp/expect.txt are valid
# extended regular expressions (grep -E says 2 otherwise).
check_regexes()
{
	awk -F '\t' '$1 != "fails" { print $2 "\t" $3 "\t" $4 }' "$tmp/expect.txt" |
	while IFS="$(printf '\t')" read -r file line re; do
		grep -E -e "$re" < /dev/null > /dev/null 2>&1
		[ $? -eq 2 ] && die_at "$file" "$line" "not a valid extended regular expression: $re"
	done
	return 0
}

# expect_run RUNDIR EXPDIR STRICT WRITEDIR PERKERNEL: the judgement; exit
# status 1 on an unexpected result.  With WRITEDIR, the run's failures go
# to WRITEDIR/BOARD-fails.txt, or BOARD@KERNEL-fails.txt with PERKERNEL.
expect_run()
{
	run=$1 expdir=$2 strict=$3 writedir=$4 perkernel=$5
	board=$(meta_value "$run/run.txt" board)
	kernel=$(meta_value "$run/run.txt" kernel)
	[ -d "$expdir" ] || die "$expdir: no such expectations directory"
	: > "$tmp/expect.txt"
	for kind in fails flakes skips; do
		files=$(expectation_files "$expdir" "$board" "$kernel" "$kind")
		[ -n "$files" ] || continue
		# shellcheck disable=SC2086 # one word per file (no spaces in keys)
		read_expectations "$kind" $files >> "$tmp/expect.txt" || exit "$EXIT_INPUT"
	done
	check_regexes || exit "$EXIT_INPUT"
	used=$(cut -f2 "$tmp/expect.txt" | sort -u | tr '\n' ' ')
	printf 'run: %s\n' "$(run_label "$run")"
	printf 'expectations: %s\n' "${used:-none for $board in $expdir}"
	awk -F '\t' -v strict="$strict" -v writedir="$writedir" -v board="$board" -v perkernel="$perkernel" \
		-v runid="$(meta_value "$run/run.txt" id)" -v kernel="$kernel" \
		-v date="$(meta_value "$run/run.txt" date)" \
		"$AWK_CLASSES$AWK_RESULT_WORDS"'
	function matches(name, re) { return name ~ ("^(" re ")$") }
	function listed(kind, name,   i) {
		for (i = 1; i <= nre[kind]; i++)
			if (matches(name, re[kind, i])) return 1
		return 0
	}
	function say(what, text) { printf "%-20s %s\n", what, text; count[what]++ }
	FILENAME == ARGV[1] {
		if ($1 == "fails") {
			fr[$4] = $5; fs[$4] = $6; fwhere[$4] = $2 ":" $3; fcomment[$4] = $7
			forder[++nf] = $4
		} else {
			re[$1, ++nre[$1]] = $4
		}
		next
	}
	{
		name = $1; r = $2; stage = $4; order[++nrun] = name; ran[name] = 1
		res[name] = r; stg[name] = stage; verdict = $5 == "-" ? "" : " VERDICT: " $5
		c = result_class(r)
		if (listed("skips", name)) {
			if (c != "skip") say("listed in skips", name ": " r " (it ran)")
			else count["skipped as listed"]++
			next
		}
		if (listed("flakes", name)) {
			say("flake", name ": " r verdict)
			next
		}
		if (name in fr) {
			if (r == fr[name] && (fs[name] == "-" || fs[name] == stage)) {
				count["expected failure"]++
				next
			}
			if (c == "pass")
				say("unexpected pass", name ": " r ", expected " result_word(fr[name]) \
				    " (" fwhere[name] "): remove the line")
			else
				say("unexpected result", name ": " r (stage != "-" ? "," stage : "") \
				    ", expected " result_word(fr[name]) (fs[name] != "-" ? "," fs[name] : "") \
				    " (" fwhere[name] ")" verdict)
			next
		}
		if (c == "fail")
			say("unexpected failure", name ": " r verdict)
	}
	END {
		for (i = 1; i <= nf; i++)
			if (!(forder[i] in ran))
				say("stale expectation", forder[i] " (" fwhere[forder[i]] "): not in this run")
		printf "summary: %d unexpected failures, %d unexpected results, %d unexpected passes, " \
			"%d expected failures, %d flakes, %d skipped as listed, %d stale\n",
			count["unexpected failure"], count["unexpected result"],
			count["unexpected pass"], count["expected failure"], count["flake"],
			count["skipped as listed"], count["stale expectation"]
		if (writedir != "") {
			out = writedir "/" board (perkernel ? "@" kernel : "") "-fails.txt"
			print "# Expected failures on " board (perkernel ? " with kernel " kernel : "") \
				", written by rkval-results expect --write" > out
			print "# from run " runid " (kernel " kernel ", " date ")." > out
			for (i = 1; i <= nrun; i++) {
				n = order[i]
				if (result_class(res[n]) != "fail" || listed("skips", n) || listed("flakes", n))
					continue
				print "" > out
				if (n in fcomment && fcomment[n] != "") {
					cm = fcomment[n]; gsub(/\\n/, "\n", cm); print cm > out
				} else
					print "# new in run " runid > out
				print n "," result_word(res[n]) (stg[n] != "-" ? "," stg[n] : "") > out
			}
			close(out)
			print "wrote " out
		}
		bad = count["unexpected failure"] + count["unexpected result"]
		if (strict) bad += count["unexpected pass"] + count["listed in skips"]
		exit bad ? 1 : 0
	}' "$tmp/expect.txt" "$run/results.txt"
}
