// A lock holder in C for the owner-death check: the same robust process-shared mutex, at offset 0 of the
// segment, that TypeScript initialised. It loops lock -> mark dirty -> work a random while -> unlock until it is
// SIGKILLed. Words at byte 128 as in layout.ts: [1] alive, [2] dirty, [3] plain counter.
// Usage: holder /segment-name
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 2) return 64;
  int fd = shm_open(argv[1], O_RDWR, 0);
  if (fd < 0) { perror("shm_open"); return 1; }
  char *base = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) { perror("mmap"); return 1; }
  pthread_mutex_t *mutex = (pthread_mutex_t *)base;
  int32_t *words = (int32_t *)(base + 128);
  srand((unsigned)getpid());
  for (;;) {
    int rc = pthread_mutex_lock(mutex);
    if (rc == EOWNERDEAD) {
      __atomic_store_n(&words[2], 0, __ATOMIC_SEQ_CST);
      pthread_mutex_consistent(mutex);
    } else if (rc != 0) {
      fprintf(stderr, "pthread_mutex_lock: %d\n", rc);
      return 2;
    }
    __atomic_store_n(&words[2], 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&words[1], 1, __ATOMIC_SEQ_CST);
    long long until = now_ns() + rand() % 2000000;
    while (now_ns() < until) words[3]++;
    __atomic_store_n(&words[2], 0, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(mutex);
  }
}
