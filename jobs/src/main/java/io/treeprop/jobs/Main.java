package io.treeprop.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code treeprop} command. */
@Command(name = "treeprop", mixinStandardHelpOptions = true, version = "treeprop 0.1.0",
    description = "Train, evaluate and inspect feed-forward neural networks.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, ScoreCommand.class, InspectCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof java.io.IOException) {
        cmd.getErr().println("treeprop: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
