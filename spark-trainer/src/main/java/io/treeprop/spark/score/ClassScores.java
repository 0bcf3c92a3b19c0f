package io.treeprop.spark.score;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.ActivationLayer;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import java.util.List;

/**
 * A multiclass network's outputs for one scored row, the same for the Spark ML model and the {@code score} job:
 * the logits (the softmax's input when the network ends in softmax, else its output), their softmax in double
 * precision, and the predicted class.
 */
public final class ClassScores {
  private ClassScores() {}

  /** Whether the network's last layer is a softmax. */
  public static boolean endsInSoftmax(Network net) {
    List<Layer> layers = net.layers();
    return layers.get(layers.size() - 1) instanceof ActivationLayer a && a.function() == ActivationFunction.SOFTMAX;
  }

  /** Logits of row {@code row} after a forward pass: the softmax's input when the network ends in softmax. */
  public static double[] logits(Network net, Workspace ws, int row, boolean softmaxHead) {
    int n = net.layers().size();
    int k = net.outputShape().size();
    float[] src = softmaxHead ? (n >= 2 ? ws.activation(n - 2) : ws.input()) : ws.activation(n - 1);
    double[] r = new double[k];
    for (int j = 0; j < k; j++) {
      r[j] = src[row * k + j];
    }
    return r;
  }

  /** Softmax of {@code raw}, shifted by its maximum so no exponent overflows. */
  public static double[] softmax(double[] raw) {
    double max = Double.NEGATIVE_INFINITY;
    for (double d : raw) {
      max = Math.max(max, d);
    }
    double[] p = new double[raw.length];
    double sum = 0;
    for (int i = 0; i < raw.length; i++) {
      p[i] = Math.exp(raw[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < raw.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /**
   * The predicted class: the first most probable one, or with {@code thresholds} (may be null) Spark's rule, the
   * argmax of {@code p_i / t_i} (a zero threshold wins).
   */
  public static int decide(double[] prob, double[] thresholds) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < prob.length; i++) {
      double s = thresholds == null ? prob[i]
          : thresholds[i] == 0 ? Double.POSITIVE_INFINITY : prob[i] / thresholds[i];
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  }
}
