// SPDX-License-Identifier: MIT
/*
 * rocket_soc.c — which SoC and board the suite runs on, from the device
 * tree's root compatible, and where that SoC's NPU cores live.
 *
 * /proc/device-tree/compatible is a list of NUL-separated strings, most
 * specific first: the board ("radxa,rock-3b"), then the SoC
 * ("rockchip,rk3568").  The parser is pure so unit tests can feed it
 * buffers; rocket_identify_soc() reads the file through the seam.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "rocket/rocket.h"

/* Per-SoC NPU facts: node addresses of the npu@ nodes. */
struct rocket_soc_desc {
	const char *compatible;
	enum rocket_soc soc;
	unsigned int num_cores;
	uint64_t core_base[ROCKET_MAX_CORES];
};

static const struct rocket_soc_desc rocket_socs[] = {
	/* RFC v4 7/9: rknn_core_0: npu@fde40000, one core (§4.2). */
	{ "rockchip,rk3568", ROCKET_SOC_RK3568, 1, { 0xfde40000 } },
	/* RK3566 carries the same NPU block at the same address (§4.2). */
	{ "rockchip,rk3566", ROCKET_SOC_RK3568, 1, { 0xfde40000 } },
	/* rk3588-base.dtsi: npu@fdab0000, fdac0000, fdad0000 (§4.1). */
	{ "rockchip,rk3588", ROCKET_SOC_RK3588, 3,
	  { 0xfdab0000, 0xfdac0000, 0xfdad0000 } },
	{ "rockchip,rk3588s", ROCKET_SOC_RK3588, 3,
	  { 0xfdab0000, 0xfdac0000, 0xfdad0000 } },
};

const char *rocket_soc_name(enum rocket_soc soc)
{
	switch (soc) {
	case ROCKET_SOC_RK3568:
		return "rk3568";
	case ROCKET_SOC_RK3588:
		return "rk3588";
	default:
		return "unknown";
	}
}

static const struct rocket_soc_desc *rocket_soc_lookup(const char *compat)
{
	for (size_t i = 0; i < sizeof(rocket_socs) / sizeof(rocket_socs[0]); i++)
		if (!strcmp(compat, rocket_socs[i].compatible))
			return &rocket_socs[i];
	return NULL;
}

int rocket_parse_compatible(const char *buf, size_t len,
			    struct rocket_soc_info *info)
{
	const struct rocket_soc_desc *desc = NULL;
	const char *p = buf, *end = buf + len;

	memset(info, 0, sizeof(*info));
	if (!buf || !len || !buf[0])
		return -EINVAL;

	snprintf(info->board_compatible, sizeof(info->board_compatible),
		 "%.*s", (int)strnlen(p, len), p);
	/* Strings may lack the final NUL if the reader truncated them. */
	while (p < end && !desc) {
		size_t n = strnlen(p, end - p);
		char s[64];

		if (n && n < sizeof(s)) {
			memcpy(s, p, n);
			s[n] = '\0';
			desc = rocket_soc_lookup(s);
		}
		p += n + 1;
	}
	if (!desc)
		return -ENOENT;

	info->soc = desc->soc;
	snprintf(info->soc_compatible, sizeof(info->soc_compatible), "%s",
		 desc->compatible);
	info->num_cores = desc->num_cores;
	memcpy(info->core_base, desc->core_base, sizeof(info->core_base));
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
