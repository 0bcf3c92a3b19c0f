package io.treeprop.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.jobs.data.SourceSpec;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** README.md documents every key the reader accepts, with the defaults the code applies. */
class ConfigReferenceDocTest {
  /** A table row: | `key` | type | default | meaning |. */
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z0-9.]+)` \\| [^|]*(?:\\\\\\|[^|]*)* \\| ([^|]*) \\|",
      Pattern.MULTILINE);
  private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");

  private static String doc;
  private static Map<String, String> defaults;

  @BeforeAll
  static void read() throws Exception {
    doc = Files.readString(ConfigFixtures.ROOT.resolve("README.md"));
    defaults = new HashMap<>();
    Matcher m = ROW.matcher(doc);
    while (m.find()) {
      defaults.put(m.group(1), m.group(2).strip());
    }
  }

  @Test
  void everyKeyHasARow() {
    List<String> missing = new ArrayList<>();
    for (String key : allKeys()) {
      if (!defaults.containsKey(key)) {
        missing.add(key);
      }
    }
    assertEquals(List.of(), missing, "keys without a row in README.md");
  }

  @Test
  void documentedDefaultsAreTheCodesDefaults() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("data.validationFraction", DataSection.DEFAULT_VALIDATION_FRACTION);
    expected.put("data.scaling", "none");
    expected.put("delimiter", "\"" + SourceSpec.DEFAULT_DELIMITER + "\"");
    expected.put("model.task", ModelSection.DEFAULT_TASK);
    expected.put("training.epochs", TrainingSection.DEFAULT_EPOCHS);
    expected.put("training.batchSize", TrainingSection.DEFAULT_BATCH_SIZE);
    expected.put("training.seed", TrainingSection.DEFAULT_SEED);
    expected.put("training.schedule", "constant");
    expected.put("training.l2", TrainingSection.DEFAULT_L2);
    expected.put("training.decayBiases", TrainingSection.DEFAULT_DECAY_BIASES);
    expected.put("training.clipNorm", TrainingSection.DEFAULT_CLIP_NORM);
    expected.put("training.earlyStopping.monitor", TrainingSection.DEFAULT_MONITOR.jsonName());
    expected.put("training.earlyStopping.patience", TrainingSection.DEFAULT_PATIENCE);
    expected.put("training.earlyStopping.minDelta", TrainingSection.DEFAULT_MIN_DELTA);
    expected.put("training.earlyStopping.restoreBest", TrainingSection.DEFAULT_RESTORE_BEST);
    expected.put("training.partitions", TrainingSection.DEFAULT_PARTITIONS);
    expected.put("training.treeDepth", TrainingSection.DEFAULT_TREE_DEPTH);
    expected.put("training.checkpoints.everySteps", TrainingSection.DEFAULT_EVERY_STEPS);
    expected.put("training.checkpoints.everyEpoch", TrainingSection.DEFAULT_EVERY_EPOCH);
    expected.put("training.checkpoints.keepLast", TrainingSection.DEFAULT_KEEP_LAST);
    expected.put("training.checkpoints.resume", TrainingSection.DEFAULT_RESUME);
    expected.put("output.overwrite", OutputSection.DEFAULT_OVERWRITE);
    expected.put("tune.samples", TuneSection.DEFAULT_SAMPLES);
    expected.put("tune.seed", TuneSection.DEFAULT_SEED);
    expected.put("tune.folds", TuneSection.DEFAULT_FOLDS);
    expected.put("tune.parallelism", TuneSection.DEFAULT_PARALLELISM);
    expected.put("tune.trainBest", TuneSection.DEFAULT_TRAIN_BEST);
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      String cell = defaults.get(e.getKey());
      assertTrue(cell != null, e.getKey() + " has no row");
      Matcher code = FIRST_CODE.matcher(cell);
      assertTrue(code.find(), e.getKey() + ": no `value` in the default cell \"" + cell + "\"");
      assertEquals(plain(e.getValue()), code.group(1), e.getKey());
    }
  }

  @Test
  void theDefaultOptimizerIsDocumented() {
    String cell = defaults.get("training.optimizer");
    assertTrue(cell.contains("type = adam") && cell.contains("learningRate = "
        + plain(TrainingSection.DEFAULT_OPTIMIZER.learningRate())), cell);
  }

  private static String plain(Object v) {
    return v instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
        : String.valueOf(v);
  }

  private static List<String> allKeys() {
    List<String> keys = new ArrayList<>();
    prefixed(keys, "", JobConfig.KEYS);
    prefixed(keys, "data.", DataSection.KEYS);
    keys.addAll(DataSection.SOURCE_KEYS);
    prefixed(keys, "model.", ModelSection.KEYS);
    prefixed(keys, "training.", TrainingSection.KEYS);
    prefixed(keys, "training.earlyStopping.", TrainingSection.EARLY_STOPPING_KEYS);
    prefixed(keys, "training.checkpoints.", TrainingSection.CHECKPOINT_KEYS);
    prefixed(keys, "output.", OutputSection.KEYS);
    prefixed(keys, "spark.", SparkSection.KEYS);
    prefixed(keys, "tune.", TuneSection.KEYS);
    keys.removeAll(JobConfig.KEYS);
    return keys;
  }

  private static void prefixed(List<String> out, String prefix, List<String> keys) {
    keys.forEach(k -> out.add(prefix + k));
  }
}
