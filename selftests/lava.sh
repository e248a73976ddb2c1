#!/bin/sh
# lava.sh — lava-jobs/ against LAVA itself (TAP).
#
#   1. rkval-lava, the board-side test definition, outside LAVA under
#      dash and busybox sh: set -e never ends the step, names keep LAVA's
#      characters, every rkval result maps to pass/fail/skip/unknown,
#      VERDICT lines sit between STARTTC and ENDTC right before their
#      case, helpers are used when present, lava-test-raise when nothing
#      could be tested;
#   2. collect on recorded LAVA logs: SError -> crash/qos, panic ->
#      crash/panic, lavacli results;
#   3. a real LAVA job: Debian's lava-run boots Debian's arm64 kernel
#      under QEMU (lava-jobs/local/run-qemu-job) and runs the test
#      definition -- what LAVA does with set -e, odd names and results;
#      the bring-up list on vnpu under the mainline, rfc and next kernel
#      profiles (standing in for kernel versions) and --device kernel,
#      results back through collect; and a second job whose kernel
#      panics mid-subtest, which collect must attribute;
#   4. every job lava-jobs/generate writes from the example matrix (4
#      kernels x 3 boards x 3 plans, less what the rules exclude) passes
#      `lava-schema.py job --strict` and the server's flat-metadata rule;
#      a broken template or matrix fails; the device types render.
#   5. the generated jobs, pointed at local files, through
#      `lava-run --validate` on the example device dictionaries.
# Needs (scripts/deps.sh): lava-common, lava-dispatcher, qemu-system-arm,
# linux-image-amd64, device-tree-compiler, cpio, yamllint, tftpd-hpa,
# u-boot-tools and telnet (lava-run --validate of a U-Boot/barebox job
# asks for each), the arm64 cross build.
# shellcheck disable=SC2317 # the helpers below run through check()
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

PY=/usr/bin/python3	# Debian's lava_common is not on a venv's path
SCHEMA=/usr/share/lava-common/lava-schema.py
F=selftests/lava-fixtures
SHELLS="dash busybox_sh"
# The example matrix: kernels, boards, plans, and the jobs its rules keep
# (RK3568 boards only on the RFC tree; lava-jobs/matrix.txt).
MATRIX_KERNELS=4
MATRIX_BOARDS=3
MATRIX_JOBS=18
# The bring-up list (testlists/bringup.testlist).
BRINGUP_SUBTESTS=18
# lava-run keeps a job's files in /var/lib/lava/dispatcher/tmp/JOB_ID and
# removes them at the end: two make checks on one machine with the same
# ids break each other's jobs, so the ids come from this process.
JOB1=$$
JOB2=$(($$ + 4194304))	# above any PID (pid_max's limit)
# Test action timeout of the panic job: LAVA notices the panic only when
# it expires, so the job always lasts this long.  The guest panics a few
# seconds into the test on an idle machine; 30 s was too short under a
# load of 11 on 2 CPUs (the timeout hit before the panic), hence 90.
PANIC_TEST_S=90

has() { grep -q -e "$2" "$1"; }
# quiet CMD...: CMD's output only when it fails, as TAP comments.
quiet() {
	"$@" > "$tmp/quiet.out" 2>&1 && return 0
	sed -e 's/^/# /' "$tmp/quiet.out" | head -n 10
	return 1
}
hasnt() { ! grep -q -e "$2" "$1"; }
run_sh() {
	case $1 in
	busybox_sh) shift; busybox sh "$@" ;;
	*) "$@" ;;
	esac
}

# === 1. rkval-lava outside LAVA ==============================================

# valid_signals LOG: every TESTCASE has a LAVA-legal name and result.
valid_signals() {
	sed -n -e 's/^<LAVA_SIGNAL_TESTCASE \(.*\)>$/\1/p' "$1" > "$tmp/cases"
	[ -s "$tmp/cases" ] || return 1
	! grep -v -E '^TEST_CASE_ID=[A-Za-z0-9_.-]+ RESULT=(pass|fail|skip|unknown)( UNITS=s MEASUREMENT=[0-9.]+)?$' "$tmp/cases"
}
# result_of LOG CASE: the LAVA result signalled for CASE.
result_of() {
	sed -n -e "s/^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=$2 RESULT=\([a-z]*\).*/\1/p" "$1"
}
# verdict_in_case LOG CASE VERDICT: VERDICT is printed between the case's
# STARTTC and ENDTC, and its TESTCASE follows ENDTC directly.
verdict_in_case() {
	awk -v c="$2" -v v="$3" '
		$0 == "<LAVA_SIGNAL_STARTTC " c ">" { inside = 1; next }
		inside && index($0, v) == 1 { seen = 1 }
		$0 == "<LAVA_SIGNAL_ENDTC " c ">" { inside = 0; ended = NR }
		ended && NR == ended + 1 { ok = (index($0, "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=" c " ") == 1) }
		END { exit !(seen && ok) }' "$1"
}
sets_balanced() {
	[ "$(grep -c '^<LAVA_SIGNAL_TESTSET START ' "$1")" = "$(grep -c '^<LAVA_SIGNAL_TESTSET STOP>' "$1")" ]
}

