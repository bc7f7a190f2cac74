/* The C reader: opens a segment that TypeScript's Reading.create() made, checks its typed-segment header the
 * way Reading.open() does, then reads the struct holding the process-shared mutex.
 *   reader <segment>
 */
#define _GNU_SOURCE
#include "reading.generated.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *call, const char *name, int err) {
  fprintf(stderr, "c-reader: %s(%s): %s\n", call, name, strerror(err));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <segment>\n", argv[0]);
    return 2;
  }
  const char *name = argv[1];
  /* O_RDWR, not O_RDONLY: locking the mutex writes to it. */
  int fd = shm_open(name, O_RDWR, 0);
  if (fd < 0) return fail("shm_open", name, errno);
  struct stat st;
  if (fstat(fd, &st) != 0) return fail("fstat", name, errno);
  size_t size = (size_t)st.st_size;
  if (size < sizeof(shmkit_segment_header)) {
    fprintf(stderr, "c-reader: %s has %zu bytes, too small for a typed-segment header\n", name, size);
    return 1;
  }
  void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (base == MAP_FAILED) return fail("mmap", name, errno);
  shmkit_segment_header *hdr = base;

  /* Wait (up to 5 s) until the creator marked it ready: FUTEX_WAIT sleeps while the word is unchanged. */
  for (int i = 0; i < 50 && atomic_load(&hdr->ready) != SHMKIT_READY; i++) {
    struct timespec tick = {0, 100 * 1000 * 1000};
    syscall(SYS_futex, &hdr->ready, FUTEX_WAIT, atomic_load(&hdr->ready), &tick, NULL, 0);
  }
  if (atomic_load(&hdr->ready) != SHMKIT_READY) {
    fprintf(stderr, "c-reader: %s is not ready after 5 s\n", name);
    return 1;
  }
  /* Check what the segment holds before touching a field: never trust bytes in shared memory. */
  if (hdr->magic != SHMKIT_MAGIC || hdr->version != SHMKIT_FORMAT_VERSION) {
    fprintf(stderr, "c-reader: %s is not a shmkit typed segment of format %d\n", name, SHMKIT_FORMAT_VERSION);
    return 1;
  }
  if (strncmp(hdr->fingerprint, READING_FINGERPRINT, sizeof hdr->fingerprint) != 0) {
    fprintf(stderr,
            "c-reader: %s holds struct %.64s laid out for %.32s (fingerprint %.64s), not Reading as laid out for %s (%s); "
            "regenerate both sides from one schema\n",
            name, hdr->struct_name, hdr->target, hdr->fingerprint, READING_TARGET, READING_FINGERPRINT);
    return 1;
  }
  if (hdr->data_offset != READING_DATA_OFFSET || hdr->data_size != sizeof(Reading) ||
      size < READING_DATA_OFFSET + sizeof(Reading)) {
    fprintf(stderr, "c-reader: %s has a corrupt header\n", name);
    return 1;
  }
  Reading *r = (Reading *)((char *)base + hdr->data_offset);

  int rc = pthread_mutex_lock(&r->mutex);
  if (rc == EOWNERDEAD) {
    /* A writer died holding it: the fields may be half-written. This reader only reads, so it says so. */
    fprintf(stderr, "c-reader: the last writer died mid-update; the values may be inconsistent\n");
    pthread_mutex_consistent(&r->mutex);
  } else if (rc != 0) {
    return fail("pthread_mutex_lock", name, rc);
  }
  Reading copy;
  memcpy(&copy, r, sizeof copy); /* copy under the lock, print after it: hold locks briefly */
  pthread_mutex_unlock(&r->mutex);

  printf("c-reader: Reading #%u from pid %d: sensor \"%.16s\", %.1f %s, samples %d %d %d %d %d\n", copy.seq,
         copy.writer_pid, copy.sensor, copy.celsius, copy.unit == UNIT_CELSIUS ? "C" : "K", copy.samples[0],
         copy.samples[1], copy.samples[2], copy.samples[3], copy.samples[4]);
  munmap(base, size);
  return 0;
}
