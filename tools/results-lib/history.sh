# history.sh — the store's runs side by side: the matrix views and flake
# detection (POSIX sh, sourced by rkval-results).
#
# Every view reads one flat table built from the index and each run's
# results.txt, so that they agree on what a cell is: the result of a
# subtest on a (board, kernel) over every stored run of that pair.  Runs
# of the same pair that disagree make the cell flaky — that is measured
# from the history, never assumed.

# Variables cross the files of results-lib and rkval-results, which
# the linter checks one at a time.
# shellcheck disable=SC2034,SC2154

# history_table [BOARD]: $tmp/history.txt, one line per stored result:
# "ID<TAB>BOARD<TAB>KERNEL<TAB>DATE<TAB>NAME<TAB>RESULT<TAB>TIME<TAB>STAGE".
history_table()
{
	store_check
	awk -F '\t' -v prog="$prog" -v store="$store" -v only="${1:-}" '
	only == "" || $2 == only {
		f = store "/" $6 "/results.txt"
		# A partial run may have no result yet; a missing file is damage.
		got = (getline line < f)
		if (got < 0) {
			print prog ": " f ": missing (corrupt store: index.txt lists the run)" > "/dev/stderr"
			exit 1
		}
		while (got > 0) {
			split(line, r, "\t")
			print $1 "\t" $2 "\t" $3 "\t" $5 "\t" r[1] "\t" r[2] "\t" r[3] "\t" r[4]
			got = (getline line < f)
		}
		close(f)
	}' "$store/index.txt" > "$tmp/history.txt" || exit "$EXIT_INPUT"
	[ -s "$tmp/history.txt" ] || die "$store: no runs${1:+ of board $1}"
	cut -f3 "$tmp/history.txt" | sort -u | kernel_order > "$tmp/kernels.txt"
}

# AWK_CELLS: the cell of (row, kernel) over its runs: "result[:stage]",
# or "flaky(a N/b M)" when repeated runs disagree.
AWK_CELLS='
function cell_add(key, v) {
	if (!((key, v) in cnt)) { vals[key] = vals[key] (vals[key] == "" ? "" : " ") v; nv[key]++ }
	cnt[key, v]++
}
function cell(key,   i, n, parts, s) {
	if (!(key in nv)) return "-"
	n = split(vals[key], parts, " ")
	if (n == 1) return parts[1]
	s = ""
	for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") parts[i] " " cnt[key, parts[i]] "x"
	return "flaky(" s ")"
}
function value(r, stage) { return (stage != "-" && stage != "") ? r ":" stage : r }'

# matrix_board BOARD ALL: subtest x kernel for one board.  Without ALL,
# only rows whose cells differ between kernels (the interesting ones).
matrix_board()
{
	history_table "$1"
	awk -F '\t' -v all="$2" -v kernels="$(tr '\n' ' ' < "$tmp/kernels.txt")" "$AWK_CELLS"'
	{ if (!($5 in seen)) { seen[$5] = 1; rows[++nr] = $5 }; cell_add($5 SUBSEP $3, value($6, $8)) }
	END {
		nk = split(kernels, k, " ")
		w = 8
		for (i = 1; i <= nr; i++) if (length(rows[i]) > w) w = length(rows[i])
		cw = 14
		for (i = 1; i <= nr; i++) for (j = 1; j <= nk; j++)
			if (length(cell(rows[i] SUBSEP k[j])) > cw) cw = length(cell(rows[i] SUBSEP k[j]))
		printf "%-" w "s", "subtest"
		for (j = 1; j <= nk; j++) printf "  %-" cw "s", k[j]
		printf "  since\n"
		for (i = 1; i <= nr; i++) {
			same = 1; first = ""
			for (j = 1; j <= nk; j++) {
				c[j] = cell(rows[i] SUBSEP k[j])
				if (c[j] == "-") continue
				if (first == "") first = c[j]; else if (c[j] != first) same = 0
			}
			if (same && !all) continue
			# since: the first kernel of the run of equal cells that ends
			# the row — where the current behaviour started.  Kernels
			# only: a faulted run ("+fault") is another configuration
			# of its kernel, not a later version.
			ntl = 0
			for (j = 1; j <= nk; j++) if (k[j] !~ /\+/ && c[j] != "-") tl[++ntl] = j
			since = "-"
			if (ntl) {
				s = ntl
				while (s > 1 && c[tl[s - 1]] == c[tl[ntl]]) s--
				since = c[tl[ntl]] " since " k[tl[s]]
			}
			printf "%-" w "s", rows[i]
			for (j = 1; j <= nk; j++) printf "  %-" cw "s", c[j]
			printf "  %s\n", same ? "(all)" : since
			shown++
		}
		if (!shown) print "(every subtest has the same result on every kernel; --all lists them)"
	}' "$tmp/history.txt"
}

# matrix_subtest NAME: board x kernel for one subtest.
matrix_subtest()
{
	history_table ""
	grep -q "$(printf '\t')$1$(printf '\t')" "$tmp/history.txt" ||
		die "$1: no such subtest in $store (names look like igt@BIN@SUBTEST)"
	awk -F '\t' -v name="$1" -v kernels="$(tr '\n' ' ' < "$tmp/kernels.txt")" "$AWK_CELLS"'
	$5 == name {
		if (!($2 in seen)) { seen[$2] = 1; rows[++nr] = $2 }
		cell_add($2 SUBSEP $3, value($6, $8)); used[$3] = 1
	}
	END {
		nk0 = split(kernels, k0, " "); nk = 0
		for (j = 1; j <= nk0; j++) if (k0[j] in used) k[++nk] = k0[j]
		cw = 14
		for (i = 1; i <= nr; i++) for (j = 1; j <= nk; j++)
			if (length(cell(rows[i] SUBSEP k[j])) > cw) cw = length(cell(rows[i] SUBSEP k[j]))
		print name
		printf "%-16s", "board"
		for (j = 1; j <= nk; j++) printf "  %-" cw "s", k[j]
		printf "\n"
		for (i = 1; i <= nr; i++) {
			printf "%-16s", rows[i]
			for (j = 1; j <= nk; j++) printf "  %-" cw "s", cell(rows[i] SUBSEP k[j])
			printf "\n"
		}
	}' "$tmp/history.txt"
}

# flakes_report BOARD MINRUNS: drm-ci flakes.txt entries, with the
# measured failure rate, for every subtest whose result differed between
# runs of the same board and kernel.  Exit status 1 when there is one.
flakes_report()
{
	history_table "$1"
	awk -F '\t' -v minruns="$2" "$AWK_CLASSES"'
	{
		key = $2 SUBSEP $3 SUBSEP $5
		if (!(key in runs)) order[++n] = key
		runs[key]++; if (result_class($6) != "pass") bad[key]++
		if (!((key, $6) in seenr)) { seenr[key, $6] = 1; results[key] = results[key] " " $6 }
		nres[key] += !((key, $6, "c") in seenc); seenc[key, $6, "c"] = 1
		ids[key] = ids[key] " " $1
	}
	END {
		for (i = 1; i <= n; i++) {
			key = order[i]
			if (nres[key] < 2 || runs[key] < minruns) continue
			split(key, p, SUBSEP)
			printf "# Board Name: %s\n# Linux Version: %s\n", p[1], p[2]
			printf "# Failure Rate: %d/%d runs not passing (results:%s; runs:%s)\n",
				bad[key], runs[key], results[key], ids[key]
			print p[3]
			print ""
			found++
		}
		if (!found) print "# no flaky subtest: every (board, kernel) gave the same result in each of its runs"
		exit found ? 1 : 0
	}' "$tmp/history.txt"
}
