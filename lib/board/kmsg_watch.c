// SPDX-License-Identifier: MIT
/*
 * kmsg_watch.c — kernel-log capture and judgement on top of the seam
 * (kmsg_watch.h has the contract).
 */
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "board/kmsg_watch.h"
#include "platform/mono_time.h"

/* /dev/kmsg returns EINVAL for a read buffer shorter than the record. */
#define KMSG_READ_BUF		8192
/* How often kmsg_watch_wait_for() re-reads the log. */
#define KMSG_POLL_INTERVAL_MS	2

int kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *rec)
{
	unsigned long long prio, seq, usec;
	const char *semi, *flags, *end = buf + len;
	size_t n;
	int used = 0;

	memset(rec, 0, sizeof(*rec));
	semi = memchr(buf, ';', len);
	if (!semi)
		return -EINVAL;
	if (sscanf(buf, "%llu,%llu,%llu,%n", &prio, &seq, &usec, &used) != 3 ||
	    used == 0 || buf + used > semi)
		return -EINVAL;
	flags = buf + used;
	rec->level = (int)(prio & 7);
	rec->facility = (int)(prio >> 3);
	rec->seq = seq;
	rec->usec = usec;
	rec->cont = flags < semi && *flags == 'c';

	/* Text ends at the first newline; dictionary lines (" KEY=v") follow. */
	semi++;
	n = 0;
	while (semi + n < end && semi[n] != '\n' && semi[n] != '\0')
		n++;
	if (n >= sizeof(rec->text))
		n = sizeof(rec->text) - 1;
	memcpy(rec->text, semi, n);
	rec->text[n] = '\0';
	return 0;
}

bool kmsg_is_warning(const struct kmsg_record *rec)
{
	return rec->level <= KMSG_WARN_LEVEL && !rec->cont;
}

bool kmsg_text_matches(const char *text, const char *re)
{
	regex_t rx;
	bool hit;

	if (!re || !re[0])
		return false;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return false;
	hit = regexec(&rx, text, 0, NULL, 0) == 0;
	regfree(&rx);
	return hit;
}

int kmsg_watch_start(struct kmsg_watch *w)
{
	kmsg_watch_stop(w);
	w->fd = plat_kmsg_open();
	if (w->fd < 0) {
		w->fd = -1;
		return -errno;
	}
	w->open = true;
	return 0;
}

void kmsg_watch_stop(struct kmsg_watch *w)
{
	if (w->open)
		plat_close(w->fd);
	free(w->open ? w->recs : NULL);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

static struct kmsg_record *kmsg_watch_slot(struct kmsg_watch *w)
{
	if (w->count == w->cap) {
		unsigned int cap = w->cap ? w->cap * 2 : 64;
		struct kmsg_record *r = realloc(w->recs, cap * sizeof(*r));

		if (!r)
			return NULL;
		w->recs = r;
		w->cap = cap;
	}
	return &w->recs[w->count];
}

unsigned int kmsg_watch_poll(struct kmsg_watch *w)
{
	char buf[KMSG_READ_BUF];

	if (!w->open)
		return w->count;
	for (;;) {
		struct kmsg_record *slot;
		ssize_t n = plat_read(w->fd, buf, sizeof(buf) - 1);

		if (n < 0 && errno == EPIPE) {
			/* The ring wrapped past us: count it, keep reading. */
			w->lost++;
			continue;
		}
		if (n <= 0)
			break;
		buf[n] = '\0';
		slot = kmsg_watch_slot(w);
		if (!slot)
			break;
		if (kmsg_parse_record(buf, (size_t)n, slot) == 0)
			w->count++;
	}
	return w->count;
}

int kmsg_watch_find(struct kmsg_watch *w, unsigned int from, const char *re)
{
	regex_t rx;
	int found = -1;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return -1;
	for (unsigned int i = from; i < w->count; i++) {
		if (regexec(&rx, w->recs[i].text, 0, NULL, 0) == 0) {
			found = (int)i;
			break;
		}
	}
	regfree(&rx);
	return found;
}

unsigned int kmsg_watch_count(struct kmsg_watch *w, unsigned int from,
			      const char *re)
{
	unsigned int n = 0;
	regex_t rx;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return 0;
	for (unsigned int i = from; i < w->count; i++)
		if (regexec(&rx, w->recs[i].text, 0, NULL, 0) == 0)
			n++;
	regfree(&rx);
	return n;
}

int kmsg_watch_wait_for(struct kmsg_watch *w, unsigned int from,
			const char *re, int timeout_ms)
{
	int64_t deadline = mono_time_ns() + (int64_t)timeout_ms * 1000000;

	for (;;) {
		int i;

		kmsg_watch_poll(w);
		i = kmsg_watch_find(w, from, re);
		if (i >= 0 || mono_time_ns() >= deadline)
			return i;
		mono_sleep_ms(KMSG_POLL_INTERVAL_MS);
	}
}

const struct kmsg_record *kmsg_watch_record(const struct kmsg_watch *w,
					    unsigned int i)
{
	return i < w->count ? &w->recs[i] : NULL;
}

void kmsg_watch_expect(struct kmsg_watch *w, const char *re)
{
	snprintf(w->expected, sizeof(w->expected), "%s", re ? re : "");
	if (w->expected[0])
		igt_emit_ignore_dmesg_regex(w->expected);
}

void kmsg_watch_tolerate(struct kmsg_watch *w, const char *re)
{
	snprintf(w->tolerated, sizeof(w->tolerated), "%s", re ? re : "");
}

int kmsg_watch_first_unexpected(struct kmsg_watch *w, unsigned int from)
{
	for (unsigned int i = from; i < w->count; i++) {
		const struct kmsg_record *r = &w->recs[i];

		if (!kmsg_is_warning(r))
			continue;
		if (kmsg_text_matches(r->text, w->expected) ||
		    kmsg_text_matches(r->text, w->tolerated))
			continue;
		return (int)i;
	}
	return -1;
}

void kmsg_watch_check(struct kmsg_watch *w)
{
	unsigned int tolerated = 0, unexpected = 0;
	int first;

	kmsg_watch_poll(w);
	for (unsigned int i = 0; i < w->count; i++) {
		const struct kmsg_record *r = &w->recs[i];

		if (!kmsg_is_warning(r) || kmsg_text_matches(r->text, w->expected))
			continue;
		if (kmsg_text_matches(r->text, w->tolerated)) {
			if (tolerated++ == 0)
				igt_info("kernel log (judged by another subtest): <%d> %s\n",
					 r->level, r->text);
			continue;
		}
		unexpected++;
	}
	if (tolerated > 1)
		igt_info("kernel log: %u such lines in all\n", tolerated);
	first = kmsg_watch_first_unexpected(w, 0);
	if (first < 0)
		return;
	igt_fail_verdict(VERDICT_DMESG,
			 "%u unexpected kernel-log warning(s) (level <= %d), first: <%d> %s",
			 unexpected, KMSG_WARN_LEVEL, w->recs[first].level,
			 w->recs[first].text);
}
