package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Shape;

/**
 * Batch normalization per feature (vector input {@code [d]}: {@code C = d}, {@code S = 1}) or per channel (image
 * input {@code [c, h, w]}: {@code C = c}, {@code S = h·w}), over the {@code M = batch·S} values of one
 * micro-batch. Parameters {@code gamma: [C]} (init 1) and {@code beta: [C]} (init 0); state
 * {@code running_mean: [C]} (init 0) and {@code running_var: [C]} (init 1).
 *
 * <pre>
 * training:  μ = Σ x / M,  σ² = Σ (x − μ)² / M,  x̂ = (x − μ) / √(σ² + ε),  y = γ·x̂ + β
 *            running_mean ← (1 − m)·running_mean + m·μ
 *            running_var  ← (1 − m)·running_var  + m·σ²·M/(M − 1)     (unbiased; σ² itself when M = 1)
 * inference: y = γ·(x − running_mean) / √(running_var + ε) + β
 * backward (training): dγ += Σ dy·x̂,  dβ += Σ dy,  dx = γ/(M·√(σ² + ε)) · (M·dy − Σ dy − x̂·Σ dy·x̂)
 * </pre>
 *
 * PyTorch's conventions (momentum {@code m} weights the new statistic). Forward keeps μ and 1/√(σ² + ε) per
 * channel in the frame's scratch for backward. The sums are taken in one pass each way, in double precision and
 * four interleaved chains ({@code σ² = Σx²/M − μ²}, {@code Σ dy·x̂ = (Σ dy·x − μ Σ dy)/√(σ² + ε)}): forward +
 * backward 10.1 → 7.0 ms on 256 rows of 64×14×14 (JMH, idle machine, DESIGN.md decision 14).
 *
 * <pre>Ioffe, Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate
 * Shift", ICML 2015</pre>
 */
public final class BatchNormLayer implements Layer {
  private final Shape shape;
  private final int channels;
  private final int spatial;
  private final float momentum;
  private final float epsilon;

  public BatchNormLayer(Shape shape, float momentum, float epsilon) {
    this.shape = shape;
    this.channels = shape.isImage() ? shape.channels() : shape.size();
    this.spatial = shape.isImage() ? shape.height() * shape.width() : 1;
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  /** The value added to the variance. */
  public float epsilon() {
    return epsilon;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public void declare(ParamLayout.Builder layout) {
    layout.bias("gamma", channels, new Initializer.Constant(1f));
    layout.bias("beta", channels, new Initializer.Zeros());
    layout.state("running_mean", channels, new Initializer.Zeros());
    layout.state("running_var", channels, new Initializer.Constant(1f));
  }

  /** Offset of value {@code s} of channel {@code ch} in row {@code r}. */
  private int at(int r, int ch) {
    return r * shape.size() + ch * spatial;
  }

  @Override
  public void forward(Frame f) {
    int n = f.batch();
    float[] x = f.in();
    float[] y = f.out();
    float[] p = f.params();
    int g = f.paramOffset();
    int st = f.stateOffset();
    float[] stats = f.scratch(2 * channels);
    double[] sums = new double[2];
    long m = (long) n * spatial;
    for (int ch = 0; ch < channels; ch++) {
      float mean;
      float inv;
      if (f.training()) {
        // one pass for Σx and Σx². The cancellation in σ² = Σx²/M − μ² costs the variance a relative error of
        // about M·1e-16·(μ/σ)² at worst (≤ 5e-12·(μ/σ)² for 256 rows of 28×28): far below float for activations'
        // |μ|/σ, which is rarely above 10
        channelSums(x, x, n, ch, sums);
        double mu = sums[0] / m;
        double var = Math.max(0, sums[1] / m - mu * mu);
        mean = (float) mu;
        inv = (float) (1 / Math.sqrt(var + epsilon));
        float[] ns = f.newState();
        if (ns != null) {
          float[] old = f.state();
          ns[st + ch] = (float) ((1 - momentum) * old[st + ch] + momentum * mu);
          double unbiased = m > 1 ? var * m / (m - 1) : var;
          ns[st + channels + ch] = (float) ((1 - momentum) * old[st + channels + ch] + momentum * unbiased);
        }
      } else {
        mean = f.state()[st + ch];
        inv = (float) (1 / Math.sqrt(f.state()[st + channels + ch] + (double) epsilon));
      }
      stats[ch] = mean;
      stats[channels + ch] = inv;
      float a = p[g + ch] * inv;
      float b = p[g + channels + ch] - mean * a;
      for (int r = 0; r < n; r++) {
        for (int i = at(r, ch), end = i + spatial; i < end; i++) {
          y[i] = x[i] * a + b;
        }
      }
    }
  }

  /**
   * {@code sums[0] = Σ u} and {@code sums[1] = Σ u·v} over channel {@code ch} of {@code n} rows, in double, each in
   * four interleaved chains (a single chain waits on every add's latency): forward's Σx and Σx², backward's Σ dy
   * and Σ dy·x.
   */
  private void channelSums(float[] u, float[] v, int n, int ch, double[] sums) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    for (int r = 0; r < n; r++) {
      int i = at(r, ch);
      int end = i + spatial;
      for (; i + 3 < end; i += 4) {
        double a0 = u[i];
        double a1 = u[i + 1];
        double a2 = u[i + 2];
        double a3 = u[i + 3];
        s0 += a0;
        s1 += a1;
        s2 += a2;
        s3 += a3;
        q0 += a0 * v[i];
        q1 += a1 * v[i + 1];
        q2 += a2 * v[i + 2];
        q3 += a3 * v[i + 3];
      }
      for (; i < end; i++) {
        double a0 = u[i];
        s0 += a0;
        q0 += a0 * v[i];
      }
    }
    sums[0] = s0 + s1 + s2 + s3;
    sums[1] = q0 + q1 + q2 + q3;
  }

  @Override
  public void backward(Frame f) {
    int n = f.batch();
    float[] x = f.in();
    float[] dy = f.dOut();
    float[] dx = f.dIn();
    float[] p = f.params();
    float[] grad = f.grad();
    int g = f.paramOffset();
    float[] stats = f.scratch(2 * channels);
    double[] sums = new double[2];
    long m = (long) n * spatial;
    for (int ch = 0; ch < channels; ch++) {
      float mean = stats[ch];
      float inv = stats[channels + ch];
      // Σ dy and Σ dy·x̂ = (Σ dy·x − μ Σ dy)·inv
      channelSums(dy, x, n, ch, sums);
      double sumDy = sums[0];
      double sumDyXhat = (sums[1] - mean * sumDy) * inv;
      grad[g + ch] += (float) sumDyXhat;
      grad[g + channels + ch] += (float) sumDy;
      if (dx == null) {
        continue;
      }
      float gamma = p[g + ch];
      if (!f.training()) {
        float a = gamma * inv;
        for (int r = 0; r < n; r++) {
          for (int i = at(r, ch), end = i + spatial; i < end; i++) {
            dx[i] = dy[i] * a;
          }
        }
        continue;
      }
      float scale = gamma * inv / m;
      float sdy = (float) sumDy;
      float sdyx = (float) sumDyXhat;
      for (int r = 0; r < n; r++) {
        for (int i = at(r, ch), end = i + spatial; i < end; i++) {
          dx[i] = scale * (m * dy[i] - sdy - (x[i] - mean) * inv * sdyx);
        }
      }
    }
  }
}
