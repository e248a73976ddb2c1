// SPDX-License-Identifier: MIT
/*
 * rocket_diag.c — diagnostic runs of small NPU programs (see rocket_diag.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "npu/npu_layout.h"
#include "npu/npu_ref.h"
#include "npu/npu_regs.h"
#include "board/power.h"
#include "rocket/rocket_diag.h"

/*
 * The program shapes.  Small enough to finish in well under a millisecond
 * and to keep every BO of a file below 4 MiB of IOVA, big enough that a
 * partial transfer cannot look complete: conv input 8x8x64 int8 = 4096 B,
 * 3x3 kernels to 16 outputs; DPU-only add of two 16x8x32 int8 cubes.
 */
#define DIAG_CONV_HW		8
#define DIAG_CONV_CIN		64
#define DIAG_CONV_COUT		16
#define DIAG_CONV_K		3
#define DIAG_EW_W		16
#define DIAG_EW_H		8
#define DIAG_EW_C		32
/* Zero points and scales of the conv: arbitrary, non-zero (npu_conv.h). */
#define DIAG_IN_ZP		3
#define DIAG_W_ZP		(-2)
#define DIAG_OUT_ZP		(-5)
#define DIAG_IN_SCALE		0.05f
#define DIAG_W_SCALE		0.01f
#define DIAG_OUT_SCALE		0.8f

/* ---- setup ---- */

static int keep_awake(struct rocket_diag *d)
{
	const struct rocket_soc_info *m = &d->soc_info;
	char dev[64];
	int ret = 0;

	for (unsigned int c = 0; c < m->num_cores && !ret; c++) {
		ret = power_core_name(m->core_base[c], dev, sizeof(dev));
		if (!ret)
			ret = power_restore_on_exit(dev);
		if (!ret)
			ret = power_rpm_set_control(dev, "on");
	}
	return ret;
}

void rocket_diag_init(struct rocket_diag *d, int fd, const struct npu_soc *npu_soc)
{
	uint32_t v;
	int ret;

	memset(d, 0, sizeof(*d));
	d->fd = fd;
	d->counter_unit = 1;
	ret = rocket_identify_soc(&d->soc_info);
	d->npu_soc = npu_soc ? npu_soc : npu_soc_for(d->soc_info.soc);
	if (ret || !d->soc_info.facts) {
		d->regs_err = ret ? ret : -ENODEV;
		igt_info("diagnostics: SoC unknown (%s): no register reads\n",
			 strerror(-d->regs_err));
		return;
	}
	ret = keep_awake(d);
	d->awake = !ret;
	if (d->awake) {
		/* Powered now: PC VERSION is a safe first read (rocket_core.c version line). */
		d->regs_err = npu_mmio_read(d->soc_info.soc, 0, REG_PC_VERSION, &v);
	} else {
		/*
		 * Without power/control the core may be gated between jobs and a
		 * read could hang the bus: registers are read only while a job
		 * holds the core (the hang snapshot), never clearing counters.
		 */
		igt_info("diagnostics: cannot hold the NPU on (%s); registers are read only "
			 "while a job runs\n", strerror(-ret));
		d->awake_err = ret;
	}
	d->counters = d->awake && !d->regs_err && d->soc_info.facts->has_dma_counters;
	igt_info("diagnostics: SoC %s, registers %s, DDMA counters %s, programming %s\n",
		 hw_soc_name(d->soc_info.soc),
		 !d->awake ? "only during jobs" :
		 d->regs_err ? npu_mmio_skip_reason(d->regs_err) : "readable",
		 d->counters ? "present" : "n/a", d->npu_soc->name);
}

int rocket_diag_clear_counters(struct rocket_diag *d)
{
	return d->counters ? npu_mmio_clear_dma_counters(d->soc_info.soc, 0) : -EOPNOTSUPP;
}

int rocket_diag_read_counters(struct rocket_diag *d, struct npu_dma_counters *c)
{
	return d->counters ? npu_mmio_read_dma_counters(d->soc_info.soc, 0, c) : -EOPNOTSUPP;
}

/* ---- snapshot ---- */

/* Blocks are 4 KiB windows of the core (Mesa rkt_regcmd.c, RK3588 TRM ch. 36). */
#define DIAG_BLOCK_OFFSET_MASK	0xfffu

