# report.sh — the static HTML report (POSIX sh, sourced by rkval-results).
#
# One self-contained file: inline CSS, inline SVG drawn by report.awk from
# the store's numbers, no network, no script libraries.  The only script
# is a few inline lines that record any error of the page itself into the
# page (id "page-check"), so that a headless browser run can prove the
# report renders cleanly (selftests/results.sh).

# Variables cross the files of results-lib and rkval-results, which
# the linter checks one at a time.
# shellcheck disable=SC2034,SC2154

# report_data BOARD: the store as one tab-separated stream for report.awk:
#   K kernel                                  (oldest first)
#   R id board kernel rkval date source backend faults totals
#   T id name result seconds stage verdict
#   A id subtest shape total within tolerance max-err hist
#   C id file                                 (coverage hook files)
report_data()
{
	history_table "$1"
	sed 's/^/K\t/' "$tmp/kernels.txt"
	awk -F '\t' -v store="$store" -v only="$1" '
	function meta(f, key,   line, v) {
		v = ""
		while ((getline line < f) > 0)
			if (index(line, key ": ") == 1) { v = substr(line, length(key) + 3); break }
		close(f)
		return v
	}
	function emit(prefix, f,   line, n) {
		n = 0
		while ((getline line < f) > 0) { print prefix "\t" line; n++ }
		close(f)
		return n
	}
	only == "" || $2 == only {
		d = store "/" $6
		print "R\t" $1 "\t" $2 "\t" $3 "\t" $4 "\t" $5 "\t" meta(d "/run.txt", "source") "\t" \
			meta(d "/run.txt", "backend") "\t" meta(d "/run.txt", "faults") "\t" \
			meta(d "/run.txt", "totals")
		emit("T\t" $1, d "/results.txt")
		emit("A\t" $1, d "/accuracy.txt")
		if ((getline line < (d "/coverage.html")) > 0) print "C\t" $1 "\t" d "/coverage.html"
		close(d "/coverage.html")
		if ((getline line < (d "/patch-coverage.txt")) > 0) print "C\t" $1 "\t" d "/patch-coverage.txt"
		close(d "/patch-coverage.txt")
	}' "$store/index.txt"
}

# write_report BOARD TITLE OUT
write_report()
{
	report_data "$1" > "$tmp/report-data.txt" || exit "$EXIT_INPUT"
	out_dir=$(dirname "$3")
	[ -d "$out_dir" ] || die "$3: directory $out_dir does not exist"
	awk -F '\t' -v title="$2" -v generated="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		"$AWK_CLASSES"'
'"$(cat "$lib_dir/report.awk")" "$tmp/report-data.txt" > "$3.tmp" ||
		die "$3: cannot write the report"
	mv "$3.tmp" "$3" || die "$3: cannot write the report"
	printf 'wrote %s (%s runs)\n' "$3" "$(grep -c '^R' "$tmp/report-data.txt")"
}
