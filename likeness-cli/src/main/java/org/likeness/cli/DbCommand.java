package org.likeness.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.DatabaseCopy;
import org.likeness.gallery.store.KeyRotation;
import org.likeness.gallery.store.TemplateCipher;
import org.likeness.gallery.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness db copy|rotate-key}: moving an installation between databases, and rotating its template key. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Move an installation between databases; rotate its template key.")
final class DbCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code db rotate-key --new-key-file FILE}: templates, crops and kept media re-sealed with a new template key. */
  @Command(name = "rotate-key", mixinStandardHelpOptions = true,
      description = "Re-seal every template, crop and kept media file with a new template key (the old one from "
          + "LIKENESS_TEMPLATE_KEY or LIKENESS_TEMPLATE_KEY_FILE; none: seal what is stored plain). Stop the servers first; "
          + "run again after a crash to finish.")
  static final class RotateKey implements Callable<Integer> {
    private final Map<String, String> env;
    @Option(names = "--new-key-file", required = true, paramLabel = "FILE", description = "The new key: base64 of 32 bytes.")
    java.nio.file.Path newKey;
    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    RotateKey(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      TemplateCipher old = TemplateCipher.fromEnvironment(env).orElse(null);
      TemplateCipher next = TemplateCipher.fromEnvironment(Map.of("LIKENESS_TEMPLATE_KEY_FILE", newKey.toString())).orElseThrow();
      KeyRotation.Result r = new KeyRotation(Home.storage(env), old, next).run();
      if (json) {
        spec.commandLine().getOut().println(new Json().write(r));
      } else {
        spec.commandLine().getOut().println("re-sealed " + r.faces() + " faces, " + r.sightings() + " sightings and " + r.mediaFiles()
            + " kept media files (" + r.alreadyRotated() + " already under the new key); give every server the new key now");
      }
      return 0;
    }
  }

  /** What {@code db copy --json} prints. */
  record Summary(String from, String to, Map<String, Long> rows, Audit audit) {
    /** The copied audit trail as verified. */
    record Audit(long records, boolean intact, String headHash) {}
  }

  /** {@code db copy}: everything, ids kept, into an empty database; the copied audit chain is verified. */
  @Command(name = "copy", mixinStandardHelpOptions = true,
      description = "Copy galleries, scans, clusters, decisions, keys and the audit trail into an empty database "
          + "(SQLite to PostgreSQL and back); the copy's audit chain is verified against the source's head.")
  static final class Copy implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "URL", description = "Source: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB?user=…")
    String from;
    @Option(names = "--to", required = true, paramLabel = "URL", description = "Target (must hold no data): jdbc:sqlite:FILE or jdbc:postgresql://…")
    String to;
    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Database source = Database.of(from), target = Database.of(to);
      DatabaseCopy.Result r = new DatabaseCopy(source, target).run();
      DatabaseCopy.Result.Audit before = r.audit(); // the source as copied: servers may have written to it since
      AuditLog.Verification after;
      try (AuditLog a = AuditLog.open(target)) {
        after = a.verify();
      }
      if (!after.intact() || after.records() != before.records() || !after.headHash().equals(before.headHash())) {
        throw new StoreException("the copied audit trail does not verify as the source's: " + after.problem() + " ("
            + after.records() + " records, head " + after.headHash() + "; source " + before.records() + ", head " + before.headHash() + ")");
      }
      Summary out = new Summary(source.toString(), target.toString(), r.rows(),
          new Summary.Audit(after.records(), after.intact(), after.headHash()));
      if (json) {
        spec.commandLine().getOut().println(new Json().write(out));
      } else {
        spec.commandLine().getOut().println("copied " + r.total() + " rows from " + source + " to " + target + " " + r.rows()
            + "; audit trail intact (" + after.records() + " records, head " + after.headHash() + ")");
      }
      return 0;
    }
  }
}
