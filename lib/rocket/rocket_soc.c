// SPDX-License-Identifier: MIT
/*
 * rocket_soc.c — which SoC and board the suite runs on, from the device
 * tree's root compatible, and where that SoC's NPU cores live.
 *
 * /proc/device-tree/compatible is a list of NUL-separated strings, most
 * specific first: the board ("radxa,rock-3b"), then the SoC
 * ("rockchip,rk3568").  The parser is pure so unit tests can feed it
 * buffers; rocket_identify_soc() reads the file through the seam.  Which
 * compatible names which SoC, and where its cores live, is the SoC's row
 * in lib/hw/soc.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "rocket/rocket.h"

int rocket_parse_compatible(const char *buf, size_t len,
			    struct rocket_soc_info *info)
{
	enum hw_soc soc = HW_SOC_UNKNOWN;
	const char *p = buf, *end = buf + len;

	memset(info, 0, sizeof(*info));
	if (!buf || !len || !buf[0])
		return -EINVAL;

	snprintf(info->board_compatible, sizeof(info->board_compatible),
		 "%.*s", (int)strnlen(p, len), p);
	/* Strings may lack the final NUL if the reader truncated them. */
	while (p < end && soc == HW_SOC_UNKNOWN) {
		size_t n = strnlen(p, end - p);
		char s[64];

		if (n && n < sizeof(s)) {
			memcpy(s, p, n);
			s[n] = '\0';
			soc = hw_soc_by_compatible(s);
		}
		if (soc != HW_SOC_UNKNOWN)
			snprintf(info->soc_compatible, sizeof(info->soc_compatible),
				 "%.*s", (int)n, p);
		p += n + 1;
	}
	if (soc == HW_SOC_UNKNOWN)
		return -ENOENT;

	info->soc = soc;
	info->facts = hw_soc_facts(soc);
	info->num_cores = info->facts->num_cores;
	memcpy(info->core_base, info->facts->core_base, sizeof(info->core_base));
	return 0;
}

int rocket_identify_soc(struct rocket_soc_info *info)
{
	char buf[512];
	ssize_t n;

	memset(info, 0, sizeof(*info));
	n = plat_read_file(PLAT_DT_COMPATIBLE, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return rocket_parse_compatible(buf, (size_t)n, info);
}
