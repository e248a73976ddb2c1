// SPDX-License-Identifier: MIT
/*
 * npu_conv.c — int8 conv2d: geometry, CBUF tiling and the regcmd stream.
 *
 * The stream follows the order of Mesa rkt_regcmd.c conv2d task (130 entries for one
 * task, the same list for every task) so it can be compared entry by entry
 * with upstream Mesa (Mesa rkt_regcmd.c formulas, derived).  The raw-int32 mode follows the vendor matmul
 * stream of vendor librknnrt matmul dump instead: no DPU_RDMA block, op_en 0xd, every DPU stage
 * bypassed, OUT_PRECISION int32.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_conv.h"
#include "npu/npu_layout.h"
#include "npu/npu_program.h"
#include "npu/regcmd.h"

/* Mesa rkt_task.c fill_task: FEATURE_ATOMIC_SIZE 16, output channels in 32s */
#define IN_CHANNEL_ALIGN	16
#define OUT_CHANNEL_ALIGN	32
#define DW_OUT_CHANNEL_ALIGN	64

/* Mesa rkt_regcmd.c conv2d task #8: "Magic: Seems to pass the most tests" (Empirical) */
#define MESA_FEATURE_GRAINS_BASE	50
/* Mesa rkt_regcmd.c conv2d task #29, #60, #121: burst length code 15 = burst 16 */
#define BURST_LEN_16		15
/* Mesa registers.xml CNA CONV_CON1 / Mesa registers.xml DPU FEATURE_MODE_CFG: 3 = depthwise */
#define CONV_MODE_DEPTHWISE	3
/* Mesa rkt_regcmd.c conv2d task #4: ARGB_IN 8 = 1-channel input mode */
#define ARGB_IN_1CH		8
/* Mesa rkt_regcmd.c conv2d task #19-23: Cin == 1 converter, x_u8 * 16384 >> 14 - 128 */
#define CIN1_CVT_TRUNCATE	14
#define CIN1_CVT_SCALE		16384
#define CIN1_CVT_OFFSET		0xff80	/* -128 as 16 bits */
#define CIN1_CVT_CON5		65535
/* Mesa registers.xml DPU DATA_FORMAT precision code 4 = int32 */
#define PRECISION_INT32		4
/* Mesa registers.xml DPU BS_CFG BS_ALU_ALGO 2 = add */
#define ALU_ALGO_ADD		2
/* Mesa rkt_regcmd.c conv2d task #73: SIZE_E_* 1 (int8), 3 depthwise; vendor librknnrt matmul dump: 7 for int32 */
#define OW_SIZE_E_INT8		1
#define OW_SIZE_E_INT8_DW	3
#define OW_SIZE_E_INT32		7
/* Mesa registers.xml DPU/Mesa rkt_ml.c feature layout: DST_SURF_STRIDE is bits 31:4 of a byte count */
#define DST_SURF_STRIDE_LOW_BITS	4
/* Mesa rkt_regcmd.c conv2d task #114: BRDMA_DATA_USE bit0 = ALU operand (the bias) */
#define BRDMA_USE_ALU		1
/* Mesa rkt_regcmd.c conv2d task #125: arbiter weights E/N/B/M = 1 */
#define RDMA_ARB_WEIGHT		1
/* Mesa rkt_regcmd.c conv2d task #5/#6: POINTER_PP_MODE|EXECUTER_PP_EN|POINTER_PP_EN */
#define S_POINTER_PP		0xe
/*
 * Mesa rkt_task.c rkt_split_tasks: when weights do not fit, Mesa gives input 7 of the
 * 12 banks.  For other bank counts we keep that ratio (UNCONFIRMED).
 */
#define MESA_SPLIT_INPUT_BANKS	7
#define MESA_SPLIT_TOTAL_BANKS	12

static unsigned int align_up(unsigned int v, unsigned int a)
{
	return (v + a - 1) / a * a;
}

static unsigned int div_up(unsigned int a, unsigned int b)
{
	return (a + b - 1) / b;
}

static unsigned int max_u(unsigned int a, unsigned int b)
{
	return a > b ? a : b;
}

unsigned int npu_conv2d_out_h(const struct npu_conv2d_params *p)
{
	return (p->in_h + p->pad_top + p->pad_bottom - p->k_h) / p->stride + 1;
}

unsigned int npu_conv2d_out_w(const struct npu_conv2d_params *p)
{
	return (p->in_w + p->pad_left + p->pad_right - p->k_w) / p->stride + 1;
}

static void same_pad(unsigned int in, unsigned int k, unsigned int s,
		     unsigned int *before, unsigned int *after)
{
	unsigned int out = div_up(in, s);
	int total = (int)((out - 1) * s + k) - (int)in;

	if (total < 0)
		total = 0;
	*before = total / 2;
	*after = total - total / 2;
}

