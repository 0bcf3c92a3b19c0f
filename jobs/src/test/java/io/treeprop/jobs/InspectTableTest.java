package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect}'s per-layer table on a network with batch norm and a residual block with a projection. */
class InspectTableTest {
  @TempDir
  Path tmp;

  /**
   * Counts by hand: conv2d 4×1×3×3 + 4 = 40; batch_norm 4 + 4 (state 4 + 4); the block's conv2d 8×4×3×3 + 8 = 296,
   * its batch_norm 8 + 8 (state 16), its 1×1 stride-2 projection 4 → 8 without bias 32, so 344 for the block; the
   * dense layer 128 × 2 + 2 = 258. Totals 650 parameters, 24 state numbers.
   */
  static final String SPEC = """
      {"input": [1, 8, 8], "layers": [
        {"type": "conv2d", "filters": 4, "kernel": 3, "padding": "same"},
        {"type": "batch_norm"},
        {"type": "activation", "function": "relu"},
        {"type": "residual", "activation": "relu", "layers": [
          {"type": "conv2d", "filters": 8, "kernel": 3, "stride": 2, "padding": 1},
          {"type": "batch_norm"}]},
        {"type": "flatten"},
        {"type": "dense", "units": 2},
        {"type": "activation", "function": "softmax"}]}
      """;

  @Test
  void rowsNestTheResidualBlockAndAddUpToTheTotals() {
    NetworkSpec spec = Json.read(SPEC, NetworkSpec.class, "spec");
    List<LayerTable.Row> rows = LayerTable.rows(spec);
    List<String> expected = List.of(
        "0|conv2d|[4, 8, 8]|40|0", "1|batch_norm|[4, 8, 8]|8|8", "2|activation relu|[4, 8, 8]|0|0",
        "3|residual|[8, 4, 4]|344|16", "  3/0|conv2d|[8, 4, 4]|296|0", "  3/1|batch_norm|[8, 4, 4]|16|16",
        "  3/shortcut|conv2d 1x1 (shortcut)|[8, 4, 4]|32|0", "4|flatten|[128]|0|0", "5|dense|[2]|258|0",
        "6|activation softmax|[2]|0|0");
    assertEquals(expected, rows.stream().map(r -> r.name() + "|" + r.type() + "|" + r.output() + "|" + r.params()
        + "|" + r.state()).toList());
    long topParams = rows.stream().filter(r -> !r.name().startsWith(" ")).mapToLong(LayerTable.Row::params).sum();
    assertEquals(spec.compile().layout().paramCount(), topParams);
    assertEquals(650, topParams);
  }

  @Test
  void inspectPrintsTheTableAndTheTotals() throws Exception {
    NetworkSpec spec = Json.read(SPEC, NetworkSpec.class, "spec");
    Path dir = tmp.resolve("model");
    ModelFiles.save(new Model(spec, spec.compile().initParams(1), new Losses.CategoricalCrossEntropy()), dir,
        false);
    Cli.Result r = Cli.run("inspect", "--model", dir.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().matches("(?s).*\\n  3/shortcut +conv2d 1x1 \\(shortcut\\) +\\[8, 4, 4\\] +32 +0\\n.*"),
        r.toString());
    assertTrue(r.out().matches("(?s).*\\n3 +residual +\\[8, 4, 4\\] +344 +16\\n.*"), r.toString());
    assertTrue(r.out().contains("total: 650 trainable parameters; 24 state numbers"), r.toString());
    assertTrue(r.out().contains("param 3/shortcut/W"), "the block listing stays: " + r);
  }
}
