#include "t.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/fileio.h"

char *t_mkdtemp(void)
{
	struct stat st;
	const char *base = stat("/dev/shm", &st) == 0 && access("/dev/shm", W_OK) == 0
	                       ? "/dev/shm"
	                       : "/tmp";
	char *p = malloc(64);
	snprintf(p, 64, "%s/ferry-test-XXXXXX", base);
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

void t_rmdir(const char *dir)
{
	if (ferry_remove_tree(dir) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
}

int t_write(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int rc = fwrite(p, 1, n, f) == n ? 0 : -1;
	return fclose(f) == 0 ? rc : -1;
}

uint8_t *t_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long l = ftell(f);
	fseek(f, 0, SEEK_SET);
	/* One byte more, a NUL, so a text file can be searched as a string. */
	uint8_t *b = l < 0 ? NULL : malloc((size_t)l + 1);
	*n = b ? fread(b, 1, (size_t)l, f) : 0;
	fclose(f);
	if (b)
		b[*n] = '\0';
	return b;
}

int t_count(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

int t_opener_try(ferry_opener *o, const uint8_t *prefix, uint64_t len,
                 const uint8_t sk[32], const uint8_t pk[32])
{
	ferry_peeled pl;
	ferry_peeled_none(&pl, prefix);
	return ferry_opener_try(o, &pl, len, sk, pk);
}
