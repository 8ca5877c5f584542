package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.cluster.AverageLinkage;
import org.likeness.eval.cluster.ChineseWhispers;
import org.likeness.eval.cluster.ClusterMethod;
import org.likeness.eval.cluster.ClusterScores;
import org.likeness.eval.cluster.Dbscan;
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

  @Option(names = "--link", description = "Average-linkage stopping similarity of the chosen method (default: ${DEFAULT-VALUE}).")
  double threshold = 0.47;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalClusterCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    EmbeddedSet set;
    try (FaceEngine engine = engineArgs.open(env)) {
      set = EmbeddedSets.load(engine, root, cache, spec.commandLine().getErr());
    }
    SimilarityGraph graph = SimilarityGraph.of(set.embeddings(), 0.2f);
    ClusterMethod chosen = new AverageLinkage(threshold);
    // Baselines in the same harness: Immich's DBSCAN, Chinese Whispers at two thresholds, average linkage stopped elsewhere.
    List<ClusterMethod> baselines = List.of(new Dbscan(0.5, 3), new ChineseWhispers(0.5, 20, 1), new ChineseWhispers(threshold, 20, 1),
        new AverageLinkage(0.40), new AverageLinkage(0.50));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("faces", set.paths().size());
    r.put("identities", set.identities().size());
    r.putAll(result(chosen, graph, set.identity()));
    List<Map<String, Object>> others = new ArrayList<>();
    for (ClusterMethod m : baselines) {
      others.add(result(m, graph, set.identity()));
    }
    r.put("baselines", others);
    spec.commandLine().getOut().println(new Json().write(r));
    return 0;
  }

  private static Map<String, Object> result(ClusterMethod m, SimilarityGraph g, int[] truth) {
    long t0 = System.nanoTime();
    ClusterScores s = ClusterScores.of(m.cluster(g), truth);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("clusters", s.clusters());
    r.put("pairwise", Map.of("precision", Json.round4(s.pairwisePrecision()), "recall", Json.round4(s.pairwiseRecall()),
        "f", Json.round4(s.pairwiseF())));
    r.put("bcubed", Map.of("precision", Json.round4(s.bcubedPrecision()), "recall", Json.round4(s.bcubedRecall()),
        "f", Json.round4(s.bcubedF())));
    r.put("method", m.name());
    r.put("seconds", Json.round((System.nanoTime() - t0) / 1e9));
    return r;
  }
}
