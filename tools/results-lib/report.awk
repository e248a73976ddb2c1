# report.awk — the HTML report from report_data's stream (report.sh).
# Appended to the result-class functions of common.sh; POSIX awk (mawk,
# gawk, busybox awk): no gensub, no asort, no strftime.
#
# Every picture is SVG whose coordinates are computed here from the
# numbers: the matrix (a cell per subtest and kernel), the rocket_conv
# error histograms (a bar per |err| bucket of lib/npu/ref_compare.c), the
# timing sparklines.  Hovering any mark shows its exact value (<title>).

function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	return s
}

# Colours.  Results as igt_runner's HTML summaries colour them (green pass,
# grey skip); failures by VERDICT stage, one hue family per layer of the
# pipeline (lib/harness/verdict.c lists the stages): reds for the NPU
# stages, blues for the IOMMU, browns and teals for power, greys for the
# harness' own.
function stage_colour(s) {
	if (s in scol) return scol[s]
	return "#d62728"
}
function init_colours() {
	scol["pc-fetch"] = "#8c1c13"; scol["cna-dma"] = "#bf4342"; scol["mac"] = "#e4572e"
	scol["mac-output-stall"] = "#f17c3a"; scol["dpu-output"] = "#c9184a"
	scol["dpu-interrupt"] = "#ff4d6d"; scol["accuracy"] = "#ff8fa3"
	scol["job-timeout"] = "#9d0208"
	scol["iommu-fault"] = "#1d3557"; scol["iommu-attach"] = "#3a86ff"
	scol["iommu-reset-order"] = "#4361ee"; scol["iommu-isolation"] = "#7209b7"
	scol["iommu-pagetable"] = "#560bad"; scol["iommu-page-walker"] = "#8338ec"
	scol["pm-runtime"] = "#7f5539"; scol["power-domain"] = "#9c6644"
	scol["clock"] = "#b08968"; scol["qos"] = "#2a9d8f"; scol["rebind"] = "#264653"
	scol["dmesg"] = "#6c757d"; scol["assert"] = "#d62728"; scol["uapi"] = "#e76f51"
	scol["teardown"] = "#adb5bd"
	scol["watchdog"] = "#343a40"; scol["crash"] = "#000000"; scol["no-device"] = "#495057"
	rcol["pass"] = "#2b9348"; rcol["warn"] = "#80b918"; rcol["dmesg-warn"] = "#e9c46a"
	rcol["skip"] = "#ced4da"; rcol["notrun"] = "#adb5bd"
	rcol["timeout"] = "#ff9f1c"; rcol["crash"] = "#000000"; rcol["incomplete"] = "#5c677d"
	rcol["abort"] = "#212529"; rcol["dmesg-fail"] = "#6c757d"; rcol["fail"] = "#d62728"
}
# A cell's colour: the stage's when the result carries one.
function cell_colour(r, s) {
	if (result_class(r) == "fail" && s != "-" && s != "") return stage_colour(s)
	return (r in rcol) ? rcol[r] : "#d62728"
}
# Dark fills get white labels: relative luminance (ITU-R BT.601 weights)
# below one half.
function hexbyte(h) {
	h = tolower(h)
	return (index("0123456789abcdef", substr(h, 1, 1)) - 1) * 16 + index("0123456789abcdef", substr(h, 2, 1)) - 1
}
function label_colour(c) {
	return (0.299 * hexbyte(substr(c, 2, 2)) + 0.587 * hexbyte(substr(c, 4, 2)) + 0.114 * hexbyte(substr(c, 6, 2))) < 128 ? "#fff" : "#000"
}
function short(s, n) { return length(s) > n ? substr(s, 1, n - 1) "~" : s }

