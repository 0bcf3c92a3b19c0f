package io.treeprop.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code treeprop} command. */
@Command(name = "treeprop", mixinStandardHelpOptions = true, version = "treeprop 0.1.0",
    description = "Train, tune, evaluate, score with, inspect and export feed-forward neural networks.",
    subcommands = {QuickstartCommand.class, TrainCommand.class, TuneCommand.class, EvaluateCommand.class,
        ScoreCommand.class, InspectCommand.class, ExportCommand.class})
public final class Main implements Runnable {
  /** Exit code of a failed command. */
  public static final int FAILED = 1;
  /** Exit code of a command line that does not parse (picocli's usage errors). */
  public static final int USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "On a failure, print the stack trace after the one-line message.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("treeprop: " + Failures.message(e));
      if (verbose) {
        e.printStackTrace(cmd.getErr());
      }
      return e instanceof io.treeprop.jobs.config.MalformedOverrideException ? USAGE : FAILED;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
