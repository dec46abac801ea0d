#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

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

#include "mapping_guard.h"

// MARK: - Anchor sweep
/// How far ahead of the sweep the vector loops prefetch. The sweep is the first pass over a chunk,
/// so it waits for memory (with a mapped file, for the page cache in DRAM), and the hardware
/// prefetcher stops at each 4 KiB page; 2 KiB ahead took the sweep from 15 % to 9 % of `series`'
/// samples and the whole run from ~1.00 to ~0.95 CPU s per GiB (8 KiB measured the same; 512
/// bytes helped less). Prefetching past the end of the data or of the mapping is harmless: a
/// prefetch never faults.
#define CPCRE2_PREFETCH_DISTANCE 2048


/// A multi-literal search in the manner of Hyperscan's Teddy (our own code): every literal has a
/// three-byte fingerprint (at `fingerprint_at` inside it; wildcard bytes past a shorter literal's
/// end) and one of eight buckets. At each position, the low and high nibbles of the three window
/// bytes index six 16-byte masks whose AND leaves the buckets whose literals may have their
/// fingerprint there; those literals are then compared in full. 64 positions per step with
/// AVX-512BW, 32 with AVX2, when the CPU has them; one per step with the same masks otherwise.
typedef struct {
  /// masks[2k] and masks[2k + 1]: bucket bits by the low and the high nibble of window byte k.
  uint8_t masks[6][16];
  uint32_t literal_count;
  /// Literals sorted by bucket: bucket b holds literals bucket_start[b] ..< bucket_start[b + 1].
  uint16_t bucket_start[9];
  const uint8_t *bytes;           ///< all literals, concatenated (caseless ones in lower case)
  const uint32_t *start;          ///< literal i is bytes[start[i] ..< start[i] + length[i]]
  const uint16_t *length;
  const uint16_t *fingerprint_at;
  const uint8_t *caseless;        ///< 1: ASCII letters match either case
  const uint16_t *id;             ///< the caller's number for literal i
  /// Up to four literal bytes from the fingerprint on, little-endian, for a quick check before the
  /// full comparison: (window | fold) & mask == word. `fold` sets 0x20 on a caseless letter's byte.
  const uint32_t *word;
  const uint32_t *mask;
  const uint32_t *fold;
} cpcre2_anchor_program;

static inline bool cpcre2_anchor_equal(const uint8_t *text, const uint8_t *literal, size_t length, bool caseless) {
  if (!caseless) return memcmp(text, literal, length) == 0;
  for (size_t i = 0; i < length; i++) {
    uint8_t byte = text[i];
    if (byte >= 'A' && byte <= 'Z') byte |= 0x20;
    if (byte != literal[i]) return false;
  }
  return true;
}

/// What a sweep notes besides its hits, carried across resumed calls: the first NUL byte (binary
/// data), and the `\n` bytes before each hit and before the resume position, so that the
/// scanner need not count a chunk's newlines in a pass of its own.
typedef struct {
  size_t first_nul;        ///< SIZE_MAX while none was seen
  size_t newlines;         ///< '\n' bytes in data[0 ..< the position reached]
  size_t *hit_newlines;    ///< parallel to the hits: '\n' bytes before each hit
} cpcre2_anchor_state;

/// Compares the literals of `buckets` whose fingerprint would sit at `position`; appends
/// `start << 16 | id` for each one found, and `newlines` (the '\n' bytes before `position`,
/// which are those before `start`: no literal holds a '\n') beside it.
static inline size_t cpcre2_anchor_verify(const cpcre2_anchor_program *program, const uint8_t *data, size_t length,
                                          size_t position, unsigned buckets, uint64_t *hits, size_t count,
                                          size_t *hit_newlines, size_t newlines) {
  uint32_t window = 0;
  if (position + 4 <= length) {
    memcpy(&window, data + position, 4);
  } else {
    for (size_t k = 0; position + k < length; k++) window |= (uint32_t)data[position + k] << (8 * k);
  }
  while (buckets) {
    unsigned bucket = (unsigned)__builtin_ctz(buckets);
    buckets &= buckets - 1;
    for (unsigned i = program->bucket_start[bucket]; i < program->bucket_start[bucket + 1]; i++) {
      if (((window | program->fold[i]) & program->mask[i]) != program->word[i]) continue;
      size_t back = program->fingerprint_at[i];
      if (position < back) continue;
      size_t start = position - back;
      if (start + program->length[i] > length) continue;
      if (cpcre2_anchor_equal(data + start, program->bytes + program->start[i], program->length[i],
                              program->caseless[i])) {
        hit_newlines[count] = newlines;
        hits[count++] = ((uint64_t)start << 16) | program->id[i];
      }
    }
  }
  return count;
}

#if defined(__x86_64__)
#include <immintrin.h>