void npu_conv2d_same_padding(struct npu_conv2d_params *p)
{
	same_pad(p->in_h, p->k_h, p->stride, &p->pad_top, &p->pad_bottom);
	same_pad(p->in_w, p->k_w, p->stride, &p->pad_left, &p->pad_right);
}

int npu_conv2d_check(const struct npu_conv2d_params *p, const char **why)
{
	const char *w = NULL;

	if (!p->in_h || !p->in_w || !p->in_c || !p->out_c)
		w = "empty tensor";
	else if (p->in_h > NPU_CONV_MAX_DIM || p->in_w > NPU_CONV_MAX_DIM)
		w = "input larger than the 11-bit DATAIN fields";
	else if (p->in_c > NPU_CONV_MAX_CHANNELS || p->out_c > NPU_CONV_MAX_CHANNELS)
		w = "too many channels";
	else if (!p->k_h || !p->k_w || p->k_h > NPU_CONV_MAX_KERNEL ||
		 p->k_w > NPU_CONV_MAX_KERNEL)
		w = "kernel size outside 1..5";
	else if (p->stride != 1 && p->stride != 2)
		w = "stride other than 1 or 2";
	else if (p->pad_top > NPU_CONV_MAX_PAD || p->pad_left > NPU_CONV_MAX_PAD ||
		 p->pad_bottom >= p->k_h || p->pad_right >= p->k_w ||
		 p->pad_top >= p->k_h || p->pad_left >= p->k_w)
		w = "padding not smaller than the kernel";
	else if (p->in_h + p->pad_top + p->pad_bottom < p->k_h ||
		 p->in_w + p->pad_left + p->pad_right < p->k_w)
		w = "kernel larger than the padded input";
	else if (p->depthwise && p->in_c != p->out_c)
		w = "depthwise needs out_c == in_c";
	else if (p->in_zp < -128 || p->in_zp > 127 || p->w_zp < -128 || p->w_zp > 127 ||
		 p->out_zp < -128 || p->out_zp > 127)
		w = "zero point outside int8";
	else if (!p->raw_int32 && !(p->in_scale > 0 && p->w_scale > 0 && p->out_scale > 0))
		w = "scales must be positive";
	else if (p->truncate_bits > 31)
		w = "truncate_bits outside the 5-bit CLIP_TRUNCATE field";
	if (why)
		*why = w;
	return w ? -EINVAL : 0;
}

bool npu_conv2d_cin1_path(const struct npu_conv2d_params *p)
{
	return p->in_c == 1;
}

unsigned int npu_conv2d_in_channels_hw(const struct npu_conv2d_params *p)
{
	return align_up(max_u(p->in_c, IN_CHANNEL_ALIGN), IN_CHANNEL_ALIGN);
}

unsigned int npu_conv2d_out_channels_hw(const struct npu_conv2d_params *p)
{
	unsigned int n = align_up(max_u(p->out_c, OUT_CHANNEL_ALIGN), OUT_CHANNEL_ALIGN);

	if (p->depthwise) {
		if (p->out_c <= OUT_CHANNEL_ALIGN)
			n *= 2;
		n = align_up(n, DW_OUT_CHANNEL_ALIGN);
	}
	return n;
}

unsigned int npu_conv2d_weight_kernels(const struct npu_conv2d_params *p)
{
	return p->depthwise ? 1 : align_up(p->out_c, 2);
}

/* Width the CNA is told (Mesa rkt_task.c fill_task: Cin == 1 reads >= 16 pixels) */
static unsigned int task_in_width(const struct npu_conv2d_params *p)
{
	return npu_conv2d_cin1_path(p) ? max_u(p->in_w, NPU_CIN1_MIN_LINE) : p->in_w;
}

/*
 * CBUF entries one input row needs (Mesa rkt_task.c rkt_split_tasks).  Mesa counts
 * the real channels in 16-byte atoms and, empirically, a remainder of 3
 * atoms takes a whole entry per pixel.
 */
static unsigned int entries_per_row(const struct npu_soc *soc,
				    const struct npu_conv2d_params *p)
{
	unsigned int per_entry = soc->cbuf_entry_size / soc->feature_c2;
	unsigned int atoms = div_up(p->in_c, soc->feature_c2);
	unsigned int rem = atoms % per_entry;
	unsigned int w = task_in_width(p);

	return atoms / per_entry * w + (rem == 3 ? w : div_up(rem * w, per_entry));
}

