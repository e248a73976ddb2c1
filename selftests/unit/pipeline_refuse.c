// SPDX-License-Identifier: MIT
/*
 * pipeline_refuse — programming the vnpu pipeline does not model hangs the
 * task with an "unsupported programming: <REGISTER> <value>" record
 * (lib/vnpu/pipeline/refuse.c) instead of completing as if the setting
 * were absent.  A small int8 conv built by lib/npu completes untouched;
 * then, one at a time, one register of its stream is reprogrammed to a
 * value outside the model, and the job must time out with that record
 * and leave the output untouched.  The operands are packed by lib/npu,
 * whose filler in the channels beyond DATAIN_CHANNEL_REAL cancels; the
 * same conv with filler that does not cancel must hang too.
 */
#include "npu/npu_conv.h"
#include "npu/npu_layout.h"
#include "npu/npu_ref.h"
#include "npu/npu_program.h"
#include "npu/npu_regs.h"
#include "npu/npu_soc.h"
#include "vnpu/pipeline/vnpu_pipeline.h"
#include "vnpu/vnpu_introspect.h"
#include "vnpu_unit.h"

#define WAIT_NS		(900ll * 1000000)	/* job timeout 500 ms + reset */
#define OUT_CANARY	NPU_CANARY_BYTE
/* Raw filler for every operand byte, extra channels included. */
#define RAW_FILLER	0x11

/* One reprogrammed register: value = (old & keep) | set. */
struct patch {
	uint16_t reg;
	uint32_t keep, set;
	const char *name;		/* as the record spells it */
};

static const struct patch cna_patches[] = {
	{ REG_CNA_FC_CON0, 0, 1, "CNA_FC_CON0" },
	{ REG_CNA_DCOMP_CTRL, 0, 1, "CNA_DCOMP_CTRL" },
	{ REG_CNA_DMA_CON0, 0, 0x00070007, "CNA_DMA_CON0" },
	{ REG_CNA_CVT_CON5, 0, 0xffff, "CNA_CVT_CON5" },
	{ REG_CNA_CONV_CON3, ~0u, 1u << CNA_CONV_CON3_DECONV_X_STRIDE__SHIFT, "CNA_CONV_CON3" },
	{ REG_CNA_DATA_SIZE1, 0xffff, 0xffffu << 16 & CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL__MASK,
	  "CNA_DATA_SIZE1" },
	{ REG_CNA_DCOMP_ADDR0, ~0u, 0x8, "CNA_DCOMP_ADDR0" },
};

static const struct patch cbuf_patches[] = {
	{ REG_CNA_CBUF_CON0, ~CNA_CBUF_CON0_DATA_BANK__MASK, 0, "CNA_CBUF_CON0" },
	{ REG_CNA_CBUF_CON0, ~0u, CNA_CBUF_CON0_DATA_BANK__MASK, "CNA_CBUF_CON0" },
	{ REG_CNA_CBUF_CON1, 0, 0, "CNA_CBUF_CON1" },
	{ REG_CNA_CONV_CON2, ~CNA_CONV_CON2_FEATURE_GRAINS__MASK,
	  1u << CNA_CONV_CON2_FEATURE_GRAINS__SHIFT, "CNA_CONV_CON2" },
};

static const struct patch core_dpu_patches[] = {
	{ REG_CORE_MISC_CFG, ~CORE_MISC_CFG_QD_EN__MASK, 0, "CORE_MISC_CFG" },
	{ REG_CORE_DATAOUT_SIZE_1, 0, 0, "CORE_DATAOUT_SIZE_1" },
	{ REG_DPU_DATA_CUBE_NOTCH_ADDR, 0, 0x00070007, "DPU_DATA_CUBE_NOTCH_ADDR" },
	{ REG_DPU_DST_BASE_ADDR, ~0u, 0x4, "DPU_DST_BASE_ADDR" },
	{ REG_DPU_DST_SURF_STRIDE, ~0u, 0x8, "DPU_DST_SURF_STRIDE" },
	{ REG_DPU_SURFACE_ADD, ~0u, 0x100000, "DPU_SURFACE_ADD" },
};

static void small_params(struct npu_conv2d_params *p)
{
	memset(p, 0, sizeof(*p));
	p->in_h = p->in_w = 6;
	p->in_c = 20;
	p->out_c = 24;
	p->k_h = p->k_w = 3;
	p->stride = 1;
	p->in_zp = 5;
	p->w_zp = -2;
	p->in_scale = 0.05f;
	p->w_scale = 0.01f;
	p->out_scale = 0.2f;
	npu_conv2d_same_padding(p);
}

