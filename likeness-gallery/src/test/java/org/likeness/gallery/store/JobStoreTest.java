package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job queue under concurrent servers (threads with stores of their own, as processes have):
 * every job is finished exactly once, whatever the claims, renewals, stalls and deaths. Seed: -Dtests.seed.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class JobStoreTest {
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());

  @Test
  void claimsRenewalsAndFinishesLockTheJobsRowNotEveryWriter(@TempDir Path home) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(TestStorage.postgres(), "SQLite has one writer at a time by design");
    try (GalleryStore writer = TestStorage.open(home); GalleryStore server = TestStorage.open(home);
        GalleryStore other = TestStorage.open(home)) {
      JobStore q = server.repositories().jobs(), r = other.repositories().jobs();
      q.add("a", null, home.resolve("a").toString(), "a.mp4", 5, "t");
      q.add("b", null, home.resolve("b").toString(), "b.mp4", 5, "t");
      java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1), done = new java.util.concurrent.CountDownLatch(1);
      Thread enrolling = Thread.ofPlatform().start(() -> writer.inTransaction(() -> { // another server's long write: the one write lock held
        writer.createGallery("g", "p", 4);
        held.countDown();
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }));
      held.await();
      try {
        var mine = java.util.concurrent.CompletableFuture.supplyAsync(() -> q.claim("s1", Duration.ofSeconds(30)));
        var theirs = java.util.concurrent.CompletableFuture.supplyAsync(() -> r.claim("s2", Duration.ofSeconds(30)));
        String a = mine.get(20, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().id();
        String b = theirs.get(20, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().id();
        assertThat(java.util.Set.of(a, b)).as("two servers claiming at once take different jobs").containsExactlyInAnyOrder("a", "b");
        String mineId = a.equals(b) ? null : a;
        var renewed = java.util.concurrent.CompletableFuture.supplyAsync(() -> q.renew(mineId, "s1", 0.5, Duration.ofSeconds(30)));
        assertThat(renewed.get(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        var finished = java.util.concurrent.CompletableFuture.supplyAsync(() -> q.finish(mineId, "s1", "done", 1, null, null));
        assertThat(finished.get(20, java.util.concurrent.TimeUnit.SECONDS)).as("finished while the write lock is held elsewhere").isTrue();
        assertThat(enrolling.isAlive()).as("the other write is still open").isTrue();
      } finally {
        done.countDown();
        enrolling.join();
      }
      assertThat(q.job("a").orElseThrow().state().equals("done") || q.job("b").orElseThrow().state().equals("done")).isTrue();
    }
  }

  @Test
  void everyJobIsFinishedExactlyOnceByConcurrentServers(@TempDir Path home) throws Exception {
    int jobs = 40, servers = 4;
    try (GalleryStore store = TestStorage.open(home)) {
      JobStore q = store.repositories().jobs();
      for (int i = 0; i < jobs; i++) {
        q.add("job-" + i, null, home.resolve("u" + i).toString(), "v" + i + ".mp4", 5, "t");
      }
    }
    Map<String, String> finishedBy = new ConcurrentHashMap<>();
    AtomicInteger doubleFinish = new AtomicInteger(), lostClaims = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < servers; s++) {
      int server = s;
      threads.add(Thread.ofPlatform().start(() -> {
        Random rnd = new Random(SEED + server);
        try (GalleryStore store = TestStorage.open(home)) {
          JobStore q = store.repositories().jobs();
          String owner = "server-" + server;
          int idle = 0;
          while (idle < 20) {
            Optional<org.likeness.gallery.store.StoredJob> claimed = q.claim(owner, Duration.ofMillis(150));
            if (claimed.isEmpty()) {
              idle++;
              Thread.sleep(20);
              continue;
            }
            idle = 0;
            String id = claimed.get().id();
            if (!"running".equals(claimed.get().state())) {
              continue; // failed at its claim: every server before stopped under it
            }
            if (rnd.nextInt(8) == 0) {
              continue; // this server "dies" holding the claim: another takes the job after the lease
            }
            boolean alive = true;
            for (int step = 0; step < 3 && alive; step++) {
              Thread.sleep(rnd.nextInt(8) == 0 ? 250 : 10); // now and then a stall past the lease
              alive = q.renew(id, owner, step / 3.0, Duration.ofMillis(150));
            }
            if (!alive) {
              lostClaims.incrementAndGet();
              continue;
            }
            if (q.finish(id, owner, "done", 1, null, null) && finishedBy.putIfAbsent(id, owner) != null) {
              doubleFinish.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    try (GalleryStore store = TestStorage.open(home)) {
      JobStore q = store.repositories().jobs();
      assertThat(doubleFinish.get()).as("seed %d", SEED).isZero();
      assertThat(q.jobs(List.of("queued", "running"))).as("seed %d: nothing left", SEED).isEmpty();
      List<org.likeness.gallery.store.StoredJob> failed = q.jobs(List.of("failed"));
      assertThat(failed).allMatch(j -> j.error().contains("claimed 3 times"));
      assertThat(q.jobs(List.of("done"))).hasSize(jobs - failed.size());
      assertThat(finishedBy).hasSize(jobs - failed.size());
      assertThat(failed.size()).as("seed %d: most jobs outlive a server's death or stall", SEED).isLessThan(jobs / 4);
      for (org.likeness.gallery.store.StoredJob j : q.jobs(List.of("done"))) {
        assertThat(q.owner(j.id())).isNull();
      }
    }
  }

  @Test
  void aServerWhoseClockRunsAheadCannotTakeAJobWhoseLeaseHasNotRunOut(@TempDir Path home) {
    org.junit.jupiter.api.Assumptions.assumeTrue(TestStorage.postgres(), "one host's clock on SQLite: servers on one database share it");
    try (GalleryStore a = TestStorage.open(home); GalleryStore b = TestStorage.open(home)) {
      JobStore honest = a.repositories().jobs();
      JobStore ahead = new JdbcJobStore((JdbcGalleryStore) b, java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(10)));
      JobStore behind = new JdbcJobStore((JdbcGalleryStore) b, java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-10)));
      honest.add("j", null, home.resolve("u").toString(), "v.mp4", 5, "t");
      assertThat(honest.claim("a", Duration.ofSeconds(30))).isPresent();
      assertThat(ahead.claim("b", Duration.ofSeconds(30))).as("the lease is timed by the database's clock").isEmpty();
      ahead.add("k", null, home.resolve("w").toString(), "w.mp4", 5, "t");
      assertThat(behind.claim("c", Duration.ofMillis(1))).map(StoredJob::id).contains("k");
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(honest.claim("a", Duration.ofSeconds(30))).as("a lease of 1 ms ran out by the database's clock, whatever c's says")
          .map(StoredJob::id).contains("k");
    }
  }

  @Test
  void aJobItsServersKeepStoppingUnderFailsAfterThreeClaims(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home)) {
      JobStore q = store.repositories().jobs();
      q.add("poison", null, home.resolve("u").toString(), "v.mp4", 5, "t");
      q.add("requeued", null, home.resolve("w").toString(), "w.mp4", 5, "t");
      for (int claim = 1; claim <= 3; claim++) { // each server dies holding it: the lease runs out
        org.likeness.gallery.store.StoredJob j = q.claim("server-" + claim, Duration.ofMillis(1)).orElseThrow();
        assertThat(j.id()).isEqualTo("poison");
        assertThat(j.state()).isEqualTo("running");
        Thread.sleep(5);
      }
      org.likeness.gallery.store.StoredJob fourth = q.claim("server-4", Duration.ofMillis(1)).orElseThrow();
      assertThat(fourth.id()).isEqualTo("poison");
      assertThat(fourth.state()).isEqualTo("failed");
      assertThat(fourth.error()).contains("claimed 3 times");
      // Put back by a server stopping cleanly, a job's claims start over: that was no fault of the job.
      for (int round = 0; round < 5; round++) {
        org.likeness.gallery.store.StoredJob j = q.claim("s", Duration.ofMinutes(1)).orElseThrow();
        assertThat(j.id()).isEqualTo("requeued");
        assertThat(j.state()).isEqualTo("running");
        assertThat(q.finish(j.id(), "s", "queued", 0, null, null)).isTrue();
      }
    }
  }
}
