#!/bin/sh
# fault-matrix.sh — the suite tells vnpu's injected hardware faults apart,
# each by its own verdict (docs/vnpu.md "Hardware faults", docs/bringup.md).
#
# Runs the bring-up diagnostics (rocket_dma_counters, rocket_stage_probe,
# rocket_pc_fetch), rocket_complete's one-task and multi-task-job, the
# tests/iommu and the tests/power binaries on vnpu:rk3568, and the
# diagnostics and rocket_complete again on vnpu:rk3588 (configurations
# "rk3588-<fault>"), once healthy and once per fault of RKVAL_VNPU_FAULTS
# (one fault at a time, every configuration in its own processes, in
# parallel), and checks:
#   - healthy: no subtest fails, so no VERDICT line at all;
#   - per fault: exactly the subtests of expected_failures() fail, each
#     with the fault's stage (a fault that panics the board, per the
#     catalogue: they die, and the next boot's serror-evidence names them
#     with the stage; the binary's later subtests never run); other
#     subtests pass, except collateral ones
#     of the iommu/power binaries (collateral()): job-timeout when the
#     fault stops every job, and dmesg when the fault logged kernel
#     warnings that binary does not own — both say "not localised here",
#     never a wrong place; known_misattributions() lists the few verdicts
#     known to blame the wrong place (TAP TODO);
#   - the localising stages (all but job-timeout and dmesg) seen under a
#     fault are exactly its own expected stage, and no two faults share
#     one;
#   - every binary that meets a fault names the same stage: the
#     diagnostics and rocket_complete share one decision (stage_decide());
#   - on RK3588 (no DDMA counters) every fault keeps its stage except
#     compute-clock-gated, which is job-timeout there: "op_en latched and
#     nothing moved" cannot be measured without counters; and
#     pc-half-fetch, which does nothing there: the fault is the vendor
#     pc_data_amount_scale, 2 on RK3588, where rocket's formula is the
#     vendor's (the whole list is fetched);
#   - every fault of vnpu's catalogue (lib/vnpu/vnpu_faults.c) has a row
#     and subtests that must fail with its stage;
#   - fault pairs (pair_winner()): with two of the job-stopping faults at
#     once, rocket_stage_probe@localise-hang and rocket_complete@one-task
#     both name the one that masks the other, as docs/bringup.md says.
# It prints the matrix (fault x verdict per binary group) as a Markdown
# table and writes it into docs/bringup.md and README.md between the
# fault-matrix markers when FAULT_MATRIX_WRITE=1; otherwise a table that
# differs from the committed one is a failure (the docs must not lie).
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
# shellcheck source=selftests/lib/panic.sh
. selftests/lib/panic.sh
write_docs=${FAULT_MATRIX_WRITE:-0}
device=vnpu:rk3568
diag_bins="rocket_dma_counters rocket_stage_probe rocket_pc_fetch rocket_complete"
# rocket_complete's single-job subtests: the queue and multi-file ones
# repeat them and would cost seconds per fault.
complete_subtests="one-task,multi-task-job"
rk3588_bins="rocket_stage_probe rocket_pc_fetch rocket_complete"
iommu_bins="rk_iommu_attach rk_iommu_fault rk_iommu_isolation rk_iommu_pagetable rk_iommu_timeout"
power_bins="npu_runtime_pm npu_power_domain npu_clocks npu_rebind"
bins="$diag_bins $iommu_bins $power_bins"
# The faults and the stage each must give: vnpu's fault catalogue
# (lib/vnpu/vnpu_faults.c, printed by tools/rkval-vnpu-faults).
catalogue_tool=$build/tools/rkval-vnpu-faults

# catalogue ARGS...: ask the catalogue tool (through the wrapper, if any).
catalogue() {
	# shellcheck disable=SC2086 # the wrapper may be empty
	$exec_prefix "$catalogue_tool" "$@"
}
if ! faults=$(catalogue names) || [ -z "$faults" ]; then
	not_ok "$catalogue_tool lists the faults"
	tap_plan
	tap_exit
