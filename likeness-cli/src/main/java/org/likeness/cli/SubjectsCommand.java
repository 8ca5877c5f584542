package org.likeness.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.SubjectInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness subjects list|show|rename|merge|move-face|delete}. */
@Command(name = "subjects", mixinStandardHelpOptions = true, description = "Manage the subjects of a gallery.")
final class SubjectsCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  static Map<String, Object> subject(SubjectInfo s) {
    return org.likeness.server.http.Shapes.subject(s);
  }

  /** Shared options and the open-store-run-print frame of every sub-command. */
  abstract static class Base implements Callable<Integer> {
    final Map<String, String> env;
    @Option(names = "--gallery", required = true, paramLabel = "NAME") String gallery;
    @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Base(Map<String, String> env) {
      this.env = env;
    }

    abstract Object apply(GalleryStore store, GalleryInfo g);

    /** Appends a change's audit record (reads are not audited) and passes its result on. */
    <T extends Map<String, ?>> T audited(String operation, GalleryInfo g, Map<String, ?> inputs, T result) {
      LocalAudit.append(env, operation, g.name(), inputs, result);
      return result;
    }

    @Override
    public Integer call() {
      try (GalleryStore store = Home.store(env)) {
        Object result = apply(store, store.requireGallery(gallery));
        var out = spec.commandLine().getOut();
        out.println(json ? new Json().write(result) : result instanceof String s ? s : new Json().write(result));
        return 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the subjects of a gallery.")
  static final class ListSubjects extends Base {
    ListSubjects(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryStore store, GalleryInfo g) {
      List<SubjectInfo> all = store.subjects(g.id());
      if (!json) {
        StringBuilder sb = new StringBuilder();
        all.forEach(s -> sb.append(String.format(Locale.ROOT, "%-32s %4d face(s)%n", s.name(), s.faces())));
        return sb.toString().stripTrailing();
      }
      return Map.of("gallery", g.name(), "subjects", all.stream().map(SubjectsCommand::subject).toList());
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a subject and its faces.")
  static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "SUBJECT") String name;

    Show(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryStore store, GalleryInfo g) {
      SubjectInfo s = store.requireSubject(g.id(), name);
      Map<String, Object> m = subject(s);
      m.put("faceList", store.facesOf(s.id()).stream().map(org.likeness.server.http.Shapes::storedFace).toList());
      return m;
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a subject.")
  static final class Rename extends Base {
    @Parameters(index = "0", paramLabel = "OLD") String from;
    @Parameters(index = "1", paramLabel = "NEW") String to;

    Rename(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryStore store, GalleryInfo g) {
      return audited("rename", g, Map.of("subject", from, "newName", to), subject(store.renameSubject(g.id(), from, to)));
    }

  }

  @Command(name = "merge", mixinStandardHelpOptions = true, description = "Move every face of FROM into INTO and delete FROM.")
  static final class Merge extends Base {
    @Parameters(index = "0", paramLabel = "FROM") String from;
    @Parameters(index = "1", paramLabel = "INTO") String into;

    Merge(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryStore store, GalleryInfo g) {
      int moved = store.mergeSubjects(g.id(), from, into);
      store.checkpoint();
      return audited("merge", g, Map.of("from", from, "into", into), Map.of("merged", from, "into", into, "facesMoved", moved));
    }

  }

  @Command(name = "move-face", mixinStandardHelpOptions = true, description = "Move one face to another subject (created if absent).")
  static final class MoveFace extends Base {
    @Parameters(index = "0", paramLabel = "FACE_ID") long faceId;
    @Parameters(index = "1", paramLabel = "SUBJECT") String to;

    MoveFace(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryStore store, GalleryInfo g) {
      return audited("move", g, Map.of("face", faceId, "to", to), subject(store.moveFace(g.id(), faceId, to)));
    }

  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a subject with all its faces, or one face with --face; the data is overwritten on disk.")
  static final class Delete extends Base {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SUBJECT") String name;
    @Option(names = "--face", paramLabel = "FACE_ID") Long faceId;

    Delete(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryStore store, GalleryInfo g) {
      if ((name == null) == (faceId == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a SUBJECT or --face FACE_ID");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      if (faceId != null) {
        store.deleteFace(g.id(), faceId);
        m.put("deletedFace", faceId);
      } else {
        m.put("deletedSubject", name);
        m.put("facesDeleted", store.deleteSubject(g.id(), name));
      }
      store.checkpoint(); // secure_delete zeroed the pages; the checkpoint leaves no copy in the WAL
      org.likeness.gallery.Gallery.discardSavedIndex(store, g); // rebuilt on the next HNSW search
      return audited(faceId != null ? "delete.face" : "delete.subject", g,
          faceId != null ? Map.of("face", faceId) : Map.of("subject", name), m);
    }

  }
}