$1 == "K" { kord[++nk] = $2; next }
$1 == "R" {
	id = $2; runs[++nr] = id; rboard[id] = $3; rkern[id] = $4; rver[id] = $5
	rdate[id] = $6; rsrc[id] = $7; rback[id] = $8; rfault[id] = $9; rtot[id] = $10
	if (!($3 in bseen)) { bseen[$3] = 1; boards[++nb] = $3 }
	# the newest run of (board, kernel) stands for it in the pictures
	bk = $3 SUBSEP $4
	if (!(bk in newest) || $6 > rdate[newest[bk]]) newest[bk] = id
	bkruns[bk] = bkruns[bk] " " id
	next
}
$1 == "T" {
	id = $2; n = $3
	res[id, n] = $4; stg[id, n] = $6; ver[id, n] = $7
	if ($5 != "-") tim[id, n] = $5 + 0
	b = rboard[id]
	if (!((b, n) in rowseen)) { rowseen[b, n] = 1; rows[b, ++nrows[b]] = n }
	next
}
$1 == "A" {
	id = $2; key = id SUBSEP $3
	if (!(key in aseen)) { aseen[key] = 1; asubs[id, ++nasub[id]] = $3 }
	k = ++nshape[key]
	ashape[key, k] = $4; atotal[key, k] = $5; awithin[key, k] = $6; atol[key, k] = $7
	amax[key, k] = $8; ahist[key, k] = $9; amean[key, k] = ($10 == "" ? "-" : $10)
	next
}
$1 == "C" { cov[++ncov] = $2 SUBSEP $3; next }

function page_head() {
	print "<!DOCTYPE html>"
	print "<html lang=\"en\"><head><meta charset=\"utf-8\">"
	print "<title>" esc(title) "</title>"
	# Records any error of the page into the page, for the headless check.
	print "<script>"
	print "var rkvalErrors = [];"
	print "window.onerror = function (msg, src, line) { rkvalErrors.push(msg + ' at ' + line); };"
	print "window.addEventListener('load', function () {"
	print "  var el = document.getElementById('page-check');"
	print "  var svgs = document.getElementsByTagName('svg'), drawn = 0, i;"
	print "  for (i = 0; i < svgs.length; i++) { var r = svgs[i].getBoundingClientRect(); if (r.width > 0 && r.height > 0) drawn++; }"
	print "  el.setAttribute('data-errors', String(rkvalErrors.length));"
	print "  el.setAttribute('data-svg', svgs.length + ' ' + drawn);"
	print "  el.textContent = 'page check: ' + rkvalErrors.length + ' script error(s), ' + drawn + ' of ' + svgs.length + ' pictures drawn' + (rkvalErrors.length ? ': ' + rkvalErrors.join('; ') : '');"
	print "});"
	print "</script>"
	print "<style>"
	print "body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1400px; }"
	print "h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { margin-bottom: .3em; }"
	print "table { border-collapse: collapse; font-size: .85em; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }"
	print "th { background: #f1f3f5; } .num { text-align: right; } .note { color: #555; font-size: .9em; }"
	print "svg text { font-family: sans-serif; } .legend span { display: inline-block; margin: 0 .8em .3em 0; font-size: .8em; }"
	print ".legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }"
	print "#page-check { color: #555; font-size: .8em; } pre { background: #f8f9fa; padding: .5em; overflow-x: auto; }"
	print "</style></head><body>"
	print "<h1>" esc(title) "</h1>"
	print "<p class=\"note\">Generated " esc(generated) " by rkval-results report from " nr " run(s). vnpu runs are the software NPU: evidence about the suite and the kernel profiles it models, not about hardware.</p>"
	print "<p id=\"page-check\" data-errors=\"unknown\">page check: not run (scripts disabled?)</p>"
	print "<ul><li><a href=\"#runs\">Runs</a></li><li><a href=\"#matrix\">Result and verdict matrix</a></li><li><a href=\"#accuracy\">rocket_conv accuracy</a></li><li><a href=\"#timing\">Timing across kernels</a></li><li><a href=\"#faults\">Fault matrix (vnpu)</a></li><li><a href=\"#coverage\">Coverage</a></li></ul>"
}

