package io.treeprop.core.train;

import io.treeprop.core.layer.ActivationLayer;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Predictions;
import io.treeprop.core.model.Workspace;

/**
 * A network under a loss: forward, loss and backward over one batch, accumulating into a gradient sum and
 * {@link BatchStats}. The single place where a batch gradient is computed, by the local trainer, the Spark
 * executors and the gradient check alike.
 *
 * <p>When the network ends in the loss's {@linkplain Loss#fusedActivation() fused activation} (softmax with
 * categorical cross-entropy, sigmoid with binary cross-entropy), the loss takes the logits and backward starts
 * below that activation.
 */
public final class Objective {
  private final Network net;
  private final Loss loss;
  private final boolean fused;
  private final int dim;

  /**
   * @throws IllegalArgumentException when the network's output does not fit the loss
   */
  public Objective(Network net, Loss loss) {
    if (loss == null) {
      throw new IllegalArgumentException("loss is required");
    }
    this.net = net;
    this.loss = loss;
    this.dim = net.outputShape().size();
    loss.checkOutputs(dim);
    Layer last = net.layers().get(net.layers().size() - 1);
    this.fused = loss.fusedActivation() != null && last instanceof ActivationLayer a
        && a.function() == loss.fusedActivation();
  }

  /**
   * Checks that every layer has a gradient.
   *
   * @throws IllegalArgumentException naming the first threshold unit
   */
  public void requireTrainable() {
    for (int i = 0; i < net.layers().size(); i++) {
      if (!net.layers().get(i).differentiable()) {
        throw new IllegalArgumentException("network.layers[" + i + "] is a threshold unit (sign/step) with no "
            + "gradient; train with sigmoid or tanh instead and swap the unit in for inference");
      }
    }
  }

  public Network network() {
    return net;
  }

  public Loss loss() {
    return loss;
  }

  /** Floats of target per row. */
  public int targetWidth() {
    return loss.targetWidth(dim);
  }

  /**
   * Forward and backward on the first {@code batch} rows of {@code ws.input()}: adds the gradient of
   * {@code Σ w_r loss_r} into {@code grad} and the batch's sums into {@code stats}.
   *
   * @param y targets {@code [batch, targetWidth()]}
   * @param w row weights {@code [batch]} or null
   * @param seed the pass seed (dropout masks)
   */
  public void accumulateGradient(Workspace ws, float[] params, float[] state, float[] y, float[] w, int batch,
      long seed, float[] grad, BatchStats stats) {
    float[] out = net.forward(ws, params, state, batch, true, seed);
    int n = net.layers().size();
    int top = fused ? n - 1 : n;
    float[] pred = fused ? (n >= 2 ? ws.activation(n - 2) : ws.input()) : out;
    float[] dPred = fused ? (n >= 2 ? ws.delta(n - 2) : ws.inputGradient()) : ws.delta(n - 1);
    stats.lossSum += loss.accumulate(pred, y, w, dPred, batch, dim, fused);
    addMetrics(out, y, w, batch, stats);
    if (top > 0) {
      net.backward(ws, grad, top);
    }
  }

  /**
   * Training-mode forward (same dropout masks as {@link #accumulateGradient} for the same seed) and loss, no
   * backward: what a finite-difference check perturbs.
   */
  public void accumulateLoss(Workspace ws, float[] params, float[] state, float[] y, float[] w, int batch,
      long seed, BatchStats stats) {
    float[] out = net.forward(ws, params, state, batch, true, seed);
    int n = net.layers().size();
    float[] pred = fused ? (n >= 2 ? ws.activation(n - 2) : ws.input()) : out;
    stats.lossSum += loss.accumulate(pred, y, w, null, batch, dim, fused);
    addMetrics(out, y, w, batch, stats);
  }

  /** Inference-mode forward and loss on the first {@code batch} rows; adds the sums into {@code stats}. */
  public void evaluate(Workspace ws, float[] params, float[] state, float[] y, float[] w, int batch,
      BatchStats stats) {
    float[] out = net.forward(ws, params, state, batch, false, 0L);
    int n = net.layers().size();
    float[] pred = fused ? (n >= 2 ? ws.activation(n - 2) : ws.input()) : out;
    stats.lossSum += loss.accumulate(pred, y, w, null, batch, dim, fused);
    addMetrics(out, y, w, batch, stats);
  }

  private void addMetrics(float[] out, float[] y, float[] w, int batch, BatchStats stats) {
    stats.rows += batch;
    if (w == null) {
      stats.weightSum += batch;
    } else {
      for (int r = 0; r < batch; r++) {
        stats.weightSum += w[r];
      }
    }
    switch (loss.task()) {
      case MULTICLASS -> {
        for (int r = 0; r < batch; r++) {
          if (Predictions.predictedClass(loss, out, r * dim, dim) == (int) y[r]) {
            stats.correct++;
          }
        }
        stats.decisions += batch;
      }
      case BINARY -> {
        float t = loss.threshold();
        for (int i = 0; i < batch * dim; i++) {
          if ((out[i] >= t ? 1f : 0f) == y[i]) {
            stats.correct++;
          }
        }
        stats.decisions += (long) batch * dim;
      }
      case REGRESSION -> {
        for (int i = 0; i < batch * dim; i++) {
          double e = out[i] - y[i];
          stats.squaredError += e * e;
          stats.absoluteError += Math.abs(e);
        }
        stats.elements += (long) batch * dim;
      }
    }
  }
}
