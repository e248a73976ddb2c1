# dmesg-verdicts.awk — per subtest, the kernel-log warnings igt_runner's
# rules find (runner/resultgen.c fill_from_dmesg in IGT): records are split
# at ": starting subtest " / ": starting dynamic subtest " markers; a
# record is a warning when its level is at most 4 (KERN_WARNING, the
# default --dmesg-warn-level), it is not a continuation, and the active
# ignore regex does not match it; "add ignored dmesg regex: RE" sets the
# regex until the next marker.  igt_runner's built-in allow-list is of x86
# messages and never matches rkval's.
#
#   awk -f selftests/lib/dmesg-verdicts.awk FILE
#
# FILE holds records either as vnpu writes RKVAL_VNPU_KMSG
# ("PRIO,SEQ,USEC,FLAGS;text", /dev/kmsg's read format) or as it writes
# RKVAL_VNPU_HOST_KMSG ("<LEVEL>text", devkmsg_write()'s format).
# Prints "SUBTEST WARNINGS" per subtest, in order.  RE is read as a POSIX
# ERE, which rkval's regexes are (docs/results.md).

function flush() {
	if (subtest != "")
		print subtest, warnings
}

{
	line = $0
	cont = 0
	if (line ~ /^<[0-7]>/) {
		level = substr(line, 2, 1) + 0
		text = substr(line, 4)
	} else if (line ~ /^[0-9]+,[0-9]+,[0-9]+,[^;]*;/) {
		head = substr(line, 1, index(line, ";") - 1)
		text = substr(line, index(line, ";") + 1)
		split(head, f, ",")
		level = f[1] % 8
		cont = f[4] ~ /c/
	} else {
		printf "%s:%d: not a kernel-log record\n", FILENAME, FNR > "/dev/stderr"
		bad = 1
		next
	}
	if (match(text, /: starting (dynamic )?subtest /)) {
		flush()
		subtest = substr(text, RSTART + RLENGTH)
		warnings = 0
		ignore = ""
		next
	}
	if (index(text, "add ignored dmesg regex: ")) {
		ignore = substr(text, index(text, "add ignored dmesg regex: ") + 25)
		next
	}
	if (subtest == "" || cont || level > 4)
		next
	if (ignore != "" && text ~ ignore)
		next
	warnings++
}

END {
	flush()
	exit bad
}
