package org.likeness.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.store.StoredSighting;

/**
 * The job on Spark's standalone cluster (a Master and two Workers started by the test from the
 * project's jars): the same results as {@code scan}; a worker killed mid-job leaves its tasks to
 * the other, the job completes, and nothing is imported twice.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
  @TempDir
  static Path dir;
  private static FaceEngine engine;
  private static StandaloneCluster cluster;
  private static StandaloneCluster.Running running;
  private static Path in;
  private static Map<String, List<StoredSighting>> reference;

  @BeforeAll
  static void open() throws Exception {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
    Fixture.Reference ref = Fixture.reference(dir, engine);
    in = ref.in();
    reference = ref.scans();
    cluster = new StandaloneCluster(dir.resolve("cluster"));
    running = cluster.start(2, 1, "2g");
  }

  @AfterAll
  static void close() throws Exception {
    if (cluster != null) {
      assertThat(cluster.stop()).isTrue();
      for (long pid : running.pids()) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d stopped", pid).isFalse();
      }
    }
    engine.close();
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void sameResultsAsScanOnTwoWorkers() throws Exception {
    SparkSession spark = SparkSessions.open(running.master());
    try {
      ScanJob.Summary s = LocalSparkScanTest.runAndImport(spark, engine, in, dir.resolve("home-exact"), dir.resolve("out-exact"), 60);
      assertThat(s.master()).isEqualTo(running.master());
      assertThat(s.failed()).isEqualTo(2);
      Fixture.assertSame(reference, Fixture.scans(dir.resolve("home-exact")), false);
    } finally {
      spark.stop();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void aWorkerKilledMidJobLeavesItsTasksToTheOther() throws Exception {
    assertThat(running.master()).startsWith("spark://127.0.0.1:");
    assertThat(cluster.running()).isPresent();
    long victim = running.pids().get(1); // the first worker
    AtomicBoolean killed = new AtomicBoolean();
    java.util.Set<Integer> scanStages = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicLong redone = new AtomicLong();
    SparkSession spark = SparkSessions.open(running.master());
    try {
      // Killed (with its executors) once the scanning job has finished a task: that task's output
      // (cached, shuffled) and the task the worker is running must be done again by the other.
      spark.sparkContext().addSparkListener(new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
          if (ScanJob.SCAN.equals(start.properties().getProperty("spark.job.description"))) {
            scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds()).forEach(id -> scanStages.add((Integer) id));
          }
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
          if (submitted.stageInfo().attemptNumber() > 0) {
            redone.incrementAndGet(); // a stage run again for output lost with the worker
          }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          if (!(end.reason() instanceof org.apache.spark.Success$)) {
            redone.incrementAndGet(); // a task lost with the worker, run again
          } else if (scanStages.contains(end.stageId()) && killed.compareAndSet(false, true)) {
            ProcessHandle.of(victim).ifPresent(h -> {
              h.descendants().forEach(ProcessHandle::destroyForcibly);
              h.destroyForcibly();
            });
          }
        }
      });
      ScanJob.Summary s = LocalSparkScanTest.runAndImport(spark, engine, in, dir.resolve("home"), dir.resolve("out"), 3);
      assertThat(killed).as("the worker was killed while the media were being scanned").isTrue();
      assertThat(redone.get()).as("work lost with the worker was done again (failed tasks, resubmitted stages)").isPositive();
      assertThat(s.master()).isEqualTo(running.master());
      assertThat(s.media()).isEqualTo(6);
      assertThat(s.failed()).isEqualTo(2);
      Fixture.assertSame(reference, Fixture.scans(dir.resolve("home")), true);
      try (var files = Files.list(dir.resolve("out").resolve("media"))) {
        assertThat(files.filter(p -> p.getFileName().toString().startsWith("part-")).count()).isPositive();
      }
    } finally {
      spark.stop();
    }
  }
}