static unsigned int weight_banks_needed(const struct npu_soc *soc,
					const struct npu_conv2d_params *p)
{
	unsigned long bytes = (unsigned long)p->k_w * p->k_h * p->in_c *
			      (p->depthwise ? 1 : p->out_c);
	unsigned long entries = (bytes + soc->cbuf_entry_size - 1) / soc->cbuf_entry_size;

	/* Mesa: "Why do we need an extra bank?" (Mesa rkt_task.c rkt_split_tasks) */
	return (entries + soc->cbuf_entries_per_bank - 1) / soc->cbuf_entries_per_bank + 1;
}

/* Output rows [o0, o0+n) -> input rows and the padding the task sees. */
static void band_rows(const struct npu_conv2d_params *p, unsigned int o0,
		      unsigned int n, struct npu_conv_task *t)
{
	int first = (int)(o0 * p->stride) - (int)p->pad_top;
	int last = (int)((o0 + n - 1) * p->stride) - (int)p->pad_top + (int)p->k_h - 1;

	t->out_row0 = o0;
	t->out_rows = n;
	t->pad_top = first < 0 ? (unsigned int)-first : 0;
	t->pad_bottom = last > (int)p->in_h - 1 ? (unsigned int)(last - ((int)p->in_h - 1)) : 0;
	t->in_row0 = first < 0 ? 0 : (unsigned int)first;
	t->in_rows = (unsigned int)((last > (int)p->in_h - 1 ? (int)p->in_h - 1 : last) -
				    (int)t->in_row0 + 1);
}

int npu_conv2d_plan(const struct npu_soc *soc, const struct npu_conv2d_params *p,
		    struct npu_conv_plan *plan)
{
	unsigned int out_h = npu_conv2d_out_h(p);
	unsigned int banks = soc->cbuf_banks;
	unsigned int data_banks, weight_banks, rows_fit, o0 = 0;

	memset(plan, 0, sizeof(*plan));
	if (npu_conv2d_check(p, NULL))
		return -EINVAL;
	plan->entries_per_row = entries_per_row(soc, p);
	plan->input_banks_needed = div_up(plan->entries_per_row * p->in_h,
					  soc->cbuf_entries_per_bank);
	plan->weight_banks_needed = weight_banks_needed(soc, p);

	if (plan->weight_banks_needed + 1 < banks) {
		plan->weights_resident = true;
		weight_banks = plan->weight_banks_needed;
		data_banks = banks - weight_banks;
	} else {
		data_banks = banks * MESA_SPLIT_INPUT_BANKS / MESA_SPLIT_TOTAL_BANKS;
		weight_banks = banks - data_banks;
	}

	if (plan->input_banks_needed <= data_banks) {
		struct npu_conv_task *t = &plan->tasks[0];

		band_rows(p, 0, out_h, t);
		t->data_banks = plan->input_banks_needed;
		t->weight_banks = banks - t->data_banks;
		plan->n_tasks = 1;
		return 0;
	}

	/* height tiling: bands of output rows whose input rows fit */
	rows_fit = soc->cbuf_entries_per_bank * data_banks / plan->entries_per_row;
	while (o0 < out_h) {
		struct npu_conv_task *t;
		unsigned int n = 0;

		if (plan->n_tasks == NPU_CONV_MAX_TASKS)
			return -E2BIG;
		t = &plan->tasks[plan->n_tasks];
		while (o0 + n < out_h) {
			band_rows(p, o0, n + 1, t);
			if (t->in_rows > rows_fit)
				break;
			n++;
		}
		if (!n)
			return -EINVAL;	/* not even one output row fits */
		band_rows(p, o0, n, t);
		t->data_banks = data_banks;
		t->weight_banks = weight_banks;
		t->weight_reuse = plan->weights_resident && plan->n_tasks > 0;
		plan->n_tasks++;
		o0 += n;
	}
	return 0;
}

/*
 * CNA SURF_STRIDE of the NC1HWC2 input (Mesa rkt_regcmd.c conv2d task #31, Mesa rkt_task.c fill_task):
 * Mesa computes line_stride * (H/4 - 1) in float into a signed int, so
 * below H = 4 the value is negative (-W for H = 3), and its generated
 * packer takes it as uint32_t and keeps the 28-bit field (DMA_CON2 27:0,
 * npu_regs.def).  We emit the same bits.  UNCONFIRMED: that the hardware
 * reads the wrapped value as a surface of (SURF_STRIDE + LINE_STRIDE)
 * rows modulo the field (vnpu's reading, UNCONFIRMED: stride units); a board run failing only
 * for inputs lower than 4 rows points here.
 */
static uint32_t cna_surf_stride(unsigned int line_stride, unsigned int h)
{
	long long v = (long long)line_stride * ((long long)h - 4) / 4;

	return (uint32_t)v & CNA_DMA_CON2_SURF_STRIDE__MASK;
}