fi
configs="healthy $faults"
rk3588_configs=$(for c in $configs; do printf 'rk3588-%s ' "$c"; done)
# Short soaks for the power binaries, as selftests/power-profiles.sh.
power_cycles=3
begin_marker='<!-- fault-matrix:begin (selftests/fault-matrix.sh writes this table) -->'
end_marker='<!-- fault-matrix:end -->'

# config_fault CONFIG: the fault of a configuration ("healthy" for none).
config_fault() {
	echo "${1#rk3588-}"
}

# config_device CONFIG, config_bins CONFIG: where and what it runs.
config_device() {
	case $1 in
	rk3588-*) echo vnpu:rk3588 ;;
	*) echo "$device" ;;
	esac
}

config_bins() {
	case $1 in
	rk3588-*) echo "$rk3588_bins" ;;
	*) echo "$bins" ;;
	esac
}

# The one stage each fault must be told apart by, from the catalogue (on
# RK3588 compute-clock-gated is job-timeout and pc-half-fetch gives none:
# see above).
expected_stage() {
	case $1 in
	healthy | rk3588-healthy) echo - ;;
	rk3588-*) catalogue stage "${1#rk3588-}" rk3588 ;;
	*) catalogue stage "$1" rk3568 ;;
	esac
}

# expected_failures CONFIG: "binary:subtest" lines that must fail with the
# configuration's expected_stage(); every other subtest passes (or is
# collateral / skipped, see judge_one).
expected_failures() {
	case $1 in
	rk3588-pc-half-fetch) return 0 ;;	# no effect at scale 2, see above
	rk3588-*)
		# Only the binaries RK3588 runs; its DMA counters do not exist.
		expected_failures "${1#rk3588-}" | grep -E "^(rocket_stage_probe|rocket_pc_fetch|rocket_complete):"
		return 0
		;;
	esac
	case $1 in
	mac-output-stall|pc-half-fetch|compute-clock-gated|pagetable-above-4g)
		# The same decision as the stage probe (stage_decide()).
		echo "rocket_complete:one-task"
		echo "rocket_complete:multi-task-job"
		;;
	esac
	case $1 in
	mac-output-stall)
		# The RFC's symptom: conv jobs read everything and stall; the
		# DPU-only programs (no CORE) still complete.
		cat <<-EOF
		rocket_dma_counters:counters-conv-raw
		rocket_dma_counters:counters-conv-int8
		rocket_stage_probe:cna-core-raw
		rocket_stage_probe:conv-full
		rocket_stage_probe:localise-hang
		EOF
		;;
	pc-half-fetch)
		# Every list loses its op_en word; the padded control does not.
		cat <<-EOF
		rocket_dma_counters:counters-conv-raw
		rocket_dma_counters:counters-conv-int8
		rocket_stage_probe:dpu-only
		rocket_stage_probe:cna-core-raw
		rocket_stage_probe:conv-full
		rocket_stage_probe:localise-hang
		rocket_pc_fetch:whole-list
		rocket_pc_fetch:amount-unit
		EOF
		;;
	compute-clock-gated)
		cat <<-EOF
		rocket_dma_counters:counters-conv-raw
		rocket_dma_counters:counters-conv-int8
		rocket_stage_probe:dpu-only
		rocket_stage_probe:cna-core-raw
		rocket_stage_probe:conv-full
		rocket_stage_probe:localise-hang
		rocket_pc_fetch:whole-list
		rocket_pc_fetch:padded-list
		rocket_pc_fetch:amount-unit
		npu_clocks:clocks-enabled-while-active
		EOF
		;;
	page-walker-gated-after-idle)
		# The diagnostics hold the core on and stay below 4 MiB of IOVA.
		echo "rk_iommu_pagetable:walk-after-idle"
		;;
	pagetable-above-4g)
		# Every translation misses the truncated directory
		# (selftests/iommu-profiles.sh lists the iommu side).
		cat <<-EOF
		rocket_dma_counters:counters-conv-raw
		rocket_dma_counters:counters-conv-int8
		rocket_stage_probe:dpu-only
		rocket_stage_probe:cna-core-raw
		rocket_stage_probe:conv-full
		rocket_stage_probe:localise-hang
		rocket_pc_fetch:whole-list
		rocket_pc_fetch:padded-list
		rocket_pc_fetch:amount-unit
		rk_iommu_attach:domain-across-jobs
		rk_iommu_attach:first-attach-after-idle
		rk_iommu_fault:fault-unmapped-read
		rk_iommu_fault:fault-unmapped-write
		rk_iommu_fault:fault-unmapped-regcmd
		rk_iommu_isolation:isolation-cross-fd-read
		rk_iommu_isolation:isolation-cross-fd-write
		rk_iommu_isolation:isolation-iova-gone-after-close
		rk_iommu_pagetable:dte-below-4g
		rk_iommu_pagetable:dte-v1-encoding
		rk_iommu_pagetable:walk-after-idle
		rk_iommu_timeout:job-timeout-recovery
		rk_iommu_timeout:job-timeout-other-fd
		EOF
		;;
	qos-save-gated-noc)
		# The first runtime suspend (or unbind) of each binary panics
		# the board: that subtest dies, the binary's later ones never
		# run.  The diagnostics hold the core on and never suspend.
		cat <<-EOF
		rk_iommu_attach:first-attach-after-idle
		rk_iommu_pagetable:walk-after-idle
		npu_runtime_pm:suspend-after-idle
		npu_power_domain:domain-off-when-suspended
		npu_clocks:clocks-released-when-suspended
		npu_rebind:unbind-bind
		EOF
		;;
	first-attach-timeouts)
		echo "rk_iommu_attach:first-attach-after-idle"
		;;
	esac
}

