//go:build ignore

// SPDX-License-Identifier: GPL-2.0
/*
 * tracer.c — traces openat(2) and unlinkat(2) through a ring buffer.
 *
 * Two tracepoint programs, on syscalls/sys_enter_openat and
 * syscalls/sys_enter_unlinkat, send one struct file_event per call to the
 * ring buffer `events`: who made the call (pid, tid, uid, comm), the path,
 * the flags decoded into bitfields, and the raw arguments in a union whose
 * member depends on the operation. Set cfg.tgid in .rodata before loading to
 * trace a single process (0 traces all).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/fcntl.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum file_op {
	FILE_OP_OPEN = 1,
	FILE_OP_UNLINK = 2,
};

struct file_event {
	__u64 ts_ns;
	__u32 pid;		/* thread group ID: the process ID user space sees */
	__u32 tid;
	__u32 uid;
	enum file_op op;
	/* The flags, decoded. */
	__u32 accmode : 2;	/* O_RDONLY, O_WRONLY or O_RDWR */
	__u32 create : 1;	/* O_CREAT */
	__u32 truncate : 1;	/* O_TRUNC */
	__u32 cloexec : 1;	/* O_CLOEXEC */
	__u32 removedir : 1;	/* AT_REMOVEDIR */
	__s32 dfd;		/* directory fd, AT_FDCWD (-100) for the cwd */
	/* The raw arguments: open for FILE_OP_OPEN, unlink for FILE_OP_UNLINK. */
	union {
		struct {
			__u32 flags;
			__u16 mode;
		} open;
		struct {
			__u32 flags;
		} unlink;
	} args;
	char comm[16];
	char path[64];		/* truncated to 63 bytes and a NUL */
};

struct config {
	__u32 tgid;		/* trace only this process; 0 traces all */
};

const volatile struct config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
	__type(value, struct file_event);	/* the record type, for mapgen */
} events SEC(".maps");

/* The context of a syscalls/sys_enter_* tracepoint (see its format file in
 * tracefs): an 8-byte common header, the syscall number, then each argument
 * in 8 bytes. */
struct syscall_enter {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

static __always_inline struct file_event *start(enum file_op op, __s64 dfd, __u64 path)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct file_event *e;

	if (cfg.tgid && cfg.tgid != pid_tgid >> 32)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->op = op;
	e->dfd = dfd;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->path, sizeof(e->path), (const void *)path);
	return e;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(struct syscall_enter *ctx)
{
	__u32 flags = ctx->args[2];
	struct file_event *e = start(FILE_OP_OPEN, ctx->args[0], ctx->args[1]);

	if (!e)
		return 0;
	e->accmode = flags & O_ACCMODE;
	e->create = !!(flags & O_CREAT);
	e->truncate = !!(flags & O_TRUNC);
	e->cloexec = !!(flags & O_CLOEXEC);
	e->args.open.flags = flags;
	e->args.open.mode = ctx->args[3];
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int trace_unlinkat(struct syscall_enter *ctx)
{
	__u32 flags = ctx->args[2];
	struct file_event *e = start(FILE_OP_UNLINK, ctx->args[0], ctx->args[1]);

	if (!e)
		return 0;
	e->removedir = !!(flags & AT_REMOVEDIR);
	e->args.unlink.flags = flags;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