for sh in $SHELLS; do
	log=$tmp/odd-$sh.log
	# As lava-test-shell runs a step: under sh -e, the next step after it.
	RKVAL_RUN=$F/fake-rkval-run run_sh "$sh" -e -c \
		'sh lava-jobs/rkval-lava --list bringup; echo "NEXT STEP RAN"' > "$log" 2>&1
	check "$sh: under set -e the step after rkval-lava still runs (fake runner exits 1)" has "$log" '^NEXT STEP RAN$'
	check "$sh: every case name is [A-Za-z0-9_.-] and every result pass/fail/skip/unknown" valid_signals "$log"
	check "$sh: 8 subtests + rkval-complete reported" test "$(grep -c '^<LAVA_SIGNAL_TESTCASE ' "$log")" -eq 9
	check "$sh: timeout -> fail" test "$(result_of "$log" hang)" = fail
	check "$sh: dmesg-warn -> fail" test "$(result_of "$log" dte-below-4g)" = fail
	check "$sh: crash -> fail, dynamic subtest named SUB.DYN" test "$(result_of "$log" conv.3x3-int8)" = fail
	check "$sh: notrun -> fail" test "$(result_of "$log" conv-after)" = fail
	check "$sh: an unknown rkval result -> unknown" test "$(result_of "$log" bo-odd)" = unknown
	check "$sh: '=', '>', '/', ':' in a name become '_'" test "$(result_of "$log" bo_create_4096_x_y)" = fail
	check "$sh: runner-made entry in set runner" has "$log" '^<LAVA_SIGNAL_TESTSET START runner>$'
	check "$sh: VERDICT between STARTTC and ENDTC, right before its case" \
		verdict_in_case "$log" hang "VERDICT: job-timeout no completion"
	check "$sh: test sets balanced" sets_balanced "$log"
	check "$sh: rkval-complete pass when every joblist entry was reported" \
		test "$(result_of "$log" rkval-complete)" = pass
	check "$sh: no lava-test-raise when something was tested" hasnt "$log" TESTRAISE
done

# LAVA's helpers in PATH: they are used, with the same arguments.
mkdir -p "$tmp/helpers"
for h in lava-test-case lava-test-set lava-test-raise; do
	printf '#!/bin/sh\necho "%s $*" >> "%s/helper-calls"\nexit 1\n' "$h" "$tmp" > "$tmp/helpers/$h"
	chmod +x "$tmp/helpers/$h"
done
PATH=$tmp/helpers:$PATH RKVAL_RUN=$F/fake-rkval-run sh lava-jobs/rkval-lava > "$tmp/helpers.log" 2>&1
status=$?
check "helpers: exit 0 although the helpers exit 1" test "$status" -eq 0
check "helpers: lava-test-case with --measurement and --units" \
	has "$tmp/helper-calls" '^lava-test-case hang --result fail --measurement 60.000 --units s$'
check "helpers: lava-test-set start/stop" has "$tmp/helper-calls" '^lava-test-set start rocket_conv$'
check "helpers: no raw TESTCASE printed when lava-test-case exists" hasnt "$tmp/helpers.log" '^<LAVA_SIGNAL_TESTCASE'
check "helpers: 9 lava-test-case calls" test "$(grep -c '^lava-test-case ' "$tmp/helper-calls")" -eq 9