# pair_winner A B: the stage two faults give together (docs/bringup.md,
# "Fault pairs").  The PC reads the list through the MMU, so unreachable
# page tables mask everything; a list cut before its op_en word masks
# what runs behind the PC; a gated compute clock masks the MAC stall; the
# walker fault needs IOVAs beyond 4 MiB after idle, which these small
# programs never use, so it masks nothing here.
pair_winner() {
	case " $1 $2 " in
	*" pagetable-above-4g "*) echo iommu-pagetable ;;
	*" pc-half-fetch "*) echo pc-fetch ;;
	*" compute-clock-gated "*) echo clock ;;
	*" mac-output-stall "*) echo mac-output-stall ;;
	*) echo - ;;
	esac
}
pair_faults="mac-output-stall pc-half-fetch compute-clock-gated pagetable-above-4g page-walker-gated-after-idle"

# pairs: every unordered pair of $pair_faults, "a b" per line.
pairs() {
	# shellcheck disable=SC2086 # a word list
	set -- $pair_faults
	while [ $# -gt 1 ]; do
		first=$1
		shift
		for second in "$@"; do
			echo "$first $second"
		done
	done
}

# run_pair A B: "A+B binary:subtest RESULT stage" lines for the two checks.
run_pair() {
	for probe in "rocket_stage_probe localise-hang" "rocket_complete one-task"; do
		bin=${probe% *}
		(
			unset RKVAL_VNPU_KERNEL RKVAL_DEVICE RKVAL_VNPU_STATE
			# shellcheck disable=SC2086 # the wrapper may be empty
			RKVAL_VNPU_FAULTS="$1,$2" exec $exec_prefix "$build/tests/$bin" \
				--device "$device" --run-subtest "${probe#* }"
		) > "$tmp/pair-$1-$2-$bin.log" 2>&1
		subtest_results "$bin" "$tmp/pair-$1-$2-$bin.log" | sed -e "s/^/$1+$2 /"
	done > "$tmp/pair-$1-$2.res"
}

judge_pairs() {
	pairs > "$tmp/pairs"
	while read -r a b; do
		want=$(pair_winner "$a" "$b")
		while read -r pair id result stage; do
			if [ "$want" = - ] && [ "$result" = SUCCESS ]; then
				ok "$pair: $id passes"
			elif [ "$result" = FAIL ] && [ "$stage" = "$want" ]; then
				ok "$pair: $id fails with $want"
			else
				not_ok "$pair: $id should give $want, got $result $stage"
			fi
		done < "$tmp/pair-$a-$b.res"
	done < "$tmp/pairs"
}

# collateral CONFIG BIN STAGE: may a subtest of BIN that does not own the
# fault fail with STAGE?  Never for the diagnostics; job-timeout when the
# fault stops every job; dmesg (kernel-log warnings the fault produced)
# under any fault.
collateral() {
	case " $diag_bins " in
	*" $2 "*) return 1 ;;
	esac
	case $3 in
	dmesg) [ "$1" != healthy ] ;;
	job-timeout)
		case $(config_fault "$1") in
		pc-half-fetch|compute-clock-gated|pagetable-above-4g) return 0 ;;
		*) return 1 ;;
		esac
		;;
	*) return 1 ;;
	esac
}

