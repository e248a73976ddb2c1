// SPDX-License-Identifier: MIT
/*
 * npu_dump — the regcmd dump format (docs/regcmd-dump.md): manifest
 * parsing and its errors, write/load round trip, rebasing by relocations
 * and by address ranges, re-chaining and output comparison.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "npu/npu_conv.h"
#include "npu/npu_dump.h"
#include "npu/regcmd.h"
#include "../selftests/unit/unit.h"

static const char manifest_ok[] =
	"rkval-regcmd-dump 1\n"
	"# a comment line\n"
	"soc rk3568-c2-16-banks-12\n"
	"job per-task\n"
	"regcmd regcmd.bin iova 0x1000\n"
	"task 0 130\n"
	"task 1088 130   # trailing comment\n"
	"buffer input in.bin 2048 iova 0x10000000\n"
	"buffer output - 4096\n"
	"reloc 26 input 512\n"
	"expect expected.bin s8 2\n";

static void test_parse(void)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "rkval-regcmd-dump 3\nregcmd r\ntask 0 4\n", "version 3" },
		{ "something 1\n", "wrong magic" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 4 4\n", "task offset not 8-aligned" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 0\n", "task with count 0" },
		{ "rkval-regcmd-dump 1\nregcmd r\n", "no task" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nbuffer foo f 16\n", "unknown slot" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nsoc rk1234\n", "unknown soc" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nfrobnicate\n", "unknown directive" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nexpect e s16\n", "bad compare mode" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 026\n", "a leading zero" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 -18446744073709551612\n",
		  "a negative number wrapping to 4" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4 4\n", "an extra word" },
		{ "\nrkval-regcmd-dump 1\nregcmd r\ntask 0 4\n", "the magic on line 2" },
		{ "rkval-regcmd-dump +1\nregcmd r\ntask 0 4\n", "a signed version" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nregcmd r\n", "two regcmd lines" },
		{ "rkval-regcmd-dump 1\nsoc rk1234\nregcmd r\ntask 0 4\nsoc rk3588\n",
		  "an unknown soc before a valid one" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nbuffer input i 16\n"
		  "reloc 0 input 16\n", "a reloc at its buffer's end" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nbuffer input i 4294967296\n",
		  "a 4 GiB buffer" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nexpect e s8 2\n",
		  "expect without an output buffer" },
		{ "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\nbuffer output - 16\nexpect e\n"
		  "output-shape 1 1 16\n", "output-shape in version 1" },
		{ "rkval-regcmd-dump 2\nregcmd r\ntask 0 4\nbuffer output - 16\nexpect e\n"
		  "output-shape 67108864 67108864 4096\n", "an output-shape product of 2^64" },
	};
	struct npu_dump d;
	char err[256];

	UNIT_EQ(0, npu_dump_parse(manifest_ok, &d, err, sizeof(err)), "valid manifest parses");
	UNIT_CHECK(!strcmp(d.soc, "rk3568-c2-16-banks-12") && !d.one_job && d.prog.n_tasks == 2 &&
		   d.prog.tasks[1].offset == 1088 && d.prog.tasks[1].first == 136,
		   "soc, job mode and tasks");
	UNIT_CHECK(d.buf[NPU_SLOT_INPUT].present && d.buf[NPU_SLOT_INPUT].has_iova &&
		   d.buf[NPU_SLOT_INPUT].iova == 0x10000000 && d.buf[NPU_SLOT_INPUT].size == 2048,
		   "input buffer with capture IOVA");
	UNIT_CHECK(d.buf[NPU_SLOT_OUTPUT].present && !strcmp(d.buf[NPU_SLOT_OUTPUT].file, "-"),
		   "zero-filled output buffer");
	UNIT_CHECK(d.prog.n_relocs == 1 && d.prog.relocs[0].entry == 26 &&
		   d.prog.relocs[0].slot == NPU_SLOT_INPUT && d.prog.relocs[0].offset == 512,
		   "reloc line");
	UNIT_CHECK(d.has_expect && d.cmp == NPU_DUMP_CMP_S8 && d.tolerance == 2, "expect line");
	npu_dump_free(&d);
	{
		static const char nul[] = "rkval-regcmd-dump 1\nregcmd r\ntask 0 4\0 junk\n";

		UNIT_CHECK(npu_dump_parse_buf(nul, sizeof(nul) - 1, &d, err, sizeof(err)) ==
			   -EINVAL && strstr(err, "line 3: NUL"), "a NUL byte is refused (%s)",
			   err);
	}
	{
		static const char bl[] = "rkval-regcmd-dump 2\n\n# c\n\nregcmd r\ntask 0 4 x\n";

		UNIT_CHECK(npu_dump_parse(bl, &d, err, sizeof(err)) == -EINVAL &&
			   !strncmp(err, "line 6:", 7), "blank and comment lines are counted (%s)",
			   err);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = npu_dump_parse(bad[i].text, &d, err, sizeof(err));

		static const struct npu_dump zero;

		UNIT_CHECK(ret == -EINVAL && strstr(err, "line ") && !memcmp(&d, &zero, sizeof(d)),
			   "rejected, nothing left allocated: %s (%s)", bad[i].why, err);
		npu_dump_free(&d);
	}
}

static void test_write_load_rebase(void)
{
	struct npu_conv2d_params p = {
		.in_h = 112, .in_w = 112, .in_c = 64, .out_c = 64, .k_h = 3, .k_w = 3,
		.stride = 1, .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1,
		.in_scale = 1, .w_scale = 1, .out_scale = 1,
	};
	uint64_t cap[NPU_SLOT_COUNT] = { 0x1000, 0x100000, 0x400000, 0x500000, 0x600000, 0 };
	uint64_t now[NPU_SLOT_COUNT] = { 0x81000, 0x2100000, 0x2400000, 0x2500000, 0x2600000, 0 };
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir;
	char dir[128], path[192], err[256] = "";
	const void *data[NPU_SLOT_COUNT] = { 0 };
	struct npu_program prog, ref;
	uint8_t *expected, *seen;
	size_t out_size;
	struct npu_dump d = { 0 };
	void *in;

	npu_program_init(&prog, npu_soc_rk3588());
	npu_conv2d_build(npu_soc_rk3588(), &p, &prog);
	npu_program_relocate(&prog, cap);
	in = calloc(1, prog.slot_size[NPU_SLOT_INPUT]);
	memset(in, 7, 100);
	data[NPU_SLOT_INPUT] = in;
	out_size = prog.slot_size[NPU_SLOT_OUTPUT];
	expected = malloc(out_size);
	seen = malloc(out_size);
	memset(expected, 3, out_size);

	snprintf(dir, sizeof(dir), "%s/rkval-npu-dump-XXXXXX", tmp);
	UNIT_CHECK(mkdtemp(dir) != NULL, "temporary directory");
	UNIT_EQ(0, npu_dump_write(dir, &prog, cap, data, expected, out_size,
				  NPU_DUMP_CMP_S8, 1, NULL), "write a tiled conv dump");
	snprintf(path, sizeof(path), "%s/manifest", dir);
	if (!UNIT_EQ(0, npu_dump_load(path, &d, err, sizeof(err)), "load it back")) {
		printf("# %s\n", err);
		free(seen);
		free(expected);
		free(in);
		return;
	}
	UNIT_EQ(prog.n_words, d.prog.n_words, "same number of entries");
	UNIT_CHECK(!memcmp(prog.words, d.prog.words, prog.n_words * 8), "same entries");
	UNIT_EQ(prog.n_tasks, d.prog.n_tasks, "same tasks");
	UNIT_CHECK(d.one_job == prog.one_job && d.prog.n_relocs == prog.n_relocs,
		   "job mode and relocations kept");
	UNIT_CHECK(((uint8_t *)d.buf[NPU_SLOT_INPUT].data)[99] == 7 &&
		   ((uint8_t *)d.buf[NPU_SLOT_INPUT].data)[100] == 0, "input bytes kept");

	/* rebase by relocations == relocating the original to the new IOVAs */
	npu_program_init(&ref, npu_soc_rk3588());
	npu_conv2d_build(npu_soc_rk3588(), &p, &ref);
	npu_program_relocate(&ref, now);
	UNIT_EQ(0, npu_dump_rebase(&d, now), "rebase by relocations");
	UNIT_CHECK(!memcmp(ref.words, d.prog.words, ref.n_words * 8),
		   "rebased stream equals a fresh relocation (incl. chaining)");

	/* foreign capture: no relocs, addresses found by range */
	free(d.prog.relocs);
	d.prog.relocs = NULL;
	d.prog.n_relocs = 0;
	memcpy(d.prog.words, prog.words, prog.n_words * 8);
	UNIT_EQ(0, npu_dump_rebase(&d, now), "rebase by address ranges");
	UNIT_CHECK(!memcmp(ref.words, d.prog.words, ref.n_words * 8),
		   "address-range rebase gives the same stream");

	{
		struct npu_compare_stats st;

		memset(seen, 4, out_size);
		npu_dump_compare(&d, seen, out_size, &st);
		UNIT_CHECK(npu_compare_ok(&st) && st.exact == 0, "s8 within tolerance 1 passes");
		memset(seen, NPU_CANARY_BYTE, out_size);
		npu_dump_compare(&d, seen, out_size, &st);
		UNIT_CHECK(st.untouched, "canary output reported untouched");
	}
	free(expected);
	free(seen);
	npu_dump_free(&d);
	npu_program_fini(&ref);
	npu_program_fini(&prog);
	free(in);
	{
		static const char *const files[] = { "manifest", "regcmd.bin", "input.bin",
						     "expected.bin" };

		for (size_t i = 0; i < 4; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			unlink(path);
		}
		rmdir(dir);
	}
}

int main(void)
{
	test_parse();
	test_write_load_rebase();
	return unit_done();
}
