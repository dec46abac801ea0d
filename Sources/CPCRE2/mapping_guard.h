#ifndef CPCRE2_MAPPING_GUARD_H
#define CPCRE2_MAPPING_GUARD_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/// The SIGBUS guard of `LogParse`'s mapped reads (`FileWindow`); not PCRE2, but this module is the
/// project's one C module.
///
/// A log read through a memory mapping raises SIGBUS when the file is truncated under it (log
/// rotation with `copytruncate` does that to a live log). The reader registers each mapping
/// here; on SIGBUS inside a registered one, the handler maps a page of zeros over the missing
/// page and marks the slot, so the read goes on and the reader, told by the mark or by the
/// file's size, ends the input where the file now ends. A SIGBUS anywhere else goes to the
/// handler that was installed before.
#define CPCRE2_GUARD_SLOTS 64

typedef struct {
  _Atomic(uintptr_t) lower[CPCRE2_GUARD_SLOTS];  ///< 0: free; UINTPTR_MAX: being filled
  _Atomic(uintptr_t) upper[CPCRE2_GUARD_SLOTS];
  _Atomic(int) faulted[CPCRE2_GUARD_SLOTS];
  _Atomic(int) state;  ///< 0: not installed, 1: installing, 2: installed, 3: failed
  uintptr_t page_size;
  struct sigaction previous;
} cpcre2_guard_table;

/// The one table (a function's static: Swift does not emit a header's static variables). Only
/// `FileWindow.swift` calls these functions, so one copy of it exists in the program.
static inline cpcre2_guard_table *cpcre2_guard(void) {
  static cpcre2_guard_table table;
  return &table;
}

static void cpcre2_guard_handler(int number, siginfo_t *info, void *context) {
  cpcre2_guard_table *table = cpcre2_guard();
  uintptr_t address = (uintptr_t)info->si_addr;
  for (int slot = 0; slot < CPCRE2_GUARD_SLOTS; slot++) {
    uintptr_t lower = atomic_load(&table->lower[slot]);
    if (lower == 0 || address < lower || address >= atomic_load(&table->upper[slot])) continue;
    // The slot may have been released and taken again between the two loads.
    if (atomic_load(&table->lower[slot]) != lower) continue;
    // mmap is a plain system call here, safe in a handler in practice (not listed by POSIX).
    void *page = (void *)(address & ~(table->page_size - 1));
    if (mmap(page, table->page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      atomic_store(&table->faulted[slot], 1);
      return;
    }
  }
  if ((table->previous.sa_flags & SA_SIGINFO) && table->previous.sa_sigaction) {
    table->previous.sa_sigaction(number, info, context);
  } else if (table->previous.sa_handler != SIG_DFL && table->previous.sa_handler != SIG_IGN) {
    table->previous.sa_handler(number);
  } else {
    // The default action, for a fault (the access would fault again) and for `kill -BUS` alike.
    signal(SIGBUS, SIG_DFL);
    raise(SIGBUS);
  }
}

/// Installs the handler once per process; false when it could not be (map nothing then).
static inline bool cpcre2_guard_install(void) {
  cpcre2_guard_table *table = cpcre2_guard();
  int expected = 0;
  if (atomic_compare_exchange_strong(&table->state, &expected, 1)) {
    table->page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = cpcre2_guard_handler;
    action.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    bool installed = sigaction(SIGBUS, &action, &table->previous) == 0;
    atomic_store(&table->state, installed ? 2 : 3);
  }
  while (atomic_load(&table->state) == 1) {}
  return atomic_load(&table->state) == 2;
}

/// Registers `[base, base + length)`; returns the slot, or -1 when all slots are taken.
static inline int cpcre2_guard_register(const void *base, size_t length) {
  cpcre2_guard_table *table = cpcre2_guard();
  for (int slot = 0; slot < CPCRE2_GUARD_SLOTS; slot++) {
    uintptr_t expected = 0;
    // Claimed with a lower bound above every address (the handler skips the slot), filled, then
    // opened with the real lower bound.
    if (!atomic_compare_exchange_strong(&table->lower[slot], &expected, UINTPTR_MAX)) continue;
    atomic_store(&table->faulted[slot], 0);
    atomic_store(&table->upper[slot], (uintptr_t)base + length);
    atomic_store(&table->lower[slot], (uintptr_t)base);
    return slot;
  }
  return -1;
}

/// Whether a page of the slot's mapping was missing (the file shrank) since it was registered.
static inline bool cpcre2_guard_faulted_in(int slot) { return atomic_load(&cpcre2_guard()->faulted[slot]) != 0; }

/// Forgets that the slot's mapping faulted (its reader has dealt with it).
static inline void cpcre2_guard_clear(int slot) { atomic_store(&cpcre2_guard()->faulted[slot], 0); }

static inline void cpcre2_guard_release(int slot) { atomic_store(&cpcre2_guard()->lower[slot], 0); }

#endif
