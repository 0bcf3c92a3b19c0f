package io.treeprop.core.loss;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.ActivationLayer;

/** The loss implementations; see {@link Loss}. Per-row losses are means over the row's outputs. */
public final class Losses {
  private static final float EPS = 1e-7f;

  private Losses() {}

  private static float weight(float[] w, int r) {
    return w == null ? 1f : w[r];
  }

  /** Mean squared error: {@code (1/d) Σ (p − y)²}. */
  public record Mse() implements Loss {
    @Override
    public Task task() {
      return Task.REGRESSION;
    }

    @Override
    public String name() {
      return "mse";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      double total = 0;
      for (int r = 0; r < batch; r++) {
        float wr = weight(w, r);
        double row = 0;
        for (int j = r * dim; j < (r + 1) * dim; j++) {
          float e = p[j] - y[j];
          row += (double) e * e;
          if (dp != null) {
            dp[j] = wr * 2f * e / dim;
          }
        }
        total += wr * row / dim;
      }
      return total;
    }
  }

  /** Mean absolute error: {@code (1/d) Σ |p − y|}. */
  public record Mae() implements Loss {
    @Override
    public Task task() {
      return Task.REGRESSION;
    }

    @Override
    public String name() {
      return "mae";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      double total = 0;
      for (int r = 0; r < batch; r++) {
        float wr = weight(w, r);
        double row = 0;
        for (int j = r * dim; j < (r + 1) * dim; j++) {
          float e = p[j] - y[j];
          row += Math.abs(e);
          if (dp != null) {
            dp[j] = wr * Math.signum(e) / dim;
          }
        }
        total += wr * row / dim;
      }
      return total;
    }
  }

  /**
   * Smooth L1 (Huber): {@code ½e²} for {@code |e| ≤ δ}, {@code δ(|e| − ½δ)} beyond; quadratic near zero, linear
   * (robust to outliers) in the tails.
   *
   * <pre>Huber, "Robust Estimation of a Location Parameter", Ann. Math. Statist. 1964</pre>
   */
  public record SmoothL1(float delta) implements Loss {
    /** Default δ. */
    public static final float DEFAULT_DELTA = 1f;

    public SmoothL1 {
      if (!(delta > 0) || !Float.isFinite(delta)) {
        throw new IllegalArgumentException("smooth_l1.delta (" + delta + ") must be a positive finite number");
      }
    }

    /** JSON creator: an omitted delta takes its default. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static SmoothL1 fromJson(@JsonProperty("delta") Float delta) {
      return new SmoothL1(delta == null ? DEFAULT_DELTA : delta);
    }

    public SmoothL1() {
      this(DEFAULT_DELTA);
    }

    @Override
    public Task task() {
      return Task.REGRESSION;
    }

    @Override
    public String name() {
      return "smooth_l1";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      double total = 0;
      for (int r = 0; r < batch; r++) {
        float wr = weight(w, r);
        double row = 0;
        for (int j = r * dim; j < (r + 1) * dim; j++) {
          float e = p[j] - y[j];
          float a = Math.abs(e);
          boolean quadratic = a <= delta;
          row += quadratic ? 0.5 * e * e : delta * (a - 0.5 * delta);
          if (dp != null) {
            dp[j] = wr * (quadratic ? e : delta * Math.signum(e)) / dim;
          }
        }
        total += wr * row / dim;
      }
      return total;
    }
  }

  /**
   * Binary cross-entropy {@code −[y log p + (1 − y) log(1 − p)]} per output, labels in {0, 1}. From logits
   * {@code z} it is {@code max(z, 0) − z·y + log(1 + e^−|z|)}, exact for any z.
   */
  public record BinaryCrossEntropy() implements Loss {
    @Override
    public Task task() {
      return Task.BINARY;
    }

    @Override
    public ActivationFunction fusedActivation() {
      return ActivationFunction.SIGMOID;
    }

    @Override
    public float threshold() {
      return 0.5f;
    }

    @Override
    public String name() {
      return "binary_cross_entropy";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      double total = 0;
      for (int r = 0; r < batch; r++) {
        float wr = weight(w, r);
        double row = 0;
        for (int j = r * dim; j < (r + 1) * dim; j++) {
          float t = y[j];
          if (logits) {
            float z = p[j];
            row += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
            if (dp != null) {
              dp[j] = wr * (ActivationLayer.sigmoid(z) - t) / dim;
            }
          } else {
            float q = Math.min(Math.max(p[j], EPS), 1 - EPS);
            row -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
            if (dp != null) {
              dp[j] = wr * (q - t) / (q * (1 - q)) / dim;
            }
          }
        }
        total += wr * row / dim;
      }
      return total;
    }
  }

