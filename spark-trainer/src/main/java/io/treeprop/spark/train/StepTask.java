package io.treeprop.spark.train;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.MicroBatch;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.random.Seeds;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.Objective;
import io.treeprop.spark.data.Block;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The executor side of one step (the {@code seqOp} of {@code treeAggregate}): partition {@code p} shuffles its
 * rows with {@code rng(partition(derive(seed, SHUFFLE, epoch), p))} (the local trainer's shuffle for partition 0), takes slice {@code [⌊s·n_p/S⌋, ⌊(s+1)·n_p/S⌋)} of that order and
 * adds the gradient of its loss sum. A pure function of the broadcast weights and the block: a retried task
 * recomputes exactly the same contribution.
 */
final class StepTask implements Function2<StepAggregate, Block, StepAggregate> {
  private static final long serialVersionUID = 1L;
  /**
   * Test hook: the first attempt of partition 0's task at this global step throws, so tests can show a retried
   * task gives identical weights. Read from the driver's system property {@code treeprop.testing.failFirstAttemptAtStep}.
   */
  static final String FAIL_PROPERTY = "treeprop.testing.failFirstAttemptAtStep";

  private final String specJson;
  private final String lossJson;
  private final long seed;
  private final int epoch;
  private final int stepInEpoch;
  private final int stepsPerEpoch;
  private final long globalStep;
  private final Broadcast<Weights> weights;
  private final long failAtStep;
  private transient Objective objective;

  StepTask(String specJson, String lossJson, long seed, int epoch, int stepInEpoch, int stepsPerEpoch,
      long globalStep, Broadcast<Weights> weights) {
    this.specJson = specJson;
    this.lossJson = lossJson;
    this.seed = seed;
    this.epoch = epoch;
    this.stepInEpoch = stepInEpoch;
    this.stepsPerEpoch = stepsPerEpoch;
    this.globalStep = globalStep;
    this.weights = weights;
    this.failAtStep = Long.getLong(FAIL_PROPERTY, -1L);
  }

  static Objective compile(String specJson, String lossJson) {
    return new Objective(Json.read(specJson, NetworkSpec.class, "network spec").compile(),
        Json.read(lossJson, Loss.class, "loss"));
  }

  /**
   * Rows per forward/backward pass for a partition of {@code n} rows in {@code steps} steps: the network's
   * {@link MicroBatch} for the most rows any step's slice holds.
   */
  static int microBatch(Network net, int n, int steps) {
    return MicroBatch.defaults().rows(net, (n + steps - 1) / steps + 1);
  }

  /** The slice of a partition of {@code n} rows that step {@code s} of {@code S} takes. */
  static int sliceStart(int n, int s, int steps) {
    return (int) ((long) s * n / steps);
  }

  @Override
  public StepAggregate call(StepAggregate acc, Block b) {
    if (globalStep == failAtStep && b.partition == 0 && TaskContext.get() != null
        && TaskContext.get().attemptNumber() == 0) {
      throw new IllegalStateException("injected failure (" + FAIL_PROPERTY + "=" + failAtStep + ")");
    }
    long t0 = System.nanoTime();
    if (objective == null) {
      objective = compile(specJson, lossJson);
    }
    Weights wt = weights.value();
    accumulate(objective, b, wt.params, wt.state, seed, epoch, stepInEpoch, stepsPerEpoch, globalStep, null, null,
        acc);
    acc.maxComputeNanos = Math.max(acc.maxComputeNanos, System.nanoTime() - t0);
    return acc;
  }

  /** The shuffled order of block {@code b}'s rows in {@code epoch}. */
  static int[] permutation(Block b, long seed, int epoch) {
    return LocalTrainer.permutation(b.rows, Seeds.partition(Seeds.derive(seed, Seeds.SHUFFLE, epoch), b.partition));
  }

  /**
   * Adds block {@code b}'s contribution to step {@code stepInEpoch} of {@code epoch} into {@code acc}: the same
   * arithmetic whichever way the contributions travel (treeAggregate or the barrier exchange).
   *
   * @param perm {@link #permutation} of this block and epoch, or null to compute it
   * @param workspace a workspace of this network to reuse, or null; micro-batches are {@link #microBatch} rows
   *     whatever its capacity (dropout seeds follow them), and a smaller one is not used
   */
  static void accumulate(Objective objective, Block b, float[] params, float[] state, long seed, int epoch,
      int stepInEpoch, int stepsPerEpoch, long globalStep, int[] perm, Workspace workspace, StepAggregate acc) {
    int from = sliceStart(b.rows, stepInEpoch, stepsPerEpoch);
    int n = sliceStart(b.rows, stepInEpoch + 1, stepsPerEpoch) - from;
    if (n <= 0) {
      return;
    }
    int d = objective.network().inputShape().size();
    Dataset rows = new Dataset(b.x, b.y, b.w, b.rows, d, objective.targetWidth());
    int[] order = perm != null ? perm : permutation(b, seed, epoch);
    int chunk = Math.min(n, microBatch(objective.network(), b.rows, stepsPerEpoch));
    Workspace ws = workspace != null && workspace.capacity() >= chunk ? workspace
        : objective.network().newWorkspace(chunk, false);
    float[] y = new float[chunk * objective.targetWidth()];
    float[] w = b.w == null ? null : new float[chunk];
    float[] g = new float[params.length];
    BatchStats stats = new BatchStats();
    for (int j = 0, parts = MicroBatch.parts(n, chunk); j < parts; j++) {
      int k = MicroBatch.start(n, chunk, j);
      int m = MicroBatch.start(n, chunk, j + 1) - k;
      rows.gather(order, from + k, m, ws.input(), y, w);
      objective.accumulateGradient(ws, params, state, y, w, m,
          Seeds.microBatch(Seeds.partition(Seeds.derive(seed, globalStep), b.partition), k), g, stats);
      acc.addState(ws.newState(), m);
    }
    acc.addGradient(g);
    acc.stats.merge(stats.roundToFloat());
  }
}