FAKE_RKVAL_MODE=cut RKVAL_RUN=$F/fake-rkval-run sh lava-jobs/rkval-lava > "$tmp/cut.log" 2>&1
check "runner killed mid-list: rkval-complete fail" test "$(result_of "$tmp/cut.log" rkval-complete)" = fail
FAKE_RKVAL_MODE=nodevice RKVAL_RUN=$F/fake-rkval-run sh lava-jobs/rkval-lava > "$tmp/nodev.log" 2>&1
check "every subtest no-device: lava-test-raise" has "$tmp/nodev.log" '^<LAVA_SIGNAL_TESTRAISE rkval-lava: no NPU to test'
FAKE_RKVAL_MODE=nodevice RKVAL_RUN=$F/fake-rkval-run sh lava-jobs/rkval-lava --raise no > "$tmp/noraise.log" 2>&1
check "--raise no: results only" hasnt "$tmp/noraise.log" TESTRAISE
RKVAL_RUN=$tmp/no-such-runner sh -e lava-jobs/rkval-lava > "$tmp/norunner.log" 2>&1
status=$?
check "no runner: exit 0, rkval-complete fail, lava-test-raise" sh -c \
	"[ $status -eq 0 ] && grep -q 'TEST_CASE_ID=rkval-complete RESULT=fail' '$tmp/norunner.log' && grep -q '^<LAVA_SIGNAL_TESTRAISE' '$tmp/norunner.log'"
sh -e lava-jobs/rkval-lava --bogus > "$tmp/bogus.log" 2>&1
status=$?
check "unknown option: exit 0 and lava-test-raise naming it" sh -c \
	"[ $status -eq 0 ] && grep -q '^<LAVA_SIGNAL_TESTRAISE .*unknown option --bogus' '$tmp/bogus.log'"

# The real runner on vnpu: one case per subtest of the list.
sh lava-jobs/rkval-lava --bin-dir "$build/tests" --list bringup --device vnpu:rk3568 \
	--vnpu-kernel rfc > "$tmp/vnpu.log" 2>&1
check "real runner, vnpu: $BRINGUP_SUBTESTS cases + rkval-complete pass" sh -c \
	"[ \$(grep -c '^<LAVA_SIGNAL_TESTCASE ' '$tmp/vnpu.log') -eq $((BRINGUP_SUBTESTS + 1)) ] && grep -q 'TEST_CASE_ID=rkval-complete RESULT=pass' '$tmp/vnpu.log'"
check "real runner, vnpu: the runner's metadata on the console" has "$tmp/vnpu.log" '^rkval-metadata: device: vnpu:rk3568$'

# === 2. collect on recorded logs ===============================================

c=$tmp/collect-serror
sh lava-jobs/collect --job 4321 "$F/serror-job.log" "$c" > "$tmp/collect.log" 2>&1
d=$c/0_rkval-bringup
check "collect: SError after the start marker -> crash, VERDICT qos" \
	has "$d/summary.txt" '^crash igt@npu_power_domain@domain-off-when-suspended .* VERDICT: qos SError Interrupt'
check "collect: the subtest before it keeps its result" has "$d/summary.txt" '^pass igt@rocket_basic@soc-identify (0.004 s)$'
check "collect: the subtest after it is unfinished (no result.txt)" sh -c \
	"[ -d '$d/003-npu_power_domain@domain-cycling' ] && [ ! -e '$d/003-npu_power_domain@domain-cycling/result.txt' ]"
check "collect: the crash's console lines in its dmesg.txt" \
	has "$d/002-npu_power_domain@domain-off-when-suspended/dmesg.txt" 'Kernel panic - not syncing'
check "collect: metadata.txt says source: lava job 4321, uname, device" sh -c \
	"grep -q '^source: lava job 4321$' '$d/metadata.txt' && grep -q '^uname: ' '$d/metadata.txt' && grep -q '^device: kernel' '$d/metadata.txt'"
check "collect: results.ktap plan counts the joblist" has "$d/results.ktap" '^1\.\.3$'
sh lava-jobs/collect "$F/panic-job.log" "$tmp/collect-panic" > /dev/null 2>&1
check "collect: a panic without SError -> crash, VERDICT panic (lavacli log shape)" \
	has "$tmp/collect-panic/0_rkval-bringup/summary.txt" '^crash igt@npu_power_domain@domain-off-when-suspended .* VERDICT: panic Kernel panic'
sh lava-jobs/collect --results "$F/lavacli-results.yaml" "$F/serror-job.log" "$tmp/collect-yaml" > /dev/null 2>&1
check "collect: lavacli results --yaml: a case the console lost comes from LAVA's result" \
	has "$tmp/collect-yaml/0_rkval-bringup/summary.txt" '^fail igt@npu_clocks@clocks-enabled-while-active '
