# ktap-strict.awk — a strict reading of KTAP version 1, as the kernel's
# Documentation/dev-tools/ktap.rst specifies it, for rkval's own output.
#
#   awk [-v tap13=1] -f selftests/lib/ktap-strict.awk FILE
#
# tap13=1 also takes "TAP version 13" as the first line, as the kernel's
# kselftest runners print it (ktap.rst: parsers accept it).
#
# Prints one line per result, children before their parent, as
#   PATH RESULT        (PATH = parent.child, RESULT = pass|fail|skip)
# and, on stderr, one "FILE:LINE: message" per rule broken; exits 1 if any.
#
# Rules (ktap.rst, "Version lines" to "Nested tests"):
#  - output starts with "KTAP version 1"; every nested block starts with
#    one, indented two spaces deeper than its parent;
#  - a plan "1..N" follows every version line, at its indentation (the
#    spec says "strongly recommended"; rkval always knows N, so required),
#    and each level has exactly N results numbered 1, 2, ... N;
#  - every line of a nested block, diagnostics included, is indented with
#    it; the block ends with its parent's result line, one level up;
#  - a result line is "ok|not ok N description[ # [DIRECTIVE] [data]]",
#    the description non-empty and without "#";
#  - a directive is SKIP, XFAIL, TIMEOUT or ERROR (TODO is "discouraged"
#    in the kernel, so refused); TIMEOUT and ERROR only on "not ok"; any
#    other leading upper-case word is an unknown directive;
#  - a parent with a failed subtest is not ok ("bubbling up");
#  - rkval writes no unknown lines: everything else is "# diagnostic",
#    except kselftest's "Bail out!" at the top level.

function err(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	errors++
}

# close_block(d): the nested block at depth d ended.
function close_block(d) {
	if (count[d] != plan[d])
		err("nested block at depth " d " planned " plan[d] \
		    " tests but reported " count[d])
}

BEGIN {
	depth = -1		# no version line yet
	closed = -1		# depth of a block awaiting its parent's result
	errors = 0
	expect_plan = 0
}

{
	line = $0
	match(line, /^ */)
	indent = RLENGTH
	body = substr(line, indent + 1)

	if (body ~ /^KTAP version / || (tap13 && depth < 0 && body == "TAP version 13")) {
		if (body != "KTAP version 1" && !(tap13 && depth < 0))
			err("version line \"" body "\": rkval prints KTAP version 1")
		if (expect_plan)
			err("version line where a plan line was due")
		if (depth < 0) {
			if (indent != 0)
				err("first version line is indented")
			depth = 0
		} else {
			if (indent != 2 * (depth + 1))
				err("nested version line indented " indent \
				    " spaces, expected " 2 * (depth + 1))
			if (closed == depth + 1)
				err("nested block not followed by its parent's result line")
			depth++
			open[depth] = 1
		}
		count[depth] = 0
		failed[depth] = 0
		pending[depth] = ""
		expect_plan = 1
		next
	}
	if (depth < 0) {
		err("line before the first KTAP version line")
		next
	}

	# A line at a shallower indentation closes the blocks deeper than it.
	while (depth > 0 && indent < 2 * depth && open[depth]) {
		if (expect_plan)
			err("nested block without a plan line")
		expect_plan = 0
		if (body !~ /^(ok|not ok) / && count[depth] < plan[depth])
			err("line not indented with its nested block (" \
			    count[depth] " of " plan[depth] " results seen)")
		close_block(depth)
		open[depth] = 0
		closed = depth
		depth--
		if (body !~ /^(ok|not ok) /) {
			# diagnostics about the parent may precede its result
			if (body !~ /^#/)
				err("nested block not followed by its parent's result line")
		}
	}

	if (indent != 2 * depth) {
		err("line indented " indent " spaces inside a block at " \
		    2 * depth ": \"" body "\"")
		next
	}

	if (body ~ /^1\.\.[0-9]+( # SKIP.*)?$/) {
		if (!expect_plan)
			err("plan line not directly after a version line")
		expect_plan = 0
		p = body
		sub(/^1\.\./, "", p)
		sub(/ .*/, "", p)
		plan[depth] = p + 0
		next
	}
	if (expect_plan) {
		err("version line not followed by a plan line")
		expect_plan = 0
	}

	if (body ~ /^(ok|not ok) /) {
		result_line(body)
		next
	}
	if (body ~ /^#( |$)/)
		next
	if (body ~ /^Bail out!/ && depth == 0)
		next
	err("unknown line (neither KTAP nor a \"# \" diagnostic): \"" body "\"")
}

function result_line(body,    ok, rest, num, desc, dir, word, res, kids, n, i, lines) {
	ok = body ~ /^ok /
	rest = body
	sub(/^(ok|not ok) /, "", rest)
	if (rest !~ /^[0-9]+( |$)/) {
		err("result line without a test number")
		return
	}
	num = rest
	sub(/ .*/, "", num)
	rest = substr(rest, length(num) + 1)
	sub(/^ /, "", rest)
	desc = rest
	dir = ""
	if (index(rest, " # ")) {
		desc = substr(rest, 1, index(rest, " # ") - 1)
		dir = substr(rest, index(rest, " # ") + 3)
	}
	if (desc == "")
		err("result " num " has no description")
	if (index(desc, "#"))
		err("description \"" desc "\" contains #")

	count[depth]++
	if (num + 0 != count[depth])
		err("test number " num ", expected " count[depth])

	word = dir
	sub(/ .*/, "", word)
	res = ok ? "pass" : "fail"
	if (word ~ /^[A-Z]+$/) {
		if (word == "SKIP")
			res = "skip"
		else if (word == "TODO")
			err("TODO directive: its use in the kernel is discouraged")
		else if (word == "TIMEOUT" || word == "ERROR") {
			if (ok)
				err(word " directive on an ok result")
		} else if (word != "XFAIL")
			err("unknown directive " word)
	}

	# Bubbling up: a nested block just closed belongs to this result.
	kids = ""
	if (closed == depth + 1) {
		if (failed[depth + 1] && ok && res != "skip")
			err("\"" desc "\" is ok but a subtest failed")
		n = split(pending[depth + 1], lines, "\n")
		for (i = 1; i <= n; i++)
			if (lines[i] != "")
				kids = kids desc "." lines[i] "\n"
		pending[depth + 1] = ""
	}
	closed = -1
	if (res == "fail")
		failed[depth] = 1
	if (depth == 0)
		printf "%s%s %s\n", kids, desc, res
	else
		pending[depth] = pending[depth] kids desc " " res "\n"
}

END {
	if (depth < 0)
		err("no KTAP version line")
	else {
		while (depth > 0) {
			err("output ends inside a nested block")
			depth--
		}
		if (expect_plan)
			err("no plan line")
		else if (count[0] != plan[0])
			err("planned " plan[0] " tests but reported " count[0])
	}
	exit errors ? 1 : 0
}
