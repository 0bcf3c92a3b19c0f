package io.treeprop.core.train;

import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.LbfgsSolver;
import io.treeprop.core.optim.Updater;
import java.util.List;

/**
 * What both trainers share to train with {@link Lbfgs}: the checks of the network and the settings, and the
 * objective the solver minimizes, the mean loss over every training row plus the L2 term. One iteration is one
 * epoch; each evaluation sees all training rows in the order and micro-batches of the first step of epoch 1 with
 * the whole training set as the batch, so it is a pure function of the weights (DESIGN.md decision 21).
 */
public final class LbfgsTraining {
  /** The epoch whose shuffle orders every evaluation's rows, and the step whose seed it uses. */
  public static final int EVALUATION_EPOCH = 1;
  public static final long EVALUATION_STEP = 0;

  private LbfgsTraining() {}

  /**
   * The data part of one evaluation, the solver's point payload.
   *
   * @param stats the loss and metric sums over the training rows (the loss without the L2 term)
   * @param state the running statistics this evaluation would leave (batch norm); kept with the accepted point
   */
  public record Evaluation(BatchStats stats, float[] state) {}

  /**
   * Checks that a network's loss is the same function at every evaluation (a line search compares values at
   * different weights) and that the update settings apply to a full-batch solver.
   *
   * @throws IllegalArgumentException naming the layer or the setting
   */
  public static void require(NetworkSpec spec, Updater updater) {
    Lbfgs.requireCompatible(updater);
    requireDeterministic(spec.layers(), "network.layers");
  }

  /**
   * Checks that no layer (also inside a block) draws random values in training.
   *
   * @param path how the caller names the list, e.g. {@code model.layers}
   * @throws IllegalArgumentException naming the first dropout or noise layer by its path
   */
  public static void requireDeterministic(List<LayerSpec> layers, String path) {
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec l = layers.get(i);
      String kind = l instanceof LayerSpec.Dropout ? "dropout" : l instanceof LayerSpec.Noise ? "noise" : null;
      if (kind != null) {
        throw new IllegalArgumentException(path + "[" + i + "] is a " + kind + " layer, which draws new random "
            + "values at every evaluation; lbfgs's line search needs the same loss each time: remove it, or train "
            + "with an SGD-family optimizer");
      }
      if (l instanceof ResidualSpec r) {
        requireDeterministic(r.layers(), path + "[" + i + "].layers");
      }
    }
  }

  /**
   * The point at {@code x}: {@code f = lossSum / weightSum + ½λ Σ w²} over the decayed ranges and
   * {@code g = grad + λ w} there, as {@link Updater#applyInPlace} adds L2.
   *
   * @param meanGrad the data gradient averaged over the rows; becomes the point's gradient (L2 added in place)
   */
  public static LbfgsSolver.Point<Evaluation> point(float[] x, float[] meanGrad, Evaluation e, float l2,
      int[] decay) {
    double f = e.stats().meanLoss();
    if (l2 > 0) {
      double sq = 0;
      for (int r = 0; r < decay.length; r += 2) {
        for (int i = decay[r]; i < decay[r + 1]; i++) {
          sq += (double) x[i] * x[i];
          meanGrad[i] += l2 * x[i];
        }
      }
      f += 0.5 * l2 * sq;
    }
    return new LbfgsSolver.Point<>(x, f, meanGrad, e);
  }
}