# --repeat (soak plans): one results directory per run, matched with
# LAVA's BIN.iterI sets; rkval-lava's console made into a log as LAVA
# would record it.
RKVAL_RUN=$F/fake-rkval-run sh lava-jobs/rkval-lava --repeat 2 > "$tmp/repeat.out" 2>&1
awk -v suite=0_soak -f "$F/as-lava-log.awk" "$tmp/repeat.out" > "$tmp/repeat.log"
sh lava-jobs/collect --job 9 "$tmp/repeat.log" "$tmp/collect-repeat" > /dev/null 2>&1
check "collect --repeat 2: iter-1 and iter-2, each with all 8 subtests and no LAVA case missing" sh -c \
	"for i in 1 2; do r='$tmp/collect-repeat/0_soak/iter-'\$i; [ \$(grep -c . \$r/summary.txt) -eq 8 ] && grep -q '^lava-missing: 0\$' \$r/metadata.txt || exit 1; done"
check "collect: the unknown result keeps its rkval name in summary.txt" \
	has "$tmp/collect-repeat/0_soak/iter-2/summary.txt" '^weird-result igt@rocket_bo@bo-odd '
check "collect: a name LAVA saw sanitised maps back (lava-mismatch: 0)" \
	has "$tmp/collect-repeat/0_soak/iter-1/metadata.txt" '^lava-mismatch: 0$'
printf 'not a LAVA log\n' > "$tmp/garbage.log"
sh lava-jobs/collect "$tmp/garbage.log" "$tmp/collect-garbage" > "$tmp/garbage.out" 2>&1
status=$?
check "collect: a file that is no LAVA log is an error naming it" sh -c \
	"[ $status -ne 0 ] && grep -q 'garbage.log' '$tmp/garbage.out'"

# === 3. a real lava-run job ===================================================

missing=""
for tool in lava-run qemu-system-aarch64 dtc cpio aarch64-linux-gnu-readelf; do
	command -v "$tool" > /dev/null 2>&1 || missing="$missing $tool"
done
[ -f "$SCHEMA" ] || missing="$missing $SCHEMA"
if [ -n "$missing" ]; then
	not_ok "tools for the LAVA checks:$missing (sh scripts/deps.sh check installs them)"
	tap_plan
	tap_exit
fi

q=$tmp/qemu
make -s -j2 ARCH=arm64 all > "$tmp/arm64-build.log" 2>&1
start=$(date +%s)
RKVAL_LAVA_JOB_ID=$JOB1 RKVAL_LAVA_EXTRA="$F/fake-rkval-run=usr/share/rkval-selftest/fake-rkval-run" \
	sh lava-jobs/local/run-qemu-job "$q" "@$F/lava-set-e.yaml" "@$F/odd-names.yaml" \
	vnpu-mainline:vnpu+rk3588:mainline vnpu-rfc:vnpu+rk3568:rfc \
	vnpu-next:vnpu+rk3568:next kernel:kernel > "$tmp/qemu.out" 2>&1
status=$?
secs=$(($(date +%s) - start))
echo "# lava-run QEMU arm64 job: $secs s wall (status $status)"
ll=$q/lava-run.log
lres() { grep '"lvl": "results"' "$ll" | grep -e "$1"; }
check "lava-run job ran and booted (login-action pass)" sh -c \
	"[ -s '$ll' ] && grep '\"lvl\": \"results\"' '$ll' | grep -q '\"case\": \"login-action\".*\"result\": \"pass\"'"
tail -n 5 "$tmp/qemu.out" | sed -e 's/^/# /'
check "the local job itself passes lava-schema.py job --strict" \
	quiet "$PY" "$SCHEMA" job --strict "$q/job.yaml"
check "LAVA: a raw case named with a space is dropped" sh -c \
	"! grep '\"lvl\": \"results\"' '$ll' | grep -q '\"case\": \"has'"
check "LAVA: a result outside pass/fail/skip/unknown is dropped" sh -c \
	"grep -q 'Bad test result' '$ll' && ! grep '\"lvl\": \"results\"' '$ll' | grep -q '\"case\": \"raw-timeout\"'"
check "LAVA: a legal raw case is kept" sh -c "grep '\"lvl\": \"results\"' '$ll' | grep -q '\"case\": \"raw-ok\"'"
check "LAVA: under set -e, results after a failing step are lost (before-false kept, after-false never)" sh -c \
	"grep '\"lvl\": \"results\"' '$ll' | grep -q '\"case\": \"before-false\"' && ! grep -q 'after-false.*\"result\"' '$ll'"
