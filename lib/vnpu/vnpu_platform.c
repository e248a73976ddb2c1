// SPDX-License-Identifier: MIT
/*
 * vnpu_platform.c — PLACEHOLDER until the vnpu core lands (issue 3): the
 * vnpu backend refuses to start, so nothing can mistake it for a device.
 */
#include <errno.h>
#include <stdio.h>

#include "platform/plat_backend.h"

static int vnpu_init_placeholder(const struct plat_selection *sel, char *err,
				 size_t errlen)
{
	snprintf(err, errlen, "vnpu:%s is not built yet", sel->soc);
	return -ENODEV;
}

const struct plat_ops plat_vnpu_ops = {
	.name = "vnpu",
	.init = vnpu_init_placeholder,
};