function runs_table(   i, id) {
	print "<h2 id=\"runs\">Runs</h2>"
	print "<table><tr><th>run</th><th>board</th><th>kernel</th><th>rkval</th><th>date</th><th>source</th><th>backend</th><th>totals</th></tr>"
	for (i = 1; i <= nr; i++) {
		id = runs[i]
		print "<tr class=\"run\" id=\"run-" id "\"><td><code>" id "</code></td><td>" esc(rboard[id]) "</td><td>" esc(rkern[id]) \
			"</td><td>" esc(rver[id]) "</td><td>" esc(rdate[id]) "</td><td>" esc(rsrc[id]) "</td><td>" esc(rback[id]) \
			"</td><td>" esc(rtot[id]) "</td></tr>"
	}
	print "</table>"
}

function legend(   s, r, shown, i, n, parts) {
	printf "<p class=\"legend\">"
	n = split("pass warn dmesg-warn skip notrun timeout crash incomplete abort dmesg-fail", parts, " ")
	for (i = 1; i <= n; i++)
		printf "<span><i style=\"background:%s\"></i>%s</span>", rcol[parts[i]], parts[i]
	n = split("pc-fetch cna-dma mac mac-output-stall dpu-output dpu-interrupt accuracy job-timeout iommu-fault iommu-attach iommu-reset-order iommu-isolation iommu-pagetable iommu-page-walker pm-runtime power-domain clock qos rebind dmesg teardown assert uapi watchdog no-device", parts, " ")
	printf "<br>failures by VERDICT stage: "
	for (i = 1; i <= n; i++)
		printf "<span><i style=\"background:%s\"></i>%s</span>", scol[parts[i]], parts[i]
	print "<span><i style=\"border:2px dashed #000;width:8px;height:8px\"></i>flaky (runs disagree)</span></p>"
}

# The matrix of one board: a row per subtest, a column per kernel; each
# cell is the newest run's result, dashed when that kernel's runs disagree.
function matrix_svg(b,   j, i, x, y, n, id, kx, cw, lw, rh, w, h, r, s, c, ks, nks, flaky, ids, m, q, lab) {
	nks = 0
	for (j = 1; j <= nk; j++) if ((b SUBSEP kord[j]) in newest) ks[++nks] = kord[j]
	lw = 8
	for (i = 1; i <= nrows[b]; i++) if (length(rows[b, i]) > lw) lw = length(rows[b, i])
	lw = lw * 6.2 + 10; cw = 150; rh = 16
	w = lw + nks * cw + 10; h = 40 + nrows[b] * rh + 10
	print "<h3>" esc(b) "</h3>"
	printf "<svg class=\"matrix\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", w, h, w, h
	for (j = 1; j <= nks; j++) {
		x = lw + (j - 1) * cw
		printf "<text x=\"%.1f\" y=\"28\" font-size=\"12\" font-weight=\"bold\">%s</text>\n", x + 4, esc(short(ks[j], 22))
	}
	for (i = 1; i <= nrows[b]; i++) {
		n = rows[b, i]; y = 40 + (i - 1) * rh
		printf "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>\n", lw - 6, y + 11, esc(n)
		for (j = 1; j <= nks; j++) {
			id = newest[b SUBSEP ks[j]]
			x = lw + (j - 1) * cw
			if (!((id, n) in res)) {
				printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#ddd\"><title>%s on %s: not in this run</title></rect>\n", x, y, cw - 2, rh - 2, esc(n), esc(ks[j])
				continue
			}
			r = res[id, n]; s = stg[id, n]; c = cell_colour(r, s)
			flaky = 0
			m = split(bkruns[b SUBSEP ks[j]], ids, " ")
			for (q = 1; q <= m; q++) if (((ids[q], n) in res) && res[ids[q], n] != r) flaky = 1
			lab = result_class(r) == "fail" && s != "-" ? r ":" s : r
			printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"%s\"%s><title>%s on %s %s: %s%s%s (run %s)</title></rect>\n",
				x, y, cw - 2, rh - 2, c, flaky ? " stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"4 2\"" : "",
				esc(n), esc(b), esc(ks[j]), esc(r), ver[id, n] != "-" ? " VERDICT: " esc(ver[id, n]) : "",
				flaky ? " (flaky: runs of this kernel disagree)" : "", id
			printf "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"%s\" pointer-events=\"none\">%s</text>\n", x + 3, y + 11, label_colour(c), esc(short(lab, 30))
		}
	}
	print "</svg>"
}