if lres '"case": "0_lava-set-e"' > /dev/null; then
	echo "# LAVA recorded a lava-suite entry for the aborted definition"
else
	echo "# LAVA recorded no lava-suite entry for the aborted definition 0_lava-set-e"
fi
check "LAVA: the definition after rkval-lava's step still runs its next step" sh -c \
	"grep '\"lvl\": \"results\"' '$ll' | grep -q '\"case\": \"after-rkval-lava\"'"

out=$tmp/collected
sh lava-jobs/collect --job "$JOB1" "$ll" "$out" > "$tmp/collect-real.log" 2>&1
check "collect on the real job: one results directory per rkval definition" sh -c \
	"cd '$out' && [ -d 1_odd-names ] && [ -d 2_vnpu-mainline ] && [ -d 3_vnpu-rfc ] && [ -d 4_vnpu-next ] && [ -d 5_kernel ]"
check "odd names and results: LAVA recorded every case rkval-lava sent (lava-missing: 0, lava-mismatch: 0)" sh -c \
	"grep -q '^lava-missing: 0$' '$out/1_odd-names/metadata.txt' && grep -q '^lava-mismatch: 0$' '$out/1_odd-names/metadata.txt'"
check "odd names: LAVA recorded the unknown result as unknown" sh -c \
	"grep '\"lvl\": \"results\"' '$ll' | grep '\"case\": \"bo-odd\"' | grep -q '\"result\": \"unknown\"'"
for p in mainline rfc next; do
	cnt=$(cat "$out/"*"_vnpu-$p/summary.txt" 2>/dev/null | grep -c .)
	check "vnpu $p: all $BRINGUP_SUBTESTS bring-up subtests back through collect" test "${cnt:-0}" -eq "$BRINGUP_SUBTESTS"
	check "vnpu $p: LAVA recorded every case (lava-missing: 0)" has "$out/"*"_vnpu-$p/metadata.txt" '^lava-missing: 0$'
done
check "mainline: clocks-enabled-while-active fails with the clock verdict" sh -c \
	"grep ' igt@npu_clocks@clocks-enabled-while-active ' '$out/2_vnpu-mainline/summary.txt' | grep -q '^fail .* VERDICT: clock '"
check "rfc: the same clock verdict (the RFC keeps mainline's clock lookup)" sh -c \
	"grep ' igt@npu_clocks@clocks-enabled-while-active ' '$out/3_vnpu-rfc/summary.txt' | grep -q '^fail .* VERDICT: clock '"
check "next: clocks-enabled-while-active passes -- the profiles differ" sh -c \
	"grep -q '^pass igt@npu_clocks@clocks-enabled-while-active ' '$out/4_vnpu-next/summary.txt'"
check "vnpu runs say vnpu in metadata (backend line from the binaries)" has "$out/2_vnpu-mainline/metadata.txt" '^backend: .*vnpu'
k=$out/5_kernel
check "kernel: every bring-up subtest fails with VERDICT no-device on the real kernel" sh -c \
	"[ \$(grep -c '^fail .* VERDICT: no-device ' '$k/summary.txt') -eq $BRINGUP_SUBTESTS ] && [ \$(grep -c . '$k/summary.txt') -eq $BRINGUP_SUBTESTS ]"
check "kernel: metadata names the arm64 Debian kernel and source: lava job N" sh -c \
	"grep -q '^uname: Linux .*-arm64 .*aarch64' '$k/metadata.txt' && grep -q '^source: lava job $JOB1\$' '$k/metadata.txt'"
check "kernel: nothing testable -> lava-test-raise -> job Incomplete with rkval's message" sh -c \
	"grep '\"lvl\": \"results\"' '$ll' | grep '\"case\": \"job\"' | grep '\"result\": \"fail\"' | grep -q 'no NPU to test'"

# A real kernel panic in the middle of a subtest, in a job of its own: a
# panicked guest ends the job only at its test timeout (kept short here).
qp=$tmp/qemu-panic
start=$(date +%s)
RKVAL_LAVA_JOB_ID=$JOB2 RKVAL_LAVA_TEST_SECONDS=$PANIC_TEST_S \
RKVAL_LAVA_EXTRA="$F/fake-rkval-run=usr/share/rkval-selftest/fake-rkval-run" \
	sh lava-jobs/local/run-qemu-job "$qp" "@$F/panic.yaml" > "$tmp/qemu-panic.out" 2>&1
