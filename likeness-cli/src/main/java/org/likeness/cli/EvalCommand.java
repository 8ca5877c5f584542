package org.likeness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Groups the evaluation protocols. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluation protocols: verification, identification, calibration, detection, tracks, tracking, clustering.")
public final class EvalCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
