package io.treeprop.core.train;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.MicroBatch;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.OptimizerState;
import io.treeprop.core.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-JVM reference trainer: epochs of mini-batches over a shuffled order, the average gradient of each
 * batch (summed over its {@link MicroBatch}es), one {@link io.treeprop.core.optim.Updater} step per batch, an
 * optional validation pass per epoch and early stopping. With {@link Lbfgs} an epoch is one full-batch L-BFGS
 * iteration instead ({@link LbfgsTraining}; {@code batchSize} is not used) and a run also stops when it converges.
 * The Spark trainer computes the same steps data-parallel; this one is the reference for its tests.
 *
 * <p>Holds configuration only: each {@link #fit} call builds its own state and generators.
 */
public final class LocalTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

  private final TrainConfig config;
  private final Consumer<EpochMetrics> listener;

  public LocalTrainer(TrainConfig config) {
    this(config, m -> {});
  }

  /** @param listener called after every epoch */
  public LocalTrainer(TrainConfig config, Consumer<EpochMetrics> listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Trains a fresh network.
   *
   * @param validation held-out rows, or null to split {@code validationFraction} off {@code train}
   * @throws IllegalArgumentException for data the loss or network cannot take (naming the row and value)
   * @throws IllegalStateException when the loss becomes NaN or infinite (divergence)
   */
  public Model fit(NetworkSpec spec, Loss loss, Dataset train, Dataset validation) {
    Network net = spec.compile();
    Objective objective = new Objective(net, loss);
    objective.requireTrainable();
    int outputs = net.outputShape().size();
    if (train.features() != net.inputShape().size()) {
      throw new IllegalArgumentException("the network takes " + net.inputShape().size() + " features per row "
          + "(input " + net.inputShape() + "), the training data has " + train.features());
    }
    train.validate(loss, outputs);
    if (config.updater().optimizer() instanceof Lbfgs) {
      LbfgsTraining.require(spec, config.updater());
    }
    if (validation == null && config.validationFraction() > 0) {
      Dataset[] split = split(train);
      train = split[0];
      validation = split[1];
    } else if (validation != null) {
      validation.validate(loss, outputs);
    }
    if (config.earlyStopping() != null && config.earlyStopping().monitor().needsValidation() && validation == null) {
      throw new IllegalArgumentException("earlyStopping.monitor " + config.earlyStopping().monitor().jsonName()
          + " needs validation data: give a validation set or a validationFraction above 0");
    }
    return run(objective, spec, train, validation);
  }

  private Dataset[] split(Dataset data) {
    int[] perm = permutation(data.rows(), Seeds.derive(config.seed(), Seeds.SPLIT));
    int nVal = (int) Math.round(data.rows() * config.validationFraction());
    if (nVal < 1 || nVal >= data.rows()) {
      throw new IllegalArgumentException("validationFraction " + config.validationFraction() + " of " + data.rows()
          + " rows leaves " + nVal + " validation and " + (data.rows() - nVal) + " training rows; both need >= 1");
    }
    return new Dataset[] {data.subset(perm, nVal, data.rows() - nVal), data.subset(perm, 0, nVal)};
  }

  private Model run(Objective objective, NetworkSpec spec, Dataset train, Dataset validation) {
    Network net = objective.network();
    RowBatches rows = new RowBatches(objective, train, config.updater().optimizer() instanceof Lbfgs ? train.rows()
        : Math.min(config.batchSize(), train.rows()));
    Epochs run = config.updater().optimizer() instanceof Lbfgs l
        ? new LbfgsEpochs(config, l, rows, net.initParams(config.seed()), net.initState())
        : new MiniBatchEpochs(rows, net.initParams(config.seed()), net.initState());
    EarlyStopping.Tracker tracker = config.earlyStopping() == null ? null : config.earlyStopping().newTracker();
    float[] bestParams = null;
    float[] bestState = null;
    List<EpochMetrics> history = new ArrayList<>();
    String stop = "completed " + config.epochs() + " epochs";
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      long t0 = System.nanoTime();
      BatchStats epochStats = run.epoch(epoch);
      BatchStats val = validation == null ? null : Evaluation.evaluate(objective, run.params(), run.state(),
          validation);
      EpochMetrics m = new EpochMetrics(epoch, run.step(), epochStats.meanLoss(), epochStats.accuracy(),
          val == null ? null : val.meanLoss(), val == null ? null : val.accuracy(), run.rate(),
          (System.nanoTime() - t0) / 1e9);
      history.add(m);
      log(m, train.rows());
      listener.accept(m);
      if (tracker != null) {
        Double v = config.earlyStopping().monitor().read(m);
        if (tracker.observe(epoch, v)) {
          bestParams = run.params().clone();
          bestState = run.state().clone();
        } else if (tracker.shouldStop()) {
          stop = tracker.stopReason();
          break;
        }
      }
      if (run.stopReason() != null) {
        stop = run.stopReason();
        break;
      }
    }
    float[] params = run.params();
    float[] state = run.state();
    Integer bestEpoch = null;
    if (tracker != null && config.earlyStopping().restoreBest() && bestParams != null) {
      params = bestParams;
      state = bestState;
      bestEpoch = tracker.bestEpoch();
    }
    TrainingSummary summary = new TrainingSummary(history, bestEpoch, stop, run.step(),
        (System.nanoTime() - start) / 1e9);
    return new Model(spec, params, state, objective.loss(), List.of(), summary, Map.of());
  }

  /** Shuffled mini-batches, one {@link io.treeprop.core.optim.Updater} step each. */
  private final class MiniBatchEpochs implements Epochs {
    private final RowBatches rows;
    private final float[] params;
    private final float[] state;
    private final OptimizerState opt;
    private final int[] decay;
    private final float[] grad;
    private final DivergenceGuard guard = new DivergenceGuard();

    MiniBatchEpochs(RowBatches rows, float[] params, float[] state) {
      this.rows = rows;
      this.params = params;
      this.state = state;
      this.opt = config.updater().optimizer().newState(params.length);
      this.decay = config.updater().decayRanges(rows.objective.network().layout());
      this.grad = new float[params.length];
    }

    @Override
    public BatchStats epoch(int epoch) {
      int b = rows.batch;
      int n0 = rows.data.rows();
      int[] perm = permutation(n0, Seeds.derive(config.seed(), Seeds.SHUFFLE, epoch));
      BatchStats epochStats = new BatchStats();
      for (int from = 0; from < n0; from += b) {
        int n = Math.min(b, n0 - from);
        java.util.Arrays.fill(grad, 0f);
        BatchStats s = new BatchStats();
        long step = opt.step();
        rows.accumulate(perm, from, n, params, state, Seeds.derive(config.seed(), step), grad, s);
        if (!Double.isFinite(s.lossSum)) {
          throw new IllegalStateException("training diverged: the loss is " + s.lossSum + " at epoch " + epoch
              + ", step " + step + "; lower the learning rate (now " + config.updater().rate(step) + ") or add "
              + "gradient clipping");
        }
        String exploded = guard.record(s.meanLoss());
        if (exploded != null) {
          throw new IllegalStateException("training diverged: " + exploded + " (epoch " + epoch + ", step " + step
              + "); lower the learning rate (now " + config.updater().rate(step) + ") or add gradient clipping");
        }
        RowBatches.scale(grad, s.weightSum);
        config.updater().applyInPlace(params, grad, opt, decay);
        if (!rows.meanStateInto(n, state)) {
          throw new IllegalStateException("training diverged: a running statistic (state) is NaN or infinite at "
              + "epoch " + epoch + ", step " + step + "; lower the learning rate or raise batch_norm.epsilon");
        }
        epochStats.merge(s);
      }
      return epochStats;
    }

    @Override
    public float[] params() {
      return params;
    }

    @Override
    public float[] state() {
      return state;
    }

    @Override
    public long step() {
      return opt.step();
    }

    @Override
    public double rate() {
      return config.updater().rate(Math.max(0, opt.step() - 1));
    }

    @Override
    public String stopReason() {
      return null;
    }
  }

  private void log(EpochMetrics m, int rows) {
    if (LOG.isInfoEnabled()) {
      LOG.info(String.format("epoch %d/%d  step %d  loss %.4f%s%s%s  lr %.3g  %.1f s  %,.0f samples/s",
          m.epoch(), config.epochs(), m.step(), m.trainLoss(),
          m.trainAccuracy() == null ? "" : String.format("  acc %.4f", m.trainAccuracy()),
          m.validationLoss() == null ? "" : String.format("  val_loss %.4f", m.validationLoss()),
          m.validationAccuracy() == null ? "" : String.format("  val_acc %.4f", m.validationAccuracy()),
          m.learningRate(), m.seconds(), rows / m.seconds()));
    }
  }

  /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates), a pure function of the seed. */
  public static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
