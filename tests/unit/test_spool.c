/* The relay spool: accept checks, dedupe, forward, crash recovery, and
 * the relay's tamper sweep. */
#include "../support/t.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../common/clock.h"
#include "../../crypto/bundle.h"
#include "../../relay/spool.h"
#include "../../relay/spool_int.h"
#include "../../seal/sealpipe.h"

static uint8_t id_pk[32], id_sk[64], spk_pk[32], spk_sk[32];
static ferry_credential cred;

typedef struct {
	char *dir;
	char spool[256], credential[256], fwd[256];
	ferry_spool *s;
} fixture;

static t_buf make_bundle(size_t n)
{
	t_buf b = {0};
	ferry_sealpipe *s = ferry_sealpipe_create(1);
	uint8_t *msg = calloc(1, n + 1);
	uint64_t len;
	randombytes_buf(msg, n);
	assert_int_equal(ferry_sealpipe_begin(s, FERRY_KIND_WALKIN, FERRY_NO_FORM,
	                                      spk_pk, NULL, cred.relay.pk[0],
	                                      t_buf_write, &b),
	                 0);
	assert_int_equal(ferry_sealpipe_update(s, msg, n), 0);
	assert_int_equal(ferry_sealpipe_finish(s, &len), 0);
	ferry_sealpipe_free(s);
	free(msg);
	return b;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	ferry_err e;
	f->dir = t_mkdtemp();
	snprintf(f->spool, sizeof f->spool, "%s/spool", f->dir);
	snprintf(f->credential, sizeof f->credential, "%s/credential", f->dir);
	snprintf(f->fwd, sizeof f->fwd, "%s/fwd", f->dir);
	mkdir(f->fwd, 0700);
	char text[FERRY_CREDENTIAL_TEXT_MAX];
	size_t len = 0;
	assert_int_equal(ferry_credential_format(text, sizeof text, &len, &cred, id_sk),
	                 0);
	t_write(f->credential, text, len);
	char fp[FERRY_FP_TEXT_LEN + 1];
	ferry_fingerprint(fp, id_pk);
	/* A wrong fingerprint: no spool is made. */
	uint8_t other[32];
	char ofp[FERRY_FP_TEXT_LEN + 1];
	randombytes_buf(other, 32);
	ferry_fingerprint(ofp, other);
	assert_int_equal(ferry_spool_init(f->spool, f->credential, ofp, 30, &e),
	                 FERRY_EVERIFY);
	assert_int_not_equal(access(f->spool, F_OK), 0);
	assert_int_equal(ferry_spool_init(f->spool, f->credential, fp, 30, &e), 0);
	assert_int_equal(ferry_spool_open(&f->s, f->spool, &e), 0);
	*state = f;
	return 0;
}

/* Sends everything waiting at once, with no chaff: the spool's own
 * checks, apart from batching. */
static const ferry_batch_policy ALL_NOW = {1, 0, 1, 0};

static unsigned fwd(fixture *f, const ferry_batch_policy *p)
{
	ferry_forward_result r;
	ferry_err e;
	assert_int_equal(ferry_spool_forward(f->s, f->fwd, p, &r, &e), 0);
	return r.resumed + r.sent;
}

static void accept_file(fixture *f, size_t n)
{
	char in[300], name[FERRY_SPOOL_NAME_LEN + 1];
	ferry_err e;
	snprintf(in, sizeof in, "%s/in", f->dir);
	t_buf x = make_bundle(n);
	t_write(in, x.p, x.len);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), 0);
	free(x.p);
}

