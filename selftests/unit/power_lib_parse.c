// SPDX-License-Identifier: MIT
/*
 * power_lib_parse — the pure parsers of lib/board/power.c on captured
 * text: pm_genpd_summary (RK3568 single domain, RK3588 per-core domains),
 * clk_summary with consumer columns (fixed lookup and the mainline
 * clk_bulk .id bug, rocket_core.c clock lookup), runtime_status words,
 * /proc/modules, and the clock problem sentences the clock verdict uses.
 * The texts are written for this test in the kernel's layouts; they are
 * not captures of a particular board.
 */
#include <errno.h>
#include <string.h>

#include <stdio.h>

#include "board/kmsg_watch.h"
#include "board/power.h"
#include "hw/soc.h"
#include "unit.h"

static const char genpd_rk3568_off[] =
	"domain                          status          children        performance\n"
	"    /device                             runtime status                  managed by\n"
	"------------------------------------------------------------------------------\n"
	"gpu                             on                              0\n"
	"    /devices/platform/fde60000.gpu      active                  0           SW\n"
	"npu                             off-0                           0\n"
	"    /devices/platform/fde40000.npu      suspended               0           SW\n"
	"    /devices/platform/fde4b000.iommu    suspended               0           SW\n"
	"vo                              on                              0\n";

static const char genpd_rk3588[] =
	"domain                          status          children        performance\n"
	"    /device                             runtime status                  managed by\n"
	"------------------------------------------------------------------------------\n"
	"npu                             on              nputop, npu1, npu2\n"
	"                                                                0\n"
	"nputop                          on                              0\n"
	"    /devices/platform/fdab0000.npu      active                  0           SW\n"
	"npu1                            off-0                           0\n"
	"    /devices/platform/fdac0000.npu      suspended               0           SW\n";

static void test_genpd(void)
{
	struct power_genpd pd;

	UNIT_EQ(0, power_genpd_parse(genpd_rk3568_off, "npu", "fde40000.npu", &pd),
		"genpd: rk3568 npu domain found");
	UNIT_CHECK(!pd.on && !strcmp(pd.status, "off-0"),
		   "genpd: npu domain off-0 (status %s)", pd.status);
	UNIT_CHECK(pd.dev_listed && !strcmp(pd.dev_rpm, "suspended"),
		   "genpd: npu core listed suspended (%s)", pd.dev_rpm);
	UNIT_EQ(0, power_genpd_parse(genpd_rk3568_off, NULL, "fde40000.npu", &pd),
		"genpd: domain of fde40000.npu found without its name");
	UNIT_CHECK(!strcmp(pd.name, "npu"), "genpd: domain of core is npu (%s)", pd.name);
	UNIT_EQ(0, power_genpd_parse(genpd_rk3568_off, "gpu", "fde40000.npu", &pd),
		"genpd: gpu domain found");
	UNIT_CHECK(pd.on && !pd.dev_listed,
		   "genpd: the npu core is not listed under gpu");
	UNIT_EQ(-ENOENT, power_genpd_parse(genpd_rk3568_off, "rga", NULL, &pd),
		"genpd: missing domain is ENOENT");
	UNIT_EQ(-ENOENT, power_genpd_parse(genpd_rk3568_off, NULL, "fdab0000.npu", &pd),
		"genpd: unlisted device is ENOENT");

	UNIT_EQ(0, power_genpd_parse(genpd_rk3588, NULL, "fdac0000.npu", &pd),
		"genpd: rk3588 core 1 found");
	UNIT_CHECK(!strcmp(pd.name, "npu1") && !pd.on,
		   "genpd: rk3588 core 1 in npu1, off (%s %s)", pd.name, pd.status);
	UNIT_EQ(0, power_genpd_parse(genpd_rk3588, NULL, "fdab0000.npu", &pd),
		"genpd: rk3588 core 0 found");
	UNIT_CHECK(!strcmp(pd.name, "nputop") && pd.on &&
		   !strcmp(pd.dev_rpm, "active"),
		   "genpd: rk3588 core 0 in nputop, on, active");
	UNIT_EQ(0, power_genpd_parse(genpd_rk3588, "npu", NULL, &pd),
		"genpd: rk3588 parent npu found past its children line");
	UNIT_CHECK(pd.on, "genpd: rk3588 parent npu on");
}

#define CLK_HEADER \
	"                                 enable  prepare  protect                                duty  hardware                            connection\n" \
	"   clock                          count    count    count        rate   accuracy phase  cycle    enable   consumer                         id\n" \
	"---------------------------------------------------------------------------------------------------------------------------------------------\n"

