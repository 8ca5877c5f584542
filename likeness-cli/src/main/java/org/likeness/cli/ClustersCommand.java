package org.likeness.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code likeness clusters list|show|name|merge|split|remove-face|reject|undo|update|rebuild|suggest}:
 * unknown faces grouped by person, and a reviewer's decisions on them; thin adapters over {@link ClusterService}.
 */
@Command(name = "clusters", mixinStandardHelpOptions = true, description = "Group unknown faces by person and review the groups.")
final class ClustersCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Every sub-command works on one pack's clusters (no models are loaded). */
  abstract static class Base extends LocalCommand {
    @Option(names = "--pack", paramLabel = "ID", description = "Whose sightings (default: ${DEFAULT-VALUE}).") String pack = ModelCache.DEFAULT_PACK;
    ModelPack modelPack;

    Base(Map<String, String> env) {
      super(env);
    }

    /** Runs the operation as {@code actor}; returns what to print (JSON, or a line of text without --json). */
    abstract Object apply(ClusterService clusters, LocalGalleries local, String actor);

    @Override
    final Object run(LocalGalleries local, String actor) {
      modelPack = ModelCache.fromEnvironment(env).open(pack);
      try (ClusterService clusters = new ClusterService(local.store(), local.service(), local.audit(), modelPack.id(),
          modelPack.recognizer().embeddingSize(), ClusterThresholds.forPack(modelPack))) {
        return apply(clusters, local, actor);
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clusters, largest first (new sightings are placed first).")
  static final class ListClusters extends Base {
    ListClusters(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      clusters.update(actor);
      List<org.likeness.gallery.cluster.ClusterAnswers.Listed> all = clusters.list();
      if (json) {
        return Map.of("clusters", all);
      }
      StringBuilder sb = new StringBuilder();
      for (org.likeness.gallery.cluster.ClusterAnswers.Listed c : all) {
        sb.append(String.format(Locale.ROOT, "%6s  %4s face(s)%s%s%n", c.cluster(), c.size(),
            c.subject() == null ? "" : "  " + c.subject(), c.locked() ? "  [reviewed]" : ""));
      }
      return sb.isEmpty() ? "no clusters" : sb.toString().stripTrailing();
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a cluster's faces with where each was seen.")
  static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "CLUSTER") long cluster;

    Show(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.show(cluster);
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Place new unknown sightings in clusters (nothing placed before moves).")
  static final class Update extends Base {
    Update(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.update(actor);
    }
  }

  @Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Cluster every unknown sighting again; reviewers' decisions are kept.")
  static final class Rebuild extends Base {
    @picocli.CommandLine.Option(names = "--spark", paramLabel = "MASTER", description = "Build the neighbour graph of a large set "
        + "(above 20,000 unknown faces) on Spark: local[N], or spark://host:port (see `spark cluster start`).")
    String spark;
    @picocli.CommandLine.Option(names = "--partitions", description = "Spark partitions of the faces (default: ${DEFAULT-VALUE}).")
    int partitions = 32;

    Rebuild(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      if (spark == null) {
        return clusters.rebuild(actor);
      }
      org.apache.spark.sql.SparkSession session = org.likeness.spark.SparkSessions.open(spark);
      try (java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Runtime.getRuntime().availableProcessors())) {
        return clusters.rebuild(actor, new org.likeness.spark.cluster.SparkNeighbourGraph(
            org.apache.spark.api.java.JavaSparkContext.fromSparkContext(session.sparkContext()), Math.max(1, partitions), pool));
      } finally {
        session.stop();
      }
    }
  }

  @Command(name = "name", mixinStandardHelpOptions = true,
      description = "Name a cluster: it becomes a subject of the gallery (its best faces enrolled), or joins one whose faces agree.")
  static final class Name extends Base {
    @Parameters(index = "0", paramLabel = "CLUSTER") long cluster;
    @Parameters(index = "1", paramLabel = "SUBJECT") String subject;
    @Option(names = "--gallery", required = true, paramLabel = "G") String gallery;
    @Option(names = "--force", description = "Join the subject even when the faces do not agree with its enrolled ones.") boolean force;

    Name(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.name(actor, cluster, gallery, subject, modelPack.recognizer().threshold(), force);
    }
  }

  @Command(name = "merge", mixinStandardHelpOptions = true, description = "Merge cluster FROM into cluster INTO.")
  static final class Merge extends Base {
    @Parameters(index = "0", paramLabel = "FROM") long from;
    @Parameters(index = "1", paramLabel = "INTO") long into;

    Merge(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.merge(actor, from, into);
    }
  }

  @Command(name = "split", mixinStandardHelpOptions = true, description = "Move the named sightings of a cluster to a new cluster.")
  static final class Split extends Base {
    @Parameters(index = "0", paramLabel = "CLUSTER") long cluster;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "SIGHTING") List<Long> sightings;

    Split(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.split(actor, cluster, sightings);
    }
  }

  @Command(name = "remove-face", mixinStandardHelpOptions = true, description = "Not this person: a sighting leaves the cluster for good.")
  static final class RemoveFace extends Base {
    @Parameters(index = "0", paramLabel = "CLUSTER") long cluster;
    @Parameters(index = "1", paramLabel = "SIGHTING") long sighting;

    RemoveFace(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.removeFace(actor, cluster, sighting);
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Two clusters are different people: never merged or suggested again.")
  static final class Reject extends Base {
    @Parameters(index = "0", paramLabel = "A") long a;
    @Parameters(index = "1", paramLabel = "B") long b;

    Reject(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.reject(actor, a, b);
    }
  }

  @Command(name = "undo", mixinStandardHelpOptions = true, description = "Undo the latest decision (name, merge, split, remove-face, reject).")
  static final class Undo extends Base {
    @Option(names = "--decision", paramLabel = "ID", description = "Undo only if this is still the latest decision (refused if another came since).")
    Long decision;

    Undo(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      return clusters.undo(actor, decision);
    }
  }

  @Command(name = "suggest", mixinStandardHelpOptions = true,
      description = "Pairs of clusters that are probably one person, and each unnamed cluster's nearest subjects.")
  static final class Suggest extends Base {
    @Option(names = "--gallery", paramLabel = "G", description = "Also list each cluster's nearest subjects of this gallery.") String gallery;
    @Option(names = "--limit", paramLabel = "N", description = "At most N of each (default: ${DEFAULT-VALUE}).") int limit = 20;

    Suggest(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ClusterService clusters, LocalGalleries local, String actor) {
      clusters.update(actor);
      MatchPolicy policy = new MatchPolicy(SearchMethod.AUTO, Aggregation.MAX, modelPack.recognizer().threshold(),
          modelPack.recognizer().calibration());
      return clusters.suggestions(gallery, policy, limit);
    }
  }
}