/* Each block's S_POINTER and OPERATION_ENABLE (rocket_job.c hw_submit, rocket_registers.h). */
static const struct {
	uint32_t s_pointer, op_en;
} block_regs[STAGE_BLK_COUNT] = {
	[STAGE_BLK_CNA] = { REG_CNA_S_POINTER, REG_CNA_OPERATION_ENABLE },
	[STAGE_BLK_CORE] = { REG_CORE_S_POINTER, REG_CORE_OPERATION_ENABLE },
	[STAGE_BLK_DPU] = { REG_DPU_S_POINTER, REG_DPU_OPERATION_ENABLE },
	[STAGE_BLK_DPU_RDMA] = { REG_DPU_RDMA_RDMA_S_POINTER, REG_DPU_RDMA_RDMA_OPERATION_ENABLE },
};

static unsigned int snapshot_core(struct rocket_diag *d, uint32_t regcmd, uint32_t size)
{
	uint32_t base;

	for (unsigned int c = 0; c < d->soc_info.num_cores; c++)
		if (!npu_mmio_read(d->soc_info.soc, c, REG_PC_BASE_ADDRESS, &base) &&
		    (base & ~0xfu) >= regcmd && (base & ~0xfu) < regcmd + size)
			return c;
	return 0;
}

void rocket_diag_snapshot(struct rocket_diag *d, uint32_t regcmd, uint32_t size,
			  struct stage_regs *r)
{
	enum hw_soc s = d->soc_info.soc;
	unsigned int c;
	int err = 0;

	memset(r, 0, sizeof(*r));
	/*
	 * Not held on: only the core running the job is known to be powered,
	 * and with several cores we would have to read the others to find it.
	 */
	if (d->regs_err || (!d->awake && d->soc_info.num_cores > 1))
		return;
	c = snapshot_core(d, regcmd, size);
	d->last_core = c;
#define RD(off, dst) do { if (!err) err = npu_mmio_read(s, c, (off), (dst)); } while (0)
	RD(REG_PC_BASE_ADDRESS, &r->pc_base_address);
	RD(REG_PC_REGISTER_AMOUNTS, &r->pc_register_amounts);
	RD(REG_PC_INTERRUPT_STATUS, &r->pc_int_status);
	RD(REG_PC_INTERRUPT_RAW_STATUS, &r->pc_raw_status);
	RD(REG_PC_TASK_STATUS, &r->pc_task_status);
	RD(NPU_GLOBAL_MMIO(REG_GLOBAL_OPERATION_ENABLE), &r->global_op_en);
	for (unsigned int b = 0; b < STAGE_BLK_COUNT; b++) {
		RD(block_regs[b].s_pointer, &r->s_pointer[b]);
		RD(block_regs[b].op_en, &r->op_en[b]);
		/* the RK3568 RFC's claimed enable at block + 0x00c (UNCONFIRMED) */
		RD((block_regs[b].op_en & ~DIAG_BLOCK_OFFSET_MASK) + NPU_MMIO_BLOCK_OP_EN_ALT,
		   &r->op_en_alt[b]);
	}
#undef RD
	r->valid = !err;
	if (c == 0 && d->counters) {
		struct npu_dma_counters dc = { 0 };

		r->counters_valid = !npu_mmio_read_dma_counters(s, 0, &dc);
		r->dt_rd = dc.dt_rd;
		r->wt_rd = dc.wt_rd;
		r->dt_wr = dc.dt_wr;
	}
	r->mmu_valid = !npu_mmio_mmu_read(s, c, RK_MMU_DTE_ADDR, &r->mmu_dte_addr) &&
		       !npu_mmio_mmu_read(s, c, RK_MMU_STATUS, &r->mmu_status) &&
		       !npu_mmio_mmu_read(s, c, RK_MMU_PAGE_FAULT_ADDR, &r->mmu_fault_addr) &&
		       !npu_mmio_mmu_read(s, c, RK_MMU_INT_RAWSTAT, &r->mmu_int_rawstat);
}

/* ---- programs ---- */

static uint32_t diag_rng_state;

static int8_t diag_rng(void)
{
	diag_rng_state ^= diag_rng_state << 13;
	diag_rng_state ^= diag_rng_state >> 17;
	diag_rng_state ^= diag_rng_state << 5;
	return (int8_t)diag_rng_state;
}

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	igt_assert(p);
	return p;
}

