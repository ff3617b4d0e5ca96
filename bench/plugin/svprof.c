// SPDX-License-Identifier: GPL-2.0
/*
 * svprof: the bench's QEMU TCG plugin (make bench PROFILE=1). It counts
 * every instruction the emulated CPU executes between two marker
 * instructions, per instruction address, whatever the exception level:
 * the guest payload, the EL2 code, the host kernel and the module.
 *   start marker  HINT #0x70   (d5032e1f)
 *   stop marker   HINT #0x71   (d5032e3f)
 * Both are NOPs on every CPU (unallocated hint space, ARM DDI 0487
 * C6.2.x "HINT"). The guest payload (guest/payloads/microbench.c) puts
 * each profiled batch of operations between them.
 *
 *   -plugin build/bench/libsvprof.so,out=FILE
 *
 * FILE gets, for each window n (in the order they close):
 *   W n insns=<total>
 *   <vaddr hex> <opcode hex> <count>      one line per instruction
 * bench/profile.py turns these into functions and phases. One vCPU:
 * with more, the windows would mix the CPUs' instructions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_v1.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MARK_START	0xd5032e1fU
#define MARK_STOP	0xd5032e3fU
#define BLOCK_RECS	4096

/* One translated instruction; a re-translation gets a new record. */
struct rec {
	uint64_t vaddr;
	uint64_t count;		/* inline-incremented on each execution */
	uint64_t start;		/* count when the current window opened */
	uint32_t opcode;
};

struct block {
	struct block *next;
	unsigned int used;
	struct rec recs[BLOCK_RECS];
};

static struct block *blocks;
static FILE *out;
static int window;
static int open_window;

static struct rec *new_rec(void)
{
	struct block *b = blocks;

	if (!b || b->used == BLOCK_RECS) {
		b = calloc(1, sizeof(*b));
		if (!b) {
			qemu_plugin_outs("svprof: out of memory\n");
			abort();
		}
		b->next = blocks;
		blocks = b;
	}
	return &b->recs[b->used++];
}

static void mark_start(unsigned int vcpu, void *udata)
{
	struct block *b;
	unsigned int i;

	for (b = blocks; b; b = b->next)
		for (i = 0; i < b->used; i++)
			b->recs[i].start = b->recs[i].count;
	open_window = 1;
}

static void mark_stop(unsigned int vcpu, void *udata)
{
	uint64_t total = 0, d;
	struct block *b;
	unsigned int i;

	if (!open_window)
		return;
	open_window = 0;
	for (b = blocks; b; b = b->next)
		for (i = 0; i < b->used; i++)
			total += b->recs[i].count - b->recs[i].start;
	fprintf(out, "W %d insns=%llu\n", window++, (unsigned long long)total);
	for (b = blocks; b; b = b->next)
		for (i = 0; i < b->used; i++) {
			d = b->recs[i].count - b->recs[i].start;
			if (d)
				fprintf(out, "%llx %08x %llu\n",
					(unsigned long long)b->recs[i].vaddr,
					b->recs[i].opcode,
					(unsigned long long)d);
		}
	fflush(out);
}

static void tb_trans(uint64_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		struct rec *r = new_rec();
		uint32_t op = 0;

		if (qemu_plugin_insn_size(insn) == 4)
			memcpy(&op, qemu_plugin_insn_data(insn), 4);
		r->vaddr = qemu_plugin_insn_vaddr(insn);
		r->opcode = op;
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
			QEMU_PLUGIN_INLINE_ADD_U64, &r->count, 1);
		if (op == MARK_START)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_start,
				QEMU_PLUGIN_CB_NO_REGS, NULL);
		else if (op == MARK_STOP)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_stop,
				QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void at_exit(uint64_t id, void *udata)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "svprof: %d windows written\n", window);
	qemu_plugin_outs(msg);
	fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(uint64_t id, const void *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
	if (!path) {
		qemu_plugin_outs("svprof: usage: -plugin libsvprof.so,out=FILE\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		qemu_plugin_outs("svprof: cannot open the out= file\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