/* Apply the patch to every write of its register; how many there were. */
static unsigned int apply(struct npu_program *prog, const struct patch *pt)
{
	unsigned int n = 0;

	for (size_t i = 0; i < prog->n_words; i++) {
		uint64_t e = prog->words[i];
		uint32_t v;

		if ((uint16_t)e != pt->reg || !(e >> 48))
			continue;
		v = ((uint32_t)(e >> 16) & pt->keep) | pt->set;
		prog->words[i] = (e & 0xffff00000000ffffull) | (uint64_t)v << 16;
		n++;
	}
	return n;
}

/*
 * 4x4x256 input, 64 3x3 kernels: 144 KiB of weights in kernel groups of
 * 72 KiB (32 kernels of 2304 bytes), so 2 banks of 32 KiB are too few for
 * a group and 3 hold one group but not all weights.
 */
static void wide_params(struct npu_conv2d_params *p)
{
	small_params(p);
	p->in_h = p->in_w = 4;
	p->in_c = 256;
	p->out_c = 64;
	p->out_scale = 2.5f;	/* sums of 2304 products stay within int8 */
	npu_conv2d_same_padding(p);
}

/* Operands as lib/npu packs them (raw: RAW_FILLER in every byte instead). */
static int fill_operands(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			 void *map[NPU_SLOT_COUNT], const uint64_t *size, bool raw)
{
	size_t n_in = (size_t)p->in_h * p->in_w * p->in_c;
	size_t n_w = (size_t)p->out_c * p->k_h * p->k_w * p->in_c;
	int8_t *in = malloc(n_in), *w = malloc(n_w);
	int32_t *bias = malloc(p->out_c * sizeof(*bias));

	if (!in || !w || !bias) {
		free(in);
		free(w);
		free(bias);
		return -1;
	}
	for (size_t i = 0; i < n_in; i++)
		in[i] = (int8_t)(i * 7 + 3);
	for (size_t i = 0; i < n_w; i++)
		w[i] = (int8_t)(i * 13 + 1);
	for (unsigned int i = 0; i < p->out_c; i++)
		bias[i] = (int32_t)i * 29 - 300;
	npu_conv2d_fill_buffers(soc, p, in, w, bias, map);
	if (raw)
		for (unsigned int s = 0; s < NPU_SLOT_COUNT; s++)
			if (map[s] && s != NPU_SLOT_OUTPUT && s != NPU_SLOT_REGCMD)
				memset(map[s], RAW_FILLER, size[s]);
	free(in);
	free(w);
	free(bias);
	return 0;
}

/*
 * Build, patch (pt may be NULL), submit and wait.  Returns 1 if the job
 * completed and wrote its output, 0 if it hung with the output untouched,
 * -1 on a setup failure; *writes is how many entries the patch changed.
 * raw: every operand byte RAW_FILLER (see fill_operands()); keep, when
 * not NULL, receives the first keep_size bytes of the output.
 */