/// 32 positions per step while all three loads stay inside `data` and the hits of a full step fit.
__attribute__((target("avx2,popcnt"))) static inline size_t cpcre2_anchor_scan_avx2(
    const cpcre2_anchor_program *program, const uint8_t *data, size_t length, size_t *position, uint64_t *hits,
    size_t count, size_t capacity, size_t room, cpcre2_anchor_state *state) {
  // Six named masks, the three window bytes unrolled: kept in registers (a loop over an array of
  // masks reloaded them from the stack, twice the instructions per block).
  const __m256i low0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)program->masks[0]));
  const __m256i high0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)program->masks[1]));
  const __m256i low1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)program->masks[2]));
  const __m256i high1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)program->masks[3]));
  const __m256i low2 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)program->masks[4]));
  const __m256i high2 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)program->masks[5]));
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i newline = _mm256_set1_epi8('\n');
  size_t newlines = state->newlines;
  size_t at = *position;
  while (at + 34 <= length && count + room <= capacity) {
    __builtin_prefetch(data + at + CPCRE2_PREFETCH_DISTANCE);
    __m256i block0 = _mm256_loadu_si256((const __m256i *)(data + at));
    __m256i block1 = _mm256_loadu_si256((const __m256i *)(data + at + 1));
    __m256i block2 = _mm256_loadu_si256((const __m256i *)(data + at + 2));
    __m256i result = _mm256_and_si256(
        _mm256_shuffle_epi8(low0, _mm256_and_si256(block0, nibble)),
        _mm256_shuffle_epi8(high0, _mm256_and_si256(_mm256_srli_epi16(block0, 4), nibble)));
    result = _mm256_and_si256(result, _mm256_shuffle_epi8(low1, _mm256_and_si256(block1, nibble)));
    result = _mm256_and_si256(
        result, _mm256_shuffle_epi8(high1, _mm256_and_si256(_mm256_srli_epi16(block1, 4), nibble)));
    result = _mm256_and_si256(result, _mm256_shuffle_epi8(low2, _mm256_and_si256(block2, nibble)));
    result = _mm256_and_si256(
        result, _mm256_shuffle_epi8(high2, _mm256_and_si256(_mm256_srli_epi16(block2, 4), nibble)));
    unsigned found = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(result, zero));
    unsigned nul = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(block0, zero));
    if (nul && state->first_nul == SIZE_MAX) state->first_nul = at + (size_t)__builtin_ctz(nul);
    unsigned breaks = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(block0, newline));
    if (found) {
      uint8_t bits[32];
      _mm256_storeu_si256((__m256i *)bits, result);
      while (found) {
        unsigned lane = (unsigned)__builtin_ctz(found);
        found &= found - 1;
        size_t before = newlines + (size_t)__builtin_popcount(breaks & ((1u << lane) - 1));
        count = cpcre2_anchor_verify(program, data, length, at + lane, bits[lane], hits, count,
                                     state->hit_newlines, before);
      }
    }
    newlines += (size_t)__builtin_popcount(breaks);
    at += 32;
  }
  state->newlines = newlines;
  *position = at;
  return count;
}

/// 64 positions per step with AVX-512BW (the same filter as the AVX2 loop, twice as wide).
__attribute__((target("avx512f,avx512bw,popcnt"))) static inline size_t cpcre2_anchor_scan_avx512(
    const cpcre2_anchor_program *program, const uint8_t *data, size_t length, size_t *position, uint64_t *hits,
    size_t count, size_t capacity, size_t room, cpcre2_anchor_state *state) {
  const __m512i low0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)program->masks[0]));
  const __m512i high0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)program->masks[1]));
  const __m512i low1 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)program->masks[2]));
  const __m512i high1 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)program->masks[3]));
  const __m512i low2 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)program->masks[4]));
  const __m512i high2 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)program->masks[5]));
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  const __m512i newline = _mm512_set1_epi8('\n');
  size_t newlines = state->newlines;
  size_t at = *position;
  // A step can report 64 positions' hits: twice the room the caller reserves for 32.
  while (at + 66 <= length && count + 2 * room <= capacity) {
    __builtin_prefetch(data + at + CPCRE2_PREFETCH_DISTANCE);
    __m512i block0 = _mm512_loadu_si512((const void *)(data + at));
    __m512i block1 = _mm512_loadu_si512((const void *)(data + at + 1));
    __m512i block2 = _mm512_loadu_si512((const void *)(data + at + 2));
    __m512i result = _mm512_and_si512(
        _mm512_shuffle_epi8(low0, _mm512_and_si512(block0, nibble)),
        _mm512_shuffle_epi8(high0, _mm512_and_si512(_mm512_srli_epi16(block0, 4), nibble)));
    result = _mm512_and_si512(result, _mm512_shuffle_epi8(low1, _mm512_and_si512(block1, nibble)));
    result = _mm512_and_si512(
        result, _mm512_shuffle_epi8(high1, _mm512_and_si512(_mm512_srli_epi16(block1, 4), nibble)));
    result = _mm512_and_si512(result, _mm512_shuffle_epi8(low2, _mm512_and_si512(block2, nibble)));
    result = _mm512_and_si512(
        result, _mm512_shuffle_epi8(high2, _mm512_and_si512(_mm512_srli_epi16(block2, 4), nibble)));
    uint64_t found = _mm512_test_epi8_mask(result, result);
    uint64_t nul = _mm512_testn_epi8_mask(block0, block0);
    if (nul && state->first_nul == SIZE_MAX) state->first_nul = at + (size_t)__builtin_ctzll(nul);
    uint64_t breaks = _mm512_cmpeq_epi8_mask(block0, newline);
    if (found) {
      uint8_t bits[64];
      _mm512_storeu_si512((void *)bits, result);
      while (found) {
        unsigned lane = (unsigned)__builtin_ctzll(found);
        found &= found - 1;
        size_t before = newlines + (size_t)__builtin_popcountll(breaks & ((1ull << lane) - 1));
        count = cpcre2_anchor_verify(program, data, length, at + lane, bits[lane], hits, count,
                                     state->hit_newlines, before);
      }
    }
    newlines += (size_t)__builtin_popcountll(breaks);
    at += 64;
  }
  state->newlines = newlines;
  *position = at;
  return count;
}
#endif