  /**
   * Categorical cross-entropy {@code −log p_c} for class index {@code c}; fused with softmax it is
   * {@code logΣe^z − z_c} with gradient {@code softmax(z) − onehot(c)}.
   */
  public record CategoricalCrossEntropy() implements Loss {
    @Override
    public Task task() {
      return Task.MULTICLASS;
    }

    @Override
    public ActivationFunction fusedActivation() {
      return ActivationFunction.SOFTMAX;
    }

    @Override
    public String name() {
      return "categorical_cross_entropy";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      double total = 0;
      for (int r = 0; r < batch; r++) {
        float wr = weight(w, r);
        int o = r * dim;
        int c = (int) y[r];
        if (logits) {
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j < dim; j++) {
            max = Math.max(max, p[o + j]);
          }
          double sum = 0;
          for (int j = 0; j < dim; j++) {
            sum += Math.exp(p[o + j] - max);
          }
          total += wr * (Math.log(sum) + max - p[o + c]);
          if (dp != null) {
            for (int j = 0; j < dim; j++) {
              dp[o + j] = wr * (float) (Math.exp(p[o + j] - max) / sum);
            }
            dp[o + c] -= wr;
          }
        } else {
          float q = Math.max(p[o + c], EPS);
          total -= wr * Math.log(q);
          if (dp != null) {
            java.util.Arrays.fill(dp, o, o + dim, 0f);
            dp[o + c] = -wr / q;
          }
        }
      }
      return total;
    }
  }

  /**
   * Multiclass margin (Weston–Watkins hinge): {@code Σ_{j≠c} max(0, m + s_j − s_c)} on raw scores.
   *
   * <pre>Weston &amp; Watkins, "Support Vector Machines for Multi-Class Pattern Recognition", ESANN 1999</pre>
   */
  public record MulticlassMargin(float margin) implements Loss {
    /** Default margin m. */
    public static final float DEFAULT_MARGIN = 1f;

    public MulticlassMargin {
      if (!(margin > 0) || !Float.isFinite(margin)) {
        throw new IllegalArgumentException("margin.margin (" + margin + ") must be a positive finite number");
      }
    }

    /** JSON creator: an omitted margin takes its default. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static MulticlassMargin fromJson(@JsonProperty("margin") Float margin) {
      return new MulticlassMargin(margin == null ? DEFAULT_MARGIN : margin);
    }

    public MulticlassMargin() {
      this(DEFAULT_MARGIN);
    }

    @Override
    public Task task() {
      return Task.MULTICLASS;
    }

    @Override
    public String name() {
      return "margin";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      double total = 0;
      for (int r = 0; r < batch; r++) {
        float wr = weight(w, r);
        int o = r * dim;
        int c = (int) y[r];
        if (dp != null) {
          java.util.Arrays.fill(dp, o, o + dim, 0f);
        }
        for (int j = 0; j < dim; j++) {
          float v = margin + p[o + j] - p[o + c];
          if (j != c && v > 0) {
            total += wr * v;
            if (dp != null) {
              dp[o + j] += wr;
              dp[o + c] -= wr;
            }
          }
        }
      }
      return total;
    }
  }

  /** Binary hinge {@code max(0, 1 − s·o)} with {@code s = 2y − 1} for labels y in {0, 1}. */
  public record Hinge() implements Loss {
    @Override
    public Task task() {
      return Task.BINARY;
    }

    @Override
    public String name() {
      return "hinge";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      return signedMargin(p, y, w, dp, batch, dim, 1f);
    }
  }

  /**
   * Rosenblatt's perceptron criterion {@code max(0, −s·o)}, {@code s = 2y − 1}: zero when a row is on the right
   * side, so gradient descent on it is the perceptron learning rule. A row exactly on the boundary counts as
   * misclassified, so a zero-initialised unit still learns.
   */
  public record Perceptron() implements Loss {
    @Override
    public Task task() {
      return Task.BINARY;
    }

    @Override
    public String name() {
      return "perceptron";
    }

    @Override
    public double accumulate(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, boolean logits) {
      return signedMargin(p, y, w, dp, batch, dim, 0f);
    }
  }

  private static double signedMargin(float[] p, float[] y, float[] w, float[] dp, int batch, int dim, float m) {
    double total = 0;
    for (int r = 0; r < batch; r++) {
      float wr = weight(w, r);
      double row = 0;
      for (int j = r * dim; j < (r + 1) * dim; j++) {
        float s = 2 * y[j] - 1;
        float v = m - s * p[j];
        boolean active = m > 0 ? v > 0 : v >= 0;
        row += Math.max(v, 0);
        if (dp != null) {
          dp[j] = active ? -wr * s / dim : 0f;
        }
      }
      total += wr * row / dim;
    }
    return total;
  }
}
