package org.likeness.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.likeness.gallery.service.EnrolmentHygiene;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.SubjectInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness subjects list|show|rename|merge|move-face|delete}: thin adapters over {@link GalleryService}. */
@Command(name = "subjects", mixinStandardHelpOptions = true, description = "Manage the subjects of a gallery.")
final class SubjectsCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Every sub-command works on one gallery's subjects. */
  abstract static class Base extends LocalCommand {
    @Option(names = "--gallery", required = true, paramLabel = "NAME") String gallery;

    Base(Map<String, String> env) {
      super(env);
    }

    /** Runs the operation as {@code actor}; returns what to print (a String as is, anything else as JSON). */
    abstract Object apply(GalleryService galleries, String actor);

    @Override
    final Object run(LocalGalleries local, String actor) {
      return apply(local.service(), actor);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the subjects of a gallery.")
  static final class ListSubjects extends Base {
    ListSubjects(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryService galleries, String actor) {
      List<SubjectInfo> all = galleries.subjects(gallery);
      if (!json) {
        StringBuilder sb = new StringBuilder();
        all.forEach(s -> sb.append(String.format(Locale.ROOT, "%-32s %4d face(s)%n", s.name(), s.faces())));
        return sb.toString().stripTrailing();
      }
      return new Shapes.SubjectsListed(gallery, all.stream().map(Shapes::subject).toList());
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a subject and its faces.")
  static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "SUBJECT") String name;

    Show(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryService galleries, String actor) {
      return galleries.subject(gallery, name);
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
    Object apply(GalleryService galleries, String actor) {
      return galleries.edits().rename(actor, gallery, from, to);
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
    Object apply(GalleryService galleries, String actor) {
      return galleries.edits().merge(actor, gallery, from, into);
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
    Object apply(GalleryService galleries, String actor) {
      return galleries.edits().moveFace(actor, gallery, faceId, to);
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Enrolment hygiene: flag the faces that disagree with the rest of their subject (kept out of decisions "
          + "until confirmed) and list every suspect.")
  static final class Check extends Base {
    Check(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryService galleries, String actor) {
      List<EnrolmentHygiene.Suspect> suspects = galleries.suspectFaces().check(actor, gallery);
      double line = galleries.suspectFaces().agreementThreshold(gallery);
      if (json) {
        return Shapes.suspects(gallery, line, suspects);
      }
      if (suspects.isEmpty()) {
        return "no suspects: every face agrees with the rest of its subject";
      }
      StringBuilder sb = new StringBuilder();
      for (EnrolmentHygiene.Suspect x : suspects) {
        sb.append(String.format(Locale.ROOT, "%s  face %d  agreement %.3f < %.3f  (image sha256 %s)%n", x.subject(), x.faceId(),
            x.agreement(), line, x.imageSha256()));
      }
      sb.append("kept out of decisions until confirmed: subjects confirm-face --gallery ").append(gallery)
          .append(" FACE_ID (or delete it: subjects delete --gallery ").append(gallery).append(" --face FACE_ID)");
      return sb.toString();
    }
  }

  @Command(name = "confirm-face", mixinStandardHelpOptions = true,
      description = "Confirm a suspect face as its subject's: it is searched again and never flagged again.")
  static final class ConfirmFace extends Base {
    @Parameters(index = "0", paramLabel = "FACE_ID") long faceId;

    ConfirmFace(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(GalleryService galleries, String actor) {
      return galleries.suspectFaces().confirm(actor, gallery, faceId);
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
    Object apply(GalleryService galleries, String actor) {
      if ((name == null) == (faceId == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a SUBJECT or --face FACE_ID");
      }
      return faceId != null ? galleries.edits().deleteFace(actor, gallery, faceId) : galleries.edits().deleteSubject(actor, gallery, name);
    }
  }
}
