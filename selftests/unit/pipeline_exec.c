// SPDX-License-Identifier: MIT
/*
 * pipeline_exec — the vnpu pipeline executor through the uAPI: a small
 * conv (raw int32 and requantised int8) built by lib/npu and compared with
 * the CPU reference, and the observable effect of each
 * pipeline fault (output untouched; DDMA counters full for
 * mac-output-stall, zero for pc-half-fetch and compute-clock-gated, each
 * with its own debug record), and an unsupported CONV_MODE hanging rather
 * than completing.
 */
#include "npu/npu_conv.h"
#include "npu/npu_layout.h"
#include "npu/npu_program.h"
#include "npu/npu_ref.h"
#include "npu/npu_regs.h"
#include "npu/npu_soc.h"
#include "vnpu/pipeline/vnpu_pipeline.h"
#include "vnpu_unit.h"

/* rk3568 core window and its DDMA counters (RK3568 RFC DT patch, vendor rknpu counters). */
#define RK3568_CORE		0xfde40000ull
#define DDMA_DT_RD		0x8038
#define DDMA_WT_RD		0x803c
#define DDMA_DT_WR		0x8034
#define WAIT_NS			(900ll * 1000000)	/* job timeout 500 ms + reset */
/* When a hung job's counters are read: before the timeout (diagnostics alike). */
#define SNAPSHOT_NS		(400l * 1000000)

/* Misprogramming under test: CONV_MODE 1 (not direct, not depthwise). */
static bool patch_conv_mode;
#define CONV_MODE_UNSUPPORTED	1

struct job {
	int fd;
	struct npu_program prog;
	struct drm_rocket_create_bo bo[NPU_SLOT_COUNT];
	void *map[NPU_SLOT_COUNT];
};

static void small_params(struct npu_conv2d_params *p, bool raw)
{
	memset(p, 0, sizeof(*p));
	p->in_h = p->in_w = 6;
	p->in_c = 20;
	p->out_c = 24;
	p->k_h = p->k_w = 3;
	p->stride = 1;
	p->raw_int32 = raw;
	p->in_zp = 4;
	p->w_zp = -3;
	p->out_zp = 7;
	p->in_scale = 0.05f;
	p->w_scale = 0.01f;
	p->out_scale = 0.05f * 0.01f * 15.0f * 5500.0f / 40.0f;
	npu_conv2d_same_padding(p);
}

/* Build, allocate, fill and submit; 0 once submitted. */
static uint32_t reg(uint32_t off)
{
	uint32_t v = 0;

	plat_reg_read32(RK3568_CORE + off, &v);
	return v;
}

/* Where job_run() puts a hung job's DT_RD, WT_RD, DT_WR (NULL: not read). */
static uint32_t *hang_counters;

static int job_run(struct job *j, const struct npu_conv2d_params *p, const int8_t *in,
		   const int8_t *w, const int32_t *bias)
{
	uint64_t iova[NPU_SLOT_COUNT] = { 0 };
	struct drm_rocket_task tasks[16];
	uint32_t in_h[NPU_SLOT_COUNT], out_h, n_in = 0;
	const struct npu_soc *soc = npu_soc_rk3568();

	/* vnpu_scenario() selects the basic executor; this program tests ours */
	vnpu_set_executor(&vnpu_exec_pipeline);
	j->fd = vopen();
	/* keep the core powered so the DDMA counters stay readable afterwards */
	plat_write_file("/sys/bus/platform/devices/fde40000.npu/power/control", "on");
	npu_program_init(&j->prog, soc);
	if (j->fd < 0 || npu_conv2d_build(soc, p, &j->prog) || j->prog.n_tasks > 16)
		return -1;
	for (unsigned int s = 0; s < NPU_SLOT_COUNT; s++) {
		uint64_t size = s == NPU_SLOT_REGCMD ? j->prog.n_words * 8 : j->prog.slot_size[s];

		if (!size)
			continue;
		if (bo_create(j->fd, (uint32_t)size, &j->bo[s]))
			return -1;
		j->map[s] = bo_map(j->fd, &j->bo[s], size);
		if (j->map[s] == MAP_FAILED)
			return -1;
		iova[s] = j->bo[s].dma_address;
		if (s != NPU_SLOT_REGCMD && s != NPU_SLOT_OUTPUT)
			in_h[n_in++] = j->bo[s].handle;
	}
	if (npu_program_relocate(&j->prog, iova))
		return -1;
	for (size_t i = 0; patch_conv_mode && i < j->prog.n_words; i++)
		if ((uint16_t)j->prog.words[i] == REG_CNA_CONV_CON1)
			j->prog.words[i] |= (uint64_t)CONV_MODE_UNSUPPORTED << 16;
	memcpy(j->map[NPU_SLOT_REGCMD], j->prog.words, j->prog.n_words * 8);
	npu_conv2d_fill_buffers(soc, p, in, w, bias, j->map);
	for (unsigned int i = 0; i < j->prog.n_tasks; i++) {
		tasks[i].regcmd = (uint32_t)(iova[NPU_SLOT_REGCMD] + j->prog.tasks[i].offset);
		tasks[i].regcmd_count = j->prog.tasks[i].count;
	}
	out_h = j->bo[NPU_SLOT_OUTPUT].handle;
	{
		struct drm_rocket_job job = {
			.tasks = (uintptr_t)tasks, .task_count = j->prog.n_tasks,
			.task_struct_size = sizeof(tasks[0]),
			.in_bo_handles = (uintptr_t)in_h, .in_bo_handle_count = n_in,
			.out_bo_handles = (uintptr_t)&out_h, .out_bo_handle_count = 1,
		};
		struct drm_rocket_submit s = {
			.jobs = (uintptr_t)&job, .job_count = 1, .job_struct_size = sizeof(job),
		};

		if (vioctl(j->fd, DRM_IOCTL_ROCKET_SUBMIT, &s))
			return -1;
	}
	if (hang_counters) {
		/* Before the 500 ms timeout's reset, which clears them (vnpu_job.c). */
		struct timespec ts = { 0, SNAPSHOT_NS };

		nanosleep(&ts, NULL);
		hang_counters[0] = reg(DDMA_DT_RD);
		hang_counters[1] = reg(DDMA_WT_RD);
		hang_counters[2] = reg(DDMA_DT_WR);
	}
	return prep_bo(j->fd, out_h, mono_ns() + WAIT_NS) < 0 ? -1 : 0;
}

