/* ui_export.c — `w` and `e`: a pcap or an SVG file created in the start directory, never over
 * an existing file, with the hint line saying what happened. */
#include "ui_export.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "socklab/capture_save.h"
#include "socklab/out_fig.h"
#include "ui_notice.h"

#define NAME_LEN 64

/* tcpscope[-conn-N]-YYYYmmdd-HHMMSS.EXT in local time (id 0: no connection part). */
static void file_name(char *out, size_t len, uint64_t id, const char *ext)
{
	char stamp[32] = "00000000-000000";
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	if (id)
		snprintf(out, len, "tcpscope-conn-%llu-%s.%s", (unsigned long long)id, stamp, ext);
	else
		snprintf(out, len, "tcpscope-%s.%s", stamp, ext);
}

/* Creates name in the start directory, never replacing anything (O_EXCL also refuses a
 * symlink planted there). Returns the descriptor, or -1 after saying why in the hint line. */
static int create_file(struct ui_state *s, const char *name)
{
	int dir = s->opt->start_dir_fd;
	int fd;

	if (dir <= 0) { /* 0: a zero-initialised ui_options, no directory given */
		ui_notice(s, "cannot create %s: the start directory could not be opened", name);
		return -1;
	}
	fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0)
		return fd;
	if (errno == EEXIST) {
		ui_notice(s, "%s exists already: not overwritten (press again in a second)", name);
	} else if ((errno == EACCES || errno == EPERM) && geteuid() != 0) {
		/* tcpscope gave up root right after opening the capture (cli_privdrop.c): the
		 * user it runs as now needs write access to the directory */
		const struct passwd *pw = getpwuid(geteuid());
		ui_notice(s, "cannot create %s: user %s (root was given up) may not write here",
		          name, pw ? pw->pw_name : "of tcpscope");
	} else {
		ui_notice(s, "cannot create %s: %s", name, strerror(errno));
	}
	return -1;
}

void ui_export_save(struct ui_state *s)
{
	char name[NAME_LEN], err[UI_MSG_LEN];
	uint64_t kept, forgotten;
	int fd;

	if (!s->live) {
		ui_notice(s, "nothing to save: this capture is a file already (%s)",
		          s->opt->fig_source ? s->opt->fig_source : "-r");
		return;
	}
	if (s->opt->write_file) {
		ui_notice(s, "already saving to %s (-w)", s->opt->write_file);
		return;
	}
	if (s->save_name[0]) {
		ui_notice(s, "already saving to %s", s->save_name);
		return;
	}
	file_name(name, sizeof name, 0, "pcap");
	fd = create_file(s, name);
	if (fd < 0)
		return;
	capture_save_kept(s->cap, &kept, &forgotten); /* written first by the open */
	if (capture_save_open_fd(s->cap, fd, err, sizeof err) != 0) {
		unlinkat(s->opt->start_dir_fd, name, 0);
		ui_notice(s, "%s", err);
		return;
	}
	snprintf(s->save_name, sizeof s->save_name, "%s", name);
	if (forgotten)
		ui_notice(
		    s, "saving to %s: the last %llu frames (%llu earlier not kept), then all new",
		    name, (unsigned long long)kept, (unsigned long long)forgotten);
	else
		ui_notice(s, "saving to %s: all %llu frames so far, then all new ones", name,
		          (unsigned long long)kept);
}

void ui_export_svg(struct ui_state *s)
{
	uint64_t id = s->table.selected_id;
	const struct out_fig_conn *fc;
	struct out_fig *one;
	struct out_svg_options o = {.names = s->show.names, .source = s->opt->fig_source};
	char name[NAME_LEN];
	FILE *fp;
	int fd, rc;

	if (!id) {
		ui_notice(s, "select a connection to export");
		return;
	}
	fc = out_fig_find(s->fig, id);
	if (!fc) {
		ui_notice(s, "#%llu is not kept for export (the latest %d connections are)",
		          (unsigned long long)id, OUT_FIG_MAX_CONNS);
		return;
	}
	/* a document of this connection alone, as --conn N picks it from a file */
	one = out_fig_create(&id, 1);
	if (!one) {
		ui_notice(s, "out of memory for the figure");
		return;
	}
	one->conns[0] = *fc;
	one->nconns = 1;
	file_name(name, sizeof name, id, "svg");
	fd = create_file(s, name);
	if (fd < 0) {
		out_fig_destroy(one);
		return;
	}
	fp = fdopen(fd, "w");
	if (!fp) {
		close(fd);
		rc = -1;
	} else {
		rc = out_svg_write(fp, one, &o);
		if (fclose(fp) != 0)
			rc = -1;
	}
	out_fig_destroy(one);
	if (rc != 0) {
		unlinkat(s->opt->start_dir_fd, name, 0);
		ui_notice(s, "writing %s failed: %s", name, strerror(errno));
		return;
	}
	ui_notice(s, "exported #%llu to %s", (unsigned long long)id, name);
}
