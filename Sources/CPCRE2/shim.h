#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/// PCRE2_UNSET is ~(PCRE2_SIZE)0, which Swift imports as an overflowing literal.
static inline bool cpcre2_is_unset(PCRE2_SIZE value) { return value == PCRE2_UNSET; }

/// Glibc's Swift module is built without _GNU_SOURCE, so memrchr and memmem are not visible.
void *memrchr(const void *s, int c, size_t n);
void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

static inline const void *cpcre2_memrchr(const void *s, int c, size_t n) { return memrchr(s, c, n); }
static inline const void *cpcre2_memmem(const void *h, size_t hn, const void *n, size_t nn) {
  return memmem(h, hn, n, nn);
}

/// glibc's mallopt(M_MMAP_THRESHOLD, …); malloc.h is not part of Glibc's Swift module.
#if defined(__GLIBC__)
#include <malloc.h>
static inline int cpcre2_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
#else
static inline int cpcre2_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
#endif

#endif