/* Per-task values derived once, named after the quantities of Mesa rkt_task.c fill_task. */
struct conv_geom {
	unsigned int in_width;		/* as told to the CNA */
	unsigned int in_c_hw, out_c_hw, kernels;
	unsigned int out_w, out_h;
	unsigned int line_stride;
	uint32_t surf_stride;		/* SURF_STRIDE as written (may wrap) */
	unsigned int data_entries;
	unsigned int feature_grains;
	size_t in_row_bytes, out_row_bytes;
	unsigned int dst_surf_stride;	/* DST_SURF_STRIDE field value */
	unsigned int surf_add;		/* SURFACE_ADD field value */
	bool cin1;
	struct npu_out_cvt cvt;
};

static void conv_geom_init(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			   struct conv_geom *g)
{
	struct npu_feature_layout out;
	unsigned int w = p->in_w, h = p->in_h;

	memset(g, 0, sizeof(*g));
	g->cin1 = npu_conv2d_cin1_path(p);
	g->in_width = task_in_width(p);
	g->in_c_hw = npu_conv2d_in_channels_hw(p);
	g->out_c_hw = npu_conv2d_out_channels_hw(p);
	g->kernels = npu_conv2d_weight_kernels(p);
	g->out_w = npu_conv2d_out_w(p);
	g->out_h = npu_conv2d_out_h(p);
	npu_conv2d_output_layout(soc, p, &out);

	if (g->cin1) {
		/* Mesa rkt_task.c fill_task: byte rows of max(W,16) */
		g->line_stride = npu_cin1_line_bytes(w);
		g->surf_stride = g->line_stride * (h - 1);
		g->in_row_bytes = g->line_stride;
		g->data_entries = g->in_width * h;
	} else if (soc->fork_geometry) {
		/* UNCONFIRMED: [FORK-3568] strides in 8-byte units, Mesa rkt_ml.c feature layout/vendor rknpu per-SoC tables */
		g->line_stride = w;
		g->surf_stride = w * h;
		g->in_row_bytes = (size_t)w * soc->feature_c2;
		g->data_entries = div_up(w * div_up(p->in_c, 8), 4);
	} else {
		/*
		 * UNCONFIRMED units (UNCONFIRMED: stride units): Mesa's W*16/4 and
		 * line_stride * (H/4 - 1), which works empirically (Mesa rkt_task.c fill_task).
		 */
		g->line_stride = w * soc->feature_c2 / 4;
		g->surf_stride = cna_surf_stride(g->line_stride, h);
		g->in_row_bytes = (size_t)w * soc->feature_c2;
		if (w == 40 && p->in_c == 40)
			g->data_entries = 40;	/* Empirical: Mesa special case, Mesa rkt_task.c fill_task */
		else
			g->data_entries = div_up(w * 2 * div_up(p->in_c, IN_CHANNEL_ALIGN), 8);
	}

	if (soc->fork_geometry) {
		/* UNCONFIRMED: [FORK-3568] sy+kh+sy*((Wout<28)+(Wout<14)), 1 for 1x1 input */
		g->feature_grains = (w == 1 && h == 1) ? 1 :
			p->stride + p->k_h + p->stride * ((g->out_w < 28) + (g->out_w < 14));
	} else {
		g->feature_grains = MESA_FEATURE_GRAINS_BASE + p->stride + 1;
	}

	g->out_row_bytes = (size_t)g->out_w * out.pixel_bytes;
	if (p->raw_int32) {
		/*
		 * The output is mtx512's int32 NC1HWC2, C2 = 4, 16 bytes a
		 * pixel (Mesa rkt_ml.c feature layout), and DST_SURF_STRIDE's raw value
		 * is the surface stride in BYTES (Mesa registers.xml DPU, Mesa rkt_ml.c feature layout) - what mtx512's
		 * bit-exact int32 matmul writes (field W*H, raw W*H*16).  The
		 * vendor stream of vendor librknnrt matmul dump has raw 0x10 for 4 pixels, but it also
		 * sets DATA_CUBE_NOTCH_ADDR 0x00070007 (we write 0): read as a
		 * different output arrangement, not as an element count
		 * (UNCONFIRMED).  SURFACE_ADD keeps the vendor's W*H*2 field
		 * (vendor librknnrt matmul dump 0x80 for 4 pixels; UNCONFIRMED as a general rule).
		 */
		g->dst_surf_stride = (unsigned int)(out.surf_bytes >> DST_SURF_STRIDE_LOW_BITS);
		g->surf_add = out.surf_px * 2;
	} else if (soc->fork_geometry) {
		/* UNCONFIRMED: [FORK-3568] raw W*H*8, SURFACE_ADD field W*H */
		g->dst_surf_stride = out.surf_px * 8 / 16;
		g->surf_add = out.surf_px;
	} else {
		/* Mesa rkt_regcmd.c conv2d task #64/#96: fields W*H and W*H*2 (x2 depthwise) */
		g->dst_surf_stride = g->out_w * g->out_h;
		g->surf_add = g->out_w * g->out_h * 2 * (p->depthwise ? 2 : 1);
	}

	if (!p->raw_int32)
		npu_out_cvt_encode(p->in_scale * p->w_scale / p->out_scale,
				   p->truncate_bits, p->out_zp, &g->cvt);
}

