/*
 * fork for the static musl build only (like static/alloc.c).  musl's fork
 * runs the pthread_atfork handlers and takes every internal lock around
 * the system call so that a child of a threaded process finds them
 * consistent; that machinery (the handler table, pthread_rwlock, timed
 * waits) is ~1.5 KiB of the binary.  nsbox is single-threaded and
 * registers no handlers, so it needs only what _Fork (musl 1.2.2, glibc
 * 2.34) does: the system call with signals blocked, the child's thread
 * id and lists set right.  Same child, same return values, same errno.
 */
#include <unistd.h>

pid_t fork(void)
{
	return _Fork();
}
