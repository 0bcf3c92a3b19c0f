package io.treeprop.core.train;

import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.LbfgsSolver;
import io.treeprop.core.random.Seeds;

/**
 * {@link LocalTrainer}'s L-BFGS: one iteration per epoch over all training rows ({@link LbfgsTraining}); the epoch
 * reports the loss and accuracy at the weights the iteration reached, and the accepted step length as its rate.
 */
final class LbfgsEpochs implements Epochs {
  private final TrainConfig config;
  private final RowBatches rows;
  private final LbfgsSolver solver;
  private final int[] perm;
  private final int[] decay;
  private LbfgsSolver.Point<LbfgsTraining.Evaluation> at;
  private float[] state;
  private double alpha;
  private String stop;

  /** Evaluates the starting point. @throws IllegalStateException when its loss is not finite */
  LbfgsEpochs(TrainConfig config, Lbfgs lbfgs, RowBatches rows, float[] params, float[] state) {
    this.config = config;
    this.rows = rows;
    this.solver = new LbfgsSolver(lbfgs, lbfgs.newState(params.length));
    this.perm = LocalTrainer.permutation(rows.data.rows(), Seeds.derive(config.seed(), Seeds.SHUFFLE,
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
    rows.meanStateInto(n, newState);
    RowBatches.scale(grad, s.weightSum);
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