echo "# lava-run QEMU arm64 panic job: $(($(date +%s) - start)) s wall"
grep '"lvl": "results"' "$qp/lava-run.log" 2>/dev/null | grep '"case": "job"' | sed -e 's/^/# /'
sh lava-jobs/collect --job "$JOB2" "$qp/lava-run.log" "$tmp/collected-panic" > /dev/null 2>&1
pd=$tmp/collected-panic/0_panic
check "real panic: the console shows the [IGT] start marker, then the kernel panic" sh -c \
	"grep -q '\[IGT\] npu_power_domain: starting subtest domain-off-when-suspended' '$qp/lava-run.log' && grep -q 'Kernel panic - not syncing' '$qp/lava-run.log'"
check "real panic: collect makes that subtest crash with VERDICT panic" \
	has "$pd/summary.txt" '^crash igt@npu_power_domain@domain-off-when-suspended .* VERDICT: panic Kernel panic - not syncing: sysrq triggered crash$'
check "real panic: the subtest before it passed, the one after it is unfinished" sh -c \
	"grep -q '^pass igt@rocket_basic@soc-identify ' '$pd/summary.txt' && [ -d '$pd/003-npu_power_domain@domain-cycling' ] && [ ! -e '$pd/003-npu_power_domain@domain-cycling/result.txt' ]"
check "real panic: LAVA ends the job at the test timeout (Incomplete)" sh -c \
	"grep '\"lvl\": \"results\"' '$qp/lava-run.log' | grep '\"case\": \"job\"' | grep -q '\"result\": \"fail\"'"

# === 4. generated jobs against LAVA's schema ====================================

jobs=$tmp/jobs
sh lava-jobs/generate -o "$jobs" > "$tmp/gen.log" 2>&1
check "generate: the example matrix gives $MATRIX_JOBS jobs" sh -c \
	"[ \$(ls '$jobs' | grep -c '\\.yaml\$') -eq $MATRIX_JOBS ]"
