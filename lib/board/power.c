// SPDX-License-Identifier: MIT
/*
 * power.c — runtime PM, genpd, clocks, regulator, binding, module and
 * system sleep through the platform seam (see power.h for the contract).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/igt_core.h"
#include "board/kmsg_watch.h"
#include "platform/mono_time.h"
#include "platform/platform.h"
#include "board/power.h"

const char *const power_npu_supply_names[] = {
	"vdd_npu", "vdd_npu_s0", NULL,
};

#define POWER_PATH_MAX	256
#define POWER_TEXT_MAX	64
/* clk_summary and pm_genpd_summary of a whole SoC: a few hundred lines. */
#define POWER_SUMMARY_MAX	(256 * 1024)

int power_core_name(uint64_t base, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%" PRIx64 ".npu", base);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Read a small attribute, strip the trailing newline. */
static int read_attr(const char *path, char *buf, size_t size)
{
	ssize_t n = plat_read_file(path, buf, size);

	if (n < 0)
		return (int)n;
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

static int dev_attr_path(char *path, const char *dev, const char *attr)
{
	int n = snprintf(path, POWER_PATH_MAX, POWER_PLATFORM_DEVICES "/%s/%s",
			 dev, attr);

	return n >= POWER_PATH_MAX ? -ENAMETOOLONG : 0;
}

static int read_dev_attr(const char *dev, const char *attr, char *buf,
			 size_t size)
{
	char path[POWER_PATH_MAX];
	int ret = dev_attr_path(path, dev, attr);

	return ret ? ret : read_attr(path, buf, size);
}

static int write_dev_attr(const char *dev, const char *attr, const char *text)
{
	char path[POWER_PATH_MAX];
	int ret = dev_attr_path(path, dev, attr);

	return ret ? ret : plat_write_file(path, text);
}

static int parse_u64(const char *text, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(text, &end, 10);
	return errno || end == text ? -EINVAL : 0;
}

/* ---- runtime PM ---- */

static const char *const rpm_names[] = {
	[POWER_RPM_UNKNOWN] = "unknown",
	[POWER_RPM_ACTIVE] = "active",
	[POWER_RPM_RESUMING] = "resuming",
	[POWER_RPM_SUSPENDED] = "suspended",
	[POWER_RPM_SUSPENDING] = "suspending",
	[POWER_RPM_UNSUPPORTED] = "unsupported",
	[POWER_RPM_ERROR] = "error",
};

enum power_rpm_status power_rpm_status_parse(const char *text)
{
	size_t len = strcspn(text, " \t\n");

	for (unsigned int i = 1; i < sizeof(rpm_names) / sizeof(rpm_names[0]); i++)
		if (strlen(rpm_names[i]) == len && !strncmp(text, rpm_names[i], len))
			return i;
	return POWER_RPM_UNKNOWN;
}

const char *power_rpm_status_name(enum power_rpm_status s)
{
	if ((unsigned int)s >= sizeof(rpm_names) / sizeof(rpm_names[0]))
		return "unknown";
	return rpm_names[s];
}

enum power_rpm_status power_rpm_status(const char *dev)
{
	char buf[POWER_TEXT_MAX];

	if (read_dev_attr(dev, "power/runtime_status", buf, sizeof(buf)))
		return POWER_RPM_UNKNOWN;
	return power_rpm_status_parse(buf);
}

int power_rpm_read(const char *dev, struct power_rpm *rpm)
{
	char buf[POWER_TEXT_MAX];
	int ret;

	memset(rpm, 0, sizeof(*rpm));
	ret = read_dev_attr(dev, "power/runtime_status", buf, sizeof(buf));
	if (ret)
		return ret;
	rpm->status = power_rpm_status_parse(buf);
	ret = read_dev_attr(dev, "power/runtime_active_time", buf, sizeof(buf));
	if (!ret)
		ret = parse_u64(buf, &rpm->active_ms);
	if (ret)
		return ret;
	ret = read_dev_attr(dev, "power/runtime_suspended_time", buf, sizeof(buf));
	if (!ret)
		ret = parse_u64(buf, &rpm->suspended_ms);
	if (ret)
		return ret;
	ret = read_dev_attr(dev, "power/control", rpm->control,
			    sizeof(rpm->control));
	if (ret)
		return ret;
	ret = read_dev_attr(dev, "power/autosuspend_delay_ms", buf, sizeof(buf));
	if (ret)
		return ret;
	rpm->autosuspend_ms = atoi(buf);
	return 0;
}

int power_rpm_wait(const char *dev, enum power_rpm_status want, int timeout_ms,
		   enum power_rpm_status *seen)
{
	int64_t deadline = mono_time_ms() + timeout_ms;
	enum power_rpm_status s;

	for (;;) {
		s = power_rpm_status(dev);
		if (seen)
			*seen = s;
		if (s == want)
			return 0;
		if (mono_time_ms() >= deadline)
			return -ETIMEDOUT;
		mono_sleep_ms(POWER_POLL_MS);
	}
}

int power_rpm_set_control(const char *dev, const char *control)
{
	return write_dev_attr(dev, "power/control", control);
}

int power_rpm_set_autosuspend(const char *dev, int ms)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", ms);
	return write_dev_attr(dev, "power/autosuspend_delay_ms", buf);
}

/* ---- settings and their restore ---- */

int power_settings_read(const char *dev, struct power_settings *s)
{
	char buf[POWER_TEXT_MAX];
	int ret;

	memset(s, 0, sizeof(*s));
	s->bound = power_driver_bound(dev);
	ret = read_dev_attr(dev, "power/control", s->control, sizeof(s->control));
	if (ret)
		return ret;
	ret = read_dev_attr(dev, "power/autosuspend_delay_ms", buf, sizeof(buf));
	if (ret)
		return ret;
	s->autosuspend_ms = atoi(buf);
	return 0;
}

int power_settings_apply(const char *dev, const struct power_settings *s)
{
	int first = 0, ret;

	/* Binding first: the power/ files of a device survive unbind. */
	if (s->bound != power_driver_bound(dev))
		first = s->bound ? power_driver_bind(dev) : power_driver_unbind(dev);
	ret = power_rpm_set_autosuspend(dev, s->autosuspend_ms);
	first = first ? first : ret;
	ret = power_rpm_set_control(dev, s->control);
	return first ? first : ret;
}

bool power_settings_equal(const struct power_settings *a,
			  const struct power_settings *b)
{
	return !strcmp(a->control, b->control) &&
	       a->autosuspend_ms == b->autosuspend_ms && a->bound == b->bound;
}

int power_settings_format(const struct power_settings *s, char *buf, size_t size)
{
	return snprintf(buf, size, "control=%s autosuspend_delay_ms=%d bound=%d",
			s->control, s->autosuspend_ms, s->bound);
}

static char restore_dev[POWER_MAX_RESTORE][48];
static struct power_settings restore_saved[POWER_MAX_RESTORE];
static unsigned int nr_restore;
static bool restore_handler_installed;

void power_restore_now(void)
{
	for (unsigned int i = 0; i < nr_restore; i++) {
		struct power_settings now;

		if (!power_settings_read(restore_dev[i], &now) &&
		    power_settings_equal(&now, &restore_saved[i]))
			continue;
		power_settings_apply(restore_dev[i], &restore_saved[i]);
	}
}

/*
 * Runs on exit, fatal signal and watchdog: only plat_*() writes of a few
 * bytes, no allocation, no harness output.
 */
static void restore_exit_handler(int sig)
{
	(void)sig;
	power_restore_now();
	power_state_clear();
}

int power_restore_on_exit(const char *dev)
{
	struct power_settings s;
	int ret;

	for (unsigned int i = 0; i < nr_restore; i++)
		if (!strcmp(restore_dev[i], dev))
			return 0;
	if (nr_restore == POWER_MAX_RESTORE)
		return -ENOSPC;
	/* A killed run's leftovers first: they are not this board's settings. */
	if (!nr_restore)
		power_state_recover();
	ret = power_settings_read(dev, &s);
	if (ret)
		return ret;
	snprintf(restore_dev[nr_restore], sizeof(restore_dev[0]), "%s", dev);
	restore_saved[nr_restore] = s;
	nr_restore++;
	if (!restore_handler_installed) {
		igt_install_exit_handler(restore_exit_handler);
		restore_handler_installed = true;
	}
	/* On disk before the caller changes anything (power_state.c). */
	ret = power_state_record((const char (*)[48])restore_dev, restore_saved, nr_restore);
	if (ret && ret != -EBUSY)
		igt_warn("power settings not kept on disk (%s): a SIGKILL now would leave them changed\n",
			 strerror(-ret));
	return 0;
}

/* ---- line helpers for the debugfs summaries ---- */

/* Split line (modified in place) into at most max whitespace tokens. */
static unsigned int split_tokens(char *line, char **tok, unsigned int max)
{
	unsigned int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t", &save); t && n < max;
	     t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	return n;
}

static bool is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Next line of text into buf; returns the rest of text or NULL at the end. */
static const char *next_line(const char *text, char *buf, size_t size)
{
	size_t len;

	if (!text || !*text)
		return NULL;
	len = strcspn(text, "\n");
	snprintf(buf, size, "%.*s", (int)len, text);
	return text[len] ? text + len + 1 : text + len;
}

static char *read_summary(const char *path, ssize_t *len)
{
	char *buf = malloc(POWER_SUMMARY_MAX);

	if (!buf) {
		*len = -ENOMEM;
		return NULL;
	}
	*len = plat_read_file(path, buf, POWER_SUMMARY_MAX);
	if (*len < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- genpd ---- */

/* Does the device path end in "/dev" (or equal dev)? */
static bool path_names_dev(const char *path, const char *dev)
{
	size_t lp = strlen(path), ld = strlen(dev);

	if (lp < ld || strcmp(path + lp - ld, dev))
		return false;
	return lp == ld || path[lp - ld - 1] == '/';
}

/*
 * pm_genpd_summary (drivers/pmdomain/core.c): a header, a dashed rule,
 * then per domain one line "name  status  [children…]  perf" starting in
 * column 0 and, indented, one line per device: "/devices/…/fde40000.npu
 * runtime-status [perf] [SW|HW]".  Children may continue on indented lines
 * without a leading '/'.
 */
int power_genpd_parse(const char *text, const char *domain, const char *dev,
		      struct power_genpd *pd)
{
	struct power_genpd cur;
	char line[512];
	bool done = false;

	memset(pd, 0, sizeof(*pd));
	memset(&cur, 0, sizeof(cur));
	while (!done && (text = next_line(text, line, sizeof(line)))) {
		char *tok[8];
		unsigned int n;
		bool indented = line[0] == ' ' || line[0] == '\t';

		n = split_tokens(line, tok, 8);
		if (!n || tok[0][0] == '-' || !strcmp(tok[0], "domain"))
			continue;
		if (!indented) {
			/* A new domain line closes the previous domain. */
			if (pd->found && domain)
				break;
			memset(&cur, 0, sizeof(cur));
			if (n < 2)
				continue;
			cur.found = true;
			snprintf(cur.name, sizeof(cur.name), "%s", tok[0]);
			snprintf(cur.status, sizeof(cur.status), "%s", tok[1]);
			cur.on = !strncmp(tok[1], "on", 2);
			if (domain && !strcmp(tok[0], domain))
				*pd = cur;
			continue;
		}
		if (!cur.found || !dev || tok[0][0] != '/' ||
		    !path_names_dev(tok[0], dev))
			continue;
		if (domain && strcmp(cur.name, domain))
			continue;
		if (!domain)
			*pd = cur;
		pd->dev_listed = true;
		if (n >= 2)
			snprintf(pd->dev_rpm, sizeof(pd->dev_rpm), "%s", tok[1]);
		done = !domain;
	}
	return pd->found ? 0 : -ENOENT;
}

int power_genpd_read(const char *domain, const char *dev, struct power_genpd *pd)
{
	ssize_t len;
	char *text = read_summary(POWER_GENPD_SUMMARY, &len);
	int ret;

	memset(pd, 0, sizeof(*pd));
	if (!text)
		return (int)len;
	ret = power_genpd_parse(text, domain, dev, pd);
	free(text);
	return ret;
}

/* ---- clocks ---- */

/*
 * One clock row of clk_summary: "name enable prepare protect rate accuracy
 * phase duty [hw-enable [dev con]]"; phase may print as "-----".  Extra
 * consumers of the same clock follow on their own indented lines of
 * exactly two tokens "dev con".
 */
struct clk_row {
	char name[48];
	unsigned int enable, prepare;
	uint64_t rate;
	char hw;
};

static bool parse_clk_row(char **tok, unsigned int n, struct clk_row *row,
			  unsigned int *consumer_at)
{
	if (n < 6 || !is_number(tok[1]) || !is_number(tok[2]) ||
	    !is_number(tok[3]) || !is_number(tok[4]))
		return false;
	snprintf(row->name, sizeof(row->name), "%s", tok[0]);
	row->enable = (unsigned int)strtoul(tok[1], NULL, 10);
	row->prepare = (unsigned int)strtoul(tok[2], NULL, 10);
	row->rate = strtoull(tok[4], NULL, 10);
	row->hw = 0;
	*consumer_at = 0;
	if (n >= 9 && strlen(tok[8]) == 1)
		row->hw = tok[8][0];
	if (n >= 11)
		*consumer_at = 9;
	return true;
}

static void clk_consumer(const struct clk_row *row, const char *cdev,
			 const char *con, const char *dev,
			 const char *const *con_ids, unsigned int n,
			 struct power_clk *clks, unsigned int *unnamed)
{
	if (strcmp(cdev, dev))
		return;
	bool anon = !strcmp(con, "no_connection_id") || !strcmp(con, "(null)");

	if (anon)
		(*unnamed)++;
	for (unsigned int i = 0; i < n; i++) {
		size_t l = strlen(con_ids[i]);
		bool by_name = anon && l && !strncmp(row->name, con_ids[i], l) &&
			       row->name[l] == '_';

		if (strcmp(con, con_ids[i]) && !by_name)
			continue;
		/* A handle named by its connection id wins over a guess. */
		if (by_name && clks[i].found && !clks[i].by_clock_name)
			continue;
		clks[i].by_clock_name = by_name;
		clks[i].found = true;
		snprintf(clks[i].clk, sizeof(clks[i].clk), "%s", row->name);
		clks[i].enable_count = row->enable;
		clks[i].prepare_count = row->prepare;
		clks[i].rate_hz = row->rate;
		clks[i].hw_enabled = row->hw;
		clks[i].dev_handles++;
	}
}

static int clk_walk(const char *text, const char *dev,
		    const char *const *con_ids, unsigned int n,
		    struct power_clk *clks, unsigned int *unnamed)
{
	char line[512];
	struct clk_row row = { .name = "" };
	bool have_row = false;
	int found = 0;

	for (unsigned int i = 0; i < n; i++) {
		memset(&clks[i], 0, sizeof(clks[i]));
		snprintf(clks[i].con_id, sizeof(clks[i].con_id), "%s", con_ids[i]);
	}
	*unnamed = 0;
	while ((text = next_line(text, line, sizeof(line)))) {
		char *tok[16];
		unsigned int ntok = split_tokens(line, tok, 16), at;

		if (parse_clk_row(tok, ntok, &row, &at)) {
			have_row = true;
			if (at)
				clk_consumer(&row, tok[at], tok[at + 1], dev,
					     con_ids, n, clks, unnamed);
		} else if (have_row && ntok == 2) {
			clk_consumer(&row, tok[0], tok[1], dev, con_ids, n,
				     clks, unnamed);
		} else {
			have_row = false;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		found += clks[i].found;
	return found;
}

int power_clk_parse(const char *text, const char *dev,
		    const char *const *con_ids, unsigned int n,
		    struct power_clk *clks)
{
	unsigned int unnamed;

	return clk_walk(text, dev, con_ids, n, clks, &unnamed);
}

unsigned int power_clk_unnamed_handles(const char *text, const char *dev)
{
	struct power_clk dummy;
	const char *none = "";
	unsigned int unnamed;

	clk_walk(text, dev, &none, 1, &dummy, &unnamed);
	return unnamed;
}

int power_clk_read(const char *dev, const char *const *con_ids, unsigned int n,
		   struct power_clk *clks)
{
	ssize_t len;
	char *text = read_summary(POWER_CLK_SUMMARY, &len);
	int ret;

	if (!text)
		return (int)len;
	ret = power_clk_parse(text, dev, con_ids, n, clks);
	free(text);
	return ret;
}

bool power_clk_rate_plausible(uint64_t rate_hz)
{
	return rate_hz >= POWER_CLK_RATE_MIN_HZ && rate_hz <= POWER_CLK_RATE_MAX_HZ;
}

const char *power_clk_problem(const struct power_clk *clk, char *buf, size_t size)
{
	if (!clk->found)
		snprintf(buf, size, "%s not requested", clk->con_id);
	else if (!clk->enable_count)
		snprintf(buf, size, "%s (%s) disabled", clk->con_id, clk->clk);
	else if (clk->hw_enabled == 'N')
		snprintf(buf, size, "%s (%s) enabled but hardware gated",
			 clk->con_id, clk->clk);
	else if (!power_clk_rate_plausible(clk->rate_hz))
		snprintf(buf, size, "%s (%s) at %" PRIu64 " Hz", clk->con_id,
			 clk->clk, clk->rate_hz);
	else
		return NULL;
	return buf;
}

char *power_clk_hint(const char *dev, char *buf, size_t size)
{
	struct power_clk clks[POWER_NPU_NR_CLKS];
	char why[96];
	size_t len = 0;

	buf[0] = '\0';
	if (power_clk_read(dev, hw_npu_clock_names, POWER_NPU_NR_CLKS, clks) < 0)
		return buf;
	for (int i = 0; i < POWER_NPU_NR_CLKS && len < size; i++) {
		if (!power_clk_problem(&clks[i], why, sizeof(why)))
			continue;
		len += snprintf(buf + len, size - len, "%s%s",
				len ? ", " : "; NPU clocks: ", why);
	}
	return buf;
}

/* ---- regulators ---- */

struct regulator_search {
	const char *const *names;
	struct power_regulator *reg;
	unsigned int best;		/* index in names of the best match so far */
};

int power_regulator_refresh(struct power_regulator *reg)
{
	char path[POWER_PATH_MAX], buf[POWER_TEXT_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/state", reg->dir);
	ret = read_attr(path, reg->state, sizeof(reg->state));
	if (ret)
		return ret;
	reg->enabled = !strcmp(reg->state, "enabled");
	snprintf(path, sizeof(path), "%s/microvolts", reg->dir);
	reg->microvolts = read_attr(path, buf, sizeof(buf)) ? -1 : atol(buf);
	return 0;
}

static int regulator_visit(const char *entry, void *data)
{
	struct regulator_search *s = data;
	char path[POWER_PATH_MAX], name[48];

	snprintf(path, sizeof(path), POWER_REGULATOR_CLASS "/%s/name", entry);
	if (read_attr(path, name, sizeof(name)))
		return 0;
	for (unsigned int i = 0; i < s->best && s->names[i]; i++) {
		if (strcmp(name, s->names[i]))
			continue;
		snprintf(s->reg->dir, sizeof(s->reg->dir),
			 POWER_REGULATOR_CLASS "/%s", entry);
		snprintf(s->reg->name, sizeof(s->reg->name), "%s", name);
		s->best = i;
		break;
	}
	return 0;
}

int power_regulator_find(const char *const *names, struct power_regulator *reg)
{
	struct regulator_search s = { names, reg, ~0u };
	int ret;

	memset(reg, 0, sizeof(*reg));
	ret = plat_list_dir(POWER_REGULATOR_CLASS, regulator_visit, &s);
	if (ret < 0)
		return ret;
	if (s.best == ~0u)
		return -ENOENT;
	return power_regulator_refresh(reg);
}

/* ---- binding ---- */

bool power_driver_bound(const char *dev)
{
	char path[POWER_PATH_MAX];

	snprintf(path, sizeof(path), POWER_ROCKET_DRIVER "/%s", dev);
	return plat_stat_exists(path) == 0;
}

int power_driver_unbind(const char *dev)
{
	return plat_write_file(POWER_ROCKET_DRIVER "/unbind", dev);
}

int power_driver_bind(const char *dev)
{
	return plat_write_file(POWER_ROCKET_DRIVER "/bind", dev);
}

int power_driver_wait_bound(const char *dev, bool bound, int timeout_ms)
{
	int64_t deadline = mono_time_ms() + timeout_ms;

	while (power_driver_bound(dev) != bound) {
		if (mono_time_ms() >= deadline)
			return -ETIMEDOUT;
		mono_sleep_ms(POWER_POLL_MS);
	}
	return 0;
}

/* ---- module ---- */

bool power_proc_modules_has(const char *text, const char *name)
{
	char line[256];
	size_t len = strlen(name);

	while ((text = next_line(text, line, sizeof(line))))
		if (!strncmp(line, name, len) && line[len] == ' ')
			return true;
	return false;
}

enum power_module_kind power_rocket_module(char *state, size_t size)
{
	char buf[POWER_TEXT_MAX];

	if (!read_attr(POWER_ROCKET_MODULE "/initstate", buf, sizeof(buf))) {
		if (state)
			snprintf(state, size, "%s", buf);
		return POWER_MODULE_LOADABLE;
	}
	if (state && size)
		state[0] = '\0';
	if (plat_stat_exists(POWER_ROCKET_DRIVER) == 0)
		return POWER_MODULE_BUILTIN;
	return POWER_MODULE_ABSENT;
}

/* ---- system sleep ---- */

static bool word_in(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ' ') && (!p[len] || isspace((unsigned char)p[len])))
			return true;
	return false;
}

int power_sleep_supported(char *state, size_t size, char *why, size_t whylen)
{
	char states[POWER_TEXT_MAX];

	if (read_attr(POWER_SYS_POWER_STATE, states, sizeof(states))) {
		snprintf(why, whylen, "%s is not readable: no system sleep",
			 POWER_SYS_POWER_STATE);
		return -EOPNOTSUPP;
	}
	if (plat_stat_exists(POWER_RTC_WAKEALARM)) {
		snprintf(why, whylen, "no RTC wake alarm (%s)", POWER_RTC_WAKEALARM);
		return -EOPNOTSUPP;
	}
	if (word_in(states, "mem"))
		snprintf(state, size, "mem");
	else if (word_in(states, "freeze"))
		snprintf(state, size, "freeze");
	else {
		snprintf(why, whylen, "%s offers neither mem nor freeze: \"%s\"",
			 POWER_SYS_POWER_STATE, states);
		return -EOPNOTSUPP;
	}
	return 0;
}

int power_rtc_sleep(const char *state, unsigned int seconds)
{
	char alarm[16];
	int ret;

	/* The attribute refuses a new alarm while one is armed: clear first. */
	ret = plat_write_file(POWER_RTC_WAKEALARM, "0");
	if (ret)
		return ret;
	snprintf(alarm, sizeof(alarm), "+%u", seconds);
	ret = plat_write_file(POWER_RTC_WAKEALARM, alarm);
	if (ret)
		return ret;
	return plat_write_file(POWER_SYS_POWER_STATE, state);
}

/* ---- SError evidence (power.h) ---- */

/* Largest record or log read at once; a console log's tail beyond is not seen. */
#define POWER_EVIDENCE_MAX	(256 * 1024)

/* Note the subtest a "[IGT] BIN: starting (dynamic) subtest NAME" line starts. */
static void subtest_started(const char *line, struct power_serror_evidence *ev)
{
	const char *bin = strstr(line, POWER_IGT_KMSG_TAG);
	const char *start, *name;
	char prev[sizeof(ev->subtest)];
	int binlen;

	if (!bin)
		return;
	bin += strlen(POWER_IGT_KMSG_TAG);
	start = strstr(bin, POWER_IGT_KMSG_START);
	if (start) {
		name = start + strlen(POWER_IGT_KMSG_START);
		binlen = (int)(start - bin);
		snprintf(ev->subtest, sizeof(ev->subtest), "igt@%.*s@%.100s",
			 binlen > 40 ? 40 : binlen, bin, name);
		return;
	}
	start = strstr(bin, POWER_IGT_KMSG_START_DYN);
	if (start && ev->subtest[0]) {
		snprintf(prev, sizeof(prev), "%s", ev->subtest);
		snprintf(ev->subtest, sizeof(ev->subtest), "%.100s@%.50s", prev,
			 start + strlen(POWER_IGT_KMSG_START_DYN));
	}
}

/*
 * Find the SError line in text; fill ev with line number when lineno, and
 * with the subtest whose start marker came last before it.
 */
static bool serror_in(const char *text, struct power_serror_evidence *ev,
		      const char *source, bool lineno)
{
	unsigned int n = 1;

	ev->subtest[0] = '\0';

	for (const char *l = text; *l; n++) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), l);
		if (kmsg_text_matches(line, POWER_KMSG_SERROR_LINE)) {
			const char *at = strstr(line, "SError");

			snprintf(ev->line, sizeof(ev->line), "%.159s", at ? at : line);
			if (lineno)
				snprintf(ev->source, sizeof(ev->source), "%s:%u", source, n);
			else
				snprintf(ev->source, sizeof(ev->source), "%s", source);
			ev->qos_frame = strstr(text, "rockchip_pmu_save_qos") != NULL;
			return true;
		}
		subtest_started(line, ev);
		if (!end)
			break;
		l = end + 1;
	}
	return false;
}

struct pstore_walk {
	struct power_serror_evidence *ev;
	char *buf;
	bool found;
};

static int pstore_entry(const char *name, void *data)
{
	struct pstore_walk *w = data;
	char path[300];
	ssize_t n;

	/* dmesg-* and console-* records (ramoops, efi-pstore alike). */
	if (strncmp(name, "dmesg-", 6) && strncmp(name, "console-", 8))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", POWER_PSTORE_DIR, name);
	n = plat_read_file(path, w->buf, POWER_EVIDENCE_MAX);
	if (n < 0)
		return 0;
	w->ev->sources++;
	w->found = serror_in(w->buf, w->ev, path, false);
	return w->found;
}

int power_serror_evidence(struct power_serror_evidence *ev)
{
	const char *log = getenv(POWER_CONSOLE_LOG_ENV);
	struct pstore_walk w = { .ev = ev };
	ssize_t n;

	memset(ev, 0, sizeof(*ev));
	w.buf = malloc(POWER_EVIDENCE_MAX);
	if (!w.buf)
		return -ENOMEM;
	plat_list_dir(POWER_PSTORE_DIR, pstore_entry, &w);
	if (!w.found && log && log[0]) {
		n = plat_read_file(log, w.buf, POWER_EVIDENCE_MAX);
		if (n < 0) {
			free(w.buf);
			return (int)n;
		}
		ev->sources++;
		w.found = serror_in(w.buf, ev, log, true);
	}
	free(w.buf);
	return w.found ? 1 : 0;
}
