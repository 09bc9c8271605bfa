//  replay_main - runs a fuzz target over corpus files without libFuzzer
//
//  Builds where clang's libFuzzer is absent (and in every normal build) so the
//  corpus is replayed as a plain test: each file once through the target.
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bc_fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
s_run_file(const char *path)
{
    char *data = NULL;
    size_t size = 0;
    if (bc_fs_read(path, 64u << 20, &data, &size) != BC_OK) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *) data, size);
    free(data);
    return 0;
}

int
main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    size_t files = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "cannot open %s\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            files++;
            if (s_run_file(argv[i])) {
                return 1;
            }
            continue;
        }
        DIR *dir = opendir(argv[i]);
        struct dirent *e;
        while (dir && (e = readdir(dir))) {
            if (e->d_name[0] == '.') {
                continue;
            }
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            files++;
            if (s_run_file(path)) {
                closedir(dir);
                return 1;
            }
        }
        if (dir) {
            closedir(dir);
        }
    }
    printf("replayed %zu input(s)\n", files);
    return files ? 0 : 1;
}