static int run_conv_filled(const char *soc_name, void (*params)(struct npu_conv2d_params *),
			   const struct patch *pt, bool raw, unsigned int *writes,
			   uint8_t *keep, size_t keep_size)
{
	const struct npu_soc *soc = npu_soc_variant(soc_name);
	struct drm_rocket_create_bo bo[NPU_SLOT_COUNT] = { 0 };
	uint64_t iova[NPU_SLOT_COUNT] = { 0 };
	struct drm_rocket_task tasks[16];
	uint32_t in_h[NPU_SLOT_COUNT], out_h, n_in = 0;
	struct npu_conv2d_params p;
	struct npu_program prog;
	void *map[NPU_SLOT_COUNT] = { 0 };
	uint64_t size[NPU_SLOT_COUNT] = { 0 };
	uint8_t *out = NULL;
	int fd = vopen(), ret = -1;

	params(&p);
	npu_program_init(&prog, soc);
	if (fd < 0 || npu_conv2d_build(soc, &p, &prog) || prog.n_tasks > 16)
		goto out;
	for (unsigned int s = 0; s < NPU_SLOT_COUNT; s++) {
		uint8_t *m;

		size[s] = s == NPU_SLOT_REGCMD ? prog.n_words * 8 : prog.slot_size[s];
		if (!size[s])
			continue;
		if (bo_create(fd, (uint32_t)size[s], &bo[s]))
			goto out;
		m = bo_map(fd, &bo[s], size[s]);
		if (m == MAP_FAILED)
			goto out;
		map[s] = m;
		if (s == NPU_SLOT_OUTPUT)
			out = m;
		iova[s] = bo[s].dma_address;
		if (s != NPU_SLOT_REGCMD && s != NPU_SLOT_OUTPUT)
			in_h[n_in++] = bo[s].handle;
	}
	if (!out || npu_program_relocate(&prog, iova))
		goto out;
	if (fill_operands(soc, &p, map, size, raw))
		goto out;
	*writes = pt ? apply(&prog, pt) : 0;
	{
		uint8_t *cmd = bo_map(fd, &bo[NPU_SLOT_REGCMD], prog.n_words * 8);

		if (cmd == MAP_FAILED)
			goto out;
		memcpy(cmd, prog.words, prog.n_words * 8);
	}
	for (unsigned int i = 0; i < prog.n_tasks; i++) {
		tasks[i].regcmd = (uint32_t)(iova[NPU_SLOT_REGCMD] + prog.tasks[i].offset);
		tasks[i].regcmd_count = prog.tasks[i].count;
	}
	out_h = bo[NPU_SLOT_OUTPUT].handle;
	{
		struct drm_rocket_job job = {
			.tasks = (uintptr_t)tasks, .task_count = prog.n_tasks,
			.task_struct_size = sizeof(tasks[0]),
			.in_bo_handles = (uintptr_t)in_h, .in_bo_handle_count = n_in,
			.out_bo_handles = (uintptr_t)&out_h, .out_bo_handle_count = 1,
		};
		struct drm_rocket_submit s = {
			.jobs = (uintptr_t)&job, .job_count = 1, .job_struct_size = sizeof(job),
		};

		if (vioctl(fd, DRM_IOCTL_ROCKET_SUBMIT, &s) ||
		    prep_bo(fd, out_h, mono_ns() + WAIT_NS) < 0)
			goto out;
	}
	ret = 0;
	for (uint64_t i = 0; i < prog.slot_size[NPU_SLOT_OUTPUT]; i++)
		if (out[i] != OUT_CANARY)
			ret = 1;
	if (keep)
		memcpy(keep, out, keep_size < size[NPU_SLOT_OUTPUT] ? keep_size
								: size[NPU_SLOT_OUTPUT]);
out:
	npu_program_fini(&prog);
	if (fd >= 0)
		plat_close(fd);
	return ret;
}

static int run_conv(const char *soc_name, const struct patch *pt, unsigned int *writes)
{
	return run_conv_filled(soc_name, small_params, pt, false, writes, NULL, 0);
}

static void refused(const char *soc, const struct patch *pt, size_t n)
{
	int kfd = plat_kmsg_open();
	unsigned int writes = 0;
	char text[96];

	vnpu_set_executor(&vnpu_exec_pipeline);
	EQ(1, run_conv(soc, NULL, &writes), "the unpatched conv completes and writes");
	CHECK(!kmsg_grep(kfd, "unsupported programming", NULL, 0), "with no refusal record");
	for (size_t i = 0; i < n; i++) {
		EQ(0, run_conv(soc, &pt[i], &writes), "reprogrammed, the task hangs");
		CHECK(writes > 0, "the stream writes %s (%u times)", pt[i].name, writes);
		snprintf(text, sizeof(text), "unsupported programming: %s 0x", pt[i].name);
		CHECK(kmsg_grep(kfd, text, NULL, 0), "record \"%s...\"", text);
	}
	plat_close(kfd);
}

/*
 * Filler that does not cancel in the channels beyond DATAIN_CHANNEL_REAL
 * (20 real of 32): the result depends on whether the hardware reads them.
 */
static void beyond_real(const char *soc)
{
	int kfd = plat_kmsg_open();
	unsigned int writes = 0;

	vnpu_set_executor(&vnpu_exec_pipeline);
	EQ(0, run_conv_filled(soc, small_params, NULL, true, &writes, NULL, 0),
	   "raw filler beyond DATAIN_CHANNEL_REAL: the task hangs");
	CHECK(kmsg_grep(kfd, "unsupported programming: CNA_DATA_SIZE1 0x", NULL, 0),
	      "record \"unsupported programming: CNA_DATA_SIZE1 0x...\"");
	EQ(1, run_conv_filled(soc, small_params, NULL, false, &writes, NULL, 0),
	   "lib/npu's cancelling filler: the same conv completes");
	plat_close(kfd);
}

static void sc_beyond_real_rk3568(void)
{
	beyond_real("rk3568");
}

static void sc_beyond_real_rk3588(void)
{
	beyond_real("rk3588");
}

/* CBUF_CON0 values for wide_params(); banks sum to 8, valid on both SoCs. */
#define CBUF_STREAM	(CNA_CBUF_CON0_WEIGHT_BANK(3) | CNA_CBUF_CON0_DATA_BANK(5))
#define CBUF_GROUP_BIG	(CNA_CBUF_CON0_WEIGHT_BANK(2) | CNA_CBUF_CON0_DATA_BANK(6))
#define CBUF_REUSE	(CBUF_STREAM | CNA_CBUF_CON0_WEIGHT_REUSE(1))
#define WIDE_OUT_BYTES	(4 * 4 * 64)	/* int8 output, 64 channels */