static void fill(int8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (int8_t)(i * 29 + seed * 11 + (i >> 3));
}

static void check_conv(bool raw)
{
	struct npu_conv2d_params p;
	struct npu_compare_stats st;
	struct job j;
	int8_t in[6 * 6 * 20], w[24 * 9 * 20], out8[6 * 6 * 24];
	int32_t bias[24], want[6 * 6 * 24], out32[6 * 6 * 24];
	int8_t want8[6 * 6 * 24];

	small_params(&p, raw);
	fill(in, sizeof(in), 1);
	fill(w, sizeof(w), 2);
	for (int i = 0; i < 24; i++)
		bias[i] = i * 37 - 400;
	memset(&j, 0, sizeof(j));
	if (!CHECK(job_run(&j, &p, in, w, bias) == 0, "%s conv submitted and waited",
		   raw ? "raw" : "int8"))
		return;
	if (raw) {
		npu_ref_conv2d_raw(&p, in, w, want);
		npu_conv2d_read_output(npu_soc_rk3568(), &p, j.map[NPU_SLOT_OUTPUT], NULL, out32);
		npu_compare_s32(want, out32, 6, 6, 24, 0, &st);
	} else {
		npu_ref_conv2d_s8(&p, in, w, bias, want8);
		npu_conv2d_read_output(npu_soc_rk3568(), &p, j.map[NPU_SLOT_OUTPUT], out8, NULL);
		npu_compare_s8(want8, out8, 6, 6, 24, 1, (int8_t)p.out_zp, &st);
	}
	CHECK(npu_compare_ok(&st), "%s conv matches the CPU reference (%zu/%zu exact, max "
	      "|err| %lld)", raw ? "raw int32" : "int8", st.exact, st.total,
	      (long long)st.max_abs_err);
}

static void sc_conv(void)
{
	check_conv(true);
	check_conv(false);
}

/* A faulty pipeline: the job never completes, the output stays canary. */
static void fault_run(bool expect_reads, const char *fault, const char *log)
{
	struct npu_conv2d_params p;
	struct job j;
	int8_t in[6 * 6 * 20], w[24 * 9 * 20];
	int kfd = plat_kmsg_open();
	uint32_t seen[3] = { 0 };

	small_params(&p, true);
	fill(in, sizeof(in), 3);
	fill(w, sizeof(w), 4);
	memset(&j, 0, sizeof(j));
	hang_counters = seen;
	CHECK(job_run(&j, &p, in, w, NULL) == 0, "%s: job submitted, fence signalled", fault);
	hang_counters = NULL;
	CHECK(npu_buffer_untouched(j.map[NPU_SLOT_OUTPUT], j.prog.slot_size[NPU_SLOT_OUTPUT]),
	      "%s: output untouched (no CORE/DPU output)", fault);
	EQ(0, seen[2], "output bytes written (DT_WR)");
	EQ(expect_reads ? j.prog.slot_size[NPU_SLOT_INPUT] : 0, seen[0],
	   "input bytes read (DT_RD)");
	EQ(expect_reads ? j.prog.slot_size[NPU_SLOT_WEIGHTS] : 0, seen[1],
	   "weight bytes read (WT_RD)");
	EQ(0, reg(DDMA_DT_RD), "the timeout's reset cleared the counters (model choice)");
	/* which block stopped: the model's debug record says it */
	CHECK(kmsg_grep(kfd, log, NULL, 0), "%s: kernel log has \"%s\"", fault, log);
	plat_close(kfd);
}

static void sc_stall(void)
{
	fault_run(true, "mac-output-stall", "CNA read everything, CORE stalls");
}

static void sc_half(void)
{
	fault_run(false, "pc-half-fetch", "without an op_en word");
}

static void sc_gated(void)
{
	fault_run(false, "compute-clock-gated", "compute clock gated");
}

/* Programming the model cannot execute hangs; it never "succeeds". */
static void sc_unsupported(void)
{
	patch_conv_mode = true;
	fault_run(false, "CONV_MODE 1", "unsupported programming: CONV_MODE");
}

int main(void)
{
	vnpu_scenario("conv rk3568", "vnpu:rk3568", "", "", sc_conv);
	vnpu_scenario("conv rk3588", "vnpu:rk3588", "", "", sc_conv);
	vnpu_scenario("mac-output-stall", "vnpu:rk3568", "", "mac-output-stall", sc_stall);
	vnpu_scenario("pc-half-fetch", "vnpu:rk3568", "", "pc-half-fetch", sc_half);
	vnpu_scenario("compute-clock-gated", "vnpu:rk3568", "", "compute-clock-gated", sc_gated);
	vnpu_scenario("unsupported-mode", "vnpu:rk3568", "", "", sc_unsupported);
	return unit_done();
}
