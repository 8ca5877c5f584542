package org.likeness.cli;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.gallery.audit.AuditLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness audit verify|export}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check or export the hash-chained audit trail.")
final class AuditCommand implements Runnable {
  /** Exit code when the chain is broken. */
  static final int EXIT_BROKEN = 4;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code audit verify}: exit 0 when intact, 4 naming the first bad record otherwise. */
  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Recompute the chain; exit 0 when intact.")
  static final class Verify implements Callable<Integer> {
    private final Map<String, String> env;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Verify(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      try (AuditLog audit = Home.audit(env)) {
        AuditLog.Verification v = audit.verify();
        if (v.intact()) {
          spec.commandLine().getOut().println("audit trail intact: " + v.records() + " records, head " + v.headHash());
          return 0;
        }
        spec.commandLine().getErr().println("likeness: audit trail broken at record " + v.firstBad() + ": " + v.problem());
        return EXIT_BROKEN;
      }
    }
  }

  /** {@code audit export [--output FILE]}: JSON lines. */
  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the audit trail as JSON lines.")
  static final class Export implements Callable<Integer> {
    private final Map<String, String> env;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "File to write (default: stdout).") Path output;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Export(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      try (AuditLog audit = Home.audit(env)) {
        if (output != null) {
          try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            audit.export(w);
          }
        } else {
          Writer w = spec.commandLine().getOut();
          audit.export(w);
        }
        return 0;
      }
    }
  }
}
