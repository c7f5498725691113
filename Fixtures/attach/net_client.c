/*
 * net_client.c: a host program (not BPF) that makes the socket, sysctl and
 * device activity the cgroup, sk_lookup, netfilter, XDP and tcx tests
 * trigger programs with, optionally from inside a cgroup v2 directory.
 *
 *   net_client [--cgroup DIR] ACTION...
 *     --cgroup DIR     first moves this process into DIR (writes its pid to
 *                      DIR/cgroup.procs), so its sockets belong to DIR
 *     udp ADDR PORT    IPv4 UDP socket: setsockopt(SO_PRIORITY),
 *                      getsockopt(SO_PRIORITY), connect, send 4 bytes
 *     tcp ADDR PORT    IPv4 TCP connect, waiting at most 1 s (refused or
 *                      timing out is fine: the SYN is what counts)
 *     echo             IPv4 UDP socket bound to 127.0.0.1 (an ephemeral
 *                      port), sendto itself, recvfrom: bind, post-bind,
 *                      sendmsg, recvmsg and both skb directions
 *     sysctl           reads /proc/sys/kernel/ostype
 *     dev              opens /dev/null
 * Exits 0 when every step ran (a refused or unanswered connect included),
 * 1 with a message on stderr otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "net_client: %s: %s\n", what, strerror(errno));
	return 1;
}

static int address(const char *addr, const char *port, struct sockaddr_in *out)
{
	memset(out, 0, sizeof *out);
	out->sin_family = AF_INET;
	out->sin_port = htons((unsigned short)atoi(port));
	return inet_pton(AF_INET, addr, &out->sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "--cgroup") == 0) {
		char path[4096];
		snprintf(path, sizeof path, "%s/cgroup.procs", argv[i + 1]);
		FILE *f = fopen(path, "w");
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
			return fail("joining the cgroup");
		i += 2;
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], "udp") == 0 && i + 2 < argc) {
			struct sockaddr_in sa;
			if (address(argv[i + 1], argv[i + 2], &sa))
				return fail("udp address");
			int s = socket(AF_INET, SOCK_DGRAM, 0), prio = 1;
			socklen_t len = sizeof prio;
			if (s < 0)
				return fail("socket(udp)");
			if (setsockopt(s, SOL_SOCKET, SO_PRIORITY, &prio, sizeof prio))
				return fail("setsockopt");
			if (getsockopt(s, SOL_SOCKET, SO_PRIORITY, &prio, &len))
				return fail("getsockopt");
			if (connect(s, (struct sockaddr *)&sa, sizeof sa))
				return fail("connect(udp)");
			if (send(s, "ping", 4, 0) < 0 && errno != ECONNREFUSED)
				return fail("send");
			close(s);
			i += 2;
		} else if (strcmp(argv[i], "tcp") == 0 && i + 2 < argc) {
			struct sockaddr_in sa;
			if (address(argv[i + 1], argv[i + 2], &sa))
				return fail("tcp address");
			int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (s < 0)
				return fail("socket(tcp)");
			if (connect(s, (struct sockaddr *)&sa, sizeof sa) && errno != EINPROGRESS &&
			    errno != ECONNREFUSED)
				return fail("connect(tcp)");
			struct pollfd p = {s, POLLOUT, 0};
			poll(&p, 1, 1000);
			close(s);
			i += 2;
		} else if (strcmp(argv[i], "echo") == 0) {
			struct sockaddr_in sa;
			socklen_t len = sizeof sa;
			char buf[8];
			address("127.0.0.1", "0", &sa);
			int s = socket(AF_INET, SOCK_DGRAM, 0);
			if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) ||
			    getsockname(s, (struct sockaddr *)&sa, &len))
				return fail("echo socket");
			if (sendto(s, "echo", 4, 0, (struct sockaddr *)&sa, sizeof sa) != 4)
				return fail("sendto");
			struct pollfd p = {s, POLLIN, 0};
			struct sockaddr_in from;
			socklen_t fromlen = sizeof from;
			/* With a source address buffer, so the recvmsg hook runs. */
			if (poll(&p, 1, 1000) != 1 ||
			    recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen) != 4)
				return fail("recvfrom");
			close(s);
		} else if (strcmp(argv[i], "sysctl") == 0) {
			char buf[64];
			int fd = open("/proc/sys/kernel/ostype", O_RDONLY);
			if (fd < 0 || read(fd, buf, sizeof buf) < 0)
				return fail("reading /proc/sys/kernel/ostype");
			close(fd);
		} else if (strcmp(argv[i], "dev") == 0) {
			int fd = open("/dev/null", O_RDONLY);
			if (fd < 0)
				return fail("opening /dev/null");
			close(fd);
		} else {
			fprintf(stderr, "net_client: unknown action '%s'\n", argv[i]);
			return 1;
		}
	}
	return 0;
}
