package io.treeprop.spark.train;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.LbfgsSolver;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.LbfgsTraining;
import io.treeprop.core.train.Objective;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.data.Block;
import io.treeprop.spark.data.InputColumns;
import io.treeprop.spark.data.Packer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * Data-parallel training on Spark (DESIGN.md, "One training step on Spark"). Each step broadcasts the weights,
 * lets every partition compute the gradient of its slice of the global batch ({@link StepTask}), sums the
 * partial results with {@code treeAggregate}, and applies the core {@link io.treeprop.core.optim.Updater} on the
 * driver. Holds configuration only: each {@code fit} builds its own state.
 *
 * <p>With {@link Lbfgs} an epoch is one full-batch L-BFGS iteration ({@link LbfgsTraining}): every evaluation of
 * the loss and gradient its line search asks for is one aggregation over all rows of every partition, by either
 * exchange; the history is the checkpoint's optimizer state.
 */
public final class SparkTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

  private final SparkTrainConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private float[] initialParams;
  private float[] initialState;

  public SparkTrainer(SparkTrainConfig config) {
    this.config = config;
  }

  /**
   * Starts from these weights instead of the initializers (a warm start, e.g. from an earlier model); a resumed
   * checkpoint still takes precedence. Returns this.
   */
  public SparkTrainer warmStart(float[] params, float[] state) {
    this.initialParams = params.clone();
    this.initialState = state.clone();
    return this;
  }

  /** Adds a listener; returns this. */
  public SparkTrainer addListener(TrainingListener l) {
    listeners.add(l);
    return this;
  }

  /**
   * Trains a network on a DataFrame.
   *
   * @param validation held-out rows, or null to hold out {@code validationFraction} of {@code train}
   * @throws IllegalArgumentException for bad configuration or data, before any training step
   * @throws IllegalStateException when the loss becomes NaN or infinite
   */
  public Model fit(NetworkSpec spec, Loss loss, Dataset<Row> train, Dataset<Row> validation, InputColumns columns) {
    Network net = spec.compile();
    Objective objective = new Objective(net, loss);
    objective.requireTrainable();
    if (initialParams != null && (initialParams.length != net.layout().paramCount()
        || initialState.length != net.layout().stateCount())) {
      throw new IllegalArgumentException("warm start: the initial model has " + initialParams.length
          + " parameters and " + initialState.length + " state values, the network " + net.layout().paramCount()
          + " and " + net.layout().stateCount() + "; it must have the same layers");
    }
    TrainConfig tc = config.train();
    if (tc.updater().optimizer() instanceof Lbfgs) {
      LbfgsTraining.require(spec, tc.updater());
    }
    EarlyStopping es = tc.earlyStopping();
    boolean hasValidation = validation != null || tc.validationFraction() > 0;
    if (es != null && es.monitor().needsValidation() && !hasValidation) {
      throw new IllegalArgumentException("earlyStopping.monitor " + es.monitor().jsonName() + " needs validation "
          + "data: give a validation DataFrame or a validationFraction above 0");
    }
    int features = net.inputShape().size();
    int outputs = net.outputShape().size();
    Packer.Packed data = Packer.pack(train, new Packer.Spec(columns, features, outputs, loss,
        validation == null ? tc.validationFraction() : 0, tc.seed()), config.partitions(), "training data");
    Packer.Packed val = null;
    try {
      if (validation != null) {
        val = Packer.pack(validation, new Packer.Spec(columns, features, outputs, loss, 0, tc.seed()),
            config.partitions(), "validation data");
        int partitions = data.blocks().getNumPartitions();
        if (noBarrier(train.sparkSession().sparkContext(), partitions) == null) {
          // the barrier job validates in the training tasks: one part of the validation data per partition
          val = val.spread(partitions);
        }
      } else if (tc.validationFraction() > 0 && data.validationRows() == 0) {
        throw new IllegalArgumentException("validationFraction " + tc.validationFraction() + " of " + data.rows()
            + " rows held out no row; raise it or give a validation DataFrame");
      }
      Run run = new Run(spec, loss, objective, data, val, train.sparkSession().sparkContext());
      return run.execute();
    } finally {
      data.release();
      if (val != null) {
        val.release();
      }
    }
  }

  /**
   * Trains a network on an RDD of labelled points (features and label; unweighted).
   *
   * @param validation held-out points, or null to hold out {@code validationFraction}
   */
  public Model fit(NetworkSpec spec, Loss loss, JavaRDD<LabeledPoint> train, JavaRDD<LabeledPoint> validation) {
    SparkSession spark = SparkSession.builder().sparkContext(train.context()).getOrCreate();
    return fit(spec, loss, toFrame(spark, train), validation == null ? null : toFrame(spark, validation),
        InputColumns.defaults());
  }

  private static Dataset<Row> toFrame(SparkSession spark, JavaRDD<LabeledPoint> points) {
    StructType schema = new StructType()
        .add(InputColumns.DEFAULT_FEATURES, SQLDataTypes.VectorType(), true)
        .add(InputColumns.DEFAULT_LABEL, DataTypes.DoubleType, false);
    return spark.createDataFrame(points.map(p -> RowFactory.create(p.features(), p.label())), schema);
  }

  /** Why a run on this context and partitioning does not use the barrier exchange, or null when it does. */
  private String noBarrier(SparkContext sc, int partitions) {
    return config.exchange() == Exchange.TREE ? "exchange tree" : BarrierExchange.unsupported(sc, partitions);
  }

  /**
   * Checks before any Spark work what resuming would check after packing: that the latest checkpoint, when this
   * configuration resumes from one, was written by the same network, loss, training settings and partition count.
   *
   * @param partitions the partition count the run will train on (the configured one, when it is not 0)
   * @throws IllegalArgumentException naming the checkpoint and how to start over
   */
  public void checkResumable(NetworkSpec spec, Loss loss, int partitions,
      org.apache.hadoop.conf.Configuration hadoop) {
    if (config.checkpoints() == null || !config.resume()) {
      return;
    }
    try {
      Checkpoints checkpoints = new Checkpoints(config.checkpoints(), hadoop);
      Path latest = checkpoints.latest();
      if (latest != null) {
        checkpoints.requireFingerprint(latest, fingerprint(spec, loss, partitions));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + config.checkpoints().dir(), e);
    }
  }

  /** Identifies what a checkpoint may be resumed by: everything but the epoch count. */
  String fingerprint(NetworkSpec spec, Loss loss, int partitions) {
    TrainConfig t = config.train();
    String s = Json.writeCompact(spec) + Json.writeCompact(loss) + t.batchSize() + "/" + t.seed() + "/"
        + Json.writeCompact(t.updater().optimizer()) + Json.writeCompact(t.updater().schedule()) + "/"
        + t.updater().l2() + "/" + t.updater().decayBiases() + "/" + t.updater().clipNorm() + "/"
        + t.validationFraction() + "/" + t.earlyStopping() + "/" + partitions;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return String.format("%08x-%d", crc.getValue(), s.length());
  }

  /** One run's moving parts. */
  private final class Run {
    private final NetworkSpec spec;
    private final Loss loss;
    private final Objective objective;
    private final Packer.Packed data;
    private final Packer.Packed val;
    private final SparkContext sc;
    private final String specJson;
    private final String lossJson;
    private final TrainConfig tc;
    private final int stepsPerEpoch;
    private final int[] decay;
    private final Checkpoints checkpoints;
    private final String fingerprint;
    /** The caller's job description, put back after each of our jobs. */
    private final String callerDescription;
    private RunState r;
    private EarlyStopping.Tracker tracker;
    /** The averaged gradient, reused across steps (the updater modifies it; nothing keeps it). */
    private float[] gradBuffer;
    private final io.treeprop.core.train.DivergenceGuard divergence = new io.treeprop.core.train.DivergenceGuard();
    /** The weights before the last update, overwritten by the next one. */
    private float[] spareParams;
    /** Null when each step is its own treeAggregate job. */
    private BarrierExchange barrier;
    /** The L-BFGS settings, or null for a mini-batch optimizer. */
    private final Lbfgs lbfgs;
    /** The L-BFGS solver and its current point, made at the first iteration of this process. */
    private LbfgsSolver solver;
    private LbfgsSolver.Point<LbfgsTraining.Evaluation> at;
    /** The last L-BFGS step length, and why the solver stopped (null while it goes on). */
    private double stepLength;
    private String solverStop;
    /** Timings of the last {@link #aggregate}. */
    private double sendMs;
    private double gatherMs;
    private long gatheredAt;

    Run(NetworkSpec spec, Loss loss, Objective objective, Packer.Packed data, Packer.Packed val, SparkContext sc) {
      this.spec = spec;
      this.loss = loss;
      this.objective = objective;
      this.data = data;
      this.val = val;
      this.sc = sc;
      this.callerDescription = sc.getLocalProperty(Packer.JOB_DESCRIPTION);
      this.specJson = Json.writeCompact(spec);
      this.lossJson = Json.writeCompact(loss);
      this.tc = config.train();
      this.lbfgs = tc.updater().optimizer() instanceof Lbfgs l ? l : null;
      int b = (int) Math.min(tc.batchSize(), data.rows());
      this.stepsPerEpoch = lbfgs != null ? 1 : (int) ((data.rows() + b - 1) / b);
      this.decay = tc.updater().decayRanges(objective.network().layout());
      this.fingerprint = fingerprint(spec, loss, data.blocks().getNumPartitions());
      try {
        this.checkpoints = config.checkpoints() == null ? null
            : new Checkpoints(config.checkpoints(), sc.hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open checkpoint directory " + config.checkpoints().dir(), e);
      }
    }

    Model execute() {
      barrier = barrierExchange();
      try {
        return train();
      } finally {
        if (barrier != null) {
          barrier.close();
        }
      }
    }

    /** The barrier exchange when the configuration asks for it and the application allows it, else null. */
    private BarrierExchange barrierExchange() {
      int partitions = data.blocks().getNumPartitions();
      String why = noBarrier(sc, partitions);
      if (why != null) {
        if (config.exchange() == Exchange.BARRIER) {
          throw new IllegalArgumentException("exchange barrier: " + why + "; or use exchange tree");
        }
        if (config.exchange() == Exchange.AUTO) {
          LOG.info("using the tree exchange: {}", why);
        }
        return null;
      }
      LOG.info("using the barrier exchange: one Spark job for the run, {} tasks", partitions);
      // validation data is spread over as many partitions (fit), so the barrier tasks validate it too
      JavaRDD<Block> zip = val != null && val.blocks().getNumPartitions() == partitions ? val.blocks() : null;
      return new BarrierExchange(sc, data.blocks(), zip, data.validationRows() > 0,
          specJson, lossJson, tc.seed(), stepsPerEpoch, objective.network().layout().paramCount(),
          callerDescription);
    }

    private Model train() {
      r = start();
      tracker = tc.earlyStopping() == null ? null : tc.earlyStopping().newTracker();
      if (tracker != null && r.trackerBest != null) {
        tracker.restore(r.trackerBest, r.trackerBestEpoch, r.trackerWaited);
      }
      int partitions = data.blocks().getNumPartitions();
      listeners.forEach(l -> l.onStart(data.rows(), stepsPerEpoch, tc.epochs(), partitions));
      String stop = "completed " + tc.epochs() + " epochs";
      long t0 = System.nanoTime();
      double before = r.seconds;
      boolean stopped = r.epoch > tc.epochs();
      while (!stopped && r.epoch <= tc.epochs()) {
        long e0 = System.nanoTime();
        if (barrier != null) {
          barrier.describe(String.format("treeprop: epochs %d-%d (barrier exchange)", r.epoch, tc.epochs()));
        }
        while (r.stepInEpoch < stepsPerEpoch) {
          step();
          r.stepInEpoch++;
          r.seconds = before + (System.nanoTime() - t0) / 1e9;
          if (config.checkpoints() != null && config.checkpoints().everySteps() > 0
              && r.optimizer.step() % config.checkpoints().everySteps() == 0 && r.stepInEpoch < stepsPerEpoch) {
            r.epochSeconds += (System.nanoTime() - e0) / 1e9;
            e0 = System.nanoTime();
            save();
          }
        }
        r.epochSeconds += (System.nanoTime() - e0) / 1e9;
        String reason = endEpoch();
        if (reason == null) {
          reason = solverStop;
        }
        r.seconds = before + (System.nanoTime() - t0) / 1e9;
        if (reason != null) {
          stop = reason;
          stopped = true;
        }
        if (config.checkpoints() != null && (config.checkpoints().everyEpoch()
            || config.checkpoints().everySteps() > 0 && r.optimizer.step() % config.checkpoints().everySteps() == 0)) {
          save();
        }
      }
      if (barrier != null) {
        barrier.end();
      }
      float[] params = r.params;
      float[] state = r.state;
      Integer bestEpoch = null;
      if (tracker != null && tc.earlyStopping().restoreBest() && r.bestParams != null) {
        params = r.bestParams;
        state = r.bestState;
        bestEpoch = tracker.bestEpoch();
      }
      TrainingSummary summary = new TrainingSummary(r.history, bestEpoch, stop, r.optimizer.step(), r.seconds);
      listeners.forEach(l -> l.onEnd(summary));
      return new Model(spec, params, state, loss, List.of(), summary, Map.of());
    }

    private RunState start() {
      if (config.resume()) {
        try {
          RunState s = checkpoints.readLatestIntact(fingerprint, objective.network().layout().paramCount(),
              objective.network().layout().stateCount());
          if (s != null) {
            listeners.forEach(l -> l.onResume(s.optimizer.step()));
            return s;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read checkpoints in " + config.checkpoints().dir(), e);
        }
      }
      RunState s = new RunState();
      s.params = initialParams != null ? initialParams.clone() : objective.network().initParams(tc.seed());
      s.state = initialState != null ? initialState.clone() : objective.network().initState();
      s.optimizer = tc.updater().optimizer().newState(s.params.length);
      return s;
    }

    /** Runs an order through the barrier exchange; null when Spark refused it and the run goes on with tree. */
    private StepAggregate viaBarrier(Supplier<StepAggregate> order) {
      try {
        return order.get();
      } catch (BarrierExchange.Unavailable e) {
        if (config.exchange() == Exchange.BARRIER) {
          throw new IllegalArgumentException("exchange barrier: " + e.getMessage() + "; use exchange tree", e);
        }
        LOG.warn("using the tree exchange: {}", e.getMessage());
        barrier.close();
        barrier = null;
        return null;
      }
    }

    private void step() {
      if (lbfgs != null) {
        iterate();
        return;
      }
      StepAggregate agg = aggregate(r.epoch, r.stepInEpoch, r.optimizer.step(), r.params, r.state,
          String.format("treeprop: epoch %d/%d, step %d/%d (global %d)", r.epoch, tc.epochs(), r.stepInEpoch + 1,
              stepsPerEpoch, r.optimizer.step() + 1));
      update(agg, sendMs, gatherMs, gatheredAt);
    }

    /**
     * Every partition's contribution at these weights, summed: through the barrier exchange, or one
     * {@code treeAggregate} job (described as {@code description}). Leaves its timings in {@link #sendMs},
     * {@link #gatherMs} and {@link #gatheredAt}.
     */
    private StepAggregate aggregate(int epoch, int stepInEpoch, long globalStep, float[] params, float[] state,
        String description) {
      if (barrier != null) {
        long t0 = System.nanoTime();
        StepAggregate agg = viaBarrier(() -> barrier.step(epoch, stepInEpoch, globalStep, params, state));
        if (agg != null) {
          gatheredAt = System.nanoTime();
          // sending the order plays the broadcast's part; receiving includes the tasks' compute
          sendMs = barrier.sendNanos / 1e6;
          gatherMs = (gatheredAt - t0) / 1e6 - sendMs;
          return agg;
        }
      }
      sc.setJobDescription(description);
      long t0 = System.nanoTime();
      Broadcast<Weights> bc = sc.broadcast(new Weights(params, state), ClassTag$.MODULE$.apply(Weights.class));
      try {
        long t1 = System.nanoTime();
        StepAggregate agg = data.blocks().treeAggregate(new StepAggregate(),
            new StepTask(specJson, lossJson, tc.seed(), epoch, stepInEpoch, stepsPerEpoch, globalStep, bc),
            StepAggregate::merge, config.treeDepth());
        gatheredAt = System.nanoTime();
        sendMs = (t1 - t0) / 1e6;
        gatherMs = (gatheredAt - t1) / 1e6;
        return agg;
      } finally {
        bc.destroy();
        sc.setJobDescription(callerDescription);
      }
    }

    /**
     * One L-BFGS iteration (the epoch's only step): the solver continues from the checkpointed history, its
     * current point evaluated again after a resume (an evaluation is a pure function of the weights).
     */
    private void iterate() {
      long t0 = System.nanoTime();
      if (solver == null) {
        solver = new LbfgsSolver(lbfgs, r.optimizer);
        at = evaluate(r.params);
        if (!Double.isFinite(at.f())) {
          throw new IllegalStateException("training diverged: the loss at the " + (r.optimizer.step() == 0
              ? "initial weights" : "weights of iteration " + r.optimizer.step()) + " is " + at.f()
              + lastCheckpointNote());
        }
      }
      LbfgsSolver.Step<LbfgsTraining.Evaluation> s = solver.iterate(at, this::evaluate);
      at = s.point();
      r.params = at.x();
      if (s.stepLength() > 0) {
        r.state = at.info().state();
      }
      r.optimizer = solver.state();
      r.epochStats = new BatchStats().merge(at.info().stats());
      stepLength = s.stepLength();
      solverStop = s.stop();
      double ms = (System.nanoTime() - t0) / 1e6;
      StepTiming timing = new StepTiming(0, ms, 0, 0, 0);
      StepReport report = new StepReport(r.epoch, tc.epochs(), 0, 1, r.optimizer.step(), r.epochStats.meanLoss(),
          r.epochStats.accuracy(), r.epochStats.rows, stepLength, timing);
      listeners.forEach(l -> l.onStep(report));
    }

    /** The L-BFGS objective at {@code x}: one aggregation over every training row ({@link LbfgsTraining}). */
    private LbfgsSolver.Point<LbfgsTraining.Evaluation> evaluate(float[] x) {
      StepAggregate agg = aggregate(LbfgsTraining.EVALUATION_EPOCH, 0, LbfgsTraining.EVALUATION_STEP, x, r.state,
          String.format("treeprop: L-BFGS iteration %d/%d, evaluation", r.optimizer.step() + 1, tc.epochs()));
      BatchStats s = agg.stats;
      float[] g = new float[x.length];
      if (agg.hasGradient()) {
        agg.scaledGradient(s.weightSum > 0 ? 1.0 / s.weightSum : 0, g);
      }
      float[] st = r.state.clone();
      if (agg.stateSum != null && agg.stateRows > 0) {
        for (int i = 0; i < st.length; i++) {
          st[i] = (float) (agg.stateSum[i] / agg.stateRows);
        }
      }
      return LbfgsTraining.point(x, g, new LbfgsTraining.Evaluation(s, st), tc.updater().l2(), decay);
    }

    /**
     * The driver's half of a step: average the summed gradient, apply the optimizer, check for divergence, tell
     * the listeners.
     *
     * @param sendMs broadcasting (or sending) the weights
     * @param gatherMs from then until the summed contributions were back on the driver
     * @param t2 when they were
     */
    private void update(StepAggregate agg, double sendMs, double gatherMs, long t2) {
      long step = r.optimizer.step();
      BatchStats s = agg.stats;
      if (!Double.isFinite(s.lossSum) || !agg.hasGradient()) {
        throw new IllegalStateException(String.format("training diverged: the loss is %s at epoch %d, step %d "
            + "(global %d); lower the learning rate (now %.3g) or add gradient clipping%s", s.lossSum, r.epoch,
            r.stepInEpoch + 1, step + 1, tc.updater().rate(step), lastCheckpointNote()));
      }
      String exploded = divergence.record(s.meanLoss());
      if (exploded != null) {
        throw new IllegalStateException(String.format("training diverged: %s (epoch %d, step %d, global %d); lower "
            + "the learning rate (now %.3g) or add gradient clipping%s", exploded, r.epoch, r.stepInEpoch + 1,
            step + 1, tc.updater().rate(step), lastCheckpointNote()));
      }
      if (gradBuffer == null) {
        gradBuffer = new float[r.params.length];
      }
      float[] grad = gradBuffer;
      agg.scaledGradient(s.weightSum > 0 ? 1.0 / s.weightSum : 0, grad);
      double lr = tc.updater().rate(step);
      // the update goes into a copy, so r.params stays the last good weights if it diverges; the copy is the
      // array of two steps ago (nothing holds it any more: orders, broadcasts and checkpoints are done with it)
      float[] next = spareParams != null && spareParams.length == r.params.length ? spareParams
          : new float[r.params.length];
      System.arraycopy(r.params, 0, next, 0, next.length);
      tc.updater().applyInPlace(next, grad, r.optimizer, decay);
      int bad = firstNonFinite(next);
      if (bad >= 0) {
        throw new IllegalStateException(String.format("training diverged: parameter %d became %s at epoch %d, "
            + "step %d (global %d); lower the learning rate (now %.3g) or add gradient clipping%s", bad, next[bad],
            r.epoch, r.stepInEpoch + 1, step + 1, lr, lastCheckpointNote()));
      }
      spareParams = r.params;
      r.params = next;
      if (agg.stateSum != null && agg.stateRows > 0) {
        float[] st = new float[r.state.length];
        for (int i = 0; i < st.length; i++) {
          st[i] = (float) (agg.stateSum[i] / agg.stateRows);
        }
        int badState = firstNonFinite(st);
        if (badState >= 0) {
          throw new IllegalStateException(String.format("training diverged: state value %d (a running statistic) "
              + "became %s at epoch %d, step %d (global %d); lower the learning rate (now %.3g) or raise "
              + "batch_norm.epsilon%s", badState, st[badState], r.epoch, r.stepInEpoch + 1, step + 1, lr,
              lastCheckpointNote()));
        }
        r.state = st;
      }
      r.epochStats.merge(s);
      long t3 = System.nanoTime();
      double compute = agg.maxComputeNanos / 1e6;
      double merge = agg.mergeNanos / 1e6;
      StepTiming timing = StepTiming.of(sendMs, gatherMs, compute, merge, (t3 - t2) / 1e6);
      StepReport report = new StepReport(r.epoch, tc.epochs(), r.stepInEpoch, stepsPerEpoch, r.optimizer.step(),
          s.meanLoss(), s.accuracy(), s.rows, lr, timing);
      listeners.forEach(l -> l.onStep(report));
    }

    /** Validation, metrics, listeners, early stopping; returns a stop reason or null. */
    private String endEpoch() {
      BatchStats v = validate();
      BatchStats e = r.epochStats;
      EpochMetrics m = new EpochMetrics(r.epoch, r.optimizer.step(), e.meanLoss(), e.accuracy(),
          v == null ? null : v.meanLoss(), v == null ? null : v.accuracy(),
          lbfgs != null ? stepLength : tc.updater().rate(Math.max(0, r.optimizer.step() - 1)), r.epochSeconds);
      r.history.add(m);
      listeners.forEach(l -> l.onEpoch(m));
      String reason = null;
      if (tracker != null) {
        if (tracker.observe(r.epoch, tc.earlyStopping().monitor().read(m))) {
          r.bestParams = r.params.clone();
          r.bestState = r.state.clone();
        } else if (tracker.shouldStop()) {
          reason = tracker.stopReason();
        }
        r.trackerBest = tracker.best();
        r.trackerBestEpoch = tracker.bestEpoch();
        r.trackerWaited = tracker.waited();
      }
      r.epoch++;
      r.stepInEpoch = 0;
      r.epochStats = new BatchStats();
      r.epochSeconds = 0;
      return reason;
    }

    private BatchStats validate() {
      if (val == null && data.validationRows() == 0) {
        return null;
      }
      if (barrier != null && barrier.validates()) {
        StepAggregate agg = viaBarrier(() -> barrier.evaluate(r.epoch, r.params, r.state));
        if (agg != null) {
          return agg.stats;
        }
      }
      if (barrier != null) {
        barrier.end(); // free the task slots for the validation job
      }
      sc.setJobDescription(String.format("treeprop: epoch %d/%d, validation", r.epoch, tc.epochs()));
      Broadcast<Weights> bc = sc.broadcast(new Weights(r.params, r.state), ClassTag$.MODULE$.apply(Weights.class));
      try {
        return (val == null ? data : val).blocks().treeAggregate(new StepAggregate(),
            new EvalTask(specJson, lossJson, val == null, bc), StepAggregate::merge, config.treeDepth()).stats;
      } finally {
        bc.destroy();
        sc.setJobDescription(callerDescription);
      }
    }

    private void save() {
      try {
        Path p = checkpoints.write(r, spec, loss, fingerprint);
        LOG.debug("checkpoint {}", p); // one per epoch or N steps: too many for the console
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a checkpoint to " + config.checkpoints().dir(), e);
      }
    }

    private String lastCheckpointNote() {
      if (checkpoints == null) {
        return "";
      }
      try {
        Path latest = checkpoints.latest();
        return latest == null ? "" : "; the last good checkpoint is " + latest;
      } catch (IOException e) {
        return "";
      }
    }
  }

  /**
   * The index of the first NaN or infinite value, or -1. The common case (all finite) is one pass with no branch:
   * {@code x · 0} is 0 for a finite x and NaN otherwise, so four running sums of it stay 0 exactly when every
   * value is finite (four, so the additions do not wait on each other).
   */
  static int firstNonFinite(float[] v) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < v.length; i += 4) {
      s0 += v[i] * 0f;
      s1 += v[i + 1] * 0f;
      s2 += v[i + 2] * 0f;
      s3 += v[i + 3] * 0f;
    }
    for (; i < v.length; i++) {
      s0 += v[i] * 0f;
    }
    if (s0 + s1 + s2 + s3 == 0) {
      return -1;
    }
    for (i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }
}