struct task_relocs {
	uint32_t entry[4];
	enum npu_slot slot[4];
	uint32_t offset[4];
	unsigned int n;
};

static void reloc_here(struct task_relocs *r, const struct npu_regcmd *rc,
		       enum npu_slot slot, uint32_t offset)
{
	r->entry[r->n] = rc->count;
	r->slot[r->n] = slot;
	r->offset[r->n] = offset;
	r->n++;
}

/* CNA: Mesa rkt_regcmd.c conv2d task #1-#54 */
static void emit_cna(struct npu_regcmd *rc, const struct npu_soc *soc,
		     const struct npu_conv2d_params *p, const struct conv_geom *g,
		     const struct npu_conv_task *t, struct task_relocs *r)
{
	uint32_t cbuf_con0, conv_con1, cvt_con0, cvt_scale, pad_con1;
	unsigned int kernel_bytes = p->k_w * p->k_h * g->in_c_hw;
	unsigned int i;

	cbuf_con0 = CNA_CBUF_CON0_WEIGHT_REUSE(t->weight_reuse) |
		    CNA_CBUF_CON0_WEIGHT_BANK(t->weight_banks) |
		    CNA_CBUF_CON0_DATA_BANK(t->data_banks);
	conv_con1 = 0;
	if (g->cin1)
		conv_con1 |= CNA_CONV_CON1_NONALIGN_DMA(1) | CNA_CONV_CON1_GROUP_LINE_OFF(1) |
			     CNA_CONV_CON1_ARGB_IN(ARGB_IN_1CH);
	if (p->depthwise)
		conv_con1 |= CNA_CONV_CON1_CONV_MODE(CONV_MODE_DEPTHWISE);
	if (g->cin1) {
		cvt_con0 = CNA_CVT_CON0_CVT_TRUNCATE_3(CIN1_CVT_TRUNCATE) |
			   CNA_CVT_CON0_CVT_TRUNCATE_2(CIN1_CVT_TRUNCATE) |
			   CNA_CVT_CON0_CVT_TRUNCATE_1(CIN1_CVT_TRUNCATE) |
			   CNA_CVT_CON0_CVT_TRUNCATE_0(CIN1_CVT_TRUNCATE);
		cvt_scale = CIN1_CVT_SCALE;
	} else {
		/* UNCONFIRMED: [FORK-3568] wants the converter not bypassed (0xa) */
		cvt_con0 = CNA_CVT_CON0_DATA_SIGN(1) | CNA_CVT_CON0_CVT_TYPE(1) |
			   CNA_CVT_CON0_CVT_BYPASS(!soc->fork_geometry);
		cvt_scale = 1;
	}
	/*
	 * Padded pixels must read as the zero point (Mesa rkt_regcmd.c, RK3588 TRM ch. 36).
	 * Mesa's special cases (kw >= 3 && izp == 0 -> 0xffff8080, depthwise
	 * && izp == 0x8b -> 0x0b0b, Mesa rkt_regcmd.c conv2d task #54) are empirical and not adopted: a
	 * board run failing only there points at PAD_VALUE's real layout.
	 */
	pad_con1 = (uint32_t)p->in_zp;

	EMIT(REG_CNA_CBUF_CON0, cbuf_con0);
	EMIT(REG_CNA_DCOMP_REGNUM, 0);
	EMIT(REG_CNA_DCOMP_CTRL, 0);
	EMIT(REG_CNA_CONV_CON1, conv_con1);
	EMIT(REG_DPU_S_POINTER, S_POINTER_PP);
	if (!p->raw_int32)
		EMIT(REG_DPU_RDMA_RDMA_S_POINTER, S_POINTER_PP);
	EMIT(REG_CNA_CONV_CON1, conv_con1);
	EMIT(REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(g->feature_grains));
	EMIT(REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(p->stride) |
				CNA_CONV_CON3_CONV_Y_STRIDE(p->stride));
	EMIT(REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(g->in_width) |
				 CNA_DATA_SIZE0_DATAIN_HEIGHT(t->in_rows));
	EMIT(REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(p->in_c - 1) |
				 CNA_DATA_SIZE1_DATAIN_CHANNEL(g->in_c_hw));
	EMIT(REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(g->out_w));
	EMIT(REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(g->out_w * t->out_rows));
	EMIT(REG_CNA_WEIGHT_SIZE0, CNA_WEIGHT_SIZE0_WEIGHT_BYTES(kernel_bytes * g->kernels));
	EMIT(REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(kernel_bytes));
	EMIT(REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(p->k_w) |
				   CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(p->k_h) |
				   CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(g->kernels));
	EMIT(REG_CNA_CBUF_CON0, cbuf_con0);
	EMIT(REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(g->data_entries));
	EMIT(REG_CNA_CVT_CON0, cvt_con0);
	EMIT(REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(cvt_scale) |
			       CNA_CVT_CON1_CVT_OFFSET0(g->cin1 ? CIN1_CVT_OFFSET : 0));
	EMIT(REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(cvt_scale) |
			       CNA_CVT_CON2_CVT_OFFSET1(g->cin1 ? CIN1_CVT_OFFSET : 0));
	EMIT(REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(cvt_scale) |
			       CNA_CVT_CON3_CVT_OFFSET2(g->cin1 ? CIN1_CVT_OFFSET : 0));
	EMIT(REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(cvt_scale) |
			       CNA_CVT_CON4_CVT_OFFSET3(g->cin1 ? CIN1_CVT_OFFSET : 0));
	EMIT(REG_CNA_FC_CON0, 0);
	EMIT(REG_CNA_FC_CON1, 0);
	EMIT(REG_CNA_PAD_CON0, CNA_PAD_CON0_PAD_LEFT(p->pad_left) |
			       CNA_PAD_CON0_PAD_TOP(t->pad_top));
	reloc_here(r, rc, NPU_SLOT_INPUT, t->in_row0 * g->in_row_bytes);
	EMIT(REG_CNA_FEATURE_DATA_ADDR, 0);
	EMIT(REG_CNA_FC_CON2, 0);
	EMIT(REG_CNA_DMA_CON0, soc->cna_dma_con0);
	EMIT(REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(g->line_stride));
	EMIT(REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(g->surf_stride));
	EMIT(REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(p->in_w) |
				    CNA_FC_DATA_SIZE0_DMA_HEIGHT(t->in_rows));
	EMIT(REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(g->in_c_hw));
	EMIT(REG_CNA_DCOMP_CTRL, 0);
	EMIT(REG_CNA_DCOMP_REGNUM, 0);
	reloc_here(r, rc, NPU_SLOT_WEIGHTS, 0);
	EMIT(REG_CNA_DCOMP_ADDR0, 0);
	for (i = 0; i < 16; i++)
		EMIT(REG_CNA_DCOMP_AMOUNT0 + 4 * i, 0);
	EMIT(REG_CNA_CVT_CON5, g->cin1 ? CIN1_CVT_CON5 : 0);
	EMIT(REG_CNA_PAD_CON1, CNA_PAD_CON1_PAD_VALUE(pad_con1));
}