/* Fixed lookup: each clock carries its own named consumer. */
static const char clk_fixed[] = CLK_HEADER
	" xin24m                         12      12       0        24000000    0          0     50000      Y   deviceless                      no_connection_id\n"
	"    aclk_npu                    2       2        0        600000000   0          0     50000      Y   fde40000.npu                    aclk\n"
	"                                                                                                      fde4b000.iommu                  aclk\n"
	"    hclk_npu                    2       2        0        150000000   0          0     50000      Y   fde4b000.iommu                  iface\n"
	"                                                                                                      fde40000.npu                    hclk\n"
	"    pclk_npu_pre                1       1        0        100000000   0          -----  50000      ?   fde40000.npu                    pclk\n"
	" scmi_clk_npu                   1       1        0        200000000   0          0     50000      N   fde40000.npu                    npu\n";

/* Mainline: four unnamed handles on aclk's clock (rocket_core.c clock lookup). */
static const char clk_bug[] = CLK_HEADER
	"    aclk_npu                    1       1        0        600000000   0          0     50000      Y   fde40000.npu                    no_connection_id\n"
	"                                                                                                      fde40000.npu                    no_connection_id\n"
	"                                                                                                      fde40000.npu                    no_connection_id\n"
	"                                                                                                      fde40000.npu                    no_connection_id\n"
	"    hclk_npu                    1       1        0        150000000   0          0     50000      Y   fde4b000.iommu                  iface\n"
	" scmi_clk_npu                   0       0        0        200000000   0          0     50000      N   deviceless                      no_connection_id\n";

static void test_clk(void)
{
	struct power_clk c[POWER_NPU_NR_CLKS];
	char why[128];

	UNIT_EQ(4, power_clk_parse(clk_fixed, "fde40000.npu", hw_npu_clock_names,
				   POWER_NPU_NR_CLKS, c),
		"clk: fixed lookup finds all four clocks");
	UNIT_CHECK(!strcmp(c[0].clk, "aclk_npu") && c[0].enable_count == 2 &&
		   c[0].rate_hz == 600000000ull && c[0].hw_enabled == 'Y',
		   "clk: aclk row (%s %u %llu %c)", c[0].clk, c[0].enable_count,
		   (unsigned long long)c[0].rate_hz, c[0].hw_enabled);
	UNIT_CHECK(!strcmp(c[1].clk, "hclk_npu"),
		   "clk: hclk found as the second consumer of its clock (%s)", c[1].clk);
	UNIT_CHECK(!strcmp(c[3].clk, "pclk_npu_pre") && c[3].hw_enabled == '?',
		   "clk: a '-----' phase column still parses (%s)", c[3].clk);
	UNIT_CHECK(power_clk_problem(&c[0], why, sizeof(why)) == NULL,
		   "clk: aclk has no problem");
	UNIT_CHECK(power_clk_problem(&c[2], why, sizeof(why)) &&
		   strstr(why, "hardware gated"),
		   "clk: npu enabled but gated is a problem (%s)", why);
	UNIT_EQ(0, power_clk_unnamed_handles(clk_fixed, "fde40000.npu"),
		"clk: fixed lookup has no unnamed handles");

	UNIT_EQ(1, power_clk_parse(clk_bug, "fde40000.npu", hw_npu_clock_names,
				   POWER_NPU_NR_CLKS, c),
		"clk: mainline bug: only aclk found, through its clock's name");
	UNIT_CHECK(c[0].found && c[0].by_clock_name && c[0].dev_handles == 4 &&
		   !strcmp(c[0].clk, "aclk_npu") && c[0].enable_count == 1,
		   "clk: mainline bug: aclk_npu holds the four unnamed handles (%u)",
		   c[0].dev_handles);
	UNIT_CHECK(!c[1].found && !c[2].found && !c[3].found,
		   "clk: mainline bug: hclk, npu, pclk not requested");
	UNIT_CHECK(!c[0].by_clock_name || power_clk_problem(&c[0], why, sizeof(why)) == NULL,
		   "clk: mainline bug: aclk itself is fine");
	UNIT_EQ(4, power_clk_unnamed_handles(clk_bug, "fde40000.npu"),
		"clk: mainline bug: four unnamed handles");
	UNIT_CHECK(power_clk_problem(&c[1], why, sizeof(why)) &&
		   !strcmp(why, "hclk not requested"),
		   "clk: problem sentence (%s)", why);

	c[0].found = true;
	c[0].enable_count = 1;
	c[0].hw_enabled = 'Y';
	c[0].rate_hz = 0;
	UNIT_CHECK(power_clk_problem(&c[0], why, sizeof(why)) &&
		   strstr(why, "0 Hz"), "clk: rate 0 is a problem (%s)", why);
	UNIT_CHECK(power_clk_rate_plausible(200000000ull) &&
		   !power_clk_rate_plausible(32768ull) &&
		   !power_clk_rate_plausible(4000000000ull),
		   "clk: plausible rate bounds");
}

