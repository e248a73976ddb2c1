/* SPDX-License-Identifier: MIT */
/*
 * npu_ew.h — a DPU-only element-wise program: out = sat_int8(a + b).
 *
 * Contract: npu_ew_add_build() fills a struct npu_program (npu_program.h)
 * with one task using only DPU and DPU_RDMA (op_en 0x18, Mesa registers.xml PC, RK3588 TRM ch. 36): MRDMA reads a (slot INPUT) in flying mode, ERDMA reads b (slot EW)
 * per pixel, the EW ALU adds, every other stage is bypassed, WDMA writes
 * int8 to slot OUTPUT.  a, b and out share one NC1HWC2 int8 layout
 * (npu_ew_layout()).  Expected result: npu_ref_ew_add_s8().
 *
 * UNCONFIRMED as a whole: the facts give op_en 0x18 for a DPU-only program
 * and the meaning of each register, but no dump of such a stream; the
 * register choices are composed from Mesa registers.xml DPU/Mesa registers.xml DPU_RDMA and Mesa's
 * fused add (Mesa rkt_regcmd.c conv2d task #81, #118, #121).
 */
#ifndef RKVAL_NPU_EW_H
#define RKVAL_NPU_EW_H

#include "npu/npu_layout.h"
#include "npu/npu_program.h"
#include "npu/npu_soc.h"

struct npu_ew_params {
	unsigned int w, h, c;
};

void npu_ew_layout(const struct npu_soc *soc, const struct npu_ew_params *p,
		   struct npu_feature_layout *l);
int npu_ew_add_build(const struct npu_soc *soc, const struct npu_ew_params *p,
		     struct npu_program *prog);

#endif /* RKVAL_NPU_EW_H */
