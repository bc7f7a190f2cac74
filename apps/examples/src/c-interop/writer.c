/* The C writer: creates the segment exactly as TypeScript's Reading.create() would (typed-segment header, then
 * the struct at READING_DATA_OFFSET), initialises the process-shared robust mutex, and fills the struct while
 * holding it. TypeScript's Reading.open() then checks the header and reads it with the generated accessors.
 *   writer <segment> <sensor> <celsius>
 */
#define _GNU_SOURCE
#include "reading.generated.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *call, const char *name, int err) {
  fprintf(stderr, "c-writer: %s(%s): %s\n", call, name, strerror(err));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <segment> <sensor> <celsius>\n", argv[0]);
    return 2;
  }
  const char *name = argv[1];
  const size_t size = READING_DATA_OFFSET + sizeof(Reading);

  /* seed 004: shm_open(O_CREAT | O_EXCL) -> ftruncate -> mmap(MAP_SHARED); the fd is not needed after mmap. */
  int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return fail("shm_open", name, errno);
  if (ftruncate(fd, (off_t)size) != 0) {
    int err = errno;
    close(fd);
    shm_unlink(name);
    return fail("ftruncate", name, err);
  }
  void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (base == MAP_FAILED) {
    int err = errno;
    shm_unlink(name);
    return fail("mmap", name, err);
  }
  shmkit_segment_header *hdr = base;
  Reading *r = (Reading *)((char *)base + READING_DATA_OFFSET);

  /* Claim the initialisation (ready 0 -> 1), as ReadyWord.initOnce does: openers wait until it is 2. */
  uint32_t expected = 0;
  if (!atomic_compare_exchange_strong(&hdr->ready, &expected, 1)) {
    fprintf(stderr, "c-writer: %s is being initialised by someone else\n", name);
    return 1;
  }

  /* seed 000: a mutex other processes can lock; robust, so that a holder's death is reported, not a hang. Only
   * where the kernel keeps robust futex lists, as shmkit does (Mutex.robustSupported): qemu-user keeps none, and
   * a robust mutex there would never be recovered, so shmkit refuses to attach to one. */
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  void *head;
  size_t head_size;
  if (syscall(SYS_get_robust_list, 0, &head, &head_size) == 0)
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  int rc = pthread_mutex_init(&r->mutex, &attr);
  pthread_mutexattr_destroy(&attr);
  if (rc != 0) return fail("pthread_mutex_init", name, rc);

  rc = pthread_mutex_lock(&r->mutex);
  if (rc != 0) return fail("pthread_mutex_lock", name, rc);
  double celsius = strtod(argv[3], NULL);
  r->seq += 1;
  r->writer_pid = (int32_t)getpid();
  snprintf(r->sensor, sizeof r->sensor, "%s", argv[2]); /* truncates and always NUL-terminates */
  r->celsius = celsius;
  for (int i = 0; i < 5; i++) r->samples[i] = (int16_t)(celsius * 10 + i);
  r->unit = UNIT_CELSIUS;
  pthread_mutex_unlock(&r->mutex);

  /* The header says what the segment holds; Reading.open() refuses any other struct or layout. */
  reading_describe_header(hdr); /* version, data offset and size, fingerprint, name, target, field table */
  hdr->magic = SHMKIT_MAGIC;
  /* Publish: store "ready" last (seq_cst), then wake openers sleeping on the word in any process. */
  atomic_store(&hdr->ready, SHMKIT_READY);
  syscall(SYS_futex, &hdr->ready, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);

  printf("c-writer: wrote Reading #%u to %s: sensor \"%s\", %.1f C\n", r->seq, name, r->sensor, r->celsius);
  munmap(base, size);
  return 0;
}