static void test_misc(void)
{
	char name[32];
	static const char modules[] =
		"rockchip_rga 65536 0 - Live 0x0000000000000000\n"
		"rocket 40960 0 - Live 0x0000000000000000\n";

	UNIT_EQ(POWER_RPM_SUSPENDED, power_rpm_status_parse("suspended\n"),
		"rpm: suspended");
	UNIT_EQ(POWER_RPM_ACTIVE, power_rpm_status_parse("active"), "rpm: active");
	UNIT_EQ(POWER_RPM_UNKNOWN, power_rpm_status_parse("activ"), "rpm: prefix is unknown");
	UNIT_EQ(POWER_RPM_UNSUPPORTED, power_rpm_status_parse("unsupported\n"),
		"rpm: unsupported");
	UNIT_EQ(0, power_core_name(0xfde40000ull, name, sizeof(name)), "core name fits");
	UNIT_CHECK(!strcmp(name, "fde40000.npu"), "core name is fde40000.npu (%s)", name);
	UNIT_CHECK(power_proc_modules_has(modules, "rocket"), "modules: rocket listed");
	UNIT_CHECK(!power_proc_modules_has(modules, "rock"), "modules: no prefix match");
	UNIT_CHECK(!power_proc_modules_has(modules, "rga"), "modules: no suffix match");
}

static void test_settings(void)
{
	struct power_settings a = { "auto", 50, true }, b = a;
	char buf[96];

	UNIT_CHECK(power_settings_equal(&a, &b), "settings: equal");
	b.bound = false;
	UNIT_CHECK(!power_settings_equal(&a, &b), "settings: binding differs");
	power_settings_format(&a, buf, sizeof(buf));
	UNIT_CHECK(!strcmp(buf, "control=auto autosuspend_delay_ms=50 bound=1"),
		   "settings: format (%s)", buf);
}

/*
 * The pm-domains failure lines for one domain name.  POWER_KMSG_NPU_DOMAIN
 * spells the NPU domains as a regex literal; every name the SoC table
 * gives (test_kmsg_lines()) must match it, so a new row cannot leave the
 * patterns behind.
 */
static void check_domain_lines(const char *domain)
{
	char line[128];

	snprintf(line, sizeof(line), "rockchip-pm-domain fd8d8000.power-management:power-controller: failed to set idle on domain '%s', val=0", domain);
	UNIT_CHECK(kmsg_text_matches(line, POWER_KMSG_IDLE_FAIL), "idle failure on '%s'", domain);
	snprintf(line, sizeof(line), "failed to get ack on domain '%s', val=0x1f6", domain);
	UNIT_CHECK(kmsg_text_matches(line, POWER_KMSG_ACK_FAIL), "ack failure on '%s'", domain);
	snprintf(line, sizeof(line), "failed to set domain '%s', val=1", domain);
	UNIT_CHECK(kmsg_text_matches(line, POWER_KMSG_SET_FAIL), "set failure on '%s'", domain);
	snprintf(line, sizeof(line), "failed to set domain '%s' off, val=1", domain);
	UNIT_CHECK(kmsg_text_matches(line, POWER_KMSG_SET_FAIL), "set failure (on/off form) on '%s'", domain);
	UNIT_CHECK(kmsg_text_matches(line, POWER_KMSG_JUDGED), "judged by npu_power_domain: '%s'", domain);
}

/* Every NPU and per-core domain of every SoC row (lib/hw/soc.c). */
static void test_kmsg_lines(void)
{
	unsigned int names = 0;

	for (int soc = HW_SOC_UNKNOWN + 1; soc < HW_SOC_COUNT; soc++) {
		const struct hw_soc_facts *f = hw_soc_facts((enum hw_soc)soc);

		UNIT_CHECK(f != NULL, "SoC %d has a row", soc);
		if (!f)
			continue;
		check_domain_lines(f->npu_power_domain);
		names++;
		for (unsigned int c = 0; c < f->num_cores; c++) {
			check_domain_lines(f->core_power_domain[c]);
			names++;
		}
	}
	UNIT_CHECK(names >= 4, "domain names checked: %u", names);
	UNIT_CHECK(!kmsg_text_matches("failed to set domain 'gpu', val=1", POWER_KMSG_SET_FAIL),
		   "another SoC domain is not the NPU's");
}

int main(void)
{
	test_kmsg_lines();
	test_genpd();
	test_clk();
	test_misc();
	test_settings();
	return unit_done();
}
