package io.treeprop.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code treeprop quickstart}: the README's first command, {@code train} of the Fashion-MNIST example job with its
 * earlier outputs replaced. {@code bin/treeprop} installs the data set when it can and passes the example's path.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Train the example job conf/fashion-mnist-mlp.conf (Fashion-MNIST, a 784-256-128-10 MLP, 10 "
        + "epochs), evaluate it on the test images and write the report under out/fashion-mnist, replacing an "
        + "earlier run's outputs.")
final class QuickstartCommand implements Callable<Integer> {
  /** The example job, relative to the repository root. */
  static final String EXAMPLE = "conf/fashion-mnist-mlp.conf";

  @Option(names = "--conf", hidden = true, description = "The example job's path (bin/treeprop passes it).")
  String conf = EXAMPLE;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key of the example job, e.g. "
      + "--set training.epochs=3 (repeatable; later ones win).")
  List<String> overrides = new ArrayList<>();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TrainCommand train = new TrainCommand();
    train.conf = conf;
    train.overrides = new ArrayList<>(List.of("output.overwrite=true"));
    train.overrides.addAll(overrides);
    return train.call();
  }
}
