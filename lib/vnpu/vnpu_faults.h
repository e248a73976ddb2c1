/* SPDX-License-Identifier: MIT */
/*
 * vnpu_faults.h — the catalogue of vnpu's injectable hardware faults
 * (docs/vnpu.md "Hardware faults"): one bring-up hypothesis each, selected by
 * name in RKVAL_VNPU_FAULTS.
 *
 * Contract: the enum is the only way the model asks for a fault
 * (vnpu_fault(v, VNPU_FAULT_...)); the name is looked up once, at boot.
 * Each entry of vnpu_fault_catalogue[] says what the fault stands for,
 * where the model consults it (the hook), where it means something and
 * which verdict the suite must give under it.  docs/vnpu.md, README.md and
 * selftests/fault-matrix.sh take all of that from here, through
 * tools/rkval-vnpu-faults.  Shared by the core and lib/vnpu/pipeline/.
 */
#ifndef RKVAL_VNPU_FAULTS_H
#define RKVAL_VNPU_FAULTS_H

#include <stdbool.h>

struct vnpu;

enum vnpu_fault {
	VNPU_FAULT_MAC_OUTPUT_STALL,
	VNPU_FAULT_PC_HALF_FETCH,
	VNPU_FAULT_COMPUTE_CLOCK_GATED,
	VNPU_FAULT_PAGE_WALKER_GATED,
	VNPU_FAULT_PAGETABLE_ABOVE_4G,
	VNPU_FAULT_QOS_SAVE_GATED_NOC,
	VNPU_FAULT_FIRST_ATTACH_TIMEOUTS,
	VNPU_FAULT_COUNT,
};

/* "No verdict": the fault has no effect there, every subtest passes. */
#define VNPU_FAULT_NO_VERDICT	"-"

struct vnpu_fault_info {
	const char *name;	/* the word in RKVAL_VNPU_FAULTS */
	const char *hypothesis;	/* the bring-up question it reproduces */
	const char *effect;	/* what the model then does */
	const char *hook;	/* where the model consults it (file: function) */
	const char *applies;	/* kernel profiles and SoCs where it acts */
	/* Verdict stage (lib/harness/verdict.c) the suite must give, per SoC. */
	const char *stage_rk3568;
	const char *stage_rk3588;
	const char *why_rk3588;	/* why rk3588 differs; NULL when it does not */
	/*
	 * The fault panics the "board" (vnpu_panic.c): the subtest that
	 * meets it dies by a signal and reports nothing; its verdict comes
	 * from the console log or the next boot's pstore record.
	 */
	bool panics;
};

extern const struct vnpu_fault_info vnpu_fault_catalogue[VNPU_FAULT_COUNT];

/* The catalogue entry of a name, or NULL. */
const struct vnpu_fault_info *vnpu_fault_lookup(const char *name);
/* Its enum value, or VNPU_FAULT_COUNT for an unknown name. */
enum vnpu_fault vnpu_fault_by_name(const char *name);
/* The stage the suite must give under the fault on that SoC, or NULL. */
const char *vnpu_fault_expected_stage(const struct vnpu_fault_info *f,
				      const char *soc);

/* Is this fault injected in this boot?  The hook every effect goes through. */
bool vnpu_fault(const struct vnpu *vnpu, enum vnpu_fault fault);

#endif /* RKVAL_VNPU_FAULTS_H */
