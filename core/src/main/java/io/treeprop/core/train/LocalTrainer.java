package io.treeprop.core.train;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.MicroBatch;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.LbfgsSolver;
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
 * iteration instead ({@link LbfgsTraining}; {@code batchSize} is not used) and a run also stops when it converges. The Spark trainer computes the same steps data-parallel; this one is the reference for its tests.
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
    Rows rows = new Rows(objective, train, config.updater().optimizer() instanceof Lbfgs ? train.rows()
        : Math.min(config.batchSize(), train.rows()));
    Epochs run = config.updater().optimizer() instanceof Lbfgs l
        ? new LbfgsEpochs(l, rows, net.initParams(config.seed()), net.initState())
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

  /** One way of training through epochs: mini-batch updates, or L-BFGS iterations. */
  private interface Epochs {
    /** Trains one epoch; returns the training sums it reports. */
    BatchStats epoch(int epoch);

    float[] params();

    float[] state();

    /** Steps (updates or iterations) done. */
    long step();

    /** The learning rate (or L-BFGS step length) of the last step. */
    double rate();

    /** Why to stop now although epochs remain, or null. */
    String stopReason();
  }

  /** Shuffled mini-batches, one {@link io.treeprop.core.optim.Updater} step each. */
  private final class MiniBatchEpochs implements Epochs {
    private final Rows rows;
    private final float[] params;
    private final float[] state;
    private final OptimizerState opt;
    private final int[] decay;
    private final float[] grad;
    private final DivergenceGuard guard = new DivergenceGuard();

    MiniBatchEpochs(Rows rows, float[] params, float[] state) {
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
        scale(grad, s.weightSum);
        config.updater().applyInPlace(params, grad, opt, decay);
        if (!rows.meanState(n, state)) {
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

  /**
   * One L-BFGS iteration per epoch over all training rows ({@link LbfgsTraining}); the epoch reports the loss and
   * accuracy at the weights the iteration reached, and the accepted step length as its rate.
   */
  private final class LbfgsEpochs implements Epochs {
    private final Rows rows;
    private final LbfgsSolver solver;
    private final int[] perm;
    private final int[] decay;
    private LbfgsSolver.Point<LbfgsTraining.Evaluation> at;
    private float[] state;
    private double alpha;
    private String stop;

    LbfgsEpochs(Lbfgs lbfgs, Rows rows, float[] params, float[] state) {
      this.rows = rows;
      this.solver = new LbfgsSolver(lbfgs, lbfgs.newState(params.length));
      this.perm = permutation(rows.data.rows(), Seeds.derive(config.seed(), Seeds.SHUFFLE,
          LbfgsTraining.EVALUATION_EPOCH));
      this.decay = config.updater().decayRanges(rows.objective.network().layout());
      this.state = state;
      this.at = evaluate(params);
      if (!Double.isFinite(at.f())) {
        throw new IllegalStateException("training diverged: the loss at the initial weights is " + at.f());
      }
    }

    private LbfgsSolver.Point<LbfgsTraining.Evaluation> evaluate(float[] x) {
      float[] grad = new float[x.length];
      BatchStats s = new BatchStats();
      int n = rows.data.rows();
      rows.accumulate(perm, 0, n, x, state, Seeds.derive(config.seed(), LbfgsTraining.EVALUATION_STEP), grad, s);
      s.roundToFloat(); // as a Spark partition does, so one partition gives the same loss to the bit
      float[] newState = new float[state.length];
      rows.meanState(n, newState);
      scale(grad, s.weightSum);
      return LbfgsTraining.point(x, grad, new LbfgsTraining.Evaluation(s, newState), config.updater().l2(), decay);
    }

    @Override
    public BatchStats epoch(int epoch) {
      LbfgsSolver.Step<LbfgsTraining.Evaluation> step = solver.iterate(at, this::evaluate);
      at = step.point();
      alpha = step.stepLength();
      stop = step.stop();
      if (step.stepLength() > 0) {
        state = at.info().state();
      }
      return at.info().stats();
    }

    @Override
    public float[] params() {
      return at.x();
    }

    @Override
    public float[] state() {
      return state;
    }

    @Override
    public long step() {
      return solver.state().step();
    }

    @Override
    public double rate() {
      return alpha;
    }

    @Override
    public String stopReason() {
      return stop;
    }
  }

  /**
   * A batch's gradient over consecutive {@link MicroBatch}es of a row order: the workspace and buffers sized once
   * for the largest batch, and the count-weighted sum of the micro-batches' new state.
   */
  private static final class Rows {
    final Objective objective;
    final Dataset data;
    final int batch;
    private final int micro;
    private final Workspace ws;
    private final float[] y;
    private final float[] w;
    private final double[] stateSum;

    Rows(Objective objective, Dataset data, int batch) {
      this.objective = objective;
      this.data = data;
      this.batch = batch;
      Network net = objective.network();
      this.micro = MicroBatch.defaults().rows(net, batch);
      this.ws = net.newWorkspace(micro, false);
      this.y = new float[micro * data.targetWidth()];
      this.w = data.w() == null ? null : new float[micro];
      this.stateSum = new double[net.layout().stateCount()];
    }

    /** Adds the gradient of rows {@code order[from, from + n)} into {@code grad} and their sums to {@code s}. */
    void accumulate(int[] order, int from, int n, float[] params, float[] state, long seed, float[] grad,
        BatchStats s) {
      for (int j = 0, parts = MicroBatch.parts(n, micro); j < parts; j++) {
        int k = MicroBatch.start(n, micro, j);
        int m = MicroBatch.start(n, micro, j + 1) - k;
        data.gather(order, from + k, m, ws.input(), y, w);
        objective.accumulateGradient(ws, params, state, y, w, m, Seeds.microBatch(seed, k), grad, s);
        addState(stateSum, ws.newState(), m);
      }
    }

    /** {@code state = } the mean new state of the last {@code n} rows accumulated; false when not finite. */
    boolean meanState(int n, float[] state) {
      return LocalTrainer.meanState(stateSum, n, state);
    }
  }

  /** Adds {@code rows ·} a micro-batch's new state: state is the count-weighted mean over micro-batches. */
  private static void addState(double[] sum, float[] newState, int rows) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += (double) rows * newState[i];
    }
  }

  /** {@code state = sum / rows}, and clears the sum for the next step; false when a value is not finite. */
  private static boolean meanState(double[] sum, int rows, float[] state) {
    boolean finite = true;
    for (int i = 0; i < sum.length; i++) {
      state[i] = (float) (sum[i] / rows);
      finite &= Float.isFinite(state[i]);
      sum[i] = 0;
    }
    return finite;
  }

  private static void scale(float[] grad, double weightSum) {
    if (weightSum <= 0) {
      java.util.Arrays.fill(grad, 0f);
      return;
    }
    float inv = (float) (1.0 / weightSum);
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= inv;
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
