/* cli_privdrop.c — give up every privilege once the capture is open (before a -r file is read):
 * root's uid (tcpdump's -Z), every capability however it came (root, setcap file capabilities,
 * ambient ones), the bounding set, and the right to gain any back (no_new_privs). */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* capget/capset by their syscalls: glibc has no wrapper and libcap is not needed for this. */
static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};

	/* zeroed first: valgrind takes the raw capget as writing only the first of the two
	 * version-3 structs and would report the second as unset */
	memset(d, 0, 2 * sizeof d[0]);
	return (int)syscall(SYS_capget, &h, d);
}

static int caps_clear(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof d);
	return (int)syscall(SYS_capset, &h, d);
}

static bool caps_has_effective(int cap)
{
	struct __user_cap_data_struct d[2];

	if (caps_get(d) != 0)
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* The bounding set limits what any later execve could gain. Emptying it needs CAP_SETPCAP:
 * root has it, and the setcap line tcpscope's advice gives grants it; without it the set stays
 * as it is, harmless once no_new_privs is set. Returns -1 with errno if a drop failed. */
static int bounding_clear(bool *cleared)
{
	*cleared = false;
	if (!caps_has_effective(CAP_SETPCAP))
		return 0;
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break; /* EINVAL: past the last capability this kernel knows */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
			return -1;
	}
	*cleared = true;
	return 0;
}

/* Root: become o->user for good (groups first, then gid, then uid: after setuid the others
 * could no longer be changed). Sets o->dropped_to when the uid changed. */
static int become_user(struct cli_options *o, char *err, size_t errlen)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	errno = 0;
	pw = getpwnam(o->user);
	if (!pw) {
		snprintf(err, errlen, "cannot drop privileges: no user '%s' (use -Z USER%s)",
		         o->user, o->file ? "" : " or --no-drop");
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0)
		return 0; /* -Z root: the uid stays, the capabilities still go */
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		snprintf(err, errlen, "cannot drop privileges to '%s': %s", o->user,
		         strerror(errno));
		return -1;
	}
	/* verify: every id changed, and root cannot be regained */
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid ||
	    setuid(0) == 0) {
		snprintf(err, errlen, "dropping privileges to '%s' did not stick", o->user);
		return -1;
	}
	o->dropped_to = o->user;
	return 0;
}

int cli_drop_privileges(struct cli_options *o, char *err, size_t errlen)
{
	struct __user_cap_data_struct d[2];
	bool bounding_empty;

	if (o->no_drop && !o->file)
		return 0; /* asked to stay as it is; a file never needs privileges */
	/* the bounding set first: dropping it needs CAP_SETPCAP, which the uid change ends */
	if (bounding_clear(&bounding_empty) != 0) {
		snprintf(err, errlen, "cannot empty the capability bounding set: %s",
		         strerror(errno));
		return -1;
	}
	if (geteuid() == 0 && become_user(o, err, errlen) != 0)
		return -1;
	/* capabilities a parent passed down (ambient), then all the others; EINVAL: a kernel
	 * older than ambient capabilities (4.3), which then has none to clear */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
		snprintf(err, errlen, "cannot clear the ambient capabilities: %s", strerror(errno));
		return -1;
	}
	if (caps_clear() != 0) {
		snprintf(err, errlen, "cannot give up capabilities: %s", strerror(errno));
		return -1;
	}
	/* nothing run from here on (no exec is planned) can gain privileges again */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	/* verify, as the kernel sees it */
	if (caps_get(d) != 0 || d[0].permitted || d[1].permitted || d[0].effective ||
	    d[1].effective || d[0].inheritable || d[1].inheritable ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 ||
	    (bounding_empty && prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0) != 0)) {
		snprintf(err, errlen, "giving up privileges did not stick");
		return -1;
	}
	return 0;
}

FILE *cli_open_capture_file(const char *path)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO opens at once instead of waiting for its writer (and is refused) */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL; /* opened again after the drop by path, which reports the error */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		close(fd);
		return NULL;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp)
		close(fd);
	return fp;
}