/* CORE: Mesa rkt_regcmd.c conv2d task #55-#59 */
static void emit_core(struct npu_regcmd *rc, const struct npu_conv2d_params *p,
		      const struct conv_geom *g, const struct npu_conv_task *t)
{
	uint32_t misc_cfg = CORE_MISC_CFG_QD_EN(1) | CORE_MISC_CFG_DW_EN(p->depthwise);

	EMIT(REG_CORE_MISC_CFG, misc_cfg);
	EMIT(REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(t->out_rows - 1) |
				      CORE_DATAOUT_SIZE_0_DATAOUT_WIDTH(g->out_w - 1));
	EMIT(REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(g->out_c_hw - 1));
	EMIT(REG_CORE_CLIP_TRUNCATE, CORE_CLIP_TRUNCATE_CLIP_TRUNCATE(p->truncate_bits));
	EMIT(REG_CORE_UNDOC_3030, 0);
}

/* DPU: Mesa rkt_regcmd.c conv2d task #60-#109 (raw int32: vendor librknnrt matmul dump values) */
static void emit_dpu(struct npu_regcmd *rc, const struct npu_conv2d_params *p,
		     const struct conv_geom *g, const struct npu_conv_task *t,
		     struct task_relocs *r)
{
	uint32_t feature_mode_cfg, data_format, bs_cfg, bs_ow_cfg, bs_ow_op;
	uint32_t bypass = DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1) |
			  DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1);
	/* raw int32: scale 1, shift 0, offset 0 pass accumulators through (vendor librknnrt matmul dump) */
	struct npu_out_cvt out_cvt = { .scale = 1 };
	unsigned int size_e, i;

	feature_mode_cfg = DPU_FEATURE_MODE_CFG_BURST_LEN(BURST_LEN_16) |
			   DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2);
	if (p->depthwise)
		feature_mode_cfg |= DPU_FEATURE_MODE_CFG_CONV_MODE(CONV_MODE_DEPTHWISE);
	if (!p->raw_int32)
		out_cvt = g->cvt;
	if (p->raw_int32) {
		data_format = DPU_DATA_FORMAT_OUT_PRECISION(PRECISION_INT32);
		bs_cfg = bypass;
		size_e = OW_SIZE_E_INT32;
		bs_ow_op = 0;
	} else {
		data_format = 0;
		/* bias added by the BS ALU from BRDMA (Mesa rkt_coefs.c bias) */
		bs_cfg = DPU_BS_CFG_BS_ALU_ALGO(ALU_ALGO_ADD) | DPU_BS_CFG_BS_ALU_SRC(1) |
			 DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1);
		size_e = p->depthwise ? OW_SIZE_E_INT8_DW : OW_SIZE_E_INT8;
		/* CPEND adds (0x80 - wzp_u8) * sum(x) = -wzp * sum(x) (Mesa rkt_regcmd.c, RK3588 TRM ch. 36) */
		bs_ow_op = (uint32_t)(-p->w_zp);
	}
	bs_ow_cfg = DPU_BS_OW_CFG_SIZE_E_2(size_e) | DPU_BS_OW_CFG_SIZE_E_1(size_e) |
		    DPU_BS_OW_CFG_SIZE_E_0(size_e);

	EMIT(REG_DPU_FEATURE_MODE_CFG, feature_mode_cfg);
	EMIT(REG_DPU_DATA_FORMAT, data_format);
	EMIT(REG_DPU_OFFSET_PEND, 0);
	reloc_here(r, rc, NPU_SLOT_OUTPUT, t->out_row0 * g->out_row_bytes);
	EMIT(REG_DPU_DST_BASE_ADDR, 0);
	EMIT(REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(g->dst_surf_stride));
	EMIT(REG_DPU_DATA_CUBE_WIDTH, DPU_DATA_CUBE_WIDTH_WIDTH(g->out_w - 1));
	EMIT(REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(t->out_rows - 1));
	EMIT(REG_DPU_DATA_CUBE_NOTCH_ADDR, 0);
	EMIT(REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(p->out_c - 1) |
					DPU_DATA_CUBE_CHANNEL_CHANNEL(g->out_c_hw - 1));
	EMIT(REG_DPU_BS_CFG, bs_cfg);
	EMIT(REG_DPU_BS_ALU_CFG, 0);
	EMIT(REG_DPU_BS_MUL_CFG, 0);
	EMIT(REG_DPU_BS_RELUX_CMP_VALUE, 0);
	EMIT(REG_DPU_BS_OW_CFG, bs_ow_cfg);
	EMIT(REG_DPU_BS_OW_OP, DPU_BS_OW_OP_OW_OP(bs_ow_op));
	EMIT(REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(g->out_c_hw - 1));
	EMIT(REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(t->out_rows - 1) |
				  DPU_WDMA_SIZE_1_WIDTH_WDMA(g->out_w - 1));
	EMIT(REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
			     DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1));
	EMIT(REG_DPU_BN_ALU_CFG, 0);
	EMIT(REG_DPU_BN_MUL_CFG, 0);
	EMIT(REG_DPU_BN_RELUX_CMP_VALUE, 0);
	EMIT(REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_OP_CVT_BYPASS(1) |
			     DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_BYPASS(1) |
			     DPU_EW_CFG_EW_BYPASS(1));
	EMIT(REG_DPU_EW_CVT_OFFSET_VALUE, 0);
	EMIT(REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1));
	EMIT(REG_DPU_EW_RELUX_CMP_VALUE, 0);
	EMIT(REG_DPU_OUT_CVT_OFFSET, (uint32_t)out_cvt.offset);
	EMIT(REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(out_cvt.scale));
	EMIT(REG_DPU_OUT_CVT_SHIFT, DPU_OUT_CVT_SHIFT_OUT_CVT_SHIFT(out_cvt.shift));
	for (i = 0; i < 8; i++)
		EMIT(REG_DPU_EW_OP_VALUE_0 + 4 * i, 0);
	EMIT(REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(g->surf_add));
	EMIT(REG_DPU_UNDOC_40C4, 0);
	for (i = 0; i < 12; i++)
		EMIT(REG_DPU_LUT_ACCESS_CFG + 4 * i, 0);
}

