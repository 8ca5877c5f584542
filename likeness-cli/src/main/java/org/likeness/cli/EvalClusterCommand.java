package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.RecognizerSpec;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.cluster.AverageLinkage;
import org.likeness.eval.cluster.ChineseWhispers;
import org.likeness.eval.cluster.ClusterMethod;
import org.likeness.eval.cluster.ClusterScores;
import org.likeness.eval.cluster.Dbscan;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.cluster.IncrementalAssigner;
import org.likeness.gallery.cluster.NeighbourGraph;
import org.likeness.gallery.cluster.SimilarityGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code likeness eval cluster --root DIR --json}: groups every face of DIR (one sub-folder per
 * identity) without names and scores the grouping against the folders, for the chosen method and,
 * in the same run, the baselines (DBSCAN with Immich's defaults, Chinese Whispers, average linkage).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Cluster the faces of DIR/IDENTITY/PHOTO and score the clusters (pairwise and BCubed) beside the baselines.")
final class EvalClusterCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--root", required = true, paramLabel = "DIR")
  Path root;

  @Option(names = "--embeddings", paramLabel = "FILE", description = "Cache of the set's embeddings: read when it exists, else written.")
  Path cache;

  @Option(names = "--link", description = "Average-linkage stopping similarity of the chosen method (default: the pack's, where it reaches faceplugin-0.0.1's FMR at 0.47).")
  Double link;

  @Option(names = "--cells", description = "Expert: also run the chosen method on the nearest-neighbour graph re-clustering uses at scale, cut into this many k-means cells.")
  Integer cells;

  @Option(names = "--probes", description = "Expert: with --cells, the cells each face is compared in (default: ${DEFAULT-VALUE}).")
  int probes = NeighbourGraph.Partition.PROBES;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** faceplugin-0.0.1's measured false-match rates at similarity 0.50 and 0.40, where the baselines were set. */
  private static final double FACEPLUGIN_FMR_AT_050 = 5.0642e-6, FACEPLUGIN_FMR_AT_040 = 2.0422e-4;

  EvalClusterCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    EmbeddedSet set;
    ClusterThresholds scale;
    RecognizerSpec rec;
    try (FaceEngine engine = engineArgs.open(env)) {
      set = EmbeddedSets.load(engine, root, cache, spec.commandLine().getErr());
      scale = ClusterThresholds.forPack(engine.pack());
      rec = engine.pack().recognizer();
    }
    double threshold = link != null ? link : scale.link();
    SimilarityGraph graph = SimilarityGraph.of(set.embeddings(), scale.floor());
    ClusterMethod chosen = new AverageLinkage(threshold);
    // Baselines in the same harness: Immich's DBSCAN, Chinese Whispers at two thresholds, average linkage stopped
    // elsewhere. Their similarities (0.50, 0.40) were set on faceplugin-0.0.1's scale; another pack gets the
    // similarity of the same measured false-match rate, as ClusterThresholds does for the chosen method.
    double half = rec.similarityAt(FACEPLUGIN_FMR_AT_050, 0.50), lower = rec.similarityAt(FACEPLUGIN_FMR_AT_040, 0.40);
    List<ClusterMethod> baselines = List.of(new Dbscan(1 - half, 3), new ChineseWhispers(half, 20, 1),
        new ChineseWhispers(threshold, 20, 1), new AverageLinkage(lower), new AverageLinkage(half));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("faces", set.paths().size());
    r.put("identities", set.identities().size());
    r.putAll(result(chosen, graph, set.identity()));
    List<Map<String, Object>> others = new ArrayList<>();
    for (ClusterMethod m : baselines) {
      others.add(result(m, graph, set.identity()));
    }
    r.put("baselines", others);
    if (cells != null) { // what cutting the graph into cells costs, on real faces
      long t0 = System.nanoTime();
      NeighbourGraph.Partition p = new NeighbourGraph.Partition(cells, Math.min(probes, cells));
      SimilarityGraph cut;
      java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Runtime.getRuntime().availableProcessors());
      try { // a worker per core: the common pool has one fewer
        cut = NeighbourGraph.of(set.embeddings(), IncrementalAssigner.NEIGHBOURS, scale.floor(), p, pool);
      } finally {
        pool.shutdown();
      }
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("cells", p.cells());
      n.put("probes", p.probes());
      n.put("neighbours", IncrementalAssigner.NEIGHBOURS);
      n.put("graphSeconds", Json.round((System.nanoTime() - t0) / 1e9));
      n.putAll(result(chosen, cut, set.identity()));
      r.put("neighbourGraph", n);
    }
    spec.commandLine().getOut().println(new Json().write(r));
    return 0;
  }

  private static Map<String, Object> result(ClusterMethod m, SimilarityGraph g, int[] truth) {
    long t0 = System.nanoTime();
    ClusterScores s = ClusterScores.of(m.cluster(g), truth);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("clusters", s.clusters());
    r.put("pairwise", new Prf(Json.round4(s.pairwisePrecision()), Json.round4(s.pairwiseRecall()), Json.round4(s.pairwiseF())));
    r.put("bcubed", new Prf(Json.round4(s.bcubedPrecision()), Json.round4(s.bcubedRecall()), Json.round4(s.bcubedF())));
    r.put("method", m.name());
    r.put("seconds", Json.round((System.nanoTime() - t0) / 1e9));
    return r;
  }

  /** Precision, recall and their F-measure. */
  record Prf(double precision, double recall, double f) {}
}