static void build_conv(struct rocket_diag_prog *p, bool raw)
{
	struct npu_conv2d_params *c = &p->conv;
	struct npu_feature_layout out;
	size_t in_n, w_n;
	int ret;

	memset(c, 0, sizeof(*c));
	c->in_h = c->in_w = DIAG_CONV_HW;
	c->in_c = DIAG_CONV_CIN;
	c->out_c = DIAG_CONV_COUT;
	c->k_h = c->k_w = DIAG_CONV_K;
	c->stride = 1;
	c->raw_int32 = raw;
	npu_conv2d_same_padding(c);
	c->in_zp = DIAG_IN_ZP;
	c->w_zp = DIAG_W_ZP;
	c->out_zp = DIAG_OUT_ZP;
	c->in_scale = DIAG_IN_SCALE;
	c->w_scale = DIAG_W_SCALE;
	c->out_scale = DIAG_OUT_SCALE;

	in_n = (size_t)c->in_h * c->in_w * c->in_c;
	w_n = (size_t)c->k_h * c->k_w * c->in_c * c->out_c;
	p->out_elems = (size_t)npu_conv2d_out_h(c) * npu_conv2d_out_w(c) * c->out_c;
	p->out_elem_size = raw ? 4 : 1;
	p->a = xmalloc(in_n);
	p->b = xmalloc(w_n);
	p->bias = xmalloc(c->out_c * sizeof(int32_t));
	p->expected = xmalloc(p->out_elems * p->out_elem_size);
	for (size_t i = 0; i < in_n; i++)
		p->a[i] = diag_rng();
	for (size_t i = 0; i < w_n; i++)
		p->b[i] = diag_rng();
	for (unsigned int i = 0; i < c->out_c; i++)
		p->bias[i] = diag_rng() * 8;
	ret = raw ? npu_ref_conv2d_raw(c, p->a, p->b, p->expected) :
		    npu_ref_conv2d_s8(c, p->a, p->b, p->bias, p->expected);
	igt_assert_eq(ret, 0);
	igt_assert_eq(npu_conv2d_build(p->soc, c, &p->prog), 0);

	npu_conv2d_output_layout(p->soc, c, &out);
	p->in_bytes = npu_conv2d_input_size(p->soc, c);
	/* The CNA reads the weights; the bias is the DPU's (BRDMA, Mesa registers.xml DPU_RDMA). */
	p->w_bytes = npu_weights_size(p->soc, c);
	p->bias_bytes = raw ? 0 : npu_bias_size(c);
	p->out_bytes = out.size;
}

static void build_ew(struct rocket_diag_prog *p)
{
	struct npu_feature_layout l;
	size_t n;

	p->ew = (struct npu_ew_params){ .w = DIAG_EW_W, .h = DIAG_EW_H, .c = DIAG_EW_C };
	n = (size_t)p->ew.w * p->ew.h * p->ew.c;
	p->out_elems = n;
	p->out_elem_size = 1;
	p->a = xmalloc(n);
	p->b = xmalloc(n);
	p->expected = xmalloc(n);
	for (size_t i = 0; i < n; i++) {
		p->a[i] = diag_rng();
		p->b[i] = diag_rng();
	}
	npu_ref_ew_add_s8(p->a, p->b, n, p->expected);
	igt_assert_eq(npu_ew_add_build(p->soc, &p->ew, &p->prog), 0);
	npu_ew_layout(p->soc, &p->ew, &l);
	/*
	 * Both operands come through DPU_RDMA (MRDMA and ERDMA); UNCONFIRMED
	 * that the DDMA's DT_RD counts them (RK3588 TRM ch. 36 rounding), as vnpu does.
	 */
	p->in_bytes = 2 * l.size;
	p->w_bytes = 0;
	p->out_bytes = l.size;
}

static void fill_inputs(struct rocket_diag_prog *p)
{
	struct rocket_npu_run *r = p->run;

	if (p->kind == STAGE_PROG_DPU_ONLY) {
		struct npu_feature_layout l;

		npu_ew_layout(p->soc, &p->ew, &l);
		npu_feature_pack_s8(&l, p->a, p->ew.c, 0, r->map[NPU_SLOT_INPUT]);
		npu_feature_pack_s8(&l, p->b, p->ew.c, 0, r->map[NPU_SLOT_EW]);
		npu_canary_fill(r->map[NPU_SLOT_OUTPUT], p->prog.slot_size[NPU_SLOT_OUTPUT]);
	} else {
		npu_conv2d_fill_buffers(p->soc, &p->conv, p->a, p->b, p->bias, r->map);
	}
}

