package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.MINIMAL;
import static io.treeprop.jobs.config.ConfigFixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.optim.Optimizers;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tune section expands into validated jobs: keys, trial order, samples, shorthands, fingerprint. */
class TuneConfigTest {
  private static TuneConfig tune(String section, String... overrides) {
    return TuneConfig.parse(MINIMAL + "tune { " + section + " }", "tune.conf", List.of(overrides));
  }

  @Test
  void trialsAreTheGridInOrderTheLastKeyFastest() {
    TuneConfig t = tune("grid { training.epochs = [1, 2, 3], training.batchSize = [8, 16] }");
    assertEquals(List.of("training.batchSize", "training.epochs"), t.keys());
    assertEquals(6, t.trials().size());
    assertEquals(List.of(8, 8, 8, 16, 16, 16), t.trials().stream().map(x -> x.job().training().batchSize()).toList());
    assertEquals(List.of(1, 2, 3, 1, 2, 3), t.trials().stream().map(x -> x.job().training().epochs()).toList());
    assertEquals("training.batchSize=16, training.epochs=2", t.trials().get(4).describe());
    assertEquals(3, t.folds());
    assertEquals(TuneSection.Metric.RMSE, t.metric(), "the default of a regression");
    assertTrue(!t.maximize());
    assertEquals("out/tune", t.dir(), "beside output.model");
  }

  @Test
  void quotedAndNestedKeysAreTheSameKey() {
    TuneConfig nested = tune("grid { training.optimizer.learningRate = [0.1] }");
    TuneConfig quoted = tune("grid { \"training.optimizer.learningRate\" = [0.1] }");
    assertEquals(nested.keys(), quoted.keys());
    assertEquals(nested.fingerprint(), quoted.fingerprint());
  }

  @Test
  void aChildKeyAdjustsAShorthandAndAParentIsSetBeforeItsChild() {
    TuneConfig child = TuneConfig.parse(MINIMAL + "training.optimizer = sgd\ntune { grid { "
        + "training.optimizer.learningRate = [0.5] } }", "tune.conf", List.of());
    assertEquals(new Optimizers.Sgd(0.5f), child.trials().get(0).job().training().optimizer());
    // quoted: unquoted, HOCON's path expression would turn the first list into an object holding the second
    TuneConfig both = tune("grid { \"training.optimizer\" = [adam, sgd], "
        + "\"training.optimizer.learningRate\" = [0.25] }");
    assertEquals(List.of(new Optimizers.Adam(0.25f), new Optimizers.Sgd(0.25f)),
        both.trials().stream().map(x -> x.job().training().optimizer()).toList());
  }

  @Test
  void samplesAreDistinctCombinationsDrawnWithTheSeed() {
    String grid = "grid { training.epochs = [1, 2, 3, 4], training.batchSize = [8, 16, 32] }, samples = 5";
    TuneConfig a = tune(grid);
    assertEquals(5, a.trials().size());
    assertEquals(5, new HashSet<>(a.trials().stream().map(TuneConfig.Trial::describe).toList()).size());
    assertEquals(a.trials().stream().map(TuneConfig.Trial::describe).toList(),
        tune(grid).trials().stream().map(TuneConfig.Trial::describe).toList(), "the same seed draws the same");
    assertNotEquals(a.fingerprint(), tune(grid + ", seed = 7").fingerprint());
  }

  @Test
  void theFingerprintIgnoresHowTrialsRunButNotWhatTheyAre() {
    String grid = "grid { training.epochs = [1, 2] }";
    String fp = tune(grid).fingerprint();
    assertEquals(fp, tune(grid + ", parallelism = 3, trainBest = true").fingerprint());
    assertNotEquals(fp, tune("grid { training.epochs = [1, 3] }").fingerprint());
    assertNotEquals(fp, tune(grid, "training.batchSize=7").fingerprint(), "a change of the base job");
    assertNotEquals(fp, tune(grid + ", folds = 4").fingerprint());
  }

  @Test
  void aCandidateBreakingACoreRuleNamesKeyValueAndRule() {
    fails(() -> tune("grid { training.optimizer.learningRate = [0.1, -1] }"),
        "tune.grid.training.optimizer.learningRate = -1: training.optimizer.learningRate (-1.0) must be");
    fails(() -> tune("grid { model.layers = [[{type = dense, units = 1}], [{type = dense, unit = 1}]] }"),
        "tune.grid.model.layers = [{\"type\":\"dense\",\"unit\":1}]: ", "unit");
    fails(() -> tune("grid { training.epochs = [1] }, goal = up"), "tune.goal: \"up\" is not one of max, min");
    fails(() -> TuneConfig.parse(MINIMAL, "tune.conf", List.of()), "missing required key tune");
  }
}
