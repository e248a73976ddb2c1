#!/bin/sh
# iommu-profiles.sh — the tests/iommu binaries tell the vnpu's kernel
# profiles and injected IOMMU faults apart, each by its own verdict.
#
# Runs every rk_iommu_* binary on vnpu:rk3568 (vnpu:rk3588 for mainline,
# which has no RK3568 NPU: see config_device()) under one configuration at
# a time and checks, for every subtest, its result and (when it fails) the
# stage of its VERDICT line against the table in expected_failures():
#   default                        every subtest passes
#   RKVAL_VNPU_KERNEL=rfc          the RK3568 bring-up profile: every
#                                  subtest passes
#   RKVAL_VNPU_KERNEL=mainline     on rk3588: every subtest passes; the
#                                  PPU-only hang leaves the bus idle, so
#                                  detaching before the reset is harmless
#   mainline + mac-output-stall    on rk3588: the recovery subtest's conv
#                                  job hangs with the bus wedged
#                                  (hypothesis), the detach before the
#                                  reset stalls and WARNs: it fails with
#                                  iommu-reset-order
#   faults=page-walker-gated-after-idle   the walk-after-idle subtest fails
#                                  with iommu-page-walker
#   faults=pagetable-above-4g      the DTE subtest (and every subtest whose
#                                  valid jobs translate through the tables)
#                                  fails with iommu-pagetable
#   faults=first-attach-timeouts   the first-attach subtest fails with
#                                  iommu-attach
#   mutate-first-task              RKVAL_VNPU_MODEL_MUTATE=first-task-only, a
#                                  deliberate vnpu bug (tasks after a job's
#                                  first never run): walk-after-idle must
#                                  blame the task chain (pc-fetch), not the
#                                  page walker, since its control runs the
#                                  same 8-task program inside directory 0
# One TAP line per (configuration, subtest), one per binary exit status.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
# shellcheck source=selftests/lib/profiles.sh
. selftests/lib/profiles.sh
bins="rk_iommu_attach rk_iommu_fault rk_iommu_isolation rk_iommu_pagetable rk_iommu_timeout"

# config_device CONFIG: the vnpu board.  Mainline rocket matches only
# rockchip,rk3588-rknn-core (drivers/accel/rocket/rocket_drv.c): on
# vnpu:rk3568 it has no device (selftests/no-device.sh), so its
# behaviours are checked on rk3588.
config_device() {
	case $1 in
	mainline | mainline-stall) echo vnpu:rk3588 ;;
	*) echo vnpu:rk3568 ;;
	esac
}

# expected_failures CONFIG: "binary:subtest stage" lines; all else passes.
expected_failures() {
	case $1 in
	default | rfc | mainline) ;;
	mainline-stall)
		echo "rk_iommu_timeout:job-timeout-recovery iommu-reset-order"
		;;
	page-walker-gated-after-idle)
		echo "rk_iommu_pagetable:walk-after-idle iommu-page-walker"
		;;
	pagetable-above-4g)
		# Every translation misses the truncated directory: each subtest
		# whose valid job must work names the page tables.
		cat <<-EOF
		rk_iommu_attach:domain-across-jobs iommu-pagetable
		rk_iommu_attach:first-attach-after-idle iommu-pagetable
		rk_iommu_fault:fault-unmapped-read iommu-pagetable
		rk_iommu_fault:fault-unmapped-write iommu-pagetable
		rk_iommu_fault:fault-unmapped-regcmd iommu-pagetable
		rk_iommu_isolation:isolation-cross-fd-read iommu-pagetable
		rk_iommu_isolation:isolation-cross-fd-write iommu-pagetable
		rk_iommu_isolation:isolation-iova-gone-after-close iommu-pagetable
		rk_iommu_pagetable:dte-below-4g iommu-pagetable
		rk_iommu_pagetable:dte-v1-encoding iommu-pagetable
		rk_iommu_pagetable:walk-after-idle iommu-pagetable
		rk_iommu_timeout:job-timeout-recovery iommu-pagetable
		rk_iommu_timeout:job-timeout-other-fd iommu-pagetable
		EOF
		;;
	first-attach-timeouts)
		echo "rk_iommu_attach:first-attach-after-idle iommu-attach"
		;;
	mutate-first-task)
		echo "rk_iommu_pagetable:walk-after-idle pc-fetch"
		;;
	esac
}