static int teardown(void **state)
{
	fixture *f = *state;
	ferry_spool_close(f->s);
	t_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void accept_dedupe_forward(void **state)
{
	fixture *f = *state;
	char in[300], name[FERRY_SPOOL_NAME_LEN + 1];
	ferry_err e;
	snprintf(in, sizeof in, "%s/in", f->dir);
	t_buf bundles[5];
	for (int i = 0; i < 5; i++) {
		bundles[i] = make_bundle((size_t)i * 40000);
		t_write(in, bundles[i].p, bundles[i].len);
		assert_int_equal(ferry_spool_accept(f->s, in, name, &e), 0);
		assert_int_equal(access(in, F_OK), 0); /* input untouched */
		assert_int_equal(ferry_spool_accept(f->s, in, name, &e), FERRY_EVERIFY);
	}
	ferry_spool_status st;
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.waiting, 5);
	assert_int_equal(fwd(f, &ALL_NOW), 5);
	assert_int_equal(t_count(f->fwd), 5);
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(st.remembered, 5);
	/* Already forwarded: still a duplicate. */
	t_write(in, bundles[2].p, bundles[2].len);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), FERRY_EVERIFY);
	assert_int_equal(fwd(f, &ALL_NOW), 0);
	for (int i = 0; i < 5; i++)
		free(bundles[i].p);
}

static void crash_during_forward_is_finished(void **state)
{
	fixture *f = *state;
	char in[300], name[FERRY_SPOOL_NAME_LEN + 1], a[400], b[400];
	ferry_err e;
	snprintf(in, sizeof in, "%s/in", f->dir);
	t_buf x = make_bundle(10);
	t_write(in, x.p, x.len);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), 0);
	/* As if a forward died after moving the bundle to sending/. */
	snprintf(a, sizeof a, "%s/new/%s", f->spool, name);
	snprintf(b, sizeof b, "%s/sending/%s", f->spool, name);
	assert_int_equal(rename(a, b), 0);
	assert_int_equal(fwd(f, &ALL_NOW), 1);
	assert_int_equal(t_count(f->fwd), 1);
	/* And if it died after delivering but before clearing sending/: the
	 * delivery is recognized, not doubled. */
	t_buf y = make_bundle(20);
	t_write(in, y.p, y.len);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), 0);
	assert_int_equal(fwd(f, &ALL_NOW), 1);
	assert_int_equal(t_count(f->fwd), 2);
	/* The batch's file names are random, and a delivery keeps its name:
	 * put one delivered file back into sending/ under that name. */
	DIR *dd = opendir(f->fwd);
	struct dirent *de;
	char delivered[FERRY_SPOOL_NAME_LEN + 1] = "";
	while (dd && (de = readdir(dd)) != NULL)
		if (strlen(de->d_name) == FERRY_SPOOL_NAME_LEN)
			memcpy(delivered, de->d_name, sizeof delivered);
	if (dd)
		closedir(dd);
	assert_int_equal(strlen(delivered), FERRY_SPOOL_NAME_LEN);
	snprintf(b, sizeof b, "%s/sending/%s", f->spool, delivered);
	t_write(b, y.p, y.len);
	assert_int_equal(fwd(f, &ALL_NOW), 1);
	assert_int_equal(t_count(f->fwd), 2);
	assert_int_not_equal(access(b, F_OK), 0);
	free(x.p);
	free(y.p);
}

static void relay_tamper_sweep(void **state)
{
	fixture *f = *state;
	char in[300], name[FERRY_SPOOL_NAME_LEN + 1], newdir[300];
	ferry_err e;
	snprintf(in, sizeof in, "%s/in", f->dir);
	snprintf(newdir, sizeof newdir, "%s/new", f->spool);
	t_buf x = make_bundle(100);
	assert_int_equal(x.len, 65536);
	uint8_t *m = malloc(x.len + 17);
	for (size_t i = 0; i < x.len; i++) {
		memcpy(m, x.p, x.len);
		m[i] ^= (uint8_t)(1 + i % 255);
		t_write(in, m, x.len);
		assert_int_equal(ferry_spool_accept(f->s, in, name, &e), FERRY_EVERIFY);
	}
	static const size_t cuts[] = {0, 1, 32, 144, 65535 - 16, 65535};
	for (size_t i = 0; i < 6; i++) {
		t_write(in, x.p, cuts[i]);
		assert_int_equal(ferry_spool_accept(f->s, in, name, &e), FERRY_EVERIFY);
	}
	memcpy(m, x.p, x.len);
	memset(m + x.len, 0, 17);
	t_write(in, m, x.len + 17);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), FERRY_EVERIFY);
	assert_int_equal(t_count(newdir), 0);
	char tmpdir[300];
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", f->spool);
	assert_int_equal(t_count(tmpdir), 0);
	t_write(in, x.p, x.len);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), 0);
	free(m);
	free(x.p);
}

