# compare.sh — what changed from one run to another (POSIX sh, sourced by
# rkval-results).  SQUAD's per-environment comparison, per subtest, with
# rkval's verdict stages: a failure that moved from one stage to another is
# a change a bring-up engineer wants to see even though both sides "fail".

# Variables cross the files of results-lib and rkval-results, which
# the linter checks one at a time.
# shellcheck disable=SC2034,SC2154

# run_label RUNDIR: "BOARD/KERNEL rkval VERSION DATE (id ID)".
run_label()
{
	printf '%s/%s rkval %s %s (id %s)\n' "$(meta_value "$1/run.txt" board)" \
		"$(meta_value "$1/run.txt" kernel)" "$(meta_value "$1/run.txt" rkval)" \
		"$(meta_value "$1/run.txt" date)" "$(meta_value "$1/run.txt" id)"
}

# compare_runs BASE NEW PCT MIN: the per-binary listing; exit status 1
# when a subtest regressed.
compare_runs()
{
	printf 'base: %s\n' "$(run_label "$1")"
	printf 'new:  %s\n' "$(run_label "$2")"
	awk -F '\t' -v pct="$3" -v tmin="$4" -v basefile="$1/results.txt" "$AWK_CLASSES"'
	function binary(name,   b) {
		b = name; sub(/^[a-z]+@/, "", b); sub(/@.*/, "", b); return b
	}
	function subname(name,   s) {
		s = name; sub(/^[a-z]+@[^@]+@?/, "", s); return s == "" ? "(whole binary)" : s
	}
	function say(name, what, detail,   b) {
		b = binary(name)
		nout++
		if (!(b in nb)) { order[++nbin] = b; nb[b] = 0 }
		lines[b, ++nb[b]] = sprintf("  %-22s %s: %s", what, subname(name), detail)
		if (bv[name] != "-" || nv[name] != "-") {
			lines[b, ++nb[b]] = "      base: " (bv[name] == "-" ? "(no VERDICT)" : "VERDICT: " bv[name])
			lines[b, ++nb[b]] = "      new:  " (nv[name] == "-" ? "(no VERDICT)" : "VERDICT: " nv[name])
		}
		count[what]++
	}
	# The base is read first, by name: a run compared with itself is two
	# reads of one file.
	BEGIN {
		while ((getline line < basefile) > 0) {
			split(line, f, "\t")
			base[f[1]] = f[2]; bt[f[1]] = f[3]; bs[f[1]] = f[4]; bv[f[1]] = f[5]
			border[++nbase] = f[1]
		}
		close(basefile)
	}
	{
		new[$1] = $2; nt[$1] = $3; ns[$1] = $4; nv[$1] = $5; norder[++nnew] = $1
	}
	END {
		for (i = 1; i <= nnew; i++) {
			n = norder[i]
			if (!(n in base)) {
				bv[n] = "-"
				say(n, "new", new[n])
				continue
			}
			bc = result_class(base[n]); nc = result_class(new[n])
			arrow = base[n] " -> " new[n]
			if (nc == "fail" && bc != "fail")
				say(n, "regressed", arrow)
			else if (bc == "fail" && nc == "pass")
				say(n, "fixed", arrow)
			else if (nc == "skip" && bc != "skip")
				say(n, "newly skipped", arrow)
			else if (bc == "skip" && nc == "pass")
				say(n, "newly run", arrow)
			else if (bc == "fail" && (bs[n] != ns[n] || base[n] != new[n]))
				say(n, "verdict stage changed", arrow " (" bs[n] " -> " ns[n] ")")
			else if (bc == "pass" && nc == "pass" && bt[n] != "-" && nt[n] != "-") {
				d = nt[n] - bt[n]; if (d < 0) d = -d
				lim = bt[n] * pct / 100; if (lim < tmin) lim = tmin
				if (d > lim)
					say(n, "timing changed", sprintf("%.3f s -> %.3f s", bt[n], nt[n]))
			}
		}
		for (i = 1; i <= nbase; i++) {
			n = border[i]
			if (!(n in new)) { nv[n] = "-"; say(n, "gone", base[n]) }
		}
		for (i = 1; i <= nbin; i++) {
			print order[i]
			for (j = 1; j <= nb[order[i]]; j++)
				print lines[order[i], j]
		}
		printf "summary: %d regressed, %d fixed, %d newly skipped, %d newly run, " \
			"%d verdict stage changed, %d timing changed, %d new, %d gone\n",
			count["regressed"], count["fixed"], count["newly skipped"],
			count["newly run"], count["verdict stage changed"],
			count["timing changed"], count["new"], count["gone"]
		exit count["regressed"] ? 1 : 0
	}' "$2/results.txt"
}