# What changed: per board the subtests whose cells differ between
# kernels, with the kernel where the last behaviour started — the
# "matrix --board" view, as a table beside the picture.
function cell_text(b, k, n,   id, ids, m, q, r, s, v, seen, out) {
	if (!((b SUBSEP k) in newest)) return ""
	m = split(bkruns[b SUBSEP k], ids, " ")
	out = ""
	for (q = 1; q <= m; q++) {
		if (!((ids[q], n) in res)) continue
		r = res[ids[q], n]; s = stg[ids[q], n]
		v = (s != "-" && s != "") ? r ":" s : r
		if (index(" " out " ", " " v " ") == 0) out = out (out == "" ? "" : " ") v
	}
	return out
}
function changes_table(b,   j, i, n, ks, nks, c, first, same, st, shown, v, tl, ntl, since) {
	nks = 0
	for (j = 1; j <= nk; j++) if ((b SUBSEP kord[j]) in newest) ks[++nks] = kord[j]
	shown = 0
	for (i = 1; i <= nrows[b]; i++) {
		n = rows[b, i]; first = ""; same = 1
		for (j = 1; j <= nks; j++) {
			c[j] = cell_text(b, ks[j], n)
			if (c[j] == "") continue
			if (first == "") first = c[j]; else if (c[j] != first) same = 0
		}
		if (same) continue
		if (!shown++) {
			printf "<table class=\"changes\"><tr><th>subtest</th>"
			for (j = 1; j <= nks; j++) printf "<th>%s</th>", esc(ks[j])
			print "<th>since</th></tr>"
		}
		# since: over the kernels only — a faulted run is another
		# configuration of its kernel, not a later version.
		ntl = 0
		for (j = 1; j <= nks; j++) if (ks[j] !~ /\+/ && c[j] != "") tl[++ntl] = j
		since = "-"
		if (ntl) {
			st = ntl
			while (st > 1 && c[tl[st - 1]] == c[tl[ntl]]) st--
			since = esc(c[tl[ntl]]) " since <b>" esc(ks[tl[st]]) "</b>"
		}
		printf "<tr><td>%s</td>", esc(n)
		for (j = 1; j <= nks; j++) {
			v = c[j]
			if (v == "") { printf "<td></td>"; continue }
			if (index(v, " ")) printf "<td style=\"border:2px dashed #000\">flaky: %s</td>", esc(v)
			else {
				split(v, rs, ":")
				printf "<td style=\"background:%s;color:%s\">%s</td>", cell_colour(rs[1], rs[2] == "" ? "-" : rs[2]), label_colour(cell_colour(rs[1], rs[2] == "" ? "-" : rs[2])), esc(v)
			}
		}
		printf "<td>%s</td></tr>\n", since
	}
	if (shown) print "</table>"
	else print "<p>Every subtest gives the same result on every kernel of " esc(b) ".</p>"
}

