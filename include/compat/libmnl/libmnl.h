/*
 * nsbox's own declarations of the subset of the libmnl API that nsbox uses.
 *
 * Debian ships no static libmnl, so the static musl build compiles
 * static/mnl.c, an implementation written for nsbox of exactly these
 * functions with libmnl's documented names and semantics.  The glibc build
 * (build/nsbox-libmnl) uses the system's <libmnl/libmnl.h> and libmnl.so
 * instead, and the test suite runs against both.
 */
#ifndef NSBOX_COMPAT_LIBMNL_H
#define NSBOX_COMPAT_LIBMNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#define MNL_SOCKET_AUTOPID	0
#define MNL_SOCKET_BUFFER_SIZE	8192L
#define MNL_ALIGNTO		4
#define MNL_ALIGN(len)		(((len) + MNL_ALIGNTO - 1) & ~(MNL_ALIGNTO - 1))
#define MNL_NLMSG_HDRLEN	MNL_ALIGN(sizeof(struct nlmsghdr))
#define MNL_ATTR_HDRLEN		MNL_ALIGN(sizeof(struct nlattr))

#define MNL_CB_ERROR	-1
#define MNL_CB_STOP	0
#define MNL_CB_OK	1

enum mnl_attr_data_type {
	MNL_TYPE_UNSPEC,
	MNL_TYPE_U8,
	MNL_TYPE_U16,
	MNL_TYPE_U32,
	MNL_TYPE_U64,
	MNL_TYPE_STRING,
	MNL_TYPE_FLAG,
	MNL_TYPE_MSECS,
	MNL_TYPE_NESTED,
	MNL_TYPE_NESTED_COMPAT,
	MNL_TYPE_NUL_STRING,
	MNL_TYPE_BINARY,
	MNL_TYPE_MAX,
};

struct mnl_socket;
struct mnl_nlmsg_batch;

typedef int (*mnl_cb_t)(const struct nlmsghdr *nlh, void *data);
typedef int (*mnl_attr_cb_t)(const struct nlattr *attr, void *data);

struct mnl_socket *mnl_socket_open2(int bus, int flags);
int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid);
int mnl_socket_close(struct mnl_socket *nl);
int mnl_socket_get_fd(const struct mnl_socket *nl);
unsigned int mnl_socket_get_portid(const struct mnl_socket *nl);
ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz);
int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf, socklen_t len);

struct nlmsghdr *mnl_nlmsg_put_header(void *buf);
void *mnl_nlmsg_put_extra_header(struct nlmsghdr *nlh, size_t size);
size_t mnl_nlmsg_get_payload_len(const struct nlmsghdr *nlh);
void *mnl_nlmsg_get_payload(const struct nlmsghdr *nlh);
void *mnl_nlmsg_get_payload_offset(const struct nlmsghdr *nlh, size_t offset);
void *mnl_nlmsg_get_payload_tail(const struct nlmsghdr *nlh);
bool mnl_nlmsg_ok(const struct nlmsghdr *nlh, int len);
struct nlmsghdr *mnl_nlmsg_next(const struct nlmsghdr *nlh, int *len);

struct mnl_nlmsg_batch *mnl_nlmsg_batch_start(void *buf, size_t bufsiz);
bool mnl_nlmsg_batch_next(struct mnl_nlmsg_batch *b);
void mnl_nlmsg_batch_stop(struct mnl_nlmsg_batch *b);
size_t mnl_nlmsg_batch_size(struct mnl_nlmsg_batch *b);
void *mnl_nlmsg_batch_head(struct mnl_nlmsg_batch *b);
void *mnl_nlmsg_batch_current(struct mnl_nlmsg_batch *b);

uint16_t mnl_attr_get_type(const struct nlattr *attr);
uint16_t mnl_attr_get_payload_len(const struct nlattr *attr);
void *mnl_attr_get_payload(const struct nlattr *attr);
uint8_t mnl_attr_get_u8(const struct nlattr *attr);
uint32_t mnl_attr_get_u32(const struct nlattr *attr);
uint64_t mnl_attr_get_u64(const struct nlattr *attr);
const char *mnl_attr_get_str(const struct nlattr *attr);

void mnl_attr_put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data);
void mnl_attr_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t data);
void mnl_attr_put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t data);
void mnl_attr_put_strz(struct nlmsghdr *nlh, uint16_t type, const char *data);
struct nlattr *mnl_attr_nest_start(struct nlmsghdr *nlh, uint16_t type);
void mnl_attr_nest_end(struct nlmsghdr *nlh, struct nlattr *start);

int mnl_attr_type_valid(const struct nlattr *attr, uint16_t maxtype);
int mnl_attr_validate(const struct nlattr *attr, enum mnl_attr_data_type type);
bool mnl_attr_ok(const struct nlattr *attr, int len);
struct nlattr *mnl_attr_next(const struct nlattr *attr);
int mnl_attr_parse(const struct nlmsghdr *nlh, unsigned int offset, mnl_attr_cb_t cb, void *data);
int mnl_attr_parse_nested(const struct nlattr *attr, mnl_attr_cb_t cb, void *data);
int mnl_attr_parse_payload(const void *payload, size_t payload_len, mnl_attr_cb_t cb, void *data);

int mnl_cb_run(const void *buf, size_t numbytes, unsigned int seq,
	       unsigned int portid, mnl_cb_t cb_data, void *data);
int mnl_cb_run2(const void *buf, size_t numbytes, unsigned int seq,
		unsigned int portid, mnl_cb_t cb_data, void *data,
		mnl_cb_t *cb_ctl_array, unsigned int cb_ctl_array_len);

#endif