# Known verdicts that blame the wrong place: "config binary:subtest stage why".
known_misattributions() {
	# None today: rk_iommu_fault runs a control job first and blames the
	# IOMMU only when the NPU demonstrably runs jobs.
	:
}

# expected_result CONFIG: how an expected subtest ends under the fault:
# FAIL with the stage, or CRASH (the fault panics the board: the subtest
# dies and the next boot's evidence gives the stage).
expected_result() {
	fault=$(config_fault "$1")
	if [ "$fault" != healthy ] && [ "$(catalogue outcome "$fault")" = panic ]; then
		echo CRASH
	else
		echo FAIL
	fi
}

# run_binary CONFIG BIN: "binary:subtest RESULT stage" lines.
run_binary() {
	config=$1 bin=$2
	log=$tmp/$config-$bin.log
	faults_env=
	fault=$(config_fault "$config")
	[ "$fault" != healthy ] && faults_env=$fault
	# A panicking fault leaves its record for the next boot in the
	# state's pstore file; the other configurations run without state.
	state=
	[ "$(expected_result "$config")" = CRASH ] && state=$tmp/$config-$bin.state
	args=
	case $bin in
	npu_clocks) ;;
	npu_*) args="--cycles $power_cycles" ;;
	rocket_complete) args="--run-subtest $complete_subtests" ;;
	esac
	(
		unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_VNPU_STATE
		[ -n "$faults_env" ] && export RKVAL_VNPU_FAULTS="$faults_env"
		# shellcheck disable=SC2031 # this subshell's own environment
		[ -n "$state" ] && export RKVAL_VNPU_STATE="$state"
		# shellcheck disable=SC2086 # the wrapper and args may be empty
		exec $exec_prefix "$build/tests/$bin" --device "$(config_device "$config")" $args
	) > "$log" 2>&1 &
	# Waited for, not run in the foreground, with wait's stderr quiet:
	# dash reports a child's fatal signal (a vnpu panic's SIGKILL) there.
	wait $! 2>/dev/null
	subtest_results "$bin" "$log"
	if [ -n "$state" ]; then
		panic_line "$(config_device "$config")" "$bin" "$log" "$state"
	fi
}

run_config() {
	config=$1
	: > "$tmp/$config.res"
	for bin in $(config_bins "$config"); do
		run_binary "$config" "$bin" >> "$tmp/$config.res"
	done
}