# Error histogram of one shape: a bar per |err| bucket (floors 0, 1, 2,
# 3, 4, 8 ... 128 from npu_cmp_bucket_floor()), height by log10(count+1)
# so one stray error is visible next to thousands of exact outputs; bars
# beyond the tolerance are red.
function histogram_svg(key, k,   w, h, bw, i, n, parts, f, cnt, x, bh, maxlog, pair, tol, col, fl) {
	w = 120; h = 56; bw = 11
	n = split(ahist[key, k], parts, " ")
	maxlog = log(atotal[key, k] + 1) / log(10)
	if (maxlog <= 0) maxlog = 1
	tol = atol[key, k] + 0
	printf "<figure style=\"display:inline-block;margin:2px 4px\"><svg class=\"hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", w, h + 22, w, h + 22
	printf "<title>%s: %d/%d within +-%d, max |err| %d%s</title>", esc(ashape[key, k]), awithin[key, k], atotal[key, k], tol, amax[key, k], amean[key, k] == "-" ? "" : ", mean signed error " amean[key, k] " LSB"
	printf "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", h, w, h
	for (i = 0; i < 10; i++) {
		fl = i < 4 ? i : 4 * 2 ^ (i - 4)
		cnt[fl] = 0
	}
	for (i = 1; i <= n; i++) { split(parts[i], pair, ":"); cnt[pair[1] + 0] = pair[2] + 0 }
	for (i = 0; i < 10; i++) {
		fl = i < 4 ? i : 4 * 2 ^ (i - 4)
		x = 2 + i * bw
		bh = cnt[fl] > 0 ? (log(cnt[fl] + 1) / log(10)) / maxlog * (h - 4) : 0
		if (cnt[fl] > 0 && bh < 2) bh = 2
		col = fl <= tol ? "#2b9348" : "#d62728"
		printf "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>|err| &gt;= %d: %d</title></rect>", x, h - bh, bw - 2, bh, col, fl, cnt[fl]
	}
	printf "<text x=\"2\" y=\"%d\" font-size=\"8\">%s</text>", h + 9, esc(short(ashape[key, k], 30))
	printf "<text x=\"2\" y=\"%d\" font-size=\"8\" fill=\"%s\">max |err| %d, %d/%d ok</text>", h + 19, awithin[key, k] == atotal[key, k] ? "#2b9348" : "#d62728", amax[key, k], awithin[key, k], atotal[key, k]
	print "</svg></figure>"
}

function accuracy_section(   i, j, b, id, s, key, k, any, first) {
	print "<h2 id=\"accuracy\">rocket_conv accuracy</h2>"
	print "<p class=\"note\">Per shape, the histogram of |NPU output - CPU reference| (tests/accel/rocket_conv.c, buckets of lib/npu/ref_compare.c; height log-scaled; red beyond the tolerance). The newest run of each board and kernel; older ones folded.</p>"
	for (i = 1; i <= nb; i++) {
		b = boards[i]
		first = 1
		for (j = nk; j >= 1; j--) {
			if (!((b SUBSEP kord[j]) in newest)) continue
			id = newest[b SUBSEP kord[j]]
			if (!nasub[id]) continue
			any = 1
			print first ? "<details open>" : "<details>"
			first = 0
			print "<summary><b>" esc(b) " / " esc(kord[j]) "</b> (run " id ")</summary>"
			for (s = 1; s <= nasub[id]; s++) {
				key = id SUBSEP asubs[id, s]
				print "<h3>" esc(asubs[id, s]) " (" res[id, asubs[id, s]] ")</h3><div>"
				for (k = 1; k <= nshape[key]; k++) histogram_svg(key, k)
				print "</div>"
			}
			print "</details>"
		}
	}
	if (!any) print "<p>No run with rocket_conv results.</p>"
}

