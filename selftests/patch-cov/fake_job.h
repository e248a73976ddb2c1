/* SPDX-License-Identifier: MIT */
#ifndef FAKE_JOB_H
#define FAKE_JOB_H
int fake_job_submit(int tasks, int timeout_ms);
int fake_job_reset(int core);
int fake_job_rk3568_quirk(int soc);
int fake_job_cores(void);
#endif
