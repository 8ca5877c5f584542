package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.likeness.engine.model.ModelCache;
import org.likeness.report.ReportException;
import org.likeness.report.ReportService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code likeness report --subject S --gallery G --out FILE.pdf|FILE.html}: an evidence report on a
 * subject (audited); {@code likeness report verify FILE}: exit 0 when the report is one this
 * installation issued, unchanged, and still matches the store, else 1 with the reasons.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write an evidence report on a subject (PDF or self-contained HTML): every appearance with the face beside the "
        + "enrolled crop, score, FMR, FPIR, verdict, and the audit records it rests on.")
final class ReportCommand extends LocalCommand {
  @Option(names = "--subject", paramLabel = "S", description = "The subject.") String subject;
  @Option(names = "--gallery", paramLabel = "G", description = "The subject's gallery.") String gallery;
  @Option(names = "--out", paramLabel = "FILE", description = "FILE.pdf or FILE.html.") Path out;

  ReportCommand(Map<String, String> env) {
    super(env);
  }

  /** A pack's calibration source from its manifest in the model cache, or null (no calibration, or the pack is not installed). */
  static Function<String, String> calibrationSources(Map<String, String> env) {
    return pack -> {
      try {
        var c = ModelCache.fromEnvironment(env).open(pack).recognizer().calibration();
        return c == null ? null : c.source() + " (" + c.impostorPairs() + " impostor pairs)";
      } catch (RuntimeException e) {
        return "pack " + pack + " is not installed here: its calibration's source is unknown";
      }
    };
  }

  @Override
  Object run(LocalGalleries local, String actor) throws Exception {
    if (subject == null || gallery == null || out == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "report needs --subject, --gallery and --out (or: report verify FILE)");
    }
    ReportService.Format.of(out); // FILE.pdf or FILE.html, checked before any work
    ReportService reports = new ReportService(local.store(), local.audit(), calibrationSources(env));
    ReportService.Issued issued;
    try {
      issued = reports.issue(actor, gallery, subject, out);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("report", out.toString());
    m.put("format", issued.format().name().toLowerCase(java.util.Locale.ROOT));
    m.put("appearances", issued.appearances());
    m.put("digest", issued.digest());
    m.put("fileSha256", issued.fileSha256());
    m.put("auditRecord", issued.auditSeq());
    return json ? m : "wrote " + out + ": " + issued.appearances() + " appearances of " + subject + ", digest " + issued.digest()
        + " (audit record #" + issued.auditSeq() + ")";
  }

  /** {@code likeness report verify FILE}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check a report: issued by this installation, unchanged, and still what the store says (exit 0), else exit 1 with why.")
  static final class Verify implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(paramLabel = "FILE") Path file;
    @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Verify(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(file)) {
        throw new InputException(file + ": no such file");
      }
      try (LocalGalleries local = LocalGalleries.open(env, null)) {
        ReportService.Verified v;
        try {
          v = new ReportService(local.store(), local.audit(), calibrationSources(env)).verify(Files.readAllBytes(file));
        } catch (ReportException e) {
          throw new InputException(file + ": " + e.getMessage());
        }
        var out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("report", file.toString()); // then the shape the REST API answers
          m.putAll(new com.fasterxml.jackson.databind.ObjectMapper().convertValue(v,
              new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { }));
          out.println(new Json().write(m));
        } else if (v.ok()) {
          out.println("verified: " + file + " is the report on " + v.subject() + " (gallery " + v.gallery() + ") issued " + v.issued()
              + ", unchanged, and the store still says the same");
        } else {
          v.problems().forEach(p -> spec.commandLine().getErr().println("likeness: " + file + ": " + p));
        }
        return v.ok() ? 0 : 1;
      }
    }
  }
}
