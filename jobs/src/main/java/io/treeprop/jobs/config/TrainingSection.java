package io.treeprop.jobs.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.Optimizer;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.train.CheckpointConfig;
import io.treeprop.spark.train.Exchange;
import io.treeprop.spark.train.SparkTrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code training} section: how long, in what batches, with which optimizer, schedule, regularisation, early
 * stopping, partitioning and checkpoints. Every key has a default (the {@code DEFAULT_*} constants).
 *
 * @param epochs passes over the training data (at least 1); with lbfgs, its iterations
 * @param batchSize global mini-batch size, independent of the partition count (at least 1); not used by lbfgs
 * @param seed seeds every random choice: initialisation, shuffles, dropout, the validation split
 * @param optimizer core optimizer with its hyperparameters
 * @param schedule learning-rate schedule
 * @param l2 L2 weight-decay coefficient (≥ 0)
 * @param decayBiases whether L2 (and AdamW's decay) also apply to biases
 * @param clipNorm clip the gradient to this global norm; 0 disables
 * @param earlyStopping null to run every epoch
 * @param partitions repartition the training data to this many partitions; 0 keeps the source's
 * @param treeDepth depth of Spark's {@code treeAggregate} (at least 1)
 * @param exchange how a step's weights and gradients travel: tree, barrier or auto
 * @param checkpoints null for none
 * @param resume continue from the latest checkpoint when there is one (only with checkpoints)
 */
public record TrainingSection(int epochs, int batchSize, long seed, Optimizer optimizer, ScheduleSpec schedule,
    float l2, boolean decayBiases, float clipNorm, EarlyStopping earlyStopping, int partitions, int treeDepth,
    Exchange exchange, CheckpointConfig checkpoints, boolean resume) {
  public static final int DEFAULT_EPOCHS = TrainConfig.DEFAULT_EPOCHS;
  public static final int DEFAULT_BATCH_SIZE = TrainConfig.DEFAULT_BATCH_SIZE;
  public static final long DEFAULT_SEED = TrainConfig.DEFAULT_SEED;
  /** Adam at its default rate ({@link Optimizers#DEFAULT_ADAPTIVE_LR}). */
  public static final Optimizer DEFAULT_OPTIMIZER = new Optimizers.Adam();
  public static final ScheduleSpec DEFAULT_SCHEDULE = new ScheduleSpec.Fixed(new Schedule.Constant());
  public static final float DEFAULT_L2 = 0f;
  public static final boolean DEFAULT_DECAY_BIASES = false;
  public static final float DEFAULT_CLIP_NORM = 0f;
  public static final int DEFAULT_PARTITIONS = 0;
  public static final int DEFAULT_TREE_DEPTH = SparkTrainConfig.DEFAULT_TREE_DEPTH;
  public static final Exchange DEFAULT_EXCHANGE = Exchange.AUTO;
  /** Early stopping is off unless {@code training.earlyStopping} is given; these fill its omitted keys. */
  public static final EarlyStopping.Monitor DEFAULT_MONITOR = EarlyStopping.Monitor.VALIDATION_LOSS;
  public static final int DEFAULT_PATIENCE = EarlyStopping.DEFAULT_PATIENCE;
  public static final double DEFAULT_MIN_DELTA = 0;
  public static final boolean DEFAULT_RESTORE_BEST = true;
  /** Checkpoints are off unless {@code training.checkpoints} is given; these fill its omitted keys. */
  public static final int DEFAULT_EVERY_STEPS = 0;
  public static final boolean DEFAULT_EVERY_EPOCH = true;
  public static final int DEFAULT_KEEP_LAST = CheckpointConfig.DEFAULT_KEEP_LAST;
  /** A rerun continues an interrupted run; a checkpoint of another configuration is an error, never reused. */
  public static final boolean DEFAULT_RESUME = true;

  static final List<String> KEYS = List.of("epochs", "batchSize", "seed", "optimizer", "schedule", "l2",
      "decayBiases", "clipNorm", "earlyStopping", "partitions", "treeDepth", "exchange", "checkpoints");
  static final List<String> CHECKPOINT_KEYS = List.of("dir", "everySteps", "everyEpoch", "keepLast", "resume");
  static final List<String> EARLY_STOPPING_KEYS = List.of("monitor", "patience", "minDelta", "restoreBest");
  static final List<String> COSINE_KEYS = List.of("type", "minRate");
  static final List<String> WARMUP_KEYS = List.of("type", "steps", "then");

  public TrainingSection {
    atLeast("epochs", epochs, 1);
    atLeast("batchSize", batchSize, 1);
    atLeast("partitions", partitions, 0);
    atLeast("treeDepth", treeDepth, 1);
    if (exchange == null) {
      exchange = DEFAULT_EXCHANGE;
    }
    if (optimizer == null) {
      optimizer = DEFAULT_OPTIMIZER;
    }
    if (schedule == null) {
      schedule = DEFAULT_SCHEDULE;
    }
    if (!(l2 >= 0) || !Float.isFinite(l2)) {
      throw new IllegalArgumentException("training.l2 (" + l2 + ") must be a finite number >= 0");
    }
    if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
      throw new IllegalArgumentException("training.clipNorm (" + clipNorm + ") must be a finite number >= 0 "
          + "(0 = off)");
    }
    if (checkpoints == null && resume) {
      throw new IllegalArgumentException("training.checkpoints.resume needs training.checkpoints.dir");
    }
    if (optimizer instanceof Lbfgs) {
      if (clipNorm > 0) {
        throw new IllegalArgumentException("training.clipNorm (" + clipNorm + ") does not apply to the lbfgs "
            + "optimizer, whose line search chooses each step; remove it");
      }
      if (!schedule.equals(DEFAULT_SCHEDULE)) {
        throw new IllegalArgumentException("training.schedule does not apply to the lbfgs optimizer, whose line "
            + "search chooses each step; remove it");
      }
    }
  }

  /** Every default: Adam, constant rate, 10 epochs of 128, seed 42, no early stopping, no checkpoints. */
  public static TrainingSection defaults() {
    return new TrainingSection(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_SEED, DEFAULT_OPTIMIZER,
        DEFAULT_SCHEDULE, DEFAULT_L2, DEFAULT_DECAY_BIASES, DEFAULT_CLIP_NORM, null, DEFAULT_PARTITIONS,
        DEFAULT_TREE_DEPTH, DEFAULT_EXCHANGE, null, false);
  }

  static TrainingSection read(Node t) {
    if (t == null) {
      return defaults();
    }
    Optimizer optimizer = optimizer(t);
    if (optimizer instanceof Lbfgs && t.value("batchSize") != null) {
      throw t.error("batchSize", "does not apply to the lbfgs optimizer, which uses every training row in each "
          + "iteration (full batch); remove it");
    }
    ScheduleSpec schedule = schedule(t);
    EarlyStopping es = earlyStopping(t);
    Node c = t.optObject("checkpoints", CHECKPOINT_KEYS);
    CheckpointConfig checkpoints = c == null ? null : checkpoints(c);
    boolean resume = c != null && c.optBoolean("resume", DEFAULT_RESUME);
    int epochs = t.optInt("epochs", DEFAULT_EPOCHS);
    int batchSize = t.optInt("batchSize", DEFAULT_BATCH_SIZE);
    long seed = t.optLong("seed", DEFAULT_SEED);
    float l2 = t.optFloat("l2", DEFAULT_L2);
    boolean decayBiases = t.optBoolean("decayBiases", DEFAULT_DECAY_BIASES);
    float clipNorm = t.optFloat("clipNorm", DEFAULT_CLIP_NORM);
    int partitions = t.optInt("partitions", DEFAULT_PARTITIONS);
    int treeDepth = t.optInt("treeDepth", DEFAULT_TREE_DEPTH);
    String exchangeName = t.optString("exchange");
    java.util.List<String> exchanges = java.util.Arrays.stream(Exchange.values()).map(Exchange::jsonName).toList();
    if (exchangeName != null && !exchanges.contains(exchangeName)) {
      throw t.error("exchange", "\"" + exchangeName + "\" is not one of " + String.join(", ", exchanges));
    }
    return t.build(() -> new TrainingSection(epochs, batchSize, seed, optimizer, schedule, l2, decayBiases,
        clipNorm, es, partitions, treeDepth, exchangeName == null ? null : Exchange.fromName(exchangeName), checkpoints,
        resume), "training");
  }

  /** The section as plain values and JSON trees, every default written out. */
  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    if (!(optimizer instanceof Lbfgs)) {
      m.put("batchSize", batchSize); // lbfgs refuses it: it uses every row
    }
    m.put("seed", seed);
    m.put("optimizer", CoreJson.tree(optimizer));
    m.put("schedule", renderSchedule());
    m.put("l2", l2);
    m.put("decayBiases", decayBiases);
    m.put("clipNorm", clipNorm);
    DataSection.putIfSet(m, "earlyStopping", earlyStopping == null ? null : CoreJson.tree(earlyStopping));
    m.put("partitions", partitions);
    m.put("treeDepth", treeDepth);
    m.put("exchange", exchange.jsonName());
    if (checkpoints != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("dir", checkpoints.dir());
      c.put("everySteps", checkpoints.everySteps());
      c.put("everyEpoch", checkpoints.everyEpoch());
      c.put("keepLast", checkpoints.keepLast());
      c.put("resume", resume);
      m.put("checkpoints", c);
    }
    return m;
  }

  private Object renderSchedule() {
    if (schedule instanceof ScheduleSpec.CosineOverRun c) {
      Map<String, Object> cosine = new LinkedHashMap<>(Map.of("type", "cosine"));
      cosine.put("minRate", c.minRate());
      if (c.warmupSteps() == 0) {
        return cosine;
      }
      Map<String, Object> warmup = new LinkedHashMap<>(Map.of("type", "warmup"));
      warmup.put("steps", c.warmupSteps());
      warmup.put("then", cosine);
      return warmup;
    }
    return CoreJson.tree(((ScheduleSpec.Fixed) schedule).schedule());
  }

  /** An optimizer object without a type is the default optimizer's type, so its learning rate alone can be set. */
  private static Optimizer optimizer(Node t) {
    ConfigValue v = t.value("optimizer");
    if (v == null) {
      return DEFAULT_OPTIMIZER;
    }
    if (v instanceof ConfigObject o && !o.containsKey("type")) {
      v = o.withFallback(ConfigValueFactory.fromMap(Map.of("type", CoreJson.tree(DEFAULT_OPTIMIZER).get("type")
          .asText())));
    }
    return CoreJson.read(t.path("optimizer"), v, Optimizer.class);
  }

  /** {@code cosine} and a {@code cosine} without totalSteps (alone or after a warmup) last the whole run. */
  private static ScheduleSpec schedule(Node t) {
    ConfigValue v = t.value("schedule");
    if (v == null) {
      return DEFAULT_SCHEDULE;
    }
    if (isRunLengthCosine(v)) {
      Node c = t.optObject("schedule", COSINE_KEYS);
      double minRate = c.optDouble("minRate", 0);
      return c.build(() -> new ScheduleSpec.CosineOverRun(minRate, 0), "cosine");
    }
    if (v instanceof ConfigObject o && "warmup".equals(type(o)) && isRunLengthCosine(o.get("then"))) {
      Node w = t.optObject("schedule", WARMUP_KEYS);
      Node c = w.optObject("then", COSINE_KEYS);
      if (!w.has("steps")) {
        throw w.missing("steps", "the number of warm-up steps");
      }
      long steps = w.optLong("steps", 0);
      double minRate = c.optDouble("minRate", 0);
      w.build(() -> new Schedule.Warmup(steps, null), "warmup");
      c.build(() -> new ScheduleSpec.CosineOverRun(minRate, 0), "cosine");
      return w.build(() -> new ScheduleSpec.CosineOverRun(minRate, steps), "warmup");
    }
    return new ScheduleSpec.Fixed(CoreJson.read(t.path("schedule"), v, Schedule.class));
  }

  private static CheckpointConfig checkpoints(Node c) {
    String dir = c.string("dir", "the checkpoint directory (a local or Hadoop path)");
    int everySteps = c.optInt("everySteps", DEFAULT_EVERY_STEPS);
    boolean everyEpoch = c.optBoolean("everyEpoch", DEFAULT_EVERY_EPOCH);
    int keepLast = c.optInt("keepLast", DEFAULT_KEEP_LAST);
    return c.build(() -> new CheckpointConfig(dir, everySteps, everyEpoch, keepLast), "checkpoint");
  }

  private static boolean isRunLengthCosine(ConfigValue v) {
    return v instanceof ConfigObject o && "cosine".equals(type(o)) && !o.containsKey("totalSteps");
  }

  private static Object type(ConfigObject o) {
    ConfigValue t = o.get("type");
    return t == null ? null : t.unwrapped();
  }

  /**
   * Core's EarlyStopping has no JSON defaults, so omitted keys are filled here (after checking the given ones)
   * before core reads it.
   */
  private static EarlyStopping earlyStopping(Node t) {
    ConfigValue v = t.value("earlyStopping");
    if (v == null) {
      return null;
    }
    if (v instanceof ConfigObject o) {
      t.optObject("earlyStopping", EARLY_STOPPING_KEYS);
      v = o.withFallback(ConfigValueFactory.fromMap(Map.of("monitor", DEFAULT_MONITOR.jsonName(),
          "patience", DEFAULT_PATIENCE, "minDelta", DEFAULT_MIN_DELTA, "restoreBest", DEFAULT_RESTORE_BEST)));
    }
    return CoreJson.read(t.path("earlyStopping"), v, EarlyStopping.class);
  }

  private static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException("training." + key + " (" + value + ") must be at least " + min
          + (key.equals("partitions") ? " (0 keeps the data's partitioning)" : ""));
    }
  }
}