# Timing: a sparkline per subtest across the kernels of a board (newest
# run of each), scaled to the subtest's own maximum, for subtests that
# take at least TIMING_MIN_S somewhere (the rest are below the runner's
# resolution and would only be noise).
function timing_section(   i, j, b, n, id, t, mx, x, y, w, h, pts, ks, nks, cx, any, lw, shown, pad) {
	TIMING_MIN_S = 0.01
	print "<h2 id=\"timing\">Timing across kernels</h2>"
	print "<p class=\"note\">Seconds per subtest (from the result line), newest run of each kernel, oldest kernel left. Each line is scaled to its own maximum (printed at the right). Only subtests taking at least " TIMING_MIN_S " s somewhere.</p>"
	for (i = 1; i <= nb; i++) {
		b = boards[i]
		nks = 0
		for (j = 1; j <= nk; j++) if ((b SUBSEP kord[j]) in newest) ks[++nks] = kord[j]
		shown = 0
		for (n = 1; n <= nrows[b]; n++) {
			mx = 0
			for (j = 1; j <= nks; j++) { id = newest[b SUBSEP ks[j]]; if (((id, rows[b, n]) in tim) && tim[id, rows[b, n]] > mx) mx = tim[id, rows[b, n]] }
			if (mx >= TIMING_MIN_S) show[++shown] = rows[b, n] SUBSEP mx
		}
		if (!shown) continue
		any = 1
		lw = 330; pad = 60
		w = lw + (nks > 1 ? nks - 1 : 1) * 90 + pad + 30; h = 30 + shown * 22
		print "<h3>" esc(b) "</h3>"
		printf "<svg class=\"timing\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", w, h, w, h
		for (j = 1; j <= nks; j++)
			printf "<text x=\"%d\" y=\"14\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n", lw + (j - 1) * 90, esc(short(ks[j], 14))
		for (n = 1; n <= shown; n++) {
			split(show[n], pts, SUBSEP); mx = pts[2]
			y = 30 + (n - 1) * 22
			printf "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>\n", lw - 20, y + 12, esc(pts[1])
			printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>\n", lw, y + 18, lw + (nks - 1) * 90, y + 18
			path = ""
			for (j = 1; j <= nks; j++) {
				id = newest[b SUBSEP ks[j]]
				if (!((id, pts[1]) in tim)) continue
				t = tim[id, pts[1]]
				cx = lw + (j - 1) * 90; cy = y + 18 - (mx > 0 ? t / mx * 16 : 0)
				path = path (path == "" ? "M" : " L") sprintf("%.1f %.1f", cx, cy)
				printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s on %s: %.3f s (%s)</title></circle>\n", cx, cy, cell_colour(res[id, pts[1]], stg[id, pts[1]]), esc(pts[1]), esc(ks[j]), t, esc(res[id, pts[1]])
			}
			if (path != "") printf "<path d=\"%s\" fill=\"none\" stroke=\"#555\" stroke-width=\"1\"/>\n", path
			printf "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.3f s</text>\n", lw + (nks - 1) * 90 + 14, y + 12, mx
		}
		print "</svg>"
	}
	if (!any) print "<p>No subtest took " TIMING_MIN_S " s or more.</p>"
}

