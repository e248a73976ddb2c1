/* SPDX-License-Identifier: MIT */
/*
 * kmsg_watch — watch the kernel log through the platform seam while a
 * subtest runs, and judge what appeared.
 *
 * Contract:
 *  - kmsg_watch_start() opens the log with plat_kmsg_open(), positioned at
 *    its end, so a watch sees only what the subtest caused.  Every record
 *    read is kept (text, level, sequence, timestamp) in arrival order; an
 *    index into that array is how callers say "after this record".
 *  - kmsg_parse_record() is pure: one /dev/kmsg record
 *    "prio,seq,usec,flags[,...];text" (IGT runner/resultgen.c), no device needed.
 *  - Patterns are POSIX extended regexes matched against the record text
 *    (the part after ';'), the way igt_runner applies its ignore regex.
 *  - A record is a "warning" by igt_runner's rule (IGT runner/resultgen.c): level
 *    <= KMSG_WARN_LEVEL and not a continuation.
 *  - kmsg_watch_expect() declares a subtest's expected kernel-log lines
 *    once: it emits them with igt_emit_ignore_dmesg_regex() (so runners do
 *    not count them) and remembers them for kmsg_watch_check().
 *    kmsg_watch_tolerate() names lines another subtest judges: they are
 *    reported with igt_info() but neither fail this subtest nor are hidden
 *    from the runner.  Any other warning fails the subtest with verdict
 *    "dmesg" naming the first one.
 */
#ifndef RKVAL_KMSG_WATCH_H
#define RKVAL_KMSG_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * igt_runner's default --dmesg-warn-level: KERN_WARNING = 4; records at
 * this level or more severe (lower number) are warnings (IGT runner/resultgen.c).
 */
#define KMSG_WARN_LEVEL		4
/* printk's LOG_LINE_MAX is 1024 minus the prefix; one record fits here. */
#define KMSG_RECORD_MAX		1024
#define KMSG_REGEX_MAX		1024

struct kmsg_record {
	int level;		/* prio & 7 */
	int facility;		/* prio >> 3: 0 kernel, 1 user */
	uint64_t seq;
	uint64_t usec;		/* since boot */
	bool cont;		/* flags 'c': continuation of a previous line */
	char text[KMSG_RECORD_MAX];
};

struct kmsg_watch {
	bool open;
	int fd;
	struct kmsg_record *recs;
	unsigned int count, cap;
	unsigned int lost;	/* records overwritten before we read them */
	char expected[KMSG_REGEX_MAX];
	char tolerated[KMSG_REGEX_MAX];
};

/* Parse one record; 0, or -EINVAL when buf is not in /dev/kmsg form. */
int kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *rec);
/* igt_runner's warning rule (see the contract). */
bool kmsg_is_warning(const struct kmsg_record *rec);
/* Does text match the extended regex re?  An invalid re never matches. */
bool kmsg_text_matches(const char *text, const char *re);

/*
 * Open the log at its end (stopping w first if it is still open, e.g.
 * after a failed subtest); 0 or -errno.  stop() frees everything and is
 * a no-op on a stopped or zeroed watch.
 */
int kmsg_watch_start(struct kmsg_watch *w);
void kmsg_watch_stop(struct kmsg_watch *w);
/* Read every pending record; returns the total number kept. */
unsigned int kmsg_watch_poll(struct kmsg_watch *w);
/* Index of the first record >= from whose text matches re, or -1 (no poll). */
int kmsg_watch_find(struct kmsg_watch *w, unsigned int from, const char *re);
/* Number of records >= from whose text matches re (no poll). */
unsigned int kmsg_watch_count(struct kmsg_watch *w, unsigned int from,
			      const char *re);
/* Poll until a record >= from matches re or timeout_ms passes; index or -1. */
int kmsg_watch_wait_for(struct kmsg_watch *w, unsigned int from,
			const char *re, int timeout_ms);
/* Record i, or NULL. */
const struct kmsg_record *kmsg_watch_record(const struct kmsg_watch *w,
					    unsigned int i);

/*
 * Declare this subtest's expected lines (see the contract).  Call before
 * the lines can appear; a second call replaces the first, as
 * igt_emit_ignore_dmesg_regex() does.
 */
void kmsg_watch_expect(struct kmsg_watch *w, const char *re);
void kmsg_watch_tolerate(struct kmsg_watch *w, const char *re);
/*
 * Index of the first warning >= from that is neither expected nor
 * tolerated, or -1 (no poll).
 */
int kmsg_watch_first_unexpected(struct kmsg_watch *w, unsigned int from);
/*
 * Poll, report tolerated warnings with igt_info(), and fail the running
 * subtest with verdict "dmesg" if an unexpected warning appeared.
 */
void kmsg_watch_check(struct kmsg_watch *w);

#endif /* RKVAL_KMSG_WATCH_H */
