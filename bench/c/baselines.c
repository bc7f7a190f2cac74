// C baselines for `bun run bench`, compiled by the bench itself with `cc -O2`.
//
//   baselines <mode> <cpu_parent> <cpu_child> <batches> <per_batch> [bytes]
//
// modes: spin | hybrid | futex | condvar   64-byte round trips between a parent and a forked child
//        ring                              one-way 64-byte messages through an SPSC ring (per_batch messages a batch)
//        memcpy                            copy <bytes> from private memory into a MAP_SHARED segment
//        mutex                             uncontended lock + unlock of a process-shared robust mutex
//        futex-wake                        FUTEX_WAKE (all) on a MAP_SHARED word that nobody waits on
// cpu -1 means unpinned. Prints one JSON line: {"samples":[ns per operation, one per batch]}.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define LINE 64
#define RING_SLOTS 1024
#define SPIN_BEFORE_SLEEP 4000

typedef struct {
  _Alignas(LINE) uint32_t seq; // the futex word: the sequence number of the last message written here
  uint32_t sleepers;           // > 0 while someone may be in FUTEX_WAIT on seq
  _Alignas(LINE) unsigned char payload[MSG];
} mailbox;

typedef struct {
  mailbox request, reply;
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  _Alignas(LINE) uint64_t head; // written by the producer only
  _Alignas(LINE) uint64_t tail; // written by the consumer only
  _Alignas(LINE) unsigned char slots[RING_SLOTS][MSG];
} shared;

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void pin(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) perror("sched_setaffinity");
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static long futex(uint32_t *word, int op, uint32_t value) {
  return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

// Waits until box->seq == want. spin: iterations before sleeping (-1: never sleep).
static void wait_seq(mailbox *box, uint32_t want, long spin) {
  for (long i = 0; spin < 0 || i < spin; i++) {
    if (__atomic_load_n(&box->seq, __ATOMIC_ACQUIRE) == want) return;
    cpu_relax();
  }
  for (;;) {
    uint32_t seen = __atomic_load_n(&box->seq, __ATOMIC_ACQUIRE);
    if (seen == want) return;
    // Dekker with post(): we announce ourselves (seq_cst), then re-read seq inside FUTEX_WAIT; the poster
    // writes seq (seq_cst), then reads sleepers. One of us sees the other, so no wake-up is lost.
    __atomic_add_fetch(&box->sleepers, 1, __ATOMIC_SEQ_CST);
    futex(&box->seq, FUTEX_WAIT, seen);
    __atomic_sub_fetch(&box->sleepers, 1, __ATOMIC_SEQ_CST);
  }
}

static void post(mailbox *box, uint32_t seq, long spin) {
  __atomic_store_n(&box->seq, seq, __ATOMIC_SEQ_CST);
  if (spin >= 0 && __atomic_load_n(&box->sleepers, __ATOMIC_SEQ_CST) > 0) futex(&box->seq, FUTEX_WAKE, 1);
}

static void round_trips(shared *s, const char *mode, int cpu_a, int cpu_b, int batches, int per_batch) {
  long spin = strcmp(mode, "spin") == 0 ? -1 : strcmp(mode, "hybrid") == 0 ? SPIN_BEFORE_SLEEP : 0;
  int condvar = strcmp(mode, "condvar") == 0;
  long total = (long)batches * per_batch;
  if (condvar) {
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->mutex, &ma);
    pthread_cond_init(&s->cond, &ca);
  }
  pid_t child = fork();
  if (child == 0) {
    pin(cpu_b);
    for (long i = 1; i <= total; i++) {
      uint32_t want = (uint32_t)i;
      if (condvar) {
        pthread_mutex_lock(&s->mutex);
        while (s->request.seq != want) pthread_cond_wait(&s->cond, &s->mutex);
        memcpy(s->reply.payload, s->request.payload, MSG);
        s->reply.seq = want;
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&s->mutex);
      } else {
        wait_seq(&s->request, want, spin);
        memcpy(s->reply.payload, s->request.payload, MSG);
        post(&s->reply, want, spin);
      }
    }
    _exit(0);
  }
  pin(cpu_a);
  unsigned char message[MSG], answer[MSG];
  memset(message, 0xab, MSG);
  printf("{\"samples\":[");
  long i = 0;
  for (int b = 0; b < batches; b++) {
    double start = now_ns();
    for (int k = 0; k < per_batch; k++) {
      uint32_t seq = (uint32_t)++i;
      message[0] = (unsigned char)seq;
      if (condvar) {
        pthread_mutex_lock(&s->mutex);
        memcpy(s->request.payload, message, MSG);
        s->request.seq = seq;
        pthread_cond_broadcast(&s->cond);
        while (s->reply.seq != seq) pthread_cond_wait(&s->cond, &s->mutex);
        memcpy(answer, s->reply.payload, MSG);
        pthread_mutex_unlock(&s->mutex);
      } else {
        memcpy(s->request.payload, message, MSG);
        post(&s->request, seq, spin);
        wait_seq(&s->reply, seq, spin);
        memcpy(answer, s->reply.payload, MSG);
      }
      if (answer[0] != message[0]) {
        fprintf(stderr, "reply mismatch at %ld\n", i);
        exit(1);
      }
    }
    printf("%s%.2f", b ? "," : "", (now_ns() - start) / per_batch);
  }
  printf("]}\n");
  waitpid(child, NULL, 0);
}

