/* SPDX-License-Identifier: MIT */
/*
 * vnpu_pipeline.h — what the vnpu core needs from lib/vnpu/pipeline/: the
 * full PC -> CNA -> CORE -> DPU executor and the call that makes it the
 * default.
 *
 * Contract: the core calls vnpu_pipeline_install() once while booting the
 * model (before the core workers start).  The call is a real reference on
 * purpose: a constructor-only object in librkval.a would never be linked.
 * Self-tests may switch executors later with vnpu_set_executor().
 */
#ifndef RKVAL_VNPU_PIPELINE_PUBLIC_H
#define RKVAL_VNPU_PIPELINE_PUBLIC_H

#include "vnpu/vnpu_hw.h"

extern const struct vnpu_executor vnpu_exec_pipeline;
void vnpu_pipeline_install(void);

#endif /* RKVAL_VNPU_PIPELINE_PUBLIC_H */
