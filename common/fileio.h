/* File helpers shared by the three programs' libraries: atomic writes
 * (temp file, fsync, rename, fsync of the folder), bounded reads, and
 * random file names. Errors are returned, never printed. */
#ifndef FERRY_FILEIO_H
#define FERRY_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define FERRY_PATH_MAX 4096

/* A path from a format into out; -1 (out empty, errno ENAMETOOLONG, so
 * a caller that reports errno names the cause) when it does not fit.
 * Every path ferry builds goes through this or ferry_path_join. */
__attribute__((format(printf, 3, 4))) int
ferry_path_fmt(char *out, size_t cap, const char *fmt, ...) FERRY_WUR;
/* a + "/" + b into out; -1 (out empty, errno ENAMETOOLONG) when it does
 * not fit. */
int ferry_path_join(char *out, size_t cap, const char *a, const char *b) FERRY_WUR;

int ferry_write_all(int fd, const uint8_t *p, size_t n) FERRY_WUR;
/* Reads up to n bytes, retrying short reads; returns bytes read or -1. */
ssize_t ferry_read_full(int fd, uint8_t *p, size_t n);
int ferry_fsync_dir(const char *dir) FERRY_WUR;
/* For a file being written in one pass: once 8 MiB more than *flushed
 * are written, starts writing them to disk without waiting, so the disk
 * works while the writer computes and the final fsync waits only for the
 * tail. Advice only: fsync still decides. */
void ferry_start_writeback(int fd, uint64_t *flushed, uint64_t written);
/* The folder part of path ("." when none) into out. */
void ferry_dirname(char *out, size_t cap, const char *path);
/* The name after path's last '/' (all of path when it has none). */
const char *ferry_basename(const char *path);
/* 1 when path is root or inside it; both must be resolved (realpath). */
int ferry_path_within(const char *path, const char *root);
/* n random characters of lower-case base32 and a NUL into out. */
void ferry_random_name(char *out, size_t n);

/* Opens a new temp file in dir (O_EXCL, mode, named .tmp-RANDOM, locked
 * for as long as it is open) and returns its fd; its path goes into
 * tmp_path. */
int ferry_tmp_open(const char *dir, mode_t mode, char *tmp_path, size_t cap);
/* fsync + close fd, rename tmp_path to final_path, fsync the folder.
 * With no_replace, fails if final_path exists. On failure the temp file
 * is removed. */
int ferry_tmp_commit(int fd, const char *tmp_path, const char *final_path,
                     int no_replace) FERRY_WUR;
void ferry_tmp_abort(int fd, const char *tmp_path);
/* Removes the temp files in dir that no live process holds (left by a
 * crash, a kill or a full disk); returns how many. */
unsigned ferry_tmp_sweep(const char *dir);

/* Atomically replaces path with data. */
int ferry_atomic_write(const char *path, const uint8_t *data, size_t len, mode_t mode,
                       int no_replace) FERRY_WUR;
/* Atomically writes data as the new file path, never replacing one:
 * FERRY_EOP with "cannot write 'path': it already exists" (or why not). */
int ferry_write_new(const char *path, const uint8_t *data, size_t len, mode_t mode,
                    ferry_err *e) FERRY_WUR;
/* Opens an input that must be a regular file (empty allowed), without
 * blocking on a FIFO or device; st gets what the descriptor names. */
struct stat;
int ferry_open_input(const char *path, const char *what, struct stat *st,
                     ferry_err *e) FERRY_WUR;
/* Opens an input that must be a regular, non-empty file, without
 * blocking on a FIFO or device. what names it in the message ("page",
 * "attachment"): "page 'x.jpg': is a folder, not a file". */
int ferry_open_regular(const char *path, const char *what, ferry_err *e) FERRY_WUR;
/* Reads a whole regular file of at most max bytes into a malloc'd
 * buffer (NUL-terminated). what names it in the message: "cannot read
 * the pack 'p': is too large". */
int ferry_read_file(const char *path, size_t max, uint8_t **data, size_t *len,
                    const char *what, ferry_err *e) FERRY_WUR;
/* Like ferry_read_file into sodium_malloc memory (for secrets). */
int ferry_read_secret_file(const char *path, size_t max, uint8_t **data, size_t *len,
                           const char *what, ferry_err *e) FERRY_WUR;
/* mkdir with mode; 0 if it was created or is already a folder. */
int ferry_mkdir(const char *path, mode_t mode) FERRY_WUR;
/* ferry_mkdir that sets *made to 1 when this call made the folder, so a
 * command that fails later removes what it made and only that. */
int ferry_mkdir_made(const char *path, mode_t mode, int *made) FERRY_WUR;
/* Moves a file: rename, or copy + fsync + unlink across file systems.
 * Never leaves a partial file at dst; src is removed only after dst is
 * durable. */
int ferry_move_file(const char *src, const char *dst) FERRY_WUR;
/* Copies a file durably to dst (must not exist), through a temp file in
 * dst's folder. With stamp, the copy's access and modification times are
 * set to it. */
struct timespec;
int ferry_copy_file(const char *src, const char *dst,
                    const struct timespec *stamp) FERRY_WUR;
/* Renames the folder src to dst only if nothing is at dst (EEXIST
 * otherwise): renameat2(RENAME_NOREPLACE), or on a file system without
 * it an exclusive mkdir of dst renamed over. Never replaces anything. */
int ferry_rename_noreplace(const char *src, const char *dst) FERRY_WUR;
/* Removes a folder tree (regular files and folders only). */
int ferry_remove_tree(const char *path);

#endif
