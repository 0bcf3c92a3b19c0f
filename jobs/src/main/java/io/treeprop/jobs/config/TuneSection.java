package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigErrors.describe;
import static io.treeprop.jobs.config.ConfigErrors.where;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tune} section of a {@code treeprop tune} job: which keys of the job to try which values for, how each
 * trial is scored (k-fold cross-validation or one held-out split of {@code data.train}, and the metric), and how
 * the trials run.
 *
 * <pre>
 * tune {
 *   grid { training.optimizer.learningRate = [1e-3, 3e-3], model.layers = [[...], [...]] }
 *   samples = 0          # 0: every combination; n: n distinct combinations drawn with seed
 *   folds = 3            # or validationFraction = 0.2, not both
 *   metric = accuracy, goal = max, parallelism = 1, trainBest = false, dir = out/job/tune
 * }
 * </pre>
 *
 * @param grid each tuned key (a full dotted job key) and its candidate values, keys in alphabetical order
 * @param samples 0 to run every combination of the grid, else how many distinct combinations to draw
 * @param seed seeds the draw of samples and the split of {@code data.train} into folds
 * @param folds k of k-fold cross-validation, or 0 when {@code validationFraction} is used
 * @param validationFraction the fraction of {@code data.train} held out of every trial, or 0 when folds are used
 * @param metric what to compare trials by; null for the task's default (accuracy, or rmse for regression)
 * @param goal whether more or less of the metric is better; null for the metric's own direction
 * @param parallelism how many trials train at once in the one Spark application
 * @param trainBest whether to train the best configuration on all of {@code data.train} afterwards, as
 *     {@code treeprop train} would (the job's {@code output} section)
 * @param dir where the results, chart and best configuration go; null for {@code tune} beside {@code output.model}
 */
public record TuneSection(Map<String, List<ConfigValue>> grid, int samples, long seed, int folds,
    double validationFraction, Metric metric, Goal goal, int parallelism, boolean trainBest, String dir) {
  /** The section's key in a job file. */
  public static final String NAME = "tune";
  public static final int DEFAULT_SAMPLES = 0;
  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_FOLDS = 3;
  public static final int DEFAULT_PARALLELISM = 1;
  public static final boolean DEFAULT_TRAIN_BEST = false;
  /** The default {@code dir}'s name, beside {@code output.model}. */
  public static final String DEFAULT_DIR_NAME = "tune";

  static final List<String> KEYS = List.of("grid", "samples", "seed", "folds", "validationFraction", "metric", "goal",
      "parallelism", "trainBest", "dir");
  /** Sections whose keys every trial shares. */
  private static final List<String> FIXED = List.of(NAME, "output", "spark");

  /** What a trial is scored by on its held-out rows: what evaluation computes. */
  public enum Metric {
    ACCURACY(true, Goal.MAX), MACRO_F1(true, Goal.MAX), RMSE(false, Goal.MIN), MSE(false, Goal.MIN),
    MAE(false, Goal.MIN), R2(false, Goal.MAX);

    private final boolean classification;
    private final Goal goal;

    Metric(boolean classification, Goal goal) {
      this.classification = classification;
      this.goal = goal;
    }

    /** The metric's name in configs and tables, e.g. {@code macro_f1}. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether it measures a classifier (else a regression). */
    public boolean classification() {
      return classification;
    }

    /** Its own direction: more accuracy is better, less RMSE. */
    public Goal goal() {
      return goal;
    }

    static List<String> names() {
      return Arrays.stream(values()).map(Metric::jsonName).toList();
    }
  }

  /** Whether the best trial has the highest or the lowest metric. */
  public enum Goal {
    MAX, MIN;

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TuneSection {
    if (grid == null || grid.isEmpty()) {
      throw new IllegalArgumentException("tune.grid names no key; give the keys to tune and their candidates, e.g. "
          + "grid { training.optimizer.learningRate = [1e-3, 3e-3] }");
    }
    grid = Collections.unmodifiableMap(new TreeMap<>(grid));
    if (samples < 0) {
      throw new IllegalArgumentException("tune.samples (" + samples + ") must be >= 0 (0 = the whole grid)");
    }
    if (folds != 0 && validationFraction != 0) {
      throw new IllegalArgumentException("tune.folds (" + folds + ") and tune.validationFraction ("
          + validationFraction + ") are both set; choose one: k-fold cross-validation or one held-out split");
    }
    if (validationFraction == 0 && folds < 2) {
      throw new IllegalArgumentException("tune.folds (" + folds + ") must be at least 2; for one held-out split "
          + "set tune.validationFraction instead");
    }
    if (validationFraction != 0 && !(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("tune.validationFraction (" + validationFraction + ") must be above 0 and "
          + "below 1");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("tune.parallelism (" + parallelism + ") must be at least 1");
    }
    if (dir != null && dir.isBlank()) {
      throw new IllegalArgumentException("tune.dir is blank; give a directory or leave it out");
    }
  }

  /** The number of combinations in the grid. */
  public long gridSize() {
    long n = 1;
    for (List<ConfigValue> candidates : grid.values()) {
      n = Math.multiplyExact(n, candidates.size());
    }
    return n;
  }

  /** The goal to use: the configured one, or the metric's own. */
  public Goal goalFor(Metric m) {
    return goal != null ? goal : m.goal();
  }

  static TuneSection read(Node t) {
    Map<String, List<ConfigValue>> grid = grid(t);
    int samples = t.optInt("samples", DEFAULT_SAMPLES);
    long seed = t.optLong("seed", DEFAULT_SEED);
    int folds = t.has("folds") ? t.optInt("folds", DEFAULT_FOLDS) : 0;
    double fraction = t.optDouble("validationFraction", 0);
    if (!t.has("folds") && !t.has("validationFraction")) {
      folds = DEFAULT_FOLDS;
    }
    Metric metric = choice(t, "metric", Metric.class, Metric.names());
    Goal goal = choice(t, "goal", Goal.class, List.of("max", "min"));
    int parallelism = t.optInt("parallelism", DEFAULT_PARALLELISM);
    boolean trainBest = t.optBoolean("trainBest", DEFAULT_TRAIN_BEST);
    String dir = t.optString("dir");
    int k = folds;
    return t.build(() -> new TuneSection(grid, samples, seed, k, fraction, metric, goal, parallelism, trainBest,
        dir), NAME);
  }

  private static <E extends Enum<E>> E choice(Node t, String key, Class<E> type, List<String> names) {
    String v = t.optString(key);
    if (v == null) {
      return null;
    }
    if (!names.contains(v)) {
      throw t.error(key, "\"" + v + "\" is not one of " + String.join(", ", names));
    }
    return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
  }

  /**
   * The grid as full dotted keys to candidate lists: {@code grid { training.optimizer.learningRate = [..] }} and
   * {@code grid { "training.optimizer.learningRate" = [..] }} name the same key.
   */
  private static Map<String, List<ConfigValue>> grid(Node t) {
    ConfigValue v = t.value("grid");
    if (v == null) {
      throw t.missing("grid", "the keys to tune and their candidate values, e.g. grid { "
          + "training.optimizer.learningRate = [1e-3, 3e-3] }");
    }
    if (!(v instanceof ConfigObject o)) {
      throw t.wrongType("grid", "an object of keys and candidate lists, e.g. { training.epochs = [5, 10] }");
    }
    Map<String, List<ConfigValue>> grid = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : o.toConfig().entrySet()) {
      String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
      String full = t.path("grid") + "." + key;
      ConfigValue candidates = e.getValue();
      if (FIXED.contains(key.split("\\.")[0])) {
        throw new IllegalArgumentException(full + ": " + key.split("\\.")[0] + " keys cannot be tuned: every trial "
            + "shares the tune's outputs and its one Spark application; tune data, model or training keys"
            + where(candidates.origin()));
      }
      if (!(candidates instanceof ConfigList list)) {
        throw new IllegalArgumentException(full + ": expected a list of candidate values, e.g. [1e-3, 3e-3], got "
            + describe(candidates) + "; a key with one value belongs in its own section" + where(candidates.origin()));
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException(full + ": the list of candidates is empty; give at least one value"
            + where(list.origin()));
      }
      if (grid.put(key, new ArrayList<>(list)) != null) {
        throw new IllegalArgumentException(full + " is given twice" + where(candidates.origin()));
      }
    }
    return grid;
  }
}
