package io.treeprop.jobs.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Helpers the config tests share: a minimal job, parsing shortcuts, error assertions. */
final class ConfigFixtures {
  /** The smallest valid job: CSV training data, one dense unit, MSE, a model path. */
  static final String MINIMAL = """
      data.train { format = csv, path = "d.csv", header = true, labelColumn = y }
      model { layers = [{ type = dense, units = 1 }], loss = mse }
      output.model = "out/m"
      """;

  /** The repository root (tests run in jobs/). */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private ConfigFixtures() {}

  static JobConfig parse(String hocon, String... overrides) {
    return JobConfig.parse(hocon, "job.conf", List.of(overrides));
  }

  /** {@link #MINIMAL} with {@code extra} appended (later keys win in HOCON). */
  static JobConfig minimal(String extra, String... overrides) {
    return parse(MINIMAL + extra, overrides);
  }

  /** Asserts an IllegalArgumentException whose message contains every fragment; returns the message. */
  static String fails(Executable run, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "expected \"" + f + "\" in: " + e.getMessage());
    }
    return e.getMessage();
  }

  /** Asserts that {@code MINIMAL + extra} fails with the fragments. */
  static String minimalFails(String extra, String... fragments) {
    return fails(() -> minimal(extra), fragments);
  }

  /** The example config {@code conf/<name>}. */
  static JobConfig example(String name, String... overrides) {
    return JobConfig.load(ROOT.resolve("conf").resolve(name).toString(), List.of(overrides));
  }
}