/* Records expire with the window, and their keys with them: a resent
 * old bundle is accepted again (the desk then refuses the duplicate). */
static void memory_expires(void **state)
{
	fixture *f = *state;
	char in[300], name[FERRY_SPOOL_NAME_LEN + 1], mem[300];
	ferry_err e;
	snprintf(in, sizeof in, "%s/in", f->dir);
	snprintf(mem, sizeof mem, "%s/memory", f->spool);
	t_buf x = make_bundle(10);
	t_write(in, x.p, x.len);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), 0);
	assert_int_equal(fwd(f, &ALL_NOW), 1);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), FERRY_EVERIFY);
	/* Half a window on: still remembered (the previous epoch). */
	char later[32];
	snprintf(later, sizeof later, "%llu",
	         (unsigned long long)ferry_now() + 16 * 86400ull);
	setenv("FERRY_TEST_NOW", later, 1);
	assert_int_equal(ferry_spool_close(f->s), 0);
	if (ferry_spool_open(&f->s, f->spool, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), FERRY_EVERIFY);
	/* A whole window on: forgotten, keys and records gone. */
	snprintf(later, sizeof later, "%llu",
	         (unsigned long long)ferry_now() + 31 * 86400ull);
	setenv("FERRY_TEST_NOW", later, 1);
	ferry_spool_close(f->s);
	assert_int_equal(ferry_spool_open(&f->s, f->spool, &e), 0);
	assert_true(t_count(mem) <= 2);
	ferry_spool_status st;
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.remembered, 0);
	assert_int_equal(ferry_spool_accept(f->s, in, name, &e), 0);
	unsetenv("FERRY_TEST_NOW");
	free(x.p);
}

/* Chaff of the smallest class only, so tests seal it fast. */
static void only_small_chaff(fixture *f)
{
	memset(f->s->cred.chaff_weight, 0, sizeof f->s->cred.chaff_weight);
	f->s->cred.chaff_weight[0] = 1;
}

/* Chaff lengths come from the credential's signed weights, and from
 * nothing the spool saw: draws land on the weighted classes in their
 * proportions (each within 6 standard deviations: a flake once in about
 * 10^8 runs), and a spool that carried traffic of a rare length draws
 * exactly as a fresh one. */
static void chaff_follows_the_credential(void **state)
{
	fixture *f = *state;
	ferry_err e;
	unsigned hits[FERRY_CLASSES] = {0};
	uint32_t total = 0;
	const unsigned n = 20000;
	for (unsigned k = 0; k < FERRY_CLASSES; k++)
		total += f->s->cred.chaff_weight[k];
	assert_true(total > 0);
	for (unsigned i = 0; i < n; i++) {
		uint64_t d = ferry_chaff_draw(&f->s->cred);
		int k = ferry_class_of(d);
		assert_true(k >= 0);
		assert_true(f->s->cred.chaff_weight[k] > 0);
		hits[k]++;
	}
	for (unsigned k = 0; k < FERRY_CLASSES; k++) {
		double p = (double)f->s->cred.chaff_weight[k] / total;
		double mean = n * p, sd = sqrt(n * p * (1 - p));
		assert_true(hits[k] >= mean - 6 * sd - 1 && hits[k] <= mean + 6 * sd + 1);
	}
	/* One class only: every draw is its length. */
	memset(f->s->cred.chaff_weight, 0, sizeof f->s->cred.chaff_weight);
	f->s->cred.chaff_weight[5] = 9;
	for (int i = 0; i < 100; i++)
		assert_int_equal(ferry_chaff_draw(&f->s->cred), ferry_class_len(5));
	(void)e;
}