# judge_one CONFIG ID RESULT STAGE: one TAP line for one subtest.
judge_one() {
	config=$1 id=$2 result=$3 stage=$4
	bin=${id%%:*}
	want=$(expected_stage "$config")
	want_result=$(expected_result "$config")
	if grep -qx "$id" "$tmp/$config.expect"; then
		if [ "$result" = "$want_result" ] && [ "$stage" = "$want" ]; then
			ok "$config: $id ends $want_result with $want"
		else
			not_ok "$config: $id should end $want_result with $want, got $result $stage"
		fi
		return
	fi
	case $result in
	SUCCESS)
		ok "$config: $id passes"
		return
		;;
	SKIP)
		case " $diag_bins " in
		*" $bin "*) not_ok "$config: $id skipped on vnpu" ;;
		*) ok "$config: $id skips (no verdict)" ;;
		esac
		return
		;;
	esac
	why=$(awk -v c="$config" -v id="$id" -v s="$stage" \
		'$1 == c && $2 == id && $3 == s { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' \
		"$tmp/known")
	if [ -n "$why" ]; then
		ok "$config: $id fails with $stage # TODO known misattribution: $why"
	elif collateral "$config" "$bin" "$stage"; then
		ok "$config: $id fails with $stage (collateral: not localised here)"
	else
		not_ok "$config: $id should pass, got $result $stage"
	fi
}

judge_config() {
	config=$1
	expected_failures "$config" > "$tmp/$config.expect"
	while read -r id result stage; do
		judge_one "$config" "$id" "$result" "$stage"
	done < "$tmp/$config.res"
	while read -r id; do
		grep -q "^$id " "$tmp/$config.res" ||
			not_ok "$config: $id (expected to fail with $(expected_stage "$config")) did not run"
	done < "$tmp/$config.expect"
	for bin in $(config_bins "$config"); do
		grep -q "^$bin:" "$tmp/$config.res" ||
			not_ok "$config: $bin reported no subtest (crashed or not runnable)"
	done
}

judge_distinct() {
	stages=$(awk '$2 == "FAIL" { print $3 }' "$tmp/healthy.res" | sort -u | tr '\n' ' ')
	if [ -z "$stages" ]; then
		ok "healthy: no verdict at all"
	else
		not_ok "healthy: verdicts seen: $stages"
	fi
	: > "$tmp/owners"
	for f in $faults; do
		want=$(expected_stage "$f")
		# Known misattributions are reported above, not counted here.
		seen=$(awk -v c="$f" '
			FILENAME == ARGV[1] { if ($1 == c) known[$2 " " $3] = 1; next }
			($2 == "FAIL" || $2 == "CRASH") && $3 != "job-timeout" && $3 != "dmesg" &&
			!(($1 " " $3) in known) { print $3 }' \
			"$tmp/known" "$tmp/$f.res" | sort -u | tr '\n' ' ')
		seen=${seen% }
		if [ "$seen" = "$want" ]; then
			ok "$f: localising verdicts are exactly {$want}"
		else
			not_ok "$f: localising verdicts {$seen}, expected {$want}"
		fi
		other=$(awk -v s="$want" '$2 == s { print $1 }' "$tmp/owners")
		if [ -n "$other" ]; then
			not_ok "$f: verdict $want is also $other's"
		else
			ok "$f: verdict $want belongs to no other fault"
		fi
		echo "$f $want" >> "$tmp/owners"
	done
}

# Every catalogued fault with a verdict has subtests that must give it
# (the matrix's rows are the catalogue's, so a new fault needs them here).
judge_coverage() {
	for f in $faults; do
		if [ "$(expected_stage "$f")" = - ]; then
			ok "vnpu fault $f expects no verdict"
		elif [ -n "$(expected_failures "$f")" ]; then
			ok "vnpu fault $f has subtests that must fail"
		else
			not_ok "vnpu fault $f has no expected failures in the matrix"
		fi
	done
}

# cell CONFIG BINS: "stage xN, ..." over the failing subtests of BINS, or "pass".
cell() {
	config=$1
	shift
	for bin in "$@"; do
		grep "^$bin:" "$tmp/$config.res"
	done | awk '$2 == "FAIL" { c[$3]++ } $2 == "CRASH" { c[$3 " (panic)"]++ }
		END {
			n = 0
			for (s in c) names[++n] = s
			# insertion sort: stable output for the committed table
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && names[j] < names[j - 1]; j--) {
					t = names[j]; names[j] = names[j - 1]; names[j - 1] = t
				}
			out = ""
			for (i = 1; i <= n; i++)
				out = out (i > 1 ? ", " : "") names[i] " x" c[names[i]]
			print (n ? out : "pass")
		}'
}