void rocket_diag_prog_build_program(struct rocket_diag_prog *p, const struct npu_soc *soc,
				    enum stage_program kind)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->soc = soc;
	diag_rng_state = 0x9e3779b9u + kind;
	npu_program_init(&p->prog, soc);
	if (kind == STAGE_PROG_DPU_ONLY)
		build_ew(p);
	else
		build_conv(p, kind == STAGE_PROG_CNA_CORE);
}

void rocket_diag_prog_prepare(struct rocket_diag_prog *p, int fd)
{
	p->run = rocket_npu_prepare(fd, &p->prog);
}

void rocket_diag_prog_build(struct rocket_diag_prog *p, int fd, const struct npu_soc *soc,
			    enum stage_program kind)
{
	rocket_diag_prog_build_program(p, soc, kind);
	rocket_diag_prog_prepare(p, fd);
}

void rocket_diag_prog_free(struct rocket_diag_prog *p)
{
	rocket_npu_free(p->run);
	npu_program_fini(&p->prog);
	free(p->a);
	free(p->b);
	free(p->bias);
	free(p->expected);
	memset(p, 0, sizeof(*p));
}

/* ---- run ---- */

static uint64_t changed_bytes(const void *buf, size_t size)
{
	const uint8_t *b = buf;
	uint64_t n = 0;

	for (size_t i = 0; i < size; i++)
		n += b[i] != NPU_CANARY_BYTE;
	return n;
}

static void judge_output(struct rocket_diag_prog *p, struct stage_facts *f)
{
	void *out = p->run->map[NPU_SLOT_OUTPUT];
	size_t bytes = p->out_elems * p->out_elem_size;
	uint8_t *seen = xmalloc(bytes);
	bool zp = true;

	f->out_changed = changed_bytes(out, p->prog.slot_size[NPU_SLOT_OUTPUT]);
	if (p->kind == STAGE_PROG_DPU_ONLY) {
		struct npu_feature_layout l;

		npu_ew_layout(p->soc, &p->ew, &l);
		npu_feature_unpack_s8(&l, out, p->ew.c, (int8_t *)seen);
	} else if (p->conv.raw_int32) {
		npu_conv2d_read_output(p->soc, &p->conv, out, NULL, (int32_t *)seen);
	} else {
		npu_conv2d_read_output(p->soc, &p->conv, out, (int8_t *)seen, NULL);
	}
	f->out_correct = !memcmp(seen, p->expected, bytes);
	for (size_t i = 0; i < p->out_elems && zp; i++) {
		if (p->out_elem_size == 4)
			zp = ((int32_t *)seen)[i] == 0;
		else
			zp = ((int8_t *)seen)[i] == p->conv.out_zp;
	}
	f->out_all_zero_point = p->kind != STAGE_PROG_DPU_ONLY && zp;
	free(seen);
}