/* DPU_RDMA: Mesa rkt_regcmd.c conv2d task #110-#126 (absent in raw int32 mode, vendor librknnrt matmul dump) */
static void emit_dpu_rdma(struct npu_regcmd *rc, const struct npu_conv2d_params *p,
			  const struct conv_geom *g, const struct npu_conv_task *t,
			  struct task_relocs *r)
{
	uint32_t feature_mode_cfg = DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(BURST_LEN_16) |
				    DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1);

	if (p->depthwise)
		feature_mode_cfg |= DPU_RDMA_RDMA_FEATURE_MODE_CFG_CONV_MODE(CONV_MODE_DEPTHWISE);

	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, DPU_RDMA_RDMA_DATA_CUBE_WIDTH_WIDTH(g->out_w - 1));
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT,
	     DPU_RDMA_RDMA_DATA_CUBE_HEIGHT_HEIGHT(t->out_rows - 1));
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL,
	     DPU_RDMA_RDMA_DATA_CUBE_CHANNEL_CHANNEL(g->out_c_hw - 1));
	EMIT(REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, 0);
	EMIT(REG_DPU_RDMA_RDMA_BRDMA_CFG, DPU_RDMA_RDMA_BRDMA_CFG_BRDMA_DATA_USE(BRDMA_USE_ALU));
	reloc_here(r, rc, NPU_SLOT_BIAS, 0);
	EMIT(REG_DPU_RDMA_RDMA_BS_BASE_ADDR, 0);
	EMIT(REG_DPU_RDMA_RDMA_NRDMA_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_BN_BASE_ADDR, 0);
	EMIT(REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1));
	EMIT(REG_DPU_RDMA_RDMA_EW_BASE_ADDR, 0);
	EMIT(REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, 0);
	EMIT(REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, feature_mode_cfg);
	EMIT(REG_DPU_RDMA_RDMA_SRC_DMA_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_SURF_NOTCH, 0);
	EMIT(REG_DPU_RDMA_RDMA_PAD_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_WEIGHT, DPU_RDMA_RDMA_WEIGHT_E_WEIGHT(RDMA_ARB_WEIGHT) |
				       DPU_RDMA_RDMA_WEIGHT_N_WEIGHT(RDMA_ARB_WEIGHT) |
				       DPU_RDMA_RDMA_WEIGHT_B_WEIGHT(RDMA_ARB_WEIGHT) |
				       DPU_RDMA_RDMA_WEIGHT_M_WEIGHT(RDMA_ARB_WEIGHT));
	EMIT(REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, 0);
}