// Lamport SPSC ring with cached indices: each side reads the other's counter only when its cached copy says
// the ring is full (producer) or empty (consumer). The consumer publishes tail once per 64 messages.
static void ring(shared *s, int cpu_a, int cpu_b, int batches, int per_batch) {
  long total = (long)batches * per_batch;
  pid_t child = fork();
  if (child == 0) {
    pin(cpu_b);
    uint64_t tail = 0, head = 0, sum = 0;
    while (tail < (uint64_t)total) {
      if (tail == head) {
        while ((head = __atomic_load_n(&s->head, __ATOMIC_ACQUIRE)) == tail) cpu_relax();
      }
      uint64_t seq;
      memcpy(&seq, s->slots[tail % RING_SLOTS], sizeof seq);
      if (seq != tail) {
        fprintf(stderr, "ring: got %llu, want %llu\n", (unsigned long long)seq, (unsigned long long)tail);
        _exit(1);
      }
      sum += s->slots[tail % RING_SLOTS][MSG - 1];
      tail++;
      // Release in batches of 64, as shmkit's Receiver.drain does: one store (one cache-line transfer) per batch.
      if (tail % 64 == 0 || tail == head) __atomic_store_n(&s->tail, tail, __ATOMIC_RELEASE);
    }
    _exit(sum == 0 ? 0 : 0);
  }
  pin(cpu_a);
  unsigned char message[MSG];
  memset(message, 0x5a, MSG);
  uint64_t head = 0, tail = 0;
  printf("{\"samples\":[");
  for (int b = 0; b < batches; b++) {
    double start = now_ns();
    for (int k = 0; k < per_batch; k++) {
      if (head - tail == RING_SLOTS) {
        while (head - (tail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE)) == RING_SLOTS) cpu_relax();
      }
      memcpy(message, &head, sizeof head);
      memcpy(s->slots[head % RING_SLOTS], message, MSG);
      head++;
      __atomic_store_n(&s->head, head, __ATOMIC_RELEASE);
    }
    printf("%s%.3f", b ? "," : "", (now_ns() - start) / per_batch);
  }
  printf("]}\n");
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) exit(1);
}

static void copy(int cpu, int batches, int per_batch, size_t bytes) {
  pin(cpu);
  unsigned char *dst = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  unsigned char *src = malloc(bytes);
  if (dst == MAP_FAILED || !src) exit(1);
  memset(src, 7, bytes);
  memset(dst, 0, bytes); // fault the pages in first, as a long-lived channel segment would be
  printf("{\"samples\":[");
  for (int b = 0; b < batches; b++) {
    double start = now_ns();
    for (int k = 0; k < per_batch; k++) {
      src[0] = (unsigned char)k;
      memcpy(dst, src, bytes);
      __asm__ volatile("" ::"r"(dst) : "memory"); // keep the copy
    }
    printf("%s%.1f", b ? "," : "", (now_ns() - start) / per_batch);
  }
  printf("]}\n");
}

// Uncontended lock + unlock of a process-shared, robust, error-checking mutex (shmkit's Mutex defaults).
static void mutex_bench(int cpu, int batches, int per_batch) {
  pin(cpu);
  pthread_mutex_t *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) exit(1);
  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
  pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(m, &ma);
  printf("{\"samples\":[");
  for (int b = 0; b < batches; b++) {
    double start = now_ns();
    for (int k = 0; k < per_batch; k++) {
      if (pthread_mutex_lock(m) != 0) exit(1);
      pthread_mutex_unlock(m);
    }
    printf("%s%.2f", b ? "," : "", (now_ns() - start) / per_batch);
  }
  printf("]}\n");
}

// FUTEX_WAKE with no waiters, non-private, on a word of a shared mapping: what a channel's wake-up of a sleeper
// costs the sender when there is none, and what WaitWord.notify() makes through each runtime's FFI.
static void futex_wake_bench(int cpu, int batches, int per_batch) {
  pin(cpu);
  uint32_t *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (word == MAP_FAILED) exit(1);
  *word = 0; // fault the page in
  printf("{\"samples\":[");
  for (int b = 0; b < batches; b++) {
    double start = now_ns();
    for (int k = 0; k < per_batch; k++) {
      if (futex(word, FUTEX_WAKE, INT32_MAX) != 0) exit(1);
    }
    printf("%s%.2f", b ? "," : "", (now_ns() - start) / per_batch);
  }
  printf("]}\n");
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s mode cpu_parent cpu_child batches per_batch [bytes]\n", argv[0]);
    return 2;
  }
  const char *mode = argv[1];
  int cpu_a = atoi(argv[2]), cpu_b = atoi(argv[3]), batches = atoi(argv[4]), per_batch = atoi(argv[5]);
  if (strcmp(mode, "mutex") == 0) {
    mutex_bench(cpu_a, batches, per_batch);
    return 0;
  }
  if (strcmp(mode, "futex-wake") == 0) {
    futex_wake_bench(cpu_a, batches, per_batch);
    return 0;
  }
  if (strcmp(mode, "memcpy") == 0) {
    copy(cpu_a, batches, per_batch, argc > 6 ? (size_t)atol(argv[6]) : 1 << 20);
    return 0;
  }
  shared *s = mmap(NULL, sizeof(shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED) return 1;
  memset(s, 0, sizeof *s);
  if (strcmp(mode, "ring") == 0) ring(s, cpu_a, cpu_b, batches, per_batch);
  else round_trips(s, mode, cpu_a, cpu_b, batches, per_batch);
  fflush(stdout);
  return 0;
}
