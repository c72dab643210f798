/* cli_privdrop.c — give up root once the capture is open (tcpdump's -Z), and check it stuck. */
#include "cli.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

int cli_drop_privileges(const struct cli_options *o, char *err, size_t errlen)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (o->no_drop || geteuid() != 0)
		return 0;
	errno = 0;
	pw = getpwnam(o->user);
	if (!pw) {
		snprintf(err, errlen,
		         "cannot drop privileges: no user '%s' (use -Z USER or --no-drop)",
		         o->user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0)
		return 0; /* -Z root: nothing to drop */
	/* groups first, then gid, then uid: after setuid we could no longer change the others */
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
	return 0;
}