# The fault matrix of vnpu runs with injected faults: per fault, per test
# binary, the failing subtests by VERDICT stage — the same reading as the
# README's table (selftests/fault-matrix.sh), here from stored runs.
function fault_section(   i, id, n, bin, key, any, bins, nbins, fr, nfr, j, f, cellk, s, c) {
	print "<h2 id=\"faults\">Fault matrix (vnpu runs with injected faults)</h2>"
	nfr = 0; nbins = 0
	for (i = 1; i <= nr; i++) {
		id = runs[i]
		if (rback[id] !~ /^vnpu:/) continue
		f = rboard[id] " " (rfault[id] == "" ? "none" : rfault[id])
		if (!(f in frseen)) { frseen[f] = 1; fr[++nfr] = f; frun[f] = id }
		else if (rdate[id] > rdate[frun[f]]) frun[f] = id
	}
	for (i = 1; i <= nfr; i++) if (fr[i] !~ / none$/) any = 1
	if (!any) { print "<p>No vnpu run with injected faults (RKVAL_VNPU_FAULTS) in the store.</p>"; return }
	for (i = 1; i <= nfr; i++) {
		id = frun[fr[i]]
		for (j = 1; j <= nrows[rboard[id]]; j++) {
			n = rows[rboard[id], j]
			if (!((id, n) in res)) continue
			bin = n; sub(/^[a-z]+@/, "", bin); sub(/@.*/, "", bin)
			if (!(bin in binseen)) { binseen[bin] = 1; bins[++nbins] = bin }
			binran[fr[i] SUBSEP bin] = 1
			if (result_class(res[id, n]) == "fail") {
				cellk = fr[i] SUBSEP bin SUBSEP stg[id, n]
				if (!(cellk in fcnt)) fst[fr[i] SUBSEP bin] = fst[fr[i] SUBSEP bin] " " stg[id, n]
				fcnt[cellk]++
			}
		}
	}
	print "<table class=\"faults\"><tr><th>board</th><th>fault (RKVAL_VNPU_FAULTS)</th><th>run</th>"
	for (j = 1; j <= nbins; j++) print "<th>" esc(bins[j]) "</th>"
	print "</tr>"
	for (i = 1; i <= nfr; i++) {
		split(fr[i], c, " ")
		printf "<tr><td>%s</td><td>%s</td><td><code>%s</code></td>", esc(c[1]), esc(c[2]), frun[fr[i]]
		for (j = 1; j <= nbins; j++) {
			key = fr[i] SUBSEP bins[j]
			if (!(key in binran)) {
				printf "<td style=\"background:#fff;color:#999\">not run</td>"
				continue
			}
			if (!(key in fst)) {
				printf "<td style=\"background:%s\">pass</td>", "#d8f3dc"
				continue
			}
			s = fst[key]; sub(/^ /, "", s)
			nst = split(s, st, " ")
			printf "<td style=\"background:%s;color:%s\">", stage_colour(st[1]), label_colour(stage_colour(st[1]))
			for (q = 1; q <= nst; q++) printf "%s%s x%d", (q > 1 ? ", " : ""), esc(st[q] == "-" ? "fail" : st[q]), fcnt[key SUBSEP st[q]]
			print "</td>"
		}
		print "</tr>"
	}
	print "</table><p class=\"note\">\"pass\": no subtest of that binary failed in the run (skips included); \"not run\": the run's list left the binary out.</p>"
}

# The coverage hook: a gcov or patch-coverage tool leaves coverage.html
# (an HTML fragment, included as it is) or patch-coverage.txt (shown as
# text) in a results directory; import keeps them with the run.
function coverage_section(   i, p, line, f) {
	print "<h2 id=\"coverage\">Coverage</h2>"
	if (!ncov) { print "<p>No run brought coverage.html or patch-coverage.txt.</p>"; return }
	for (i = 1; i <= ncov; i++) {
		split(cov[i], p, SUBSEP)
		f = p[2]
		print "<h3>run " p[1] " (" esc(rboard[p[1]]) " / " esc(rkern[p[1]]) ")</h3>"
		if (f ~ /\.html$/) {
			print "<div class=\"coverage-fragment\">"
			while ((getline line < f) > 0) print line
			print "</div>"
		} else {
			print "<pre class=\"patch-coverage\">"
			while ((getline line < f) > 0) print esc(line)
			print "</pre>"
		}
		close(f)
	}
}

END {
	init_colours()
	page_head()
	runs_table()
	print "<h2 id=\"matrix\">Result and verdict matrix</h2>"
	print "<p class=\"note\">Subtest x kernel per board, the newest run of each kernel (oldest kernel left). Failures are coloured by their VERDICT stage; a dashed border marks a cell whose runs disagree (flaky). Hover a cell for the VERDICT.</p>"
	legend()
	for (i = 1; i <= nb; i++) {
		matrix_svg(boards[i])
		print "<p class=\"note\">What changed between kernels on " esc(boards[i]) " (every run of each kernel; where the last behaviour started):</p>"
		changes_table(boards[i])
	}
	accuracy_section()
	timing_section()
	fault_section()
	coverage_section()
	print "</body></html>"
}
