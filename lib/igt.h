/* SPDX-License-Identifier: MIT */
/* igt.h — what a test binary includes (like IGT's igt.h). */
#ifndef RKVAL_IGT_H
#define RKVAL_IGT_H

#include "harness/igt_core.h"
#include "harness/verdict.h"
#include "platform/platform.h"

#endif /* RKVAL_IGT_H */