/*
 * Weights beyond their banks without WEIGHT_REUSE stream (Mesa's planner,
 * MobileNetV1 on RK3588): same output as with all of them resident.  A
 * kernel group beyond the banks, or WEIGHT_REUSE of weights that cannot
 * all be there, hangs.
 */
static void cbuf_streaming(const char *soc)
{
	const struct patch stream = { REG_CNA_CBUF_CON0, 0, CBUF_STREAM, "CNA_CBUF_CON0" };
	const struct patch refused_pt[] = {
		{ REG_CNA_CBUF_CON0, 0, CBUF_GROUP_BIG, "CNA_CBUF_CON0" },
		{ REG_CNA_CBUF_CON0, 0, CBUF_REUSE, "CNA_CBUF_CON0" },
	};
	static const char *const why[] = {
		"one kernel group of weights does not fit",
		"WEIGHT_REUSE of weights that do not fit",
	};
	static uint8_t resident[WIDE_OUT_BYTES], streamed[WIDE_OUT_BYTES];
	int kfd = plat_kmsg_open();
	unsigned int writes = 0;

	vnpu_set_executor(&vnpu_exec_pipeline);
	EQ(1, run_conv_filled(soc, wide_params, NULL, false, &writes, resident,
			      sizeof(resident)), "144 KiB of weights, all resident: completes");
	EQ(1, run_conv_filled(soc, wide_params, &stream, false, &writes, streamed,
			      sizeof(streamed)), "streamed through 3 banks: completes");
	CHECK(writes > 0, "the stream writes CNA_CBUF_CON0 (%u times)", writes);
	CHECK(memcmp(resident, resident + 1, sizeof(resident) - 1),
	      "the resident output is not one repeated byte");
	CHECK(!memcmp(resident, streamed, sizeof(resident)), "with the same output");
	CHECK(!kmsg_grep(kfd, "unsupported programming", NULL, 0), "with no refusal record");
	for (size_t i = 0; i < sizeof(refused_pt) / sizeof(refused_pt[0]); i++) {
		CHECK(!run_conv_filled(soc, wide_params, &refused_pt[i], false, &writes, NULL, 0),
		      "CBUF_CON0 0x%x: the task hangs", refused_pt[i].set);
		CHECK(kmsg_grep(kfd, why[i], NULL, 0),
		      "record \"unsupported programming: CNA_CBUF_CON0 0x... (%s...\"", why[i]);
	}
	plat_close(kfd);
}

static void sc_stream_rk3568(void)
{
	cbuf_streaming("rk3568");
}

static void sc_stream_rk3588(void)
{
	cbuf_streaming("rk3588");
}

static void sc_cna_rk3568(void)
{
	refused("rk3568", cna_patches, sizeof(cna_patches) / sizeof(cna_patches[0]));
}

static void sc_cbuf_rk3568(void)
{
	refused("rk3568", cbuf_patches, sizeof(cbuf_patches) / sizeof(cbuf_patches[0]));
}

static void sc_cbuf_rk3588(void)
{
	refused("rk3588", cbuf_patches, sizeof(cbuf_patches) / sizeof(cbuf_patches[0]));
}

static void sc_core_dpu_rk3568(void)
{
	refused("rk3568", core_dpu_patches,
		sizeof(core_dpu_patches) / sizeof(core_dpu_patches[0]));
}

int main(void)
{
	vnpu_scenario("cna rk3568", "vnpu:rk3568", "", "", sc_cna_rk3568);
	vnpu_scenario("cbuf rk3568", "vnpu:rk3568", "", "", sc_cbuf_rk3568);
	vnpu_scenario("cbuf rk3588", "vnpu:rk3588", "", "", sc_cbuf_rk3588);
	vnpu_scenario("core+dpu rk3568", "vnpu:rk3568", "", "", sc_core_dpu_rk3568);
	vnpu_scenario("beyond real rk3568", "vnpu:rk3568", "", "", sc_beyond_real_rk3568);
	vnpu_scenario("beyond real rk3588", "vnpu:rk3588", "", "", sc_beyond_real_rk3588);
	vnpu_scenario("cbuf streaming rk3568", "vnpu:rk3568", "", "", sc_stream_rk3568);
	vnpu_scenario("cbuf streaming rk3588", "vnpu:rk3588", "", "", sc_stream_rk3588);
	return unit_done();
}