/// Finds the literals of `program` whose fingerprint lies in `data[from ..< length]`, appending
/// `start << 16 | id` to `hits` in fingerprint order. Returns the number of hits and sets `*next`
/// to the position to resume from (`length` when done): the search stops while fewer than
/// `32 * literal_count` slots are free, so no hit is ever dropped.
///
/// It also keeps `state` (see ``cpcre2_anchor_state``): the binary-data check and the line
/// numbers need no pass of their own over bytes this one already loads (on a mapped file, the
/// first pass over a chunk is the one that waits for memory). `hit_newlines` has room for
/// `capacity` entries, like `hits`.
static inline size_t cpcre2_anchor_scan(const cpcre2_anchor_program *program, const uint8_t *data, size_t length,
                                        size_t from, uint64_t *hits, size_t capacity, size_t *next,
                                        bool allow_simd, cpcre2_anchor_state *state) {
  size_t count = 0;
  size_t room = 32 * (size_t)program->literal_count;
  size_t position = from;
#if defined(__x86_64__)
  if (allow_simd && __builtin_cpu_supports("avx512bw")) {
    count = cpcre2_anchor_scan_avx512(program, data, length, &position, hits, count, capacity, room, state);
  }
  if (allow_simd && __builtin_cpu_supports("avx2")) {
    count = cpcre2_anchor_scan_avx2(program, data, length, &position, hits, count, capacity, room, state);
  }
#else
  (void)allow_simd;
#endif
  while (position < length && count + room <= capacity) {
    size_t end = position + 32 < length ? position + 32 : length;
    for (; position < end; position++) {
      if (data[position] == 0 && state->first_nul == SIZE_MAX) state->first_nul = position;
      uint8_t window[3] = {0, 0, 0};  // zeros past the end: wildcard bytes still match there
      for (size_t k = 0; k < 3 && position + k < length; k++) window[k] = data[position + k];
      unsigned buckets = 0xFF;
      for (int k = 0; k < 3; k++) {
        buckets &= program->masks[2 * k][window[k] & 15] & program->masks[2 * k + 1][window[k] >> 4];
      }
      if (buckets) {
        count = cpcre2_anchor_verify(program, data, length, position, buckets, hits, count, state->hit_newlines,
                                     state->newlines);
      }
      if (data[position] == '\n') state->newlines++;
    }
  }
  *next = position;
  return count;
}

// MARK: - Newline count

/// The number of `\n` bytes in `data[0 ..< length]`, one scalar byte at a time (the tail and CPUs
/// without AVX2).
static inline size_t cpcre2_count_newlines_scalar(const uint8_t *data, size_t length) {
  size_t count = 0;
  for (size_t i = 0; i < length; i++) count += data[i] == '\n';
  return count;
}