int rocket_diag_prog_run(struct rocket_diag *d, struct rocket_diag_prog *p,
			 int other_progress, struct stage_facts *f)
{
	struct rocket_npu_run *r = p->run;
	struct npu_dma_counters c;
	int64_t t0;
	bool late;
	int ret;

	stage_facts_init(f, p->kind);
	f->in_bytes = p->in_bytes;
	f->w_bytes = p->w_bytes;
	f->out_bytes = p->out_bytes;
	f->counter_unit = d->counter_unit;
	f->other_progress = other_progress;

	fill_inputs(p);
	d->probe_ok = false;
	d->last_core = 0;
	if (d->counters)
		igt_assert_eq(rocket_diag_clear_counters(d), 0);
	t0 = rocket_monotonic_ns();
	rocket_npu_submit(r);
	ret = rocket_npu_wait(r, ROCKET_DIAG_SNAPSHOT_MS);
	f->waited_ms = (unsigned int)((rocket_monotonic_ns() - t0) / 1000000);
	f->completed = !ret;
	/*
	 * Woken only after the scheduler's timeout could have fired (a busy
	 * machine): the job may have been ended by the timeout, and the
	 * reset has wiped what a snapshot would show.  Neither "completed"
	 * nor a snapshot of a reset core: the facts say the registers were
	 * not read.
	 */
	late = f->completed && f->waited_ms >= ROCKET_JOB_TIMEOUT_MS;
	if (late) {
		f->completed = false;
		igt_info("%s: woken after %u ms, past the %d ms timeout: snapshot missed\n",
			 stage_program_name(p->kind), f->waited_ms, ROCKET_JOB_TIMEOUT_MS);
	} else if (!f->completed) {
		rocket_diag_snapshot(d, (uint32_t)r->iova[NPU_SLOT_REGCMD],
				     (uint32_t)p->prog.slot_size[NPU_SLOT_REGCMD], &f->regs);
		d->probe_ok = d->probe_reg && f->regs.valid &&
			      !npu_mmio_read(d->soc_info.soc, d->last_core, d->probe_reg,
					     &d->probe_val);
		/* Let the kernel's timeout and reset end the job (rocket_job.c timeout). */
		ret = rocket_npu_wait(r, ROCKET_BAD_JOB_WAIT_MS);
		if (ret)
			igt_warn("%s: job still busy %d ms after the snapshot (%d): no reset?\n",
				 stage_program_name(p->kind), ROCKET_BAD_JOB_WAIT_MS, ret);
		/*
		 * Idle before the scheduler's timeout could have fired: the job
		 * finished on its own, late (a slow or busy NPU), not hung.
		 */
		else if ((rocket_monotonic_ns() - t0) / 1000000 < ROCKET_JOB_TIMEOUT_MS)
			f->completed = true;
	} else if (d->counters && d->awake && !rocket_diag_read_counters(d, &c)) {
		/* Finished: counters only for the facts; the core is held on. */
		f->regs.counters_valid = true;
		f->regs.dt_rd = c.dt_rd;
		f->regs.wt_rd = c.wt_rd;
		f->regs.dt_wr = c.dt_wr;
	}
	if (f->completed && d->probe_reg && !d->regs_err && d->awake)
		d->probe_ok = !npu_mmio_read(d->soc_info.soc, d->last_core, d->probe_reg,
					     &d->probe_val);
	judge_output(p, f);
	/* Woken late but the output is right: it finished, the wake-up was slow. */
	if (late && f->out_correct)
		f->completed = true;
	ret = stage_decide(f, d->facts, sizeof(d->facts));
	if (!f->completed) {
		char regs[512];

		stage_regs_format(&f->regs, regs, sizeof(regs));
		igt_info("%s: hang snapshot (core %u): %s\n", stage_program_name(p->kind),
			 d->last_core, regs);
	}
	return ret;
}

bool rocket_diag_progress(const struct stage_facts *f)
{
	const struct stage_regs *r = &f->regs;

	return f->out_changed || (r->counters_valid && (r->dt_rd || r->wt_rd || r->dt_wr));
}

int rocket_diag_second_job(int fd, char *buf, size_t size)
{
	struct rocket_soc_info soc;
	struct rocket_diag_prog p;
	struct stage_facts f;
	int64_t t0, ms;
	int ret;

	if (rocket_identify_soc(&soc)) {
		snprintf(buf, size, "; no independent job run (SoC not identified)");
		return 0;
	}
	rocket_diag_prog_build(&p, fd, npu_soc_for(soc.soc), STAGE_PROG_CONV);
	stage_facts_init(&f, p.kind);
	fill_inputs(&p);
	t0 = rocket_monotonic_ns();
	rocket_npu_submit(p.run);
	ret = rocket_npu_wait(p.run, ROCKET_BAD_JOB_WAIT_MS);
	ms = (rocket_monotonic_ns() - t0) / 1000000;
	judge_output(&p, &f);
	rocket_diag_prog_free(&p);
	if (!ret && f.out_correct && ms < ROCKET_JOB_TIMEOUT_MS) {
		snprintf(buf, size,
			 "; an independent job (the diagnostics' Mesa-shaped conv) completed correctly in %lld ms: this job is the suspect, not the NPU",
			 (long long)ms);
		return 1;
	}
	snprintf(buf, size,
		 "; an independent job (the diagnostics' Mesa-shaped conv) failed too (%s after %lld ms): the NPU runs no job",
		 f.out_changed ? "wrong output" : "no output", (long long)ms);
	return 0;
}