# expected_skips CONFIG: "binary:subtest" lines that skip on its board.
expected_skips() {
	case $(config_device "$1") in
	vnpu:rk3588) echo "rk_iommu_pagetable:dte-v1-encoding" ;;	# a v2 MMU
	esac
}

# run_binary CONFIG BIN KERNEL FAULTS: "binary:subtest RESULT stage" lines.
run_binary() {
	config=$1 bin=$2 kernel=$3 faults=$4
	log=$tmp/$config-$bin.log
	(
		unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_VNPU_MUTATE \
			RKVAL_VNPU_MODEL_MUTATE
		[ -n "$kernel" ] && export RKVAL_VNPU_KERNEL="$kernel"
		[ -n "$faults" ] && export RKVAL_VNPU_FAULTS="$faults"
		[ "$config" = mutate-first-task ] &&
			export RKVAL_VNPU_MODEL_MUTATE=first-task-only
		# shellcheck disable=SC2086 # the wrapper may be empty
		exec $exec_prefix "$build/tests/$bin" --device "$(config_device "$config")"
	) > "$log" 2>&1
	echo $? > "$tmp/$config-$bin.status"
	subtest_results "$bin" "$log"
}

# run_config CONFIG KERNEL FAULTS: all binaries, results in $tmp/CONFIG.res.
run_config() {
	config=$1 kernel=$2 faults=$3
	: > "$tmp/$config.res"
	for bin in $bins; do
		run_binary "$config" "$bin" "$kernel" "$faults" >> "$tmp/$config.res"
	done
}

# judge_attach_model CONFIG: domain-across-jobs names the kernel's attach
# model.  Mainline detaches after each job and the group's default domain
# comes back (paging stays on), which must not read as "kept attached";
# dte-below-4g must then sample the file's domain during a hung job, not
# the default domain's directory.
judge_attach_model() {
	config=$1
	log=$tmp/$config-rk_iommu_attach.log
	case $config in
	mainline | mainline-stall)
		check "$config: domain-across-jobs reports attach per job" \
			grep -q 'detached after 8; attach per job' "$log"
		check "$config: the MMU after a job shows the group's default domain" \
			grep -q "the group's default domain" "$log"
		check "$config: dte-below-4g samples the file's domain during a hung job" \
			grep -q 'sampled during a hung job' "$tmp/$config-rk_iommu_pagetable.log"
		;;
	default | rfc)
		check "$config: domain-across-jobs reports the domain kept attached" \
			grep -q 'detached after 0; domain kept attached' "$log"
		;;
	esac
}

# judge_config CONFIG: compare $tmp/CONFIG.res with the table.
judge_config() {
	config=$1
	expected_failures "$config" > "$tmp/$config.expect"
	while read -r id result stage; do
		want=$(awk -v id="$id" '$1 == id { print $2 }' "$tmp/$config.expect")
		if [ -n "$want" ]; then
			if [ "$result" = FAIL ] && [ "$stage" = "$want" ]; then
				ok "$config: $id fails with $want"
			else
				not_ok "$config: $id should fail with $want, got $result $stage"
			fi
		elif [ "$result" = SUCCESS ]; then
			ok "$config: $id passes"
		elif [ "$result" = SKIP ] &&
		     expected_skips "$config" | grep -qxF "$id"; then
			ok "$config: $id skips on $(config_device "$config")"
		else
			not_ok "$config: $id should pass, got $result $stage"
		fi
	done < "$tmp/$config.res"
	# Every expected failure must have run at all.
	judge_expected_ran "$config"
	judge_exit_statuses "$config"
	judge_attach_model "$config"
}

for bin in $bins; do
	if [ ! -x "$build/tests/$bin" ]; then
		not_ok "$build/tests/$bin is built"
		exit 1
	fi
done

# The configurations run in parallel: each process is its own vnpu boot.
run_config default "" "" &
run_config rfc rfc "" &
run_config mainline mainline "" &
run_config mainline-stall mainline mac-output-stall &
run_config page-walker-gated-after-idle "" page-walker-gated-after-idle &
run_config pagetable-above-4g "" pagetable-above-4g &
run_config first-attach-timeouts "" first-attach-timeouts &
run_config mutate-first-task "" "" &
wait

for config in default rfc mainline mainline-stall page-walker-gated-after-idle pagetable-above-4g \
	      first-attach-timeouts mutate-first-task; do
	judge_config "$config"
done
tap_plan
tap_exit