static int build_task(struct npu_program *prog, const struct npu_conv2d_params *p,
		      const struct conv_geom *g, const struct npu_conv_task *t,
		      bool chained)
{
	struct task_relocs r = { .n = 0 };
	struct npu_regcmd task, *rc = &task;
	uint32_t first;
	int ret;

	npu_regcmd_init(rc);
	emit_cna(rc, prog->soc, p, g, t, &r);
	emit_core(rc, p, g, t);
	emit_dpu(rc, p, g, t, &r);
	if (!p->raw_int32)
		emit_dpu_rdma(rc, p, g, t, &r);
	npu_regcmd_emit_tail(rc, chained, prog->op_en);

	ret = rc->error;
	if (!ret)
		ret = npu_program_add_task(prog, rc->words, rc->count);
	if (!ret) {
		first = prog->tasks[prog->n_tasks - 1].first;
		for (unsigned int i = 0; i < r.n && !ret; i++)
			ret = npu_program_add_reloc(prog, first + r.entry[i], r.slot[i],
						    r.offset[i]);
	}
	npu_regcmd_fini(rc);
	return ret;
}

int npu_conv2d_build(const struct npu_soc *soc, const struct npu_conv2d_params *p,
		     struct npu_program *prog)
{
	struct npu_conv_plan *plan;
	struct npu_feature_layout out;
	struct conv_geom g;
	int ret;

	if (npu_conv2d_check(p, NULL))
		return -EINVAL;
	plan = malloc(sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	ret = npu_conv2d_plan(soc, p, plan);
	if (ret)
		goto out;

	conv_geom_init(soc, p, &g);
	npu_conv2d_output_layout(soc, p, &out);
	prog->soc = soc;
	prog->one_job = plan->weights_resident;
	/* vendor librknnrt matmul dump: the vendor int32 stream has no bias RDMA, op_en 0xd */
	prog->op_en = p->raw_int32 ? NPU_OP_EN_CONV_NO_RDMA : soc->conv_op_en;
	prog->slot_size[NPU_SLOT_INPUT] = npu_conv2d_input_size(soc, p);
	prog->slot_size[NPU_SLOT_WEIGHTS] = npu_weights_size(soc, p);
	prog->slot_size[NPU_SLOT_BIAS] = p->raw_int32 ? 0 : npu_bias_size(p);
	prog->slot_size[NPU_SLOT_OUTPUT] = out.size;

	for (unsigned int i = 0; i < plan->n_tasks && !ret; i++)
		ret = build_task(prog, p, &g, &plan->tasks[i], plan->n_tasks > 1);
out:
	free(plan);
	return ret;
}