print_table() {
	echo "| fault (RKVAL_VNPU_FAULTS) | expected verdict | rocket_dma_counters | rocket_stage_probe | rocket_pc_fetch | rocket_complete (one-task, multi-task-job) | tests/iommu (5 binaries) | tests/power (4 binaries) |"
	echo "|---|---|---|---|---|---|---|---|"
	for config in $configs; do
		if [ "$config" = healthy ]; then
			name="(none)"
		else
			name=$config
		fi
		# shellcheck disable=SC2086 # word lists
		echo "| $name | $(expected_stage "$config" | sed -e 's/^-$/(no verdict)/') |" \
			"$(cell "$config" rocket_dma_counters) |" \
			"$(cell "$config" rocket_stage_probe) |" \
			"$(cell "$config" rocket_pc_fetch) |" \
			"$(cell "$config" rocket_complete) |" \
			"$(cell "$config" $iommu_bins) |" \
			"$(cell "$config" $power_bins) |"
	done
	echo
	echo "vnpu:rk3588 (no DDMA counters):"
	echo
	echo "| fault (RKVAL_VNPU_FAULTS) | expected verdict | rocket_stage_probe | rocket_pc_fetch | rocket_complete (one-task, multi-task-job) |"
	echo "|---|---|---|---|---|"
	for config in $rk3588_configs; do
		name=$(config_fault "$config")
		[ "$name" = healthy ] && name="(none)"
		echo "| $name | $(expected_stage "$config" | sed -e 's/^-$/(no verdict)/') |" \
			"$(cell "$config" rocket_stage_probe) |" \
			"$(cell "$config" rocket_pc_fetch) |" \
			"$(cell "$config" rocket_complete) |"
	done
}

# write_table FILE: replace the lines between the markers with the table.
write_table() {
	file=$1
	if ! grep -qF "$begin_marker" "$file" 2>/dev/null ||
	   ! grep -qF "$end_marker" "$file"; then
		not_ok "$file has the fault-matrix markers"
		return
	fi
	awk -v b="$begin_marker" -v e="$end_marker" -v t="$tmp/table.md" '
		$0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
		$0 == e { skip = 0 }
		!skip { print }' "$file" > "$tmp/new"
	if cmp -s "$tmp/new" "$file"; then
		ok "$file: fault matrix table is current"
	elif [ "$write_docs" = 1 ]; then
		cat "$tmp/new" > "$file"
		ok "$file: fault matrix table updated"
	else
		# The documented matrix must be the one the suite produces.
		not_ok "$file: fault matrix table is stale (update: FAULT_MATRIX_WRITE=1 sh selftests/fault-matrix.sh)"
		diff "$file" "$tmp/new" | sed -e 's/^/# /'
	fi
}

for bin in $bins; do
	if [ ! -x "$build/tests/$bin" ]; then
		not_ok "$build/tests/$bin is built"
		exit 1
	fi
done
known_misattributions > "$tmp/known"

# One SoC at a time: the snapshots are taken 100 ms before the kernel's
# timeout resets the core, and two CPUs under twice the processes can miss
# that window.
for config in $configs; do
	run_config "$config" &
done
wait
for config in $rk3588_configs; do
	run_config "$config" &
done
wait
pairs > "$tmp/pairs"
while read -r a b; do
	run_pair "$a" "$b" &
done < "$tmp/pairs"
wait

for config in $configs $rk3588_configs; do
	judge_config "$config"
done
judge_distinct
judge_coverage
judge_pairs

print_table > "$tmp/table.md"
echo "# fault matrix (vnpu:rk3568, then vnpu:rk3588; cells: verdict stage x failing subtests):"
sed -e 's/^/# /' "$tmp/table.md"
write_table docs/bringup.md
write_table README.md
tap_plan
tap_exit