static void chaff_is_a_checked_bundle(void **state)
{
	fixture *f = *state;
	ferry_err e;
	t_buf b = {0};
	char p[300];
	unsigned made = 0;
	assert_int_equal(ferry_chaff_seal(&f->s->cred, 65536, t_buf_write, &b, &e), 0);
	assert_int_equal(b.len, 65536);
	snprintf(p, sizeof p, "%s/c", f->dir);
	t_write(p, b.p, b.len);
	int fd = open(p, O_RDONLY);
	assert_int_equal(ferry_relay_check_fd(&f->s->cred.relay, fd, b.len, &e), 0);
	close(fd);
	free(b.p);
	b = (t_buf){0};
	assert_int_equal(ferry_chaff_seal(&f->s->cred, 65537, t_buf_write, &b, &e),
	                 FERRY_EUSAGE);
	assert_int_equal(b.len, 0);
	free(b.p);
	/* Into the spool: waiting and remembered like an accepted bundle. */
	only_small_chaff(f);
	assert_int_equal(ferry_spool_chaff(f->s, 3, &made, &e), 0);
	assert_int_equal(made, 3);
	ferry_spool_status st;
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.waiting, 3);
	assert_int_equal(st.remembered, 3);
	assert_int_equal(st.stale_tmp, 0);
}

static void batch_classes(void **state)
{
	(void)state;
	static const unsigned n[] = {0, 1, 4, 5, 8, 9, 33, 64, 65, 200};
	static const unsigned pow2[] = {4, 4, 4, 8, 8, 16, 64, 64, 128, 256};
	static const unsigned fixed10[] = {10, 10, 10, 10, 10, 10, 40, 70, 70, 200};
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
		assert_int_equal(ferry_batch_class(n[i], 0), pow2[i]);
		assert_int_equal(ferry_batch_class(n[i], 10), fixed10[i]);
		assert_true(ferry_batch_class(n[i], 1) == (n[i] ? n[i] : 1));
	}
}

/* Files delivered so far, and that they share one time stamp on the
 * hour. */
static int delivered(fixture *f)
{
	DIR *d = opendir(f->fwd);
	struct dirent *de;
	struct stat st;
	time_t stamp = -1;
	int n = 0;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		assert_int_equal(fstatat(dirfd(d), de->d_name, &st, 0), 0);
		assert_int_equal(st.st_mtime % 3600, 0);
		if (stamp == -1)
			stamp = st.st_mtime;
		assert_true(st.st_mtime == stamp);
		n++;
	}
	closedir(d);
	return n;
}

static void min_batch_holds_then_releases_a_class(void **state)
{
	fixture *f = *state;
	ferry_spool_status st;
	ferry_err e;
	const ferry_batch_policy p = {5, 24, 0, 0};
	only_small_chaff(f);
	for (int i = 0; i < 4; i++) {
		accept_file(f, (size_t)i);
		assert_int_equal(fwd(f, &p), 0);
	}
	assert_int_equal(t_count(f->fwd), 0);
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.waiting, 4);
	accept_file(f, 4);
	/* Five real: a batch of eight, three of them chaff. */
	assert_int_equal(fwd(f, &p), 8);
	assert_int_equal(delivered(f), 8);
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(st.sending, 0);
	assert_int_equal(st.remembered, 8); /* chaff is remembered as real is */
	/* A fixed size: five real and a batch size of 3 send six. */
	t_rmdir(f->fwd);
	mkdir(f->fwd, 0700);
	for (int i = 0; i < 5; i++)
		accept_file(f, 10 + (size_t)i);
	const ferry_batch_policy p3 = {5, 24, 3, 0};
	assert_int_equal(fwd(f, &p3), 6);
}

