package org.likeness.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The open-run-print frame of the commands that work on the local store without decoding
 * anything (subjects, scans, clusters): open {@code $LIKENESS_HOME}, run as the local user, print
 * a line of text, or JSON with {@code --json} (anything that is not a String is always JSON).
 */
abstract class LocalCommand implements Callable<Integer> {
  final Map<String, String> env;
  @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  LocalCommand(Map<String, String> env) {
    this.env = env;
  }

  /** Runs the operation on the opened store as {@code actor}; returns what to print. */
  abstract Object run(LocalGalleries local, String actor) throws Exception;

  @Override
  public final Integer call() throws Exception {
    try (LocalGalleries local = LocalGalleries.open(env, null)) {
      Object result = run(local, LocalGalleries.actor());
      spec.commandLine().getOut().println(!json && result instanceof String s ? s : new Json().write(result));
      return 0;
    }
  }
}