"$PY" "$SCHEMA" job --strict "$jobs"/*.yaml > "$tmp/schema.log" 2>&1
check "every generated job passes lava-schema.py job --strict" test $? -eq 0
grep -e '->' "$tmp/schema.log" | head -n 5 | sed -e 's/^/# /'

# The server-side rules lava_common does not check: flat metadata
# (lava_scheduler_app/schema.py), and what a lab needs of each job.
cat > "$tmp/jobcheck.py" << 'EOF'
import sys, yaml
bad = 0
kernels, boards = set(), set()
for f in sys.argv[1:]:
    job = yaml.safe_load(open(f))
    def fail(msg):
        global bad
        bad += 1
        print("%s: %s" % (f, msg))
    md = job.get("metadata", {})
    for k, v in md.items():
        if not isinstance(k, (str, int)) or not isinstance(v, (str, int)):
            fail("metadata %r is not flat (server accepts str|int values only)" % k)
    def minutes(t):
        return t.get("days", 0) * 1440 + t.get("hours", 0) * 60 + t.get("minutes", 0) + t.get("seconds", 0) / 60
    total = 0
    for a in job["actions"]:
        (kind, body), = a.items()
        if "timeout" not in body:
            fail("%s action without its own timeout" % kind)
        else:
            total += minutes(body["timeout"])
        if kind == "boot" and body.get("failure_retry", 0) < 2:
            fail("boot without failure_retry")
    if total > minutes(job["timeouts"]["job"]):
        fail("job timeout %s min < sum of action timeouts %s min" % (minutes(job["timeouts"]["job"]), total))
    if not job.get("tags"):
        fail("no device tags")
    for key in ("kernel.describe", "board", "rkval.plan"):
        if str(md.get(key, "")) not in job["job_name"]:
            fail("job_name lacks %s" % key)
    for key in ("kernel.version", "kernel.tree", "rkval__version", "rkval.plan"):
        if key not in md:
            fail("metadata lacks %s" % key)
    kernels.add(md.get("kernel.version"))
    boards.add(job["device_type"])
print("kernel versions: %d, boards: %d" % (len(kernels), len(boards)))
sys.exit(1 if bad else 0)
EOF
"$PY" "$tmp/jobcheck.py" "$jobs"/*.yaml > "$tmp/jobcheck.log" 2>&1
check "flat metadata, per-action timeouts summing below the job's, failure_retry, tags, KernelCI-style names" \
	test $? -eq 0
sed -e 's/^/# /' "$tmp/jobcheck.log" | head -n 5
check "the matrix covers >= 3 kernel versions x all $MATRIX_BOARDS boards" sh -c \
	"v=\$(sed -n -e 's/^kernel versions: \\([0-9]*\\), boards: \\([0-9]*\\)\$/\\1 \\2/p' '$tmp/jobcheck.log'); set -- \$v; [ \"\$1\" -ge 3 ] && [ \"\$2\" -eq $MATRIX_BOARDS ]"
check "rules: RK3568 boards only on the RFC tree, RK3588 on all $MATRIX_KERNELS kernels" sh -c \
	"[ \$(ls '$jobs' | grep -c '_rk3568-' ) -eq 6 ] && ! ls '$jobs' | grep '_rk3568-' | grep -qv '^rk3568-rfc-v2_' && [ \$(ls '$jobs' | grep -c '_rk3588-rock-5b_bringup') -eq $MATRIX_KERNELS ]"

# yamllint: what a YAML loader forgives, a duplicated key above all (the
# later one silently wins, so a template edit could drop a timeout).
YAMLLINT_CONF='{extends: default, rules: {line-length: {max: 200}, document-start: disable}}'
check "generated jobs and test definitions are yamllint-clean" quiet yamllint -s -d "$YAMLLINT_CONF" \
	"$jobs"/*.yaml lava-jobs/testdefs/rkval.yaml "$F"/lava-set-e.yaml "$F"/odd-names.yaml "$F"/panic.yaml

# A template change that breaks the schema fails.
cp -R lava-jobs "$tmp/broken"
mkdir -p "$tmp/b" && mv "$tmp/broken" "$tmp/b/lava-jobs"
sed -i -e 's/^      failure_retry: 3$/      failure_retyr: 3/' "$tmp/b/lava-jobs/templates/boot-ramdisk.yaml.in"
sh "$tmp/b/lava-jobs/generate" -o "$tmp/b/jobs" > /dev/null 2>&1
"$PY" "$SCHEMA" job --strict "$tmp/b/jobs"/*bringup.yaml > "$tmp/b/schema.log" 2>&1
check "a misspelt key in a template fails the strict schema" sh -c \
	"[ $? -ne 0 ] && grep -q 'extra keys not allowed' '$tmp/b/schema.log'"
printf '      timeout:\n        minutes: 99\n' >> "$tmp/b/lava-jobs/templates/test.yaml.in"
sh "$tmp/b/lava-jobs/generate" -o "$tmp/b/jobs3" > /dev/null 2>&1
yamllint -s -d "$YAMLLINT_CONF" "$tmp/b/jobs3"/*full.yaml > "$tmp/b/yamllint.log" 2>&1
check "a duplicated key in a template fails yamllint" sh -c \
	"[ $? -ne 0 ] && grep -q 'duplication of key' '$tmp/b/yamllint.log'"
sed -i -e 's/^  board: "@BOARD@"$/  board: {name: "@BOARD@"}/' "$tmp/b/lava-jobs/templates/header.yaml.in"
sh "$tmp/b/lava-jobs/generate" -o "$tmp/b/jobs2" > /dev/null 2>&1
"$PY" "$tmp/jobcheck.py" "$tmp/b/jobs2"/*full.yaml > "$tmp/b/flat.log" 2>&1
check "nested metadata fails the flat-metadata rule" sh -c \
	"[ $? -ne 0 ] && grep -q 'is not flat' '$tmp/b/flat.log'"

# A bad matrix is an error naming file and line, and writes nothing.
sed -e 's/^kernel mainline-6.19 mainline 6.19 /kernel mainline-6.19 mainline six /' lava-jobs/matrix.txt > "$tmp/bad-matrix.txt"
sh lava-jobs/generate -o "$tmp/bad-jobs" "$tmp/bad-matrix.txt" > "$tmp/bad.log" 2>&1
status=$?
line=$(grep -n '^kernel mainline-6.19 ' lava-jobs/matrix.txt | cut -d: -f1)
check "bad matrix line: exit 2, message names file:line, no job written" sh -c \
	"[ $status -eq 2 ] && grep -q 'bad-matrix.txt:$line: kernel mainline-6.19: VERSION must be MAJOR.MINOR' '$tmp/bad.log' && [ ! -e '$tmp/bad-jobs' ]"

# The generated lab jobs through the dispatcher itself: the same
# templates with file:// URLs to this run's kernel, dtb and ramdisk,
# validated by `lava-run --validate` (builds the whole pipeline, checks
# tools and files, touches no hardware) against the example device
# dictionaries rendered from Debian's lava-server templates.
dt=${RKVAL_LAVA_CACHE:-build/lava-cache}/device-types
v=$tmp/validate
mkdir -p "$v/dtbs/rockchip" "$v/m/lib/modules" "$v/r"
for b in rk3568-rock-3b rk3568-rock-3a; do cp "$q/stage/guest.dtb" "$v/dtbs/rockchip/$b.dtb"; done
tar -C "$v/m" -cJf "$v/modules.tar.xz" lib
tar -C "$v/r" -cJf "$v/rootfs.tar.xz" .
cat > "$v/matrix.txt" << EOF
set rkval_repo file://$q/stage/testdefs.git
set rkval_revision master
set rkval_version 0.1
set priority medium
set visibility public
set tag rocket-npu
rootfs local file://$q/stage/initramfs.cpio.gz file://$v/rootfs.tar.xz
kernel local mainline 6.19 v6.19 file://$q/stage/Image file://$v/dtbs file://$v/modules.tar.xz local
board rk3568-rock-3b rk3568 rockchip/rk3568-rock-3b.dtb u-boot
board rk3568-rock3a rk3568 rockchip/rk3568-rock-3a.dtb barebox
plan bringup bringup ramdisk 10 1
plan full all nfs 45 1
EOF
sh lava-jobs/generate -o "$v/jobs" "$v/matrix.txt" > "$v/gen.log" 2>&1
for d in rock3b-01 rock3a-01; do
	"$PY" - "$dt" lava-jobs/device-types lava-jobs/devices "$d.jinja2" > "$v/$d.yaml" 2>&1 << 'EOF'
import sys, jinja2
env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1:4]), trim_blocks=True)
print(env.get_template(sys.argv[4]).render())
EOF
done
for j in rk3568-rock-3b_bringup:rock3b-01 rk3568-rock-3b_full:rock3b-01 \
	rk3568-rock3a_bringup:rock3a-01 rk3568-rock3a_full:rock3a-01; do
	check "lava-run --validate: the ${j%:*} job on device ${j#*:}" quiet \
		lava-run --validate --job-id "$((JOB2 + 1))" --output-dir "$v/out-${j%:*}" \
		--device "$v/${j#*:}.yaml" "$v/jobs/local_${j%:*}.yaml"
done
lava-run --validate --job-id "$((JOB2 + 1))" --output-dir "$v/out-wrong" --device "$v/rock3b-01.yaml" \
	"$v/jobs/local_rk3568-rock3a_bringup.yaml" > "$v/wrong.log" 2>&1
check "lava-run --validate refuses a barebox job on the U-Boot board" sh -c \
	"[ $? -ne 0 ] && grep -q 'was not in the device configuration boot methods' '$v/wrong.log'"

# The device types a lab installs render against Debian's lava-server
# templates (fetched by run-qemu-job) and validate.
for d in lava-jobs/device-types/rk3568-rock-3b.jinja2 lava-jobs/device-types/rk3568-rock3a.jinja2 \
	lava-jobs/devices/rock3b-01.jinja2 lava-jobs/devices/rock3a-01.jinja2; do
	check "device template $(basename "$d") validates (lava-schema.py device)" \
		quiet "$PY" "$SCHEMA" device --path "$dt" --path lava-jobs/device-types "$d"
done
"$PY" - "$dt" lava-jobs/device-types lava-jobs/devices rock3b-01.jinja2 > "$tmp/rock3b.yaml" 2>&1 << 'EOF'
import sys, jinja2
env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1:4]), trim_blocks=True)
print(env.get_template(sys.argv[4]).render())
EOF
check "rock3b-01 renders a U-Boot ramdisk boot on ttyS2 at 1500000 baud" \
	has "$tmp/rock3b.yaml" "console=ttyS2,1500000n8 root=/dev/ram0"
check "the test definition file passes LAVA's testdef schema" "$PY" -c \
	'import sys, yaml; from lava_common.schemas.test.testdef import validate; validate(yaml.safe_load(open(sys.argv[1])))' \
	lava-jobs/testdefs/rkval.yaml

# The board-side and host scripts have no .sh suffix; the shellcheck
# pass in check.sh sees only *.sh.
check "shellcheck -s sh on lava-jobs' scripts and the fake runner" shellcheck -s sh \
	lava-jobs/rkval-lava lava-jobs/generate lava-jobs/collect \
	lava-jobs/local/run-qemu-job lava-jobs/local/init $F/fake-rkval-run

tap_plan
tap_exit