static void max_wait_releases_a_short_batch(void **state)
{
	fixture *f = *state;
	char newdir[300];
	const ferry_batch_policy p = {5, 2, 0, 0};
	only_small_chaff(f);
	accept_file(f, 1);
	assert_int_equal(fwd(f, &p), 0);
	/* The oldest has waited three hours: it goes, topped up to four. */
	snprintf(newdir, sizeof newdir, "%s/new", f->spool);
	DIR *d = opendir(newdir);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		struct timespec ts[2] = {{time(NULL) - 3 * 3600, 0},
		                         {time(NULL) - 3 * 3600, 0}};
		assert_int_equal(utimensat(dirfd(d), de->d_name, ts, 0), 0);
	}
	closedir(d);
	accept_file(f, 2); /* a fresh one rides along */
	assert_int_equal(fwd(f, &p), 4);
	assert_int_equal(delivered(f), 4);
	assert_int_equal(t_count(newdir), 0);
}

/* Runs fwd with the clock at hour h (since 1970). */
static unsigned fwd_at(fixture *f, const ferry_batch_policy *p, uint64_t h)
{
	char t[32];
	snprintf(t, sizeof t, "%llu", (unsigned long long)(h * 3600 + 1800));
	setenv("FERRY_TEST_NOW", t, 1);
	unsigned n = fwd(f, p);
	unsetenv("FERRY_TEST_NOW");
	return n;
}

/* Cover at the desk's rate (cover_hours 3 in this credential): a batch
 * of chaff only when nothing is released and no batch left in the last
 * three hours, real batches counted. */
static void cover_sends_chaff_only(void **state)
{
	fixture *f = *state;
	ferry_spool_status st;
	ferry_err e;
	const ferry_batch_policy p = {5, 24, 0, 1};
	const uint64_t h = ferry_now() / 3600;
	only_small_chaff(f);
	assert_int_equal(fwd_at(f, &p, h), 4);
	/* Within the desk's interval, no second cover. */
	assert_int_equal(fwd_at(f, &p, h + 2), 0);
	/* Two held: still a cover batch once the interval is over, and the
	 * two stay. */
	accept_file(f, 1);
	accept_file(f, 2);
	assert_int_equal(fwd_at(f, &p, h + 3), 4);
	assert_int_equal(t_count(f->fwd), 8);
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.waiting, 2);
	/* Without --cover nothing is sent. */
	const ferry_batch_policy quiet = {5, 24, 0, 0};
	assert_int_equal(fwd_at(f, &quiet, h + 9), 0);
	assert_int_equal(t_count(f->fwd), 8);
	/* A real batch counts: no cover in the three hours after it. */
	const ferry_batch_policy real = {2, 24, 0, 1};
	assert_int_equal(fwd_at(f, &real, h + 10), 4);
	assert_int_equal(fwd_at(f, &p, h + 12), 0);
	assert_int_equal(fwd_at(f, &p, h + 13), 4);
}

/* The first name in dir (a bundle's), into out. */
static void first_name(const char *dir, char *out, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	out[0] = '\0';
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(out, cap, "%.*s", (int)(cap - 1), de->d_name);
			break;
		}
	closedir(d);
}

/* 1 when some file of dir holds exactly the n bytes at p. */
static int dir_holds(const char *dir, const uint8_t *p, size_t n)
{
	char path[700];
	int found = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (!found && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		FILE *fp = fopen(path, "rb");
		uint8_t *b = malloc(n + 1);
		found = fp && fread(b, 1, n + 1, fp) == n && memcmp(b, p, n) == 0;
		free(b);
		if (fp)
			fclose(fp);
	}
	closedir(d);
	return found;
}

/* A crash while a batch was built: the next forward finishes it (its
 * real bundles wrapped once, its chaff topped up) and sends it; one
 * whose wrapped copy was already written leaves as those very bytes,
 * never wrapped again. A crash while it was sent: it is finished. */
