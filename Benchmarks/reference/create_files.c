/* The floor for an e-mail batch's files: creates N files of SIZE bytes (open, write, close), in one folder or in
 * sub-folders of PER files, then flushes the file system (syncfs), and prints both times.
 *
 *   cc -O2 -o /tmp/create_files Benchmarks/reference/create_files.c
 *   /tmp/create_files /tmp/files-1m 1000000 3000 0      # one folder (what the e-mail batch does)
 *   /tmp/create_files /tmp/files-1m-b 1000000 3000 1000 # a sub-folder per thousand files
 *
 * Measured on the CI-sized machine (2 cores, ext4): a million 3 000-byte files in one folder 39 s, then 4 s of
 * flush; a sub-folder per thousand 76 s on a file system full of recently deleted inodes. On a fresh ext4 without
 * a journal: one folder 37.1 to 42.6 s (32.8 to 36.7 s of system time), a sub-folder per thousand 34.3 to 36.8 s
 * (29.7 to 31.7 s), then 5 to 6 s of flush. Two processes side by side, half a million files each in its own
 * folder: 38.7 and 39.2 s, then 6.1 to 6.6 s of flush (47.0 s of system time): no faster than one. Delete the
 * folder afterwards, and time nothing else on the same file system for ten minutes (see README, Performance). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s FOLDER COUNT SIZE PER (0: one folder)\n", argv[0]);
        return 64;
    }
    const char *root = argv[1];
    int count = atoi(argv[2]), size = atoi(argv[3]), per = atoi(argv[4]);
    char *data = malloc(size > 0 ? size : 1);
    memset(data, 'x', size > 0 ? size : 1);
    if (mkdir(root, 0755) != 0) { perror(root); return 1; }
    char path[4096];
    double start = now();
    for (int i = 0; i < count; i++) {
        if (per > 0 && i % per == 0) {
            snprintf(path, sizeof path, "%s/%05d", root, i / per);
            if (mkdir(path, 0755) != 0) { perror(path); return 1; }
        }
        if (per > 0) snprintf(path, sizeof path, "%s/%05d/%07d-CR-2026-%06d.eml", root, i / per, i, i);
        else snprintf(path, sizeof path, "%s/%07d-CR-2026-%06d.eml", root, i, i);
        int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, data, size) != size) { perror(path); return 1; }
        close(fd);
    }
    double created = now();
    int folder = open(root, O_RDONLY | O_DIRECTORY);
    syncfs(folder);
    close(folder);
    printf("%d files of %d bytes (%s): created in %.2f s, flushed in %.2f s\n", count, size,
           per > 0 ? "sub-folders" : "one folder", created - start, now() - created);
    return 0;
}
