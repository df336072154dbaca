/* Capabilities kept after setup (see privileges.h); through libcap. */
#include "privileges.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/prctl.h>

static bool kept(cap_value_t cap, const cap_value_t *keep, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (keep[i] == cap)
			return true;
	return false;
}

/* Without CAP_SETPCAP the bounding set cannot shrink; then whoever started
 * us without it (systemd's CapabilityBoundingSet=) has bounded it already. */
static int shrink_bounding_set(const cap_value_t *keep, size_t count)
{
	cap_flag_value_t have = CAP_CLEAR;
	cap_t now = cap_get_proc();

	if (!now)
		return -errno;
	cap_get_flag(now, CAP_SETPCAP, CAP_EFFECTIVE, &have);
	cap_free(now);
	if (have != CAP_SET)
		return 0;
	for (cap_value_t cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (!kept(cap, keep, count) && CAP_IS_SUPPORTED(cap) && cap_drop_bound(cap) < 0 &&
		    errno != EINVAL)
			return -errno;
	return 0;
}

/* The new sets: what is kept of what the thread has now (one it never had
 * cannot be asked for). */
static cap_t kept_sets(const cap_value_t *keep, size_t count)
{
	cap_t now = cap_get_proc(), caps = cap_init();
	cap_value_t have[CAP_LAST_CAP + 1];
	int kept = 0;

	for (size_t i = 0; now && i < count && kept <= CAP_LAST_CAP; i++) {
		cap_flag_value_t flag = CAP_CLEAR;

		if (cap_get_flag(now, keep[i], CAP_PERMITTED, &flag) == 0 && flag == CAP_SET)
			have[kept++] = keep[i];
	}
	if (!now || !caps ||
	    (kept && (cap_set_flag(caps, CAP_PERMITTED, kept, have, CAP_SET) < 0 ||
		      cap_set_flag(caps, CAP_EFFECTIVE, kept, have, CAP_SET) < 0))) {
		cap_free(caps);
		caps = NULL;
	}
	cap_free(now);
	return caps;
}

int privileges_keep_only(const cap_value_t *keep, size_t count)
{
	cap_t caps;
	int ret;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	ret = shrink_bounding_set(keep, count);
	if (ret)
		return ret;
	caps = kept_sets(keep, count);
	if (!caps)
		return -ENOMEM;
	if (cap_set_proc(caps) < 0)
		ret = -errno;
	cap_free(caps);
	return ret;
}

int privileges_drop_all(void)
{
	return privileges_keep_only(NULL, 0);
}