static void crash_while_building_finishes_the_batch(void **state)
{
	fixture *f = *state;
	char a[700], b[700], name[64], newdir[300], wrapping[300], wrapped[300];
	ferry_spool_status st;
	ferry_err e;
	snprintf(newdir, sizeof newdir, "%s/new", f->spool);
	snprintf(wrapping, sizeof wrapping, "%s/wrapping", f->spool);
	snprintf(wrapped, sizeof wrapped, "%s/wrapped", f->spool);
	accept_file(f, 1);
	accept_file(f, 2);
	accept_file(f, 3);
	assert_int_equal(mkdir(wrapping, 0700), 0);
	assert_int_equal(mkdir(wrapped, 0700), 0);
	/* One chosen and not wrapped yet. */
	first_name(newdir, name, sizeof name);
	snprintf(a, sizeof a, "%s/%s", newdir, name);
	snprintf(b, sizeof b, "%s/%s", wrapping, name);
	assert_int_equal(rename(a, b), 0);
	/* One chosen and wrapped, its input not yet removed: its wrapped
	 * bytes are what must leave. */
	first_name(newdir, name, sizeof name);
	snprintf(a, sizeof a, "%s/%s", newdir, name);
	snprintf(b, sizeof b, "%s/%s", wrapping, name);
	assert_int_equal(rename(a, b), 0);
	snprintf(a, sizeof a, "%s/%s", wrapped, name);
	assert_int_equal(ferry_spool_rewrap(f->s, b, a, &e), 0);
	size_t wn = 0;
	uint8_t *w = t_read(a, &wn);
	assert_non_null(w);
	assert_int_equal(ferry_spool_stat(f->s, &st, &e), 0);
	assert_int_equal(st.waiting, 1);
	assert_int_equal(st.sending, 3);
	const ferry_batch_policy p = {5, 24, 0, 0};
	assert_int_equal(fwd(f, &p), 4); /* two real, two chaff */
	assert_true(dir_holds(f->fwd, w, wn));
	assert_int_equal(t_count(wrapping), 0);
	assert_int_equal(t_count(wrapped), 0);
	assert_int_equal(t_count(newdir), 1); /* the third waits */
	free(w);
	/* A file where a folder should be: refused, nothing moved. */
	rmdir(wrapped);
	t_write(wrapped, "x", 1);
	first_name(newdir, name, sizeof name);
	snprintf(a, sizeof a, "%s/%s", newdir, name);
	snprintf(b, sizeof b, "%s/%s", wrapping, name);
	assert_int_equal(rename(a, b), 0);
	ferry_forward_result r;
	assert_int_equal(ferry_spool_forward(f->s, f->fwd, &ALL_NOW, &r, &e),
	                 FERRY_EOP);
	assert_int_equal(t_count(wrapping), 1);
	assert_int_equal(t_count(f->fwd), 4);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	crypto_sign_keypair(id_pk, id_sk);
	crypto_box_keypair(spk_pk, spk_sk);
	memcpy(cred.identity_pk, id_pk, 32);
	crypto_box_keypair(cred.relay.pk[0], cred.relay.sk[0]);
	cred.relay.n = 1;
	uint8_t wrap_sk[32];
	crypto_box_keypair(cred.wrap_pk, wrap_sk);
	cred.cover_hours = 3;
	ferry_chaff_weights_default(cred.chaff_weight);
	uint8_t chaff_sk[32];
	crypto_box_keypair(cred.chaff_pk, chaff_sk);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(accept_dedupe_forward, setup, teardown),
	    cmocka_unit_test_setup_teardown(crash_during_forward_is_finished, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(relay_tamper_sweep, setup, teardown),
	    cmocka_unit_test_setup_teardown(memory_expires, setup, teardown),
	    cmocka_unit_test_setup_teardown(chaff_follows_the_credential, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(chaff_is_a_checked_bundle, setup, teardown),
	    cmocka_unit_test(batch_classes),
	    cmocka_unit_test_setup_teardown(min_batch_holds_then_releases_a_class,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(max_wait_releases_a_short_batch, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(cover_sends_chaff_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(crash_while_building_finishes_the_batch,
	                                    setup, teardown),
	};
	return cmocka_run_group_tests_name("relay spool", tests, NULL, NULL);
}
