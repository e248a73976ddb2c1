# as-lava-log.awk — console lines (what rkval-lava prints) as the log
# records lava-run writes: one target record per line and, for each
# TESTCASE signal, the results record LAVA's signal parser makes of it
# (lava_dispatcher/actions/test/shell.py).  -v suite=N_NAME.
BEGIN { print "{\"dt\": \"t\", \"lvl\": \"target\", \"msg\": \"<LAVA_SIGNAL_STARTRUN " suite " u>\"}" }
{
	m = $0
	gsub(/\\/, "\\\\", m)
	gsub(/"/, "\\\"", m)
	print "{\"dt\": \"t\", \"lvl\": \"target\", \"msg\": \"" m "\"}"
}
/^<LAVA_SIGNAL_TESTSET START / { set = $3; sub(/>$/, "", set) }
/^<LAVA_SIGNAL_TESTSET STOP>/ { set = "" }
/^<LAVA_SIGNAL_TESTCASE / {
	c = $2; sub(/^TEST_CASE_ID=/, "", c)
	r = $3; sub(/^RESULT=/, "", r); sub(/>$/, "", r)
	printf "{\"dt\": \"t\", \"lvl\": \"results\", \"msg\": {\"case\": \"%s\", \"definition\": \"%s\", \"result\": \"%s\"%s}}\n", c, suite, r, set == "" ? "" : ", \"set\": \"" set "\""
}
END { print "{\"dt\": \"t\", \"lvl\": \"target\", \"msg\": \"<LAVA_SIGNAL_ENDRUN " suite " u>\"}" }