#if defined(__x86_64__)
/// 32 bytes per compare: the compare's byte mask becomes a bit mask, and its population count is
/// the number of newlines. Four blocks per step keep four independent counts in flight.
__attribute__((target("avx2,popcnt"))) static inline size_t cpcre2_count_newlines_avx2(const uint8_t *data,
                                                                                       size_t length) {
  const __m256i newline = _mm256_set1_epi8('\n');
  size_t count = 0, at = 0;
  for (; at + 128 <= length; at += 128) {
    uint64_t a = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(data + at)), newline));
    uint64_t b = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(data + at + 32)), newline));
    uint64_t c = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(data + at + 64)), newline));
    uint64_t d = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(data + at + 96)), newline));
    count += (size_t)__builtin_popcountll(a | b << 32) + (size_t)__builtin_popcountll(c | d << 32);
  }
  for (; at + 32 <= length; at += 32) {
    uint32_t mask = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(data + at)), newline));
    count += (size_t)__builtin_popcount(mask);
  }
  if (at < length && length >= 32) {
    // The tail: the last 32 bytes once more, keeping only the bits of bytes not yet counted
    // (a byte loop over up to 31 bytes cost more than the whole block loop of a short range).
    uint32_t mask = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(data + length - 32)), newline));
    return count + (size_t)__builtin_popcount(mask >> (32 - (length - at)));
  }
  return count + cpcre2_count_newlines_scalar(data + at, length - at);
}

/// 64 bytes per compare, straight into a mask register, with AVX-512BW.
__attribute__((target("avx512f,avx512bw,popcnt"))) static inline size_t cpcre2_count_newlines_avx512(
    const uint8_t *data, size_t length) {
  const __m512i newline = _mm512_set1_epi8('\n');
  size_t count = 0, at = 0;
  for (; at + 128 <= length; at += 128) {
    uint64_t a = _mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(data + at)), newline);
    uint64_t b = _mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(data + at + 64)), newline);
    count += (size_t)__builtin_popcountll(a) + (size_t)__builtin_popcountll(b);
  }
  for (; at + 64 <= length; at += 64) {
    count += (size_t)__builtin_popcountll(
        _mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(data + at)), newline));
  }
  if (at < length) {
    // The tail with a masked load: bytes past `length` are neither read nor counted.
    __mmask64 tail = (~(uint64_t)0) >> (64 - (length - at));
    count += (size_t)__builtin_popcountll(
        _mm512_mask_cmpeq_epi8_mask(tail, _mm512_maskz_loadu_epi8(tail, data + at), newline));
  }
  return count;
}
#endif

/// The number of `\n` bytes in `data[0 ..< length]`, with the widest vectors the CPU has, up to
/// `widest` bytes (64: AVX-512BW, 32: AVX2, 0: none; tests compare the paths).
static inline size_t cpcre2_count_newlines(const uint8_t *data, size_t length, unsigned widest) {
#if defined(__x86_64__)
  if (length >= 32) {
    if (widest >= 64 && __builtin_cpu_supports("avx512bw")) return cpcre2_count_newlines_avx512(data, length);
    if (widest >= 32 && __builtin_cpu_supports("avx2")) return cpcre2_count_newlines_avx2(data, length);
  }
#else
  (void)widest;
#endif
  return cpcre2_count_newlines_scalar(data, length);
}

// MARK: - Python dict reprs

/// The index of the first byte at or after `from` that ends a bare dict value (`,` `}` space
/// `(`), or `length`. SSE2 (every x86-64) compares 16 bytes per step; a byte loop elsewhere and
/// for the tail.
static inline size_t cpcre2_dict_token_end(const uint8_t *data, size_t length, size_t from) {
  size_t at = from;
#if defined(__x86_64__)
  const __m128i comma = _mm_set1_epi8(','), close = _mm_set1_epi8('}');
  const __m128i space = _mm_set1_epi8(' '), open = _mm_set1_epi8('(');
  for (; at + 16 <= length; at += 16) {
    __m128i block = _mm_loadu_si128((const __m128i *)(data + at));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, comma), _mm_cmpeq_epi8(block, close)),
                               _mm_or_si128(_mm_cmpeq_epi8(block, space), _mm_cmpeq_epi8(block, open)));
    unsigned mask = (unsigned)_mm_movemask_epi8(hit);
    if (mask) return at + (size_t)__builtin_ctz(mask);
  }
#endif
  for (; at < length; at++) {
    uint8_t byte = data[at];
    if (byte == ',' || byte == '}' || byte == ' ' || byte == '(') return at;
  }
  return length;
}

/// The index of the first `quote` or backslash at or after `from`, or `length` (the end of a
/// quoted key or value, or an escape inside it).
static inline size_t cpcre2_dict_quote_end(const uint8_t *data, size_t length, size_t from, uint8_t quote) {
  size_t at = from;
#if defined(__x86_64__)
  const __m128i quotes = _mm_set1_epi8((char)quote), backslash = _mm_set1_epi8('\\');
  for (; at + 16 <= length; at += 16) {
    __m128i block = _mm_loadu_si128((const __m128i *)(data + at));
    unsigned mask = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(block, quotes), _mm_cmpeq_epi8(block, backslash)));
    if (mask) return at + (size_t)__builtin_ctz(mask);
  }
#endif
  for (; at < length; at++) {
    if (data[at] == quote || data[at] == '\\') return at;
  }
  return length;
}

#endif
